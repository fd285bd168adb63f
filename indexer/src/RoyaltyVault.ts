// Mirrors every vault event. Stored state is what the events state: the pool's checkpoint from RevenueDeposited,
// UnitsSet and ContributionRemoved, each position from UnitsSet, ContributionRemoved and RoyaltiesClaimed, its escrow
// from EscrowOpened and AuthorConfirmed. The contract's arithmetic (streamMath.ts) is only cross-checked against each
// event: a disagreement is recorded (mismatch_event, the pool's replayMismatches, a log line) and never stops the
// indexer, since the event, not the copy of the arithmetic, is the chain's word.
import { ponder, type Context, type Event } from "ponder:registry";
import {
  claimEvent,
  deferredBalance,
  depositEvent,
  mismatchEvent,
  pool,
  position,
  tokenTotal,
  unitsEvent,
  vaultConfig,
  vaultEvent,
} from "ponder:schema";

import { eventColumns, ledgerRow, type LedgerFields } from "./eventColumns.ts";
import { accPerUnitAt, advance, credit, settle, settleClaim, streamOf, type StreamState } from "./streamMath.ts";

type Hex = `0x${string}`;
type PoolRow = typeof pool.$inferSelect;
type PositionRow = typeof position.$inferSelect;

const ZERO: Hex = "0x0000000000000000000000000000000000000000";

/** A value the contract's arithmetic gives from the indexed state, next to the one the event states. */
type Comparison = [field: string, replayed: bigint, stated: bigint];

/**
 * Records the fields where the recomputation differs from the event and returns how many events differed (0 or 1).
 * `compute` runs guarded: a recomputation that fails (a division by zero on a state the indexer got wrong) is a
 * mismatch too, never an error that stops the indexer.
 */
async function crossCheck(
  context: Context,
  event: Event,
  name: string,
  ids: { poolId: bigint; contributionId?: Hex },
  compute: () => Comparison[],
): Promise<number> {
  let fields: Record<string, { replayed: string; stated: string } | string>;
  try {
    const differing = compute().filter(([, replayed, stated]) => replayed !== stated);
    if (differing.length === 0) return 0;
    fields = Object.fromEntries(
      differing.map(([field, replayed, stated]) => [
        field,
        { replayed: replayed.toString(), stated: stated.toString() },
      ]),
    );
  } catch (error) {
    fields = { error: (error as Error).message };
  }
  console.warn(
    `${name} ${event.id} (pool ${ids.poolId}) differs from the replayed arithmetic: ${JSON.stringify(fields)}`,
  );
  await context.db.insert(mismatchEvent).values({
    id: event.id,
    event: name,
    poolId: ids.poolId,
    contributionId: ids.contributionId ?? null,
    fields,
    ...eventColumns(event),
  });
  return 1;
}

async function getPool(context: Context, poolId: bigint, event: Event): Promise<PoolRow> {
  const row = await context.db.find(pool, { id: poolId });
  if (row === null) throw new Error(`event ${event.id} names pool ${poolId}, which was never created`);
  return row;
}

/** The stored position, or the empty one a (pool, contribution) has before its first event. */
async function getPosition(context: Context, row: PoolRow, contributionId: Hex): Promise<PositionRow> {
  const id = `${row.id}-${contributionId}`;
  return (
    (await context.db.find(position, { id })) ?? {
      id,
      poolId: row.id,
      contributionId,
      token: row.token,
      units: 0n,
      accPerUnitPaid: 0n,
      fraction: 0n,
      accrued: 0n,
      claimed: 0n,
      removedForConsent: false,
      escrowed: false,
      exposedAt: null,
      confirmedAt: null,
      confirmedAuthor: null,
      updatedAtBlock: 0n,
    }
  );
}

/** Writes `changes` onto the position `before` (inserted on its first event). */
async function writePosition(context: Context, before: PositionRow, changes: Partial<PositionRow>, block: bigint) {
  const set = { ...changes, updatedAtBlock: block };
  await context.db
    .insert(position)
    .values({ ...before, ...set })
    .onConflictDoUpdate(set);
}

async function addToTokenTotal(
  context: Context,
  token: Hex,
  delta: Partial<Record<"deposited" | "fees" | "feesCollected" | "claimed" | "deferred" | "deferredWithdrawn", bigint>>,
  pools = 0,
) {
  const zero = { deposited: 0n, fees: 0n, feesCollected: 0n, claimed: 0n, deferred: 0n, deferredWithdrawn: 0n };
  const values = { ...zero, ...delta };
  await context.db
    .insert(tokenTotal)
    .values({ id: token, poolCount: pools, ...values })
    .onConflictDoUpdate((row) => ({
      poolCount: row.poolCount + pools,
      deposited: row.deposited + values.deposited,
      fees: row.fees + values.fees,
      feesCollected: row.feesCollected + values.feesCollected,
      claimed: row.claimed + values.claimed,
      deferred: row.deferred + values.deferred,
      deferredWithdrawn: row.deferredWithdrawn + values.deferredWithdrawn,
    }));
}

async function logVaultEvent(
  context: Context,
  event: Event,
  kind: (typeof vaultEvent.$inferInsert)["kind"],
  fields: LedgerFields,
  args: Record<string, unknown>,
) {
  await context.db.insert(vaultEvent).values(ledgerRow(event, kind, fields, args));
}

ponder.on("RoyaltyVault:PoolCreated", async ({ event, context }) => {
  const { poolId, token, admin, creator, duration, metadataUri } = event.args;
  const now = event.block.timestamp;
  await context.db.insert(pool).values({
    id: poolId,
    token,
    admin,
    pendingAdmin: null,
    attributor: null,
    creator,
    duration: BigInt(duration),
    metadataUri,
    totalUnits: 0n,
    accPerUnit: 0n,
    carry: 0n,
    ratePerSecond: 0n,
    lastUpdate: now,
    streamEnd: now,
    deposited: 0n,
    fees: 0n,
    claimed: 0n,
    depositCount: 0,
    claimCount: 0,
    contributionCount: 0,
    replayMismatches: 0,
    createdAtBlock: event.block.number,
    createdAt: now,
  });
  await addToTokenTotal(context, token, {}, 1);
});

ponder.on("RoyaltyVault:RevenueDeposited", async ({ event, context }) => {
  const { poolId, depositor, amountReceived, fee, ratePerSecond, accPerUnit, carriedRemainder } = event.args;
  const streamEnd = BigInt(event.args.streamEnd);
  const now = event.block.timestamp;
  const row = await getPool(context, poolId, event);
  const mismatches = await crossCheck(context, event, "RevenueDeposited", { poolId }, () => {
    const next = credit(streamOf(row), amountReceived - fee, row.duration, now);
    return [
      ["accPerUnit", next.accPerUnit, accPerUnit],
      ["carriedRemainder", next.carry, carriedRemainder],
      ["ratePerSecond", next.ratePerSecond, ratePerSecond],
      ["streamEnd", next.streamEnd, streamEnd],
    ];
  });
  await context.db.update(pool, { id: poolId }).set({
    accPerUnit,
    carry: carriedRemainder,
    ratePerSecond,
    lastUpdate: now,
    streamEnd,
    deposited: row.deposited + amountReceived,
    fees: row.fees + fee,
    depositCount: row.depositCount + 1,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await context.db.insert(depositEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    depositor,
    amountReceived,
    fee,
    ratePerSecond,
    streamEnd,
    accPerUnit,
    carriedRemainder,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { deposited: amountReceived, fees: fee });
});

/** UnitsSet and ContributionRemoved: the pool's checkpoint and the position, as the event states them. */
async function changeUnits(
  context: Context,
  event: Event,
  values: {
    poolId: bigint;
    contributionId: Hex;
    caller: Hex;
    previousUnits: bigint;
    units: bigint;
    totalUnits: bigint;
    accPerUnit: bigint;
    carriedRemainder: bigint;
    streamEnd: number;
    accrued: bigint;
    fraction: bigint;
    removed: boolean;
  },
) {
  const { poolId, contributionId, accPerUnit, carriedRemainder, accrued, fraction } = values;
  const streamEnd = BigInt(values.streamEnd);
  const now = event.block.timestamp;
  const row = await getPool(context, poolId, event);
  const before = await getPosition(context, row, contributionId);

  const name = values.removed ? "ContributionRemoved" : "UnitsSet";
  const mismatches = await crossCheck(context, event, name, { poolId, contributionId }, () => {
    // A unit batch checkpoints the pool once, under the units before it, and every UnitsSet of the batch states that
    // checkpoint, even after the batch lowered the units to the carried remainder or below. So an event states either
    // the checkpoint moved to now from the stored one, or (later in a batch) the stored one as it is.
    const moved = advance(streamOf(row), now);
    const unchanged: StreamState = { ...streamOf(row), lastUpdate: now };
    const stated = (stream: StreamState) =>
      stream.accPerUnit === accPerUnit && stream.carry === carriedRemainder && stream.streamEnd === streamEnd;
    const checkpoint = row.lastUpdate === now && !stated(moved) && stated(unchanged) ? unchanged : moved;
    const settled = settle(before, accPerUnit, values.units);
    return [
      ["accPerUnit", checkpoint.accPerUnit, accPerUnit],
      ["carriedRemainder", checkpoint.carry, carriedRemainder],
      ["streamEnd", checkpoint.streamEnd, streamEnd],
      ["previousUnits", before.units, values.previousUnits],
      ["totalUnits", row.totalUnits - values.previousUnits + values.units, values.totalUnits],
      ["accrued", settled.accrued, accrued],
      ["fraction", settled.fraction, fraction],
    ];
  });

  await writePosition(
    context,
    before,
    { units: values.units, accPerUnitPaid: accPerUnit, fraction, accrued, removedForConsent: values.removed },
    event.block.number,
  );
  const joined =
    values.previousUnits === 0n && values.units !== 0n
      ? 1
      : values.previousUnits !== 0n && values.units === 0n
        ? -1
        : 0;
  await context.db.update(pool, { id: poolId }).set({
    accPerUnit,
    carry: carriedRemainder,
    lastUpdate: now,
    streamEnd,
    totalUnits: values.totalUnits,
    contributionCount: row.contributionCount + joined,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await context.db.insert(unitsEvent).values({
    id: event.id,
    poolId,
    contributionId,
    change: values.removed ? "removed_for_consent" : "set",
    caller: values.caller,
    previousUnits: values.previousUnits,
    units: values.units,
    totalUnits: values.totalUnits,
    accPerUnit,
    carriedRemainder,
    streamEnd,
    accrued,
    fraction,
    ...eventColumns(event),
  });
}

ponder.on("RoyaltyVault:UnitsSet", async ({ event, context }) => {
  await changeUnits(context, event, { ...event.args, removed: false });
});

ponder.on("RoyaltyVault:ContributionRemoved", async ({ event, context }) => {
  await changeUnits(context, event, { ...event.args, units: 0n, removed: true });
});

ponder.on("RoyaltyVault:EscrowOpened", async ({ event, context }) => {
  // Emitted right before the UnitsSet that first gives the unregistered hash units, so the position may be new.
  const { poolId, contributionId, exposedAt } = event.args;
  const row = await getPool(context, poolId, event);
  const before = await getPosition(context, row, contributionId);
  await writePosition(context, before, { escrowed: true, exposedAt: BigInt(exposedAt) }, event.block.number);
  await logVaultEvent(context, event, "escrow_opened", { poolId, contributionId }, event.args);
});

ponder.on("RoyaltyVault:AuthorConfirmed", async ({ event, context }) => {
  // The admin may confirm again (after a supersession, say): the latest confirmation is the one the contract keeps.
  const { poolId, contributionId, author, registeredAt, admin } = event.args;
  const row = await getPool(context, poolId, event);
  const before = await getPosition(context, row, contributionId);
  await writePosition(
    context,
    before,
    { confirmedAt: BigInt(registeredAt), confirmedAuthor: author },
    event.block.number,
  );
  await logVaultEvent(context, event, "author_confirmed", { poolId, contributionId, account: admin }, event.args);
});

ponder.on("RoyaltyVault:RoyaltiesClaimed", async ({ event, context }) => {
  const { poolId, contributionId, author, recipient, amount, accPerUnit, fraction } = event.args;
  const row = await getPool(context, poolId, event);
  const before = await getPosition(context, row, contributionId);
  // A claim does not checkpoint the pool: it settles the position at the accumulator computed for this block.
  const mismatches = await crossCheck(context, event, "RoyaltiesClaimed", { poolId, contributionId }, () => {
    const settled = settleClaim(before, accPerUnit);
    return [
      ["accPerUnit", accPerUnitAt(streamOf(row), event.block.timestamp), accPerUnit],
      ["amount", settled.amount, amount],
      ["fraction", settled.position.fraction, fraction],
    ];
  });
  await writePosition(
    context,
    before,
    { accPerUnitPaid: accPerUnit, fraction, accrued: 0n, claimed: before.claimed + amount },
    event.block.number,
  );
  await context.db.update(pool, { id: poolId }).set({
    claimed: row.claimed + amount,
    claimCount: row.claimCount + 1,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await context.db.insert(claimEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    contributionId,
    author,
    recipient,
    amount,
    accPerUnit,
    fraction,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { claimed: amount });
});

ponder.on("RoyaltyVault:PayoutDeferred", async ({ event, context }) => {
  // One per contribution; `account` is the author credited (the failed recipient is in the args).
  const { poolId, contributionId, account, token, amount } = event.args;
  await context.db
    .insert(deferredBalance)
    .values({ id: `${token}-${account}`, token, account, amount })
    .onConflictDoUpdate((row) => ({ amount: row.amount + amount }));
  await addToTokenTotal(context, token, { deferred: amount });
  await logVaultEvent(
    context,
    event,
    "payout_deferred",
    { poolId, contributionId, token, account, amount },
    event.args,
  );
});

ponder.on("RoyaltyVault:DeferredWithdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(deferredBalance)
    .values({ id: `${token}-${account}`, token, account, amount: -amount })
    .onConflictDoUpdate((row) => ({ amount: row.amount - amount }));
  await addToTokenTotal(context, token, { deferredWithdrawn: amount });
  await logVaultEvent(context, event, "deferred_withdrawn", { token, account, amount }, event.args);
});

ponder.on("RoyaltyVault:ProtocolFeeSet", async ({ event, context }) => {
  const { feeBps, feeRecipient } = event.args;
  await context.db
    .insert(vaultConfig)
    .values({ id: 1, feeBps: Number(feeBps), feeRecipient, paused: false, updatedAtBlock: event.block.number })
    .onConflictDoUpdate({ feeBps: Number(feeBps), feeRecipient, updatedAtBlock: event.block.number });
  await logVaultEvent(context, event, "protocol_fee_set", { account: feeRecipient }, event.args);
});

ponder.on("RoyaltyVault:FeesCollected", async ({ event, context }) => {
  const { token, feeRecipient, amount } = event.args;
  await addToTokenTotal(context, token, { feesCollected: amount });
  await logVaultEvent(context, event, "fees_collected", { token, account: feeRecipient, amount }, event.args);
});

for (const [name, paused] of [
  ["Paused", true],
  ["Unpaused", false],
] as const) {
  ponder.on(`RoyaltyVault:${name}`, async ({ event, context }) => {
    await context.db
      .insert(vaultConfig)
      .values({ id: 1, feeBps: 0, feeRecipient: ZERO, paused, updatedAtBlock: event.block.number })
      .onConflictDoUpdate({ paused, updatedAtBlock: event.block.number });
    await logVaultEvent(context, event, paused ? "paused" : "unpaused", { account: event.args.account }, event.args);
  });
}

ponder.on("RoyaltyVault:PoolAdminTransferStarted", async ({ event, context }) => {
  const { poolId, admin, pendingAdmin } = event.args;
  await context.db.update(pool, { id: poolId }).set({ pendingAdmin: pendingAdmin === ZERO ? null : pendingAdmin });
  await logVaultEvent(
    context,
    event,
    "pool_admin_transfer_started",
    { poolId, account: pendingAdmin },
    {
      admin,
      pendingAdmin,
    },
  );
});

ponder.on("RoyaltyVault:PoolAdminTransferred", async ({ event, context }) => {
  const { poolId, newAdmin } = event.args;
  await context.db.update(pool, { id: poolId }).set({ admin: newAdmin, pendingAdmin: null });
  await logVaultEvent(context, event, "pool_admin_transferred", { poolId, account: newAdmin }, event.args);
});

ponder.on("RoyaltyVault:AttributorSet", async ({ event, context }) => {
  const { poolId, attributor } = event.args;
  await context.db.update(pool, { id: poolId }).set({ attributor: attributor === ZERO ? null : attributor });
  await logVaultEvent(context, event, "attributor_set", { poolId, account: attributor }, event.args);
});
