// How long the open verifier takes on a million-leaf epoch, and how much memory: a usage log of 1M lines (each a
// distinct contribution, the epoch-build suite's seed and shape) is built into a leaf file and manifest once; then,
// each in its own child process, what `tributary epoch verify` runs after it has read the manifest from the chain:
// the leaf file streamed from disk through leafFileChunks and checked (root, hash, total, previous epoch, first
// epochs, consent), and with the usage log, usage-share-v1 run again and compared byte for byte. The consent lookup
// answers from memory (nobody revoked): the chain's eth_calls are not in the figure, as in epoch-build. Peak RSS is
// process.resourceUsage().maxRSS of the verifying process.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";

import { buildEpoch, verifyEpoch, type EpochDomain, type EpochManifest } from "../../sdk/epochs/index.ts";
import { methodSourceBytes, readAttributionFile, writeLeafFile } from "../../sdk/epochs/files.ts";
import { leafFileChunks } from "../../sdk/epochs/sources.ts";
import { record, type Metrics } from "../lib/record.ts";
import { writeUsageLog } from "../lib/usage-log.ts";

const SEED = 0x5eed_e90c;
const LINES = 1_000_000;
const DOMAIN: EpochDomain = { chainId: 31337, contract: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707", poolId: 1n };

const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;
const toJson = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
const fromJson = (text: string) =>
  JSON.parse(text, (_k, v) => (typeof v === "string" && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v));

const [mode, ...args] = process.argv.slice(2);
if (mode === "build") {
  const [log, out, manifestFile] = args as [string, string, string];
  const result = buildEpoch({
    domain: DOMAIN,
    epochId: 1,
    amount: 10n ** 24n,
    attribution: await readAttributionFile({ file: log, input: "usage" }),
    snapshotBlock: 1n,
    isEligible: () => true,
    methodSource: await methodSourceBytes(),
    leafFileUri: "file:///leaves.txt",
  });
  await writeLeafFile(out, result.leafFile);
  await writeFile(manifestFile, toJson(result.manifest));
  process.exit(0);
}
if (mode === "verify") {
  const [leaves, manifestFile, log] = args as [string, string, string | undefined];
  const manifest = fromJson(await readFile(manifestFile, "utf8")) as EpochManifest;
  const started = performance.now();
  const result = await verifyEpoch({
    domain: DOMAIN,
    epochId: 1,
    manifest,
    leaves: { chunks: leafFileChunks(leaves), source: leaves },
    revokedAt: async () => new Set(),
    usage:
      log === undefined
        ? undefined
        : {
            read: (input) => readAttributionFile({ file: log, input }),
            methodSource: await methodSourceBytes(),
          },
  });
  const failed = result.findings.filter((f) => f.status === "fail").map((f) => `${f.check}: ${f.reason}`);
  console.log(JSON.stringify({ seconds: seconds(started), rssMb: mb(), failed, findings: result.findings.length }));
  process.exit(0);
}

interface ChildResult {
  seconds: number;
  rssMb: number;
  failed: string[];
}

function child(childArgs: string[]): Promise<ChildResult | undefined> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [import.meta.filename, ...childArgs], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    const timer = setTimeout(() => proc.kill("SIGKILL"), 900_000);
    proc.stdout.on("data", (chunk) => (stdout += chunk));
    proc.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${childArgs[0]} exited with ${code}`));
      const last = stdout.trim().split("\n").pop();
      resolve(last ? (JSON.parse(last) as ChildResult) : undefined);
    });
  });
}

const work = await mkdtemp(path.join(tmpdir(), "tributary-bench-verify-"));
try {
  const log = path.join(work, "usage-1m.jsonl");
  const leaves = path.join(work, "leaves-1m.txt");
  const manifest = path.join(work, "manifest.json");
  await writeUsageLog(log, LINES, SEED);
  await child(["build", log, leaves, manifest]);
  const load = () => (os.loadavg()[0] ?? 0).toFixed(1);
  const metrics: Metrics = {};
  for (const [name, withUsage] of [
    ["epoch.verify.1m", true],
    ["epoch.verify.1m.leavesOnly", false],
  ] as const) {
    const before = load();
    const result = (await child(["verify", leaves, manifest, ...(withUsage ? [log] : [])]))!;
    if (result.failed.length > 0) throw new Error(`the honest epoch failed verification: ${result.failed.join("; ")}`);
    const where = `load average ${before} before, ${load()} after, on ${os.cpus().length} cores shared with other work`;
    metrics[`${name}.seconds`] = {
      value: result.seconds,
      unit: "s",
      note: withUsage
        ? `epoch verify with the usage log on ${LINES.toLocaleString("en-US")} lines and leaves: leaf file streamed and checked, usage-share-v1 run again, same bytes; consent eth_calls not included; ${where}`
        : `epoch verify without the usage log: the leaf file streamed and checked (root, hash, total, first epochs, consent lookup from memory); ${where}`,
    };
    metrics[`${name}.peakRssMb`] = {
      value: result.rssMb,
      unit: "MB",
      note: "peak RSS of the verifying process",
    };
  }
  await record("epoch-verify", metrics);
} finally {
  await rm(work, { recursive: true, force: true });
}
