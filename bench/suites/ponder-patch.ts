// What the three speed hunks of patches/ponder+0.17.7.patch save, with and without them in the same run, on the same
// chain: batched backfill inserts (sync-historical/index.js), stamping reorg rows of the written tables only, and
// finalizing only the tables that hold final reorg rows (runtime/multichain.js).
//
// "Without" is Ponder's own code, switched back on inside the patched files by TRIBUTARY_PONDER_UNPATCHED (only this
// suite sets it; the patch's header comment says so). A switch rather than a second copy of Ponder with the hunks
// reversed (as bench/lib/drizzle-patch.ts does for drizzle, inside one process): Ponder runs only as a process that
// loads the app's config and schema, which import "ponder" themselves, so a reversed copy would need a second
// node_modules tree in which everything else resolves to the first, and the two sides would then differ in more
// than the hunks. With the switch both sides are the same files, the same tree and the same process setup.
//
// Each hunk is read where only it acts: the backfill inserts in the backfill's duration (the two others run only
// after it), the stamping in each live block's "Indexed block" duration, the finalize in each "Finalized block"
// duration. "Without" turns all three off together; off alone, the stamping hunk's switch would make the finalize
// hunk see every table as written, which is Ponder's finalize again. Sides alternate, the order swapped each round,
// so that both meet the same moments of a shared, loaded machine; the figures are medians.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  launchIndexer,
  onLogEntry,
  rpc,
  sleep,
  startNode,
  waitFor,
  waitReady,
  type Indexer,
} from "../../scripts/lib/stack.ts";
import { headBlock, mineBlocks, registerDense } from "../../test/e2e/lib/dense-chain.ts";
import { round } from "../lib/latency.ts";
import { record, type Metrics } from "../lib/record.ts";

const EVENTS = Number(process.env.TRIBUTARY_BENCH_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.TRIBUTARY_BENCH_ROUNDS ?? 3);
/** Live blocks of each run: first EMPTY_BLOCKS empty ones, then WRITTEN_BLOCKS with a registration in every third. */
const EMPTY_BLOCKS = Number(process.env.TRIBUTARY_BENCH_EMPTY_BLOCKS ?? 90);
const WRITTEN_BLOCKS = Number(process.env.TRIBUTARY_BENCH_WRITTEN_BLOCKS ?? 150);
/** Ponder finalizes chain 31337 30 blocks at a time. */
const FINALITY = 30;
const UNPATCHED = "reorgStamping,finalize,backfillInserts";

type Side = "with" | "without";

interface LiveRun {
  emptyBlockMs: number[];
  registrationBlockMs: number[];
  /** Finalizes of 30 blocks none of which wrote a row, and of 30 blocks some of which did. */
  emptyFinalizeMs: number[];
  writtenFinalizeMs: number[];
}

const median = (values: number[]) => {
  if (values.length === 0) throw new Error("no samples");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const node = await startNode({ blockIntervalMs: 0 });
const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-ponder-patch-"));
const dirs: string[] = [];
let running: Indexer | undefined;

/**
 * Starts the indexer with or without the speed hunks: on an empty PGlite database, or with `schema` on the database
 * of the first backfill, whose RPC cache holds the chain (a warm backfill before a live run, to save time).
 */
async function start(
  side: Side,
  schema?: string,
): Promise<{ indexer: Indexer; entries: Array<Record<string, unknown>> }> {
  let pgliteDir = dirs[0];
  if (schema === undefined || pgliteDir === undefined) {
    pgliteDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-ponder-patch-pglite-"));
    dirs.push(pgliteDir);
  }
  const extraEnv: Record<string, string> = { TRIBUTARY_RPC_CACHE: "1", TRIBUTARY_API_RATE_LIMIT: "0" };
  if (side === "without") extraEnv.TRIBUTARY_PONDER_UNPATCHED = UNPATCHED;
  const indexer = await launchIndexer({ rpcUrl: node.url, deploymentsDir, pgliteDir, schema, extraEnv });
  running = indexer;
  const entries: Array<Record<string, unknown>> = [];
  onLogEntry(indexer, (entry) => entries.push(entry as Record<string, unknown>));
  await waitReady(indexer, indexer.url, 600_000);
  return { indexer, entries };
}

async function stop(indexer: Indexer) {
  await indexer.stop();
  running = undefined;
}

/** The CPU time the process `pid` has used so far (user and system, all its threads), in ms. Linux only. */
async function cpuMs(pid: number): Promise<number> {
  // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second), after the parenthesized command name.
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * A cold backfill (empty PGlite database) of the whole chain: its duration from Ponder's log, and the CPU time the
 * indexer's process used from its start to /ready (the same start-up on both sides; PGlite runs inside it), in ms.
 * On a shared machine the CPU time depends far less on what else runs than the duration does.
 */
async function backfill(side: Side, expectedEvents: number): Promise<{ ms: number; cpuMs: number }> {
  const { indexer, entries } = await start(side);
  try {
    const cpu = await cpuMs(indexer.child.pid!);
    const completed = await waitFor(
      "the backfill's duration in the log",
      async () => entries.find((entry) => entry.msg === "Completed backfill indexing across all chains"),
      { timeoutMs: 10_000 },
    );
    const events = entries
      .filter((entry) => entry.msg === "Indexed block range")
      .reduce((sum, entry) => sum + Number(entry.event_count ?? 0), 0);
    if (events !== expectedEvents)
      throw new Error(`${side}: the backfill indexed ${events} events, not ${expectedEvents}`);
    return { ms: Number(completed.duration), cpuMs: cpu };
  } finally {
    await stop(indexer);
  }
}

/**
 * After a backfill, mines the live blocks one at a time, each once the indexer has indexed the one before (so Ponder
 * handles every block on its own), and reads each block's and each finalize's duration from the log.
 */
async function live(side: Side, schema: string, clients: ReturnType<typeof localClients>, registry: Hex, author: Hex) {
  const { indexer, entries } = await start(side, schema);
  try {
    // Past the switch to live (triggers created, the head caught up).
    await sleep(2_000);
    const first = Number(await headBlock(node.url)) + 1;
    const registrationBlocks = new Set<number>();
    for (let i = 0; i < EMPTY_BLOCKS + WRITTEN_BLOCKS; i++) {
      const number = first + i;
      if (i >= EMPTY_BLOCKS && (i - EMPTY_BLOCKS) % 3 === 0) {
        const id = keccak256(toHex(`bench ponder-patch ${side} ${Date.now()} ${i}`));
        const receipt = await registerContribution(clients, registry, author, id, KIND.prompt, "");
        if (Number(receipt.blockNumber) !== number) throw new Error(`the registration landed in another block`);
        registrationBlocks.add(number);
      } else {
        await mineBlocks(node.url, 1);
      }
      await waitFor(
        `block ${number} indexed`,
        async () =>
          entries.some((entry) => entry.msg === "Indexed block" && entry.number === number) ? true : undefined,
        { timeoutMs: 30_000, intervalMs: 2 },
      );
    }
    const last = first + EMPTY_BLOCKS + WRITTEN_BLOCKS - 1;
    const run: LiveRun = { emptyBlockMs: [], registrationBlockMs: [], emptyFinalizeMs: [], writtenFinalizeMs: [] };
    for (const entry of entries) {
      const number = Number(entry.number);
      if (entry.msg === "Indexed block" && number >= first && number <= last) {
        if (Number(entry.event_count) > 0 !== registrationBlocks.has(number)) {
          throw new Error(`${side}: block ${number} had ${entry.event_count} events`);
        }
        (registrationBlocks.has(number) ? run.registrationBlockMs : run.emptyBlockMs).push(Number(entry.duration));
      }
      // A finalize makes the 30 blocks up to its block final; those mined before the live run wrote nothing.
      if (entry.msg === "Finalized block" && number >= first) {
        const written = [...registrationBlocks].some((block) => block > number - FINALITY && block <= number);
        (written ? run.writtenFinalizeMs : run.emptyFinalizeMs).push(Number(entry.duration));
      }
    }
    return run;
  } finally {
    await stop(indexer);
  }
}

try {
  const deployment = await deploy(node.url, deploymentsDir);
  const registry = deployment.contracts.AuthorshipRegistry;
  const vault = deployment.contracts.RoyaltyVault;
  // A shared, loaded machine's node can take longer than viem's 10 s to answer a batch of 256 registrations.
  const clients = localClients(node.url, 31337, 120_000);
  const dense = await registerDense(clients, registry.address, {
    events: EVENTS,
    label: `bench ponder-patch ${Date.now()}`,
    vault: vault ? { address: vault.address, events: Math.round(EVENTS / 4) } : undefined,
  });
  await mineBlocks(node.url, 40);
  const rangeLogs = await rpc<unknown[]>(node.url, "eth_getLogs", [
    {
      address: vault ? [registry.address, vault.address] : registry.address,
      fromBlock: toHex(Math.min(registry.startBlock, vault?.startBlock ?? registry.startBlock)),
      toBlock: "latest",
    },
  ]);
  console.log(`chain: ${dense.events} events in blocks ${dense.firstBlock}-${dense.lastBlock}`);

  const order = (r: number): Side[] => (r % 2 === 0 ? ["with", "without"] : ["without", "with"]);
  // The backfills first, all on the same chain: the live runs add blocks.
  const backfillMs: Record<Side, number[]> = { with: [], without: [] };
  const backfillCpuMs: Record<Side, number[]> = { with: [], without: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of order(r)) {
      const { ms, cpuMs: cpu } = await backfill(side, rangeLogs.length);
      backfillMs[side].push(ms);
      backfillCpuMs[side].push(cpu);
      console.log(`round ${r + 1}, ${side} the speed hunks: cold backfill ${round(ms)} ms, ${cpu} ms of CPU`);
    }
  }
  const runs: Record<Side, LiveRun[]> = { with: [], without: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const side of order(r)) {
      const run = await live(side, `live_${r}_${side}`, clients, registry.address, dense.authors[0]!);
      runs[side].push(run);
      console.log(
        `round ${r + 1}, ${side}: live block ${median(run.emptyBlockMs)} ms empty, ${median(run.registrationBlockMs)} ms ` +
          `with a registration; finalize ${run.emptyFinalizeMs.join("/")} ms (nothing written), ` +
          `${run.writtenFinalizeMs.join("/")} ms (rows written)`,
      );
    }
  }

  // Every sample, beside the figures (bench/.out is not committed).
  const raw = path.join(import.meta.dirname, "..", ".out", "ponder-patch-samples.json");
  await mkdir(path.dirname(raw), { recursive: true });
  await writeFile(raw, `${JSON.stringify({ backfillMs, backfillCpuMs, runs }, null, 2)}\n`);
  const pooled = (side: Side, key: keyof LiveRun) => runs[side].flatMap((run) => run[key]);
  const perRun = (side: Side, key: keyof LiveRun) => runs[side].map((run) => round(median(run[key]))).join(" / ");
  const metrics: Metrics = {};
  const pair = (
    hunk: string,
    values: Record<Side, number[]>,
    what: string,
    spread: (side: Side) => string,
    samples: string,
  ) => {
    const [withMs, withoutMs] = [median(values.with), median(values.without)];
    const saved = `${round((1 - withMs / withoutMs) * 100, 0)}% saved`;
    metrics[`indexer.ponderPatch.${hunk}.with`] = {
      value: round(withMs),
      unit: "ms",
      note: `${what}, with the hunk: median of ${samples}; per run ${spread("with")}; ${saved}`,
    };
    metrics[`indexer.ponderPatch.${hunk}.without`] = {
      value: round(withoutMs),
      unit: "ms",
      note: `the same with Ponder's own code (TRIBUTARY_PONDER_UNPATCHED), same run; per run ${spread("without")}`,
    };
  };
  const blocks = Number(dense.lastBlock - dense.firstBlock) + 1;
  pair(
    "backfillInserts",
    backfillCpuMs,
    `CPU time of the indexer's process from its start to the end of a cold PGlite backfill of ${rangeLogs.length} events (${blocks} blocks)`,
    (side) =>
      `${backfillCpuMs[side].join(" / ")} ms of CPU, ${backfillMs[side].map((ms) => round(ms, 0)).join(" / ")} ms ` +
      `of wall-clock backfill (median ${round(median(backfillMs[side]), 0)})`,
    `${ROUNDS} alternating runs`,
  );
  const livePair = (hunk: string, key: keyof LiveRun, what: string) => {
    // A live run too short for a kind of finalize has no sample of it: no figure rather than a made-up one.
    if (pooled("with", key).length === 0 || pooled("without", key).length === 0) {
      console.log(`${hunk}: no samples on one side, not recorded`);
      return;
    }
    pair(
      hunk,
      { with: pooled("with", key), without: pooled("without", key) },
      what,
      (side) => perRun(side, key),
      `${pooled("with", key).length} and ${pooled("without", key).length} samples over ${ROUNDS} runs a side`,
    );
  };
  livePair("reorgStamping.emptyBlock", "emptyBlockMs", "a live empty block, PGlite ('Indexed block')");
  livePair("reorgStamping.registrationBlock", "registrationBlockMs", "a live block with one registration, PGlite");
  livePair("finalize.emptyRange", "emptyFinalizeMs", "a finalize of 30 blocks that wrote nothing, PGlite");
  livePair("finalize.writtenRange", "writtenFinalizeMs", "a finalize of 30 blocks some of which wrote rows, PGlite");
  await record("ponder-patch", metrics);
} finally {
  if (running) await running.stop();
  await node.stop();
  for (const dir of [...dirs, deploymentsDir]) await rm(dir, { recursive: true, force: true });
}
