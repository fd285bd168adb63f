// What the API reads of the Ponder process it runs in (`ponder start` or `ponder serve`), from the globals Ponder
// 0.17 sets before it loads the API: the schema it serves and the database it reads; and the one module of Ponder's
// that it uses without Ponder exporting it, the SQL parser and allow-list of its SQL-over-HTTP endpoint. The one place
// that relies on them, so an upgrade of Ponder has one file to check.
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
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

export type PonderDatabase =
  | { dialect: "pglite"; instance: PgliteInstance }
  /** Ponder's own connection settings, without its pool size. */
  | { dialect: "postgres"; connection: pg.ClientConfig };

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
 * Runs `callback` in a read-only transaction on a connection of Ponder's read-only PostgreSQL pool (the one the API's
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
 * Ponder 0.17's `utils/sql-parse.js`, which its `client()` middleware validates queries with. The package's `exports`
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
