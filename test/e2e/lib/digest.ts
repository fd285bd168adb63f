// A digest of every row of every indexer table, read page by page through GraphQL: two indexers that mirrored the
// same chain answer the same digest, whatever order their rows were written in.
// GraphQL names the schema of every table, so the digest does not depend on how SQL over HTTP resolves names.
import { createHash } from "node:crypto";

import * as schema from "../../../indexer/ponder.schema.ts";

const DRIZZLE_NAME = Symbol.for("drizzle:Name");
const DRIZZLE_TABLE = Symbol.for("drizzle:IsDrizzleTable");
const DRIZZLE_COLUMNS = Symbol.for("drizzle:Columns");

interface TableInfo {
  /** The table's name in the database. */
  name: string;
  /** Ponder's GraphQL field listing its rows: the export's name, lower-case first, with an `s`. */
  field: string;
  columns: string[];
}

/** The tables `ponder.schema.ts` declares. */
export const TABLES: TableInfo[] = Object.entries(schema)
  .filter(([, value]) => typeof value === "object" && value !== null && DRIZZLE_TABLE in value)
  .map(([exportName, table]) => {
    const symbols = table as unknown as Record<symbol, unknown>;
    return {
      name: symbols[DRIZZLE_NAME] as string,
      field: `${exportName.charAt(0).toLowerCase()}${exportName.slice(1)}s`,
      columns: Object.keys(symbols[DRIZZLE_COLUMNS] as object).sort(),
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

export const TABLE_NAMES: string[] = TABLES.map((table) => table.name);

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

/** Posts one GraphQL document and returns its data, or throws with its errors. */
export async function graphqlData<T>(api: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${api}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (response.status !== 200 || body.errors?.length || body.data === undefined) {
    throw new Error(`GraphQL HTTP ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Every row of `table`, 500 a page (the largest the default GraphQL cost limit allows), as canonical JSON lines. */
async function tableRows(api: string, table: TableInfo): Promise<string[]> {
  const query = `query ($after: String) {
    ${table.field}(limit: 500, after: $after) {
      items { ${table.columns.join(" ")} }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  const rows: string[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<
      string,
      { items: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
    > = await graphqlData(api, query, { after });
    const page = data[table.field]!;
    for (const item of page.items) rows.push(JSON.stringify(table.columns.map((column) => item[column])));
    if (!page.pageInfo.hasNextPage) return rows.sort();
    after = page.pageInfo.endCursor;
  }
}

export interface TablesDigest {
  /** sha256 over every table's sorted rows. */
  digest: string;
  /** Rows per table, for a readable failure message. */
  counts: Record<string, number>;
}

export async function digestTables(api: string): Promise<TablesDigest> {
  return digestOf(await allRows(api));
}

/** Every table's rows, sorted, as canonical JSON lines (columns in name order), by table name. */
export async function allRows(api: string): Promise<Record<string, string[]>> {
  const rows: Record<string, string[]> = {};
  for (const table of TABLES) rows[table.name] = await tableRows(api, table);
  return rows;
}

/** The digest of rows read by {allRows}. */
export function digestOf(rows: Record<string, string[]>): TablesDigest {
  const hash = createHash("sha256");
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const tableRows = rows[table.name] ?? [];
    counts[table.name] = tableRows.length;
    hash.update(`${table.name}\n${tableRows.join("\n")}\n`);
  }
  return { digest: hash.digest("hex"), counts };
}

/** Where two reads by {allRows} differ: per table, up to `most` rows only one side has, each side's. */
export function rowsDiff(
  expected: Record<string, string[]>,
  actual: Record<string, string[]>,
  most = 3,
): Record<string, { columns: string[]; onlyExpected: string[]; onlyActual: string[] }> {
  const diff: Record<string, { columns: string[]; onlyExpected: string[]; onlyActual: string[] }> = {};
  for (const table of TABLES) {
    const want = new Set(expected[table.name] ?? []);
    const got = new Set(actual[table.name] ?? []);
    const onlyExpected = [...want].filter((row) => !got.has(row));
    const onlyActual = [...got].filter((row) => !want.has(row));
    if (onlyExpected.length + onlyActual.length === 0) continue;
    diff[table.name] = {
      columns: table.columns,
      onlyExpected: onlyExpected.slice(0, most),
      onlyActual: onlyActual.slice(0, most),
    };
  }
  return diff;
}
