// `npm start`: the whole stack on this machine. A Hardhat node on 127.0.0.1, the contracts deployed to it, a few
// demo contributions, the indexer and its API. Ctrl-C stops every process it started. It supervises the indexer: one
// that dies is started again on the same chain and port (on a fresh database: it backfills the local chain again),
// and the node keeps running meanwhile; a node that dies takes the stack down, since its chain is gone.
//
// TRIBUTARY_NODE_PORT (default 8545), TRIBUTARY_API_PORT (default 42069) and TRIBUTARY_WEB_PORT (default 5173, the
// web app built from web/ and served with a config.json naming the node, API and deployment) choose the ports; when one is taken,
// a free one is used instead and printed. DATABASE_URL switches the indexer from PGlite to PostgreSQL;
// TRIBUTARY_PGLITE_DIR moves the PGlite folder (default indexer/.ponder/demo, emptied on every start).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { formatEther, parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlockNumber } from "viem/actions";

import {
  anchor,
  buildAnchorTree,
  claim,
  claimEpoch,
  confirmAuthor,
  connect,
  createEpochPool,
  createPool,
  parseDeployment,
  deploymentsFolder,
  deposit,
  ETH,
  formatManifestFile,
  hashText,
  materialize,
  publishEpoch,
  register,
  requireEpochs,
  relay,
  setAttester,
  setUnits,
  signCommitment,
  withAccount,
  type AnchorLeaf,
  type TributaryClient,
} from "../sdk/node.ts";
import { buildEpoch, leafFileProofs, readLeafFile, readRevokedConsent } from "../sdk/epochs/index.ts";
import { methodSourceBytes, readAttributionFile, writeLeafFile } from "../sdk/epochs/files.ts";
import { KIND, deployDemoToken, localClients, mintDemoToken, registerContribution } from "./lib/chain.ts";
import { buildWeb, serveWeb } from "./lib/web.ts";
import {
  ROOT,
  buildContracts,
  deploy,
  freePort,
  launchIndexer,
  rpc,
  startNode,
  waitForIndexedBlock,
  waitReady,
  type Indexer,
  type IndexerOptions,
  type Managed,
} from "./lib/stack.ts";

const started = Date.now();
const running: Managed[] = [];
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;
/** The indexer running now (or starting), replaced by each restart. */
let currentIndexer: Indexer | undefined;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    // The indexer before the node it reads from.
    await currentIndexer?.stop();
    for (const process_ of running.reverse()) await process_.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => {});
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

/** Hardhat's well-known development keys: public knowledge, for a local chain only. */
export const DEMO_KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bob: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  carol: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  dave: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  ethProvider: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  tokenProvider: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  platform: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
} as const satisfies Record<string, Hex>;
export type DemoUser = keyof typeof DEMO_KEYS;
export const demoAddress = (who: DemoUser) => privateKeyToAccount(DEMO_KEYS[who]).address;

export interface DemoActivityParameters {
  rpcUrl: string;
  deploymentsDir: string;
  /** Where to write the attester's leaf file. */
  workDir: string;
  /** The contributions already registered by start.ts: alice's prompt, bob's correction, carol's rating, alice's dataset. */
  registered: { prompt: Hex; correction: Hex; rating: Hex; dataset: Hex };
  log: (message: string) => void;
}

export interface DemoActivityReturnType {
  lastBlock: bigint;
  token: Hex;
  ethPoolId: bigint;
  tokenPoolId: bigint;
  relayedHash: Hex;
  anchoredRoot: Hex;
  leafFile: string;
  escrowHash: Hex;
  /** Registered after the ETH pool gave it units; its author confirmed by the pool's admin. */
  lateHash: Hex;
  /** The epoch pool, the epoch played, its leaf file (its manifest beside it) and what bob claimed from it. */
  epochPoolId: bigint;
  epochLeafFile: string;
  epochClaimed: bigint;
}

export async function runDemoActivity(parameters: DemoActivityParameters): Promise<DemoActivityReturnType> {
  const { rpcUrl, log, registered } = parameters;
  const network = await connect({ rpcUrl, deployment: deploymentsFolder(parameters.deploymentsDir) });
  const as = (who: DemoUser): TributaryClient => withAccount(network, privateKeyToAccount(DEMO_KEYS[who]));
  let lastBlock = 0n;
  const seen = (block: bigint) => (lastBlock = block > lastBlock ? block : lastBlock);

  // The local chain's clock is moved to each reveal instead of waiting its minute (the SDK does it on chain 31337
  // only); on a real chain the relay waits.
  const wait = { fastForward: true };
  log("dave signs a commitment to his prompt; a platform relays it: commits, then reveals once a minute has passed");
  const daveHash = hashText("Prompt: write a haiku about rivers that feed the sea.");
  const signed = await signCommitment(as("dave"), {
    registration: { contributionId: daveHash, kind: "prompt", uri: "ipfs://bafy-demo-haiku" },
    deadline: BigInt(Math.floor(Date.now() / 1000) + 3600),
  });
  const relayed = await relay(as("platform"), { signed, wait });
  seen(relayed.transaction!.blockNumber);

  log("the registry's owner approves the platform as an attester; it anchors a batch and a leaf is materialized");
  seen((await setAttester(as("owner"), { attester: demoAddress("platform"), approved: true })).blockNumber);
  const leaves: AnchorLeaf[] = [
    {
      contributionId: hashText("Rating: the summary of chapter 3 was accurate (4/5)."),
      author: demoAddress("carol"),
      kind: "feedback",
    },
    {
      contributionId: hashText("Correction: 'affect' is the verb, 'effect' the noun."),
      author: demoAddress("dave"),
      kind: "correction",
    },
    {
      contributionId: hashText("Model output chosen as best of 4 by a reviewer."),
      author: demoAddress("bob"),
      kind: "model_output",
    },
  ];
  const { root, dump, tree } = buildAnchorTree(leaves);
  const leafFile = path.join(parameters.workDir, "demo-leaves.json");
  await writeFile(leafFile, `${JSON.stringify(dump, null, 2)}\n`);
  seen((await anchor(as("platform"), { root, uri: `file://${leafFile}` })).blockNumber);
  const [index] = [...tree.entries()].find(([, value]) => value[0] === leaves[1]!.contributionId)!;
  seen((await materialize(as("dave"), { root, ...leaves[1]!, proof: tree.getProof(index) as Hex[] })).blockNumber);

  log("two model providers open pools: one in ETH, one in a demo ERC-20 (dUSD)");
  const clients = localClients(rpcUrl);
  const token = await deployDemoToken(clients, demoAddress("owner"));
  seen(
    (await mintDemoToken(clients, token, demoAddress("owner"), demoAddress("tokenProvider"), 10_000_000_000n))
      .blockNumber,
  );
  const ethPool = await createPool(as("ethProvider"), { token: ETH, duration: 3600, uri: "ipfs://bafy-demo-model-a" });
  const tokenPool = await createPool(as("tokenProvider"), { token, duration: 7200, uri: "ipfs://bafy-demo-model-b" });
  seen(tokenPool.blockNumber);

  // Hashes nobody has registered yet: their royalties wait in escrow. The first stays unregistered; the second's
  // author registers it after the pool made it public, so it claims once the pool's admin confirms the author.
  const escrowHash = hashText("Dataset: 10,000 transcribed folk songs (not registered yet).");
  const lateHash = hashText("Dataset: 500 hand-drawn maps of river deltas (registered after the pool named it).");
  const ethUnits = await setUnits(as("ethProvider"), {
    poolId: ethPool.poolId,
    entries: [
      { contributionId: registered.prompt, units: 300n },
      { contributionId: registered.correction, units: 200n },
      { contributionId: registered.rating, units: 100n },
      { contributionId: daveHash, units: 100n },
      { contributionId: leaves[1]!.contributionId, units: 100n },
      { contributionId: escrowHash, units: 200n },
      { contributionId: lateHash, units: 100n },
    ],
  });
  const tokenUnits = await setUnits(as("tokenProvider"), {
    poolId: tokenPool.poolId,
    entries: [
      { contributionId: registered.dataset, units: 500n },
      { contributionId: registered.prompt, units: 250n },
      { contributionId: registered.correction, units: 250n },
    ],
  });
  seen(ethUnits.transactions.at(-1)!.blockNumber);
  seen(tokenUnits.transactions.at(-1)!.blockNumber);

  log("the providers deposit revenue: 2 ETH streaming over an hour, 5,000 dUSD over two hours");
  seen((await deposit(as("ethProvider"), { poolId: ethPool.poolId, amount: parseEther("2") })).blockNumber);
  seen((await deposit(as("tokenProvider"), { poolId: tokenPool.poolId, amount: 5_000_000_000n })).blockNumber);

  // Pools stream over at least an hour (the contract's minimum): move the chain's clock 15 minutes so that part of
  // each deposit has streamed; the node's 1-second blocks keep the streams moving while the demo runs.
  log("15 minutes pass on the chain's clock; the streams pay out as time moves");
  await rpc(rpcUrl, "evm_increaseTime", [900]);
  await rpc(rpcUrl, "evm_mine");

  log("carol registers the maps after the ETH pool named them (commit, reveal); the pool's admin confirms her");
  seen((await register(as("carol"), { contributionId: lateHash, kind: "dataset", wait })).blockNumber);
  const confirmed = await confirmAuthor(as("ethProvider"), {
    poolId: ethPool.poolId,
    contributionId: lateHash,
    author: demoAddress("carol"),
  });
  seen(confirmed.transaction!.blockNumber);

  log("alice claims her prompt's royalties from both pools in one transaction; bob claims his correction's");
  const aliceClaim = await claim(as("alice"), {
    poolIds: [ethPool.poolId, tokenPool.poolId],
    contributionIds: [registered.prompt],
  });
  const bobClaim = await claim(as("bob"), { poolIds: [ethPool.poolId], contributionIds: [registered.correction] });
  seen(aliceClaim.blockNumber);
  seen(bobClaim.blockNumber);

  log(
    "the ETH provider opens an epoch pool; a usage log of three contributions is built into epoch 1 (usage-share-v1)",
  );
  const epochPool = await createEpochPool(as("ethProvider"), {
    token: ETH,
    challenger: demoAddress("owner"),
    challengeWindow: 3600,
    metadataUri: "ipfs://bafy-demo-model-a-usage",
  });
  const usage = [
    { contributionId: registered.prompt, weight: 812 },
    { contributionId: registered.correction, weight: 140 },
    { contributionId: registered.rating, weight: 48 },
  ];
  const usageLog = usage.map((u) => `${JSON.stringify({ ...u, time: Math.floor(Date.now() / 1000) })}\n`).join("");
  const usageFile = path.join(parameters.workDir, "usage-epoch-1.jsonl");
  await writeFile(usageFile, usageLog);
  const snapshotBlock = await getBlockNumber(network.publicClient, { cacheTime: 0 });
  const revoked = await readRevokedConsent({
    publicClient: network.publicClient,
    registry: network.registry,
    contributionIds: usage.map((u) => u.contributionId),
    blockNumber: snapshotBlock,
  });
  const built = buildEpoch({
    domain: { chainId: network.chainId, contract: requireEpochs(network), poolId: epochPool.poolId },
    epochId: 1,
    amount: parseEther("1"),
    attribution: await readAttributionFile({ file: usageFile, input: "usage" }),
    snapshotBlock,
    isEligible: (id) => !revoked.has(id),
    methodSource: await methodSourceBytes(),
  });
  const epochLeafFile = path.join(parameters.workDir, "epoch-1.txt");
  await writeLeafFile(epochLeafFile, built.leafFile);
  await writeFile(
    `${epochLeafFile}.manifest.json`,
    formatManifestFile({
      chainId: network.chainId,
      contract: requireEpochs(network),
      poolId: epochPool.poolId,
      epochId: 1,
      manifest: built.manifest,
    }),
  );
  log("the provider funds the epoch pool with 1 ETH and publishes epoch 1; its challenge window of an hour passes");
  const published = await publishEpoch(as("ethProvider"), {
    poolId: epochPool.poolId,
    manifest: built.manifest,
    leafFile: { ...(await readLeafFile({ chunks: [built.leafFile], source: epochLeafFile })), source: epochLeafFile },
    fund: parseEther("1"),
  });
  seen(published.blockNumber);
  await rpc(rpcUrl, "evm_increaseTime", [3601]);
  for (let i = 0; i < 2; i++) await rpc(rpcUrl, "evm_mine");
  log("bob claims his correction's share of epoch 1 with its proof from the leaf file");
  const { proofs } = await leafFileProofs({ files: [{ bytes: built.leafFile, source: epochLeafFile }] });
  const bobEpoch = await claimEpoch(as("bob"), {
    poolId: epochPool.poolId,
    contributionId: registered.correction,
    proofs,
  });
  seen(bobEpoch.blockNumber);

  return {
    lastBlock,
    epochPoolId: epochPool.poolId,
    epochLeafFile,
    epochClaimed: bobEpoch.claimed.reduce((sum, c) => sum + c.amount, 0n),
    token,
    ethPoolId: ethPool.poolId,
    tokenPoolId: tokenPool.poolId,
    relayedHash: daveHash,
    anchoredRoot: root,
    leafFile,
    escrowHash,
    lateHash,
  };
}

/** Restarts wait 1 s, then twice as long after each failure in a row, up to 30 s; an hour up resets the wait. */
const RESTART_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000];
const STABLE_MS = 60 * 60 * 1000;

/**
 * Starts the indexer on a fresh database (the local chain is new on every start, so a previous run's database
 * describes a chain that is gone, and a fresh backfill of the local chain takes seconds where a crash recovery on
 * PGlite first waits for the dead process's lock) and waits until it is ready.
 */
async function startDemoIndexer(options: IndexerOptions & { pgliteDir: string }): Promise<Indexer> {
  await rm(options.pgliteDir, { recursive: true, force: true });
  const indexer = await launchIndexer({ ...options, schema: `demo_${Date.now()}` });
  currentIndexer = indexer;
  await waitReady(indexer, indexer.url);
  return indexer;
}

/** Starts the indexer again, with the same options, each time it exits while the stack is not stopping. */
function superviseIndexer(first: Indexer, options: IndexerOptions & { pgliteDir: string }): void {
  let failures = 0;
  const watch = (indexer: Indexer, upSince: number) => {
    indexer.child.once("exit", (code, signal) => {
      if (stopping) return;
      if (Date.now() - upSince > STABLE_MS) failures = 0;
      const tail = indexer.output().trim().split("\n").slice(-10).join("\n");
      console.error(
        `\nthe indexer (pid ${indexer.child.pid}) stopped unexpectedly (${signal ?? `exit ${code}`})${tail ? `; its last lines:\n${tail}` : ""}`,
      );
      void restart();
    });
  };
  const restart = async () => {
    for (;;) {
      const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]!;
      step(
        `restarting the indexer on the same chain in ${delay / 1000} s (a fresh database: it backfills the local chain again); the node keeps running`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      try {
        const indexer = await startDemoIndexer(options);
        if (stopping) return;
        step(`the indexer is back (pid ${indexer.child.pid}) at ${indexer.url}`);
        watch(indexer, Date.now());
        return;
      } catch (error) {
        failures++;
        console.error(`the indexer did not start again: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  };
  watch(first, Date.now());
}

async function main() {
  const nodePort = await portOr("node", envPort("TRIBUTARY_NODE_PORT", 8545));
  const apiPort = await portOr("API", envPort("TRIBUTARY_API_PORT", 42069));
  const webPort = await portOr("web app", envPort("TRIBUTARY_WEB_PORT", 5173));
  const deploymentsDir = path.resolve(process.env.TRIBUTARY_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments"));

  // The node does not need the contracts: it starts while they compile (without the Solidity tests), and the
  // deployment then runs on the build instead of building again.
  step(`compiling the contracts and building the web app; starting a Hardhat node on 127.0.0.1:${nodePort}`);
  const [nodeStarted, contractsBuilt, webBuilt] = await Promise.allSettled([
    startNode({ port: nodePort }),
    buildContracts(),
    buildWeb(),
  ]);
  if (nodeStarted.status === "fulfilled") running.push(nodeStarted.value);
  if (contractsBuilt.status === "rejected") throw contractsBuilt.reason;
  if (nodeStarted.status === "rejected") throw nodeStarted.reason;
  if (webBuilt.status === "rejected")
    throw new Error(`the web app did not build: ${(webBuilt.reason as Error).message}`);
  const node = nodeStarted.value;

  step("deploying the contracts");
  const deployment = await deploy(node.url, deploymentsDir, 31337, { built: true });
  const registry = deployment.contracts.AuthorshipRegistry.address;
  step(
    `AuthorshipRegistry at ${registry}, written to ${path.relative(process.cwd(), path.join(deploymentsDir, "31337.json"))}`,
  );

  step("registering demo contributions");
  const clients = localClients(node.url);
  const demo = [
    {
      author: demoAddress("alice"),
      text: "Prompt: explain compound interest with a lemonade stand.",
      kind: KIND.prompt,
      uri: "",
    },
    {
      author: demoAddress("bob"),
      text: "Correction: the capital of Australia is Canberra.",
      kind: KIND.correction,
      uri: "",
    },
    { author: demoAddress("carol"), text: "Rating: answer 42 was helpful (5/5).", kind: KIND.feedback, uri: "" },
    {
      author: demoAddress("alice"),
      text: "Dataset: 1,000 annotated bird photos.",
      kind: KIND.dataset,
      uri: "ipfs://bafy-demo-dataset",
    },
  ];
  const hashes: Hex[] = [];
  let lastBlock = 0n;
  for (const item of demo) {
    // The same hash `tributary hash --text "<text>"` gives.
    const contributionId = hashText(item.text);
    const receipt = await registerContribution(clients, registry, item.author, contributionId, item.kind, item.uri);
    hashes.push(contributionId);
    lastBlock = receipt.blockNumber;
  }

  const workDir = await mkdtemp(path.join(tmpdir(), "tributary-demo-"));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const activity = await runDemoActivity({
    rpcUrl: node.url,
    deploymentsDir,
    workDir,
    registered: { prompt: hashes[0]!, correction: hashes[1]!, rating: hashes[2]!, dataset: hashes[3]! },
    log: step,
  });
  if (activity.lastBlock > lastBlock) lastBlock = activity.lastBlock;
  step(
    `epoch 1 of epoch pool ${activity.epochPoolId} paid bob ${formatEther(activity.epochClaimed)} ETH; its leaf file: ${activity.epochLeafFile}`,
  );

  step(`starting the indexer and its API on 127.0.0.1:${apiPort}`);
  const indexerOptions = {
    rpcUrl: node.url,
    deploymentsDir,
    port: apiPort,
    pgliteDir: path.resolve(process.env.TRIBUTARY_PGLITE_DIR ?? path.join(ROOT, "indexer", ".ponder", "demo")),
    databaseUrl: process.env.DATABASE_URL,
  };
  const indexer = await startDemoIndexer(indexerOptions);
  await waitForIndexedBlock(indexer.url, lastBlock);

  node.child.once("exit", (code, signal) => {
    if (stopping) return;
    console.error(
      `\nthe node stopped unexpectedly (${signal ?? `exit ${code}`}); its chain is gone:\n${node.output()}`,
    );
    void stopAll(1);
  });
  superviseIndexer(indexer, indexerOptions);

  const api = indexer.url;
  const web = await serveWeb({
    port: webPort,
    config: { apiUrl: api, rpcUrl: node.url, chainId: 31337, deployment: parseDeployment(deployment) },
  });
  cleanups.push(web.stop);
  step("ready");
  console.log(`
Tributary is running.
  Web app         ${web.url}  (contributor, explorer, provider; a browser wallet on chain 31337 signs)
  JSON-RPC node   ${node.url}  (chain 31337, Hardhat's test accounts; pid ${node.child.pid})
  API             ${api}  (indexer pid ${indexer.child.pid}; restarted if it stops, GET ${api}/ready is 503 while it lags)
  GraphQL         ${api}/graphql
  SQL over HTTP   ${api}/sql

Try:
  curl ${api}/contributions/${hashes[0]}
  curl -X POST ${api}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ contributions(orderBy: \\"registeredAt\\") { items { id author kind uri } } }"}'

Try the CLI (the keys are Hardhat's public test keys, for this local chain only):
  export TRIBUTARY_RPC_URL=${node.url} TRIBUTARY_API_URL=${api}${deploymentsDir === path.join(ROOT, "deployments") ? "" : ` TRIBUTARY_DEPLOYMENTS_DIR=${deploymentsDir}`}
  # contributor (alice)
  export TRIBUTARY_PRIVATE_KEY=${DEMO_KEYS.alice}
  npx tributary earnings
  npx tributary claim ${hashes[0]} ${hashes[3]} --pool ${activity.ethPoolId} --pool ${activity.tokenPoolId}
  npx tributary register --text "Prompt: my own prompt"    # commit, a minute of chain time, reveal
  npx tributary register --direct --text "Prompt: already public"
  npx tributary earnings --leaves ${activity.epochLeafFile}    # what epoch 1 of epoch pool ${activity.epochPoolId} owes alice
  npx tributary claim ${hashes[0]} --leaves ${activity.epochLeafFile} --pool ${activity.ethPoolId}    # epoch and vault pool, one transaction
  # provider (the ETH pool's admin)
  export TRIBUTARY_PRIVATE_KEY=${DEMO_KEYS.ethProvider}
  npx tributary deposit ${activity.ethPoolId} 0.5
  printf 'contribution,units\\n${activity.relayedHash},400\\n' > units.csv && npx tributary units set ${activity.ethPoolId} units.csv
  npx tributary escrow show ${activity.ethPoolId} ${activity.lateHash}    # registered late, confirmed by the admin
  npx tributary epoch pool show ${activity.epochPoolId}
  npx tributary epoch build --usage ${path.join(path.dirname(activity.epochLeafFile), "usage-epoch-1.jsonl")} --amount 500000000000000000 --pool ${activity.epochPoolId} --epoch 2 --previous ${activity.epochLeafFile} --contract ${deployment.contracts.AttributionEpochs?.address} --out epoch-2.txt
  npx tributary epoch publish ${activity.epochPoolId} --leaves epoch-2.txt --fund 0.5
  # auditor (no key needed)
  npx tributary epoch show ${activity.epochPoolId} 1    # epoch 1's manifest; bob claimed his share of it
  npx tributary pool show ${activity.ethPoolId}
  npx tributary pool show ${activity.tokenPoolId} --ledger claims
  npx tributary solvency
  npx tributary contribution ${activity.relayedHash} --history
  npx tributary root ${activity.anchoredRoot}
  npx tributary earnings ${activity.escrowHash}    # units waiting for an author who has not registered yet

Press Ctrl-C to stop everything.`);
}

main().catch(async (error: unknown) => {
  console.error(`error: ${(error as Error).message}`);
  await stopAll(1);
});
