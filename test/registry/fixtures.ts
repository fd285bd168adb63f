import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import {
  COMMIT_TYPES as SDK_COMMIT_TYPES,
  CONSENT_TYPES as SDK_CONSENT_TYPES,
  EIP712_DOMAIN_NAME,
  EIP712_DOMAIN_VERSION,
  REGISTER_TYPES as SDK_REGISTER_TYPES,
} from "../../sdk/eip712.ts";
import { computeCommitment } from "../../sdk/registration.ts";
import type { AuthorshipRegistry } from "../../types/ethers-contracts/index.js";

/** What a contribution is, in the order of the Solidity enum. */
export const Kind = { Prompt: 0, Correction: 1, Feedback: 2, Dataset: 3, ModelOutput: 4, Other: 5 } as const;

/** The leaf encoding attesters use with @openzeppelin/merkle-tree: (contributionId, author, kind). */
export const LEAF_ENCODING = ["bytes32", "address", "uint8"];
export type Leaf = [string, string, number];

export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface RegistrationInput {
  contributionId: string;
  kind: number;
  trainingConsent: boolean;
  parents: string[];
  uri: string;
}

/** ethers takes the SDK's EIP-712 types as mutable lists. */
const mutable = (types: Readonly<Record<string, readonly { name: string; type: string }[]>>) =>
  Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, [...fields]]));

export const REGISTER_TYPES = mutable(SDK_REGISTER_TYPES);
export const COMMIT_TYPES = mutable(SDK_COMMIT_TYPES);
export const CONSENT_TYPES = mutable(SDK_CONSENT_TYPES);

/** A fresh network with the registry deployed by `owner`, and `attester` approved. */
export async function deployRegistry() {
  const connection = await network.create();
  const { ethers, networkHelpers } = connection;
  const signers = await ethers.getSigners();
  const signer = (index: number): HardhatEthersSigner => {
    const found = signers[index];
    if (found === undefined) throw new Error(`the network has no account ${index}`);
    return found;
  };
  const [owner, alice, bob, eve, relayer, attester] = [0, 1, 2, 3, 4, 5].map(signer) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const registry = (await ethers.deployContract("AuthorshipRegistry", [
    owner.address,
  ])) as unknown as AuthorshipRegistry;
  await registry.waitForDeployment();
  await (await registry.connect(owner).setAttester(attester.address, true)).wait();
  const { chainId } = await ethers.provider.getNetwork();
  const domain = {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId,
    verifyingContract: await registry.getAddress(),
  };

  let counter = 0;
  const hashOf = (text: string) => ethers.keccak256(ethers.toUtf8Bytes(text));
  const nextHash = () => hashOf(`contribution ${++counter}`);
  const registration = (contributionId: string, overrides: Partial<RegistrationInput> = {}): RegistrationInput => ({
    contributionId,
    kind: Kind.Prompt,
    trainingConsent: true,
    parents: [],
    uri: "ipfs://bafkreimeta",
    ...overrides,
  });
  const signRegistration = (
    signer: HardhatEthersSigner,
    input: RegistrationInput,
    author: string,
    deadline: bigint,
    signDomain: typeof domain = domain,
  ) => signer.signTypedData(signDomain, REGISTER_TYPES, { ...input, author, deadline });
  const signConsent = (
    signer: HardhatEthersSigner,
    contributionId: string,
    trainingConsent: boolean,
    nonce: bigint,
    deadline: bigint,
  ) => signer.signTypedData(domain, CONSENT_TYPES, { contributionId, trainingConsent, nonce, deadline });
  /** The commitment the SDK computes off-chain, which the contract must agree with. */
  const commitmentOf = (input: RegistrationInput, author: string, salt: string) =>
    computeCommitment(input as never, author as `0x${string}`, salt as `0x${string}`);
  const signCommit = (signer: HardhatEthersSigner, commitment: string, author: string, deadline: bigint) =>
    signer.signTypedData(domain, COMMIT_TYPES, { commitment, author, deadline });
  const deadlineIn = async (seconds: number) => BigInt((await networkHelpers.time.latest()) + seconds);

  return {
    connection,
    ethers,
    networkHelpers,
    registry,
    owner,
    alice,
    bob,
    eve,
    relayer,
    attester,
    domain,
    hashOf,
    nextHash,
    registration,
    signRegistration,
    signConsent,
    commitmentOf,
    signCommit,
    deadlineIn,
  };
}

/** The malleable twin of a 65-byte signature: s' = n - s, v flipped. */
export function highS(signature: string): { twin: string; s: string } {
  const bytes = Buffer.from(signature.slice(2), "hex");
  const r = bytes.subarray(0, 32).toString("hex");
  const s = BigInt(`0x${bytes.subarray(32, 64).toString("hex")}`);
  const v = bytes[64] === 27 ? 28 : 27;
  const twinS = (SECP256K1_N - s).toString(16).padStart(64, "0");
  return { twin: `0x${r}${twinS}${v.toString(16)}`, s: `0x${twinS}` };
}

export function buildTree(leaves: Leaf[]) {
  return StandardMerkleTree.of(leaves, LEAF_ENCODING);
}
