// REST routes over the vault's tables: pools and their ledgers, an author's earnings, and the solvency report.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono, type Context } from "hono";
import { asc, eq, gt, inArray } from "ponder";

import { accPerUnitAt, advance, claimableAt, notYetStreamed, streamOf } from "../../streamMath.ts";
import { balanceAt, indexerSettings as settings } from "../chain.ts";
import {
  epochEarningsOfAuthor,
  epochEarningsOfContribution,
  epochLeafEarningsOfAuthor,
  epochLeafEarningsOfContribution,
  epochSolvency,
  epochTokenTotals,
} from "./epochs.ts";
import { indexedHead } from "../head.ts";
import { eventPage } from "../pages.ts";
import {
  parsePoolId,
  decodeCursor,
  encodeCursor,
  errorBody,
  parseAddress,
  parseHash,
  pageQuery,
  parseLimit,
  toJson,
  type Hex,
} from "../http.ts";

type PoolRow = typeof schema.pool.$inferSelect;
type PositionRow = typeof schema.position.$inferSelect;

/** A pool as an auditor reads it: configuration, totals, and its stream moved to the indexed head. */
function describePool(row: PoolRow, now: bigint) {
  const stream = advance(streamOf(row), now > row.lastUpdate ? now : row.lastUpdate);
  const owed = row.deposited - row.fees - row.claimed;
  const { id, ...columns } = row;
  return {
    poolId: id,
    ...columns,
    stream: {
      at: now,
      ratePerSecond: row.ratePerSecond,
      streamEnd: stream.streamEnd,
      streaming: stream.streamEnd > now && row.ratePerSecond > 0n,
      /** Scaled token units; divide by 1e9 for token units. */
      notYetStreamedScaled: notYetStreamed(stream),
      carriedRemainderScaled: stream.carry,
    },
    /** Owed to the pool's contributions (claimable or still streaming), in token units. */
    liabilities: owed,
  };
}

type RecordDate = { registeredAt: bigint } | undefined;

/**
 * The contract's `canClaim`: whether the escrow rule lets the registered record claim the position now. A position
 * the pool gave units while its hash was unregistered pays only a record dated before the pool made the hash public,
 * or the very record the pool's admin confirmed (same date).
 */
export function canClaim(p: PositionRow, record: RecordDate): boolean {
  if (!p.escrowed) return true;
  if (record === undefined) return false;
  return (p.exposedAt !== null && record.registeredAt < p.exposedAt) || record.registeredAt === p.confirmedAt;
}

/** A position's escrow, as the API shows it. */
const escrowOf = (p: PositionRow, record: RecordDate) => ({
  escrowed: p.escrowed,
  exposedAt: p.exposedAt,
  confirmedAt: p.confirmedAt,
  confirmedAuthor: p.confirmedAuthor,
  canClaim: canClaim(p, record),
});

/** A contribution's positions in every pool, with what it claimed and can claim at the indexed head. */
export async function contributionEarnings(id: Hex) {
  const [positions, [record], { timestamp, blockNumber }, epochPools] = await Promise.all([
    db.select().from(schema.position).where(eq(schema.position.contributionId, id)),
    db
      .select({ registeredAt: schema.contribution.registeredAt })
      .from(schema.contribution)
      .where(eq(schema.contribution.id, id))
      .limit(1),
    indexedHead(),
    epochEarningsOfContribution(id),
  ]);
  const pools = positions.length
    ? await db
        .select()
        .from(schema.pool)
        .where(
          inArray(
            schema.pool.id,
            positions.map((p) => p.poolId),
          ),
        )
    : [];
  const poolById = new Map(pools.map((p) => [p.id, p]));
  return {
    at: timestamp,
    atBlock: blockNumber,
    pools: positions.map((p) => {
      const row = poolById.get(p.poolId)!;
      const at = timestamp > row.lastUpdate ? timestamp : row.lastUpdate;
      const claimable = claimableAt(streamOf(row), p, at);
      return {
        poolId: p.poolId,
        token: p.token,
        units: p.units,
        removedForConsent: p.removedForConsent,
        claimed: p.claimed,
        claimable,
        accrued: p.claimed + claimable,
        accPerUnit: accPerUnitAt(streamOf(row), at),
        ...escrowOf(p, record),
      };
    }),
    epochPools,
  };
}

/** A token's running totals, keyed by `token` like every other answer that names one. */
function tokenTotal({ id, ...totals }: typeof schema.tokenTotal.$inferSelect) {
  return { token: id, ...totals };
}

type LedgerTable = typeof schema.depositEvent | typeof schema.claimEvent | typeof schema.unitsEvent;

/** `GET /pools/:poolId/<ledger>`: one page of a pool's deposits, claims or unit changes, oldest first. */
function ledgerRoute<T extends LedgerTable>(table: T) {
  return async (c: Context) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const limit = parseLimit(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const [row] = await db.select({ id: schema.pool.id }).from(schema.pool).where(eq(schema.pool.id, poolId));
    if (row === undefined) return c.json(errorBody(`no pool ${poolId}`), 404);
    return c.json(toJson({ poolId, ...(await eventPage(table, poolId, limit, cursor)) }), 200);
  };
}

/** The routes over the vault's tables; chained so that their answer types reach `ApiRoutes` (index.ts). */
export const vaultRoutes = new Hono()
  .get("/pools", pageQuery, async (c) => {
    const limit = parseLimit(c.req.query("limit"));
    const cursor = decodeCursor(c.req.query("cursor"), ["uint"]);
    const rows = await db
      .select()
      .from(schema.pool)
      .where(cursor ? gt(schema.pool.id, BigInt(cursor[0]!)) : undefined)
      .orderBy(asc(schema.pool.id))
      .limit(limit + 1);
    const { timestamp } = await indexedHead();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return c.json(
      toJson({
        items: items.map((row) => describePool(row, timestamp)),
        nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null,
      }),
      200,
    );
  })
  .get("/pools/:poolId", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const [row] = await db.select().from(schema.pool).where(eq(schema.pool.id, poolId)).limit(1);
    if (row === undefined) return c.json(errorBody(`no pool ${poolId}`), 404);
    const { timestamp } = await indexedHead();
    return c.json(toJson(describePool(row, timestamp)), 200);
  })
  .get("/pools/:poolId/deposits", pageQuery, ledgerRoute(schema.depositEvent))
  .get("/pools/:poolId/claims", pageQuery, ledgerRoute(schema.claimEvent))
  .get("/pools/:poolId/units", pageQuery, ledgerRoute(schema.unitsEvent))
  .get("/authors/:address/earnings", async (c) => {
    const wallet = parseAddress(c.req.param("address"), "address");
    const [contributions, deferred] = await Promise.all([
      db
        .select({ id: schema.contribution.id, registeredAt: schema.contribution.registeredAt })
        .from(schema.contribution)
        .where(eq(schema.contribution.author, wallet)),
      db
        .select({ token: schema.deferredBalance.token, amount: schema.deferredBalance.amount })
        .from(schema.deferredBalance)
        .where(eq(schema.deferredBalance.account, wallet))
        .orderBy(asc(schema.deferredBalance.token)),
    ]);
    const ids = contributions.map((row) => row.id);
    const recordOf = new Map(contributions.map((row) => [row.id, row]));
    const positions: PositionRow[] = ids.length
      ? await db.select().from(schema.position).where(inArray(schema.position.contributionId, ids))
      : [];
    const poolIds = [...new Set(positions.map((p) => p.poolId))];
    const pools = poolIds.length ? await db.select().from(schema.pool).where(inArray(schema.pool.id, poolIds)) : [];
    const poolById = new Map(pools.map((p) => [p.id, p]));
    const head = await indexedHead();
    const { timestamp, blockNumber } = head;
    const epochs = await epochEarningsOfAuthor(wallet, ids);
    const epochLeaves = await epochLeafEarningsOfAuthor(
      wallet,
      head,
      epochs.epochPools.map((p) => p.poolId),
    );

    const perPool = new Map<
      bigint,
      { poolId: bigint; token: Hex; claimed: bigint; claimable: bigint; escrowHeld: bigint; contributions: number }
    >();
    for (const p of positions) {
      const row = poolById.get(p.poolId)!;
      const claimable = claimableAt(streamOf(row), p, timestamp > row.lastUpdate ? timestamp : row.lastUpdate);
      const entry = perPool.get(p.poolId) ?? {
        poolId: p.poolId,
        token: row.token,
        claimed: 0n,
        claimable: 0n,
        escrowHeld: 0n,
        contributions: 0,
      };
      entry.claimed += p.claimed;
      entry.claimable += claimable;
      if (!canClaim(p, recordOf.get(p.contributionId))) entry.escrowHeld += claimable;
      entry.contributions += 1;
      perPool.set(p.poolId, entry);
    }
    const pools_ = [...perPool.values()].map((e) => ({ ...e, accrued: e.claimed + e.claimable }));
    const perToken = new Map<Hex, { token: Hex; accrued: bigint; claimed: bigint; claimable: bigint }>();
    for (const e of pools_) {
      const t = perToken.get(e.token) ?? { token: e.token, accrued: 0n, claimed: 0n, claimable: 0n };
      t.accrued += e.accrued;
      t.claimed += e.claimed;
      t.claimable += e.claimable;
      perToken.set(e.token, t);
    }
    return c.json(
      toJson({
        author: wallet,
        at: timestamp,
        atBlock: blockNumber,
        contributions: ids.length,
        pools: pools_,
        tokens: [...perToken.values()],
        deferred,
        ...epochs,
        ...epochLeaves,
        epochTokens: epochTokenTotals(epochLeaves.epochs),
      }),
      200,
    );
  })
  .get("/contributions/:contributionId/earnings", async (c) => {
    const id = parseHash(c.req.param("contributionId"), "contributionId");
    const [earnings, epochs] = await Promise.all([
      contributionEarnings(id),
      indexedHead().then((head) => epochLeafEarningsOfContribution(id, head)),
    ]);
    return c.json(
      toJson({ contributionId: id, ...earnings, ...epochs, epochTokens: epochTokenTotals(epochs.epochs) }),
      200,
    );
  })
  // Reads the vault's balances from the chain: never served from the answer cache (see ../index.ts). Balances and
  // liabilities are of one block, the indexed head: a balance read at the node's latest block would already have paid
  // out claims that the liabilities, recomputed from the events indexed so far, still count as owed.
  .get("/audit/solvency", async (c) => {
    const { vault } = settings();
    const [totals, pools, head] = await Promise.all([
      db.select().from(schema.tokenTotal),
      db.select().from(schema.pool).orderBy(asc(schema.pool.id)),
      indexedHead(),
    ]);
    const tokens = [];
    for (const total of totals) {
      const poolLiabilities = total.deposited - total.fees - total.claimed;
      const feesOwed = total.fees - total.feesCollected;
      const deferredOwed = total.deferred - total.deferredWithdrawn;
      const liabilities = poolLiabilities + feesOwed + deferredOwed;
      const { balance, balanceError } = await balanceAt(total.id, vault.address, head.blockNumber, "vault");
      tokens.push({
        token: total.id,
        balance,
        liabilities,
        difference: balance === null ? null : balance - liabilities,
        solvent: balance === null ? null : balance >= liabilities,
        breakdown: { pools: poolLiabilities, feesOwed, deferredOwed },
        totals: tokenTotal(total),
        ...(balanceError ? { error: balanceError } : {}),
      });
    }
    const epochs = await epochSolvency(head);
    return c.json(
      toJson({
        vault: vault.address,
        at: head,
        solvent: tokens.every((t) => t.solvent !== false) && epochs?.solvent !== false,
        tokens,
        pools: pools.map((row) => {
          const described = describePool(row, head.timestamp);
          return {
            poolId: row.id,
            token: row.token,
            liabilities: described.liabilities,
            notYetStreamedScaled: described.stream.notYetStreamedScaled,
            carriedRemainderScaled: described.stream.carriedRemainderScaled,
            replayMismatches: row.replayMismatches,
          };
        }),
        epochs,
      }),
      200,
    );
  })
  .get("/stats", async (c) => {
    const [contributions, authors, pools, totals, head] = await Promise.all([
      db.$count(schema.contribution),
      db.$count(schema.author, gt(schema.author.contributionCount, 0)),
      db.$count(schema.pool),
      db.select().from(schema.tokenTotal),
      indexedHead(),
    ]);
    return c.json(toJson({ at: head, contributions, authors, pools, tokens: totals.map(tokenTotal) }), 200);
  });
