// Protections in front of every route: who the client is (behind trusted proxies, from X-Forwarded-For), a per-client
// rate limit (429) and CORS restricted to configured origins. The cost of one request is bounded where it is spent: SQL
// over HTTP in sql.ts, GraphQL in graphqlLimits.ts, REST by its page sizes (http.ts).
import { BlockList, isIP } from "node:net";

import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";

/** The most X-Forwarded-For entries read, from the right: a longer header costs no more than this. */
export const MAX_FORWARDED_HOPS = 16;

/** Each request's client, once {@link identifyClients} has named it. */
const clients = new WeakMap<Request, string>();

/** The connection's address; "unknown" when the request is not served by the Node adapter (e.g. a test harness). */
function peerAddress(c: Context): string {
  try {
    return normalizeAddress(getConnInfo(c).remote.address ?? "") ?? "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * The client's address, which the rate limit, the live-query slots and the leaf uploads count by: the connection's
 * address, or behind a trusted proxy the one {@link identifyClients} read from X-Forwarded-For.
 */
export function clientAddress(c: Context): string {
  return clients.get(c.req.raw) ?? peerAddress(c);
}

/**
 * An address as a hop or a socket states it, without a port or brackets, an IPv4-mapped IPv6 address as its IPv4
 * form; undefined when it is not an IP address.
 */
export function normalizeAddress(hop: string): string | undefined {
  let address = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.indexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  return isIP(address) === 0 ? undefined : address.toLowerCase();
}

/** The addresses and ranges of TRIBUTARY_API_TRUSTED_PROXIES (checked by config.ts) as a lookup. */
export function trustedProxyList(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const type = isIP(address) === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return (address) => list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client of a request that reached us from `peer` with `forwardedFor` (X-Forwarded-For): `peer` itself unless it
 * is a trusted proxy; then, reading the header from the right (each proxy appends the address it saw), the first
 * address that is not a trusted proxy. A hop that is not an address, or a header longer than
 * {@link MAX_FORWARDED_HOPS} hops of trusted proxies, stops the walk at the last trusted hop: whatever lies further
 * left was written by someone no proxy vouches for.
 */
export function clientFrom(peer: string, forwardedFor: string | undefined, trusted: (address: string) => boolean) {
  if (peer === "unknown" || !trusted(peer) || !forwardedFor) return peer;
  const hops = forwardedFor.split(",");
  let client = peer;
  for (let i = hops.length - 1, read = 0; i >= 0 && read < MAX_FORWARDED_HOPS; i--, read++) {
    const address = normalizeAddress(hops[i]!);
    if (address === undefined) return client;
    client = address;
    if (!trusted(address)) return address;
  }
  return client;
}

/**
 * Names each request's client once, before the limits count it (see {@link clientFrom}). Without trusted proxies the
 * client is the connection's address and X-Forwarded-For is ignored, so a client cannot pick its own name.
 */
export function identifyClients(trustedProxies: readonly string[]): MiddlewareHandler {
  if (trustedProxies.length === 0) return (_c, next) => next();
  const trusted = trustedProxyList(trustedProxies);
  return async (c, next) => {
    clients.set(c.req.raw, clientFrom(peerAddress(c), c.req.header("x-forwarded-for"), trusted));
    return next();
  };
}

/**
 * A fixed-window limit per client address: at most `limit` requests per `windowMs`. Answers 429 with Retry-After
 * once a client is over it. Windows of clients that went quiet are dropped as new windows start.
 */
export function rateLimit(limit: number, windowMs: number): MiddlewareHandler {
  let windowStart = Date.now();
  let counts = new Map<string, number>();
  return async (c, next) => {
    if (limit === 0) return next();
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now - ((now - windowStart) % windowMs);
      counts = new Map();
    }
    const client = clientAddress(c);
    const count = (counts.get(client) ?? 0) + 1;
    counts.set(client, count);
    c.header("RateLimit-Limit", String(limit));
    c.header("RateLimit-Remaining", String(Math.max(0, limit - count)));
    if (count > limit) {
      const retryAfter = Math.ceil((windowStart + windowMs - now) / 1000);
      c.header("Retry-After", String(retryAfter));
      return c.json(
        { error: `rate limit: at most ${limit} requests per ${windowMs} ms; retry in ${retryAfter} s` },
        429,
      );
    }
    return next();
  };
}

/**
 * Restricts which web origins may read the API's answers. Ponder's server answers every origin with `*` before the
 * app runs (preflights included), so the decision is made on the answer itself: an allowed origin gets its own
 * `Access-Control-Allow-Origin`, any other origin none, and a browser then refuses to hand the answer to its page.
 */
export function corsOrigins(origins: string[]): MiddlewareHandler {
  const any = origins.includes("*");
  const allowed = new Set(origins);
  return async (c, next) => {
    await next();
    if (any) return;
    const origin = c.req.header("origin");
    if (origin !== undefined && allowed.has(origin)) {
      c.res.headers.set("Access-Control-Allow-Origin", origin);
      c.res.headers.append("Vary", "Origin");
    } else {
      c.res.headers.delete("Access-Control-Allow-Origin");
    }
  };
}
