// The bounds of SQL over HTTP that need no database: the request's `sql` parameter, the relations a query names and
// its plan reads, the plan's estimated cost, the answer's rows and bytes, and the slots of live queries. No Ponder
// import here, so the unit tests run it without an indexer (test/api/sql-limits.test.ts).
import superjson from "superjson";

/** What SQL over HTTP refuses and answers; from the environment (indexer/config.ts, docs/operations.md). */
export interface SqlLimits {
  /** The highest estimated plan cost (PostgreSQL's cost units) a query may have; 0 turns the check off. */
  maxCost: number;
  /** The most rows an answer may hold. */
  maxRows: number;
  /** The most bytes an answer's JSON may take. */
  maxBytes: number;
  /** PostgreSQL only: how long one statement may run (PGlite cannot interrupt a statement); 0 turns it off. */
  timeoutMs: number;
  /** How many live queries (`/sql/live`) may be open at once. */
  maxLiveQueries: number;
  /** How many of them one client (by its address) may hold. */
  maxLiveQueriesPerClient: number;
}

/** A bad `sql` parameter: answered 400 `{ error, parameter: "sql" }`. */
export class SqlBadRequest extends Error {
  readonly parameter = "sql";
}

/** A query SQL over HTTP refuses: answered 400 `{ error: "query refused: …", parameter: "sql" }`. */
export class SqlRefused extends SqlBadRequest {
  constructor(reason: string) {
    super(`query refused: ${reason}`);
  }
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * The query in `GET /sql/db?sql=…` and `GET /sql/live?sql=…`: the superjson of `{ sql, params }` that
 * `@ponder/client` sends. Anything else is a 400 that names the parameter.
 */
export function parseSqlParameter(raw: string | undefined): SqlQuery {
  if (raw === undefined || raw === "") {
    throw new SqlBadRequest('sql is missing: send the superjson of { "sql": "select …", "params": [] }');
  }
  let parsed: unknown;
  try {
    parsed = superjson.parse(raw);
  } catch {
    throw new SqlBadRequest('sql must be the superjson of { "sql": "select …", "params": [] }');
  }
  const query = parsed as Partial<SqlQuery> | null;
  if (typeof query?.sql !== "string" || (query.params !== undefined && !Array.isArray(query.params))) {
    throw new SqlBadRequest('sql must be the superjson of { "sql": "select …", "params": [] }');
  }
  return { sql: query.sql, params: query.params ?? [] };
}

/** Every object under `node` (a parse tree or a plan), depth first. */
function* objectsOf(node: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(node)) {
    for (const item of node) yield* objectsOf(item);
  } else if (node !== null && typeof node === "object") {
    yield node as Record<string, unknown>;
    for (const value of Object.values(node)) yield* objectsOf(value);
  }
}

/** The relations a parse tree names (`FROM x`), and the names its common table expressions (`WITH x AS …`) define. */
export function namedRelations(tree: unknown): { relations: Set<string>; ctes: Set<string> } {
  const relations = new Set<string>();
  const ctes = new Set<string>();
  for (const node of objectsOf(tree)) {
    const rangeVar = node.RangeVar as { relname?: string } | undefined;
    if (typeof rangeVar?.relname === "string") relations.add(rangeVar.relname);
    const cte = node.CommonTableExpr as { ctename?: string } | undefined;
    if (typeof cte?.ctename === "string") ctes.add(cte.ctename);
  }
  return { relations, ctes };
}

/** A node of `EXPLAIN (FORMAT JSON)`'s plan, with the fields read here. */
export interface PlanNode {
  "Node Type"?: string;
  "Total Cost"?: number;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

/** The root plan of an `EXPLAIN (FORMAT JSON)` answer's first row. */
export function rootPlan(row: Record<string, unknown> | undefined): PlanNode {
  const explained = row?.["QUERY PLAN"];
  const plan = (Array.isArray(explained) ? explained[0] : undefined) as { Plan?: PlanNode } | undefined;
  if (plan?.Plan === undefined) throw new Error("EXPLAIN (FORMAT JSON) answered no plan");
  return plan.Plan;
}

/** Every table the plan reads, as the planner resolved the names (views expanded, CTEs and subqueries included). */
export function planRelations(plan: PlanNode): Set<string> {
  const relations = new Set<string>();
  for (const node of objectsOf(plan)) {
    if (typeof node["Relation Name"] === "string") relations.add(node["Relation Name"]);
  }
  return relations;
}

/**
 * Refuses a query that reads anything but the project's `tables`: Ponder's own tables (`_ponder_meta`,
 * `_ponder_checkpoint`, the `_reorg__*` shadows), the catalogs, or anything else on the search path. Checked on the
 * names the query uses (a name defined by its own `WITH` is its own) and again on the tables its plan reads, which is
 * what the database resolved those names to.
 */
export function checkRelations(names: Iterable<string>, tables: ReadonlySet<string>): void {
  for (const name of names) {
    if (!tables.has(name)) {
      throw new SqlRefused(`"${name}" is not one of the indexer's tables (${[...tables].sort().join(", ")})`);
    }
  }
}

/** Refuses a plan whose estimated cost is over `maxCost` (0: no bound). */
export function checkCost(plan: PlanNode, maxCost: number): void {
  const cost = plan["Total Cost"] ?? 0;
  if (maxCost > 0 && cost > maxCost) {
    throw new SqlRefused(
      `its estimated cost ${Math.round(cost)} is above the limit of ${maxCost} ` +
        "(add a LIMIT, a WHERE on an indexed column, or a join condition)",
    );
  }
}

/** A database error's SQLSTATE classes that are the query's doing: answered 400 with the database's reason. */
const CLIENT_SQLSTATE = /^(?:0A|21|22|25|2B|42|54)|^57014$/;

/** The SQLSTATE of a PostgreSQL (or PGlite) error, if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Turns a database error into the refusal a client can act on: a statement timeout says which limit it hit, any
 * other error of the query's making gives the database's reason; anything else (the database down, a bug) is
 * returned as it was, for the API's 500.
 */
export function refusalOf(error: unknown, limits: Pick<SqlLimits, "timeoutMs">): unknown {
  const state = sqlState(error);
  if (state === "57014") {
    return new SqlRefused(
      `it ran longer than ${limits.timeoutMs} ms (TRIBUTARY_SQL_TIMEOUT_MS) and was cancelled; narrow it or add a LIMIT`,
    );
  }
  if (state !== undefined && CLIENT_SQLSTATE.test(state)) {
    return new SqlRefused((error as Error).message.split("\n")[0]!.slice(0, 300));
  }
  return error;
}

/** The answer `@ponder/client` reads: `rows` as objects, the columns' names and types, `affectedRows` 0. */
export interface SqlAnswer {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows: 0;
}

/**
 * Serializes an answer fetched with at most `maxRows + 1` rows, refusing it when it has more than `maxRows` rows or
 * its JSON takes more than `maxBytes` bytes. Integers beyond 2^53 (PGlite answers them as bigints) become decimal
 * strings, as the numeric columns already are.
 */
export function serializeAnswer(answer: SqlAnswer, limits: Pick<SqlLimits, "maxRows" | "maxBytes">): string {
  if (answer.rows.length > limits.maxRows) {
    throw new SqlRefused(
      `the answer has more than ${limits.maxRows} rows (TRIBUTARY_SQL_MAX_ROWS); add a LIMIT or page with a WHERE`,
    );
  }
  const json = JSON.stringify(answer, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  const bytes = Buffer.byteLength(json);
  if (bytes > limits.maxBytes) {
    throw new SqlRefused(
      `the answer is larger than ${limits.maxBytes} bytes (TRIBUTARY_SQL_MAX_BYTES); select fewer columns or rows`,
    );
  }
  return json;
}

/**
 * The slots of open live queries, at most `max` in all and `perClient` per client, so that one client cannot take
 * them all. `acquire` returns a release function, or why no slot is free: `"all"` when every slot is taken, `"client"`
 * when this client holds its share; releasing twice frees one slot, so a stream can release on every way it ends
 * without counting twice.
 */
export class LiveQuerySlots {
  #open = 0;
  readonly #byClient = new Map<string, number>();

  constructor(
    readonly max: number,
    readonly perClient: number = max,
  ) {}

  get open(): number {
    return this.#open;
  }

  /** The slots `client` holds. */
  heldBy(client: string): number {
    return this.#byClient.get(client) ?? 0;
  }

  acquire(client: string): (() => void) | "all" | "client" {
    if (this.#open >= this.max) return "all";
    const held = this.heldBy(client);
    if (held >= this.perClient) return "client";
    this.#open++;
    this.#byClient.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = this.heldBy(client) - 1;
      if (left > 0) this.#byClient.set(client, left);
      else this.#byClient.delete(client);
    };
  }
}
