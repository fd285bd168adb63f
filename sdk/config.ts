// The one place configuration comes from: explicit options first, then the environment, validated with errors a
// user can act on. The network is checked against the node (chain id, contract code) before anything is sent.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { createPublicClient, defineChain, http, type Chain, type Hex, type PublicClient } from "viem";

import { ConfigError, UnreachableError, WrongNetworkError } from "./errors.ts";
import { parseAddress } from "./parse.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** Where one contract of a deployment lives and the first block the indexer reads. */
export interface DeployedContract {
  address: Hex;
  startBlock: number;
}

/** deployments/<chainId>.json. Contracts beyond the registry (the vault) are optional until they are deployed. */
export interface Deployment {
  chainId: number;
  deployedAt: string;
  contracts: { AuthorshipRegistry: DeployedContract } & Partial<Record<string, DeployedContract>>;
}

export interface ConfigOptions {
  /** JSON-RPC URL of the node; default TRIBUTARY_RPC_URL, then http://127.0.0.1:8545. */
  rpcUrl?: string;
  /** Base URL of the indexer's API; default TRIBUTARY_API_URL. */
  apiUrl?: string;
  /** The chain the user means to use; default TRIBUTARY_CHAIN_ID. When set, the node must be on it. */
  chainId?: number | string;
  /** Folder of deployment files; default TRIBUTARY_DEPLOYMENTS_DIR, then the repository's deployments/. */
  deploymentsDir?: string;
  /**
   * On the local Hardhat chain only: move the node's clock to a reveal instead of waiting for it (tests, demos);
   * default TRIBUTARY_FAST_FORWARD ("true" or "1"). Refused on any other chain when a wait comes.
   */
  fastForward?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedConfig {
  rpcUrl: string;
  apiUrl: string | undefined;
  expectedChainId: number | undefined;
  deploymentsDir: string;
  fastForward: boolean;
}

function validUrl(value: string, what: string, flag: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return value.replace(/\/+$/, "");
  } catch {
    throw new ConfigError(`${what} "${value}" is not an http(s) URL`, `give one with ${flag}`);
  }
}

/** Reads and validates the configuration without touching the network. */
export function resolveConfig(options: ConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const rpcUrl = validUrl(
    options.rpcUrl ?? env.TRIBUTARY_RPC_URL ?? DEFAULT_RPC_URL,
    "the RPC URL",
    "--rpc or TRIBUTARY_RPC_URL",
  );
  const api = options.apiUrl ?? env.TRIBUTARY_API_URL;
  const apiUrl = api ? validUrl(api, "the API URL", "--api or TRIBUTARY_API_URL") : undefined;
  const rawChain = options.chainId ?? env.TRIBUTARY_CHAIN_ID;
  let expectedChainId: number | undefined;
  if (rawChain !== undefined && rawChain !== "") {
    expectedChainId = Number(rawChain);
    if (!Number.isSafeInteger(expectedChainId) || expectedChainId <= 0) {
      throw new ConfigError(
        `the chain id "${rawChain}" is not a positive whole number`,
        "give one like 31337 with --chain-id",
      );
    }
  }
  const deploymentsDir = path.resolve(
    options.deploymentsDir ?? env.TRIBUTARY_DEPLOYMENTS_DIR ?? path.join(ROOT, "deployments"),
  );
  const rawFastForward = (env.TRIBUTARY_FAST_FORWARD ?? "").trim().toLowerCase();
  if (!["", "true", "1", "false", "0"].includes(rawFastForward)) {
    throw new ConfigError(
      `TRIBUTARY_FAST_FORWARD "${env.TRIBUTARY_FAST_FORWARD}" is neither true nor false`,
      "set it to true (local Hardhat node only) or leave it unset",
    );
  }
  const fastForward = options.fastForward ?? (rawFastForward === "true" || rawFastForward === "1");
  return { rpcUrl, apiUrl, expectedChainId, deploymentsDir, fastForward };
}

/** Reads `<dir>/<chainId>.json`. */
export async function readDeployment(deploymentsDir: string, chainId: number): Promise<Deployment> {
  const file = path.join(deploymentsDir, `${chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new WrongNetworkError(
      `Tributary is not deployed on chain ${chainId} (no ${file})`,
      "point --rpc at a network where it is deployed, or set TRIBUTARY_DEPLOYMENTS_DIR",
    );
  }
  let parsed: Deployment;
  try {
    parsed = JSON.parse(text) as Deployment;
    parseAddress(parsed.contracts.AuthorshipRegistry.address, "AuthorshipRegistry");
  } catch {
    throw new ConfigError(`the deployment file ${file} is malformed`, "redeploy, or restore it from version control");
  }
  if (parsed.chainId !== chainId) {
    throw new ConfigError(`the deployment file ${file} is for chain ${parsed.chainId}`, "restore the right file");
  }
  return parsed;
}

export function chainFor(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? "Local" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/** A connected network: the node's chain, a public client, and the protocol's deployment on it. */
export interface Network {
  chainId: number;
  chain: Chain;
  rpcUrl: string;
  publicClient: PublicClient;
  deployment: Deployment;
  registry: Hex;
}

/**
 * Connects to the node, checks its chain id against the expected one, finds the deployment for that chain and
 * checks that the registry has code there. Throws WrongNetworkError or UnreachableError otherwise.
 */
export async function connect(config: ResolvedConfig): Promise<Network> {
  const probe = createPublicClient({ transport: http(config.rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (error) {
    throw new UnreachableError(
      `no node answers at ${config.rpcUrl}`,
      "start one (npm start) or point --rpc / TRIBUTARY_RPC_URL at one",
      { cause: error },
    );
  }
  if (config.expectedChainId !== undefined && config.expectedChainId !== chainId) {
    throw new WrongNetworkError(
      `the node at ${config.rpcUrl} is on chain ${chainId}, not chain ${config.expectedChainId}`,
      "point --rpc at the right network or change --chain-id",
    );
  }
  const deployment = await readDeployment(config.deploymentsDir, chainId);
  const chain = chainFor(chainId, config.rpcUrl);
  const publicClient = createPublicClient({
    chain,
    transport: http(config.rpcUrl, { retryCount: 1 }),
    pollingInterval: chainId === 31337 ? 50 : 1_000,
  }) as PublicClient;
  const registry = deployment.contracts.AuthorshipRegistry.address;
  const code = await publicClient.getCode({ address: registry });
  if (code === undefined || code === "0x") {
    throw new WrongNetworkError(
      `no AuthorshipRegistry at ${registry} on chain ${chainId}: the deployment file does not match this node`,
      "redeploy (npm run deploy) or point --rpc at the node it was deployed to",
    );
  }
  return { chainId, chain, rpcUrl: config.rpcUrl, publicClient, deployment, registry };
}
