// The epoch's Merkle tree, node for node the tree @openzeppelin/merkle-tree's StandardMerkleTree builds from the same
// leaves (test/epochs-sdk/tree.test.ts proves equal roots and proofs): leaves sorted by hash, laid out as a complete
// binary tree in one array (leaf k of the sorted order at index 2n - 2 - k, node i's children at 2i + 1 and
// 2i + 2), sorted-pair hashing. Every node lives in one flat byte array (32 bytes per node, 64 MB for a million
// leaves) instead of a million hex strings, which is what keeps a million-leaf build within seconds and memory.
import type { Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { compareWords, hashPairInto } from "./keccak.ts";
import { toHex32, writeHex32 } from "./leaf.ts";

export interface EpochTree {
  /** How many leaves. */
  count: number;
  /** Every node, 32 bytes each, at index i * 32; the root first. */
  nodes: Uint8Array;
  /** The tree index of the leaf given at position i. */
  positions: Uint32Array;
  root: Hex;
}

/** Builds the tree over `count` leaf hashes packed 32 bytes each in `leafHashes` (in any order). */
export function buildTree(leafHashes: Uint8Array, count = leafHashes.length / 32): EpochTree {
  if (!Number.isInteger(count) || count < 1 || leafHashes.length < count * 32) {
    throw new InvalidInputError("leaves", "a tree needs at least one leaf", "give at least one contribution");
  }
  // Sort leaf positions by hash: the first four bytes as a number decide almost every comparison.
  const prefixes = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * 32;
    prefixes[i] =
      ((leafHashes[at]! << 24) | (leafHashes[at + 1]! << 16) | (leafHashes[at + 2]! << 8) | leafHashes[at + 3]!) >>> 0;
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => prefixes[a]! - prefixes[b]! || compareWords(leafHashes, a * 32, leafHashes, b * 32));

  const size = 2 * count - 1;
  const nodes = new Uint8Array(size * 32);
  const positions = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const leaf = order[k]!;
    const index = size - 1 - k;
    positions[leaf] = index;
    nodes.set(leafHashes.subarray(leaf * 32, leaf * 32 + 32), index * 32);
  }
  for (let i = size - 1 - count; i >= 0; i--) hashPairInto(nodes, (2 * i + 1) * 32, (2 * i + 2) * 32, nodes, i * 32);
  return { count, nodes, positions, root: toHex32(nodes, 0) };
}

/** The index of node `index`'s sibling: node 2p + 1 is its parent's left child, 2p + 2 its right one. */
export function siblingIndex(index: number): number {
  return index % 2 === 1 ? index + 1 : index - 1;
}

/** The proof of the leaf given at position `leaf`: its siblings from the leaf up, as MerkleProof.verify takes it. */
export function treeProof(tree: EpochTree, leaf: number): Hex[] {
  let index = tree.positions[leaf];
  if (index === undefined) {
    throw new InvalidInputError("leaf", `the tree holds ${tree.count} leaves, not a leaf ${leaf}`, "check the index");
  }
  const proof: Hex[] = [];
  while (index > 0) {
    proof.push(toHex32(tree.nodes, siblingIndex(index) * 32));
    index = (index - 1) >> 1;
  }
  return proof;
}

/** The root a leaf and its proof lead to (MerkleProof.processProof). */
export function processProof(leaf: Hex, proof: readonly Hex[]): Hex {
  const pair = new Uint8Array(64);
  writeHex32(leaf, pair, 0);
  for (const sibling of proof) {
    writeHex32(sibling, pair, 32);
    hashPairInto(pair, 0, 32, pair, 0);
  }
  return toHex32(pair, 0);
}
