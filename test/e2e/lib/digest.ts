// A digest of every row of every indexer table, read through the SQL-over-HTTP endpoint: two indexers that
// mirrored the same chain answer the same digest, whatever order their rows were written in.
import { createHash } from "node:crypto";

import * as schema from "../../../indexer/ponder.schema.ts";

const DRIZZLE_NAME = Symbol.for("drizzle:Name");
const DRIZZLE_TABLE = Symbol.for("drizzle:IsDrizzleTable");

/** The names of the tables `ponder.schema.ts` declares. */
export const TABLE_NAMES: string[] = Object.values(schema)
  .filter((value) => typeof value === "object" && value !== null && DRIZZLE_TABLE in value)
  .map((table) => (table as unknown as Record<symbol, string>)[DRIZZLE_NAME]!)
  .sort();

/** The request `@ponder/client` sends: GET /sql/db?sql=<superjson of { sql, params }>. */
export function sqlUrl(api: string, sql: string): string {
  const url = new URL(`${api}/sql/db`);
  url.searchParams.set("sql", JSON.stringify({ json: { sql, params: [] } }));
  return url.toString();
}

/** Runs one read-only query through the indexer's SQL endpoint and returns its rows. */
export async function sqlRows(api: string, sql: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(sqlUrl(api, sql));
  if (response.status !== 200) throw new Error(`${sql}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: Record<string, unknown>[] }).rows;
}

function canonical(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, row[key]]),
  );
}

export interface TablesDigest {
  /** sha256 over every table's sorted rows. */
  digest: string;
  /** Rows per table, for a readable failure message. */
  counts: Record<string, number>;
}

export async function digestTables(api: string): Promise<TablesDigest> {
  const hash = createHash("sha256");
  const counts: Record<string, number> = {};
  for (const name of TABLE_NAMES) {
    const rows = (await sqlRows(api, `select * from "${name}"`)).map(canonical).sort();
    counts[name] = rows.length;
    hash.update(`${name}\n${rows.join("\n")}\n`);
  }
  return { digest: hash.digest("hex"), counts };
}
