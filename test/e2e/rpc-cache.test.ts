// The RPC cache, end to end: a chain of 320 blocks that each hold a registration, backfilled once from the node with
// Ponder's RPC cache on, then again on the same database under a new schema, from the cache alone. Both answer the
// same rows, so the cache holds every block, transaction and log the backfill needed. The backfill writes that
// cache in batches of up to 100 blocks (patches/ponder+0.17.7.patch; docs/operations.md, "A patch to Ponder"): at
// 320 blocks one of Ponder's block ranges (25, 37, 56, 84, then 126 blocks) is longer than a batch.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  launchIndexer,
  onLogEntry,
  startIndexer,
  startNode,
  waitReady,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { digestTables } from "./lib/digest.ts";
import { mineBlocks } from "./lib/dense-chain.ts";
import { teardown } from "./lib/tx.ts";

const BLOCKS = 320;
const CACHE_ON = { TRIBUTARY_RPC_CACHE: "1" };

/** One of Ponder's own counters from its /metrics, by metric name and method label. */
async function methodCount(api: string, method: string): Promise<number> {
  const metrics = await (await fetch(`${api}/metrics`)).text();
  const line = metrics
    .split("\n")
    .find((l) => l.startsWith(`ponder_database_method_duration_count{method="${method}"}`));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

describe("end to end: a backfill from the RPC cache indexes what the backfill from the node did", () => {
  let node: LocalNode;
  let deploymentsDir: string;
  let pgliteDir: string;
  const running: Indexer[] = [];

  before(async () => {
    // No empty block every second: the chain holds the registrations' blocks and the finality margin only.
    node = await startNode({ blockIntervalMs: 0 });
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-rpc-cache-"));
    pgliteDir = await mkdtemp(path.join(tmpdir(), "tributary-rpc-cache-pglite-"));
    const registry = (await deploy(node.url, deploymentsDir)).contracts.AuthorshipRegistry.address;
    const clients = localClients(node.url);
    const accounts = (await clients.walletClient.getAddresses()) as Hex[];
    for (let i = 0; i < BLOCKS; i++) {
      const contributionId = keccak256(toHex(`rpc cache ${i}`));
      await registerContribution(clients, registry, accounts[i % 4]!, contributionId, KIND.prompt, `ipfs://${i}`);
    }
    // Everything above is now older than Ponder's 30-block finality on chain 31337: it is all in the backfill, which
    // is done when /ready answers 200.
    await mineBlocks(node.url, 35);
  });

  after(async () => {
    for (const indexer of running) await indexer.stop();
    await teardown({ node, deploymentsDir });
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  });

  it("answers the same rows from the cache alone, which the first backfill wrote in batches", async () => {
    const cold = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      pgliteDir,
      schema: "cold",
      extraEnv: CACHE_ON,
    });
    running.push(cold);
    const fromNode = await digestTables(cold.url);
    assert.equal(fromNode.counts.registration_event, BLOCKS);
    // Unpatched, Ponder inserted each block (and its transactions, and its logs) with a statement of its own: 320 for
    // the blocks. In batches: one per block range, and one more where a range is longer than a batch (6 here).
    const blockInserts = await methodCount(cold.url, "insert_blocks");
    assert.ok(blockInserts > 0 && blockInserts < 20, `${blockInserts} statements inserted ${BLOCKS} blocks`);
    await cold.stop();

    const messages: string[] = [];
    const warm = await launchIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      pgliteDir,
      schema: "warm",
      extraEnv: CACHE_ON,
    });
    running.push(warm);
    onLogEntry(warm, (entry) => messages.push(entry.msg ?? ""));
    await waitReady(warm, warm.url);
    assert.ok(
      messages.some((msg) =>
        msg.startsWith("Skipped fetching backfill JSON-RPC data (cache contains all required data)"),
      ),
      `the second backfill read everything from the cache: ${messages.join(" | ")}`,
    );
    assert.equal(await methodCount(warm.url, "insert_blocks"), 0, "nothing fetched, nothing inserted");
    assert.deepEqual(await digestTables(warm.url), fromNode);
  });
});
