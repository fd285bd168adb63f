// Earnings over time for a chart: what an author's contributions (or one contribution) were paid, from vault pools
// and epoch pools, per token, cumulative at the end of each of `points` equal time buckets. The buckets are summed in
// the database (GROUP BY bucket), so an answer has at most `points` points per series whatever the number of claims;
// the claims a request may read are capped (`maxClaims`, vault and epoch claims together, TRIBUTARY_API_HISTORY_MAX_CLAIMS;
// checked first with counts that stop at the cap), and the per-contribution series of an author are those of the
// `contributions` contributions paid most (at most 20).
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono, type Context } from "hono";
import { validator } from "hono/validator";
import { and, desc, eq, inArray, lte, sql } from "ponder";

import { indexedHead } from "../head.ts";
import { BadRequest, parseAddress, parseHash, toJson, type Hex } from "../http.ts";

type SQL = ReturnType<typeof eq>;

export const DEFAULT_POINTS = 60;
export const MAX_POINTS = 200;
export const DEFAULT_CONTRIBUTIONS = 5;
export const MAX_CONTRIBUTIONS = 20;

type ClaimTable = typeof schema.claimEvent | typeof schema.epochClaimEvent;
const TABLES: ClaimTable[] = [schema.claimEvent, schema.epochClaimEvent];

function parseWhole(value: string | undefined, parameter: string, min: number, max: number, fallback: number) {
  if (value === undefined || value === "") return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new BadRequest(parameter, `${parameter} must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

function parseTime(value: string | undefined, parameter: string): bigint | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new BadRequest(parameter, `${parameter} must be a time in Unix seconds`);
  return BigInt(value);
}

const historyQuery = validator(
  "query",
  (query) => query as { points?: string; from?: string; to?: string; contributions?: string },
);

/** Whose claims: an author's (the author at claim time) or one contribution's. */
type Subject = { author: Hex } | { contributionId: Hex };

const whose = (table: ClaimTable, subject: Subject): SQL =>
  "author" in subject ? eq(table.author, subject.author) : eq(table.contributionId, subject.contributionId);

/** How many of `table`'s claims match `where`, counting no further than `cap` + 1. */
async function cappedCount(table: ClaimTable, where: SQL | undefined, cap: number): Promise<number> {
  const capped = db
    .select({ one: sql`1`.as("one") })
    .from(table)
    .where(where)
    .limit(cap + 1)
    .as("capped");
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(capped);
  return Number(row?.n ?? 0);
}

interface Bucketed {
  token: Hex;
  contributionId: Hex;
  /** The bucket's index; -1 for everything paid before `from`. */
  bucket: number;
  amount: bigint;
}

async function bucketRows(
  table: ClaimTable,
  where: SQL | undefined,
  from: bigint,
  bucketSeconds: bigint,
  byContribution: boolean,
): Promise<Bucketed[]> {
  // Before `from`: bucket -1, the series' starting value.
  // The bounds are inlined (whole numbers this route computed, never the request's text) so that the same
  // expression in SELECT and GROUP BY is one expression to the database, not two differently bound parameters.
  const [start, width] = [sql.raw(from.toString()), sql.raw(bucketSeconds.toString())];
  const bucket = sql<string>`case when ${table.timestamp} < ${start} then -1 else floor((${table.timestamp} - ${start}) / ${width}) end`;
  const rows = await db
    .select({
      token: table.token,
      contributionId: byContribution ? table.contributionId : sql<string>`''`,
      bucket,
      amount: sql<string>`sum(${table.amount})`,
    })
    .from(table)
    .where(where)
    .groupBy(...(byContribution ? [table.token, table.contributionId, bucket] : [table.token, bucket]));
  return rows.map((row) => ({
    token: row.token as Hex,
    contributionId: row.contributionId as Hex,
    bucket: Number(row.bucket),
    amount: BigInt(String(row.amount).split(".")[0]!),
  }));
}

/** The cumulative amount at the end of each bucket, from the amounts per bucket (-1: before the first). */
function cumulative(rows: Bucketed[], points: number, from: bigint, to: bigint, bucketSeconds: bigint) {
  const per = new Array<bigint>(points).fill(0n);
  let running = 0n;
  for (const row of rows) {
    if (row.bucket < 0) running += row.amount;
    else per[Math.min(row.bucket, points - 1)]! += row.amount;
  }
  return per.map((amount, i) => {
    running += amount;
    // The last bucket ends at `to` (the buckets are rounded up to whole seconds, so it may be shorter).
    const end = from + bucketSeconds * BigInt(i + 1);
    return { t: end > to ? to : end, paid: amount, claimed: running };
  });
}

/**
 * The history of `subject` between `from` and `to` (defaults: its first claim and the indexed head) in `points`
 * buckets, per token; with the per-contribution series of the `contributions` contributions paid most.
 */
async function history(c: Context, subject: Subject, maxClaims: number) {
  const points = parseWhole(c.req.query("points"), "points", 1, MAX_POINTS, DEFAULT_POINTS);
  const contributions = parseWhole(
    c.req.query("contributions"),
    "contributions",
    0,
    MAX_CONTRIBUTIONS,
    DEFAULT_CONTRIBUTIONS,
  );
  const head = await indexedHead();
  const to = parseTime(c.req.query("to"), "to") ?? head.timestamp;
  let from = parseTime(c.req.query("from"), "from");
  if (from !== undefined && from >= to) throw new BadRequest("from", "from must be earlier than to");

  const inRange = (table: ClaimTable) => and(whose(table, subject), lte(table.timestamp, to));
  const counts = await Promise.all(TABLES.map((table) => cappedCount(table, inRange(table), maxClaims)));
  if (counts.reduce((a, b) => a + b, 0) > maxClaims) {
    throw new BadRequest(
      "to",
      `more than ${maxClaims} claims up to ${to}: give an earlier to (a narrower range) for this history`,
    );
  }
  if (from === undefined) {
    const firsts = await Promise.all(
      TABLES.map(async (table) => {
        const [row] = await db
          .select({ first: sql<string | null>`min(${table.timestamp})` })
          .from(table)
          .where(inRange(table));
        return row?.first == null ? undefined : BigInt(row.first);
      }),
    );
    const known = firsts.filter((t): t is bigint => t !== undefined);
    // Just before the first claim, so that the chart starts at what was paid before it (nothing).
    from = known.length ? known.reduce((a, b) => (a < b ? a : b)) - 1n : to - BigInt(points);
    if (from < 0n) from = 0n;
  }
  const span = to - from;
  const bucketSeconds = span <= 0n ? 1n : (span + BigInt(points) - 1n) / BigInt(points);

  const totals = (
    await Promise.all(TABLES.map((table) => bucketRows(table, inRange(table), from, bucketSeconds, false)))
  ).flat();
  // The contributions paid most, whose series are drawn one by one.
  let top: { token: Hex; contributionId: Hex }[] = [];
  if ("contributionId" in subject) {
    top = [...new Set(totals.map((row) => row.token))].map((token) => ({
      token,
      contributionId: subject.contributionId,
    }));
  } else if (contributions > 0) {
    const ranked = (
      await Promise.all(
        TABLES.map((table) =>
          db
            .select({
              token: table.token,
              contributionId: table.contributionId,
              paid: sql<string>`sum(${table.amount})`,
            })
            .from(table)
            .where(inRange(table))
            .groupBy(table.token, table.contributionId)
            .orderBy(desc(sql`sum(${table.amount})`))
            .limit(contributions),
        ),
      )
    ).flat();
    const summed = new Map<string, { token: Hex; contributionId: Hex; paid: bigint }>();
    for (const row of ranked) {
      const key = `${row.token}-${row.contributionId}`;
      const entry = summed.get(key) ?? { token: row.token as Hex, contributionId: row.contributionId as Hex, paid: 0n };
      entry.paid += BigInt(String(row.paid).split(".")[0]!);
      summed.set(key, entry);
    }
    top = [...summed.values()].sort((a, b) => (a.paid < b.paid ? 1 : a.paid > b.paid ? -1 : 0)).slice(0, contributions);
  }
  const topIds = [...new Set(top.map((t) => t.contributionId))];
  const perContribution =
    "contributionId" in subject
      ? totals.map((row) => ({ ...row, contributionId: subject.contributionId }))
      : topIds.length === 0
        ? []
        : (
            await Promise.all(
              TABLES.map((table) =>
                bucketRows(
                  table,
                  and(inRange(table), inArray(table.contributionId, topIds)),
                  from,
                  bucketSeconds,
                  true,
                ),
              ),
            )
          ).flat();

  const tokens = [...new Set(totals.map((row) => row.token))].sort();
  return c.json(
    toJson({
      ...subject,
      at: head,
      from,
      to,
      bucketSeconds,
      points,
      tokens: tokens.map((token) => ({
        token,
        total: cumulative(
          totals.filter((row) => row.token === token),
          points,
          from,
          to,
          bucketSeconds,
        ),
        contributions: top
          .filter((t) => t.token === token)
          .map(({ contributionId }) => ({
            contributionId,
            points: cumulative(
              perContribution.filter((row) => row.token === token && row.contributionId === contributionId),
              points,
              from,
              to,
              bucketSeconds,
            ),
          })),
      })),
    }),
    200,
  );
}

/**
 * The earnings-history routes, summing at most `maxClaims` claims an answer; chained so that their answer types reach
 * `ApiRoutes` (index.ts).
 */
export const earningsHistoryRoutes = (maxClaims: number) =>
  new Hono()
    .get("/authors/:address/earnings/history", historyQuery, async (c) =>
      history(c, { author: parseAddress(c.req.param("address"), "address") }, maxClaims),
    )
    .get("/contributions/:contributionId/earnings/history", historyQuery, async (c) =>
      history(c, { contributionId: parseHash(c.req.param("contributionId"), "contributionId") }, maxClaims),
    );
