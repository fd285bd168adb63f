// Proofs spread over more stored epochs than the indexer keeps tree tops for: 20 leaf files of 65,536 leaves (each top
// 2^17 - 1 nodes, 4 MB; 80 MB in all) in the leaf store on PGlite, the store's default cache of 64 MB (16 tops), and
// proofs asked round robin over the 20 files, one at a time, as a client spreading its requests would. Three stores
// over the same tables, in the same run:
//
//   fits        a cache that holds every top (the floor: each proof a leaf row and memory);
//   spread      the default cache and rule: a top that does not fit is served by reading a proof's siblings alone,
//               and read whole after TOP_ADMIT_AFTER proofs of its file;
//   firstAsk    the default cache, each top read whole at its first proof (admitAfter 0: the rule before this one).
//
//   node bench/suites/epoch-tops.ts
import { PGlite } from "@electric-sql/pglite";
import type { Hex } from "viem";

import { pgliteDatabase } from "../../indexer/src/api/leaves/db.ts";
import { LeafStore, TOP_ADMIT_AFTER, type EpochKey } from "../../indexer/src/api/leaves/store.ts";
import type { PgliteInstance } from "../../indexer/src/api/ponderAdapter.ts";
import { readLeafFile } from "../../sdk/epochs/index.ts";
import { buildLeafFile, randomWeights } from "../../test/e2e/lib/epochs.ts";
import { percentile, round } from "../lib/latency.ts";
import { record, type Metrics } from "../lib/record.ts";

const FILES = 20;
const LEAVES = 65_536;
const CACHE_MB = 64;
const PROOFS = 1_000;
const CONTRACT: Hex = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
const SCHEMA = "leaves_bench";

const db = await PGlite.create();
const database = pgliteDatabase(db as unknown as PgliteInstance, "public");
const storeWith = (topCacheBytes: number, admitAfter?: number) =>
  new LeafStore(database, SCHEMA, { topLevels: 17, topCacheBytes, admitAfter });

// The files: built by the test library's builder, stored once through a store of their own.
const started = performance.now();
const writer = storeWith(CACHE_MB * 2 ** 20);
const files: { fileId: number; ids: Hex[] }[] = [];
for (let f = 0; f < FILES; f++) {
  const poolId = BigInt(f + 1);
  const key: EpochKey = { chainId: 31337, contract: CONTRACT, poolId, epochId: 1 };
  const file = await buildLeafFile({
    domain: { chainId: 31337, contract: CONTRACT, poolId },
    epochId: 1,
    amount: 10n ** 18n,
    weights: randomWeights(LEAVES, 1_000 + f),
  });
  const { header, tree, leafFileHash } = await readLeafFile({ chunks: [file.bytes], source: "bench" });
  await writer.store({
    key,
    header,
    tree,
    leafFileHash,
    bytes: file.bytes.length,
    chunks: async function* () {
      yield file.bytes;
    },
  });
  files.push({ fileId: (await writer.stored(key))!.fileId, ids: file.leaves.map((leaf) => leaf.contributionId) });
}
console.log(`stored ${FILES} files of ${LEAVES} leaves in ${round((performance.now() - started) / 1000, 1)} s`);

/** Proofs asked one at a time, round robin over the files, a pseudo-random leaf each; their latencies in ms. */
async function roundRobin(store: LeafStore, count: number, seed: number): Promise<number[]> {
  const latencies: number[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    const { fileId, ids } = files[i % FILES]!;
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const t = performance.now();
    const proof = await store.proof(fileId, ids[x % ids.length]!);
    latencies.push(performance.now() - t);
    if (proof === undefined || proof.proof.length !== 16) throw new Error(`no 16-sibling proof in file ${fileId}`);
  }
  return latencies;
}

const metrics: Metrics = {};
const modes = [
  { name: "fits", store: storeWith(2 * FILES * 4 * 2 ** 20), note: "a cache that holds all 20 tops (warmed first)" },
  {
    name: "spread",
    store: storeWith(CACHE_MB * 2 ** 20),
    note: `the default cache (64 MB, 16 tops) and rule: sibling reads, a top read whole after ${TOP_ADMIT_AFTER} proofs of its file`,
  },
  {
    name: "firstAsk",
    store: storeWith(CACHE_MB * 2 ** 20, 0),
    note: "the default cache, each top read whole at its first proof after it was dropped (the former rule)",
  },
] as const;
for (const mode of modes) {
  if (mode.name === "fits") await roundRobin(mode.store, 2 * FILES, 7);
  const t = performance.now();
  const latencies = (await roundRobin(mode.store, PROOFS, 11)).sort((a, b) => a - b);
  const seconds = (performance.now() - t) / 1000;
  const suffix = mode.name === "spread" ? "" : `.${mode.name}`;
  metrics[`epoch.proof.spread20${suffix}.p50.ms`] = { value: round(percentile(latencies, 50), 2), unit: "ms" };
  metrics[`epoch.proof.spread20${suffix}.p99.ms`] = {
    value: round(percentile(latencies, 99), 2),
    unit: "ms",
    note: `${PROOFS} proofs one at a time, round robin over ${FILES} stored files of ${LEAVES} leaves on PGlite; ${mode.note}; ${round(PROOFS / seconds, 0)} proofs/s`,
  };
  metrics[`epoch.proof.spread20${suffix}.rps`] = { value: round(PROOFS / seconds, 0), unit: "rps" };
}
await db.close();
await record("epoch-tops", metrics);
