// End-to-end journeys of the attribution epochs through the real `tributary` process, against a Hardhat node and
// the deployment: the provider opens an epoch pool, builds an epoch from a usage log and publishes it with funding;
// the epoch waits out its challenge window; a contributor sees what it owes and claims it together with a vault
// pool in one transaction; a keeper claims for an author; a second epoch is vetoed by the challenger. Then bad
// inputs, each of which must answer one line on stderr with a non-zero exit and send nothing (nonces do not move).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, parseEther, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { deploy, rpc, startNode, type LocalNode } from "../../scripts/lib/stack.ts";
import {
  connect,
  createPool,
  deploymentsFolder,
  deposit,
  ETH,
  hashText,
  register,
  setUnits,
  withAccount,
  type TributaryClient,
} from "../../sdk/node.ts";
import { address, epochJourney, KEYS, WINDOW, type Who } from "./lib/epoch-journey.ts";

describe("tributary CLI end to end: attribution epochs", () => {
  let node: LocalNode;
  let work: string;
  let deploymentsDir: string;
  let epochs: Hex;
  let as: (who: Who) => TributaryClient;
  let vaultPoolId: bigint;
  const alicePrompt = hashText("Alice's prompt that a model used a lot.");
  const bobCorrection = hashText("Bob's correction that a model used a little.");
  const unregistered = keccak256(toHex("a contribution nobody has registered"));

  const { cli, ok, refused, build } = epochJourney(() => ({
    work,
    rpcUrl: node.url,
    apiUrl: "",
    deploymentsDir,
    epochs,
  }));
  const passWindow = async () => {
    await rpc(node.url, "evm_increaseTime", [WINDOW + 1]);
    await rpc(node.url, "evm_mine");
  };

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-epochs-e2e-"));
    node = await startNode({ blockIntervalMs: 0 });
    deploymentsDir = path.join(work, "deployments");
    await mkdir(deploymentsDir);
    const deployment = await deploy(node.url, deploymentsDir);
    epochs = deployment.contracts.AttributionEpochs!.address;
    const network = await connect({ rpcUrl: node.url, deployment: deploymentsFolder(deploymentsDir) });
    as = (who: Who) => withAccount(network, privateKeyToAccount(KEYS[who]));
    await register(as("alice"), { contributionId: alicePrompt, kind: "prompt", direct: true });
    await register(as("bob"), { contributionId: bobCorrection, kind: "correction", direct: true });
    // A vault pool that also owes Alice: her claim takes both in one transaction.
    vaultPoolId = (await createPool(as("provider"), { token: ETH, duration: 3600 })).poolId;
    await setUnits(as("provider"), { poolId: vaultPoolId, entries: [{ contributionId: alicePrompt, units: 1n }] });
    await deposit(as("provider"), { poolId: vaultPoolId, amount: parseEther("0.5") });
    const use = (contributionId: Hex, weight: number) =>
      `${JSON.stringify({ contributionId, weight, time: 1764583200 })}\n`;
    await writeFile(
      path.join(work, "usage.jsonl"),
      `${use(alicePrompt, 3)}${use(bobCorrection, 1)}${use(unregistered, 1)}`,
    );
  });

  after(async () => {
    await node?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("provider: opens an epoch pool and shows it", async () => {
    const created = await ok(
      ["epoch", "pool", "create", "--challenger", address("challenger"), "--window", "1h", "--uri", "ipfs://model-e"],
      "provider",
    );
    assert.equal(created.poolId, "1");
    assert.equal(created.publisher, address("provider"));
    assert.equal(created.challenger, address("challenger"));
    assert.equal(created.challengeWindow, WINDOW);
    const shown = await cli(["epoch", "pool", "show", "1"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /epoch pool 1 in ETH/);
    assert.match(shown.stdout, /window {6}1 h; reclaim never/);
  });

  it("provider: builds epoch 1 (leaf file and manifest) and publishes it with its funding", async () => {
    const built = await build(1, "epoch-1.txt");
    assert.equal(built.manifestFile, "epoch-1.txt.manifest.json");
    const manifest = JSON.parse(await readFile(path.join(work, "epoch-1.txt.manifest.json"), "utf8"));
    assert.equal(manifest.manifest.leafFileHash, keccak256(await readFile(path.join(work, "epoch-1.txt"))));
    const published = await ok(["epoch", "publish", "1", "--leaves", "epoch-1.txt", "--fund", "1"], "provider");
    assert.equal(published.epochId, 1);
    assert.equal(published.funding.received, String(parseEther("1")));
    assert.equal(published.manifest.root, built.manifest.root);
    const show = await cli(["epoch", "show", "1"]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^epoch 1 of pool 1: pending: in its challenge window for (59 min|1 h)/);
    assert.match(show.stdout, /total {7}1 ETH: everything attributed up to this epoch/);
    const json = await ok(["epoch", "show", "1", "1"]);
    assert.equal(json.status, "pending");
    assert.ok(json.secondsLeft > 0 && json.secondsLeft <= WINDOW);
  });

  it("refuses a claim before the window ends, a second publication while one is pending, and a stranger's veto", async () => {
    await refused(
      ["claim", alicePrompt, "--leaves", "epoch-1.txt"],
      "alice",
      /pays from .* once its challenge window ends/,
    );
    await build(2, "early-2.txt", ["--previous", "epoch-1.txt"]);
    await refused(
      ["epoch", "publish", "1", "--leaves", "early-2.txt", "--fund", "1"],
      "provider",
      /epoch 1 of pool 1 is in its challenge window until/,
    );
    await refused(
      ["epoch", "veto", "1", "1", "--reason", "wrong"],
      "alice",
      /may not veto in epoch pool 1 \(the challenger is/,
    );
  });

  it("contributor: once the window passed, sees what the epoch owes and claims it with a vault pool in one transaction", async () => {
    await passWindow();
    const show = await ok(["epoch", "show", "1", "1"]);
    assert.equal(show.status, "payable");
    const earnings = await ok(["earnings", "--leaves", "epoch-1.txt"], "alice");
    assert.equal(earnings.epochs.length, 1);
    assert.equal(earnings.epochs[0].contributionId, alicePrompt);
    assert.equal(earnings.epochs[0].claimable, String(parseEther("0.6")));
    const claimed = await ok(["claim", alicePrompt, "--leaves", "epoch-1.txt", "--pool", String(vaultPoolId)], "alice");
    assert.equal(claimed.claimed.length, 1);
    assert.equal(claimed.claimed[0].amount, String(parseEther("0.6")));
    assert.equal(claimed.vault.claimed.length, 1);
    assert.ok(BigInt(claimed.vault.claimed[0].amount) > 0n);
    const after = await ok(["earnings", alicePrompt, "--leaves", "epoch-1.txt"]);
    assert.equal(after.epochs[0].claimed, String(parseEther("0.6")));
    assert.equal(after.epochs[0].claimable, "0");
    await refused(["claim", alicePrompt, "--leaves", "epoch-1.txt"], "alice", /has nothing to claim in epoch pool 1/);
  });

  it("keeper: claims an author's leaf for them, paid to the author", async () => {
    const result = await ok(["claim-for", bobCorrection, "--leaves", "epoch-1.txt"], "keeper");
    assert.equal(result.claimed.length, 1);
    assert.equal(result.claimed[0].recipient, address("bob"));
    assert.equal(result.claimed[0].amount, String(parseEther("0.2")));
    await refused(["claim-for", unregistered, "--leaves", "epoch-1.txt"], "keeper", /is not registered/);
  });

  it("challenger: vetoes epoch 2 in its window; it never pays and epoch 1 keeps paying", async () => {
    await ok(["epoch", "publish", "1", "--leaves", "early-2.txt", "--fund", "1"], "provider");
    const veto = await ok(["epoch", "veto", "1", "2", "--reason", "usage log double-counts March"], "challenger");
    assert.equal(veto.acceptedEpoch, 1);
    const show = await cli(["epoch", "show", "1", "2"]);
    assert.match(show.stdout, /^epoch 2 of pool 1: vetoed: it never pays/);
    await passWindow();
    await refused(
      ["claim", alicePrompt, "--leaves", "early-2.txt"],
      "alice",
      /epoch 2 of pool 1 was vetoed: it never pays/,
    );
    await refused(["epoch", "veto", "1", "2", "--reason", "again"], "challenger", /is not in its challenge window/);
  });

  it("refuses every bad publication before sending anything", async () => {
    await build(3, "epoch-3.txt", ["--previous", "epoch-1.txt"]);
    await refused(
      ["epoch", "publish", "1", "--leaves", "epoch-3.txt", "--fund", "1"],
      "alice",
      /may not publish to epoch pool 1 \(the publisher is/,
    );
    await build(3, "big-3.txt", ["--previous", "epoch-1.txt", "--amount", String(parseEther("5"))]);
    await refused(
      ["epoch", "publish", "1", "--leaves", "big-3.txt", "--fund", "1"],
      "provider",
      /the epoch's total \d+ exceeds the \d+ funded into pool 1/,
    );
    await refused(["epoch", "publish", "9", "--leaves", "epoch-3.txt"], "provider", /there is no epoch pool 9/);
    // A manifest edited after the build: refused against its leaf file.
    const manifestPath = path.join(work, "epoch-3.txt.manifest.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
    await writeFile(
      path.join(work, "edited.json"),
      JSON.stringify({ ...manifest, manifest: { ...manifest.manifest, total: "1" } }),
    );
    await refused(
      ["epoch", "publish", "1", "--leaves", "epoch-3.txt", "--manifest", "edited.json", "--fund", "1"],
      "provider",
      /was not built with this leaf file: its total 1/,
    );
    await writeFile(path.join(work, "broken.json"), "{ not json");
    await refused(
      ["epoch", "publish", "1", "--leaves", "epoch-3.txt", "--manifest", "broken.json"],
      "provider",
      /broken.json is not JSON/,
    );
    // A leaf file and manifest of epoch 2 again (its number is taken): the pool's next epoch is 3.
    await refused(
      ["epoch", "publish", "1", "--leaves", "early-2.txt", "--fund", "1"],
      "provider",
      /the manifest is for epoch 2 of pool 1/,
    );
    // Of another contract.
    await ok([
      "epoch",
      "build",
      "--usage",
      "usage.jsonl",
      "--amount",
      "5",
      "--pool",
      "1",
      "--epoch",
      "3",
      "--contract",
      `0x${"12".repeat(20)}`,
      "--out",
      "other.txt",
    ]);
    await refused(
      ["epoch", "publish", "1", "--leaves", "other.txt", "--fund", "1"],
      "provider",
      /the manifest is for epoch 3 of pool 1 of contract 0x1212/,
    );
    await refused(
      ["claim", alicePrompt, "--leaves", "other.txt"],
      "alice",
      /other.txt is a leaf file of contract 0x1212.* not of/,
    );
    await writeFile(path.join(work, "garbage.txt"), "hello\n");
    await refused(["claim", alicePrompt, "--leaves", "garbage.txt"], "alice", /garbage.txt line 1/);
    await refused(["claim", alicePrompt, "--leaves", "missing.txt"], "alice", /no such leaf file: missing.txt/);
    await refused(["epoch", "publish", "1", "--leaves", "missing.txt"], "provider", /no such leaf file: missing.txt/);
    await refused(["epoch", "show", "1", "7"], undefined, /pool 1 never published epoch 7/);
    await refused(["epoch", "pool", "show", "9"], undefined, /there is no epoch pool 9/);
    await refused(
      ["epoch", "pool", "create", "--challenger", address("challenger"), "--window", "10m"],
      "provider",
      /a challenge window of 600 s is outside 3600 to 2592000 s; choose a --window/,
    );
    await refused(["epoch", "veto", "1", "2", "--reason", " "], "challenger", /the reason is empty/);
    await refused(
      ["claim", bobCorrection, "--leaves", "epoch-1.txt"],
      "alice",
      /is not the author|registered author|not .*author/,
    );
    // The good one publishes: the pool holds the 2 ETH of epochs 1 and 2, the total of epoch 3.
    const published = await ok(["epoch", "publish", "1", "--leaves", "epoch-3.txt"], "provider");
    assert.equal(published.epochId, 3);
  });
});
