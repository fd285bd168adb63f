// The indexer's figures on a dense local chain: plain eth_getLogs over the events (the ceiling), Ponder's cold and
// warm backfill with every handler on, receipt-to-REST latency, the REST API under a bounded local load, and the
// worst SQL-over-HTTP and GraphQL requests the API's default limits allow, with an ordinary route's p99 while they run.
//
// One node, one deployment, 20,000 registry events in batches of 256 registrations, then 40 empty blocks so that
// every event is older than Ponder's 30-block finality on chain 31337 and lands in the backfill. The cold run starts
// on an empty database with Ponder's RPC cache on; the warm run uses the same database (its ponder_sync holds the
// cached logs and blocks) with a new --schema, so it re-runs every handler without fetching from the node. The
// cold indexer serves the load with the API's response cache off, the warm one with it on; both on PGlite, then
// both again on PostgreSQL when a server answers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import autocannon from "autocannon";
import pg from "pg";
import { toHex } from "viem";

import { localClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  launchIndexer,
  onLogEntry,
  rpc,
  startNode,
  waitFor,
  waitReady,
  type Indexer,
  type IndexerOptions,
} from "../../scripts/lib/stack.ts";
import { mineBlocks, registerDense } from "../../test/e2e/lib/dense-chain.ts";
import { latencyMetric, receiptToRow, round } from "../lib/latency.ts";
import { drizzlePatchMetrics } from "../lib/drizzle-patch.ts";
import { worstRequestMetrics, worstRequests } from "../lib/worst-requests.ts";
import { record, type Metric, type Metrics } from "../lib/record.ts";

const EVENTS = Number(process.env.TRIBUTARY_BENCH_EVENTS ?? 20_000);
/** Of EVENTS, how many come from the royalty vault (pools, unit changes, deposits); the rest from the registry. */
const VAULT_EVENTS = Math.round(EVENTS / 4);
const LOAD_RPS = 500;
const LOAD_SECONDS = 10;
const WARMUP_SECONDS = 3;
const POSTGRES_URL = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

interface Backfill {
  indexer: Indexer;
  durationMs: number;
  events: number;
}

/**
 * Starts `ponder start` and reads, from its JSON log, the duration of "Completed backfill indexing across all
 * chains" (from the first RPC request of the backfill to its last handler) and the events of each indexed range.
 */
async function backfill(options: IndexerOptions): Promise<Backfill> {
  const indexer = await launchIndexer(options);
  let durationMs: number | undefined;
  let events = 0;
  onLogEntry(indexer, (entry) => {
    if (entry.msg === "Indexed block range") events += entry.event_count ?? 0;
    if (entry.msg === "Completed backfill indexing across all chains") durationMs = entry.duration;
  });
  await waitReady(indexer, indexer.url, 600_000);
  const duration = await waitFor("the backfill's duration in the log", async () => durationMs, { timeoutMs: 10_000 });
  return { indexer, durationMs: duration, events };
}

/**
 * LOAD_RPS requests a second for LOAD_SECONDS from 20 connections, after WARMUP_SECONDS of the same load that is not
 * measured (the server's code paths compiled, its connections open); fails on any answer but 200.
 */
async function boundedLoad(url: string) {
  // autocannon takes `warmup` (its --warmup) but its types do not declare it.
  const options: autocannon.Options & { warmup: { connections: number; duration: number } } = {
    url,
    connections: 20,
    overallRate: LOAD_RPS,
    duration: LOAD_SECONDS,
    warmup: { connections: 20, duration: WARMUP_SECONDS },
  };
  const result = await autocannon(options);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`the load run had ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return result;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Checks the load's route answers a full page before the load runs; returns the author's total. */
async function probeRoute(url: string): Promise<number> {
  const probe = (await (await fetch(url)).json()) as { total: number; items: unknown[] };
  if (probe.items.length !== 50) throw new Error(`the author route answered ${probe.items.length} items, expected 50`);
  return probe.total;
}

function p99Metric(load: autocannon.Result, what: string): Metric {
  return {
    value: load.latency.p99,
    unit: "ms",
    note: `${what}; p50 ${load.latency.p50} ms, ${round(load.requests.average, 0)} req/s answered`,
  };
}

const t0 = performance.now();
const node = await startNode();
const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-indexer-"));
const pgliteDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-pglite-"));
const database = `tributary_bench_${process.pid}_${Date.now()}`;
let postgresUrl: string | undefined;
const running: Indexer[] = [];
try {
  const deployment = await deploy(node.url, deploymentsDir);
  console.log(`node and deployment ready in ${round((performance.now() - t0) / 1000)} s`);
  const registry = deployment.contracts.AuthorshipRegistry;
  const clients = localClients(node.url);

  let started = performance.now();
  const vault = deployment.contracts.RoyaltyVault;
  const dense = await registerDense(clients, registry.address, {
    events: EVENTS,
    label: `bench ${Date.now()}`,
    vault: vault ? { address: vault.address, events: VAULT_EVENTS } : undefined,
  });
  await mineBlocks(node.url, 40);
  console.log(
    `chain: ${dense.registryEvents} registry + ${dense.vaultEvents} vault events in ${dense.transactions} transactions, blocks ${dense.firstBlock}-${dense.lastBlock}, ` +
      `max ${dense.gasUsedMax} gas a transaction, ${round((performance.now() - started) / 1000)} s`,
  );

  // The ceiling: what the node serves over plain eth_getLogs, one request over the whole range, best of three.
  // The deployment's own events (e.g. ownership) are in the range too, so every figure counts what it handled.
  let rawMs = Infinity;
  let rawLogs = 0;
  for (let i = 0; i < 3; i++) {
    started = performance.now();
    const logs = await rpc<unknown[]>(node.url, "eth_getLogs", [
      {
        address: vault ? [registry.address, vault.address] : registry.address,
        fromBlock: toHex(Math.min(registry.startBlock, vault?.startBlock ?? registry.startBlock)),
        toBlock: toHex(dense.lastBlock),
      },
    ]);
    rawMs = Math.min(rawMs, performance.now() - started);
    rawLogs = logs.length;
  }
  if (rawLogs < dense.events) throw new Error(`eth_getLogs returned ${rawLogs} logs, expected ${dense.events} or more`);

  const common = {
    rpcUrl: node.url,
    deploymentsDir,
    extraEnv: { TRIBUTARY_RPC_CACHE: "1", TRIBUTARY_API_RATE_LIMIT: "0" },
  };
  // The cold indexer answers with its response cache off, the warm one with it on (the default): the same load on
  // each shows what the cache does and what a request costs when it misses.
  const uncached = { ...common, extraEnv: { ...common.extraEnv, TRIBUTARY_API_CACHE_ENTRIES: "0" } };
  const [author] = dense.authors;
  const route = `/authors/${author}/contributions?limit=50`;

  const cold = await backfill({ ...uncached, pgliteDir, schema: "bench_cold" });
  running.push(cold.indexer);
  const total = await probeRoute(`${cold.indexer.url}${route}`);
  const coldLoad = await boundedLoad(`${cold.indexer.url}${route}`);
  await cold.indexer.stop();
  const warm = await backfill({ ...common, pgliteDir, schema: "bench_warm" });
  running.push(warm.indexer);
  // Every log of both contracts in the range has a handler (the deployment's ownership events too).
  const checkAllIndexed = (run: Backfill) => {
    if (run.events !== rawLogs) throw new Error(`the backfill indexed ${run.events} events, expected ${rawLogs}`);
  };
  checkAllIndexed(cold);
  checkAllIndexed(warm);

  const metrics: Metrics = {
    "indexer.rawGetLogs.eventsPerSec": {
      value: Math.round(rawLogs / (rawMs / 1000)),
      unit: "events/s",
      note: `one eth_getLogs over ${rawLogs} logs from the Hardhat node, ${round(rawMs)} ms, best of 3 (the ceiling)`,
    },
    "indexer.backfill.cold.eventsPerSec": {
      value: Math.round(cold.events / (cold.durationMs / 1000)),
      unit: "events/s",
      note: `PGlite, empty database, RPC cache on, every handler; ${cold.events} events in ${round(cold.durationMs)} ms`,
    },
    "indexer.backfill.warm.eventsPerSec": {
      value: Math.round(warm.events / (warm.durationMs / 1000)),
      unit: "events/s",
      note: `PGlite, same database with a new --schema (RPC cache warm), every handler; ${round(warm.durationMs)} ms`,
    },
  };

  // Receipt to REST row, on the warm indexer now following the head by WebSocket subscription.
  const latencies = await receiptToRow(clients, registry.address, author!, warm.indexer.url);
  metrics["indexer.txToApi.p50.ms"] = latencyMetric(latencies, ` after a ${dense.events}-event backfill, PGlite`);

  // The author route under a bounded load: LOAD_RPS requests a second for LOAD_SECONDS, rate limit off.
  const load = await boundedLoad(`${warm.indexer.url}${route}`);
  const described = `GET /authors/:address/contributions?limit=50 (author of ${total}), ${LOAD_RPS} req/s offered for ${LOAD_SECONDS} s by autocannon, 20 connections`;
  metrics["api.rest.p99.ms"] = p99Metric(load, `${described}, PGlite, response cache on (the default)`);
  metrics["api.rest.rps"] = {
    value: round(load.requests.average, 0),
    unit: "rps",
    note: `answered per second under that load (${load.requests.total} requests, all 200)`,
  };
  metrics["api.rest.uncached.p99.ms"] = p99Metric(coldLoad, "the same load, PGlite, response cache off");
  // The floor: Ponder's own /health (no app code, no database) under the same load, from the same process.
  const health = await boundedLoad(`${warm.indexer.url}/health`);
  metrics["api.health.p99.ms"] = p99Metric(health, "GET /health of the same PGlite indexer under the same load");
  // The worst requests the default limits allow, on the same indexer (response cache on, rate limit off).
  const routeName = "GET /authors/:address/contributions?limit=50";
  const worst = await worstRequests(warm.indexer.url, `${warm.indexer.url}${route}`, dense.registrations);
  Object.assign(metrics, worstRequestMetrics(worst, { suffix: "", database: "PGlite", route: routeName }));
  await warm.indexer.stop();

  // The same two backfills, latency and loads on PostgreSQL, when a server is reachable.
  if (await postgresReachable()) {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    postgresUrl = url.toString();
    const pgCold = await backfill({ ...uncached, databaseUrl: postgresUrl, schema: "bench_cold" });
    running.push(pgCold.indexer);
    const pgColdLoad = await boundedLoad(`${pgCold.indexer.url}${route}`);
    await pgCold.indexer.stop();
    const pgWarm = await backfill({ ...common, databaseUrl: postgresUrl, schema: "bench_warm" });
    running.push(pgWarm.indexer);
    // The receipt-to-row samples registered more since rawLogs was counted, the newest of them perhaps not final yet
    // when a run started (those are indexed live, outside the backfill's count): each run indexed at least rawLogs.
    for (const run of [pgCold, pgWarm]) {
      if (run.events < rawLogs) throw new Error(`a PostgreSQL backfill indexed ${run.events} events, under ${rawLogs}`);
    }
    const pgLatencies = await receiptToRow(clients, registry.address, author!, pgWarm.indexer.url);
    const pgLoad = await boundedLoad(`${pgWarm.indexer.url}${route}`);
    const pgHealth = await boundedLoad(`${pgWarm.indexer.url}/health`);
    // The planner's statistics, as autovacuum would have them a minute after the backfill: the API's cost bound reads
    // the plan's estimate, and its read-only connections cannot analyze.
    const analyzer = new pg.Client({ connectionString: postgresUrl });
    await analyzer.connect();
    await analyzer.query("ANALYZE");
    await analyzer.end();
    const pgWorst = await worstRequests(pgWarm.indexer.url, `${pgWarm.indexer.url}${route}`, dense.registrations);
    await pgWarm.indexer.stop();
    metrics["indexer.txToApi.postgres.p50.ms"] = latencyMetric(pgLatencies, " PostgreSQL");
    metrics["api.rest.postgres.p99.ms"] = p99Metric(pgLoad, "the same load on PostgreSQL, response cache on");
    metrics["api.health.postgres.p99.ms"] = p99Metric(pgHealth, "GET /health of the PostgreSQL indexer, same load");
    metrics["api.rest.postgres.uncached.p99.ms"] = p99Metric(pgColdLoad, "the same load on PostgreSQL, cache off");
    Object.assign(
      metrics,
      worstRequestMetrics(pgWorst, { suffix: "postgres", database: "PostgreSQL", route: "the same route" }),
    );
    metrics["indexer.backfill.cold.postgres.eventsPerSec"] = {
      value: Math.round(pgCold.events / (pgCold.durationMs / 1000)),
      unit: "events/s",
      note: `PostgreSQL 127.0.0.1, empty database, RPC cache on; ${round(pgCold.durationMs)} ms`,
    };
    metrics["indexer.backfill.warm.postgres.eventsPerSec"] = {
      value: Math.round(pgWarm.events / (pgWarm.durationMs / 1000)),
      unit: "events/s",
      note: `PostgreSQL, same database with a new --schema (RPC cache warm); ${round(pgWarm.durationMs)} ms`,
    };
  } else {
    console.log(`no PostgreSQL at ${POSTGRES_URL}: PostgreSQL figures not measured`);
  }

  // The drizzle-orm patch, with and without it in the same run (bench/lib/drizzle-patch.ts).
  Object.assign(metrics, await drizzlePatchMetrics());

  await record("indexer", metrics);
} finally {
  for (const indexer of running) await indexer.stop();
  await node.stop();
  if (postgresUrl) {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
  await rm(pgliteDir, { recursive: true, force: true });
  await rm(deploymentsDir, { recursive: true, force: true });
}
