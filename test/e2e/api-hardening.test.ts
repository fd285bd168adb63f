// The API's protections, through a real indexer: read-only SQL over HTTP, GraphQL depth and alias limits (400s), CORS,
// a per-client rate limit, and error bodies without stack traces. The cost limits are in api-limits.test.ts.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { teardown } from "./lib/tx.ts";

const RATE_LIMIT = 400;
const ALLOWED_ORIGIN = "https://auditor.example";

/** The request `@ponder/client` sends: GET /sql/db?sql=<superjson of { sql, params }>. */
function sqlUrl(api: string, sql: string): string {
  const url = new URL(`${api}/sql/db`);
  url.searchParams.set("sql", JSON.stringify({ json: { sql, params: [] } }));
  return url.toString();
}

describe("end to end: API hardening", () => {
  let node: LocalNode;
  let indexer: Indexer;
  let deploymentsDir: string;
  let api: string;

  before(async () => {
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-hardening-"));
    const deployment = await deploy(node.url, deploymentsDir);
    const clients = localClients(node.url);
    const [author] = (await clients.walletClient.getAddresses()) as Hex[];
    const receipt = await registerContribution(
      clients,
      deployment.contracts.AuthorshipRegistry.address,
      author!,
      keccak256(toHex("one contribution")),
      KIND.prompt,
      "",
    );
    indexer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      extraEnv: {
        TRIBUTARY_API_RATE_LIMIT: String(RATE_LIMIT),
        TRIBUTARY_API_RATE_WINDOW_MS: "600000",
        TRIBUTARY_API_CORS_ORIGINS: ALLOWED_ORIGIN,
        TRIBUTARY_GRAPHQL_MAX_DEPTH: "4",
        TRIBUTARY_GRAPHQL_MAX_ALIASES: "3",
        // The test's own connections stand for a reverse proxy in front of the API.
        TRIBUTARY_API_TRUSTED_PROXIES: "127.0.0.1,::1",
      },
    });
    api = indexer.url;
    await waitForIndexedBlock(api, receipt.blockNumber);
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  const contributionCount = async () => {
    const response = await fetch(sqlUrl(api, "select count(*) as n from contribution"));
    assert.equal(response.status, 200);
    return Number(((await response.json()) as { rows: { n: string | number }[] }).rows[0]!.n);
  };

  it("answers a read-only SQL query", async () => {
    assert.equal(await contributionCount(), 1);
  });

  it("refuses every SQL statement that is not a read of the indexer's tables, and changes nothing", async () => {
    const refused = [
      "insert into contribution (id) values ('0x01')",
      "update contribution set uri = 'x'",
      "delete from contribution",
      "drop table contribution",
      "set statement_timeout = 0",
      "select 1; delete from contribution",
      "select pg_sleep(5)",
      "select * from pg_catalog.pg_tables",
      "select * from information_schema.tables",
      "create table evil (id int)",
      "copy contribution to stdout",
    ];
    for (const sql of refused) {
      const started = Date.now();
      const response = await fetch(sqlUrl(api, sql));
      assert.equal(response.status, 400, sql);
      const body = (await response.json()) as { error: string };
      assert.match(body.error, /^query refused/, sql);
      assert.doesNotMatch(body.error, /\n\s+at /, `${sql}: no stack trace`);
      assert.ok(Date.now() - started < 4_000, `${sql}: answered without sleeping`);
    }
    assert.equal(await contributionCount(), 1);
  });

  it("answers 400 when the sql parameter is missing or not JSON", async () => {
    assert.equal((await fetch(`${api}/sql/db`)).status, 400);
    const response = await fetch(`${api}/sql/db?sql=${encodeURIComponent("{not json")}`);
    assert.equal(response.status >= 400 && response.status < 500, true);
  });

  it("refuses GraphQL queries deeper than the limit", async () => {
    // Pages of one, so that the query is far under the cost limit and the depth alone refuses it.
    const deep =
      "{ contributions(limit: 1) { items { authorAccount { contributions(limit: 1) { items { authorAccount { id } } } } } } }";
    const response = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: deep }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { data?: unknown; error?: string; errors?: { message: string }[] };
    assert.equal(body.data ?? null, null);
    assert.match(body.errors?.[0]?.message ?? "", /depth/i);
    assert.equal(body.error, body.errors?.[0]?.message);
  });

  it("refuses GraphQL queries with more aliases than the limit", async () => {
    const aliases = [1, 2, 3, 4, 5].map((i) => `a${i}: contributions(limit: 1) { items { id } }`).join(" ");
    const response = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { data?: unknown; error?: string; errors?: { message: string }[] };
    assert.equal(body.data ?? null, null);
    assert.match(body.errors?.[0]?.message ?? "", /alias/i);
    assert.equal(body.error, body.errors?.[0]?.message);
  });

  it("lets only configured origins read answers (CORS)", async () => {
    const read = (origin: string) => fetch(`${api}/contributions/${keccak256(toHex("x"))}`, { headers: { origin } });
    const allowed = await read(ALLOWED_ORIGIN);
    assert.equal(allowed.headers.get("access-control-allow-origin"), ALLOWED_ORIGIN);
    const other = await read("https://elsewhere.example");
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  it("answers 429 with Retry-After once a client exceeds the rate limit", async () => {
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < RATE_LIMIT + 20; i++) {
      const response = await fetch(`${api}/contributions/0x1234`);
      statuses.push(response.status);
      if (response.status === 429) {
        limited = response;
        break;
      }
      await response.body?.cancel();
    }
    assert.ok(limited, "some request was limited");
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    assert.match(((await limited.json()) as { error: string }).error, /rate limit/);
    // The requests before the limit were answered normally (400: the hash is malformed).
    assert.ok(statuses.slice(0, -1).every((status) => status === 400));
  });

  it("behind a trusted proxy, counts each client its X-Forwarded-For names on its own", async () => {
    const as = (client: string) => fetch(`${api}/contributions/0x1234`, { headers: { "x-forwarded-for": client } });
    // The proxy's own address is over the limit (the test above); a client it forwards is not.
    assert.equal((await fetch(`${api}/contributions/0x1234`)).status, 429);
    const forwarded = await as("203.0.113.7");
    assert.equal(forwarded.status, 400);
    assert.equal(forwarded.headers.get("ratelimit-remaining"), String(RATE_LIMIT - 1));
    // A client's false first hop changes nothing: the proxy appended the address it saw, which is what counts.
    const again = await as("198.51.100.1, 203.0.113.7");
    assert.equal(again.headers.get("ratelimit-remaining"), String(RATE_LIMIT - 2));
  });
});
