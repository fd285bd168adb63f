// Leaf files a dishonest publisher could write, for the verifier's tests: self-consistent (the header's count, total
// and root agree with the lines, so the file reads) but with whatever leaves the test wants.
import type { Hex } from "viem";

import {
  buildTree,
  encodeLeafFile,
  LEAF_FILE_FORMAT,
  LeafHasher,
  type EpochDomain,
  type EpochLeaf,
} from "../../sdk/epochs/index.ts";

/** The leaf file of exactly `leaves` (sorted by contributionId), with its root and total. */
export function craftLeafFile(domain: EpochDomain, epochId: number, previousEpoch: number, leaves: EpochLeaf[]) {
  const hasher = new LeafHasher(domain);
  const hashes = new Uint8Array(leaves.length * 32);
  leaves.forEach((leaf, k) => hasher.hashInto(leaf, hashes, k * 32));
  const root = buildTree(hashes, leaves.length).root;
  const total = leaves.reduce((sum, leaf) => sum + leaf.cumulativeAmount, 0n);
  const header = {
    format: LEAF_FILE_FORMAT,
    ...domain,
    epochId,
    previousEpoch,
    total,
    count: leaves.length,
    root,
  } as const;
  return { root, total, leafFile: encodeLeafFile(header, leaves) };
}

/** The leaves of a leaf file's bytes, in file order. */
export function leavesOfFile(leafFile: Uint8Array): EpochLeaf[] {
  return new TextDecoder()
    .decode(leafFile)
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [contributionId, amount, firstEpoch] = line.split(",") as [Hex, string, string];
      return { contributionId, cumulativeAmount: BigInt(amount), firstEpoch: Number(firstEpoch) };
    });
}
