// Mirrors every event of AttributionEpochs (registered only when the deployment has it: ponder.config.ts). Stored
// state is what the events state: a pool's funded and claimed totals from EpochPoolFunded and EpochClaimed, its
// accepted and pending epochs from EpochPublished and EpochVetoed, each epoch's whole manifest, each contribution's
// claimed total and confirmation. What the state before an event gives is only cross-checked against it: a
// disagreement is recorded (epoch_mismatch_event, the pool's replayMismatches, a log line) and never stops the
// indexer, since the event is the chain's word. Rows with a natural key are written by upsert, so an id the contract
// can state twice (a second confirmation, a second deferral to one account) never fails a handler.
import { ponder, type Context, type Event } from "ponder:registry";
import {
  epoch,
  epochClaimEvent,
  epochDeferredBalance,
  epochEvent,
  epochFundingEvent,
  epochMismatchEvent,
  epochPool,
  epochPosition,
  epochTokenTotal,
  epochVetoEvent,
} from "ponder:schema";

import { loadSettings } from "../config.ts";
import { payableEpochAt } from "./epochStatus.ts";
import { eventColumns, ledgerRow, type LedgerFields } from "./eventColumns.ts";

type Hex = `0x${string}`;
type PoolRow = typeof epochPool.$inferSelect;
type PositionRow = typeof epochPosition.$inferSelect;
type EpochRow = typeof epoch.$inferSelect;

/** A value the indexed state gives, next to the one the event states. */
type Comparison = [field: string, replayed: bigint | number, stated: bigint | number];

/** Records the fields where the state before the event disagrees with it; returns how many events differed (0 or 1). */
async function crossCheck(
  context: Context,
  event: Event,
  name: string,
  ids: { poolId: bigint; contributionId?: Hex },
  comparisons: Comparison[],
): Promise<number> {
  const differing = comparisons.filter(([, replayed, stated]) => BigInt(replayed) !== BigInt(stated));
  if (differing.length === 0) return 0;
  const fields = Object.fromEntries(
    differing.map(([field, replayed, stated]) => [field, { replayed: String(replayed), stated: String(stated) }]),
  );
  console.warn(
    `${name} ${event.id} (epoch pool ${ids.poolId}) differs from the indexed state: ${JSON.stringify(fields)}`,
  );
  await context.db
    .insert(epochMismatchEvent)
    .values({
      id: event.id,
      event: name,
      poolId: ids.poolId,
      contributionId: ids.contributionId ?? null,
      fields,
      ...eventColumns(event),
    })
    .onConflictDoNothing();
  return 1;
}

const ZERO: Hex = "0x0000000000000000000000000000000000000000";

/** What a pool's events change, as it stands at its creation. */
const NEW_POOL_STATE = {
  funded: 0n,
  received: 0n,
  fees: 0n,
  claimed: 0n,
  reclaimed: 0n,
  closed: false,
  closedAt: null,
  epochCount: 0,
  acceptedEpoch: 0,
  pendingEpoch: 0,
  pendingAcceptableAt: null,
  lastPublishedAt: null,
  fundingCount: 0,
  claimCount: 0,
  replayMismatches: 0,
} satisfies Partial<PoolRow>;

/**
 * The pool an event names. The contract emits no event of a pool before its EpochPoolCreated; should the indexer
 * ever lack the row (a deployment file whose start block is too late), it stands in an empty ETH pool with zero
 * roles, counts the disagreement in its replayMismatches, and goes on.
 */
async function getPool(context: Context, event: Event, poolId: bigint): Promise<PoolRow> {
  const row = await context.db.find(epochPool, { id: poolId });
  if (row !== null) return row;
  console.warn(`${event.id} names epoch pool ${poolId}, whose creation the indexer never saw`);
  const missing: PoolRow = {
    id: poolId,
    token: ZERO,
    admin: ZERO,
    creator: ZERO,
    publisher: ZERO,
    challenger: ZERO,
    challengeWindow: 0n,
    reclaimDelay: 0n,
    metadataUri: "",
    ...NEW_POOL_STATE,
    replayMismatches: 1,
    createdAt: event.block.timestamp,
    createdAtBlock: event.block.number,
    transactionHash: event.transaction.hash,
  };
  await context.db.insert(epochPool).values(missing).onConflictDoNothing();
  return missing;
}

/**
 * `ponder.on` when the deployment has the epochs contract, else nothing: ponder.config.ts indexes the contract only
 * then, and Ponder refuses a handler of a contract it does not index.
 */
const indexed = loadSettings().epochs !== undefined;
const on = ((name, handler) => {
  if (indexed) ponder.on(name, handler);
}) as typeof ponder.on;

const epochKey = (poolId: bigint, epochId: number) => `${poolId}-${epochId}`;

/** The stored position, or the empty one a (pool, contribution) has before its first event. */
async function getPosition(context: Context, row: PoolRow, contributionId: Hex): Promise<PositionRow> {
  const id = `${row.id}-${contributionId}`;
  return (
    (await context.db.find(epochPosition, { id })) ?? {
      id,
      poolId: row.id,
      contributionId,
      token: row.token,
      claimed: 0n,
      claimCount: 0,
      lastEpochId: null,
      confirmedAt: null,
      confirmedAuthor: null,
      updatedAtBlock: 0n,
    }
  );
}

async function writePosition(context: Context, before: PositionRow, changes: Partial<PositionRow>, block: bigint) {
  const set = { ...changes, updatedAtBlock: block };
  await context.db
    .insert(epochPosition)
    .values({ ...before, ...set })
    .onConflictDoUpdate(set);
}

const TOKEN_TOTALS = [
  "received",
  "fees",
  "feesCollected",
  "claimed",
  "reclaimed",
  "deferred",
  "deferredWithdrawn",
] as const;

/** Adds `delta` (and `pools` created) to the token's totals over every epoch pool. */
async function addToTokenTotal(
  context: Context,
  token: Hex,
  delta: Partial<Record<(typeof TOKEN_TOTALS)[number], bigint>>,
  pools = 0,
) {
  const values = Object.fromEntries(TOKEN_TOTALS.map((name) => [name, delta[name] ?? 0n])) as Record<
    (typeof TOKEN_TOTALS)[number],
    bigint
  >;
  await context.db
    .insert(epochTokenTotal)
    .values({ id: token, poolCount: pools, ...values })
    .onConflictDoUpdate((row) => ({
      poolCount: row.poolCount + pools,
      ...(Object.fromEntries(TOKEN_TOTALS.map((name) => [name, row[name] + values[name]])) as typeof values),
    }));
}

async function logEpochEvent(
  context: Context,
  event: Event,
  kind: (typeof epochEvent.$inferInsert)["kind"],
  fields: LedgerFields,
  args: Record<string, unknown>,
) {
  await context.db.insert(epochEvent).values(ledgerRow(event, kind, fields, args));
}

on("AttributionEpochs:EpochPoolCreated", async ({ event, context }) => {
  const { poolId, token, admin, creator, publisher, challenger, challengeWindow, reclaimDelay, metadataUri } =
    event.args;
  const values = {
    token,
    admin,
    creator,
    publisher,
    challenger,
    challengeWindow: BigInt(challengeWindow),
    reclaimDelay: BigInt(reclaimDelay),
    metadataUri,
    createdAt: event.block.timestamp,
    createdAtBlock: event.block.number,
    transactionHash: event.transaction.hash,
  };
  // Ids count up, so a second creation of one id cannot happen on one chain; were it stated, the event wins.
  await context.db
    .insert(epochPool)
    .values({
      id: poolId,
      ...values,
      ...NEW_POOL_STATE,
    })
    .onConflictDoUpdate(values);
  await addToTokenTotal(context, token, {}, 1);
});

on("AttributionEpochs:PublisherSet", async ({ event, context }) => {
  const { poolId, publisher } = event.args;
  await getPool(context, event, poolId);
  await context.db.update(epochPool, { id: poolId }).set({ publisher });
  await logEpochEvent(context, event, "publisher_set", { poolId, account: publisher }, event.args);
});

on("AttributionEpochs:ChallengerSet", async ({ event, context }) => {
  const { poolId, challenger } = event.args;
  await getPool(context, event, poolId);
  await context.db.update(epochPool, { id: poolId }).set({ challenger });
  await logEpochEvent(context, event, "challenger_set", { poolId, account: challenger }, event.args);
});

on("AttributionEpochs:EpochPoolFunded", async ({ event, context }) => {
  const { poolId, funder, amountReceived, fee, funded } = event.args;
  const row = await getPool(context, event, poolId);
  const mismatches = await crossCheck(context, event, "EpochPoolFunded", { poolId }, [
    ["funded", row.funded + amountReceived - fee, funded],
  ]);
  await context.db.update(epochPool, { id: poolId }).set({
    funded,
    received: row.received + amountReceived,
    fees: row.fees + fee,
    fundingCount: row.fundingCount + 1,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await context.db.insert(epochFundingEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    funder,
    amountReceived,
    fee,
    funded,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { received: amountReceived, fees: fee });
});

on("AttributionEpochs:EpochPublished", async ({ event, context }) => {
  const { poolId, epochId, publisher, manifest } = event.args;
  const acceptableAt = BigInt(event.args.acceptableAt);
  const acceptedEpoch = Number(event.args.acceptedEpoch);
  const now = event.block.timestamp;
  const row = await getPool(context, event, poolId);
  const mismatches = await crossCheck(context, event, "EpochPublished", { poolId }, [
    ["epochId", row.epochCount + 1, epochId],
    ["acceptableAt", now + row.challengeWindow, acceptableAt],
    ["acceptedEpoch", payableEpochAt(row, now), acceptedEpoch],
    ["previousEpoch", acceptedEpoch, manifest.previousEpoch],
  ]);

  // The publication records the pending epoch whose window passed as accepted: the epoch accepted before it stopped
  // paying when that window passed.
  if (acceptedEpoch !== row.acceptedEpoch && row.acceptedEpoch !== 0) {
    const next = await context.db.find(epoch, { id: epochKey(poolId, acceptedEpoch) });
    await context.db
      .update(epoch, { id: epochKey(poolId, row.acceptedEpoch) })
      .set({ supersededBy: acceptedEpoch, supersededAt: next?.acceptableAt ?? null });
  }

  const values = {
    poolId,
    epochId,
    publisher,
    publishedAt: now,
    acceptableAt,
    acceptedEpoch,
    root: manifest.root,
    total: manifest.total,
    methodId: manifest.methodId,
    methodHash: manifest.methodHash,
    modelHash: manifest.modelHash,
    snapshotBlock: manifest.snapshotBlock,
    eligibleHash: manifest.eligibleHash,
    usageLogHash: manifest.usageLogHash,
    leafFileHash: manifest.leafFileHash,
    leafFileUri: manifest.leafFileUri,
    previousEpoch: manifest.previousEpoch,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  };
  await context.db
    .insert(epoch)
    .values({
      id: epochKey(poolId, epochId),
      ...values,
      vetoedAt: null,
      vetoedBy: null,
      vetoReason: null,
      supersededBy: null,
      supersededAt: null,
      claimCount: 0,
      claimed: 0n,
    })
    .onConflictDoUpdate(values);
  await context.db.update(epochPool, { id: poolId }).set({
    epochCount: Math.max(row.epochCount, epochId),
    acceptedEpoch,
    pendingEpoch: epochId,
    pendingAcceptableAt: acceptableAt,
    lastPublishedAt: now,
    replayMismatches: row.replayMismatches + mismatches,
  });
});

on("AttributionEpochs:EpochVetoed", async ({ event, context }) => {
  const { poolId, epochId, challenger, reason } = event.args;
  const acceptedEpoch = Number(event.args.acceptedEpoch);
  const row = await getPool(context, event, poolId);
  const mismatches = await crossCheck(context, event, "EpochVetoed", { poolId }, [
    ["epochId", row.pendingEpoch, epochId],
    ["acceptedEpoch", row.acceptedEpoch, acceptedEpoch],
  ]);
  await context.db
    .update(epoch, { id: epochKey(poolId, epochId) })
    .set({ vetoedAt: event.block.timestamp, vetoedBy: challenger, vetoReason: reason });
  await context.db.update(epochPool, { id: poolId }).set({
    acceptedEpoch,
    pendingEpoch: 0,
    pendingAcceptableAt: null,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await context.db.insert(epochVetoEvent).values({
    id: event.id,
    poolId,
    epochId,
    challenger,
    acceptedEpoch,
    reason,
    ...eventColumns(event),
  });
});

on("AttributionEpochs:EpochClaimed", async ({ event, context }) => {
  const { poolId, contributionId, author, epochId, recipient, amount, claimed, poolClaimed } = event.args;
  const row = await getPool(context, event, poolId);
  const before = await getPosition(context, row, contributionId);
  const proven: EpochRow | null = await context.db.find(epoch, { id: epochKey(poolId, epochId) });
  const mismatches = await crossCheck(context, event, "EpochClaimed", { poolId, contributionId }, [
    ["claimed", before.claimed + amount, claimed],
    ["poolClaimed", row.claimed + amount, poolClaimed],
    ["epochId", payableEpochAt(row, event.block.timestamp), epochId],
  ]);
  await writePosition(
    context,
    before,
    { claimed, claimCount: before.claimCount + 1, lastEpochId: epochId },
    event.block.number,
  );
  await context.db.update(epochPool, { id: poolId }).set({
    claimed: poolClaimed,
    claimCount: row.claimCount + 1,
    replayMismatches: row.replayMismatches + mismatches,
  });
  if (proven !== null) {
    await context.db
      .update(epoch, { id: proven.id })
      .set({ claimCount: proven.claimCount + 1, claimed: proven.claimed + amount });
  }
  await context.db.insert(epochClaimEvent).values({
    id: event.id,
    poolId,
    token: row.token,
    contributionId,
    author,
    epochId,
    recipient,
    amount,
    claimed,
    poolClaimed,
    ...eventColumns(event),
  });
  await addToTokenTotal(context, row.token, { claimed: amount });
});

on("AttributionEpochs:PayoutDeferred", async ({ event, context }) => {
  // One per contribution, after its EpochClaimed; `account` is the author credited (the failed recipient is in args).
  const { poolId, contributionId, account, token, amount } = event.args;
  await context.db
    .insert(epochDeferredBalance)
    .values({ id: `${token}-${account}`, token, account, amount })
    .onConflictDoUpdate((row) => ({ amount: row.amount + amount }));
  await addToTokenTotal(context, token, { deferred: amount });
  await logEpochEvent(
    context,
    event,
    "payout_deferred",
    { poolId, contributionId, token, account, amount },
    event.args,
  );
});

on("AttributionEpochs:DeferredWithdrawn", async ({ event, context }) => {
  const { token, account, amount } = event.args;
  await context.db
    .insert(epochDeferredBalance)
    .values({ id: `${token}-${account}`, token, account, amount: -amount })
    .onConflictDoUpdate((row) => ({ amount: row.amount - amount }));
  await addToTokenTotal(context, token, { deferredWithdrawn: amount });
  await logEpochEvent(context, event, "deferred_withdrawn", { token, account, amount }, event.args);
});

on("AttributionEpochs:AuthorConfirmed", async ({ event, context }) => {
  // The admin may confirm again (after a supersession, say): the latest confirmation is the one the contract keeps.
  const { poolId, contributionId, author, registeredAt } = event.args;
  const row = await getPool(context, event, poolId);
  const before = await getPosition(context, row, contributionId);
  await writePosition(
    context,
    before,
    { confirmedAt: BigInt(registeredAt), confirmedAuthor: author },
    event.block.number,
  );
  await logEpochEvent(context, event, "author_confirmed", { poolId, contributionId, account: author }, event.args);
});

on("AttributionEpochs:UnclaimedReclaimed", async ({ event, context }) => {
  const { poolId, to, amount } = event.args;
  const row = await getPool(context, event, poolId);
  const mismatches = await crossCheck(context, event, "UnclaimedReclaimed", { poolId }, [
    ["amount", row.funded - row.claimed, amount],
  ]);
  // The event states that the pool's funded total is now its claims, and that the pool is closed for good.
  await context.db.update(epochPool, { id: poolId }).set({
    funded: row.claimed,
    reclaimed: row.reclaimed + amount,
    closed: true,
    closedAt: event.block.timestamp,
    replayMismatches: row.replayMismatches + mismatches,
  });
  await addToTokenTotal(context, row.token, { reclaimed: amount });
  await logEpochEvent(
    context,
    event,
    "unclaimed_reclaimed",
    { poolId, token: row.token, account: to, amount },
    event.args,
  );
});

on("AttributionEpochs:FeesCollected", async ({ event, context }) => {
  const { token, feeRecipient, amount } = event.args;
  await addToTokenTotal(context, token, { feesCollected: amount });
  await logEpochEvent(context, event, "fees_collected", { token, account: feeRecipient, amount }, event.args);
});
