// Bounded cost per request, through a real indexer on a dense chain: SQL over HTTP refuses a plan above its cost
// bound (PGlite cannot interrupt a statement), cancels a statement over its timeout (PostgreSQL), caps rows and
// bytes and reads only the project's tables; GraphQL refuses a query whose estimated rows exceed its cost limit;
// live queries cannot leak their slots; every refusal is JSON `{ error, parameter? }` with a 4xx status; forged
// cursors are 400s; ETags name the answer's content, so they never repeat across restarts for another answer.
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  sleep,
  startIndexer,
  startNode,
  waitFor,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { mineBlocks, registerDense } from "./lib/dense-chain.ts";
import { sqlUrl } from "./lib/digest.ts";
import {
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";
import { teardown } from "./lib/tx.ts";

const unreachable = await postgresUnreachable();

const MAX_ROWS = 500;
const MAX_BYTES = 200_000;
const GRAPHQL_MAX_COST = 5_000;
const MAX_LIVE = 3;
const MAX_LIVE_PER_CLIENT = 2;
/** Settings every indexer of this file runs with: limits small enough for a chain of ~1,300 contributions. */
const LIMITS = {
  TRIBUTARY_API_RATE_LIMIT: "0",
  TRIBUTARY_SQL_MAX_ROWS: String(MAX_ROWS),
  TRIBUTARY_SQL_MAX_BYTES: String(MAX_BYTES),
  TRIBUTARY_SQL_MAX_LIVE_QUERIES: String(MAX_LIVE),
  TRIBUTARY_SQL_MAX_LIVE_QUERIES_PER_CLIENT: String(MAX_LIVE_PER_CLIENT),
  TRIBUTARY_GRAPHQL_MAX_COST: String(GRAPHQL_MAX_COST),
};
/** Three contributions tables joined without a condition: ~2e9 rows, minutes of PGlite's only thread. */
const CROSS_JOIN = "select count(*) as n from contribution a, contribution b, contribution c";

interface ErrorBody {
  error: string;
  parameter?: string;
  errors?: { message: string }[];
}

/** Fetches `url` and returns its status and JSON body, failing the test if it takes longer than `timeoutMs`. */
async function fetchJson<T = ErrorBody>(url: string, init: RequestInit = {}, timeoutMs = 10_000) {
  const started = Date.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  const contentType = response.headers.get("content-type") ?? "";
  const text = await response.text();
  assert.match(contentType, /application\/json/, `${url}: JSON, got ${contentType}: ${text.slice(0, 200)}`);
  return { status: response.status, body: JSON.parse(text) as T, ms: Date.now() - started, headers: response.headers };
}

const graphql = (api: string, query: string) =>
  fetchJson<ErrorBody & { data?: unknown }>(`${api}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });

/** Asserts a refusal: a 4xx status with `{ error }` matching `message` and no stack trace. */
function assertRefused(answer: { status: number; body: ErrorBody }, status: number, message: RegExp, what: string) {
  assert.equal(answer.status, status, `${what}: status ${answer.status}, body ${JSON.stringify(answer.body)}`);
  assert.equal(typeof answer.body.error, "string", `${what}: an error message`);
  assert.match(answer.body.error, message, what);
  assert.doesNotMatch(answer.body.error, /\n\s+at /, `${what}: no stack trace`);
}

/** An open `GET /sql/live` stream: its status, the data events received so far, and a way to close it. */
async function openLive(api: string, sql: string) {
  const controller = new AbortController();
  const response = await fetch(
    `${api}/sql/live?sql=${encodeURIComponent(JSON.stringify({ json: { sql, params: [] } }))}`,
    {
      signal: controller.signal,
    },
  );
  const events: string[] = [];
  if (response.status === 200 && response.body) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          pending += decoder.decode(value, { stream: true });
          const messages = pending.split("\n\n");
          pending = messages.pop() ?? "";
          for (const message of messages) {
            const data = message
              .split("\n")
              .filter((line) => line.startsWith("data: "))
              .map((line) => line.slice(6))
              .join("\n");
            if (data) events.push(data);
          }
        }
      } catch {
        // Aborted by the test.
      }
    })();
  }
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    body: response.status === 200 ? undefined : ((await response.json()) as ErrorBody),
    events,
    close: () => controller.abort(),
  };
}

/**
 * Opens `GET /sql/live` from another loopback address (`from`, e.g. 127.0.0.2), another client to the API: its status,
 * its JSON body when refused, and a way to close it.
 */
function openLiveFrom(api: string, sql: string, from: string) {
  const url = new URL(`${api}/sql/live?sql=${encodeURIComponent(JSON.stringify({ json: { sql, params: [] } }))}`);
  return new Promise<{ status: number; body?: ErrorBody; close: () => void }>((resolve, reject) => {
    const request = http.get(url, { localAddress: from }, (response) => {
      const status = response.statusCode ?? 0;
      const close = () => request.destroy();
      if (status === 200) return resolve({ status, close });
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status, body: JSON.parse(text) as ErrorBody, close }));
    });
    request.on("error", reject);
  });
}

describe("end to end: bounded cost per request", () => {
  let node: LocalNode;
  let deploymentsDir: string;
  let registry: Hex;
  let lastBlock: bigint;
  let clients: ReturnType<typeof localClients>;
  let accounts: Hex[];

  before(async () => {
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-limits-"));
    const deployment = await deploy(node.url, deploymentsDir);
    registry = deployment.contracts.AuthorshipRegistry.address;
    clients = localClients(node.url);
    accounts = (await clients.walletClient.getAddresses()) as Hex[];
    const dense = await registerDense(clients, registry, {
      events: 1_500,
      label: `limits ${Date.now()}`,
      authors: 4,
      vault: { address: deployment.contracts.RoyaltyVault!.address, events: 100 },
    });
    lastBlock = dense.lastBlock;
  });

  after(() => teardown({ node, deploymentsDir }));

  /** The SQL limits that behave the same on PGlite and PostgreSQL. */
  function sqlLimitTests(api: () => string) {
    it("answers up to the row cap, and refuses more rows with a 400 that says so", async () => {
      const within = await fetchJson<{ rows: unknown[] }>(
        sqlUrl(api(), `select id from contribution limit ${MAX_ROWS}`),
      );
      assert.equal(within.status, 200);
      assert.equal(within.body.rows.length, MAX_ROWS);
      const over = await fetchJson(sqlUrl(api(), "select id from contribution"));
      assertRefused(over, 400, new RegExp(`more than ${MAX_ROWS} rows`), "all contributions");
      assert.equal(over.body.parameter, "sql");
    });

    it("refuses an answer larger than the byte cap", async () => {
      const over = await fetchJson(sqlUrl(api(), "select json_agg(c) as everything from contribution c"));
      assertRefused(over, 400, new RegExp(`larger than ${MAX_BYTES} bytes`), "one row of every contribution");
    });

    it("refuses Ponder's internal tables, also behind a CTE or a subquery, and serves a CTE over the project's tables", async () => {
      for (const sql of [
        "select * from _ponder_meta",
        "select * from _ponder_checkpoint",
        "select * from _reorg__contribution",
        "with meta as (select * from _ponder_meta) select * from meta",
        "select * from (select * from _ponder_checkpoint) c",
        "select c.id from contribution c join _ponder_checkpoint k on true",
        "select * from (with _ponder_meta as (select 1 as x) select * from _ponder_meta) a, _ponder_meta",
      ]) {
        const answer = await fetchJson(sqlUrl(api(), sql));
        assertRefused(answer, 400, /not one of the indexer's tables/, sql);
      }
      const cte = await fetchJson<{ rows: { n: number | string }[] }>(
        sqlUrl(api(), "with p as (select * from pool) select count(*) as n from p"),
      );
      assert.equal(cte.status, 200, JSON.stringify(cte.body));
      assert.equal(Number(cte.body.rows[0]!.n), 4);
    });

    it("answers a missing, malformed or refused sql parameter as JSON that names it", async () => {
      assertRefused(await fetchJson(`${api()}/sql/db`), 400, /sql/, "no sql parameter");
      const notJson = await fetchJson(`${api()}/sql/db?sql=${encodeURIComponent("{not json")}`);
      assertRefused(notJson, 400, /sql/, "not JSON");
      assert.equal(notJson.body.parameter, "sql");
      const write = await fetchJson(sqlUrl(api(), "delete from contribution"));
      assertRefused(write, 400, /^query refused/, "a delete");
      assert.equal(write.body.parameter, "sql");
    });
  }

  describe("on PGlite", () => {
    let indexer: Indexer;
    let api: string;

    before(async () => {
      indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, extraEnv: LIMITS });
      api = indexer.url;
      await waitForIndexedBlock(api, lastBlock);
    });

    after(() => teardown({ indexer }));

    sqlLimitTests(() => api);

    it("answers unknown routes with a JSON 404", async () => {
      for (const route of ["/nope", "/pools/1/nope", "/sql/nope"]) {
        assertRefused(await fetchJson(`${api}${route}`), 404, /no route/, route);
      }
    });

    it("answers a forged cursor with a log index or a number out of range with a 400 naming the cursor", async () => {
      const cursor = (text: string) => Buffer.from(text).toString("base64url");
      for (const route of [
        `/pools/1/deposits?cursor=${cursor("1:99999999999")}`,
        `/pools/1/units?cursor=${cursor(`${"9".repeat(90)}:1`)}`,
        `/authors/${accounts[0]}/contributions?cursor=${cursor(`${"9".repeat(90)}:0x${"ab".repeat(32)}`)}`,
        `/pools?cursor=${cursor("9".repeat(90))}`,
      ]) {
        const answer = await fetchJson(`${api}${route}`);
        assertRefused(answer, 400, /cursor/, route);
        assert.equal(answer.body.parameter, "cursor", route);
      }
    });

    it("answers GraphQL within the cost limit, counting the default page size where no limit is given", async () => {
      // 50 contributions + 50 x 50 parents = 2,550 rows at most.
      const within = await graphql(api, "{ contributions { items { id parents { items { parent } } } } }");
      assert.equal(within.status, 200, JSON.stringify(within.body).slice(0, 300));
      assert.ok(within.body.data);
    });

    it("refuses a GraphQL query whose estimated rows exceed the cost limit, with a 400 and the GraphQL errors", async () => {
      for (const query of [
        // 1,000 pools x 1,000 positions: cheap on this chain, refused for what it could cost.
        "{ pools(limit: 1000) { items { positions(limit: 1000) { items { id } } } } }",
        // 50 + 50 x 50 parents + 50 x 50 children: over 5,000 by default page sizes alone.
        "{ contributions { items { parents { items { parent } } children { items { child } } } } }",
      ]) {
        const answer = await graphql(api, query);
        assertRefused(answer, 400, new RegExp(`cost limit of ${GRAPHQL_MAX_COST}`), query);
        assert.equal(answer.body.errors?.[0]?.message, answer.body.error);
      }
    });

    it("answers GraphQL limit refusals (depth, aliases, page size) with a 400, not a 200", async () => {
      const deep =
        "{ contributions(limit: 1) { items { authorAccount { contributions(limit: 1) { items { authorAccount { contributions(limit: 1) { items { authorAccount { id } } } } } } } } } }";
      assertRefused(await graphql(api, deep), 400, /depth/i, "too deep");
      const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: contributions(limit: 1) { totalCount }`).join(" ");
      assertRefused(await graphql(api, `{ ${aliases} }`), 400, /alias/i, "too many aliases");
      assertRefused(await graphql(api, "{ pools(limit: 5000) { items { id } } }"), 400, /limit/, "page too large");
    });

    it("keeps live queries available after 1,000 malformed ones, one client to its share (429), frees a closed one's slot, and streams changes", async () => {
      const malformed = [
        `${api}/sql/live`,
        `${api}/sql/live?sql=${encodeURIComponent("{not json")}`,
        `${api}/sql/live?sql=${encodeURIComponent(JSON.stringify({ json: { sql: "delete from pool", params: [] } }))}`,
        `${api}/sql/live?sql=${encodeURIComponent(JSON.stringify({ json: { sql: "select * from _ponder_meta", params: [] } }))}`,
      ];
      for (let i = 0; i < 1_000; i += 20) {
        const statuses = await Promise.all(
          Array.from({ length: 20 }, async (_, j) => {
            const response = await fetch(malformed[(i + j) % malformed.length]!);
            await response.body?.cancel();
            return response.status;
          }),
        );
        assert.ok(
          statuses.every((status) => status === 400),
          `malformed live queries answered ${statuses.join(",")}`,
        );
      }

      const count = "select count(*) as n from contribution";
      const open: Awaited<ReturnType<typeof openLive>>[] = [];
      for (let i = 0; i < MAX_LIVE_PER_CLIENT; i++) {
        const live = await openLive(api, count);
        assert.equal(live.status, 200, `live query ${i + 1}: ${JSON.stringify(live.body)}`);
        assert.match(live.contentType, /text\/event-stream/);
        open.push(live);
      }
      // One client holds its share: 429, while another client still gets the slot left.
      const greedy = await openLive(api, count);
      assert.equal(greedy.status, 429, JSON.stringify(greedy.body));
      assert.match(
        greedy.body!.error,
        new RegExp(`at most ${MAX_LIVE_PER_CLIENT} live queries are open at once from one client`),
      );
      const other = await openLiveFrom(api, count, "127.0.0.2");
      assert.equal(other.status, 200, JSON.stringify(other.body));
      const refused = await openLiveFrom(api, count, "127.0.0.3");
      assert.equal(refused.status, 503);
      assert.match(refused.body!.error, new RegExp(`at most ${MAX_LIVE} live queries are open at once \\(`));
      other.close();

      open.shift()!.close();
      const reopened = await waitFor(
        "a closed live query's slot to be free",
        async () => {
          const live = await openLive(api, count);
          return live.status === 200 ? live : undefined;
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      open.push(reopened);

      const receipt = await registerContribution(
        clients,
        registry,
        accounts[9]!,
        keccak256(toHex(`live ${Date.now()}`)),
        KIND.prompt,
        "",
      );
      await waitForIndexedBlock(api, receipt.blockNumber);
      await waitFor("the new count on every open live query", async () =>
        open.every((live) => live.events.length > 0) ? true : undefined,
      );
      const latest = JSON.parse(open[0]!.events.at(-1)!) as { rows: { n: number | string }[] };
      const total = await fetchJson<{ rows: { n: number | string }[] }>(sqlUrl(api, count));
      assert.equal(Number(latest.rows[0]!.n), Number(total.body.rows[0]!.n));
      for (const live of open) live.close();
    });

    // Last: on a build without the cost bound this statement holds PGlite's thread for minutes.
    it("refuses a cross join whose plan costs more than the bound at once, and indexing carries on", async () => {
      const before = await fetchJson<Record<string, { block: { number: number } }>>(`${api}/status`);
      const answer = await fetchJson(sqlUrl(api, CROSS_JOIN), {}, 10_000);
      assertRefused(answer, 400, /estimated cost .* above the limit/, CROSS_JOIN);
      assert.ok(answer.ms < 2_000, `refused in ${answer.ms} ms`);
      // The node mines a block every second: the indexer keeps following it.
      const indexed = Object.values(before.body)[0]!.block.number;
      await waitForIndexedBlock(api, indexed + 2, 10_000);
    });
  });

  describePostgres("on PostgreSQL", unreachable, () => {
    let database: TestDatabase | undefined;
    let indexer: Indexer;
    let api: string;

    before(async () => {
      assertPostgres(unreachable);
      database = await createTestDatabase("tributary_limits");
      indexer = await startIndexer({
        rpcUrl: node.url,
        deploymentsDir,
        databaseUrl: database.url,
        schema: "limits",
        // The cost bound off, so the statement timeout is what stops the cross join.
        extraEnv: { ...LIMITS, TRIBUTARY_SQL_MAX_COST: "0", TRIBUTARY_SQL_TIMEOUT_MS: "300" },
      });
      api = indexer.url;
      await waitForIndexedBlock(api, lastBlock);
    });

    after(async () => {
      await teardown({ indexer });
      await database?.drop();
    });

    sqlLimitTests(() => api);

    it("cancels a statement that runs longer than the timeout, with a 400 that says so, and answers the next one", async () => {
      const answer = await fetchJson(sqlUrl(api, CROSS_JOIN), {}, 10_000);
      assertRefused(answer, 400, /longer than 300 ms/, CROSS_JOIN);
      assert.ok(answer.ms < 3_000, `cancelled after ${answer.ms} ms`);
      const next = await fetchJson<{ rows: { n: number | string }[] }>(sqlUrl(api, "select count(*) as n from pool"));
      assert.equal(next.status, 200);
      assert.equal(Number(next.body.rows[0]!.n), 4);
    });
  });

  describe("ETags across restarts", () => {
    const started: Indexer[] = [];
    after(async () => {
      for (const indexer of started) await teardown({ indexer });
    });

    /** A fresh indexer (new PGlite directory) that has indexed the chain and seen a few live blocks. */
    async function freshIndexer(): Promise<string> {
      const indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, extraEnv: LIMITS });
      started.push(indexer);
      await waitForIndexedBlock(indexer.url, await clients.publicClient.getBlockNumber({ cacheTime: 0 }));
      await sleep(3_000);
      return indexer.url;
    }

    it("never answers 304 to the ETag of another process's older answer, and agrees on an unchanged one", async () => {
      const author = accounts[12]!;
      const list = (api: string) => `${api}/authors/${author}/contributions`;
      const register = async (text: string) => {
        await registerContribution(clients, registry, author, keccak256(toHex(text)), KIND.prompt, "");
        // Older than Ponder's finality on chain 31337: in the next indexer's backfill.
        await mineBlocks(node.url, 31);
      };

      await register(`etag one ${Date.now()}`);
      const first = await freshIndexer();
      const before = await fetch(list(first));
      const etag = before.headers.get("etag")!;
      assert.match(etag, /^W\/"/);
      assert.equal(((await before.json()) as { items: unknown[] }).items.length, 1);
      await started.at(-1)!.stop();

      await register(`etag two ${Date.now()}`);
      const second = await freshIndexer();
      const changed = await fetch(list(second), { headers: { "if-none-match": etag } });
      assert.equal(changed.status, 200, "the answer changed: not a 304");
      assert.equal(((await changed.json()) as { items: unknown[] }).items.length, 2);
      const newEtag = changed.headers.get("etag")!;
      assert.notEqual(newEtag, etag);
      await started.at(-1)!.stop();

      const third = await freshIndexer();
      const same = await fetch(list(third), { headers: { "if-none-match": newEtag } });
      assert.equal(same.status, 304, "the same answer from another process keeps its ETag");
    });
  });
});
