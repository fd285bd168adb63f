// One leaf of an epoch's tree (docs/epoch-files.md): OpenZeppelin StandardMerkleTree's double-hashed leaf over
// (chainId, contract, poolId, contributionId, cumulativeAmount, firstEpoch), the encoding AttributionEpochs checks.
import { getAddress, type Address, type Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { keccak256Into, keccak256Word } from "./keccak.ts";

/** The leaf's ABI types, in StandardMerkleTree's terms. */
export const LEAF_TYPES = ["uint256", "address", "uint256", "bytes32", "uint256", "uint32"] as const;

export const MAX_UINT256 = (1n << 256n) - 1n;
export const MAX_UINT32 = 2 ** 32 - 1;

/** What separates one pool's leaves from every other pool's, contract's and chain's. */
export interface EpochDomain {
  chainId: number;
  /** The AttributionEpochs contract's address. */
  contract: Address;
  poolId: bigint;
}

/** One contribution's line in an epoch's leaf file. */
export interface EpochLeaf {
  /** 0x + 64 lowercase hexadecimal characters. */
  contributionId: Hex;
  /** Everything attributed to the contribution in this pool up to and including this epoch (smallest units). */
  cumulativeAmount: bigint;
  /** The first epoch of the pool whose leaf file named the contribution. */
  firstEpoch: number;
}

/** The leaf's values as StandardMerkleTree.of takes them (decimal strings for the integers). */
export function leafValues(domain: EpochDomain, leaf: EpochLeaf): [string, string, string, string, string, string] {
  return [
    String(domain.chainId),
    domain.contract,
    domain.poolId.toString(),
    leaf.contributionId,
    leaf.cumulativeAmount.toString(),
    String(leaf.firstEpoch),
  ];
}

/** Checks a domain's values against their ABI types. */
export function checkDomain(domain: EpochDomain): EpochDomain {
  if (!Number.isSafeInteger(domain.chainId) || domain.chainId <= 0) {
    throw new InvalidInputError("chainId", `the chain id ${domain.chainId} is not a positive integer`, "give one");
  }
  if (domain.poolId <= 0n || domain.poolId > MAX_UINT256) {
    throw new InvalidInputError(
      "poolId",
      `the pool id ${domain.poolId} is not a uint256 above 0`,
      "pools count from 1",
    );
  }
  return { chainId: domain.chainId, contract: getAddress(domain.contract), poolId: domain.poolId };
}

const HEX = new Uint8Array(128).fill(255);
for (let i = 0; i < 16; i++) HEX["0123456789abcdef".charCodeAt(i)] = i;
for (let i = 10; i < 16; i++) HEX["ABCDEF".charCodeAt(i - 10)] = i;

/** Writes the 32 bytes of a 0x-prefixed 64-character hex string to out[offset]. The caller has checked its shape. */
export function writeHex32(hex: string, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 32; i++) {
    out[offset + i] = (HEX[hex.charCodeAt(2 + 2 * i)]! << 4) | HEX[hex.charCodeAt(3 + 2 * i)]!;
  }
}

/** Writes a non-negative integer below 2^256 as 32 big-endian bytes to out[offset]. */
export function writeUint256(value: bigint, out: Uint8Array, offset: number): void {
  if (value <= 0xffffffffn) {
    out.fill(0, offset, offset + 28);
    const n = Number(value);
    out[offset + 28] = n >>> 24;
    out[offset + 29] = n >>> 16;
    out[offset + 30] = n >>> 8;
    out[offset + 31] = n;
    return;
  }
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The 32 bytes at bytes[offset] as 0x-prefixed lowercase hex. */
export function toHex32(bytes: Uint8Array, offset = 0): Hex {
  let hex = "0x";
  for (let i = 0; i < 32; i++) hex += HEX_DIGITS[bytes[offset + i]!];
  return hex as Hex;
}

/**
 * Hashes leaves of one domain: `abi.encode` of the six values into one reused 192-byte buffer, keccak256 twice.
 * A million leaves allocate nothing but their hashes.
 */
export class LeafHasher {
  readonly domain: EpochDomain;
  readonly #encoded = new Uint8Array(192);
  readonly #inner = new Uint8Array(32);

  constructor(domain: EpochDomain) {
    this.domain = checkDomain(domain);
    writeUint256(BigInt(this.domain.chainId), this.#encoded, 0);
    writeHex32(`0x${"0".repeat(24)}${this.domain.contract.slice(2)}`, this.#encoded, 32);
    writeUint256(this.domain.poolId, this.#encoded, 64);
  }

  /** Writes the leaf's hash to out[offset]. */
  hashInto(leaf: EpochLeaf, out: Uint8Array, offset: number): void {
    const encoded = this.#encoded;
    writeHex32(leaf.contributionId, encoded, 96);
    writeUint256(leaf.cumulativeAmount, encoded, 128);
    writeUint256(BigInt(leaf.firstEpoch), encoded, 160);
    keccak256Into(encoded, 0, 192, this.#inner, 0);
    keccak256Word(this.#inner, 0, out, offset);
  }

  /** The leaf's hash as hex: what `MerkleProof.verify` takes as `leaf`. */
  hash(leaf: EpochLeaf): Hex {
    const out = new Uint8Array(32);
    this.hashInto(leaf, out, 0);
    return toHex32(out);
  }
}
