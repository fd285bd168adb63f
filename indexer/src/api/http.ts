// Input validation and JSON shaping shared by the REST routes: every bad input is a 400 that names the parameter.
import type { Context } from "hono";
import { validator } from "hono/validator";

export type Hex = `0x${string}`;

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A rejected input: the route answers 400 with `{ error, parameter }`. */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export function parseHash(value: string | undefined, parameter: string): Hex {
  if (value === undefined || !HASH.test(value)) {
    throw new BadRequest(parameter, `${parameter} must be 0x followed by 64 hexadecimal characters`);
  }
  return value.toLowerCase() as Hex;
}

export function parseAddress(value: string | undefined, parameter: string): Hex {
  if (value === undefined || !ADDRESS.test(value)) {
    throw new BadRequest(parameter, `${parameter} must be an address: 0x followed by 40 hexadecimal characters`);
  }
  return value.toLowerCase() as Hex;
}

export function parsePoolId(value: string | undefined): bigint {
  if (value === undefined || !/^[1-9]\d{0,30}$/.test(value)) {
    throw new BadRequest("poolId", "poolId must be a positive whole number");
  }
  return BigInt(value);
}

/** An epoch's number in its pool: 1 to 2^32 - 1 (AttributionEpochs' uint32). */
export function parseEpochId(value: string | undefined): number {
  if (value === undefined || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > 2 ** 32 - 1) {
    throw new BadRequest("epochId", "epochId must be a whole number from 1 to 4294967295");
  }
  return Number(value);
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export function parseLimit(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PAGE_SIZE) {
    throw new BadRequest("limit", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return Number(value);
}

/**
 * Declares a list route's query, `limit` and `cursor`, so that the typed client (sdk/api.ts) may send them; the
 * handler checks their values (`parseLimit`, `decodeCursor`).
 */
export const pageQuery = validator("query", (query) => query as { limit?: string; cursor?: string });

/** An opaque cursor: base64url of the sort key of the last row of the previous page. */
export function encodeCursor(parts: (string | bigint | number)[]): string {
  return Buffer.from(parts.map(String).join(":")).toString("base64url");
}

/**
 * One part of a cursor, as the column it is compared with stores it: `uint` a bigint column (Ponder's numeric(78),
 * at most 2^256 - 1), `int32` an integer column (a log index), `hash` a 32-byte hex string. A forged cursor with a
 * part out of its column's range is refused here, before the database would fail on it.
 */
export type CursorPart = "uint" | "int32" | "hash";

const UINT256_MAX = 2n ** 256n - 1n;
const INT32_MAX = 2n ** 31n - 1n;

function cursorPartValid(part: string, kind: CursorPart): boolean {
  if (kind === "hash") return /^0x[0-9a-f]{64}$/.test(part);
  if (!/^\d{1,78}$/.test(part)) return false;
  return BigInt(part) <= (kind === "int32" ? INT32_MAX : UINT256_MAX);
}

/** The parts of a cursor this API returned, checked against `parts`; undefined when there is no cursor. */
export function decodeCursor(value: string | undefined, parts: CursorPart[]): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  const decoded = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, "base64url").toString() : "";
  const split = decoded.split(":");
  if (split.length !== parts.length || !split.every((part, i) => cursorPartValid(part, parts[i]!))) {
    throw new BadRequest("cursor", "cursor is not one this API returned");
  }
  return split;
}

/** A list route's `limit` and `cursor`, checked; the cursor's parts as `decodeCursor` gives them. */
export function pageParameters(c: { req: { query(name: string): string | undefined } }, parts: CursorPart[]) {
  return { limit: parseLimit(c.req.query("limit")), cursor: decodeCursor(c.req.query("cursor"), parts) };
}

/**
 * One page of a list route out of the `limit + 1` rows it read in order: the first `limit`, and the cursor after the
 * last of them (`key` gives its sort key), or null when no row follows.
 */
export function page<T>(rows: T[], limit: number, key: (row: T) => (string | bigint | number)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}

/** What `toJson` makes of a `T`: bigints become decimal strings, everything else as JSON has it. */
export type Json<T> = T extends bigint
  ? string
  : T extends string | number | boolean | null
    ? T
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T as T[K] extends undefined ? never : K]: Json<T[K]> }
        : never;

/**
 * Serializes rows for JSON: bigints (amounts, times, block numbers) become decimal strings. Typed, so that each
 * route's answer type (`ApiRoutes` in index.ts) is what the client reads.
 */
export function toJson<T>(value: T): Json<T> {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v))) as Json<T>;
}

/** The one shape of every error answer: `{ error, parameter? }`. */
export interface ErrorBody {
  error: string;
  /** The request parameter the error is about, when there is one. */
  parameter?: string;
}

export function errorBody(error: string, parameter?: string): ErrorBody {
  return parameter === undefined ? { error } : { error, parameter };
}

export function badRequest(c: Context, error: BadRequest) {
  return c.json(errorBody(error.message, error.parameter), 400);
}
