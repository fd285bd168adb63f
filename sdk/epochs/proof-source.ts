// A proof source over leaf files held in memory (offline, nothing trusted: each file is checked against its header's
// root, and the chain checks the root). Pure and browser-safe like the rest of sdk/epochs/.
import type { Address, Hex } from "viem";

import type { EpochProofSource } from "../actions/epochs/proofs.ts";
import { InvalidInputError } from "../errors.ts";
import { readLeafFile, type LeafFileHeader } from "./leaf-file.ts";
import { treeProof, type EpochTree } from "./tree.ts";

/** One leaf file, read and indexed. */
export interface IndexedLeafFile {
  source: string;
  header: LeafFileHeader;
  leafFileHash: Hex;
  /** Each contribution's leaf: its position in the file, cumulative amount and first epoch. */
  leaves: ReadonlyMap<Hex, { index: number; cumulativeAmount: bigint; firstEpoch: number }>;
  tree: EpochTree;
}

export interface LeafFileProofs {
  /** The files, in the order given. */
  files: readonly IndexedLeafFile[];
  proofs: EpochProofSource;
}

export interface LeafFileProofsParameters {
  /** Leaf files' exact bytes and the name each is reported by. */
  files: readonly { bytes: Uint8Array; source: string }[];
  /** When given, a file of another chain or contract is refused (InvalidInputError on `leaves`). */
  domain?: { chainId: number; contract: Address };
}

/**
 * Reads and checks leaf files and serves proofs from them. Two files of the same pool and epoch must be the same
 * file. Each leaf costs its 32-byte hash and an entry in a map: a million-leaf file takes a few hundred MB.
 */
export async function leafFileProofs(parameters: LeafFileProofsParameters): Promise<LeafFileProofs> {
  const files: IndexedLeafFile[] = [];
  for (const { bytes, source } of parameters.files) {
    const leaves = new Map<Hex, { index: number; cumulativeAmount: bigint; firstEpoch: number }>();
    const read = await readLeafFile({
      chunks: [bytes],
      source,
      onLeaf: (leaf, index) =>
        leaves.set(leaf.contributionId, {
          index,
          cumulativeAmount: leaf.cumulativeAmount,
          firstEpoch: leaf.firstEpoch,
        }),
    });
    const { header } = read;
    const domain = parameters.domain;
    if (
      domain &&
      (header.chainId !== domain.chainId || header.contract.toLowerCase() !== domain.contract.toLowerCase())
    ) {
      throw new InvalidInputError(
        "leaves",
        `${source} is a leaf file of contract ${header.contract} on chain ${header.chainId}, not of ${domain.contract} on chain ${domain.chainId}`,
        "give the leaf files of this network's AttributionEpochs",
      );
    }
    const twin = files.find((f) => f.header.poolId === header.poolId && f.header.epochId === header.epochId);
    if (twin && twin.leafFileHash !== read.leafFileHash) {
      throw new InvalidInputError(
        "leaves",
        `${source} and ${twin.source} are two different leaf files of epoch ${header.epochId} of pool ${header.poolId}`,
        "give the one that was published",
      );
    }
    if (!twin) files.push({ source, header, leafFileHash: read.leafFileHash, leaves, tree: read.tree });
  }
  const proofs: EpochProofSource = async ({ poolId, epochId, contributionId }) => {
    const file = files.find((f) => f.header.poolId === poolId && f.header.epochId === epochId);
    const leaf = file?.leaves.get(contributionId.toLowerCase() as Hex);
    if (!file || !leaf) return undefined;
    return {
      cumulativeAmount: leaf.cumulativeAmount,
      firstEpoch: leaf.firstEpoch,
      proof: treeProof(file.tree, leaf.index),
    };
  };
  return { files, proofs };
}
