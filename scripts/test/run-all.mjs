// `npm test`: runs every test tier and ends with one line `N passed, N failed[, N skipped]` summing them.
//
// Tiers: Solidity tests (forge-std, fuzz and invariants), mocha TypeScript tests, then the Node test runner's
// suites that drive real processes (test/e2e: node, deploy, indexer on PGlite and PostgreSQL; test/cli; test/web: the web app in Chromium). TRIBUTARY_TEST_PROFILE picks the Solidity test profile (CI uses `ci`).
// Any tier may be chosen alone: `npm test -- solidity e2e`.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

const root = path.join(import.meta.dirname, "..", "..");
const bin = path.join(root, "node_modules", ".bin");
const hardhat = path.join(root, "node_modules", "hardhat", "dist", "src", "cli.js");
const profile = process.env.TRIBUTARY_TEST_PROFILE;

// Mocha runs every .ts file it is given in-process, so it gets only its own files: the *.test.ts files outside the
// folders of the Node test runner's suites (end-to-end and CLI tests, which spawn real processes).
const NODE_TEST_DIRS = ["test/e2e", "test/cli", "test/web"];

function testFiles(dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true })
    .map((file) => path.posix.join(dir, String(file).split(path.sep).join("/")))
    .filter((file) => file.endsWith(".test.ts"))
    .sort();
}

const mochaFiles = testFiles("test").filter((file) => !NODE_TEST_DIRS.some((dir) => file.startsWith(`${dir}/`)));
const nodeTestFiles = NODE_TEST_DIRS.flatMap(testFiles);

const tiers = [
  {
    name: "solidity",
    args: [hardhat, "test", "solidity", ...(profile ? ["--test-profile", profile] : [])],
    parse: parseMochaStyle,
  },
  { name: "mocha", args: [hardhat, "test", "mocha", ...mochaFiles], parse: parseMochaStyle },
  {
    name: "e2e",
    args: ["--test", "--test-reporter=spec", "--test-concurrency=1", ...nodeTestFiles],
    parse: parseNodeTest,
  },
];

// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

/** Hardhat's Solidity reporter and mocha both end with "N passing", "N failing", "N pending" / "N skipped". */
function parseMochaStyle(output) {
  const count = (re) => [...output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passed: count(/^\s*(\d+) passing/gm),
    failed: count(/^\s*(\d+) failing/gm),
    skipped: count(/^\s*(\d+) (?:pending|skipped)/gm),
    found: /^\s*\d+ passing/m.test(output),
  };
}

/** node --test's spec reporter ends with "ℹ pass N", "ℹ fail N", "ℹ skipped N". */
function parseNodeTest(output) {
  const last = (re) => {
    const all = [...output.matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return {
    passed: last(/^ℹ pass (\d+)/gm),
    failed: last(/^ℹ fail (\d+)/gm) + last(/^ℹ cancelled (\d+)/gm),
    skipped: last(/^ℹ skipped (\d+)/gm) + last(/^ℹ todo (\d+)/gm),
    found: /^ℹ pass \d+/m.test(output),
  };
}

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        HARDHAT_DISABLE_TELEMETRY: "true",
        PONDER_TELEMETRY_DISABLED: "true",
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
      },
    });
    let output = "";
    const keep = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on("data", keep(process.stdout));
    child.stderr.on("data", keep(process.stderr));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: stripAnsi(output) }));
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !tiers.some((tier) => tier.name === name));
if (unknown.length) {
  console.error(`unknown test tier: ${unknown.join(", ")} (tiers: ${tiers.map((t) => t.name).join(", ")})`);
  process.exit(2);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
for (const tier of tiers.filter((t) => wanted.length === 0 || wanted.includes(t.name))) {
  console.log(`\n=== ${tier.name} tests ===\n`);
  const started = Date.now();
  const { code, output } = await run(tier.args);
  const result = tier.parse(output);
  // A tier that crashed before reporting (a compile error, a missing dependency) counts as one failure.
  if (code !== 0 && result.failed === 0) result.failed = 1;
  if (!result.found && code === 0) result.failed += 1;
  totals.passed += result.passed;
  totals.failed += result.failed;
  totals.skipped += result.skipped;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  lines.push(
    `${tier.name.padEnd(9)} ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${seconds} s)`,
  );
}

console.log("\n=== summary ===");
for (const line of lines) console.log(line);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed === 0 ? 0 : 1);
