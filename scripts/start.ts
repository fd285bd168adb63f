// `npm start`: the whole stack on this machine. A Hardhat node on 127.0.0.1, the contracts deployed to it, a few
// demo contributions, the indexer and its API. Ctrl-C stops every process it started.
//
// TRIBUTARY_NODE_PORT (default 8545) and TRIBUTARY_API_PORT (default 42069) choose the ports; when one is taken,
// a free one is used instead and printed. DATABASE_URL switches the indexer from PGlite to PostgreSQL;
// TRIBUTARY_PGLITE_DIR moves the PGlite folder (default indexer/.ponder/demo, emptied on every start).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import path from "node:path";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "./lib/chain.ts";
import {
  ROOT,
  childEnv,
  deploy,
  freePort,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Managed,
} from "./lib/stack.ts";

const started = Date.now();
const running: Managed[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // Stop in reverse order: the indexer before the node it reads from.
    for (const process_ of running.reverse()) await process_.stop();
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    console.log(`\n${signal}: stopping the indexer and the node...`);
    void stopAll(0);
  });
}

function step(message: string) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
}

async function portOr(name: string, preferred: number): Promise<number> {
  const { createServer } = await import("node:net");
  const free = await new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(preferred, "127.0.0.1", () => server.close(() => resolve(true)));
  });
  if (free) return preferred;
  const other = await freePort();
  step(`port ${preferred} is taken: the ${name} uses ${other} instead`);
  return other;
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`error: ${name} must be a port number between 1 and 65535, got "${raw}"`);
    process.exit(2);
  }
  return port;
}

async function main() {
  const nodePort = await portOr("node", envPort("TRIBUTARY_NODE_PORT", 8545));
  const apiPort = await portOr("API", envPort("TRIBUTARY_API_PORT", 42069));
  const deploymentsDir = path.resolve(process.env.TRIBUTARY_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments"));

  step("compiling the contracts");
  const build = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build", "--no-tests", "--quiet"],
    {
      cwd: ROOT,
      env: childEnv(),
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const [buildCode] = (await once(build, "exit")) as [number | null];
  if (buildCode !== 0) throw new Error("the contracts did not compile (see above)");

  step(`starting a Hardhat node on 127.0.0.1:${nodePort}`);
  const node = await startNode({ port: nodePort });
  running.push(node);

  step("deploying the contracts");
  const deployment = await deploy(node.url, deploymentsDir);
  const registry = deployment.contracts.AuthorshipRegistry.address;
  step(
    `AuthorshipRegistry at ${registry}, written to ${path.relative(process.cwd(), path.join(deploymentsDir, "31337.json"))}`,
  );

  step("registering demo contributions");
  const clients = localClients(node.url);
  const [alice, bob, carol] = (await clients.walletClient.getAddresses()) as Hex[];
  const demo = [
    { author: alice!, text: "Prompt: explain compound interest with a lemonade stand.", kind: KIND.prompt, uri: "" },
    { author: bob!, text: "Correction: the capital of Australia is Canberra.", kind: KIND.correction, uri: "" },
    { author: carol!, text: "Rating: answer 42 was helpful (5/5).", kind: KIND.feedback, uri: "" },
    {
      author: alice!,
      text: "Dataset: 1,000 annotated bird photos.",
      kind: KIND.dataset,
      uri: "ipfs://bafy-demo-dataset",
    },
  ];
  const hashes: Hex[] = [];
  let lastBlock = 0n;
  for (const item of demo) {
    const contentHash = keccak256(toHex(item.text));
    const receipt = await registerContribution(clients, registry, item.author, contentHash, item.kind, item.uri);
    hashes.push(contentHash);
    lastBlock = receipt.blockNumber;
  }

  step(`starting the indexer and its API on 127.0.0.1:${apiPort}`);
  const pgliteDir = path.resolve(process.env.TRIBUTARY_PGLITE_DIR ?? path.join(ROOT, "indexer", ".ponder", "demo"));
  // The local chain is new on every start, so the previous run's database describes a chain that is gone.
  await rm(pgliteDir, { recursive: true, force: true });
  const indexer = await startIndexer({
    rpcUrl: node.url,
    deploymentsDir,
    port: apiPort,
    pgliteDir,
    databaseUrl: process.env.DATABASE_URL,
    schema: `demo_${Date.now()}`,
  });
  running.push(indexer);
  await waitForIndexedBlock(indexer.url, lastBlock);

  for (const managed of running) {
    managed.child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`\n${managed.name} stopped unexpectedly (${signal ?? `exit ${code}`}):\n${managed.output()}`);
      void stopAll(1);
    });
  }

  const api = indexer.url;
  step("ready");
  console.log(`
Tributary is running.
  JSON-RPC node   ${node.url}  (chain 31337, Hardhat's test accounts)
  API             ${api}
  GraphQL         ${api}/graphql
  SQL over HTTP   ${api}/sql

Try:
  curl ${api}/contributions/${hashes[0]}
  curl -X POST ${api}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ contributions(orderBy: \\"registeredAt\\") { items { id author kind uri } } }"}'

Press Ctrl-C to stop everything.`);
}

main().catch(async (error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  await stopAll(1);
});
