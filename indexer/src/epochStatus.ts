// Where an epoch stands at a time, from what the events stated: the contract's `payableEpoch` and `epochOf` status.
// Time alone moves a pending epoch to payable (and the epoch that paid before it to superseded), with no event, so the
// API computes this at the indexed head's timestamp; the handlers use it to cross-check what a publication states.

/** The pool's epochs as its last EpochPublished or EpochVetoed stated them. */
export interface PoolEpochs {
  acceptedEpoch: number;
  pendingEpoch: number;
  /** When the pending epoch starts to pay; null when none is pending. */
  pendingAcceptableAt: bigint | null;
}

export const EPOCH_STATUSES = ["pending", "payable", "superseded", "vetoed"] as const;
export type EpochStatus = (typeof EPOCH_STATUSES)[number];

/** The epoch claims prove against at `now` (Unix seconds); 0 when none. */
export function payableEpochAt(pool: PoolEpochs, now: bigint): number {
  return pool.pendingEpoch !== 0 && pool.pendingAcceptableAt !== null && now >= pool.pendingAcceptableAt
    ? pool.pendingEpoch
    : pool.acceptedEpoch;
}

/** Where a published epoch of the pool stands at `now`. */
export function epochStatusAt(pool: PoolEpochs, epochId: number, vetoed: boolean, now: bigint): EpochStatus {
  if (vetoed) return "vetoed";
  if (epochId === payableEpochAt(pool, now)) return "payable";
  if (epochId === pool.pendingEpoch) return "pending";
  return "superseded";
}
