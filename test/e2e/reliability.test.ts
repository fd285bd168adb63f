// The indexer survives what production does to it, on PGlite and on PostgreSQL:
//   1. a kill -9 in the middle of its backfill: restarted on the same database and schema, it recovers and ends
//      with exactly the rows of a clean run;
//   2. a reorg of the local chain (snapshot, registration, revert, longer fork): the orphaned rows are rolled back;
//   3. its RPC endpoint going away for seconds and coming back: it carries on indexing without a restart;
//   4. a kill -9 while it follows the head, after blocks it indexed live became final: restarted, it recovers the
//      rows it had.
// One node and one dense chain serve both databases; the PostgreSQL tier skips like postgres.test.ts when no server
// answers.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { PGlite } from "@electric-sql/pglite";
import { keccak256, toHex, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { KIND, localClients, registerContribution, type LocalClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  killHard,
  launchIndexer,
  onLogEntry,
  rpc,
  sleep,
  startIndexer,
  startNode,
  startTcpProxy,
  waitFor,
  waitForIndexedBlock,
  waitReady,
  type Deployment,
  type Indexer,
  type IndexerOptions,
  type LocalNode,
  type TcpProxy,
} from "../../scripts/lib/stack.ts";
import { headBlock, mineBlocks, registerDense } from "./lib/dense-chain.ts";
import { digestTables, graphqlData, sqlRows, TABLE_NAMES } from "./lib/digest.ts";
import {
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresRows,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";

/** Enough events for Ponder to index them in several committed ranges (it loads at most ~12,000 at a time). */
const EVENTS = 13_000;

const unreachable = await postgresUnreachable();

/** The digest reads every row through the API: no rate limit in these tests. */
const extraEnv = { TRIBUTARY_API_RATE_LIMIT: "0" };

let node: LocalNode;
let deployment: Deployment;
let deploymentsDir: string;
let clients: LocalClients;
let registry: Hex;
let author: Hex;

/** Follows a Ponder process's JSON log: events indexed in committed ranges, and the messages seen. */
function followLog(indexer: Indexer) {
  const state = { events: 0, ranges: 0, messages: new Set<string>() };
  onLogEntry(indexer, (entry) => {
    if (entry.msg === undefined) return;
    state.messages.add(entry.msg);
    if (entry.msg === "Indexed block range" && (entry.event_count ?? 0) > 0) {
      state.events += entry.event_count ?? 0;
      state.ranges++;
    }
  });
  return state;
}

/**
 * Mines a block and waits until the indexer at `api` has indexed it, mining again every few seconds: the node mines
 * only on demand here, and the indexer learns of a new head by subscription.
 */
async function indexHead(api: string, timeoutMs = 90_000): Promise<bigint> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await rpc(node.url, "evm_mine");
    const head = await headBlock(node.url);
    try {
      await waitForIndexedBlock(api, head, 5_000);
      return head;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

const readyStatus = async (api: string) => (await fetch(`${api}/ready`).catch(() => undefined))?.status;

const contributionStatus = async (api: string, hash: Hex) =>
  (await fetch(`${api}/contributions/${hash}`).catch(() => undefined))?.status;

interface Tier {
  /** Database options of an indexer on `schema`: a PGlite directory or a PostgreSQL URL. */
  database: (schema: string) => Pick<IndexerOptions, "databaseUrl" | "pgliteDir" | "schema">;
  /** Rows of `registration_event` committed in `schema`, read behind the indexer's back (PostgreSQL only). */
  committedRows?: (schema: string) => Promise<number>;
  /** Runs `sql` on the database of `schema` while no indexer runs on it, and returns the rows. */
  query: (schema: string, sql: string) => Promise<Record<string, unknown>[]>;
}

/** The block number a Ponder checkpoint (75 digits) names. */
const blockOfCheckpoint = (column: string) => `substring(${column}, 27, 16)::bigint`;

/**
 * What the reorg shadow tables of `schema` hold: Ponder's finalized and safe blocks (a crash recovery resumes from
 * the safe one), and the reorg rows of blocks at or below the finalized one, which a finalize deletes.
 */
async function reorgState(tier: Tier, schema: string) {
  const [checkpoints] = await tier.query(
    schema,
    `SELECT ${blockOfCheckpoint("finalized_checkpoint")} AS finalized, ${blockOfCheckpoint("safe_checkpoint")} AS safe
     FROM "${schema}"._ponder_checkpoint`,
  );
  const stale = await tier.query(
    schema,
    TABLE_NAMES.map(
      (table) =>
        `SELECT '${table}' AS "table", count(*)::int AS n FROM "${schema}"."_reorg__${table}"
         WHERE checkpoint <= (SELECT finalized_checkpoint FROM "${schema}"._ponder_checkpoint)`,
    ).join(" UNION ALL "),
  );
  return {
    finalized: BigInt(checkpoints!.finalized as string),
    safe: BigInt(checkpoints!.safe as string),
    staleRows: Object.fromEntries(stale.filter((row) => (row.n as number) > 0).map((row) => [row.table, row.n])),
  };
}

/** Declares the three behaviours inside the caller's `describe`. */
function reliabilityScenario(label: string, tier: () => Tier) {
  const running: Indexer[] = [];
  let proxy: TcpProxy;
  let clean: { digest: string; counts: Record<string, number> };
  let recovered: Indexer;

  before(async () => {
    proxy = await startTcpProxy({ port: node.port });
  });

  after(async () => {
    for (const indexer of running) await indexer.stop().catch(() => {});
    await proxy?.close();
  });

  /** Runs `step`, adding the indexer's recent log to its error. */
  const withLog = async <T>(indexer: Indexer, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- indexer output ---\n${indexer.output()}`, { cause: error });
    }
  };

  it("ends a backfill killed with SIGKILL and restarted on the same schema with the rows of a clean run", async () => {
    const reference = await startIndexer({ rpcUrl: node.url, deploymentsDir, extraEnv, ...tier().database("clean") });
    running.push(reference);
    await indexHead(reference.url);
    clean = await digestTables(reference.url);
    const indexed = clean.counts.registration_event! + clean.counts.contribution_parent!;
    assert.ok(indexed >= EVENTS, JSON.stringify(clean.counts));
    // SQL over HTTP reads the same rows as GraphQL, also after the backfill's bulk updates (on PGlite these leave
    // empty temporary tables named like the real ones, which the API drops before each SQL request).
    for (const table of TABLE_NAMES) {
      const [row] = await sqlRows(reference.url, `SELECT count(*)::int AS n FROM ${table}`);
      assert.equal(row?.n, clean.counts[table], `SELECT count(*) FROM ${table}`);
    }
    await reference.stop();

    // Through the proxy: the same indexer is later cut off from its RPC endpoint.
    const options: IndexerOptions = { rpcUrl: proxy.url, deploymentsDir, extraEnv, ...tier().database("crash") };
    const doomed = await launchIndexer(options);
    running.push(doomed);
    const log = followLog(doomed);
    await waitFor("a first range of the backfill to be committed", async () => (log.ranges > 0 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 5,
    });
    const statusBeforeKill = await readyStatus(doomed.url);
    await killHard(doomed);
    assert.equal(doomed.child.signalCode, "SIGKILL");
    assert.equal(statusBeforeKill, 503, "the backfill was still running when the indexer was killed");
    assert.ok(!log.messages.has("Completed backfill indexing across all chains"), "killed before the backfill ended");
    assert.ok(log.events < indexed, `killed after ${log.events} of ${indexed} events`);
    const committed = await tier().committedRows?.("crash");
    if (committed !== undefined) {
      assert.ok(committed > 0 && committed < clean.counts.registration_event!, `${committed} rows committed`);
    }

    // Ponder waits for the dead process's lock on the schema to expire (25 s without a heartbeat), then recovers.
    recovered = await launchIndexer({ ...options, port: doomed.port });
    running.push(recovered);
    const recoveredLog = followLog(recovered);
    await waitReady(recovered, recovered.url, 300_000);
    assert.ok(recoveredLog.messages.has("Detected crash recovery"), "the restart recovered the crashed schema");
    await indexHead(recovered.url);
    assert.deepEqual(await digestTables(recovered.url), clean);
  });

  it("rolls back the rows of orphaned blocks after a reorg", async () => {
    const api = recovered.url;
    const kept = keccak256(toHex(`${label} indexed live before the fork`));
    const orphan = keccak256(toHex(`${label} orphaned by a reorg`));
    const survivor = keccak256(toHex(`${label} on the longer fork`));
    const authorTotal = async () =>
      ((await (await fetch(`${api}/authors/${author}/contributions?limit=1`)).json()) as { total: number }).total;
    // A block indexed live before the fork point: a reorg after it must leave its rows (the contribution, its event
    // and the author's running count) as they are.
    const keptReceipt = await registerContribution(clients, registry, author, kept, KIND.feedback, "");
    assert.ok((await withLog(recovered, () => indexHead(api))) > keptReceipt.blockNumber);
    const totalBeforeFork = await authorTotal();
    const snapshot = await rpc<string>(node.url, "evm_snapshot");
    const forkPoint = await headBlock(node.url);
    // The orphaned fork's first block writes one table alone (`commitment`); it must roll back with the blocks after it.
    const hidden = keccak256(toHex(`${label} commitment orphaned by a reorg`));
    const commitReceipt = await clients.publicClient.waitForTransactionReceipt({
      hash: await clients.walletClient.writeContract({
        address: registry,
        abi: authorshipRegistryAbi,
        functionName: "commit",
        args: [hidden],
        account: author,
      }),
    });
    const orphanReceipt = await registerContribution(clients, registry, author, orphan, KIND.prompt, "ar://orphan");
    assert.ok(commitReceipt.blockNumber < orphanReceipt.blockNumber, "the commitment has a block of its own");
    assert.ok((await withLog(recovered, () => indexHead(api))) > orphanReceipt.blockNumber);
    assert.equal(await contributionStatus(api, orphan), 200);
    const commitments = async () =>
      (
        await graphqlData<{ commitments: { items: { committer: string }[] } }>(
          api,
          `query ($hidden: String) { commitments(where: { commitment: $hidden }) { items { committer } } }`,
          { hidden },
        )
      ).commitments.items;
    assert.deepEqual(await commitments(), [{ committer: author.toLowerCase() }]);
    const orphanedBlocks = (await headBlock(node.url)) - forkPoint;

    assert.equal(await rpc<boolean>(node.url, "evm_revert", [snapshot]), true);
    const receipt = await registerContribution(clients, registry, author, survivor, KIND.dataset, "");
    // The new fork must be longer than the orphaned one for the node (and the indexer) to prefer it.
    await mineBlocks(node.url, Number(orphanedBlocks) + 2);
    await withLog(recovered, () => indexHead(api));

    await waitFor("the orphaned registration to be rolled back", async () =>
      (await contributionStatus(api, orphan)) === 404 ? true : undefined,
    );
    assert.equal(await contributionStatus(api, survivor), 200);
    assert.equal(await contributionStatus(api, kept), 200);
    assert.equal(
      await authorTotal(),
      totalBeforeFork + 1,
      "the author's count: the orphan rolled back, the survivor added",
    );
    const events = async (hash: Hex) =>
      (
        await graphqlData<{ registrationEvents: { items: { blockNumber: string }[] } }>(
          api,
          `query ($hash: String) { registrationEvents(where: { contributionId: $hash }) { items { blockNumber } } }`,
          { hash },
        )
      ).registrationEvents.items;
    assert.deepEqual(await events(orphan), []);
    assert.deepEqual(await commitments(), []);
    assert.deepEqual(await events(survivor), [{ blockNumber: String(receipt.blockNumber) }]);
    assert.deepEqual(await events(kept), [{ blockNumber: String(keptReceipt.blockNumber) }]);
  });

  it("drops kept answers of the rows a reorg rolls back, though the new fork writes nothing", async () => {
    const api = recovered.url;
    const lone = keccak256(toHex(`${label} alone on a fork of empty blocks`));
    // The history route reads tables only: its answer is kept across blocks that write no row.
    const history = async () => (await fetch(`${api}/contributions/${lone}/history`)).status;
    const snapshot = await rpc<string>(node.url, "evm_snapshot");
    const forkPoint = await headBlock(node.url);
    await registerContribution(clients, registry, author, lone, KIND.prompt, "");
    await withLog(recovered, () => indexHead(api));
    assert.equal(await history(), 200);
    assert.equal(await history(), 200);
    const orphanedBlocks = (await headBlock(node.url)) - forkPoint;

    assert.equal(await rpc<boolean>(node.url, "evm_revert", [snapshot]), true);
    await mineBlocks(node.url, Number(orphanedBlocks) + 2);
    await withLog(recovered, () => indexHead(api));
    await waitFor(
      "the rolled-back registration's kept history to be dropped",
      async () => ((await history()) === 404 ? true : undefined),
      { timeoutMs: 20_000 },
    );
  });

  it("keeps indexing, without a restart, after its RPC endpoint goes away and comes back", async () => {
    const api = recovered.url;
    const pid = recovered.child.pid;
    const during = keccak256(toHex(`${label} registered while the RPC was away`));
    const afterwards = keccak256(toHex(`${label} registered after the RPC came back`));

    await proxy.down();
    const missed = await registerContribution(clients, registry, author, during, KIND.feedback, "");
    await sleep(5_000);
    assert.equal(await contributionStatus(api, during), 404, "nothing reached the indexer while the RPC was away");
    await proxy.up();

    const receipt = await registerContribution(clients, registry, author, afterwards, KIND.correction, "");
    assert.ok((await withLog(recovered, () => indexHead(api))) > receipt.blockNumber);
    assert.ok(receipt.blockNumber > missed.blockNumber);
    assert.equal(await contributionStatus(api, during), 200);
    assert.equal(await contributionStatus(api, afterwards), 200);
    assert.equal(recovered.child.exitCode, null, "the indexer is still the same process");
    assert.equal(recovered.child.pid, pid);
  });

  it("recovers from a kill -9 while live, after blocks it indexed live became final, with the rows it had", async () => {
    const api = recovered.url;
    let finalizedBlock = 0;
    onLogEntry(recovered, (entry) => {
      if (entry.msg === "Finalized block") finalizedBlock = Math.max(finalizedBlock, entry.number ?? 0);
    });
    const hash = keccak256(toHex(`${label} indexed live, then final`));
    const receipt = await registerContribution(clients, registry, author, hash, KIND.dataset, "ipfs://final");
    // Ponder moves finality on chain 31337 once the head is 60 blocks past the finalized block, to 30 below the
    // head: 95 more blocks take the finalized block past the registration's.
    await mineBlocks(node.url, 95);
    await withLog(recovered, () => indexHead(api));
    await waitFor("a finalized block past the registration's", async () =>
      BigInt(finalizedBlock) >= receipt.blockNumber ? true : undefined,
    );
    const before = await digestTables(api);
    await killHard(recovered);

    // Every reorg row of a final block is gone, in every table the live blocks wrote, and the crash recovery
    // resumes at or after the registration: the rows it has are final.
    const state = await reorgState(tier(), "crash");
    assert.deepEqual(state.staleRows, {}, "reorg rows of final blocks left behind");
    assert.ok(state.finalized >= receipt.blockNumber, `finalized block ${state.finalized}`);
    assert.ok(state.safe >= receipt.blockNumber, `safe block ${state.safe}, registration in ${receipt.blockNumber}`);

    const restarted = await launchIndexer({
      rpcUrl: proxy.url,
      deploymentsDir,
      extraEnv,
      ...tier().database("crash"),
      port: recovered.port,
    });
    running.push(restarted);
    const restartedLog = followLog(restarted);
    await waitReady(restarted, restarted.url, 300_000);
    assert.ok(restartedLog.messages.has("Detected crash recovery"), "the restart recovered the killed schema");
    await withLog(restarted, () => indexHead(restarted.url));
    assert.deepEqual(await digestTables(restarted.url), before);
  });
}

describe("reliability: kill -9, reorgs and RPC outages", () => {
  before(async () => {
    // No empty block every second: the chain moves only when a test moves it, so a backfill slowed down by a
    // busy machine does not start its live phase hundreds of blocks behind a head that kept moving.
    node = await startNode({ blockIntervalMs: 0 });
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-reliability-"));
    deployment = await deploy(node.url, deploymentsDir);
    registry = deployment.contracts.AuthorshipRegistry.address;
    clients = localClients(node.url);
    const dense = await registerDense(clients, registry, { events: EVENTS, label: `reliability ${Date.now()}` });
    author = dense.authors[0]!;
    // Everything above is now older than Ponder's 30-block finality on chain 31337: it is backfilled.
    await mineBlocks(node.url, 35);
  });

  after(async () => {
    await node?.stop();
    if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
  });

  describe("on PGlite", () => {
    let root: string;
    before(async () => {
      root = await mkdtemp(path.join(tmpdir(), "tributary-reliability-pglite-"));
    });
    // One PGlite directory per indexer: PGlite is embedded, a directory belongs to one process at a time.
    reliabilityScenario("pglite", () => ({
      database: (schema) => ({ pgliteDir: path.join(root, schema), schema }),
      async query(schema, sql) {
        const db = new PGlite(path.join(root, schema));
        try {
          return (await db.query<Record<string, unknown>>(sql)).rows;
        } finally {
          await db.close();
        }
      },
    }));
    // Declared after the scenario, so it runs after the scenario's indexers are stopped.
    after(async () => {
      if (root) await rm(root, { recursive: true, force: true });
    });
  });

  describePostgres("on PostgreSQL", unreachable, () => {
    let database: TestDatabase | undefined;
    before(async () => {
      assertPostgres(unreachable);
      database = await createTestDatabase("tributary_reliability");
    });
    // One database, a schema per indexer: the production layout.
    reliabilityScenario("postgres", () => ({
      database: (schema) => ({ databaseUrl: database!.url, schema }),
      query: (_schema, sql) => postgresRows(database!.url, sql),
      async committedRows(schema) {
        const [row] = await postgresRows(
          database!.url,
          `select count(*)::int as n from "${schema}".registration_event`,
        );
        return row!.n as number;
      },
    }));
    after(async () => {
      await database?.drop();
    });
  });
});
