// The local stack the web app's journeys and its benchmark run against: a Hardhat node, the contracts, a small
// scenario (a contributor's prompt with units in an ETH pool that has streamed for 15 minutes, and a leaf of 30 dUSD
// in a payable epoch of a dUSD epoch pool, whose leaf file the indexer holds), the indexer and its API, and the
// built app served with a config.json pointing at them.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  ETH,
  TributaryApi,
  connect,
  createPool,
  deposit,
  hashText,
  parseDeployment,
  register,
  setUnits,
  withAccount,
  type Deployment,
  type TributaryClient,
} from "../../../sdk/index.ts";
import { openPaidEpoch } from "../../e2e/lib/epochs.ts";
import { buildWeb, serveWeb, type WebConfig, type WebServer } from "../../../scripts/lib/web.ts";
import {
  deploy,
  freePort,
  launchIndexer,
  rpc,
  startNode,
  waitForIndexedBlock,
  waitReady,
  type Indexer,
  type LocalNode,
} from "../../../scripts/lib/stack.ts";

/** Hardhat's public development keys (a local chain only): the contributor, a model provider, a relaying platform. */
export const KEYS = {
  contributor: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  provider: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  platform: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
} as const satisfies Record<string, Hex>;

export const PROMPT_TEXT = "Prompt: explain tides to a child, with a bathtub.";
/** Another contribution of the epoch's leaf file (nobody registered it). */
export const OTHER_CONTRIBUTION: Hex = `0x${"ab".repeat(32)}`;
/** The epoch's amount: 40 dUSD, three quarters of it to the prompt (weights 3 and 1). */
export const EPOCH_AMOUNT = 40_000_000n;
export const PROMPT_EPOCH_AMOUNT = 30_000_000n;
export const SECOND_EPOCH_AMOUNT = 5_000_000n;

export interface WebStack {
  node: LocalNode;
  indexer: Indexer;
  web: WebServer;
  config: WebConfig;
  deployment: Deployment;
  network: TributaryClient;
  as: (who: keyof typeof KEYS) => TributaryClient;
  poolId: bigint;
  prompt: Hex;
  /** The dUSD epoch pool (6 decimals) whose epoch 1 pays the prompt 30 dUSD. */
  epochPoolId: bigint;
  token: Hex;
  /** The dEUR epoch pool whose epoch 1 pays the prompt 5 dEUR, with its leaf file. */
  secondEpoch: Awaited<ReturnType<typeof openPaidEpoch>>;
  /** Serves the same build with another config.json (an API or node that does not answer). */
  serveWith: (config: Partial<WebConfig>) => Promise<WebServer>;
  stop: () => Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const work = await mkdtemp(path.join(tmpdir(), "tributary-web-"));
  const deploymentsDir = path.join(work, "deployments");
  const stops: (() => Promise<void>)[] = [() => rm(work, { recursive: true, force: true })];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const [node] = await Promise.all([startNode(), buildWeb()]);
    stops.push(() => node.stop());
    await deploy(node.url, deploymentsDir);
    const deployment = parseDeployment(JSON.parse(await readFile(path.join(deploymentsDir, "31337.json"), "utf8")));
    const network = await connect({ rpcUrl: node.url, deployment });
    const as = (who: keyof typeof KEYS) => withAccount(network, privateKeyToAccount(KEYS[who]));

    const prompt = hashText(PROMPT_TEXT);
    await register(as("contributor"), { contributionId: prompt, kind: "prompt", direct: true });

    // The epoch pool first: its challenge window (an hour) passes before the vault's stream starts.
    const {
      token,
      poolId: epochPoolId,
      leafFile,
    } = await openPaidEpoch(as("provider"), node.url, {
      amount: EPOCH_AMOUNT,
      weights: new Map([
        [prompt, 3n],
        [OTHER_CONTRIBUTION, 1n],
      ]),
      metadataUri: "ipfs://web-test-usage",
    });
    // A second epoch pool, in dEUR, paying the prompt 5 dEUR: a keeper claims it under a page's review.
    const second = await openPaidEpoch(as("provider"), node.url, {
      amount: SECOND_EPOCH_AMOUNT,
      weights: new Map([[prompt, 1n]]),
      symbol: "dEUR",
    });

    const pool = await createPool(as("provider"), { token: ETH, duration: 3600, uri: "ipfs://web-test-model" });
    await setUnits(as("provider"), { poolId: pool.poolId, entries: [{ contributionId: prompt, units: 100n }] });
    const paid = await deposit(as("provider"), { poolId: pool.poolId, amount: parseEther("1") });
    // A quarter of the hour-long stream passes: the prompt has about 0.25 ETH to claim.
    await rpc(node.url, "evm_increaseTime", [900]);
    await rpc(node.url, "evm_mine");

    const indexer = await launchIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      port: await freePort(),
      pgliteDir: path.join(work, "pglite"),
      schema: `web_${Date.now()}`,
    });
    stops.push(() => indexer.stop());
    // Up to 5 minutes: on a machine as loaded as a shared CI runner, PGlite alone may take a minute to open.
    await waitReady(indexer, indexer.url, 300_000);
    await waitForIndexedBlock(indexer.url, paid.blockNumber, 120_000);
    const api = new TributaryApi(indexer.url);
    await api.uploadLeafFile(epochPoolId, 1, leafFile.bytes);
    await api.uploadLeafFile(second.poolId, 1, second.leafFile.bytes);

    const config: WebConfig = { apiUrl: indexer.url, rpcUrl: node.url, chainId: 31337, deployment };
    const web = await serveWeb({ config });
    stops.push(() => web.stop());
    const serveWith = async (overrides: Partial<WebConfig>) => {
      const other = await serveWeb({ config: { ...config, ...overrides } });
      stops.push(() => other.stop());
      return other;
    };
    return {
      node,
      indexer,
      web,
      config,
      deployment,
      network,
      as,
      poolId: pool.poolId,
      prompt,
      epochPoolId,
      token,
      secondEpoch: second,
      serveWith,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
