// SQL over HTTP (`GET /sql/db`, `GET /sql/live`), the protocol of `@ponder/client`, with a bounded cost per request.
//
// Ponder's own `client()` middleware runs any allowed `SELECT` to its end: a cross join held PGlite's only thread
// (and so the indexer) for 22 s, answers had no size bound, it read Ponder's internal tables, and its count of live
// queries leaked on every malformed request until all were refused. This module serves the same two routes with
// Ponder's parser and allow-list (ponderAdapter.ts), and for every query, in one read-only transaction:
//
// 1. the names it uses must be the project's tables (or its own `WITH` names);
// 2. `EXPLAIN` its plan: every table the plan reads must be one of the project's, and its estimated cost must be
//    under TRIBUTARY_SQL_MAX_COST. PGlite cannot interrupt a running statement, so this is the bound there;
// 3. on PostgreSQL, `SET LOCAL statement_timeout` (TRIBUTARY_SQL_TIMEOUT_MS) cancels a statement the estimate got
//    wrong;
// 4. run it through a cursor and fetch at most TRIBUTARY_SQL_MAX_ROWS + 1 rows; more rows, or an answer over
//    TRIBUTARY_SQL_MAX_BYTES, is refused.
//
// Every refusal is a 400 `{ error: "query refused: …", parameter: "sql" }` (sqlLimits.ts).
import { db } from "ponder:api";
import schema from "ponder:schema";
import { streamSSE } from "hono/streaming";
import type { Context, Hono } from "hono";
import { sql as drizzleSql } from "ponder";
import { createHash } from "node:crypto";

import { onIndexedChange } from "./changes.ts";
import { errorBody } from "./http.ts";
import { clientAddress } from "./limits.ts";
import { isBusy, type HalfShare } from "./share.ts";
import {
  DROP_TEMPORARY_TABLES,
  isReadyValue,
  ponderProcess,
  ponderSqlParser,
  READY_SQL,
  readOnlyPostgresTransaction,
  type PgliteInstance,
  type PgliteTransaction,
} from "./ponderAdapter.ts";
import {
  LiveQuerySlots,
  checkCost,
  checkRelations,
  namedRelations,
  parseSqlParameter,
  planRelations,
  refusalOf,
  rootPlan,
  serializeAnswer,
  SqlBadRequest,
  SqlRefused,
  type SqlLimits,
  type SqlQuery,
} from "./sqlLimits.ts";

/** The names of the project's tables (drizzle's own symbols for a table and its name). */
const TABLES: ReadonlySet<string> = new Set(
  Object.values(schema as Record<string, unknown>)
    .filter((value) => typeof value === "object" && value !== null && Symbol.for("drizzle:IsDrizzleTable") in value)
    .map((table) => (table as Record<symbol, string>)[Symbol.for("drizzle:Name")]!),
);

/**
 * PGlite runs no autovacuum, so without this its tables would have no statistics and the planner would guess: a join
 * of 13,334 contributions on their 10 authors was estimated at 890,000 rows and counted about 18 million, 2.2 s of
 * PGlite's thread at an estimated cost of 18,830 (250,000 with statistics). Before a query, the tables it names are analyzed if this process
 * has not analyzed them yet, or if a block wrote them since and their statistics are older than this (ANALYZE reads
 * a sample of at most 30,000 rows a table). PostgreSQL's autovacuum analyzes them there.
 */
const ANALYZE_EVERY_MS = 60_000;
const analyzedAt = new Map<string, number>();
const writtenSinceAnalyze = new Set<string>();
onIndexedChange((tables) => {
  for (const table of tables ?? TABLES) writtenSinceAnalyze.add(table);
});

/** Analyzes the stale ones of `tables`, in a transaction of its own: a refused query's rollback would undo it. */
async function analyzeStale(instance: PgliteInstance, tables: Iterable<string>): Promise<void> {
  const now = Date.now();
  const stale = [...tables].filter((table) => {
    const at = analyzedAt.get(table);
    return at === undefined || (writtenSinceAnalyze.has(table) && now - at >= ANALYZE_EVERY_MS);
  });
  if (stale.length === 0) return;
  await instance.transaction(async (tx) => {
    await tx.exec(DROP_TEMPORARY_TABLES);
    // The names are the project's tables (checked), quoted as identifiers all the same.
    await tx.exec(`ANALYZE ${stale.map((table) => `"${table.replaceAll('"', '""')}"`).join(", ")}`);
  });
  for (const table of stale) {
    analyzedAt.set(table, now);
    writtenSinceAnalyze.delete(table);
  }
}

/** Live queries send an SSE comment this often, so a peer that went away is noticed and its slot freed. */
const KEEP_ALIVE_MS = 15_000;
const CURSOR = "tributary_sql";

/** A query checked against everything that needs no database: the allow-list and the names it uses. */
interface CheckedQuery extends SqlQuery {
  /** The project's tables the query names: a live query runs again when a block writes one of them. */
  tables: Set<string>;
}

async function check(query: SqlQuery): Promise<CheckedQuery> {
  const parser = await ponderSqlParser();
  try {
    await parser.validateAllowableSQLQuery(query.sql);
  } catch (error) {
    throw new SqlRefused((error as Error).message.split("\n")[0]!.slice(0, 300) || "not a read-only query");
  }
  const { relations, ctes } = namedRelations(await parser.parseSQLQuery(query.sql));
  const tables = [...relations].filter((name) => !ctes.has(name));
  checkRelations(tables, TABLES);
  return { ...query, tables: new Set(tables) };
}

async function runChecked(query: CheckedQuery, limits: SqlLimits, run: PgliteTransaction): Promise<string> {
  const [explained] = (await run.query(`EXPLAIN (FORMAT JSON) ${query.sql}`, query.params)).rows;
  const plan = rootPlan(explained);
  checkRelations(planRelations(plan), TABLES);
  checkCost(plan, limits.maxCost);
  await run.query(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${query.sql}`, query.params);
  const fetched = await run.query(`FETCH ${limits.maxRows + 1} FROM ${CURSOR}`);
  return serializeAnswer(
    {
      rows: fetched.rows,
      fields: fetched.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID })),
      affectedRows: 0,
    },
    limits,
  );
}

/** Runs a checked query within the limits and returns the answer's JSON; a refusal throws `SqlRefused`. */
async function runBounded(query: CheckedQuery, limits: SqlLimits, share: HalfShare | undefined): Promise<string> {
  const database = ponderProcess()?.database;
  try {
    if (database?.dialect === "pglite") {
      const { instance } = database;
      // PGlite's transaction holds its one session: the indexer waits meanwhile, and its leftover temporary tables
      // (ponderAdapter.ts) are dropped first; then the transaction is read-only, as on PostgreSQL. PGlite runs with
      // sequential scans disabled, which adds 1e10 to the estimated cost of every plan that scans a table; turned on
      // for this transaction, the estimate is PostgreSQL's.
      const run = async () => {
        await analyzeStale(instance, query.tables);
        return instance.transaction(async (tx) => {
          await tx.exec(DROP_TEMPORARY_TABLES);
          await tx.exec("SET TRANSACTION READ ONLY");
          await tx.exec("SET LOCAL enable_seqscan = on");
          return runChecked(query, limits, tx);
        });
      };
      return await (share === undefined ? run() : share.run(run));
    }
    return await readOnlyPostgresTransaction(async (tx) => {
      if (limits.timeoutMs > 0) await tx.exec(`SET LOCAL statement_timeout = ${Math.floor(limits.timeoutMs)}`);
      return runChecked(query, limits, tx);
    });
  } catch (error) {
    throw refusalOf(error, limits);
  }
}

/** Whether Ponder has finished the backfill (`_ponder_meta`'s `is_ready`); once true it stays true. */
let ready = false;
async function isReady(): Promise<boolean> {
  if (ready) return true;
  try {
    const result = (await db.execute(drizzleSql.raw(READY_SQL))) as unknown as {
      rows: { value: { is_ready?: number } }[];
    };
    ready = isReadyValue(result.rows[0]?.value);
  } catch {
    // Not readable yet: not ready.
  }
  return ready;
}

const json = (c: Context, body: string) => c.body(body, 200, { "content-type": "application/json; charset=UTF-8" });
const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

/** Answers a bad or refused query with its 400; anything else goes on to the API's error handler. */
function refused(c: Context, error: unknown) {
  if (error instanceof SqlBadRequest) return c.json(errorBody(error.message, error.parameter), 400);
  if (isBusy(error)) return c.json(errorBody((error as Error).message), 503, { "Retry-After": "1" });
  throw error;
}

/**
 * Serves `GET /sql/db` and `GET /sql/live` on `app` within `limits`. With `share` (on PGlite), queries run one at a
 * time within its share of the thread (share.ts); on PostgreSQL the read-only pool's size bounds how many run at once.
 */
export function sqlRoutes(app: Hono, limits: SqlLimits, share?: HalfShare): void {
  app.get("/sql/db", async (c) => {
    try {
      const query = await check(parseSqlParameter(c.req.query("sql")));
      return json(c, await runBounded(query, limits, share));
    } catch (error) {
      return refused(c, error);
    }
  });

  const slots = new LiveQuerySlots(limits.maxLiveQueries, limits.maxLiveQueriesPerClient);
  app.get("/sql/live", async (c) => {
    let query: CheckedQuery;
    let first: string;
    try {
      query = await check(parseSqlParameter(c.req.query("sql")));
      first = await runBounded(query, limits, share);
    } catch (error) {
      return refused(c, error);
    }
    if (!(await isReady())) {
      return c.json(errorBody("live queries are served once the indexer has finished its backfill (see /ready)"), 503);
    }
    const release = slots.acquire(clientAddress(c));
    if (release === "all") {
      return c.json(
        errorBody(`at most ${limits.maxLiveQueries} live queries are open at once (TRIBUTARY_SQL_MAX_LIVE_QUERIES)`),
        503,
      );
    }
    if (release === "client") {
      return c.json(
        errorBody(
          `at most ${limits.maxLiveQueriesPerClient} live queries are open at once from one client ` +
            `(TRIBUTARY_SQL_MAX_LIVE_QUERIES_PER_CLIENT); close one first`,
        ),
        429,
      );
    }
    try {
      return streamSSE(c, async (stream) => {
        // Released however the stream ends: the client goes away, a write fails, a run is refused or throws.
        let changed = false;
        let wake: () => void = () => {};
        const unsubscribe = onIndexedChange((tables) => {
          if (tables !== undefined && !tables.some((table) => query.tables.has(table))) return;
          changed = true;
          wake();
        });
        stream.onAbort(() => wake());
        const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
        try {
          let sent = digest(first);
          while (!stream.aborted && !stream.closed) {
            if (!changed) {
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
              continue;
            }
            changed = false;
            let answer: string;
            try {
              answer = await runBounded(query, limits, share);
            } catch (error) {
              if (isBusy(error)) {
                // Its turn comes again after a second.
                changed = true;
                await stream.sleep(1000);
                continue;
              }
              if (!(error instanceof SqlRefused)) console.error(error);
              await stream.writeSSE({
                event: "error",
                data: error instanceof SqlRefused ? error.message : "internal error",
              });
              break;
            }
            const hash = digest(answer);
            if (hash === sent) continue;
            sent = hash;
            await stream.writeSSE({ data: answer });
          }
        } finally {
          clearInterval(keepAlive);
          unsubscribe();
          release();
        }
      });
    } catch (error) {
      release();
      throw error;
    }
  });
}
