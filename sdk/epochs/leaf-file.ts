// The leaf file (docs/epoch-files.md): a JSON header line, then one `contributionId,cumulativeAmount,firstEpoch`
// line per leaf sorted by contributionId, LF line ends. Writing gives the same bytes for the same leaves every time;
// reading checks everything the header states (count, total, order, root) in one streaming pass.
import { getAddress, type Address, type Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { LeafHasher, MAX_UINT256, MAX_UINT32, type EpochDomain, type EpochLeaf } from "./leaf.ts";
import { eachLine, LineError, type ByteChunks } from "./lines.ts";
import { buildTree, type EpochTree } from "./tree.ts";

export const LEAF_FILE_FORMAT = "tributary-epoch-leaves-v1";

/** The header line, keys in this order. */
export interface LeafFileHeader {
  format: typeof LEAF_FILE_FORMAT;
  chainId: number;
  contract: Address;
  poolId: bigint;
  epochId: number;
  previousEpoch: number;
  total: bigint;
  count: number;
  root: Hex;
}

const HEADER_KEYS = ["format", "chainId", "contract", "poolId", "epochId", "previousEpoch", "total", "count", "root"];
const LEAF_LINE = /^(0x[0-9a-f]{64}),(0|[1-9][0-9]{0,77}),(0|[1-9][0-9]{0,9})$/;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** The header's JSON line (without LF). */
export function formatHeader(header: LeafFileHeader): string {
  return JSON.stringify({
    format: LEAF_FILE_FORMAT,
    chainId: header.chainId,
    contract: getAddress(header.contract),
    poolId: header.poolId.toString(),
    epochId: header.epochId,
    previousEpoch: header.previousEpoch,
    total: header.total.toString(),
    count: header.count,
    root: header.root,
  });
}

/** One leaf's line (without LF). */
export function formatLeafLine(leaf: EpochLeaf): string {
  return `${leaf.contributionId},${leaf.cumulativeAmount},${leaf.firstEpoch}`;
}

const encoder = new TextEncoder();

/** The leaf file's exact bytes. `leaves` must be sorted by contributionId, as buildEpoch gives them. */
export function encodeLeafFile(header: LeafFileHeader, leaves: readonly EpochLeaf[]): Uint8Array {
  // Joined in slices: one string of a million lines is fine, an array of a million small strings joined once too,
  // but neither needs to exist beside the bytes longer than a slice.
  const parts: Uint8Array[] = [encoder.encode(`${formatHeader(header)}\n`)];
  const SLICE = 50_000;
  for (let start = 0; start < leaves.length; start += SLICE) {
    let text = "";
    const end = Math.min(leaves.length, start + SLICE);
    for (let i = start; i < end; i++) text += `${formatLeafLine(leaves[i]!)}\n`;
    parts.push(encoder.encode(text));
  }
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

function parseHeader(text: string, source: string): LeafFileHeader {
  const fail = (problem: string) =>
    new LineError(source, 1, problem, "give a leaf file written by tributary epoch build");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail("is not a leaf file's JSON header");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw fail("is not a JSON object");
  const header = value as Record<string, unknown>;
  if (Object.keys(header).join(",") !== HEADER_KEYS.join(",")) {
    throw fail(`has the keys ${Object.keys(header).join(", ")}, not ${HEADER_KEYS.join(", ")}`);
  }
  if (header.format !== LEAF_FILE_FORMAT) throw fail(`is in format ${JSON.stringify(header.format)}`);
  const integer = (key: string, max: number) => {
    const v = header[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > max) {
      throw fail(`${key} ${JSON.stringify(v)} is not an integer from 0 to ${max}`);
    }
    return v;
  };
  const decimal = (key: string) => {
    const v = header[key];
    if (typeof v !== "string" || !DECIMAL.test(v) || BigInt(v) > MAX_UINT256) {
      throw fail(`${key} ${JSON.stringify(v)} is not a uint256 decimal string`);
    }
    return BigInt(v);
  };
  const contract = header.contract;
  if (typeof contract !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(contract) || getAddress(contract) !== contract) {
    throw fail(`contract ${JSON.stringify(contract)} is not a checksummed address`);
  }
  if (typeof header.root !== "string" || !/^0x[0-9a-f]{64}$/.test(header.root)) {
    throw fail(`root ${JSON.stringify(header.root)} is not 0x and 64 lowercase hexadecimal characters`);
  }
  const parsed: LeafFileHeader = {
    format: LEAF_FILE_FORMAT,
    chainId: integer("chainId", Number.MAX_SAFE_INTEGER),
    contract: contract as Address,
    poolId: decimal("poolId"),
    epochId: integer("epochId", MAX_UINT32),
    previousEpoch: integer("previousEpoch", MAX_UINT32),
    total: decimal("total"),
    count: integer("count", MAX_LEAVES),
    root: header.root as Hex,
  };
  if (parsed.chainId === 0 || parsed.poolId === 0n || parsed.epochId === 0 || parsed.count === 0) {
    throw fail("chainId, poolId, epochId and count must be above 0");
  }
  if (parsed.previousEpoch >= parsed.epochId) {
    throw fail(`previousEpoch ${parsed.previousEpoch} is not before epochId ${parsed.epochId}`);
  }
  // One spelling of a header: the file's hash is what the chain holds, so spaces or a CR are refused too.
  if (formatHeader(parsed) !== text) throw fail("is not written as tributary epoch build writes a header");
  return parsed;
}

/** The most leaves a file may hold (the flat tree of 2^26 leaves takes 4 GB). */
export const MAX_LEAVES = 2 ** 25;

export interface ReadLeafFileParameters {
  chunks: ByteChunks;
  source: string;
  /** Called with every leaf in file order; without it, the leaves are only checked and hashed. */
  onLeaf?: (leaf: EpochLeaf, index: number) => void;
}

export interface ReadLeafFileReturnType {
  header: LeafFileHeader;
  /** The tree rebuilt from the file's lines (its root equals the header's). */
  tree: EpochTree;
  /** keccak256 of the file's exact bytes: the manifest's leafFileHash. */
  leafFileHash: Hex;
}

/** The domain a leaf file's header names. */
export function headerDomain(header: LeafFileHeader): EpochDomain {
  return { chainId: header.chainId, contract: header.contract, poolId: header.poolId };
}

/**
 * Reads and checks a leaf file in one pass: the header; every line's shape, order (strictly ascending, so no
 * duplicate), amount above 0 and firstEpoch from 1 to the header's epochId; the count, the total and the root.
 * Keeps only the leaves' hashes (32 bytes each) and the tree over them; `onLeaf` sees each leaf as it is read.
 */
export async function readLeafFile(parameters: ReadLeafFileParameters): Promise<ReadLeafFileReturnType> {
  const { source, onLeaf } = parameters;
  let header: LeafFileHeader | undefined;
  let hasher: LeafHasher | undefined;
  let hashes = new Uint8Array(0);
  let previousId = "";
  let total = 0n;
  let count = 0;
  const read = await eachLine(parameters.chunks, source, (text, line) => {
    if (header === undefined) {
      header = parseHeader(text, source);
      hasher = new LeafHasher(headerDomain(header));
      // Grown as leaves arrive: a header's count alone (up to MAX_LEAVES) must not make a reader hold 1 GB.
      hashes = new Uint8Array(Math.min(header.count, 1 << 16) * 32);
      return;
    }
    const match = LEAF_LINE.exec(text);
    const fail = (problem: string) =>
      new LineError(source, line, problem, "give the leaf file exactly as tributary epoch build wrote it");
    if (match === null) throw fail("is not <contributionId>,<cumulativeAmount>,<firstEpoch> in lowercase and decimals");
    const contributionId = match[1]! as Hex;
    if (contributionId <= previousId) throw fail(`${contributionId} is not after the line before it`);
    const leaf: EpochLeaf = { contributionId, cumulativeAmount: BigInt(match[2]!), firstEpoch: Number(match[3]!) };
    if (leaf.cumulativeAmount === 0n || leaf.cumulativeAmount > MAX_UINT256)
      throw fail("the amount is not a uint256 above 0");
    if (leaf.firstEpoch === 0 || leaf.firstEpoch > header.epochId) {
      throw fail(`firstEpoch ${leaf.firstEpoch} is not from 1 to the file's epoch ${header.epochId}`);
    }
    if (count === header.count) throw fail(`is a leaf beyond the header's count of ${header.count}`);
    if (hashes.length === count * 32) {
      const grown = new Uint8Array(Math.min(header.count, count * 2) * 32);
      grown.set(hashes);
      hashes = grown;
    }
    hasher!.hashInto(leaf, hashes, count * 32);
    onLeaf?.(leaf, count);
    previousId = contributionId;
    total += leaf.cumulativeAmount;
    count++;
  });
  const fail = (problem: string) =>
    new InvalidInputError(
      "leaves",
      `${source} ${problem}`,
      "give the leaf file exactly as tributary epoch build wrote it",
    );
  if (header === undefined) throw fail("is empty");
  if (!read.terminated) throw fail("does not end with a line feed");
  if (count !== header.count) throw fail(`holds ${count} leaves where its header says ${header.count}`);
  if (total !== header.total) throw fail(`adds up to ${total} where its header says ${header.total}`);
  const tree = buildTree(hashes, count);
  if (tree.root !== header.root) throw fail(`has the root ${tree.root} where its header says ${header.root}`);
  return { header, tree, leafFileHash: read.hash };
}
