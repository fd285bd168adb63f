// Sorted-pair Merkle trees as OpenZeppelin's MerkleProof and Uniswap's MerkleDistributor verify them: a parent is
// keccak256 of its two children, the smaller first. Shared by the gas suites that measure Merkle claims.
import { keccak256, solidityPacked } from "ethers";

/** The parent of two nodes under sorted-pair hashing. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) <= BigInt(b)
    ? keccak256(solidityPacked(["bytes32", "bytes32"], [a, b]))
    : keccak256(solidityPacked(["bytes32", "bytes32"], [b, a]));
}

/** A whole tree's levels, leaves first; an odd node is carried up unpaired. */
export function buildLevels(leaves: string[]): string[][] {
  const levels: string[][] = [leaves];
  while (levels[levels.length - 1]!.length > 1) {
    const level = levels[levels.length - 1]!;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? hashPair(level[i]!, level[i + 1]!) : level[i]!);
    levels.push(next);
  }
  return levels;
}

/** The proof of leaf `index` in `levels`. */
export function proofOf(levels: string[][], index: number): string[] {
  const proof: string[] = [];
  for (let d = 0; d < levels.length - 1; d++) {
    const sibling = index ^ 1;
    if (sibling < levels[d]!.length) proof.push(levels[d]![sibling]!);
    index >>= 1;
  }
  return proof;
}

/**
 * A proof of `depth` pseudo-random siblings for `leaf`, and the root it leads to: the deepest proof of a tree of
 * 2^depth leaves. Verification gas depends on the proof's length only, so this stands for a real tree of that size
 * without hashing a million leaves.
 */
export function syntheticProof(leaf: string, depth: number, seed: string): { root: string; proof: string[] } {
  const proof = Array.from({ length: depth }, (_, i) => keccak256(solidityPacked(["string", "uint256"], [seed, i])));
  const root = proof.reduce((node, sibling) => hashPair(node, sibling), leaf);
  return { root, proof };
}
