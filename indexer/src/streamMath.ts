// The vault's stream arithmetic (contracts/libraries/StreamMath.sol). Stored state comes from what events state; this
// computes only what accrues between events, a function of time (a pool's accumulator and a position's claimable
// amount at the indexed head), and the values the handlers cross-check each event against (never to store: a
// disagreement is recorded, see mismatch_event). Pure and exact (bigint), and tested against the contract's views in
// the end-to-end tests.

/** The fixed-point scale of accumulators, rates and remainders (RoyaltyVault.SCALE). */
export const SCALE = 1_000_000_000n;

/** A pool's stream at its last checkpoint; amounts are scaled token units (token units x SCALE). */
export interface StreamState {
  accPerUnit: bigint;
  carry: bigint;
  ratePerSecond: bigint;
  lastUpdate: bigint;
  streamEnd: bigint;
  totalUnits: bigint;
}

/** The stream state of a pool row (the indexer's `pool` table holds it column for column). */
export const streamOf = (row: StreamState): StreamState => ({
  accPerUnit: row.accPerUnit,
  carry: row.carry,
  ratePerSecond: row.ratePerSecond,
  lastUpdate: row.lastUpdate,
  streamEnd: row.streamEnd,
  totalUnits: row.totalUnits,
});

/** A contribution's position in a pool: whole units parked in `accrued`, the scaled sub-unit rest in `fraction`. */
export interface PositionState {
  units: bigint;
  accPerUnitPaid: bigint;
  fraction: bigint;
  accrued: bigint;
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The pool's checkpoint moved to `now` (StreamMath.checkpoint). With no units the stream waits: its end moves. */
export function advance(stream: StreamState, now: bigint): StreamState {
  // Even when no time passed: a carry that reached the units (which just grew) is spread, as accPerUnitAt does.
  if (stream.totalUnits === 0n) {
    const streamEnd =
      stream.streamEnd > stream.lastUpdate ? stream.streamEnd + (now - stream.lastUpdate) : stream.streamEnd;
    return { ...stream, streamEnd, lastUpdate: now };
  }
  const end = min(now, stream.streamEnd);
  const spread = (end > stream.lastUpdate ? stream.ratePerSecond * (end - stream.lastUpdate) : 0n) + stream.carry;
  return {
    ...stream,
    accPerUnit: stream.accPerUnit + spread / stream.totalUnits,
    carry: spread % stream.totalUnits,
    lastUpdate: now,
  };
}

/** The accumulator at `now` without moving the checkpoint (StreamMath.accPerUnitAt), as a claim computes it. */
export function accPerUnitAt(stream: StreamState, now: bigint): bigint {
  if (stream.totalUnits === 0n) return stream.accPerUnit;
  const end = min(now, stream.streamEnd);
  const released = end > stream.lastUpdate ? stream.ratePerSecond * (end - stream.lastUpdate) : 0n;
  return stream.accPerUnit + (released + stream.carry) / stream.totalUnits;
}

/** What has not streamed yet at the checkpoint, scaled. */
export function notYetStreamed(stream: StreamState): bigint {
  return stream.streamEnd > stream.lastUpdate ? stream.ratePerSecond * (stream.streamEnd - stream.lastUpdate) : 0n;
}

/**
 * How a deposit streams `streaming` scaled units (StreamMath.restream): over the whole `duration`, or at
 * `previousRate` over the shorter time that releases it all, so that a deposit never slows the stream.
 */
export function restream(
  previousRate: bigint,
  streaming: bigint,
  duration: bigint,
): { rate: bigint; span: bigint; remainder: bigint } {
  let span = duration;
  if (previousRate !== 0n) span = min(span, streaming / previousRate);
  return { rate: streaming / span, span, remainder: streaming % span };
}

/** A deposit of `net` token units into a pool of `duration` seconds at `now` (RoyaltyVault._credit). */
export function credit(stream: StreamState, net: bigint, duration: bigint, now: bigint): StreamState {
  const checkpoint = advance(stream, now);
  const notStreamed = checkpoint.streamEnd > now ? checkpoint.ratePerSecond * (checkpoint.streamEnd - now) : 0n;
  const { rate, span, remainder } = restream(
    notStreamed === 0n ? 0n : checkpoint.ratePerSecond,
    notStreamed + net * SCALE,
    duration,
  );
  return { ...checkpoint, ratePerSecond: rate, carry: checkpoint.carry + remainder, streamEnd: now + span };
}

/** The position's owed amount at accumulator `acc`, scaled (StreamMath.owedScaled). */
export function owedScaled(position: PositionState, acc: bigint): bigint {
  return position.units * (acc - position.accPerUnitPaid) + position.fraction;
}

/** Settles a position at `acc` and gives it `units` (RoyaltyVault._settlePosition). */
export function settle(position: PositionState, acc: bigint, units: bigint): PositionState {
  const owed = owedScaled(position, acc);
  return { units, accPerUnitPaid: acc, fraction: owed % SCALE, accrued: position.accrued + owed / SCALE };
}

/** Settles a claim at `acc` (RoyaltyVault._settleClaim): returns the amount and the position after it. */
export function settleClaim(position: PositionState, acc: bigint): { amount: bigint; position: PositionState } {
  const owed = owedScaled(position, acc);
  return {
    amount: owed / SCALE + position.accrued,
    position: { units: position.units, accPerUnitPaid: acc, fraction: owed % SCALE, accrued: 0n },
  };
}

/** What a position can claim at `now`, in token units. */
export function claimableAt(stream: StreamState, position: PositionState, now: bigint): bigint {
  return owedScaled(position, accPerUnitAt(stream, now)) / SCALE + position.accrued;
}
