// Every reach of the project into Ponder beyond its public API (`ponder`, `ponder:api`, `ponder:schema`,
// `ponder:registry`, `createConfig`): its process globals, a module it does not export, its internal tables and their
// encodings, its notification channel, behaviours of its GraphQL and of PGlite under it, and the hooks that
// patches/ponder+0.17.7.patch adds. Each reach says what it relies on and how an upgrade of Ponder breaks it, so an
// upgrade has this one file to check (and test/indexer/ponder-patch.test.ts, test/api/sql-limits.test.ts, which fail
// when the patch or the module path stop applying). No import of Ponder here: the unit tests load it without an
// indexer.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type pg from "pg";

/** A PGlite query's answer: rows as objects, and each column's name and type. */
export interface PgliteResults {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
}

export interface PgliteTransaction {
  exec(sql: string): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<PgliteResults>;
}

export interface PgliteInstance {
  /** Runs `callback` in a transaction that holds PGlite's one session: no statement of the indexer runs meanwhile. */
  transaction<T>(callback: (tx: PgliteTransaction) => Promise<T>): Promise<T>;
  /** One statement on its own, exclusive of transactions (reach 12). */
  query(sql: string, params?: unknown[]): Promise<PgliteResults>;
  /** Statements as text, without parameters (the simple query protocol), exclusive of transactions (reach 12). */
  exec(sql: string): Promise<PgliteResults[]>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

export type PonderDatabase =
  | { dialect: "pglite"; instance: PgliteInstance }
  /** Ponder's own connection settings, without its pool size. */
  | { dialect: "postgres"; connection: pg.ClientConfig };

// Reach 1: the globals Ponder 0.17 sets before it loads the API (bin/commands/start.js, serve.js): `PONDER_DATABASE`
// (its database object: `driver.dialect`, the PGlite `instance`, the read-only pg `Pool` the API's `db` reads
// through), `PONDER_NAMESPACE_BUILD` (the served schema), `PONDER_PRE_BUILD` (the connection settings). An upgrade
// that renames them, or moves the driver's fields, makes `ponderProcess()` answer undefined: the answer cache then
// reads the checkpoint on every request, SQL over HTTP answers 500 (no database), and test/e2e/api-limits.test.ts fails.
interface PonderGlobals {
  PONDER_DATABASE?: { driver?: { dialect?: string; instance?: PgliteInstance; readonly?: pg.Pool } };
  PONDER_NAMESPACE_BUILD?: { schema?: string };
  PONDER_PRE_BUILD?: { databaseConfig?: { poolConfig?: pg.ClientConfig & { max?: number } } };
}

/** The schema the process serves and its database; undefined outside a Ponder process. */
export function ponderProcess(): { schema: string; database: PonderDatabase } | undefined {
  const globals = globalThis as unknown as PonderGlobals;
  const schema = globals.PONDER_NAMESPACE_BUILD?.schema;
  const driver = globals.PONDER_DATABASE?.driver;
  if (schema === undefined || driver === undefined) return undefined;
  if (driver.dialect === "pglite" && driver.instance !== undefined) {
    return { schema, database: { dialect: "pglite", instance: driver.instance } };
  }
  if (driver.dialect === "postgres") {
    const { max: _max, ...connection } = globals.PONDER_PRE_BUILD?.databaseConfig?.poolConfig ?? {};
    return { schema, database: { dialect: "postgres", connection } };
  }
  return undefined;
}

/**
 * Reach 2: Ponder's read-only PostgreSQL pool (`PONDER_DATABASE.driver.readonly`, a pg `Pool` whose connections have
 * the served schema on their search path and `default_transaction_read_only`). Runs `callback` in a read-only
 * transaction on a connection of that pool (the one the API's
 * `db` reads through: the served schema on its search path, every transaction read-only). Taken from the pool itself,
 * not through `db.transaction`: Ponder's query builder retries a failed transaction up to 9 times with backoff, which
 * would run a refused or cancelled query again for seconds.
 */
export async function readOnlyPostgresTransaction<T>(callback: (tx: PgliteTransaction) => Promise<T>): Promise<T> {
  const pool = (globalThis as unknown as PonderGlobals).PONDER_DATABASE?.driver?.readonly;
  if (pool === undefined) throw new Error("not running inside a Ponder process on PostgreSQL");
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN READ ONLY").catch((error: Error) => {
      broken = error;
      throw error;
    });
    const query = async (sql: string, params: unknown[] = []) => {
      const result = await client.query(sql, params);
      return { rows: result.rows as Record<string, unknown>[], fields: result.fields };
    };
    try {
      return await callback({ query, exec: (sql) => query(sql) });
    } finally {
      await client.query("ROLLBACK").catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    // A connection that could not roll back is closed instead of going back to the pool.
    client.release(broken);
  }
}

/** Ponder's SQL parser (pg-query-emscripten) and the allow-list its SQL-over-HTTP endpoint applies. */
export interface PonderSqlParser {
  /** The statement's parse tree (libpg_query's JSON); throws on a syntax error, several statements or over 5,000 characters. */
  parseSQLQuery(sql: string): Promise<unknown>;
  /** Throws with the reason unless `sql` is one read-only `SELECT` of allowed nodes, functions and relations. */
  validateAllowableSQLQuery(sql: string): Promise<void>;
}

let sqlParser: Promise<PonderSqlParser> | undefined;

/**
 * Reach 3: Ponder 0.17's `utils/sql-parse.js`, which its `client()` middleware validates queries with. The package's `exports`
 * name only its entry point, so it is loaded by path, from the ponder package next to this project's node_modules
 * (the one `ponder start` runs from). test/api/sql-limits.test.ts fails when an upgrade moves it.
 */
export function ponderSqlParser(): Promise<PonderSqlParser> {
  const file = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    "..",
    "..",
    "..",
    "node_modules",
    "ponder",
    "dist",
    "esm",
    "utils",
    "sql-parse.js",
  );
  sqlParser ??= import(/* @vite-ignore */ pathToFileURL(file).href) as Promise<PonderSqlParser>;
  return sqlParser;
}

/**
 * Reach 4: Ponder's checkpoint table `_ponder_checkpoint` (one row per chain, `latest_checkpoint` the 75-digit
 * checkpoint string of utils/checkpoint.js: 10 digits of block timestamp, 16 of chain id, 16 of block number, then
 * transaction index, event type and event index). Not exported by Ponder; a change of its name or encoding makes
 * `decodeCheckpoint` read wrong figures, which test/e2e/vault.test.ts (amounts at the indexed head) catches.
 */
export const CHECKPOINT_TABLE = "_ponder_checkpoint";
export const LATEST_CHECKPOINT_SQL = `SELECT latest_checkpoint FROM ${CHECKPOINT_TABLE} LIMIT 1`;
/** Each chain's checkpoint with the row's version (`xmin`, the transaction that last wrote it). */
export const CHECKPOINT_VERSION_SQL = `SELECT latest_checkpoint || '.' || xmin::text AS version FROM ${CHECKPOINT_TABLE} ORDER BY chain_id`;
/** The same without `xmin`, which a views schema (`ponder serve --schema <views>`) does not expose. */
export const CHECKPOINT_ONLY_SQL = `SELECT latest_checkpoint AS version FROM ${CHECKPOINT_TABLE} ORDER BY chain_id`;

const TIMESTAMP_DIGITS = 10;
const BLOCK_NUMBER_OFFSET = 10 + 16;
const BLOCK_NUMBER_DIGITS = 16;

/** The block timestamp and number a checkpoint string encodes. */
export function decodeCheckpoint(checkpoint: string): { timestamp: bigint; blockNumber: bigint } {
  return {
    timestamp: BigInt(checkpoint.slice(0, TIMESTAMP_DIGITS)),
    blockNumber: BigInt(checkpoint.slice(BLOCK_NUMBER_OFFSET, BLOCK_NUMBER_OFFSET + BLOCK_NUMBER_DIGITS)),
  };
}

/**
 * Reach 5: Ponder's meta table `_ponder_meta`, whose `app` row's JSON value has `is_ready` 1 once the backfill is
 * done (what its `/ready` reads). Renamed or reshaped by an upgrade, `GET /sql/live` would never open (it waits for
 * readiness), which test/e2e/api-limits.test.ts catches.
 */
export const READY_SQL = "SELECT value FROM _ponder_meta WHERE key = 'app'";
export const isReadyValue = (value: { is_ready?: number } | undefined): boolean => value?.is_ready === 1;

/**
 * Reach 6: the channel Ponder's live-query trigger notifies (drizzle/onchain.js `getLiveQueryChannelName`:
 * `<schema>_live_query`, the payload a JSON list of the tables the block wrote), and the patch's notification of the
 * tables a reorg rolls back on the same channel. A renamed channel leaves the answer cache reading the checkpoint on
 * every request (still correct, slower); a changed payload makes every notification count as "anything changed".
 */
export const liveQueryChannel = (schema: string): string => `${schema}_live_query`;

/**
 * Reach 7: Ponder's GraphQL page size when a list has no `limit`, and the largest it accepts (graphql/index.js
 * `DEFAULT_LIMIT`, `MAX_LIMIT`). The cost estimate (graphqlLimits.ts) counts these; an upgrade that changes them makes
 * the estimate wrong by the factor, without failing anything but test/e2e/api-limits.test.ts's default-page case.
 */
export const GRAPHQL_DEFAULT_PAGE_SIZE = 50;
export const GRAPHQL_MAX_PAGE_SIZE = 1000;

/**
 * Reach 8: the readiness hook patches/ponder+0.17.7.patch adds to Ponder's `/ready` (server/index.js): once the
 * backfill is done it awaits `globalThis.TRIBUTARY_READY_CHECK()` and answers 503 with the string it returns. Without
 * the patch, `/ready` ignores the lag: test/indexer/ponder-patch.test.ts and test/e2e/liveness.test.ts fail.
 */
export function setReadinessCheck(check: () => Promise<string | undefined>): void {
  (globalThis as { TRIBUTARY_READY_CHECK?: () => Promise<string | undefined> }).TRIBUTARY_READY_CHECK = check;
}

/**
 * Reach 9: the chain option the patch's head watchdog reads (rpc/index.js, `chain.wsHeadTimeout`, passed through by
 * build/config.js). Not in Ponder's chain type, hence a spread of this object into the chain's config. Without the
 * patch the option is ignored and a dead head subscription goes unnoticed (test/e2e/liveness.test.ts).
 */
export const headWatchdogOption = (timeoutMs: number): object => ({ wsHeadTimeout: timeoutMs });

/**
 * Reach 10: a behaviour of Ponder on PGlite. PGlite is one database session shared by the indexer and the API. When
 * Ponder updates more than a few rows of a table at once, it copies them into a temporary table named like the real
 * one, updates from it and empties it, but leaves it in the session. Temporary tables come first in name lookup, so
 * `SELECT count(*) FROM contribution` sent over HTTP would read that empty table. sql.ts runs this statement first
 * in the PGlite transaction of each SQL request, which runs exclusively of the indexer's own transactions (its bulk
 * updates happen inside one and create the table again when they next need it). PostgreSQL is not affected: there
 * the indexer's temporary tables live in its own sessions. Harmless if an upgrade stops leaving them;
 * test/e2e/reliability.test.ts (counts over SQL against GraphQL) fails if an upgrade leaves them under other names.
 */
export const DROP_TEMPORARY_TABLES = `
DO $$
DECLARE leftover record;
BEGIN
  FOR leftover IN
    SELECT temporary.relname FROM pg_class temporary
    WHERE temporary.relnamespace = pg_my_temp_schema() AND temporary.relkind = 'r' AND EXISTS (
      SELECT 1 FROM pg_class permanent
      WHERE permanent.relname = temporary.relname AND permanent.relpersistence = 'p' AND permanent.relkind = 'r'
    )
  LOOP
    EXECUTE format('DROP TABLE pg_temp.%I', leftover.relname);
  END LOOP;
END $$;`;

/*
 * Reach 11: what the leaf-file store (leaves/db.ts, leaves/store.ts) relies on. Through reach 1 it writes with PGlite's
 * `transaction` (Ponder's one session, exclusive of the indexer's own transactions, as sql.ts reads) or with a pool
 * of its own opened with Ponder's connection settings (the API's `db` is read-only). It keeps its tables in a schema
 * Ponder never touches: Ponder treats the schema it serves as its own (a new build writes a new one; `ponder start`
 * refuses a schema another build wrote, `ponder dev` drops it), so verified leaf files outlive redeploys. It joins
 * `contribution` in the schema `ponderProcess()` names, the views schema on a `ponder serve` replica. An upgrade that
 * moved PGlite's `transaction` or the pool settings breaks uploads and proofs alike, which test/e2e/leaf-files.test.ts
 * catches on both databases.
 */

/**
 * Reach 12: a behaviour of PGlite under Ponder. PGlite 0.3's `query` runs its one statement under the same lock as
 * `transaction` holds around BEGIN ... COMMIT, so a statement sent on its own never runs inside one of the indexer's
 * transactions, and costs no BEGIN and COMMIT (those cost more than a proof's lookup itself: about 1.2 ms of 2.9 for
 * ten leaves on a million-leaf table). A single statement outside a transaction block commits alone, all or nothing.
 * `exec` holds the same lock. An upgrade that let either run inside an open transaction would mix the leaf store's
 * statements into the indexer's: test/indexer/pglite-statement.test.ts fails then.
 */
export function pgliteStatement(instance: PgliteInstance): (sql: string, params?: unknown[]) => Promise<PgliteResults> {
  return (sql, params) => instance.query(sql, params);
}

/**
 * A statement run many times, on PGlite: prepared once in its session (`PREPARE`, parsed and planned once), then run
 * by `EXECUTE` through `exec`, one message instead of `query`'s parse, describe, bind and execute. On a million-leaf
 * table a lookup by key costs about 0.2 ms this way and 0.5 ms through `query`. Its parameters are numbers (safe
 * integers) and strings, written into the EXECUTE as literals; a string's quotes are doubled, so no value can end
 * the literal. `name` must stand for `sql` alone (a digest of it), so that two callers with one name share one
 * statement.
 */
export function pglitePrepared(
  instance: PgliteInstance,
): (name: string, sql: string, params: (number | string)[]) => Promise<PgliteResults["rows"]> {
  const prepared = new Map<string, Promise<void>>();
  const prepare = (name: string, sql: string) => {
    let done = prepared.get(name);
    if (done === undefined) {
      done = instance.exec(`PREPARE ${name} AS ${sql}`).then(
        () => undefined,
        (error: { code?: string }) => {
          // 42P05: already prepared in this session, with this text.
          if (error?.code === "42P05") return;
          prepared.delete(name);
          throw error;
        },
      );
      prepared.set(name, done);
    }
    return done;
  };
  return async (name, sql, params) => {
    const literals = params.map((value) => {
      if (typeof value === "number") {
        if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
        return String(value);
      }
      return `'${value.replaceAll("'", "''")}'`;
    });
    const execute = async () => {
      await prepare(name, sql);
      return (await instance.exec(`EXECUTE ${name}(${literals.join(", ")})`)).at(-1)?.rows ?? [];
    };
    try {
      return await execute();
    } catch (error) {
      // 26000: the session no longer holds the statement (a DEALLOCATE): prepared again, once.
      if ((error as { code?: string })?.code !== "26000") throw error;
      prepared.delete(name);
      return await execute();
    }
  };
}
