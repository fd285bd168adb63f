// Leaf files in the indexer: a 1M-leaf epoch (built by the SDK's buildEpoch, published on a Hardhat node) uploaded to
// the API and stored (upload, both passes over the file, the chain's checks, every row written), with the indexer
// process's peak RSS and the longest the API answered nobody meanwhile; then GET proof at a fixed 500 requests per
// second for 10 s, each for a random leaf, open loop (a request is sent on schedule whether or not the ones before it
// answered), twice: right after the store (.afterStore) and the 10 s after (the figure); and the database bytes per leaf. On
// PGlite and on PostgreSQL. Every answer's proof is checked against the tree's root before a figure is kept.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { hexToBytes, toHex, type Hex } from "viem";

import { localClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  launchIndexer,
  startNode,
  waitReady,
  type Indexer,
  type IndexerOptions,
} from "../../scripts/lib/stack.ts";
import { LeafHasher, processProof, readLeafFile } from "../../sdk/epochs/index.ts";
import {
  buildLeafFile,
  createEpochPool,
  publishLeafFile,
  randomWeights,
  type LeafFile,
} from "../../test/e2e/lib/epochs.ts";
import { createTestDatabase, postgresRows, postgresUnreachable } from "../../test/e2e/lib/postgres.ts";
import { get } from "../lib/get.ts";
import { percentile, round } from "../lib/latency.ts";
import { record, type Metrics } from "../lib/record.ts";

const LEAVES = Number(process.env.BENCH_EPOCH_LEAVES ?? 1_000_000);
const RATE = 500;
const SECONDS = 10;
const INGEST_TARGET_S = 120;
const P99_TARGET_MS = 20;
const ALICE: Hex = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const SCHEMA = "tributary_leaves";
const SIZE_SQL = `SELECT (pg_total_relation_size('"${SCHEMA}".leaf') + pg_total_relation_size('"${SCHEMA}".tree_top')
  + pg_total_relation_size('"${SCHEMA}".leaf_file'))::bigint AS bytes`;

const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(" / ");

/** The peak and current resident memory of a process, from /proc (Linux), in MB. */
function memory(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: Math.round(kb("VmHWM") / 1024), now: Math.round(kb("VmRSS") / 1024) };
}

/**
 * Asks GET /health every 100 ms until stopped, each on a connection of its own: the longest answer is how long the
 * API could not answer anyone (its event loop held) while a file was checked and stored.
 */
function stallProbe(url: string) {
  let longest = 0;
  let failures = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${url}/health`, {
          headers: { connection: "close" },
          signal: AbortSignal.timeout(120_000),
        });
        await response.arrayBuffer();
      } catch {
        failures++;
      }
      longest = Math.max(longest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { longest, failures };
    },
  };
}

async function ingest(indexer: Indexer, file: LeafFile, onDisk: string) {
  const before = memory(indexer.child.pid!);
  const probe = stallProbe(indexer.url);
  const started = performance.now();
  const response = await fetch(`${indexer.url}/epochs/${file.header.poolId}/1/leaves`, {
    method: "POST",
    body: readFileSync(onDisk),
  });
  const body = await response.text();
  if (response.status === 202) {
    // A large file is checked and stored in the background: its status answers 200 "stored" once it is whole.
    const { statusUrl } = JSON.parse(body) as { statusUrl: string };
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const status = await fetch(`${indexer.url}${statusUrl}`);
      const answer = (await status.json()) as { state?: string };
      if (status.status === 200 && answer.state === "stored") break;
      if (status.status !== 200)
        throw new Error(`the upload's status answered ${status.status}: ${JSON.stringify(answer)}`);
      if (performance.now() - started > 30 * 60_000) throw new Error("the upload was not stored within 30 minutes");
    }
  } else if (response.status !== 201) {
    throw new Error(`the upload answered ${response.status}: ${body}`);
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, before, after: memory(indexer.child.pid!), stall: await probe.stop() };
}

/**
 * The leaves the load asks for, kept as two flat byte arrays (32 bytes a leaf: its contributionId and its hash), off
 * the client's heap: a million leaf objects there would make the client's own collections pause it for hundreds of
 * milliseconds, time that the open loop would count against the API.
 */
interface LeafSample {
  count: number;
  ids: Uint8Array;
  hashes: Uint8Array;
}

function leafSample(file: LeafFile): LeafSample {
  const hasher = new LeafHasher({
    chainId: file.header.chainId,
    contract: file.header.contract,
    poolId: file.header.poolId,
  });
  const count = file.leaves.length;
  const ids = new Uint8Array(count * 32);
  const hashes = new Uint8Array(count * 32);
  file.leaves.forEach((leaf, i) => {
    ids.set(hexToBytes(leaf.contributionId), i * 32);
    hasher.hashInto(leaf, hashes, i * 32);
  });
  return { count, ids, hashes };
}

/**
 * GET proof at RATE per second for SECONDS, open loop, through node:http on kept-alive connections (bench/lib/get.ts);
 * each answer's proof must lead to the root. A request that fails (no answer within 30 s, a wrong answer) counts at
 * the time it took and is reported; the figures are over every request sent.
 */
async function proofLoad(
  indexer: Indexer,
  file: LeafFile,
  sample: LeafSample,
): Promise<{ latencies: number[]; failures: string[] }> {
  const total = RATE * SECONDS;
  const latencies: number[] = [];
  const failures: string[] = [];
  let seed = 12345;
  const pick = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % sample.count;
  };
  const one = async (leaf: number) => {
    const started = performance.now();
    try {
      const id = toHex(sample.ids.subarray(leaf * 32, leaf * 32 + 32));
      const answer = await get(`${indexer.url}/epochs/${file.header.poolId}/1/proofs/${id}`);
      latencies.push(performance.now() - started);
      const hash = toHex(sample.hashes.subarray(leaf * 32, leaf * 32 + 32));
      const proof = answer.status === 200 ? (JSON.parse(answer.body) as { proof?: Hex[] }).proof : undefined;
      if (proof === undefined || processProof(hash, proof) !== file.header.root) {
        failures.push(`${answer.status} ${answer.body.slice(0, 200)}`);
      }
    } catch (error) {
      latencies.push(performance.now() - started);
      failures.push((error as Error).message);
    }
  };
  // Open a few connections, outside the figure.
  for (let i = 0; i < 50; i++) await one(pick());
  latencies.length = 0;
  failures.length = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(one(pick()));
  }
  await Promise.all(pending);
  return { latencies: latencies.sort((a, b) => a - b), failures };
}

async function run(
  label: string,
  suffix: string,
  file: LeafFile,
  sample: LeafSample,
  onDisk: string,
  start: () => Promise<Indexer>,
  size: (indexer: Indexer) => Promise<number>,
  metrics: Metrics,
) {
  const indexer = await start();
  try {
    const loadBefore = load();
    const stored = await ingest(indexer, file, onDisk);
    metrics[`epoch.ingest.1m${suffix}.seconds`] = {
      value: round(stored.seconds, 1),
      unit: "s",
      note: `${label}: POST ${LEAVES.toLocaleString("en-US")} leaves (${round(file.bytes.length / 2 ** 20)} MB) until stored (202, then its status polled every 250 ms until "stored"): received, read and checked, set against the chain (the check in a worker thread), leaves with their lower proofs and the tree top written; target ${INGEST_TARGET_S} s; load average ${loadBefore} before`,
    };
    metrics[`epoch.ingest.1m${suffix}.maxStall.ms`] = {
      value: round(stored.stall.longest),
      unit: "ms",
      note: `${label}: the longest GET /health (a new connection every 100 ms) took while the upload was received, checked and stored: how long the API answered nobody; ${stored.stall.failures} of those requests failed`,
    };
    metrics[`epoch.ingest.1m${suffix}.peakRss.mb`] = {
      value: stored.after.peak,
      unit: "MB",
      note: `${label}: the indexer process's peak RSS (VmHWM) after the upload; ${stored.before.now} MB resident before it, ${stored.before.peak} MB peak before it (its backfill)`,
    };
    // Two windows of the same load: the first begins as soon as the file is stored (the store's garbage, cold pages),
    // the second right after it, the API serving a stored epoch: the figure.
    for (const window of ["afterStore", "steady"] as const) {
      const { latencies, failures } = await proofLoad(indexer, file, sample);
      const failed =
        failures.length === 0
          ? "every answer a proof that leads to the root"
          : `${failures.length} of ${latencies.length} requests FAILED (counted at the time they took), the first: ${failures[0]}`;
      const when =
        window === "afterStore"
          ? "the first 10 s, begun as the upload's status said stored"
          : "the 10 s after those of .afterStore";
      const note = `${label}: GET /epochs/:poolId/:epochId/proofs/:contributionId, ${RATE} req/s for ${SECONDS} s open loop, random leaves, ${when}; ${failed}; load average ${load()} after`;
      const name = `epoch.proof.1m${suffix}${window === "afterStore" ? ".afterStore" : ""}`;
      metrics[`${name}.p50.ms`] = { value: round(percentile(latencies, 50)), unit: "ms", note };
      metrics[`${name}.p99.ms`] = {
        value: round(percentile(latencies, 99)),
        unit: "ms",
        note: `${note}; target ${P99_TARGET_MS} ms; max ${round(latencies.at(-1)!)} ms`,
      };
    }
    const bytes = await size(indexer);
    metrics[`epoch.db.bytesPerLeaf${suffix}`] = {
      value: Math.round(bytes / LEAVES),
      unit: "B",
      note: `${label}: the store's three tables with their indexes (pg_total_relation_size), ${round(bytes / 2 ** 20)} MB in all, over the leaves; the leaf file itself is ${round(file.bytes.length / LEAVES, 0)} B a leaf`,
    };
  } catch (error) {
    // What the indexer said, for a failure the client alone cannot explain (a reset connection).
    console.error(`${label}: the indexer's last lines:\n${indexer.output().split("\n").slice(-30).join("\n")}`);
    throw error;
  } finally {
    await indexer.stop();
  }
}

/** `ponder start`, waiting for /ready longer than the tests do: the machine is shared and may be loaded. */
async function startIndexer(options: IndexerOptions): Promise<Indexer> {
  const indexer = await launchIndexer(options);
  await waitReady(indexer, indexer.url, 900_000);
  return indexer;
}

const metrics: Metrics = {};
const node = await startNode({ blockIntervalMs: 0 });
const work = await mkdtemp(path.join(tmpdir(), "tributary-bench-proofs-"));
try {
  const deployment = (await deploy(node.url, work)) as unknown as {
    contracts: { AttributionEpochs: { address: Hex } };
  };
  const epochs = deployment.contracts.AttributionEpochs.address;
  const clients = localClients(node.url);
  const built = performance.now();
  // The build is deterministic (a fresh node deploys to the same addresses): a built file is kept in bench/.out and
  // used again by the next run, whose figures are the indexer's, not the build's (suite epoch-build times that).
  const makeFile = async () => {
    const poolId = await createEpochPool(clients, epochs, ALICE, 10n ** 21n);
    const domain = { chainId: 31337, contract: epochs, poolId };
    const cached = path.join(import.meta.dirname, "..", ".out", `epoch-proofs-${LEAVES}-${epochs}-${poolId}.json`);
    let file: LeafFile;
    if (existsSync(cached)) {
      const saved = JSON.parse(readFileSync(cached, "utf8")) as { manifest: Record<string, string | number> };
      const bytes = readFileSync(`${cached}.txt`);
      const leaves: LeafFile["leaves"] = [];
      const { header } = await readLeafFile({ chunks: [bytes], source: "cached", onLeaf: (leaf) => leaves.push(leaf) });
      const m = saved.manifest;
      file = {
        header,
        leaves,
        bytes,
        manifest: {
          ...(m as unknown as LeafFile["manifest"]),
          total: BigInt(m.total!),
          snapshotBlock: BigInt(m.snapshotBlock!),
        },
      };
    } else {
      file = await buildLeafFile({ domain, epochId: 1, amount: 10n ** 21n, weights: randomWeights(LEAVES, 0x5eed) });
      await mkdir(path.dirname(cached), { recursive: true });
      await writeFile(`${cached}.txt`, file.bytes);
      await writeFile(
        cached,
        JSON.stringify({ manifest: file.manifest }, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      );
    }
    await publishLeafFile(clients, epochs, ALICE, file);
    return { file, onDisk: `${cached}.txt` };
  };
  const first = await makeFile();
  console.log(`built and published ${LEAVES} leaves in ${round((performance.now() - built) / 1000)} s`);
  const sample = leafSample(first.file);
  // From here on the leaves are read from the sample only.
  first.file.leaves.length = 0;

  const pgliteDir = path.join(work, "pglite");
  const env = { TRIBUTARY_API_RATE_LIMIT: "0", TRIBUTARY_LEAF_FILE_MAX_MB: "512" };
  await run(
    "PGlite",
    "",
    first.file,
    sample,
    first.onDisk,
    () => startIndexer({ rpcUrl: node.url, deploymentsDir: work, pgliteDir, extraEnv: env }),
    async (indexer) => {
      await indexer.stop();
      const db = await PGlite.create(pgliteDir);
      try {
        return Number((await db.query<{ bytes: number }>(SIZE_SQL)).rows[0]!.bytes);
      } finally {
        await db.close();
      }
    },
    metrics,
  );

  const unreachable = await postgresUnreachable();
  if (unreachable !== undefined) {
    console.log(`PostgreSQL not measured: ${unreachable}`);
  } else {
    const database = await createTestDatabase("tributary_bench_proofs");
    try {
      // The same epoch, into a database of its own.
      await run(
        "PostgreSQL",
        ".postgres",
        first.file,
        sample,
        first.onDisk,
        () => startIndexer({ rpcUrl: node.url, deploymentsDir: work, databaseUrl: database.url, extraEnv: env }),
        async () => Number((await postgresRows(database.url, SIZE_SQL))[0]!.bytes),
        metrics,
      );
    } finally {
      await database.drop();
    }
  }
} finally {
  await node.stop();
  await rm(work, { recursive: true, force: true });
}
await record("epoch-proofs", metrics);
