// What the API reads of the Ponder process it runs in (`ponder start` or `ponder serve`), from the globals Ponder
// 0.17 sets before it loads the API: the schema it serves and the database it reads. The one place that relies on
// them, so an upgrade of Ponder has one file to check.
import type pg from "pg";

export interface PgliteInstance {
  transaction<T>(callback: (tx: { exec(sql: string): Promise<unknown> }) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

export type PonderDatabase =
  | { dialect: "pglite"; instance: PgliteInstance }
  /** Ponder's own connection settings, without its pool size. */
  | { dialect: "postgres"; connection: pg.ClientConfig };

interface PonderGlobals {
  PONDER_DATABASE?: { driver?: { dialect?: string; instance?: PgliteInstance } };
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
