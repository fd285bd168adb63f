// A cache of REST answers keyed by URL and by the indexed state. Every REST answer (but the solvency report, which
// reads the chain) depends only on its URL and on what the indexer has indexed, and the indexed state changes only
// when the indexer writes its checkpoint: an answer stays right until that version changes. Answers that read only
// tables (not the indexed head's time) stay right until a block writes a row: they are kept under the data version,
// which blocks that write nothing leave as it is. No Ponder import here, so the unit tests can run it without an
// indexer.
//
// ETags name an answer's content (a hash of its body), never the version it was kept under: versions are counters of
// one process, so another process (a restart, a replica) could reuse one for another answer and a client would be
// told 304 for an answer that changed. A hash of the body changes exactly when the answer does, is the same for the
// same answer from any process, and costs one hash per computed answer.
import { createHash } from "node:crypto";

import type { MiddlewareHandler } from "hono";

/** What the cache keeps of an answer. */
export interface CachedAnswer {
  status: number;
  body: string;
  contentType: string;
  /** The ETag of a 200 answer's body (`etagOf`). */
  etag?: string;
}

export interface AnswerCacheOptions {
  /** How many answers to keep at most (least recently used first out); 0 turns the cache off. */
  maxEntries: number;
  /** The longest body kept, in characters; a longer answer is served but not kept. */
  maxBodyChars: number;
  /** How many characters of bodies to keep in all. */
  maxTotalChars: number;
  /** Reads what identifies the indexed state now; one string stands for both versions. */
  version: () => Promise<IndexedVersion | string>;
}

/**
 * What identifies the indexed state. `head` changes with every indexed block (and so whenever `data` does); `data`
 * changes only when a block writes or rolls back a row. The two never share a value.
 */
export interface IndexedVersion {
  data: string;
  head: string;
}

export interface AnswerResult {
  answer: CachedAnswer;
  /** The version the answer is valid for; undefined when the cache is off or the version could not be read. */
  version: string | undefined;
  /** Whether the answer came from the cache (kept, or computed for a concurrent request) instead of `compute`. */
  hit: boolean;
}

interface Entry {
  version: string;
  answer: CachedAnswer;
}

/**
 * Coalesces calls to `read` (single flight): a call made while a read is in flight shares it instead of starting
 * another, so the database sees at most one version read at a time however many requests arrive.
 */
export function coalesced<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    if (inFlight !== undefined) return inFlight;
    const promise = (async () => read())();
    inFlight = promise;
    const settle = () => {
      if (inFlight === promise) inFlight = undefined;
    };
    promise.then(settle, settle);
    return promise;
  };
}

export class AnswerCache {
  readonly #options: AnswerCacheOptions;
  /** Reads the version into `#latest`, dropping the entries of an older data version. */
  readonly #readVersion: () => Promise<void>;
  /** Insertion order is recency: a hit moves its entry to the end, eviction takes from the front. */
  readonly #entries = new Map<string, Entry>();
  /** Answers being computed, so that concurrent requests for one URL run the route once. */
  readonly #computing = new Map<string, { version: string; promise: Promise<CachedAnswer> }>();
  #chars = 0;
  /**
   * The newest version read; entries of another data version were dropped when it was read, and entries of another
   * head version miss.
   */
  #latest: IndexedVersion | undefined;

  constructor(options: AnswerCacheOptions) {
    this.#options = options;
    this.#readVersion = coalesced(async () => {
      const read = await options.version();
      const version = typeof read === "string" ? { data: read, head: read } : read;
      if (version.data !== this.#latest?.data) {
        this.#entries.clear();
        this.#chars = 0;
      }
      this.#latest = version;
    });
  }

  get enabled(): boolean {
    return this.#options.maxEntries > 0;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The answer for `key` at the indexed state now: the kept one if it was computed at the current version, else the
   * result of `compute`, kept under the version read before computing it (so a kept answer is never older than its
   * version). Only 200 and 404 answers up to `maxBodyChars` are kept. `tablesOnly`: the answer reads tables only, not
   * the indexed head, so it is kept under the data version.
   */
  async answer(key: string, compute: () => Promise<CachedAnswer>, tablesOnly = false): Promise<AnswerResult> {
    if (!this.enabled) return { answer: await compute(), version: undefined, hit: false };
    try {
      await this.#readVersion();
    } catch {
      // Without a version nothing can be checked or kept: answer as if there were no cache.
      return { answer: await compute(), version: undefined, hit: false };
    }
    // The newest version read: the one this request waited for, or one read after it.
    const versionNow = () => (tablesOnly ? this.#latest!.data : this.#latest!.head);
    const version = versionNow();

    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.version === version) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return { answer: entry.answer, version, hit: true };
    }
    const running = this.#computing.get(key);
    if (running !== undefined && running.version === version) {
      const shared = await running.promise.catch(() => undefined);
      if (shared !== undefined && this.#keepable(shared)) return { answer: shared, version, hit: true };
    }

    const computing = { version, promise: compute() };
    this.#computing.set(key, computing);
    let answer: CachedAnswer;
    try {
      answer = await computing.promise;
    } finally {
      if (this.#computing.get(key) === computing) this.#computing.delete(key);
    }
    // An answer computed for a version that has since changed would only ever miss.
    if (this.#keepable(answer) && version === versionNow()) this.#keep(key, { version, answer });
    return { answer, version, hit: false };
  }

  #keepable(answer: CachedAnswer): boolean {
    return (answer.status === 200 || answer.status === 404) && answer.body.length <= this.#options.maxBodyChars;
  }

  #keep(key: string, entry: Entry) {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#chars -= previous.answer.body.length;
    }
    this.#entries.set(key, entry);
    this.#chars += entry.answer.body.length;
    for (const [oldest, { answer }] of this.#entries) {
      if (this.#entries.size <= this.#options.maxEntries && this.#chars <= this.#options.maxTotalChars) break;
      this.#entries.delete(oldest);
      this.#chars -= answer.body.length;
    }
  }
}

/**
 * The ETag of an answer's body: 128 bits of its SHA-256, weak because the answer is compared as JSON, not bytes (a
 * proxy may compress it).
 */
export function etagOf(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const wanted = etag.slice(2);
  return ifNoneMatch.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === wanted;
  });
}

/**
 * Serves GET requests from `cache`, keyed by path and query string, except the paths `skip` names; the answers of the
 * paths `tablesOnly` names are kept under the data version. A 200 answer carries a weak ETag of its content (also
 * with the cache off); a request whose `If-None-Match` holds it gets a 304 without a body. Register it after the rate
 * limit and CORS, which then apply to kept answers too.
 */
export function cacheAnswers(
  cache: AnswerCache,
  skip: (path: string) => boolean,
  tablesOnly: (path: string) => boolean = () => false,
): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== "GET" || skip(c.req.path)) return next();
    const url = c.req.url;
    const key = url.slice(url.indexOf("/", url.indexOf("//") + 2));
    const compute = async (): Promise<CachedAnswer> => {
      await next();
      const body = await c.res.text();
      const answer = { status: c.res.status, body, contentType: c.res.headers.get("content-type") ?? "" };
      return answer.status === 200 ? { ...answer, etag: etagOf(body) } : answer;
    };
    const { answer } = await cache.answer(key, compute, tablesOnly(c.req.path));
    const headers: Record<string, string> = { "content-type": answer.contentType };
    if (answer.etag !== undefined) {
      headers.etag = answer.etag;
      if (matches(c.req.header("if-none-match"), answer.etag)) {
        c.res = c.body(null, 304, { etag: answer.etag });
        return;
      }
    }
    // Set, not returned: after `next()` Hono keeps the route's answer and ignores a returned one.
    c.res = c.body(answer.body, answer.status as 200, headers);
  };
}
