// The open challenger end to end, through the real `tributary` process against a Hardhat node: a test publisher
// calls AttributionEpochs directly with an inflated leaf, a leaf paying a contribution whose author had revoked
// consent, and a wrong total; `epoch watch --veto`, run with the pool's challenger key (through a proxy that the test
// takes down between two epochs, as a node restarting), vetoes each inside its window, and a claim against each
// reverts with the vetoed error; a correct epoch is left alone and pays. Then `epoch verify`'s exit codes and bad
// inputs, and the watcher's refusal of a key that is not the challenger.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";

import { BaseError, ContractFunctionRevertedError, keccak256, stringToHex, zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { attributionEpochsAbi } from "../../abis/AttributionEpochs.ts";
import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { localClients, type LocalClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  rpc,
  startNode,
  startTcpProxy,
  waitFor,
  type LocalNode,
  type TcpProxy,
} from "../../scripts/lib/stack.ts";
import { buildEpoch, getProof, readAttribution, type EpochDomain, type EpochManifest } from "../../sdk/epochs/index.ts";
import { methodSourceBytes } from "../../sdk/epochs/files.ts";
import { craftLeafFile, leavesOfFile } from "../epochs-sdk/craft.ts";
import { CLI, runCli, type Run } from "./lib/run.ts";

// Hardhat's development accounts #0 to #3.
const KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  provider: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  challenger: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const satisfies Record<string, Hex>;
const address = (who: keyof typeof KEYS) => privateKeyToAccount(KEYS[who]).address;
const WINDOW = 3_600;
const encoder = new TextEncoder();
const id = (name: string) => keccak256(stringToHex(name));
const use = (contributionId: Hex, weight: number) =>
  `${JSON.stringify({ contributionId, weight, time: 1764590400 })}\n`;

interface Epoch {
  manifest: EpochManifest;
  leafFile: Uint8Array;
  file: string;
  /** Chain time of the publication, in seconds: the window ends WINDOW later. */
  publishedAt: number;
}

describe("tributary epoch watch --veto and epoch verify: the open challenger", () => {
  let node: LocalNode;
  let proxy: TcpProxy;
  let clients: LocalClients;
  let work: string;
  let deploymentsDir: string;
  let registry: Hex;
  let epochs: Hex;
  let domain: EpochDomain;
  let snapshotBlock: bigint;
  let watcher: ChildProcess | undefined;
  /** The watcher's --leaves-dir. */
  let leavesDir: string;
  let lines: string[] = [];
  const published: Epoch[] = [];
  const [A, B, C] = [id("prompt a"), id("prompt b"), id("revoked c")];
  const LOG = `${use(A, 3)}${use(B, 1)}${use(C, 4)}`;

  const cli = (args: string[], key?: Hex, rpcUrl = node.url): Promise<Run> =>
    runCli({ cwd: work, rpcUrl, apiUrl: "", deploymentsDir, secrets: Object.values(KEYS) }, args, key);

  const write = async (
    who: keyof typeof KEYS,
    address_: Hex,
    abi: typeof attributionEpochsAbi | typeof authorshipRegistryAbi,
    functionName: string,
    args: readonly unknown[],
    value?: bigint,
  ) => {
    const hash = await clients.walletClient.writeContract({
      address: address_,
      abi,
      functionName,
      args,
      value,
      account: privateKeyToAccount(KEYS[who]),
    } as never);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    assert.equal(receipt.status, "success", `${functionName} reverted`);
    return receipt;
  };

  /** The custom error's name a call reverts with. */
  const revertName = async (functionName: "claim", args: readonly unknown[]) => {
    try {
      await clients.publicClient.simulateContract({
        address: epochs,
        abi: attributionEpochsAbi,
        functionName,
        args,
        account: address("alice"),
      } as never);
    } catch (error) {
      const revert = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      return revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : String(error);
    }
    return "no revert";
  };

  const status = async (epochId: number) => {
    const [, , s] = await clients.publicClient.readContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName: "epochOf",
      args: [1n, epochId],
    });
    return ["none", "pending", "payable", "superseded", "vetoed"][s];
  };

  /** An honest build of LOG at the snapshot block, the revoked contribution left out unless `ignoreConsent`. */
  const honest = async (epochId: number, ignoreConsent = false) =>
    buildEpoch({
      domain,
      epochId,
      amount: 800_000n,
      attribution: await readAttribution({ input: "usage", chunks: [encoder.encode(LOG)], source: "usage.jsonl" }),
      snapshotBlock,
      isEligible: (contributionId) => ignoreConsent || contributionId !== C,
      methodSource: await methodSourceBytes(),
    });

  /** Writes the leaf file (unless `offline`), then publishes `manifest` as the pool's publisher with the file's URI. */
  const publish = async (
    epochId: number,
    manifest: EpochManifest,
    leafFile: Uint8Array,
    { offline = false } = {},
  ): Promise<Epoch> => {
    const file = path.join(work, `epoch-${epochId}.txt`);
    // Offline: the URI names the file, but nothing is there (yet).
    if (!offline) await writeFile(file, leafFile);
    const full = { ...manifest, leafFileUri: pathToFileURL(file).href };
    const receipt = await write("provider", epochs, attributionEpochsAbi, "publish", [1n, full]);
    const block = await clients.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    const epoch = { manifest: full, leafFile, file, publishedAt: Number(block.timestamp) };
    published[epochId] = epoch;
    return epoch;
  };

  const waitLine = (pattern: RegExp, what: string) =>
    waitFor(what, async () => lines.find((line) => pattern.test(line)), { timeoutMs: 60_000, intervalMs: 50 });

  /** A claim of `contributionId` under `epochId` with the proof from its leaf file. */
  const claimArgs = async (epochId: number, contributionId: Hex) => {
    const proof = await getProof({ chunks: [published[epochId]!.leafFile], source: "leaves", contributionId });
    return [
      {
        poolId: 1n,
        epochId,
        contributionId,
        cumulativeAmount: proof.cumulativeAmount,
        firstEpoch: proof.firstEpoch,
        proof: proof.proof,
      },
      address("alice"),
    ] as const;
  };

  /** Asserts that the veto named in the watcher's `line` was mined inside the epoch's window. */
  const vetoedInWindow = async (epochId: number, line: string) => {
    const hash = /vetoed in (0x[0-9a-f]{64})/.exec(line)![1] as Hex;
    const receipt = await clients.publicClient.getTransactionReceipt({ hash });
    const block = await clients.publicClient.getBlock({ blockNumber: receipt.blockNumber });
    assert.ok(Number(block.timestamp) < published[epochId]!.publishedAt + WINDOW, "vetoed after the window");
    assert.equal(await status(epochId), "vetoed");
  };

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-challenger-"));
    deploymentsDir = path.join(work, "deployments");
    node = await startNode({ blockIntervalMs: 0 });
    const deployment = (await deploy(node.url, deploymentsDir)) as unknown as {
      contracts: { AuthorshipRegistry: { address: Hex }; AttributionEpochs: { address: Hex } };
    };
    registry = deployment.contracts.AuthorshipRegistry.address;
    epochs = deployment.contracts.AttributionEpochs.address;
    domain = { chainId: 31337, contract: epochs, poolId: 1n };
    clients = localClients(node.url);
    await write("provider", epochs, attributionEpochsAbi, "createPool", [
      {
        token: zeroAddress,
        admin: address("provider"),
        publisher: address("provider"),
        challenger: address("challenger"),
        challengeWindow: WINDOW,
        reclaimDelay: 0,
        metadataUri: "",
      },
    ]);
    await write("provider", epochs, attributionEpochsAbi, "fund", [1n, 10n ** 18n], 10n ** 18n);
    for (const contributionId of [A, B, C]) {
      await write("alice", registry, authorshipRegistryAbi, "register", [contributionId, 0, ""]);
    }
    await write("alice", registry, authorshipRegistryAbi, "setTrainingConsent", [C, false]);
    snapshotBlock = await clients.publicClient.getBlockNumber();
    // The usage log, where the watcher finds it: named by its hash.
    await writeFile(path.join(work, `${keccak256(encoder.encode(LOG))}.jsonl`), LOG);
    // The watcher reaches the node through a proxy the test takes down for a while, as a node that restarts.
    proxy = await startTcpProxy({ port: node.port });
    leavesDir = path.join(work, "leaves");
    await mkdir(leavesDir);
  });

  after(async () => {
    if (watcher && watcher.exitCode === null) watcher.kill("SIGKILL");
    await proxy?.close();
    await node?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("refuses to start when the key is not the pool's challenger", async () => {
    const run = await cli(["epoch", "watch", "--veto", "--pool", "1"], KEYS.provider);
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stderr,
      /^error: the key 0x[0-9a-fA-F]{40} is not pool 1's challenger \(0x[0-9a-fA-F]{40}\): it cannot veto; run with the challenger's key, or without --veto to report only\n$/,
    );
    const unknown = await cli(["epoch", "watch", "--veto", "--pool", "9"], KEYS.challenger);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: there is no epoch pool 9 \(1 pools\)/);
    const missing = await cli(
      ["epoch", "watch", "--veto", "--leaves-dir", path.join(work, "nowhere")],
      KEYS.challenger,
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: no such folder: .*nowhere; check the path\n$/);
  });

  it("starts as the challenger and follows the pool", async () => {
    watcher = spawn(
      process.execPath,
      [
        CLI,
        "epoch",
        "watch",
        "--veto",
        "--pool",
        "1",
        "--usage-dir",
        work,
        "--leaves-dir",
        leavesDir,
        "--interval",
        "0.1",
      ],
      {
        cwd: work,
        env: {
          ...process.env,
          TRIBUTARY_RPC_URL: proxy.url,
          TRIBUTARY_DEPLOYMENTS_DIR: deploymentsDir,
          TRIBUTARY_PRIVATE_KEY: KEYS.challenger,
          TRIBUTARY_KEYSTORE: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let partial = "";
    const take = (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
    };
    watcher.stdout!.on("data", take);
    watcher.stderr!.on("data", take);
    await waitLine(/watching pools 1 of 0x[0-9a-fA-F]{40} on chain 31337 from block \d+, vetoing as /, "the watcher");
  });

  it("vetoes an inflated leaf inside its window, and a claim of it reverts with the vetoed error", async () => {
    const good = await honest(1);
    const leaves = leavesOfFile(good.leafFile).map((leaf) =>
      leaf.contributionId === A ? { ...leaf, cumulativeAmount: leaf.cumulativeAmount + 100_000n } : leaf,
    );
    const inflated = craftLeafFile(domain, 1, 0, leaves);
    await publish(
      1,
      { ...good.manifest, root: inflated.root, total: inflated.total, leafFileHash: keccak256(inflated.leafFile) },
      inflated.leafFile,
    );
    const line = await waitLine(/pool 1 epoch 1: vetoed in 0x[0-9a-f]{64}: /, "the veto of epoch 1");
    assert.match(
      line,
      /method: usage-share-v1 over the usage log gives eligibleHash|method: usage-share-v1 over the usage log gives root/,
    );
    await vetoedInWindow(1, line);
    assert.equal(await revertName("claim", await claimArgs(1, A)), "AttributionEpochs_EpochVetoed");
  });

  it("survives the node going away, then vetoes a leaf paying a revoked contribution", async () => {
    await proxy.down();
    await waitLine(/the node failed \(.*\); trying again/, "the watcher's outage line");
    const revoked = await honest(2, true);
    await publish(2, revoked.manifest, revoked.leafFile);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await status(2), "pending", "vetoed while the watcher could not reach the node");
    await proxy.up();
    await waitLine(/the node answers again/, "the watcher's reconnection");
    const line = await waitLine(/pool 1 epoch 2: vetoed in /, "the veto of epoch 2");
    assert.match(line, /consent: 1 leaf pays a contribution whose author had revoked consent at block \d+/);
    await vetoedInWindow(2, line);
    assert.equal(await revertName("claim", await claimArgs(2, C)), "AttributionEpochs_EpochVetoed");
  });

  it("vetoes a wrong total", async () => {
    const good = await honest(3);
    await publish(3, { ...good.manifest, total: good.manifest.total + 100n }, good.leafFile);
    const line = await waitLine(/pool 1 epoch 3: vetoed in /, "the veto of epoch 3");
    assert.match(line, /total: the 2 leaves add up to 800000, the manifest's total is 800100/);
    await vetoedInWindow(3, line);
    assert.equal(await revertName("claim", await claimArgs(3, A)), "AttributionEpochs_EpochVetoed");
  });

  it("leaves a correct epoch alone, verified from --leaves-dir where its URI cannot be read, and it pays once its window has passed", async () => {
    const good = await honest(4);
    // Nothing is at the URI yet; the folder holds the file by its hash, and a stale file under the URI's name,
    // which its hash tells apart and which must not make the epoch fail.
    await writeFile(path.join(leavesDir, "epoch-4.txt"), published[1]!.leafFile);
    await writeFile(path.join(leavesDir, `${good.manifest.leafFileHash}.txt`), good.leafFile);
    const epoch = await publish(4, good.manifest, good.leafFile, { offline: true });
    await waitLine(
      /pool 1 epoch 4: correct \(0 failed, 6 passed, 0 skipped\), left alone/,
      "the watcher's decision on epoch 4",
    );
    // From here on the URI serves it (epoch verify reads it there).
    await writeFile(epoch.file, good.leafFile);
    assert.equal(await status(4), "pending");
    assert.equal(await revertName("claim", await claimArgs(4, A)), "AttributionEpochs_ChallengeWindowOpen");
    await rpc(node.url, "evm_increaseTime", [WINDOW + 1]);
    await rpc(node.url, "evm_mine");
    assert.equal(await status(4), "payable");
    const before = await clients.publicClient.getBalance({ address: address("alice") });
    const proof = await getProof({ chunks: [epoch.leafFile], source: "leaves", contributionId: A });
    const receipt = await write("alice", epochs, attributionEpochsAbi, "claim", await claimArgs(4, A));
    const after = await clients.publicClient.getBalance({ address: address("alice") });
    const gas = receipt.gasUsed * receipt.effectiveGasPrice;
    assert.equal(after - before + gas, proof.cumulativeAmount);
    assert.ok(!lines.some((line) => /epoch 4: vetoed/.test(line)));
  });

  it("stops cleanly on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) => watcher!.once("exit", (code) => resolve(code)));
    watcher!.kill("SIGTERM");
    assert.equal(await exited, 0);
    assert.match(lines.at(-1) ?? "", / stopped$/);
  });

  describe("epoch verify", () => {
    it("passes a correct epoch with its usage log: exit 0, one line per finding", async () => {
      const run = await cli([
        "epoch",
        "verify",
        "1",
        "4",
        "--usage",
        path.join(work, `${keccak256(encoder.encode(LOG))}.jsonl`),
      ]);
      assert.equal(run.code, 0, run.stderr);
      const out = run.stdout.split("\n");
      assert.match(out[0]!, /^epoch 4 of pool 1 \(payable; window ends at .*\), published in block \d+$/);
      for (const check of ["leaf-file", "total", "previous", "first-epochs", "consent", "method"]) {
        assert.ok(
          out.some((line) => line.startsWith(`  pass  ${check}`)),
          `${check} passes:\n${run.stdout}`,
        );
      }
      assert.match(run.stdout, /0 failed, 6 passed, 0 skipped: the epoch is what its manifest says\n$/);
    });

    it("fails a vetoed epoch with exit 3 and --json findings", async () => {
      const run = await cli(["--json", "epoch", "verify", "1", "3"]);
      assert.equal(run.code, 3, run.stderr);
      const result = JSON.parse(run.stdout) as {
        ok: boolean;
        status: string;
        findings: { check: string; status: string }[];
      };
      assert.equal(result.ok, false);
      assert.equal(result.status, "vetoed");
      assert.deepEqual(
        result.findings.map((f) => `${f.check}:${f.status}`),
        ["leaf-file:pass", "total:fail", "previous:pass", "first-epochs:pass", "consent:pass", "method:skip"],
      );
    });

    it("fails a malformed leaf file given with --leaves (exit 3), naming its line", async () => {
      const bad = path.join(work, "malformed.txt");
      await writeFile(bad, '{"format":"nope"}\n');
      const run = await cli(["epoch", "verify", "1", "4", "--leaves", bad]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stdout, /  fail  leaf-file     .*malformed.txt line 1: has the keys format/);
      assert.match(run.stdout, /  fail  total         cannot be checked: the leaf file is unreadable/);
    });

    for (const [what, args, message] of [
      [
        "an unknown pool",
        ["9", "1"],
        /^error: there is no epoch pool 9 \(1 pools on chain 31337\); check the pool id\n$/,
      ],
      ["an unknown epoch", ["1", "99"], /^error: pool 1 has no epoch 99; check the epoch number\n$/],
      ["a malformed epoch", ["1", "0"], /^error: epoch "0" is not an epoch; epochs count from 1 per pool\n$/],
      [
        "a missing leaf file",
        ["1", "4", "--leaves", "/nonexistent/leaves.txt"],
        /^error: no such file: \/nonexistent\/leaves.txt; check the --leaves path\n$/,
      ],
      [
        "a missing usage log",
        ["1", "4", "--usage", "nope.jsonl"],
        /^error: no such file: nope.jsonl; check the --usage path\n$/,
      ],
    ] as const) {
      it(`refuses ${what}: one line, exit 1`, async () => {
        const run = await cli(["epoch", "verify", ...args]);
        assert.equal(run.code, 1, run.stdout);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, "");
      });
    }

    it("refuses a leaf file URI it cannot read: the file gone is an error, not a pass", async () => {
      await rm(published[4]!.file);
      const run = await cli(["epoch", "verify", "1", "4"]);
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /^error: no such file: .*epoch-4.txt; check the path\n$/);
    });
  });
});
