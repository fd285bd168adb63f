// The production layout on PostgreSQL: `ponder start` writes a schema named for its deployment and publishes every
// table as a view in a stable views schema; `ponder serve` answers the API from the views schema through a role that
// can only read (every transaction read-only, as on a hot-standby replica), without indexing anything itself.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  serveIndexer,
  startIndexer,
  startNode,
  waitFor,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { sqlRows, TABLE_NAMES } from "./lib/digest.ts";
import {
  adminUrl,
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresRows,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";

const ALICE: Hex = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const VIEWS = "tributary";
const DEPLOYMENT_SCHEMA = `tributary_${Date.now().toString(36)}`;
const READER = `tributary_reader_${process.pid}`;

const unreachable = await postgresUnreachable();

async function graphql(api: string, document: string): Promise<unknown> {
  const response = await fetch(`${api}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: document }),
  });
  assert.equal(response.status, 200);
  return response.json();
}

describePostgres("production on PostgreSQL: schema per deployment, views schema, ponder serve", unreachable, () => {
  let database: TestDatabase | undefined;
  let node: LocalNode;
  let deploymentsDir: string;
  let writer: Indexer;
  let replica: Indexer;
  let registry: Hex;
  let clients: ReturnType<typeof localClients>;
  const backfilled = keccak256(toHex("replica: registered before the indexer started"));

  before(async () => {
    assertPostgres(unreachable);
    database = await createTestDatabase("tributary_replica");
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-replica-"));
    registry = (await deploy(node.url, deploymentsDir)).contracts.AuthorshipRegistry.address;
    clients = localClients(node.url);
    await registerContribution(clients, registry, ALICE, backfilled, KIND.prompt, "ipfs://replica");

    writer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      databaseUrl: database.url,
      schema: DEPLOYMENT_SCHEMA,
      viewsSchema: VIEWS,
    });

    // A role that can only read the views schema, every transaction read-only: what a hot standby allows.
    await postgresRows(adminUrl, `CREATE ROLE "${READER}" LOGIN`);
    await postgresRows(
      database.url,
      [
        `GRANT CONNECT ON DATABASE "${database.name}" TO "${READER}"`,
        `GRANT USAGE ON SCHEMA "${VIEWS}" TO "${READER}"`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA "${VIEWS}" TO "${READER}"`,
        `ALTER ROLE "${READER}" SET default_transaction_read_only = on`,
      ].join("; "),
    );
    const readerUrl = new URL(database.url);
    readerUrl.username = READER;
    readerUrl.password = "";
    replica = await serveIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      databaseUrl: readerUrl.toString(),
      schema: VIEWS,
    });
  });

  after(async () => {
    await replica?.stop();
    await writer?.stop();
    await node?.stop();
    await database?.drop();
    if (database) await postgresRows(adminUrl, `DROP ROLE IF EXISTS "${READER}"`).catch(() => {});
    if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
  });

  it("publishes every table of the deployment's schema as a view in the views schema", async () => {
    const views = await postgresRows(
      database!.url,
      `select table_name from information_schema.views where table_schema = '${VIEWS}' order by table_name`,
    );
    const names = views.map((row) => String(row.table_name));
    for (const table of TABLE_NAMES) assert.ok(names.includes(table), `${table} in ${names.join(", ")}`);
    const [row] = await postgresRows(
      database!.url,
      `select count(*)::int as n from "${VIEWS}".contribution where id = '${backfilled}'`,
    );
    assert.equal(row?.n, 1);
  });

  it("serves the same REST answers from the views schema through a read-only role", async () => {
    for (const route of [`/contributions/${backfilled}`, `/authors/${ALICE}/contributions`]) {
      const [fromWriter, fromReplica] = await Promise.all(
        [writer, replica].map(async (indexer) => {
          const response = await fetch(`${indexer.url}${route}`);
          assert.equal(response.status, 200, `${indexer.name} ${route}`);
          return response.json();
        }),
      );
      assert.deepEqual(fromReplica, fromWriter, route);
    }
  });

  it("serves the same GraphQL and SQL answers", async () => {
    const document = '{ contributions(orderBy: "id") { totalCount items { id author kind uri registeredAt } } }';
    const [fromWriter, fromReplica] = await Promise.all([
      graphql(writer.url, document),
      graphql(replica.url, document),
    ]);
    assert.deepEqual(fromReplica, fromWriter);
    assert.equal((fromReplica as { data: { contributions: { totalCount: number } } }).data.contributions.totalCount, 1);

    const sql = "select id, author, kind from contribution order by id";
    assert.deepEqual(await sqlRows(replica.url, sql), await sqlRows(writer.url, sql));
  });

  it("serves rows the writer indexes after the replica started", async () => {
    const live = keccak256(toHex(`replica: registered live at ${Date.now()}`));
    const receipt = await registerContribution(clients, registry, ALICE, live, KIND.correction, "");
    await waitForIndexedBlock(writer.url, receipt.blockNumber);
    await waitFor(
      "the live row on the replica",
      async () => ((await fetch(`${replica.url}/contributions/${live}`)).status === 200 ? true : undefined),
      { timeoutMs: 30_000 },
    );
  });

  it("keeps cached answers fresh when their listening connection is cut, and listens again", async () => {
    // Each API process listens for Ponder's commit notifications on a connection of its own (its answer cache).
    const names = [`${DEPLOYMENT_SCHEMA}_answer_cache`, `${VIEWS}_answer_cache`];
    const listeners = async () =>
      (
        await postgresRows(
          adminUrl,
          `SELECT pid FROM pg_stat_activity WHERE application_name IN ('${names.join("', '")}') ORDER BY pid`,
        )
      ).map((row) => Number(row.pid));
    const cut = await waitFor("both API processes listening", async () => {
      const pids = await listeners();
      return pids.length === 2 ? pids : undefined;
    });
    const hash = keccak256(toHex(`replica: registered after the cut at ${Date.now()}`));
    for (const api of [writer.url, replica.url]) {
      assert.equal((await fetch(`${api}/contributions/${hash}`)).status, 404, "kept as a 404 until the state moves");
    }

    await postgresRows(
      adminUrl,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (${cut.join(", ")})`,
    );
    const receipt = await registerContribution(clients, registry, ALICE, hash, KIND.feedback, "");
    await waitForIndexedBlock(writer.url, receipt.blockNumber);
    // No waiting here: without its notifications the writer compares checkpoints on each request.
    assert.equal((await fetch(`${writer.url}/contributions/${hash}`)).status, 200);
    await waitFor(
      "the row on the replica",
      async () => ((await fetch(`${replica.url}/contributions/${hash}`)).status === 200 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    const again = await waitFor("both API processes listening again", async () => {
      const pids = await listeners();
      return pids.length === 2 && pids.every((pid) => !cut.includes(pid)) ? pids : undefined;
    });
    assert.equal(again.length, 2);
  });

  it("cannot write through the replica's role", async () => {
    const readerUrl = new URL(database!.url);
    readerUrl.username = READER;
    await assert.rejects(
      postgresRows(readerUrl.toString(), `create table "${VIEWS}".evil (id int)`),
      /read-only transaction|permission denied/,
    );
  });
});
