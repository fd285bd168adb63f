// A claim's proof from a leaf file alone (no chain, no indexer): the file is read once as a stream, checked against
// its header, and only the leaves' hashes are kept (32 bytes each) to rebuild the tree the proof is cut from.
import type { Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import type { EpochLeaf } from "./leaf.ts";
import { readLeafFile, type LeafFileHeader } from "./leaf-file.ts";
import type { ByteChunks } from "./lines.ts";
import { treeProof } from "./tree.ts";

export interface GetProofParameters {
  /** The leaf file's bytes: a stream's chunks or [bytes]. */
  chunks: ByteChunks;
  source: string;
  contributionId: Hex;
}

export interface GetProofReturnType {
  contributionId: Hex;
  cumulativeAmount: bigint;
  firstEpoch: number;
  /** The siblings from the leaf up, as AttributionEpochs' claim takes them. */
  proof: Hex[];
  root: Hex;
  header: LeafFileHeader;
  leafFileHash: Hex;
}

/** The proof of one contribution's leaf. Throws InvalidInputError when the file does not name it. */
export async function getProof({ chunks, source, contributionId }: GetProofParameters): Promise<GetProofReturnType> {
  const wanted = contributionId.toLowerCase();
  let found: { leaf: EpochLeaf; index: number } | undefined;
  const read = await readLeafFile({
    chunks,
    source,
    onLeaf: (leaf, index) => {
      if (leaf.contributionId === wanted) found = { leaf, index };
    },
  });
  const match = found as { leaf: EpochLeaf; index: number } | undefined;
  if (match === undefined) {
    throw new InvalidInputError(
      "contributionId",
      `${source} (epoch ${read.header.epochId} of pool ${read.header.poolId}) names no leaf for ${wanted}`,
      "check the hash, or use a later epoch's leaf file",
    );
  }
  return {
    ...match.leaf,
    proof: treeProof(read.tree, match.index),
    root: read.tree.root,
    header: read.header,
    leafFileHash: read.leafFileHash,
  };
}
