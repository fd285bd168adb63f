// Input validation and JSON shaping shared by the REST routes: every bad input is a 400 that names the parameter.
import type { Context } from "hono";

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

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;

export function parseLimit(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PAGE_SIZE) {
    throw new BadRequest("limit", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return Number(value);
}

/** An opaque cursor: base64url of the sort key of the last row of the previous page. */
export function encodeCursor(parts: (string | bigint | number)[]): string {
  return Buffer.from(parts.map(String).join(":")).toString("base64url");
}

export function decodeCursor(value: string | undefined, shape: RegExp): string[] | undefined {
  if (value === undefined || value === "") return undefined;
  const decoded = /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, "base64url").toString() : "";
  if (!shape.test(decoded)) throw new BadRequest("cursor", "cursor is not one this API returned");
  return decoded.split(":");
}

/** Serializes rows for JSON: bigints (amounts, times, block numbers) become decimal strings. */
export function toJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v)));
}

export function badRequest(c: Context, error: BadRequest) {
  return c.json({ error: error.message, parameter: error.parameter }, 400);
}
