// The REST answer cache (indexer/src/api/cache.ts) without an indexer: answers kept per URL until the version of the
// indexed state changes, bounded in entries and size, version reads coalesced; and its Hono middleware.
import { expect } from "chai";
import { Hono } from "hono";

import {
  AnswerCache,
  cacheAnswers,
  coalesced,
  etagOf,
  type AnswerCacheOptions,
  type CachedAnswer,
  type IndexedVersion,
} from "../../indexer/src/api/cache.ts";
import { rateLimit } from "../../indexer/src/api/limits.ts";

const json = (body: string, status = 200): CachedAnswer => ({ status, body, contentType: "application/json" });

/** A version source the test moves by hand, counting its reads. */
function versions(initial: IndexedVersion | string = "v1") {
  const source = {
    current: initial,
    reads: 0,
    read: async () => {
      source.reads += 1;
      return source.current;
    },
  };
  return source;
}

/** A route stand-in counting its runs. */
function route(answer: () => CachedAnswer = () => json("{}")) {
  const counter = {
    runs: 0,
    compute: async () => {
      counter.runs += 1;
      return answer();
    },
  };
  return counter;
}

function cacheWith(version: () => Promise<IndexedVersion | string>, options: Partial<AnswerCacheOptions> = {}) {
  return new AnswerCache({ maxEntries: 10, maxBodyChars: 1000, maxTotalChars: 10_000, version, ...options });
}

/** A promise the test settles when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("AnswerCache", () => {
  it("serves the kept answer while the version is unchanged", async () => {
    const source = versions();
    const cache = cacheWith(source.read);
    const counter = route();
    const first = await cache.answer("/stats", counter.compute);
    const second = await cache.answer("/stats", counter.compute);
    expect(counter.runs).to.equal(1);
    expect([first.hit, second.hit]).to.deep.equal([false, true]);
    expect(second.answer).to.deep.equal(first.answer);
    expect(second.version).to.equal("v1");
  });

  it("recomputes an answer once the version changes", async () => {
    const source = versions();
    const cache = cacheWith(source.read);
    let total = 1;
    const counter = route(() => json(`{"total":${total}}`));
    await cache.answer("/authors/0xa/contributions", counter.compute);
    source.current = "v2";
    total = 2;
    const after = await cache.answer("/authors/0xa/contributions", counter.compute);
    expect(counter.runs).to.equal(2);
    expect(after).to.deep.equal({ answer: json(`{"total":2}`), version: "v2", hit: false });
  });

  it("keeps an answer under the version read before computing it", async () => {
    const source = versions();
    const cache = cacheWith(source.read);
    // The indexer moves on while the route runs: the answer may be newer than v1, never older.
    const counter = route(() => {
      source.current = "v2";
      return json("{}");
    });
    const first = await cache.answer("/pools", counter.compute);
    expect(first.version).to.equal("v1");
    const second = await cache.answer("/pools", counter.compute);
    expect(second.hit).to.equal(false);
    expect(counter.runs).to.equal(2);
  });

  it("evicts the least recently used answer beyond maxEntries", async () => {
    const cache = cacheWith(versions().read, { maxEntries: 2 });
    const counter = route();
    await cache.answer("/a", counter.compute);
    await cache.answer("/b", counter.compute);
    await cache.answer("/a", counter.compute);
    await cache.answer("/c", counter.compute);
    expect(cache.size).to.equal(2);
    expect((await cache.answer("/a", counter.compute)).hit).to.equal(true);
    expect((await cache.answer("/b", counter.compute)).hit).to.equal(false);
  });

  it("does not keep a body longer than maxBodyChars", async () => {
    const cache = cacheWith(versions().read, { maxBodyChars: 10 });
    const counter = route(() => json("x".repeat(11)));
    await cache.answer("/pools", counter.compute);
    const second = await cache.answer("/pools", counter.compute);
    expect(second.hit).to.equal(false);
    expect(second.answer.body).to.have.length(11);
    expect(cache.size).to.equal(0);
  });

  it("keeps at most maxTotalChars of bodies, evicting the least recently used", async () => {
    const cache = cacheWith(versions().read, { maxBodyChars: 10, maxTotalChars: 25 });
    const counter = route(() => json("x".repeat(10)));
    await cache.answer("/a", counter.compute);
    await cache.answer("/b", counter.compute);
    await cache.answer("/c", counter.compute);
    expect(cache.size).to.equal(2);
    expect((await cache.answer("/a", counter.compute)).hit).to.equal(false);
  });

  it("keeps 200 and 404 answers only", async () => {
    const cache = cacheWith(versions().read);
    for (const status of [200, 404, 400, 429, 500]) {
      const counter = route(() => json("{}", status));
      await cache.answer(`/status/${status}`, counter.compute);
      await cache.answer(`/status/${status}`, counter.compute);
      expect(counter.runs, `status ${status}`).to.equal(status === 200 || status === 404 ? 1 : 2);
    }
  });

  it("coalesces the version reads of concurrent requests", async () => {
    const source = versions();
    const cache = cacheWith(source.read);
    const counter = route();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => cache.answer(`/k${i}`, counter.compute)));
    expect(source.reads).to.equal(1);
    expect(results.every((r) => r.version === "v1")).to.equal(true);
    await cache.answer("/k0", counter.compute);
    expect(source.reads).to.equal(2);
  });

  it("runs the route once for concurrent requests to one URL", async () => {
    const cache = cacheWith(versions().read);
    const gate = deferred<void>();
    let runs = 0;
    const compute = async () => {
      runs += 1;
      await gate.promise;
      return json(`{"n":1}`);
    };
    const pending = Array.from({ length: 5 }, () => cache.answer("/stats", compute));
    gate.resolve();
    const results = await Promise.all(pending);
    expect(runs).to.equal(1);
    expect(results.map((r) => r.answer.body)).to.deep.equal(Array(5).fill(`{"n":1}`));
  });

  it("neither reads the version nor keeps answers at 0 entries", async () => {
    const source = versions();
    const cache = cacheWith(source.read, { maxEntries: 0 });
    const counter = route();
    await cache.answer("/stats", counter.compute);
    const second = await cache.answer("/stats", counter.compute);
    expect(cache.enabled).to.equal(false);
    expect(source.reads).to.equal(0);
    expect(counter.runs).to.equal(2);
    expect(second.version).to.equal(undefined);
  });

  it("answers without the cache when the version cannot be read", async () => {
    const cache = cacheWith(async () => {
      throw new Error("database unreachable");
    });
    const counter = route();
    const result = await cache.answer("/stats", counter.compute);
    await cache.answer("/stats", counter.compute);
    expect(result.version).to.equal(undefined);
    expect(counter.runs).to.equal(2);
  });
});

describe("AnswerCache with a data version and a head version", () => {
  /** A tables-only answer and one at the head, both kept at d1/n1, and then at `next`. */
  async function bothKeptThen(next: IndexedVersion) {
    const source = versions({ data: "d1", head: "n1" });
    const cache = cacheWith(source.read);
    const tablesOnly = route();
    const atHead = route();
    await cache.answer("/authors/0xa/contributions", tablesOnly.compute, true);
    await cache.answer("/stats", atHead.compute);
    source.current = next;
    const list = await cache.answer("/authors/0xa/contributions", tablesOnly.compute, true);
    const stats = await cache.answer("/stats", atHead.compute);
    return { cache, runs: [tablesOnly.runs, atHead.runs], list, stats };
  }

  it("keeps a tables-only answer while only the head moves, and recomputes the others", async () => {
    const { runs, list, stats } = await bothKeptThen({ data: "d1", head: "n2" });
    expect(runs).to.deep.equal([1, 2]);
    expect(list).to.include({ version: "d1", hit: true });
    expect(stats).to.include({ version: "n2", hit: false });
  });

  it("recomputes every answer once the data version moves", async () => {
    const { cache, runs, list, stats } = await bothKeptThen({ data: "d2", head: "n2" });
    expect(runs).to.deep.equal([2, 2]);
    expect(list).to.include({ version: "d2", hit: false });
    expect(stats).to.include({ version: "n2", hit: false });
    expect(cache.size).to.equal(2);
  });

  it("does not keep a tables-only answer computed before the data version moved", async () => {
    const source = versions({ data: "d1", head: "n1" });
    const cache = cacheWith(source.read);
    const gate = deferred<void>();
    const slow = route();
    const pending = cache.answer(
      "/authors/0xa/contributions",
      async () => {
        await gate.promise;
        return slow.compute();
      },
      true,
    );
    await Promise.resolve();
    source.current = { data: "d2", head: "n2" };
    await cache.answer("/stats", route().compute);
    gate.resolve();
    expect(await pending).to.include({ version: "d1", hit: false });
    const next = await cache.answer("/authors/0xa/contributions", slow.compute, true);
    expect(next).to.include({ version: "d2", hit: false });
    expect(slow.runs).to.equal(2);
  });
});

describe("coalesced version reads", () => {
  it("shares a read in flight, and starts a new one once it settled", async () => {
    const gates = [deferred<string>(), deferred<string>()];
    let reads = 0;
    const read = coalesced(() => gates[reads++]!.promise);
    const first = [read(), read(), read()];
    expect(reads).to.equal(1);
    gates[0]!.resolve("v1");
    expect(await Promise.all(first)).to.deep.equal(["v1", "v1", "v1"]);
    const second = read();
    gates[1]!.resolve("v2");
    expect(await second).to.equal("v2");
    expect(reads).to.equal(2);
  });

  it("starts a new read after a failed one", async () => {
    let reads = 0;
    const read = coalesced(async () => {
      reads += 1;
      if (reads === 1) throw new Error("database unreachable");
      return "v1";
    });
    let failure: unknown;
    await read().catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    expect(await read()).to.equal("v1");
  });
});

describe("cacheAnswers middleware", () => {
  function app(options: { skip?: (path: string) => boolean; limit?: number } = {}) {
    const source = versions("000123.45");
    const counter = { runs: 0 };
    const hono = new Hono();
    if (options.limit !== undefined) hono.use("*", rateLimit(options.limit, 60_000));
    hono.use("*", cacheAnswers(cacheWith(source.read), options.skip ?? (() => false)));
    hono.get("/stats", (c) => {
      counter.runs += 1;
      return c.json({ runs: counter.runs });
    });
    hono.post("/stats", (c) => c.json({ posted: true }));
    return { hono, source, counter };
  }

  it("sets a weak ETag of the answer's content and answers 304 to a matching If-None-Match", async () => {
    const { hono } = app();
    const first = await hono.request("/stats");
    const etag = etagOf('{"runs":1}');
    expect(first.headers.get("etag")).to.equal(etag);
    expect(etag).to.match(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(await first.json()).to.deep.equal({ runs: 1 });
    const revalidated = await hono.request("/stats", { headers: { "if-none-match": etag } });
    expect(revalidated.status).to.equal(304);
    expect(await revalidated.text()).to.equal("");
  });

  it("gives the same answer the same ETag in another process, and a changed answer another", async () => {
    // Two caches stand for two processes (a restart, a replica) whose version counters say the same.
    const one = app();
    const other = app();
    const etag = (await one.hono.request("/stats")).headers.get("etag")!;
    expect((await other.hono.request("/stats")).headers.get("etag")).to.equal(etag);
    other.source.current = "000124.46";
    const changed = await other.hono.request("/stats", { headers: { "if-none-match": etag } });
    expect(changed.status).to.equal(200);
    expect(changed.headers.get("etag")).to.equal(etagOf('{"runs":2}'));
  });

  it("sets ETags with the cache off too", async () => {
    const source = versions("v1");
    const hono = new Hono();
    hono.use(
      "*",
      cacheAnswers(cacheWith(source.read, { maxEntries: 0 }), () => false),
    );
    hono.get("/stats", (c) => c.json({ same: true }));
    const etag = (await hono.request("/stats")).headers.get("etag")!;
    expect(etag).to.equal(etagOf('{"same":true}'));
    expect((await hono.request("/stats", { headers: { "if-none-match": etag } })).status).to.equal(304);
    expect(source.reads).to.equal(0);
  });

  it("sets no ETag on an answer other than 200", async () => {
    const source = versions("v1");
    const hono = new Hono();
    hono.use(
      "*",
      cacheAnswers(cacheWith(source.read), () => false),
    );
    hono.get("/missing", (c) => c.json({ error: "no such thing" }, 404));
    const missing = await hono.request("/missing");
    expect(missing.status).to.equal(404);
    expect(missing.headers.get("etag")).to.equal(null);
  });

  it("serves the kept body with its content type until the version changes", async () => {
    const { hono, source } = app();
    await hono.request("/stats");
    const kept = await hono.request("/stats");
    expect(kept.headers.get("content-type")).to.match(/^application\/json/);
    expect(await kept.json()).to.deep.equal({ runs: 1 });
    source.current = "000124.46";
    const fresh = await hono.request("/stats", { headers: { "if-none-match": 'W/"000123.45"' } });
    expect(fresh.status).to.equal(200);
    expect(await fresh.json()).to.deep.equal({ runs: 2 });
  });

  it("leaves skipped paths and other methods than GET to the route", async () => {
    const { hono, source, counter } = app({ skip: (path) => path === "/stats" });
    await hono.request("/stats");
    await hono.request("/stats");
    expect(counter.runs).to.equal(2);
    expect((await hono.request("/stats", { method: "POST" })).headers.get("etag")).to.equal(null);
    expect(source.reads).to.equal(0);
  });

  it("keeps the ETag of a tables-only path while only the head moves", async () => {
    const source = versions({ data: "d7", head: "n40" });
    const hono = new Hono();
    hono.use(
      "*",
      cacheAnswers(
        cacheWith(source.read),
        () => false,
        (path) => path.startsWith("/authors/"),
      ),
    );
    let runs = 0;
    hono.get("/authors/:address/contributions", (c) => c.json({ runs: ++runs }));
    hono.get("/stats", (c) => c.json({ runs: ++runs }));
    const listed = (await hono.request("/authors/0xa/contributions")).headers.get("etag")!;
    const stats = (await hono.request("/stats")).headers.get("etag")!;
    source.current = { data: "d7", head: "n41" };
    const revalidated = await hono.request("/authors/0xa/contributions", { headers: { "if-none-match": listed } });
    expect(revalidated.status).to.equal(304);
    const recomputed = await hono.request("/stats", { headers: { "if-none-match": stats } });
    expect(recomputed.status).to.equal(200);
    expect(recomputed.headers.get("etag")).to.not.equal(stats);
    expect(runs).to.equal(3);
  });

  it("lets the rate limit apply to kept answers", async () => {
    const { hono, counter } = app({ limit: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await hono.request("/stats")).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
    expect(counter.runs).to.equal(1);
  });
});
