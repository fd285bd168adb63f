// The leaf-file store's one way to the database, on either of Ponder's: PGlite (the indexer's one embedded session:
// each statement sent on its own, which PGlite runs exclusively of transactions, so that none of ours runs inside one
// of the indexer's; ponderAdapter.ts, reach 12) or PostgreSQL (a small pool of our own, opened with Ponder's own
// connection settings: the API's `db` is read-only by design, and leaf files are written by the API, not by an
// indexing handler).
import { createHash } from "node:crypto";

import pg from "pg";

import {
  pglitePrepared,
  pgliteStatement,
  ponderProcess,
  type PgliteInstance,
  type PgliteTransaction,
} from "../ponderAdapter.ts";

export type Rows = Record<string, unknown>[];

export interface LeafDatabase {
  dialect: "pglite" | "postgres";
  /** The schema Ponder serves (its tables or, on a replica, their views): where `contribution` is read. */
  ponderSchema: string;
  /** One statement on its own. */
  query(sql: string, params?: unknown[]): Promise<Rows>;
  /**
   * One statement on its own that is run many times (a proof's lookup): prepared once per session. Its parameters
   * are numbers and strings only; it must not write.
   */
  repeated(sql: string, params: (number | string)[]): Promise<Rows>;
  /** Statements in one transaction: all of them or none. */
  transaction<T>(
    callback: (tx: { query: (sql: string, params?: unknown[]) => Promise<Rows> }) => Promise<T>,
  ): Promise<T>;
}

/**
 * PostgreSQL's SQLSTATEs for a write this connection may not make: in a read-only transaction (a hot standby, a
 * role set read-only) and without the privilege (a role granted only SELECT, which is checked first).
 */
const READ_ONLY_SQLSTATES = new Set(["25006", "42501"]);

export function isReadOnlyError(error: unknown): boolean {
  return READ_ONLY_SQLSTATES.has((error as { code?: string } | undefined)?.code ?? "");
}

let opened: LeafDatabase | undefined;

/** The store's way to a PGlite instance (the indexer's, or one of a test's own). */
export function pgliteDatabase(instance: PgliteInstance, ponderSchema: string): LeafDatabase {
  const run = (tx: PgliteTransaction) => async (sql: string, params?: unknown[]) => (await tx.query(sql, params)).rows;
  const statement = pgliteStatement(instance);
  const repeated = pglitePrepared(instance);
  return {
    dialect: "pglite",
    ponderSchema,
    query: async (sql, params) => (await statement(sql, params)).rows,
    repeated: (sql, params) => repeated(statementName(sql), sql, params),
    transaction: (callback) => instance.transaction((tx) => callback({ query: run(tx) })),
  };
}

/** A repeated statement's name in a session: a digest of its text. */
const statementName = (sql: string) => `tributary_${createHash("sha256").update(sql).digest("hex").slice(0, 24)}`;

/** The database of the Ponder process this API runs in; undefined outside one (unit tests). */
export function leafDatabase(): LeafDatabase | undefined {
  if (opened !== undefined) return opened;
  const ponder = ponderProcess();
  if (ponder === undefined) return undefined;
  const { database, schema } = ponder;
  if (database.dialect === "pglite") {
    opened = pgliteDatabase(database.instance, schema);
    return opened;
  }
  const pool = new pg.Pool({ ...database.connection, max: 4, application_name: `${schema}_leaf_files` });
  // An idle connection the server dropped must not crash the process; the next query opens another.
  pool.on("error", (error) => console.error(`leaf files: ${error.message}`));
  opened = postgresDatabase(pool, schema);
  return opened;
}

/** The leaf store's database on a PostgreSQL pool of its own, beside Ponder's schema `ponderSchema`. */
export function postgresDatabase(pool: pg.Pool, ponderSchema: string): LeafDatabase {
  return {
    dialect: "postgres",
    ponderSchema,
    query: async (sql, params) => (await pool.query(sql, params)).rows as Rows,
    // A named statement: each connection of the pool parses and plans it once.
    repeated: async (sql, params) =>
      (await pool.query({ name: statementName(sql), text: sql, values: params })).rows as Rows,
    transaction: async (callback) => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await callback({
          query: async (sql, params) => (await client.query(sql, params)).rows as Rows,
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((rollback: Error) => {
          broken = rollback;
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}
