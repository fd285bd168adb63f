// How long the indexer takes to index the chain's head again after its WebSocket head subscription dies without the
// socket closing, as Hardhat's node does to `newHeads` subscriptions after about five minutes. A WebSocket proxy
// between the indexer and the node drops the subscription's notifications on command (scripts/lib/stack.ts); the
// node mines a block every second; the indexer runs with its default settings (head watchdog after 3 s). Without
// the watchdog the figure is infinite: nothing reaches the indexer again.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { deploy, rpc, startIndexer, startNode, startWsProxy, waitFor, type Indexer } from "../../scripts/lib/stack.ts";
import { record } from "../lib/record.ts";

const ROUNDS = 5;

const node = await startNode({ blockIntervalMs: 1000 });
const proxy = await startWsProxy({ port: node.port });
const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-liveness-"));
let indexer: Indexer | undefined;

const nodeHead = async () => BigInt(await rpc<string>(node.url, "eth_blockNumber"));
const indexedHead = async (api: string) => {
  const status = (await (await fetch(`${api}/status`)).json()) as Record<string, { block: { number: number } }>;
  return BigInt(Object.values(status)[0]!.block.number);
};

try {
  await deploy(node.url, deploymentsDir);
  indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, extraEnv: { TRIBUTARY_WS_URL: proxy.url } });
  const api = indexer.url;
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Start from a live subscription that has delivered a head.
    const forwarded = proxy.stats().forwarded;
    await waitFor("a head through the subscription", async () =>
      proxy.stats().forwarded > forwarded ? true : undefined,
    );
    proxy.killSubscriptions();
    const killedAt = Date.now();
    const headAtKill = await nodeHead();
    // Recovered: the indexer has a block mined after the subscription died, and is at the node's head.
    await waitFor(
      "the indexer to index the head again",
      async () => {
        const indexed = await indexedHead(api);
        return indexed > headAtKill && indexed >= (await nodeHead()) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    seconds.push((Date.now() - killedAt) / 1000);
    await waitFor("a new subscription", async () => (proxy.stats().subscriptions > round + 1 ? true : undefined), {
      timeoutMs: 30_000,
    });
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  await record("liveness", {
    "indexer.headStall.recoverySeconds": {
      value: Math.round(median * 10) / 10,
      unit: "s",
      note:
        `median of ${ROUNDS} dead head subscriptions (${sorted.map((s) => s.toFixed(1)).join(", ")} s), from the ` +
        "subscription's death to the head indexed; TRIBUTARY_WS_HEAD_TIMEOUT_MS=3000, a block a second; without " +
        "the watchdog: never",
    },
  });
} finally {
  await indexer?.stop();
  await proxy.close();
  await node.stop();
  if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
  await rm(deploymentsDir, { recursive: true, force: true });
}
