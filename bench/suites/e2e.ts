// Latency from a transaction's receipt to its row in the REST answer, through a real node and indexer (PGlite).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import { deploy, startIndexer, startNode, waitFor } from "../../scripts/lib/stack.ts";
import { record } from "../lib/record.ts";

const SAMPLES = 40;

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const node = await startNode();
const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-"));
let indexer: Awaited<ReturnType<typeof startIndexer>> | undefined;
try {
  const deployment = await deploy(node.url, deploymentsDir);
  const registry = deployment.contracts.AuthorshipRegistry.address;
  indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir });
  const clients = localClients(node.url);
  const [author] = (await clients.walletClient.getAddresses()) as Hex[];

  const latencies: number[] = [];
  for (let i = 0; i < SAMPLES + 5; i++) {
    const contentHash = keccak256(toHex(`bench sample ${i} ${Date.now()}`));
    await registerContribution(clients, registry, author!, contentHash, KIND.prompt, "");
    const receivedAt = performance.now();
    const api = indexer.url;
    await waitFor(
      `sample ${i} in the API`,
      async () => ((await fetch(`${api}/contributions/${contentHash}`)).status === 200 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 2 },
    );
    // The first few warm the indexer's and the API's caches.
    if (i >= 5) latencies.push(performance.now() - receivedAt);
  }
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  await record("e2e", {
    "e2e.txToApi.p50.ms": {
      value: round(percentile(latencies, 50)),
      unit: "ms",
      note: `receipt -> REST row, ${SAMPLES} samples, WebSocket head subscription, PGlite; p90 ${round(percentile(latencies, 90))} ms`,
    },
  });
} finally {
  await indexer?.stop();
  await node.stop();
  if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
  await rm(deploymentsDir, { recursive: true, force: true });
}
