// `tributary epoch build` and `epoch proof` through the real CLI process: against a Hardhat node with the registry
// deployed (consent read at the snapshot block), and every bad input, each of which must answer one line on stderr
// with a non-zero exit and write nothing.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { createPublicClient, createWalletClient, http, keccak256, stringToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { chainFor } from "../../sdk/client.ts";
import { processProof, LeafHasher } from "../../sdk/epochs/index.ts";
import { deploy, ROOT, startNode, type LocalNode } from "../../scripts/lib/stack.ts";

const CLI = path.join(ROOT, "cli", "tributary.ts");
// Hardhat's development account 1.
const ALICE = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const CONTRACT = "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707";
const id = (name: string) => keccak256(stringToHex(name));
const use = (contributionId: string, weight: number | string) =>
  `${JSON.stringify({ contributionId, weight, time: "2026-12-01T10:00:00Z" })}\n`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("tributary epoch: build and proof through the CLI", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let work: string;
  let deploymentsDir: string;
  let snapshotBlock: bigint;
  let log: string;

  const cli = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: work,
        env: {
          ...process.env,
          TRIBUTARY_RPC_URL: node.url,
          TRIBUTARY_DEPLOYMENTS_DIR: deploymentsDir,
          TRIBUTARY_PRIVATE_KEY: "",
          TRIBUTARY_KEYSTORE: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  const buildArgs = (out: string, extra: string[] = []) => [
    "--json",
    "epoch",
    "build",
    "--usage",
    log,
    "--amount",
    "1000",
    "--pool",
    "1",
    "--epoch",
    "1",
    "--contract",
    CONTRACT,
    "--out",
    path.join(work, out),
    ...extra,
  ];

  const ok = async (args: string[]) => {
    const run = await cli(args);
    expect(run.code, run.stderr).to.equal(0);
    return JSON.parse(run.stdout) as Record<string, any>;
  };

  before(async function () {
    work = await mkdtemp(path.join(tmpdir(), "tributary-epoch-cli-"));
    deploymentsDir = path.join(work, "deployments");
    node = await startNode({ blockIntervalMs: 0 });
    const deployment = await deploy(node.url, deploymentsDir);
    const registry = deployment.contracts.AuthorshipRegistry.address as Hex;
    const chain = chainFor(31337, node.url);
    const publicClient = createPublicClient({ chain, transport: http(node.url) });
    const wallet = createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(ALICE) });
    const send = async (functionName: "register" | "setTrainingConsent", args: readonly unknown[]) => {
      const hash = await wallet.writeContract({
        address: registry,
        abi: authorshipRegistryAbi,
        functionName,
        args,
      } as never);
      await publicClient.waitForTransactionReceipt({ hash });
    };
    // a, b, c registered with consent; c revoked before the snapshot, b after it; d never registered.
    for (const name of ["a", "b", "c"]) await send("register", [id(name), 0, ""]);
    await send("setTrainingConsent", [id("c"), false]);
    snapshotBlock = await publicClient.getBlockNumber();
    await send("setTrainingConsent", [id("b"), false]);
    log = path.join(work, "usage.jsonl");
    await writeFile(
      log,
      `${use(id("a"), 2)}${use(id("b"), 1)}${use(id("c"), 5)}${use(id("d"), "1.5")}${use(id("a"), 1)}`,
    );
  });

  after(async function () {
    await node?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("builds an epoch from consent at the snapshot block and prints the manifest", async function () {
    const result = await ok(buildArgs("leaves-1.txt", ["--snapshot-block", String(snapshotBlock)]));
    expect(result.excluded).to.equal(1);
    expect(result.count).to.equal(3);
    expect(result.manifest.total).to.equal("1000");
    expect(result.manifest.snapshotBlock).to.equal(String(snapshotBlock));
    expect(result.manifest.previousEpoch).to.equal(0);
    const file = await readFile(path.join(work, "leaves-1.txt"));
    expect(result.manifest.leafFileHash).to.equal(keccak256(file));
    expect(result.manifest.usageLogHash).to.equal(keccak256(await readFile(log)));
    const text = file.toString("utf8");
    expect(text).to.not.include(id("c"));
    // a: 3 of 5.5, b: 1, d: 1.5 -> 545.45, 181.82, 272.73: 545 + 181 + 272 = 998, the two largest remainders +1.
    expect(text).to.include(`${id("a")},545,1\n`);
    expect(text).to.include(`${id("b")},182,1\n`);
    expect(text).to.include(`${id("d")},273,1\n`);
  });

  it("gives byte-identical files and manifests for the same inputs", async function () {
    const first = await ok(buildArgs("same-1.txt", ["--snapshot-block", String(snapshotBlock)]));
    const second = await ok(buildArgs("same-2.txt", ["--snapshot-block", String(snapshotBlock)]));
    expect(second.manifest).to.deep.equal(first.manifest);
    expect(await readFile(path.join(work, "same-2.txt"))).to.deep.equal(await readFile(path.join(work, "same-1.txt")));
  });

  it("reads consent at the latest block by default, where a later revocation counts", async function () {
    const result = await ok(buildArgs("latest.txt"));
    expect(result.excluded).to.equal(2);
    expect(result.count).to.equal(2);
  });

  it("extends the previous epoch's cumulative amounts", async function () {
    await ok(buildArgs("base.txt", ["--snapshot-block", String(snapshotBlock)]));
    const args = buildArgs("second.txt", ["--snapshot-block", String(snapshotBlock)]);
    args[args.indexOf("--epoch") + 1] = "2";
    const result = await ok([...args, "--previous", path.join(work, "base.txt")]);
    expect(result.manifest.total).to.equal("2000");
    expect(result.manifest.previousEpoch).to.equal(1);
    const text = await readFile(path.join(work, "second.txt"), "utf8");
    expect(text).to.include(`${id("a")},1090,1\n`);
  });

  it("prints progress on stderr when asked", async function () {
    const run = await cli([...buildArgs("progress.txt", ["--snapshot-block", String(snapshotBlock)]), "--progress"]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stderr).to.match(/read .*usage.jsonl: 5 lines, 4 contributions/);
    expect(run.stderr).to.match(/read consent at block \d+: 1 revoked/);
  });

  it("gives a proof offline that leads from the leaf to the root", async function () {
    await ok(buildArgs("proof.txt", ["--snapshot-block", String(snapshotBlock)]));
    const result = await ok(["--json", "epoch", "proof", "--leaves", path.join(work, "proof.txt"), id("a")]);
    expect(result.cumulativeAmount).to.equal("545");
    expect(result.firstEpoch).to.equal(1);
    const leaf = new LeafHasher({ chainId: 31337, contract: CONTRACT, poolId: 1n }).hash({
      contributionId: id("a"),
      cumulativeAmount: 545n,
      firstEpoch: 1,
    });
    expect(processProof(leaf, result.proof)).to.equal(result.root);
    // Offline: no node is needed.
    const offline = await new Promise<Run>((resolve) => {
      const child = spawn(
        process.execPath,
        [CLI, "epoch", "proof", "--leaves", path.join(work, "proof.txt"), id("d")],
        {
          env: { ...process.env, TRIBUTARY_RPC_URL: "http://127.0.0.1:9" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
    expect(offline.code).to.equal(0);
    expect(offline.stdout).to.include("cumulativeAmount  273");
  });

  describe("bad inputs: one line on stderr, a non-zero exit, nothing written", function () {
    const refuses = (what: string, args: () => Promise<string[]> | string[], message: RegExp, out = "bad.txt") =>
      it(`refuses ${what}`, async function () {
        const run = await cli(await args());
        expect(run.code, run.stdout).to.not.equal(0);
        expect(run.stderr).to.match(/^error: /);
        expect(run.stderr.trimEnd().split("\n"), run.stderr).to.have.length(1);
        expect(run.stderr).to.match(message);
        expect(run.stdout).to.equal("");
        expect(existsSync(path.join(work, out)), "a leaf file was written").to.equal(false);
      });
    const without = (flag: string) => {
      const args = buildArgs("bad.txt");
      args.splice(args.indexOf(flag), 2);
      return args;
    };
    const replacing = (flag: string, value: string) => {
      const args = buildArgs("bad.txt");
      args[args.indexOf(flag) + 1] = value;
      return args;
    };
    const withLog = async (text: string | Uint8Array) => {
      const file = path.join(work, `log-${Math.random().toString(16).slice(2)}.jsonl`);
      await writeFile(file, text);
      return replacing("--usage", file);
    };

    refuses("neither --usage nor --scores", () => without("--usage"), /give exactly one of --usage and --scores/);
    refuses("both --usage and --scores", () => [...buildArgs("bad.txt"), "--scores", log], /exactly one of/);
    refuses("a fractional amount", () => replacing("--amount", "1.5"), /--amount "1.5" has more than/);
    refuses("a zero amount", () => replacing("--amount", "0"), /--amount is zero/);
    refuses("a pool id of 0", () => replacing("--pool", "0"), /--pool "0" is not a pool id/);
    refuses("an epoch of 0", () => replacing("--epoch", "0"), /--epoch "0" is not an epoch/);
    refuses("a malformed contract", () => replacing("--contract", "0x1234"), /--contract "0x1234" is not an address/);
    refuses("a malformed snapshot block", () => [...buildArgs("bad.txt"), "--snapshot-block", "-1"], /not a block/);
    refuses(
      "a snapshot block the chain has not mined",
      () => [...buildArgs("bad.txt"), "--snapshot-block", "999999"],
      /the snapshot block 999999 is after the latest block/,
    );
    refuses("a malformed model hash", () => [...buildArgs("bad.txt"), "--model-hash", "0x12"], /is not a content hash/);
    refuses("a missing usage log", () => replacing("--usage", path.join(work, "nope.jsonl")), /no such file/);
    refuses("a usage line that is not JSON", () => withLog(`${use(id("a"), 1)}{"weight":\n`), /line 2: is not JSON/);
    refuses(
      "a usage line with a negative weight",
      () => withLog(`${use(id("a"), 1)}${use(id("a"), 1)}${use(id("b"), -2)}`),
      /line 3: weight -2 is not a positive integer or decimal string/,
    );
    refuses(
      "a usage line naming an unknown file",
      () => withLog(`${JSON.stringify({ file: "missing.txt", weight: 1, time: 0 })}\n`),
      /line 1: the file missing.txt is unknown/,
    );
    refuses(
      "a usage line that is not UTF-8",
      () => withLog(new Uint8Array([...Buffer.from(use(id("a"), 1)), 0xc3, 0x28, 0x0a])),
      /line 2: is not valid UTF-8/,
    );
    refuses(
      "a corrupted previous leaf file",
      async () => {
        const base = path.join(work, "corrupt-base.txt");
        if (!existsSync(base)) await ok(buildArgs("corrupt-base.txt", ["--snapshot-block", String(snapshotBlock)]));
        const corrupted = path.join(work, "corrupted.txt");
        await writeFile(corrupted, (await readFile(base, "utf8")).replace(`${id("a")},545,1`, `${id("a")},546,1`));
        const args = replacing("--epoch", "2");
        return [...args, "--previous", corrupted];
      },
      /corrupted.txt adds up to 1001 where its header says 1000/,
    );
    it("refuses to overwrite an existing leaf file, leaving it as it was", async function () {
      const out = path.join(work, "exists.txt");
      await writeFile(out, "keep me\n");
      const run = await cli(buildArgs("exists.txt"));
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error: .*exists.txt already exists; choose another --out path/);
      expect(await readFile(out, "utf8")).to.equal("keep me\n");
    });
    it("refuses a proof for a contribution the file does not name", async function () {
      await ok(buildArgs("proof-2.txt", ["--snapshot-block", String(snapshotBlock)]));
      const run = await cli(["epoch", "proof", "--leaves", path.join(work, "proof-2.txt"), id("c")]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error: .*names no leaf for 0x[0-9a-f]{64}; check the hash/);
      expect(run.stderr.trimEnd().split("\n")).to.have.length(1);
    });
    it("refuses a proof for a malformed contributionId", async function () {
      const run = await cli(["epoch", "proof", "--leaves", path.join(work, "proof-2.txt"), "0x12"]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error: contributionId "0x12" is not a content hash/);
    });
  });
});
