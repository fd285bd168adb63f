// Liveness you can see: the indexer follows new heads by WebSocket subscription, and a node can stop sending a
// subscription's heads while the socket stays open (Hardhat's node drops `newHeads` subscriptions after about five
// minutes). A WebSocket proxy between the indexer and the node does that on command, so the tests need not wait.
//   1. With the watchdog (TRIBUTARY_WS_HEAD_TIMEOUT_MS), the indexer polls the head it missed and subscribes again,
//      in the same process; when every new subscription dies too, it polls.
//   2. Without it, `/ready` answers 503 naming the lag while the indexed head is behind the node beyond the limits,
//      and 200 once it caught up; the solvency report reads the vault's balances at the indexed head's block, so a
//      claim the indexer has not seen yet does not make a solvent vault look short, and the CLI warns that the API
//      lags the node.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, parseEther, toHex, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../abis/RoyaltyVault.ts";
import { KIND, localClients, type LocalClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  onLogEntry,
  startIndexer,
  startNode,
  startWsProxy,
  waitFor,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
  type WsProxy,
} from "../../scripts/lib/stack.ts";
import { runCli } from "../cli/lib/run.ts";
import { headBlock } from "./lib/dense-chain.ts";
import { transactor } from "./lib/tx.ts";

const ETH: Hex = "0x0000000000000000000000000000000000000000";
/** The watchdog's timeout in these tests: a head is due every second. */
const HEAD_TIMEOUT_MS = 2000;

let node: LocalNode;
let deploymentsDir: string;
let clients: LocalClients;
let registry: Hex;
let vault: Hex;
let accounts: Hex[];
const indexers: Indexer[] = [];
const proxies: WsProxy[] = [];

/** The block the indexer at `api` has indexed. */
async function indexedBlock(api: string): Promise<bigint> {
  const status = (await (await fetch(`${api}/status`)).json()) as Record<string, { block: { number: number } }>;
  return BigInt(Object.values(status)[0]!.block.number);
}

/** Starts an indexer whose head subscription goes through a new WebSocket proxy. */
async function indexerBehindProxy(extraEnv: Record<string, string>) {
  const proxy = await startWsProxy({ port: node.port });
  proxies.push(proxy);
  const messages: string[] = [];
  const indexer = await startIndexer({
    rpcUrl: node.url,
    deploymentsDir,
    extraEnv: { TRIBUTARY_WS_URL: proxy.url, TRIBUTARY_API_RATE_LIMIT: "0", ...extraEnv },
  });
  indexers.push(indexer);
  onLogEntry(indexer, (entry) => {
    if (entry.msg !== undefined) messages.push(entry.msg);
  });
  await waitForIndexedBlock(indexer.url, await headBlock(node.url));
  await waitFor("a head to arrive through the proxy", async () => (proxy.stats().forwarded > 0 ? true : undefined));
  return { proxy, indexer, api: indexer.url, messages };
}

/** Waits until the indexer has indexed a block the node mined after `block`, and returns how long it took. */
async function caughtUpAfter(api: string, block: bigint, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(
    `the indexer to index past block ${block}`,
    async () => ((await indexedBlock(api)) > block ? true : undefined),
    { timeoutMs, intervalMs: 50 },
  );
  return Date.now() - started;
}

before(async () => {
  // An empty block every second, like a live chain: a head is always due.
  node = await startNode({ blockIntervalMs: 1000 });
  deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-liveness-"));
  const deployment = await deploy(node.url, deploymentsDir);
  registry = deployment.contracts.AuthorshipRegistry.address;
  vault = deployment.contracts.RoyaltyVault!.address;
  clients = localClients(node.url);
  accounts = (await clients.walletClient.getAddresses()) as Hex[];
});

after(async () => {
  for (const indexer of indexers) await indexer.stop().catch(() => {});
  for (const proxy of proxies) await proxy.close().catch(() => {});
  await node?.stop();
  if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
  for (const indexer of indexers) {
    if (indexer.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
  }
});

describe("liveness: a dead head subscription, with the watchdog", () => {
  let stack: Awaited<ReturnType<typeof indexerBehindProxy>>;
  before(async () => {
    stack = await indexerBehindProxy({ TRIBUTARY_WS_HEAD_TIMEOUT_MS: String(HEAD_TIMEOUT_MS) });
  });

  it("indexes the node's head again and subscribes again, in the same process", async () => {
    const { proxy, indexer, api } = stack;
    const pid = indexer.child.pid;
    assert.equal(proxy.stats().subscriptions, 1);
    proxy.killSubscriptions();
    const atKill = await headBlock(node.url);
    const hash = keccak256(toHex(`registered after the subscription died ${Date.now()}`));
    const receipt = await transactor(clients, node.url).send(
      accounts[1]!,
      registry,
      authorshipRegistryAbi,
      "register",
      [hash, KIND.prompt, ""],
    );
    // Without the watchdog nothing reaches the indexer again: no head, no poll.
    const tookMs = await caughtUpAfter(api, receipt.blockNumber, 4 * HEAD_TIMEOUT_MS + 5_000);
    assert.ok(receipt.blockNumber > atKill);
    assert.equal((await fetch(`${api}/contributions/${hash}`)).status, 200);
    await waitFor("a new subscription", async () => (proxy.stats().subscriptions >= 2 ? true : undefined), {
      timeoutMs: 4 * HEAD_TIMEOUT_MS + 5_000,
    });
    // The new subscription delivers heads again: the indexer follows the chain with no further poll.
    const forwarded = proxy.stats().forwarded;
    await waitFor("heads through the new subscription", async () =>
      proxy.stats().forwarded > forwarded + 2 ? true : undefined,
    );
    await caughtUpAfter(api, await headBlock(node.url), 5_000);
    assert.ok(stack.messages.includes("Detected a dead WebSocket subscription, subscribing again"));
    assert.equal(indexer.child.pid, pid);
    assert.equal(indexer.child.exitCode, null);
    assert.ok(tookMs < 4 * HEAD_TIMEOUT_MS, `indexed again after ${tookMs} ms`);
  });

  it("polls when every new subscription dies too", async () => {
    const { proxy, api } = stack;
    proxy.dropAll();
    await waitFor(
      "the switch to polling",
      async () =>
        stack.messages.includes("Detected a dead WebSocket subscription, switching to polling") ? true : undefined,
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    // Polling every TRIBUTARY_POLLING_INTERVAL_MS (250 ms): each new block is indexed within about a second.
    for (let round = 0; round < 3; round++) {
      const head = await headBlock(node.url);
      assert.ok((await caughtUpAfter(api, head, 3_000)) < 3_000);
    }
  });
});

describe("liveness: /ready and the solvency report while the indexed head lags", () => {
  let stack: Awaited<ReturnType<typeof indexerBehindProxy>>;
  const provider = () => accounts[2]!;
  const alice = () => accounts[3]!;
  const contribution = keccak256(toHex("a prompt in a pool"));

  before(async () => {
    stack = await indexerBehindProxy({
      TRIBUTARY_WS_HEAD_TIMEOUT_MS: "0",
      TRIBUTARY_READY_MAX_LAG_BLOCKS: "3",
      TRIBUTARY_READY_MAX_LAG_SECONDS: "3600",
    });
    const { send, tick } = transactor(clients, node.url);
    await send(alice(), registry, authorshipRegistryAbi, "register", [contribution, KIND.prompt, ""]);
    await send(provider(), vault, royaltyVaultAbi, "createPool", [ETH, provider(), 3600, "ipfs://liveness"]);
    await send(provider(), vault, royaltyVaultAbi, "setUnits", [1n, [contribution], [100n]]);
    await send(provider(), vault, royaltyVaultAbi, "deposit", [1n, parseEther("1")], parseEther("1"));
    await tick(1800);
    await waitForIndexedBlock(stack.api, await headBlock(node.url));
  });

  it("answers 503 on /ready, naming the lag, while the indexed head is behind the node beyond the limit", async () => {
    const { proxy, api } = stack;
    assert.equal((await fetch(`${api}/ready`)).status, 200);
    proxy.killSubscriptions();
    // Read the indexed head inside the wait: a block already in flight when the subscription died may still land.
    const stalledAt = await waitFor("the node to move 4 blocks past the indexed head", async () => {
      const indexed = await indexedBlock(api);
      return (await headBlock(node.url)) > indexed + 4n ? indexed : undefined;
    });
    const ready = await fetch(`${api}/ready`);
    assert.equal(ready.status, 503);
    // Ponder's own route answers in the API's one JSON error shape (the Ponder patch).
    assert.match(ready.headers.get("content-type") ?? "", /^application\/json/);
    const { error: reason, ...rest } = (await ready.json()) as { error: string };
    assert.deepEqual(rest, {});
    assert.match(reason, new RegExp(`^The indexed head \\(block ${stalledAt}\\) is \\d+ blocks and \\d+ s behind`));
    assert.match(reason, /TRIBUTARY_READY_MAX_LAG_BLOCKS/);
    const head = (await (await fetch(`${api}/head`)).json()) as {
      indexed: { blockNumber: string };
      lag: { blocks: string };
      keepsUp: boolean;
    };
    assert.equal(head.indexed.blockNumber, String(stalledAt));
    assert.ok(Number(head.lag.blocks) > 3, JSON.stringify(head));
    assert.equal(head.keepsUp, false);
    // /health is the process's liveness: still 200.
    assert.equal((await fetch(`${api}/health`)).status, 200);
  });

  it("reports a solvent vault solvent at the indexed head's block though a claim was mined after it", async () => {
    const { api } = stack;
    const before = await indexedBlock(api);
    const claim = await transactor(clients, node.url).send(alice(), vault, royaltyVaultAbi, "claim", [
      1n,
      contribution,
      alice(),
    ]);
    assert.ok(claim.blockNumber > before);
    assert.equal(await indexedBlock(api), before, "the claim is not indexed yet");
    const report = (await (await fetch(`${api}/audit/solvency`)).json()) as {
      at: { blockNumber: string };
      solvent: boolean;
      tokens: { token: string; balance: string; liabilities: string }[];
    };
    assert.equal(report.at.blockNumber, String(before));
    assert.equal(report.solvent, true, JSON.stringify(report));
    const balanceAtHead = await clients.publicClient.getBalance({ address: vault, blockNumber: before });
    assert.equal(report.tokens[0]!.balance, String(balanceAtHead));
    assert.ok(BigInt(report.tokens[0]!.liabilities) <= balanceAtHead);

    const cli = await runCli({ cwd: deploymentsDir, rpcUrl: node.url, apiUrl: api, deploymentsDir, secrets: [] }, [
      "solvency",
    ]);
    assert.equal(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
    assert.match(cli.stdout, /SOLVENT/);
    assert.doesNotMatch(cli.stdout, /NOT SOLVENT/);
    const warnings = cli.stderr.trim().split("\n");
    assert.equal(warnings.length, 1, cli.stderr);
    assert.match(warnings[0]!, new RegExp(`block ${before}.* behind the node`));
  });

  it("answers 200 again once the indexer catches up", async () => {
    const { proxy, api } = stack;
    // A new connection subscribes again: the indexer receives heads and fetches the blocks it missed.
    proxy.disconnect();
    await caughtUpAfter(api, await headBlock(node.url), 20_000);
    await waitFor("/ready to answer 200", async () =>
      (await fetch(`${api}/ready`)).status === 200 ? true : undefined,
    );
  });
});
