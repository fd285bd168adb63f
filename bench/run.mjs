// `npm run bench`: runs every benchmark suite, then writes bench/results.json (machine-readable, stable metric
// names) and bench/results.md (a table a person reads). `npm run bench -- e2e` runs one suite.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const root = path.join(import.meta.dirname, "..");
const out = path.join(import.meta.dirname, ".out");
const hardhat = path.join(root, "node_modules", "hardhat", "dist", "src", "cli.js");

// Suites on Hardhat's in-process network run through `hardhat run`; the others are plain Node scripts.
const suites = [
  {
    name: "registry",
    args: [hardhat, "run", "bench/suites/registry.ts"],
    title: "AuthorshipRegistry gas, against EAS",
  },
  {
    name: "vault",
    args: [hardhat, "run", "bench/suites/vault.ts"],
    title: "RoyaltyVault gas, against OZ PaymentSplitter and Uniswap's MerkleDistributor",
  },
  {
    name: "epochs",
    args: [hardhat, "run", "bench/suites/epochs.ts"],
    title: "AttributionEpochs gas, against Uniswap's MerkleDistributor",
  },
  { name: "e2e", args: ["bench/suites/e2e.ts"], title: "Chain to API latency" },
  { name: "indexer", args: ["bench/suites/indexer.ts"], title: "Indexer backfill, latency and API load" },
  {
    name: "differential",
    args: ["bench/suites/differential.ts"],
    title: "Indexer against the contracts' views, random operations (differential)",
  },
  {
    name: "ponder-patch",
    args: ["bench/suites/ponder-patch.ts"],
    title: "The patch to Ponder: each speed hunk with and without, same run",
  },
  { name: "liveness", args: ["bench/suites/liveness.ts"], title: "Indexer liveness: a dead head subscription" },
  { name: "sdk", args: ["bench/suites/sdk.ts"], title: "SDK in a browser: the main entry's bundle" },
  {
    name: "web",
    args: ["bench/suites/web.ts"],
    title: "Web app in Chromium: JavaScript shipped, first paint, a claim",
  },
  {
    name: "epoch-build",
    args: ["bench/suites/epoch-build.ts"],
    title: "Attribution epoch build: usage log to leaf file",
  },
  {
    name: "epoch-verify",
    args: ["bench/suites/epoch-verify.ts"],
    title: "Attribution epoch verify: the open verifier on a 1M-leaf epoch",
  },
  {
    name: "epoch-tops",
    args: ["bench/suites/epoch-tops.ts"],
    title: "Leaf store: proofs spread over more epochs than the tree-top cache holds",
  },
  {
    name: "epoch-proofs",
    args: ["bench/suites/epoch-proofs.ts"],
    title: "Leaf files in the indexer: a 1M-leaf upload, proofs under load",
  },
];

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        HARDHAT_DISABLE_TELEMETRY: "true",
        PONDER_TELEMETRY_DISABLED: "true",
        PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      },
    });
    child.on("close", (code) => resolve(code ?? 1));
  });
}

const wanted = process.argv.slice(2);
const chosen = suites.filter((suite) => wanted.length === 0 || wanted.includes(suite.name));
if (chosen.length === 0) {
  console.error(`unknown suite: ${wanted.join(", ")} (suites: ${suites.map((s) => s.name).join(", ")})`);
  process.exit(2);
}

await mkdir(out, { recursive: true });
let failed = 0;
for (const suite of chosen) {
  const file = suite.args.find((arg) => arg.startsWith("bench/suites/"));
  if (!existsSync(path.join(root, file))) {
    console.error(`skipping ${suite.name}: ${file} does not exist`);
    continue;
  }
  console.log(`\n=== ${suite.name}: ${suite.title} ===`);
  await rm(path.join(out, `${suite.name}.json`), { force: true });
  const code = await run(suite.args);
  if (code !== 0) {
    console.error(`suite ${suite.name} failed (exit ${code})`);
    failed++;
  }
}

// Merge with the figures already on record, so running one suite keeps the others' rows.
const resultsJson = path.join(import.meta.dirname, "results.json");
const results = existsSync(resultsJson) ? JSON.parse(await readFile(resultsJson, "utf8")) : {};
const notes = {};
const sections = [];
for (const suite of suites) {
  const file = path.join(out, `${suite.name}.json`);
  if (!existsSync(file)) continue;
  const metrics = JSON.parse(await readFile(file, "utf8"));
  sections.push({ suite, names: Object.keys(metrics) });
  for (const [name, metric] of Object.entries(metrics)) {
    results[name] = { value: metric.value, unit: metric.unit };
    notes[name] = metric.note ?? "";
  }
}
const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
await writeFile(resultsJson, `${JSON.stringify(sorted, null, 2)}\n`);

const format = (value) => (Number.isInteger(value) ? value.toLocaleString("en-US") : String(value));
let md = `# Benchmark results\n\nWritten by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, `;
md += `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}. Gas is \`gasUsed\` from receipts `;
md += `(21,000 base included) on Hardhat's EDR network; times are wall-clock on this machine.\n`;
// A suite not run in this checkout keeps its table from the results.md on record (its notes live only there).
const previousMd = existsSync(path.join(import.meta.dirname, "results.md"))
  ? await readFile(path.join(import.meta.dirname, "results.md"), "utf8")
  : "";
const previousTable = (title) => {
  const start = previousMd.indexOf(`\n## ${title}\n`);
  if (start < 0) return undefined;
  const end = previousMd.indexOf("\n## ", start + 1);
  return previousMd.slice(start, end < 0 ? undefined : end).trimEnd() + "\n";
};
for (const suite of suites) {
  const section = sections.find((entry) => entry.suite === suite);
  if (section === undefined) {
    md += previousTable(suite.title) ?? "";
    continue;
  }
  md += `\n## ${suite.title}\n\n| metric | value | unit | note |\n|---|---:|---|---|\n`;
  for (const name of section.names)
    md += `| \`${name}\` | ${format(results[name].value)} | ${results[name].unit} | ${notes[name]} |\n`;
}
// Prose that goes with the figures (e.g. a provider's cost beside a peer's published numbers): bench/*-notes.md.
for (const file of readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith("-notes.md"))
  .sort()) {
  md += `\n${await readFile(path.join(import.meta.dirname, file), "utf8")}`;
}
await writeFile(path.join(import.meta.dirname, "results.md"), md);
console.log(`\nwrote bench/results.json and bench/results.md${failed ? ` (${failed} suite(s) failed)` : ""}`);
process.exit(failed ? 1 : 0);
