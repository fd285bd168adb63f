// Protections in front of every route: a per-client rate limit (429) and CORS restricted to configured origins. The
// cost of one request is bounded where it is spent: SQL over HTTP in sql.ts, GraphQL in graphqlLimits.ts, REST by its
// page sizes (http.ts).
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";

/** The client's address; "unknown" when the request is not served by the Node adapter (e.g. a test harness). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
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
