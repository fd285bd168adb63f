// A cost limit for GraphQL beside the depth, alias and token limits Ponder's middleware applies, and refusals as
// 4xx answers. No import of Ponder here, so the unit tests run it without an indexer (test/api/graphql-limits.test.ts).
//
// Depth and aliases bound the shape of a query, not what it reads: `contributions(limit: 1000) { items {
// authorAccount { contributions(limit: 1000) { … } } } }` is four levels deep and returned 91 MB in 32 s. The cost is
// the number of rows a query may read, known before it runs: each list (a plural field or a one-to-many relation,
// whose type is a page of `items`) reads its `limit` (Ponder's default 50 when none is given) plus its `offset`, once
// for every row of the lists it is nested in; a single row (a field by key, a one-to-one relation) counts one per
// enclosing row; a `totalCount` counts TOTAL_COUNT_ROWS per page it is asked of.
import {
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import type { Context as HonoContext, MiddlewareHandler } from "hono";

import { GRAPHQL_DEFAULT_PAGE_SIZE, GRAPHQL_MAX_PAGE_SIZE } from "./ponderAdapter.ts";

/** Ponder's page size when a list has no `limit`, and the largest it accepts (ponderAdapter.ts). */
export const DEFAULT_PAGE_SIZE = GRAPHQL_DEFAULT_PAGE_SIZE;
export const MAX_PAGE_SIZE = GRAPHQL_MAX_PAGE_SIZE;
/** What a `totalCount` costs, in rows: a count over the list's filtered rows, which an index answers in one pass. */
export const TOTAL_COUNT_ROWS = 100;
/** The largest `POST /graphql` body read; the token limit keeps a query far smaller. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The fields of a list's page type (Ponder's `<table>Page`): a selection of one of them is a list. */
const PAGE_FIELDS = new Set(["items", "pageInfo", "totalCount"]);

/** A GraphQL request refused before it runs: answered 400 with `{ error, parameter, errors }`. */
export class GraphqlRefused extends Error {}

type Variables = Record<string, unknown>;

interface Context {
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
  /** Default values of the operation's variables. */
  defaults: Map<string, ValueNode>;
}

/** The fields of a selection set with its fragments spread, guarding against a fragment that spreads itself. */
function fieldsOf(set: SelectionSetNode, context: Context, spreading: ReadonlySet<string> = new Set()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      fields.push(...fieldsOf(selection.selectionSet, context, spreading));
    else {
      const name = selection.name.value;
      const fragment = context.fragments.get(name);
      // An unknown or self-spreading fragment is invalid: GraphQL's validation refuses it after this estimate.
      if (fragment === undefined || spreading.has(name)) continue;
      fields.push(...fieldsOf(fragment.selectionSet, context, new Set([...spreading, name])));
    }
  }
  return fields;
}

/** An integer argument's value (a literal or a variable), or undefined when the field does not give one. */
function intArgument(field: FieldNode, name: string, context: Context): number | undefined {
  const argument = field.arguments?.find((arg) => arg.name.value === name);
  if (argument === undefined) return undefined;
  let value: ValueNode | undefined = argument.value;
  if (value.kind === Kind.VARIABLE) {
    const variable = value.name.value;
    const given = context.variables[variable];
    if (given !== undefined && given !== null) {
      if (typeof given !== "number" || !Number.isInteger(given)) {
        throw new GraphqlRefused(`${name} must be a whole number, got ${JSON.stringify(given)} in $${variable}`);
      }
      return given;
    }
    value = context.defaults.get(variable);
    if (value === undefined) return undefined;
  }
  if (value.kind === Kind.NULL) return undefined;
  if (value.kind !== Kind.INT) throw new GraphqlRefused(`${name} must be a whole number`);
  return Number(value.value);
}

function pageSize(field: FieldNode, context: Context): { limit: number; offset: number } {
  const limit = intArgument(field, "limit", context) ?? DEFAULT_PAGE_SIZE;
  const offset = intArgument(field, "offset", context) ?? 0;
  if (limit < 0 || limit > MAX_PAGE_SIZE) {
    throw new GraphqlRefused(`limit must be a whole number from 0 to ${MAX_PAGE_SIZE}, got ${limit}`);
  }
  if (offset < 0) throw new GraphqlRefused(`offset must not be negative, got ${offset}`);
  return { limit, offset };
}

function selectionCost(set: SelectionSetNode, rows: number, context: Context): number {
  let cost = 0;
  for (const field of fieldsOf(set, context)) {
    if (field.selectionSet === undefined) continue;
    const subfields = fieldsOf(field.selectionSet, context);
    if (subfields.some((subfield) => PAGE_FIELDS.has(subfield.name.value))) {
      const { limit, offset } = pageSize(field, context);
      // One query per enclosing row, reading `offset + limit` rows (at least the one it looks at).
      cost += rows * Math.max(1, limit + offset);
      for (const subfield of subfields) {
        if (subfield.name.value === "totalCount") cost += rows * TOTAL_COUNT_ROWS;
        if (subfield.name.value === "items" && subfield.selectionSet !== undefined) {
          cost += selectionCost(subfield.selectionSet, rows * limit, context);
        }
      }
    } else {
      cost += rows + selectionCost(field.selectionSet, rows, context);
    }
  }
  return cost;
}

export interface CostParameters {
  variables?: Variables;
  operationName?: string;
}

/**
 * The rows a query may read (see the head of this file). Of a document with several operations, the one named
 * `operationName`, or the dearest when none is named.
 */
export function estimateCost(document: DocumentNode, { variables = {}, operationName }: CostParameters = {}): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const chosen = operationName ? operations.filter((op) => op.name?.value === operationName) : operations;
  let cost = 0;
  for (const operation of chosen) {
    const defaults = new Map<string, ValueNode>();
    for (const definition of operation.variableDefinitions ?? []) {
      if (definition.defaultValue !== undefined) defaults.set(definition.variable.name.value, definition.defaultValue);
    }
    cost = Math.max(cost, selectionCost(operation.selectionSet, 1, { fragments, variables, defaults }));
  }
  return cost;
}

export interface GraphqlLimitOptions {
  /** The most rows a query may read, as `estimateCost` counts them; 0 turns the check off. */
  maxCost: number;
  /** The token limit Ponder's middleware applies after this one: the parse here stops at it too. */
  maxTokens: number;
  /**
   * On PGlite, the share of its thread queries run in (share.ts's HalfShare): one at a time, at most half of the time.
   * A request it refuses (too many waiting) throws an error marked `busy`, answered 503.
   */
  share?: { run<T>(task: () => Promise<T>): Promise<T> };
}

function refusal(c: HonoContext, message: string, status: 400 | 413 | 503 = 400) {
  return c.json({ error: message, parameter: "query", errors: [{ message }] }, status);
}

/**
 * In front of Ponder's `graphql()` middleware on `POST /graphql`: refuses a body over MAX_BODY_BYTES (413) and a
 * query whose estimated cost is over `maxCost` (400), then runs it within `share` when there is one. Behind it: Ponder answers every GraphQL refusal (syntax,
 * validation, its depth, alias and token limits, a resolver's refusal of its arguments) as a 200 with `errors` and
 * no `data`; those become 400s, with the GraphQL `errors` kept and the first message as `error`.
 */
export function graphqlLimits({ maxCost, maxTokens, share }: GraphqlLimitOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const body = await c.req.raw.clone().text();
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
      return refusal(c, `the request body is larger than ${MAX_BODY_BYTES} bytes`, 413);
    }
    let request: { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      // Not JSON: Ponder's GraphQL server answers why, made a 400 below.
    }
    if (maxCost > 0 && typeof request?.query === "string") {
      let document: DocumentNode | undefined;
      try {
        document = parse(request.query, { maxTokens });
      } catch {
        // A syntax error or too many tokens: Ponder's GraphQL server answers it, made a 400 below.
      }
      if (document !== undefined) {
        let cost: number;
        try {
          cost = estimateCost(document, {
            variables:
              typeof request.variables === "object" && request.variables !== null
                ? (request.variables as Variables)
                : {},
            operationName: typeof request.operationName === "string" ? request.operationName : undefined,
          });
        } catch (error) {
          if (error instanceof GraphqlRefused) return refusal(c, error.message);
          throw error;
        }
        if (cost > maxCost) {
          return refusal(
            c,
            `the query may read ${cost} rows, over the cost limit of ${maxCost} (TRIBUTARY_GRAPHQL_MAX_COST): ` +
              `lower the limit of nested lists, or page with before/after`,
          );
        }
      }
    }

    try {
      await (share === undefined ? next() : share.run(next));
    } catch (error) {
      if ((error as { busy?: unknown } | null)?.busy !== true) throw error;
      c.res = undefined;
      c.res = refusal(c, (error as Error).message, 503);
      c.res.headers.set("Retry-After", "1");
      return;
    }
    if (c.res.status !== 200 || !(c.res.headers.get("content-type") ?? "").includes("json")) return;
    const text = await c.res.clone().text();
    // graphql-js puts `errors` first, and a request error has no `data`; a root field that failed has `data: null`.
    if (!text.startsWith('{"errors"') && !text.startsWith('{"data":null')) return;
    let answer: { data?: unknown; errors?: { message?: unknown }[] };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      return;
    }
    const errors = answer.errors;
    if (!Array.isArray(errors) || errors.length === 0 || (answer.data !== undefined && answer.data !== null)) return;
    const message = typeof errors[0]?.message === "string" ? errors[0].message : "the query was refused";
    // Unset first: Hono copies the previous answer's headers (its content-length too) onto the one that replaces it.
    c.res = undefined;
    c.res = c.json({ error: message, parameter: "query", errors }, 400);
  };
}
