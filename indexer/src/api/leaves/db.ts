// The leaf-file store's one way to the database, on either of Ponder's: PGlite (the indexer's one embedded session:
// each statement sent on its own, which PGlite runs exclusively of transactions, so that none of ours runs inside one
// of the indexer's; ponderAdapter.ts, reach 12) or PostgreSQL (a small pool of our own, opened with Ponder's own
// connection settings: the API's `db` is read-only by design, and leaf files are written by the API, not by an
// indexing handler).
import pg from "pg";

import { pgliteStatement, ponderProcess, type PgliteTransaction } from "../ponderAdapter.ts";

export type Rows = Record<string, unknown>[];

export interface LeafDatabase {
  dialect: "pglite" | "postgres";
  /** The schema Ponder serves (its tables or, on a replica, their views): where `contribution` is read. */
  ponderSchema: string;
  /** One statement on its own. */
  query(sql: string, params?: unknown[]): Promise<Rows>;
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

/** The database of the Ponder process this API runs in; undefined outside one (unit tests). */
export function leafDatabase(): LeafDatabase | undefined {
  if (opened !== undefined) return opened;
  const ponder = ponderProcess();
  if (ponder === undefined) return undefined;
  const { database, schema } = ponder;
  if (database.dialect === "pglite") {
    const { instance } = database;
    const run = (tx: PgliteTransaction) => async (sql: string, params?: unknown[]) =>
      (await tx.query(sql, params)).rows;
    const statement = pgliteStatement(instance);
    opened = {
      dialect: "pglite",
      ponderSchema: schema,
      query: async (sql, params) => (await statement(sql, params)).rows,
      transaction: (callback) => instance.transaction((tx) => callback({ query: run(tx) })),
    };
    return opened;
  }
  const pool = new pg.Pool({ ...database.connection, max: 4, application_name: `${schema}_leaf_files` });
  // An idle connection the server dropped must not crash the process; the next query opens another.
  pool.on("error", (error) => console.error(`leaf files: ${error.message}`));
  opened = {
    dialect: "postgres",
    ponderSchema: schema,
    query: async (sql, params) => (await pool.query(sql, params)).rows as Rows,
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
  return opened;
}
