// Attribution epochs through the indexer, with the real `tributary` process: `epoch publish` hands the leaf file to
// the indexer, `earnings` lists what each epoch owes (pending, claimable, vetoed), and `claim` / `claim-for` take
// their proofs from the indexer with no leaf file. With the indexer down, each of them answers one line naming both
// ways to a proof (a leaf file, a running indexer) and sends nothing; a leaf file still claims offline. On PGlite, and
// on PostgreSQL (a database of its own, dropped after the run) for the earnings' epoch fields read from stored files.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, parseEther, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  deploy,
  freePort,
  rpc,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
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
import { describeOnTestDatabase } from "../e2e/lib/postgres.ts";
import { address, epochJourney, KEYS, WINDOW, type Who } from "./lib/epoch-journey.ts";

function epochClaimsJourney(databaseUrl?: () => string) {
  let node: LocalNode;
  let indexer: Indexer;
  let work: string;
  let deploymentsDir: string;
  let epochs: Hex;
  /** An API URL nothing answers at: the indexer down. */
  let downUrl: string;
  let vaultPoolId: bigint;
  let as: (who: Who) => TributaryClient;
  const alicePrompt = hashText("Alice's prompt that a model used a lot (indexer journey).");
  const bobCorrection = hashText("Bob's correction that a model used a little (indexer journey).");
  const unregistered = keccak256(toHex("a contribution nobody registered (indexer journey)"));

  const { cli, ok, refused, build } = epochJourney(() => ({
    work,
    rpcUrl: node.url,
    apiUrl: indexer.url,
    deploymentsDir,
    epochs,
    // The lag warning reads /head after each command: kept quiet, the journey is about the answers.
    env: { TRIBUTARY_API_LAG_WARNING_BLOCKS: "1000000" },
  }));
  const indexed = async () =>
    waitForIndexedBlock(indexer.url, BigInt(await rpc<string>(node.url, "eth_blockNumber")), 120_000);
  const passWindow = async () => {
    await rpc(node.url, "evm_increaseTime", [WINDOW + 1]);
    await rpc(node.url, "evm_mine");
    await indexed();
  };
  /** An earnings answer's epoch rows, by epoch. */
  const epochRows = (earnings: { epochs: Record<string, string | number>[] }) =>
    new Map(earnings.epochs.map((row) => [Number(row.epochId), row]));

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-epochs-indexer-"));
    node = await startNode({ blockIntervalMs: 0 });
    deploymentsDir = path.join(work, "deployments");
    await mkdir(deploymentsDir);
    const deployment = await deploy(node.url, deploymentsDir);
    epochs = deployment.contracts.AttributionEpochs!.address;
    const network = await connect({ rpcUrl: node.url, deployment: deploymentsFolder(deploymentsDir) });
    as = (who: Who) => withAccount(network, privateKeyToAccount(KEYS[who]));
    await register(as("alice"), { contributionId: alicePrompt, kind: "prompt", direct: true });
    await register(as("bob"), { contributionId: bobCorrection, kind: "correction", direct: true });
    const use = (contributionId: Hex, weight: number) =>
      `${JSON.stringify({ contributionId, weight, time: 1764583200 })}\n`;
    await writeFile(
      path.join(work, "usage.jsonl"),
      `${use(alicePrompt, 3)}${use(bobCorrection, 1)}${use(unregistered, 1)}`,
    );
    // A vault pool that also owes Alice: with the indexer down, `claim --pool` still takes it.
    vaultPoolId = (await createPool(as("provider"), { token: ETH, duration: 3600 })).poolId;
    await setUnits(as("provider"), { poolId: vaultPoolId, entries: [{ contributionId: alicePrompt, units: 1n }] });
    await deposit(as("provider"), { poolId: vaultPoolId, amount: parseEther("0.5") });
    indexer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      databaseUrl: databaseUrl?.(),
      schema: `epoch_cli_${process.pid}`,
    });
    downUrl = `http://127.0.0.1:${await freePort()}`;
  });

  after(async () => {
    await indexer?.stop();
    await node?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("provider: `epoch publish` hands the leaf file to the indexer, which keeps it", async () => {
    await ok(["epoch", "pool", "create", "--challenger", address("challenger"), "--window", "1h"], "provider");
    await build(1, "epoch-1.txt");
    const published = await ok(["epoch", "publish", "1", "--leaves", "epoch-1.txt", "--fund", "1"], "provider");
    assert.equal(published.epochId, 1);
    assert.deepEqual(published.upload, { stored: true, leafCount: 3, root: published.manifest.root });
    const stored = await fetch(`${indexer.url}/epochs/1/1/leaves`);
    assert.equal(stored.status, 200);
    assert.equal(((await stored.json()) as { root: string }).root, published.manifest.root);
  });

  it("contributor: earnings list the epoch as pending, nothing claimable, while its window runs", async () => {
    await indexed();
    const earnings = await ok(["earnings", address("alice")]);
    assert.equal(earnings.epochs.length, 1);
    assert.deepEqual(earnings.epochs[0], {
      poolId: "1",
      epochId: 1,
      status: "pending",
      token: "0x0000000000000000000000000000000000000000",
      contributions: 1,
      cumulativeAmount: String(parseEther("0.6")),
      claimed: "0",
      claimable: "0",
      pending: String(parseEther("0.6")),
    });
    assert.deepEqual(earnings.epochTokens, [
      { token: "0x0000000000000000000000000000000000000000", claimable: "0", pending: String(parseEther("0.6")) },
    ]);
    const human = await cli(["earnings", alicePrompt]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      /epoch pool 1, epoch 1: attributed 0\.6 ETH, claimed 0 ETH, claimable 0 ETH \(epoch 1 is in its challenge window/,
    );
  });

  it("contributor: once the window passed, earnings count the leaf claimable and `claim` takes it with no --leaves", async () => {
    await passWindow();
    const before = await ok(["earnings", alicePrompt]);
    assert.equal(before.epochs.length, 1);
    assert.equal(before.epochs[0].status, "payable");
    assert.equal(before.epochs[0].claimable, String(parseEther("0.6")));
    assert.deepEqual(before.epochTokens, [
      { token: "0x0000000000000000000000000000000000000000", claimable: String(parseEther("0.6")), pending: "0" },
    ]);
    const claimed = await ok(["claim", alicePrompt], "alice");
    assert.equal(claimed.claimed.length, 1);
    assert.equal(claimed.claimed[0].epochId, 1);
    assert.equal(claimed.claimed[0].amount, String(parseEther("0.6")));
    assert.equal(claimed.to, address("alice"));
    // The vault pool the API says owes it, in the same transaction.
    assert.equal(claimed.vault.claimed.length, 1);
    assert.equal(claimed.vault.claimed[0].poolId, String(vaultPoolId));
    await indexed();
    const after = await ok(["earnings", address("alice")]);
    assert.equal(after.epochs[0].claimed, String(parseEther("0.6")));
    assert.equal(after.epochs[0].claimable, "0");
    await refused(["claim", alicePrompt], "alice", /the indexer knows nothing to claim for .*--leaves <file>/);
  });

  it("keeper: `claim-for` with no --leaves pays the author, from the indexer's proofs", async () => {
    const result = await ok(["claim-for", bobCorrection], "keeper");
    assert.equal(result.claimed.length, 1);
    assert.equal(result.claimed[0].recipient, address("bob"));
    assert.equal(result.claimed[0].amount, String(parseEther("0.2")));
    // The stored file names the unregistered hash: its leaf is found, and the contract's rule is the answer.
    await refused(["claim-for", unregistered], "keeper", /is not registered, so nobody can claim its royalties yet/);
  });

  it("with the indexer down: claim, claim-for and earnings answer one line naming --leaves and the indexer, and send nothing; a leaf file claims offline", async () => {
    await deposit(as("provider"), { poolId: vaultPoolId, amount: parseEther("0.5") });
    await build(2, "epoch-2.txt", ["--previous", "epoch-1.txt"]);
    const published = await ok(
      ["epoch", "publish", "1", "--leaves", "epoch-2.txt", "--fund", "1"],
      "provider",
      downUrl,
    );
    assert.equal(published.upload.stored, false);
    assert.match(published.upload.error, /did not answer/);
    await passWindow();
    const down =
      /did not answer, so it cannot give the epochs' proofs; pass the epoch's leaf file with --leaves <file>, or start the indexer/;
    await refused(["claim", alicePrompt], "alice", down, downUrl);
    await refused(["claim-for", bobCorrection], "keeper", down, downUrl);
    await refused(["earnings", address("alice")], undefined, down, downUrl);
    await refused(["claim", alicePrompt], "alice", /no --pool or --leaves given, and no indexer API is configured/, "");
    await refused(["earnings", alicePrompt], undefined, /no indexer API is configured .*--leaves <file>/, "");
    // Vault pools named with --pool need no indexer: claimed, with one warning line that epochs were left out.
    const vaultOnly = await cli(["claim", alicePrompt, "--pool", String(vaultPoolId), "--json"], "alice", downUrl);
    assert.equal(vaultOnly.code, 0, vaultOnly.stderr);
    assert.match(
      vaultOnly.stderr,
      /^warning: the indexer API at .* did not answer, so it cannot give the epochs' proofs: only the --pool vault pools are claimed; to claim epochs, pass the epoch's leaf file with --leaves <file>/,
    );
    assert.equal(vaultOnly.stderr.trim().split("\n").length, 1);
    const vaultClaim = JSON.parse(vaultOnly.stdout) as { claimed: { poolId: string; amount: string }[] };
    assert.equal(vaultClaim.claimed.length, 1);
    assert.equal(vaultClaim.claimed[0]!.poolId, String(vaultPoolId));
    await indexed();
    // The indexer answers but holds no file of the payable epoch 2: earnings say so, a claim gives the same advice.
    const earnings = await ok(["earnings", alicePrompt]);
    assert.deepEqual(earnings.epochs, []);
    assert.deepEqual(earnings.epochsWithoutFile, [{ poolId: "1", epochId: 2 }]);
    const human = await cli(["earnings", address("alice")]);
    assert.match(
      human.stdout,
      /epoch pool 1 pays epoch 2, whose leaf file the indexer does not hold: not counted here \(tributary earnings --leaves <file>\)/,
    );
    await refused(["claim", alicePrompt], "alice", /the indexer knows nothing to claim for .*--leaves <file>/);
    const offline = await ok(["claim", alicePrompt, "--leaves", "epoch-2.txt"], "alice", downUrl);
    assert.equal(offline.claimed.length, 1);
    assert.equal(offline.claimed[0].epochId, 2);
    assert.equal(offline.claimed[0].amount, String(parseEther("0.6")));
  });

  it("earnings list a vetoed epoch as vetoed and count nothing of it", async () => {
    await build(3, "epoch-3.txt", ["--previous", "epoch-2.txt"]);
    const published = await ok(["epoch", "publish", "1", "--leaves", "epoch-3.txt", "--fund", "1"], "provider");
    assert.equal(published.upload.stored, true);
    await ok(["epoch", "veto", "1", "3", "--reason", "usage log double-counts March"], "challenger");
    await indexed();
    const earnings = await ok(["earnings", address("alice")]);
    // Epoch 1 is superseded (its amounts are inside the later cumulative ones); epoch 2's file is not stored.
    const rows = epochRows(earnings);
    assert.deepEqual([...rows.keys()], [3]);
    assert.deepEqual(earnings.epochsWithoutFile, [{ poolId: "1", epochId: 2 }]);
    const vetoed = rows.get(3)!;
    assert.equal(vetoed.status, "vetoed");
    assert.equal(vetoed.cumulativeAmount, String(parseEther("1.8")));
    assert.equal(vetoed.claimed, String(parseEther("1.2")));
    assert.equal(vetoed.claimable, "0");
    assert.equal(vetoed.pending, "0");
    const human = await cli(["earnings", address("alice")]);
    assert.match(human.stdout, /epoch pool 1, epoch 3: 1 contribution, .* \(epoch 3 was vetoed: it never pays\)/);
    await refused(["claim", alicePrompt], "alice", /the indexer knows nothing to claim for/);
  });
}

describe("tributary CLI end to end: epoch claims through the indexer", () => epochClaimsJourney());

await describeOnTestDatabase(
  "tributary CLI end to end: epoch claims through the indexer on PostgreSQL",
  "tributary_epoch_cli",
  (databaseUrl) => epochClaimsJourney(databaseUrl),
);
