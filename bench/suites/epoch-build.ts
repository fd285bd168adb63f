// How long building an attribution epoch takes, and how much memory: a usage log of 100k and of 1M lines, each line
// a distinct contribution (deterministic seed), through the whole pipeline of `tributary epoch build` (read and hash
// the log, usage-share-v1, leaf hashes, tree, leaf file written) but the consent read from the chain. Each build runs
// in its own child process, whose peak RSS (process.resourceUsage().maxRSS) is the figure. Beside it: the same
// leaves through @openzeppelin/merkle-tree's StandardMerkleTree.of (its root must equal ours), a proof cut from the
// 1M leaf file, and the keccak256 implementations in node_modules on the tree's node hash.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";

import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";

import { buildEpoch, hashPairInto, LEAF_TYPES, leafValues, type EpochDomain } from "../../sdk/epochs/index.ts";
import { getProofFromFile, methodSourceBytes, readAttributionFile, writeLeafFile } from "../../sdk/epochs/files.ts";
import { record, type Metrics } from "../lib/record.ts";
import { generator, writeUsageLog } from "../lib/usage-log.ts";

const SEED = 0x5eed_e90c;
const DOMAIN: EpochDomain = { chainId: 31337, contract: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707", poolId: 1n };
const TARGET_SECONDS = 60;
const TARGET_RSS_MB = 2048;
/** How long the library may take for 1M leaves before the suite records that it did not finish. */
const OZ_TIMEOUT_MS = 300_000;

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

async function build(log: string) {
  const started = performance.now();
  const stages: Record<string, number> = {};
  let stageStart = started;
  const stage = (name: string) => {
    const now = performance.now();
    stages[name] = Math.round(now - stageStart) / 1000;
    stageStart = now;
  };
  const attribution = await readAttributionFile({ file: log, input: "usage" });
  let current = "read";
  const result = buildEpoch({
    domain: DOMAIN,
    epochId: 1,
    amount: 10n ** 24n,
    attribution,
    snapshotBlock: 1n,
    isEligible: () => true,
    methodSource: await methodSourceBytes(),
    onStage: (next) => {
      stage(current);
      current = next;
    },
  });
  stage(current);
  return { result, started, stages, stage };
}

// Child processes: one measurement each, printed as one JSON line.
const [mode, ...args] = process.argv.slice(2);
if (mode === "build") {
  const [log, out] = args as [string, string];
  const { result, started, stages, stage } = await build(log);
  await writeLeafFile(out, result.leafFile);
  stage("write");
  console.log(JSON.stringify({ seconds: seconds(started), rssMb: mb(), root: result.manifest.root, stages }));
  process.exit(0);
}
if (mode === "oz") {
  const [log] = args as [string];
  const { result } = await build(log);
  const lines = new TextDecoder().decode(result.leafFile).trimEnd().split("\n").slice(1);
  const values = lines.map((line) => {
    const [contributionId, amount, firstEpoch] = line.split(",") as [Hex, string, string];
    return leafValues(DOMAIN, { contributionId, cumulativeAmount: BigInt(amount), firstEpoch: Number(firstEpoch) });
  });
  const started = performance.now();
  const tree = StandardMerkleTree.of(values, [...LEAF_TYPES]);
  const treeSeconds = seconds(started);
  console.log(JSON.stringify({ treeSeconds, rssMb: mb(), same: tree.root === result.manifest.root }));
  process.exit(0);
}
if (mode === "proof") {
  const [leaves, contributionId] = args as [string, Hex];
  const started = performance.now();
  const proof = await getProofFromFile(leaves, contributionId);
  console.log(JSON.stringify({ seconds: seconds(started), rssMb: mb(), depth: proof.proof.length }));
  process.exit(0);
}

interface ChildResult {
  seconds?: number;
  treeSeconds?: number;
  rssMb: number;
  root?: Hex;
  same?: boolean;
  depth?: number;
  stages?: Record<string, number>;
}

function child(childArgs: string[], timeoutMs = 600_000): Promise<ChildResult | undefined> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [import.meta.filename, ...childArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, timeoutMs);
    proc.stdout.on("data", (chunk) => (stdout += chunk));
    proc.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve(undefined);
      if (code !== 0) return reject(new Error(`${childArgs[0]} exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()!) as ChildResult);
    });
  });
}

/** Microseconds per node hash (64 bytes in, sorted pair) of one implementation, best of three rounds. */
function perHash(hash: (buffer: Uint8Array, i: number) => void): number {
  const buffer = new Uint8Array(96).map((_, i) => i);
  const count = 200_000;
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    for (let i = 0; i < count; i++) hash(buffer, i);
    best = Math.min(best, ((performance.now() - started) * 1000) / count);
  }
  return Math.round(best * 100) / 100;
}

const require = createRequire(import.meta.url);
const nativeKeccak = require("keccak") as (algorithm: string) => {
  update(data: Uint8Array): { digest(): Buffer };
};
const keccakFigures = {
  ours: perHash((buffer, i) => {
    buffer[0] = i;
    hashPairInto(buffer, 0, 32, buffer, 64);
  }),
  noble: perHash((buffer, i) => {
    buffer[0] = i;
    keccak_256(buffer.subarray(0, 64));
  }),
  native: perHash((buffer, i) => {
    buffer[0] = i;
    nativeKeccak("keccak256")
      .update(Buffer.from(buffer.buffer, 0, 64))
      .digest();
  }),
};

const work = await mkdtemp(path.join(tmpdir(), "tributary-bench-epoch-"));
try {
  const metrics: Metrics = {};
  const builds: Record<string, ChildResult> = {};
  for (const [label, lines] of [
    ["100k", 100_000],
    ["1m", 1_000_000],
  ] as const) {
    const log = path.join(work, `usage-${label}.jsonl`);
    await writeUsageLog(log, lines, SEED);
    const out = path.join(work, `leaves-${label}.txt`);
    const loadBefore = os.loadavg()[0] ?? 0;
    const result = (await child(["build", log, out]))!;
    const load = `load average ${loadBefore.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after, on ${os.cpus().length} cores`;
    builds[label] = result;
    const stages = Object.entries(result.stages ?? {})
      .map(([name, s]) => `${name} ${s} s`)
      .join(", ");
    metrics[`epoch.build.${label}.seconds`] = {
      value: result.seconds!,
      unit: "s",
      note: `${lines.toLocaleString("en-US")} lines over as many contributions; target <= ${TARGET_SECONDS} s (${result.seconds! <= TARGET_SECONDS ? "met" : "missed"}); ${stages}; consent read not included; ${load}`,
    };
    metrics[`epoch.build.${label}.peakRssMb`] = {
      value: result.rssMb,
      unit: "MB",
      note: `peak RSS of the build's process; target <= ${TARGET_RSS_MB.toLocaleString("en-US")} MB (${result.rssMb <= TARGET_RSS_MB ? "met" : "missed"})`,
    };
    const oz = await child(["oz", log], label === "1m" ? OZ_TIMEOUT_MS : 600_000);
    const ours = result.stages?.tree ?? 0;
    metrics[`peer.ozMerkleTree.build.${label}.seconds`] = oz
      ? {
          value: oz.treeSeconds!,
          unit: "s",
          note: `@openzeppelin/merkle-tree StandardMerkleTree.of over the same leaves, tree only (leaf hashes included); ours: ${(result.stages?.hash ?? 0) + ours} s for leaf hashes and tree; same root: ${oz.same ? "yes" : "NO"}; its process's peak RSS ${oz.rssMb} MB`,
        }
      : {
          value: OZ_TIMEOUT_MS / 1000,
          unit: "s",
          note: `did not finish within ${OZ_TIMEOUT_MS / 1000} s (stopped); ours: ${(result.stages?.hash ?? 0) + ours} s for leaf hashes and tree`,
        };
    if (oz && !oz.same) throw new Error(`the library's root differs from ours at ${label}`);
    if (label === "1m") {
      // The log's first contribution (the generator's first eight words).
      const next = generator(SEED);
      const firstId = `0x${Array.from({ length: 8 }, () => next().toString(16).padStart(8, "0")).join("")}`;
      const proof = (await child(["proof", out, firstId]))!;
      metrics["epoch.proof.1m.seconds"] = {
        value: proof.seconds!,
        unit: "s",
        note: `tributary epoch proof from the 1M leaf file, offline: read, checked against its header, tree rebuilt from 32-byte hashes; depth ${proof.depth}`,
      };
      metrics["epoch.proof.1m.peakRssMb"] = {
        value: proof.rssMb,
        unit: "MB",
        note: "peak RSS of the proof's process (leaf hashes and nodes in flat byte arrays, no tree of objects)",
      };
    }
  }
  metrics["epoch.keccak.nodeHash.us"] = {
    value: keccakFigures.ours,
    unit: "µs",
    note: `sdk/epochs/keccak.ts, one sorted-pair node hash (64 bytes); @noble/hashes keccak_256 ${keccakFigures.noble} µs, the native keccak package ${keccakFigures.native} µs (a call into C per hash)`,
  };
  await record("epoch-build", metrics);
} finally {
  await rm(work, { recursive: true, force: true });
}
