// Latency from a transaction's receipt to its row in the REST answer, through a real node and indexer (PGlite).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Hex } from "viem";

import { localClients } from "../../scripts/lib/chain.ts";
import { deploy, startIndexer, startNode } from "../../scripts/lib/stack.ts";
import { latencyMetric, receiptToRow } from "../lib/latency.ts";
import { record } from "../lib/record.ts";

const node = await startNode();
const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-bench-"));
let indexer: Awaited<ReturnType<typeof startIndexer>> | undefined;
try {
  const deployment = await deploy(node.url, deploymentsDir);
  const registry = deployment.contracts.AuthorshipRegistry.address;
  indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir });
  const clients = localClients(node.url);
  const [author] = (await clients.walletClient.getAddresses()) as Hex[];

  const latencies = await receiptToRow(clients, registry, author!, indexer.url);
  await record("e2e", {
    "e2e.txToApi.p50.ms": latencyMetric(latencies, ", WebSocket head subscription, PGlite"),
  });
} finally {
  await indexer?.stop();
  await node.stop();
  if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
  await rm(deploymentsDir, { recursive: true, force: true });
}
