// REST routes over the epochs contract's tables: epoch pools, a pool's epochs with their manifests and where each
// stands, its fundings and claims; and the epoch parts of the earnings and solvency answers (vault.ts). Where an epoch
// stands depends on the time (a pending root pays once its window passes, with no event): it is computed at the
// indexed head's timestamp (../../epochStatus.ts), so an answer matches the contract's views at that block.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono, type Context } from "hono";
import { and, asc, eq, gt, inArray } from "ponder";

import { epochStatusAt, payableEpochAt } from "../../epochStatus.ts";
import { balanceAt, indexerSettings } from "../chain.ts";
import { indexedHead, type Head } from "../head.ts";
import { eventPage } from "../pages.ts";
import { leafFiles } from "./leaves.ts";
import { BadRequest, decodeCursor, encodeCursor, errorBody, pageQuery, parseLimit, toJson, type Hex } from "../http.ts";

type PoolRow = typeof schema.epochPool.$inferSelect;
type EpochRow = typeof schema.epoch.$inferSelect;

const UINT32_MAX = 2 ** 32 - 1;

function parsePoolId(value: string | undefined): bigint {
  if (value === undefined || !/^[1-9]\d{0,30}$/.test(value)) {
    throw new BadRequest("poolId", "poolId must be a positive whole number");
  }
  return BigInt(value);
}

function parseEpochId(value: string | undefined): number {
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > UINT32_MAX) {
    throw new BadRequest("epochId", `epochId must be a whole number from 1 to ${UINT32_MAX}`);
  }
  return Number(value);
}

const epochKey = (poolId: bigint, epochId: number) => `${poolId}-${epochId}`;

/** The totals of the given epochs of pools, keyed by `poolId-epochId`. */
async function epochTotals(keys: string[]): Promise<Map<string, bigint>> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: schema.epoch.id, total: schema.epoch.total })
    .from(schema.epoch)
    .where(inArray(schema.epoch.id, unique));
  return new Map(rows.map((row) => [row.id, row.total]));
}

/**
 * An epoch pool as the contract's `getPool` shows it at `now`, with its stored totals. `pendingEpoch` is the epoch in
 * its challenge window now (0 when none), `payableEpoch` the one claims prove against now, and `acceptedEpoch` the
 * accepted epoch the last publication or veto recorded.
 */
function describePool(row: PoolRow, now: bigint, totals: Map<string, bigint>) {
  const payableEpoch = payableEpochAt(row, now);
  const pendingEpoch = row.pendingEpoch === payableEpoch ? 0 : row.pendingEpoch;
  const { id, pendingEpoch: _recorded, pendingAcceptableAt, ...columns } = row;
  return {
    poolId: id,
    ...columns,
    payableEpoch,
    pendingEpoch,
    pendingAcceptableAt: pendingEpoch === 0 ? null : pendingAcceptableAt,
    payableTotal: payableEpoch === 0 ? 0n : (totals.get(epochKey(id, payableEpoch)) ?? 0n),
    /** Funded and not claimed: what the pool still owes its claimants (0 once reclaimed). */
    unclaimed: row.funded - row.claimed,
  };
}

const payableKeys = (rows: PoolRow[], now: bigint) =>
  rows.map((row) => epochKey(row.id, payableEpochAt(row, now))).filter((key) => !key.endsWith("-0"));

/** An epoch with its manifest and where it stands at `now`. */
function describeEpoch(row: EpochRow, pool: PoolRow, now: bigint) {
  const status = epochStatusAt(pool, row.epochId, row.vetoedAt !== null, now);
  // Superseded by time since the last publication: the pending epoch whose window passed pays instead.
  const supersededNow = status === "superseded" && row.supersededBy === null;
  return {
    poolId: row.poolId,
    epochId: row.epochId,
    status,
    publisher: row.publisher,
    publishedAt: row.publishedAt,
    acceptableAt: row.acceptableAt,
    acceptedEpoch: row.acceptedEpoch,
    manifest: {
      root: row.root,
      total: row.total,
      methodId: row.methodId,
      methodHash: row.methodHash,
      modelHash: row.modelHash,
      snapshotBlock: row.snapshotBlock,
      eligibleHash: row.eligibleHash,
      usageLogHash: row.usageLogHash,
      leafFileHash: row.leafFileHash,
      leafFileUri: row.leafFileUri,
      previousEpoch: row.previousEpoch,
    },
    vetoedAt: row.vetoedAt,
    vetoedBy: row.vetoedBy,
    vetoReason: row.vetoReason,
    supersededBy: supersededNow ? pool.pendingEpoch : row.supersededBy,
    supersededAt: supersededNow ? pool.pendingAcceptableAt : row.supersededAt,
    claimCount: row.claimCount,
    claimed: row.claimed,
    blockNumber: row.blockNumber,
    transactionHash: row.transactionHash,
  };
}

async function findPool(poolId: bigint): Promise<PoolRow | undefined> {
  const [row] = await db.select().from(schema.epochPool).where(eq(schema.epochPool.id, poolId)).limit(1);
  return row;
}

const noPool = (c: Context, poolId: bigint) => c.json(errorBody(`no epoch pool ${poolId}`, "poolId"), 404);

/** `GET /epoch-pools/:poolId/<ledger>`: one page of a pool's fundings or claims, oldest first. */
function ledgerRoute(table: typeof schema.epochFundingEvent | typeof schema.epochClaimEvent) {
  return async (c: Context) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const limit = parseLimit(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    if ((await findPool(poolId)) === undefined) return noPool(c, poolId);
    return c.json(toJson({ poolId, ...(await eventPage(table, poolId, limit, cursor)) }), 200);
  };
}

/** A contribution's claims from every epoch pool, and the admin confirmations of its record. */
export async function epochEarningsOfContribution(contributionId: Hex) {
  const rows = await db
    .select()
    .from(schema.epochPosition)
    .where(eq(schema.epochPosition.contributionId, contributionId))
    .orderBy(asc(schema.epochPosition.poolId));
  return rows.map((p) => ({
    poolId: p.poolId,
    token: p.token,
    claimed: p.claimed,
    claimCount: p.claimCount,
    lastEpochId: p.lastEpochId,
    confirmedAt: p.confirmedAt,
    confirmedAuthor: p.confirmedAuthor,
  }));
}

/** What a wallet's contributions claimed from each epoch pool, and its deferred epoch payouts per token. */
export async function epochEarningsOfAuthor(wallet: Hex, contributionIds: Hex[]) {
  const [positions, deferred] = await Promise.all([
    contributionIds.length
      ? db.select().from(schema.epochPosition).where(inArray(schema.epochPosition.contributionId, contributionIds))
      : Promise.resolve([]),
    db
      .select({ token: schema.epochDeferredBalance.token, amount: schema.epochDeferredBalance.amount })
      .from(schema.epochDeferredBalance)
      .where(eq(schema.epochDeferredBalance.account, wallet))
      .orderBy(asc(schema.epochDeferredBalance.token)),
  ]);
  const perPool = new Map<bigint, { poolId: bigint; token: Hex; claimed: bigint; contributions: number }>();
  for (const p of positions) {
    const entry = perPool.get(p.poolId) ?? { poolId: p.poolId, token: p.token, claimed: 0n, contributions: 0 };
    entry.claimed += p.claimed;
    entry.contributions += 1;
    perPool.set(p.poolId, entry);
  }
  return {
    epochPools: [...perPool.values()].sort((a, b) => (a.poolId < b.poolId ? -1 : 1)),
    epochDeferred: deferred,
  };
}

/** The most stored epochs an earnings answer reads leaves from, newest first: a bound on its cost. */
export const EARNINGS_EPOCHS = 100;

/**
 * The stored leaf files that say what is owed now, at the indexed head: per epoch pool, its payable epoch's (what a
 * claim proves against; an older accepted epoch's amounts are inside its cumulative ones) and any later epoch's
 * (pending in its window, or vetoed), newest first, at most EARNINGS_EPOCHS. Empty without AttributionEpochs.
 */
async function earningsFiles(head: Head) {
  const opened = leafFiles();
  const none = { opened, files: [], withoutFile: [] };
  if (opened === null) return none;
  const stored = await opened.store.storedEpochs(opened.chain.chainId, opened.chain.contract);
  const poolIds = [...new Set(stored.map((file) => file.poolId))];
  if (poolIds.length === 0) return none;
  const [pools, epochs] = await Promise.all([
    db.select().from(schema.epochPool).where(inArray(schema.epochPool.id, poolIds)),
    db
      .select({ id: schema.epoch.id, vetoedAt: schema.epoch.vetoedAt })
      .from(schema.epoch)
      .where(
        inArray(
          schema.epoch.id,
          stored.map((file) => epochKey(file.poolId, file.epochId)),
        ),
      ),
  ]);
  const poolById = new Map(pools.map((row) => [row.id, row]));
  const vetoed = new Map(epochs.map((row) => [row.id, row.vetoedAt !== null]));
  const files = [];
  for (const file of stored) {
    const pool = poolById.get(file.poolId);
    // A file of an epoch the indexer has not indexed yet waits until it has.
    if (pool === undefined || !vetoed.has(epochKey(file.poolId, file.epochId))) continue;
    const status = epochStatusAt(pool, file.epochId, vetoed.get(epochKey(file.poolId, file.epochId))!, head.timestamp);
    if (status === "superseded") continue;
    files.push({ ...file, status, token: pool.token });
  }
  files.sort((a, b) => (a.poolId !== b.poolId ? (a.poolId < b.poolId ? -1 : 1) : b.epochId - a.epochId));
  // A pool whose payable epoch nobody handed in: what it owes cannot be counted here (a leaf file can).
  const storedKeys = new Set(stored.map((file) => epochKey(file.poolId, file.epochId)));
  const withoutFile = pools
    .map((pool) => ({ poolId: pool.id, epochId: payableEpochAt(pool, head.timestamp) }))
    .filter(({ poolId, epochId }) => epochId !== 0 && !storedKeys.has(epochKey(poolId, epochId)));
  return { opened, files: files.slice(0, EARNINGS_EPOCHS), withoutFile };
}

/**
 * The earnings' epoch rows, and the payable epochs whose leaf file the indexer does not hold, of the pools the rows
 * name or in which the contributions claimed before (`claimedIn`).
 */
function epochAnswer<Row extends { poolId: bigint }>(
  rows: Row[],
  withoutFile: { poolId: bigint; epochId: number }[],
  claimedIn: readonly bigint[],
) {
  const known = new Set([...rows.map((row) => row.poolId), ...claimedIn]);
  return { epochs: rows, epochsWithoutFile: withoutFile.filter(({ poolId }) => known.has(poolId)) };
}

/**
 * What the stored leaf files say a contribution is owed by epoch pools: per epoch (the payable one and any pending
 * or vetoed after it), its cumulative amount, what it claimed from the pool, and what it can claim: cumulative less
 * claimed, and only from a payable epoch (a pending one is listed with `pending`, a vetoed one pays nothing).
 */
export async function epochLeafEarningsOfContribution(contributionId: Hex, head: Head) {
  const { opened, files, withoutFile } = await earningsFiles(head);
  if (opened === null) return epochAnswer([], [], []);
  const [leaves, positions] = await Promise.all([
    opened.store.contributionLeaves(
      files.map((file) => file.fileId),
      contributionId,
    ),
    db
      .select({ poolId: schema.epochPosition.poolId, claimed: schema.epochPosition.claimed })
      .from(schema.epochPosition)
      .where(eq(schema.epochPosition.contributionId, contributionId)),
  ]);
  const claimedIn = new Map(positions.map((row) => [row.poolId, row.claimed]));
  const byFile = new Map(files.map((file) => [file.fileId, file]));
  const rows = leaves.map(({ fileId, cumulativeAmount }) => {
    const { poolId, epochId, status, token } = byFile.get(fileId)!;
    const claimed = claimedIn.get(poolId) ?? 0n;
    const owed = cumulativeAmount > claimed ? cumulativeAmount - claimed : 0n;
    return {
      poolId,
      epochId,
      status,
      token,
      cumulativeAmount,
      claimed,
      claimable: status === "payable" ? owed : 0n,
      pending: status === "pending" ? owed : 0n,
    };
  });
  return epochAnswer(rows, withoutFile, [...claimedIn.keys()]);
}

/**
 * The same for an author's contributions, added up per epoch: how many of them the epoch's leaf file names, their
 * cumulative amounts, claimed, claimable (payable epochs only) and pending (an epoch in its window).
 */
export async function epochLeafEarningsOfAuthor(author: Hex, head: Head, claimedIn: readonly bigint[]) {
  const { opened, files, withoutFile } = await earningsFiles(head);
  if (opened === null) return epochAnswer([], [], []);
  const totals = await opened.store.authorLeafTotals(
    files.map((file) => file.fileId),
    author,
  );
  const byFile = new Map(files.map((file) => [file.fileId, file]));
  const rows = totals
    .map(({ fileId, contributions, attributed, claimed, owed }) => {
      const { poolId, epochId, status, token } = byFile.get(fileId)!;
      return {
        poolId,
        epochId,
        status,
        token,
        contributions,
        cumulativeAmount: attributed,
        claimed,
        claimable: status === "payable" ? owed : 0n,
        pending: status === "pending" ? owed : 0n,
      };
    })
    .sort((a, b) => (a.poolId !== b.poolId ? (a.poolId < b.poolId ? -1 : 1) : a.epochId - b.epochId));
  return epochAnswer(rows, withoutFile, claimedIn);
}

/** Per token, what the epochs' rows can claim now and what waits in a window. */
export function epochTokenTotals(rows: readonly { token: Hex; claimable: bigint; pending: bigint }[]) {
  const perToken = new Map<Hex, { token: Hex; claimable: bigint; pending: bigint }>();
  for (const row of rows) {
    const total = perToken.get(row.token) ?? { token: row.token, claimable: 0n, pending: 0n };
    total.claimable += row.claimable;
    total.pending += row.pending;
    perToken.set(row.token, total);
  }
  return [...perToken.values()];
}

/**
 * The epochs contract's part of the solvency report, at the indexed head `head`: per token, what it owes (every
 * pool's funded − claimed, i.e. received − fees − claimed − reclaimed; fees not yet collected; deferred payouts not
 * yet withdrawn) against its balance at that block. Null when the deployment has no epochs contract.
 */
export async function epochSolvency(head: Head) {
  const contract = indexerSettings().epochs;
  if (contract === undefined) return null;
  const [totals, pools] = await Promise.all([
    db.select().from(schema.epochTokenTotal).orderBy(asc(schema.epochTokenTotal.id)),
    db.select().from(schema.epochPool).orderBy(asc(schema.epochPool.id)),
  ]);
  const tokens = [];
  for (const { id: token, ...total } of totals) {
    const poolsOwed = total.received - total.fees - total.claimed - total.reclaimed;
    const feesOwed = total.fees - total.feesCollected;
    const deferredOwed = total.deferred - total.deferredWithdrawn;
    const liabilities = poolsOwed + feesOwed + deferredOwed;
    const { balance, balanceError } = await balanceAt(token, contract.address, head.blockNumber, "epochs contract");
    tokens.push({
      token,
      balance,
      liabilities,
      difference: balance === null ? null : balance - liabilities,
      solvent: balance === null ? null : balance >= liabilities,
      breakdown: { pools: poolsOwed, feesOwed, deferredOwed },
      totals: { token, ...total },
      ...(balanceError ? { error: balanceError } : {}),
    });
  }
  return {
    contract: contract.address,
    solvent: tokens.every((t) => t.solvent !== false),
    tokens,
    pools: pools.map((row) => ({
      poolId: row.id,
      token: row.token,
      funded: row.funded,
      claimed: row.claimed,
      reclaimed: row.reclaimed,
      liabilities: row.funded - row.claimed,
      closed: row.closed,
      replayMismatches: row.replayMismatches,
    })),
  };
}

/** The routes over the epochs contract's tables; chained so that their answer types reach `ApiRoutes` (index.ts). */
export const epochRoutes = new Hono()
  .get("/epoch-pools", pageQuery, async (c) => {
    const limit = parseLimit(c.req.query("limit"));
    const cursor = decodeCursor(c.req.query("cursor"), ["uint"]);
    const [rows, head] = await Promise.all([
      db
        .select()
        .from(schema.epochPool)
        .where(cursor ? gt(schema.epochPool.id, BigInt(cursor[0]!)) : undefined)
        .orderBy(asc(schema.epochPool.id))
        .limit(limit + 1),
      indexedHead(),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const totals = await epochTotals(payableKeys(items, head.timestamp));
    return c.json(
      toJson({
        at: head,
        items: items.map((row) => describePool(row, head.timestamp, totals)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      }),
      200,
    );
  })
  .get("/epoch-pools/:poolId", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const [row, head] = await Promise.all([findPool(poolId), indexedHead()]);
    if (row === undefined) return noPool(c, poolId);
    const totals = await epochTotals(payableKeys([row], head.timestamp));
    return c.json(toJson({ at: head, ...describePool(row, head.timestamp, totals) }), 200);
  })
  .get("/epoch-pools/:poolId/fundings", pageQuery, ledgerRoute(schema.epochFundingEvent))
  .get("/epoch-pools/:poolId/claims", pageQuery, ledgerRoute(schema.epochClaimEvent))
  .get("/epochs/:poolId", pageQuery, async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const limit = parseLimit(c.req.query("limit"));
    const cursor = decodeCursor(c.req.query("cursor"), ["int32"]);
    const [pool, head] = await Promise.all([findPool(poolId), indexedHead()]);
    if (pool === undefined) return noPool(c, poolId);
    const rows = await db
      .select()
      .from(schema.epoch)
      .where(and(eq(schema.epoch.poolId, poolId), cursor ? gt(schema.epoch.epochId, Number(cursor[0])) : undefined))
      .orderBy(asc(schema.epoch.epochId))
      .limit(limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return c.json(
      toJson({
        poolId,
        at: head,
        payableEpoch: payableEpochAt(pool, head.timestamp),
        items: items.map((row) => describeEpoch(row, pool, head.timestamp)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.epochId]) : null,
      }),
      200,
    );
  })
  .get("/epochs/:poolId/:epochId", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const epochId = parseEpochId(c.req.param("epochId"));
    const [pool, [row], head] = await Promise.all([
      findPool(poolId),
      db
        .select()
        .from(schema.epoch)
        .where(eq(schema.epoch.id, epochKey(poolId, epochId)))
        .limit(1),
      indexedHead(),
    ]);
    if (pool === undefined) return noPool(c, poolId);
    if (row === undefined) return c.json(errorBody(`epoch pool ${poolId} has no epoch ${epochId}`, "epochId"), 404);
    return c.json(toJson({ at: head, ...describeEpoch(row, pool, head.timestamp) }), 200);
  });
