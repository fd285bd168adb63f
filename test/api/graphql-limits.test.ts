// The GraphQL cost limit (indexer/src/api/graphqlLimits.ts) without an indexer: the rows a query may read, from its
// page sizes down nested lists, and the middleware's refusals as 400s (also the ones Ponder answers as 200s).
import { expect } from "chai";
import { parse } from "graphql";
import { Hono } from "hono";

import {
  DEFAULT_PAGE_SIZE,
  TOTAL_COUNT_ROWS,
  estimateCost,
  graphqlLimits,
} from "../../indexer/src/api/graphqlLimits.ts";

const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  estimateCost(parse(query), { variables, operationName });

describe("estimateCost", () => {
  it("counts a list's limit, Ponder's default page size without one, and one row for a field by key", () => {
    expect(cost("{ pools(limit: 10) { items { id } } }")).to.equal(10);
    expect(cost("{ pools { items { id } } }")).to.equal(DEFAULT_PAGE_SIZE);
    expect(cost('{ pool(id: "1") { id admin } }')).to.equal(1);
  });

  it("multiplies nested lists by the rows of the lists they are in", () => {
    // 1,000 pools, then 1,000 positions for each: the query that returned 91 MB.
    expect(cost("{ pools(limit: 1000) { items { positions(limit: 1000) { items { id } } } } }")).to.equal(
      1000 + 1000 * 1000,
    );
    // 50 contributions, their author (one row each), 50 of each author's contributions.
    expect(cost("{ contributions { items { authorAccount { contributions { items { id } } } } } }")).to.equal(
      50 + 50 + 50 * 50,
    );
  });

  it("counts every alias and sibling list", () => {
    expect(cost("{ a: pools(limit: 5) { items { id } } b: pools(limit: 7) { items { id } } }")).to.equal(12);
    expect(
      cost("{ contributions(limit: 2) { items { parents { items { parent } } children { items { child } } } } }"),
    ).to.equal(2 + 2 * 50 * 2);
  });

  it("counts the offset's rows, a totalCount, and a list whose items are not selected", () => {
    expect(cost("{ pools(limit: 10, offset: 500) { items { id } } }")).to.equal(510);
    expect(cost("{ pools(limit: 10) { totalCount } }")).to.equal(10 + TOTAL_COUNT_ROWS);
    expect(cost("{ pools(limit: 0) { pageInfo { hasNextPage } } }")).to.equal(1);
  });

  it("reads limits from variables and their defaults", () => {
    const query =
      "query ($n: Int, $m: Int = 20) { pools(limit: $n) { items { positions(limit: $m) { items { id } } } } }";
    expect(cost(query, { n: 3 })).to.equal(3 + 3 * 20);
    expect(cost(query, { n: 3, m: 4 })).to.equal(3 + 3 * 4);
    expect(cost(query)).to.equal(DEFAULT_PAGE_SIZE + DEFAULT_PAGE_SIZE * 20);
  });

  it("spreads fragments and inline fragments, and ignores a fragment that spreads itself", () => {
    const query = `
      { pools(limit: 10) { ...page } }
      fragment page on poolPage { items { ... on pool { positions(limit: 5) { items { id } } } } }`;
    expect(cost(query)).to.equal(10 + 10 * 5);
    expect(cost("{ pools { ...loop } } fragment loop on poolPage { ...loop items { id } }")).to.equal(50);
  });

  it("prices the named operation, or the dearest of several", () => {
    const document =
      "query small { pools(limit: 1) { items { id } } } query big { pools(limit: 900) { items { id } } }";
    expect(cost(document, {}, "small")).to.equal(1);
    expect(cost(document)).to.equal(900);
  });

  it("refuses a page size Ponder would refuse, with a message that names it", () => {
    expect(() => cost("{ pools(limit: 5000) { items { id } } }")).to.throw(
      "limit must be a whole number from 0 to 1000",
    );
    expect(() => cost("{ pools(offset: -1) { items { id } } }")).to.throw("offset must not be negative");
    expect(() => cost("query ($n: Int) { pools(limit: $n) { items { id } } }", { n: "all" })).to.throw(
      "limit must be a whole number",
    );
  });
});

describe("graphqlLimits middleware", () => {
  /** A stand-in for Ponder's GraphQL server: answers `answer` with status 200, as Ponder does for any result. */
  function app(answer: unknown, maxCost = 100) {
    const hono = new Hono();
    let served = 0;
    hono.use("/graphql", graphqlLimits({ maxCost, maxTokens: 2000 }));
    hono.post("/graphql", (c) => {
      served++;
      return c.json(answer);
    });
    const post = (query: string) =>
      hono.request("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
    return { post, served: () => served };
  }

  it("refuses a query over the cost limit with a 400 before it runs, naming the limit", async () => {
    const { post, served } = app({ data: {} });
    const response = await post("{ pools(limit: 101) { items { id } } }");
    expect(response.status).to.equal(400);
    const body = (await response.json()) as { error: string; parameter: string; errors: { message: string }[] };
    expect(body.error).to.equal(
      "the query may read 101 rows, over the cost limit of 100 (TRIBUTARY_GRAPHQL_MAX_COST): lower the limit of nested lists, or page with before/after",
    );
    expect(body.parameter).to.equal("query");
    expect(body.errors).to.deep.equal([{ message: body.error }]);
    expect(served()).to.equal(0);
  });

  it("passes a query within the limit, and its answer unchanged", async () => {
    const { post, served } = app({ data: { pools: { items: [] } } });
    const response = await post("{ pools(limit: 100) { items { id } } }");
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ data: { pools: { items: [] } } });
    expect(served()).to.equal(1);
  });

  it("turns the server's refusals (errors without data) into 400s and leaves partial results at 200", async () => {
    const refused = await app({
      errors: [{ message: "Syntax Error: Query depth limit of 8 exceeded, found 10." }],
    }).post("{ pools { items { id } } }");
    expect(refused.status).to.equal(400);
    expect(((await refused.json()) as { error: string }).error).to.match(/depth limit/);
    const failedRoot = await app({ errors: [{ message: "Unknown column" }], data: null }).post(
      "{ pools { items { id } } }",
    );
    expect(failedRoot.status).to.equal(400);
    const partial = await app({ errors: [{ message: "one field failed" }], data: { pool: null } }).post(
      '{ pool(id: "1") { id } }',
    );
    expect(partial.status).to.equal(200);
  });

  it("runs a query within the share it is given, and answers 503 with Retry-After when the share is busy", async () => {
    const hono = new Hono();
    const runs: string[] = [];
    const share = {
      async run<T>(task: () => Promise<T>): Promise<T> {
        if (runs.length > 0)
          throw Object.assign(new Error("1 requests of this kind are waiting already"), { busy: true });
        runs.push("ran");
        return task();
      },
    };
    hono.use("/graphql", graphqlLimits({ maxCost: 100, maxTokens: 2000, share }));
    hono.post("/graphql", (c) => c.json({ data: {} }));
    const post = () =>
      hono.request("/graphql", { method: "POST", body: JSON.stringify({ query: "{ pools { items { id } } }" }) });
    expect((await post()).status).to.equal(200);
    const busy = await post();
    expect(busy.status).to.equal(503);
    expect(busy.headers.get("retry-after")).to.equal("1");
    expect(((await busy.json()) as { error: string }).error).to.match(/waiting already/);
  });

  it("refuses a body over 64 KiB with a 413", async () => {
    const { post } = app({ data: {} });
    const response = await post(`{ pools { items { id } } } # ${"x".repeat(70_000)}`);
    expect(response.status).to.equal(413);
  });
});
