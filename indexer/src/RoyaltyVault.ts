// Mirrors every vault event. The pool's stream and each position are replayed with the contract's own arithmetic
// (streamMath.ts), so claimable amounts and liabilities come from events alone. Unit changes state the pool's
// checkpoint and claims their amounts: the replay is checked against each, so a deposit replayed wrong is caught
// at the next unit change or claim of that pool.
import { ponder, type Context, type Event } from "ponder:registry";
import {
  claimEvent,
  deferredBalance,
  depositEvent,
  pool,
  position,
  tokenTotal,
  unitsEvent,
  vaultConfig,
  vaultEvent,
} from "ponder:schema";

import { eventColumns } from "./eventColumns";
import { accPerUnitAt, advance, credit, settle, settleClaim, streamOf } from "./streamMath";

type Hex = `0x${string}`;
type PoolRow = typeof pool.$inferSelect;
type PositionRow = typeof position.$inferSelect;

const ZERO: Hex = "0x0000000000000000000000000000000000000000";

/** A replayed value that disagrees with the chain is a bug in the replay: it must stop the indexer, loudly. */
function check(what: string, replayed: bigint, onChain: bigint, event: Event) {
  if (replayed !== onChain) {
    throw new Error(`replayed ${what} ${replayed} differs from the chain's ${onChain} in ${event.id}`);
  }
}

async function getPool(context: Context, poolId: bigint, event: Event): Promise<PoolRow> {
  const row = await context.db.find(pool, { id: poolId });
  if (row === null) throw new Error(`event ${event.id} names pool ${poolId}, which was never created`);
  return row;
}

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
      updatedAtBlock: 0n,
    }
  );
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
  fields: { poolId?: bigint; token?: Hex; account?: Hex; amount?: bigint },
  args: Record<string, unknown>,
) {
  const json = Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
  );
  await context.db.insert(vaultEvent).values({
    id: event.id,
    kind,
    poolId: fields.poolId ?? null,
    token: fields.token ?? null,
    account: fields.account ?? null,
    amount: fields.amount ?? null,
    args: json,
    ...eventColumns(event),
  });
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
    createdAtBlock: event.block.number,
    createdAt: now,
  });
  await addToTokenTotal(context, token, {}, 1);
});

ponder.on("RoyaltyVault:RevenueDeposited", async ({ event, context }) => {
  const { poolId, depositor, amountReceived, fee } = event.args;
  const row = await getPool(context, poolId, event);
  // The new rate and end of stream are not in the event: they follow from it (IRoyaltyVault.RevenueDeposited).
  const next = credit(streamOf(row), amountReceived - fee, row.duration, event.block.timestamp);
  await context.db.update(pool, { id: poolId }).set({
    ...next,
    deposited: row.deposited + amountReceived,
    fees: row.fees + fee,
    depositCount: row.depositCount + 1,
  });
  await context.db.insert(depositEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    depositor,
    amountReceived,
    fee,
    ratePerSecond: next.ratePerSecond,
    streamEnd: next.streamEnd,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { deposited: amountReceived, fees: fee });
});

/** UnitsSet and ContributionRemoved: checkpoint the pool, settle the position, give it its new units. */
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
    removed: boolean;
  },
) {
  const row = await getPool(context, values.poolId, event);
  const now = event.block.timestamp;
  const checkpoint = advance(streamOf(row), now);
  check("accumulator", checkpoint.accPerUnit, values.accPerUnit, event);
  check("carried remainder", checkpoint.carry, values.carriedRemainder, event);
  check("stream end", checkpoint.streamEnd, BigInt(values.streamEnd), event);

  const before = await getPosition(context, row, values.contributionId);
  check("previous units", before.units, values.previousUnits, event);
  const after = settle(before, checkpoint.accPerUnit, values.units);
  await context.db
    .insert(position)
    .values({
      ...before,
      ...after,
      removedForConsent: values.removed,
      updatedAtBlock: event.block.number,
    })
    .onConflictDoUpdate({ ...after, removedForConsent: values.removed, updatedAtBlock: event.block.number });

  const joined = before.units === 0n && values.units !== 0n ? 1 : before.units !== 0n && values.units === 0n ? -1 : 0;
  await context.db.update(pool, { id: values.poolId }).set({
    ...checkpoint,
    totalUnits: values.totalUnits,
    contributionCount: row.contributionCount + joined,
  });
  await context.db.insert(unitsEvent).values({
    id: event.id,
    poolId: values.poolId,
    contributionId: values.contributionId,
    change: values.removed ? "removed_for_consent" : "set",
    caller: values.caller,
    previousUnits: values.previousUnits,
    units: values.units,
    totalUnits: values.totalUnits,
    accPerUnit: values.accPerUnit,
    carriedRemainder: values.carriedRemainder,
    streamEnd: BigInt(values.streamEnd),
    ...eventColumns(event),
  });
}

ponder.on("RoyaltyVault:UnitsSet", async ({ event, context }) => {
  await changeUnits(context, event, { ...event.args, caller: event.transaction.from, removed: false });
});

ponder.on("RoyaltyVault:ContributionRemoved", async ({ event, context }) => {
  await changeUnits(context, event, { ...event.args, units: 0n, removed: true });
});

ponder.on("RoyaltyVault:RoyaltiesClaimed", async ({ event, context }) => {
  const { poolId, contributionId, author, recipient, amount } = event.args;
  const row = await getPool(context, poolId, event);
  const before = await getPosition(context, row, contributionId);
  // A claim does not checkpoint the pool: it settles the position at the accumulator computed for this block.
  const settled = settleClaim(before, accPerUnitAt(streamOf(row), event.block.timestamp));
  check("claimed amount", settled.amount, amount, event);
  await context.db
    .insert(position)
    .values({ ...before, ...settled.position, claimed: before.claimed + amount, updatedAtBlock: event.block.number })
    .onConflictDoUpdate({ ...settled.position, claimed: before.claimed + amount, updatedAtBlock: event.block.number });
  await context.db.update(pool, { id: poolId }).set({ claimed: row.claimed + amount, claimCount: row.claimCount + 1 });
  await context.db.insert(claimEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    contributionId,
    author,
    recipient,
    amount,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { claimed: amount });
});

ponder.on("RoyaltyVault:PayoutDeferred", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(deferredBalance)
    .values({ id: `${token}-${account}`, token, account, amount })
    .onConflictDoUpdate((row) => ({ amount: row.amount + amount }));
  await addToTokenTotal(context, token, { deferred: amount });
  await logVaultEvent(context, event, "payout_deferred", { token, account, amount }, event.args);
});

ponder.on("RoyaltyVault:DeferredWithdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .update(deferredBalance, { id: `${token}-${account}` })
    .set((row) => ({ amount: row.amount - amount }));
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
