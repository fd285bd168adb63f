// Where a claim's proofs come from: a function that, given a pool, an epoch and a contribution, returns the leaf's
// cumulative amount, first epoch and proof. Leaf files read into memory are one source (`leafFileProofs` in
// sdk/epochs/, which keeps the leaf hashing out of this entry's bundle); the indexer's proof routes are another
// (`apiProofSource` in sdk/api.ts), behind the same signature.
import type { Hex } from "viem";

export interface EpochProofQuery {
  poolId: bigint;
  epochId: number;
  contributionId: Hex;
}

export interface EpochProof {
  cumulativeAmount: bigint;
  firstEpoch: number;
  /** The siblings from the leaf up, as AttributionEpochs' claim takes them. */
  proof: readonly Hex[];
}

/** A proof lookup; undefined when it knows no leaf of that contribution in that epoch. */
export type EpochProofSource = (query: EpochProofQuery) => Promise<EpochProof | undefined>;
