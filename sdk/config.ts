// The Node entry's configuration: options first, then the environment, validated with errors that name the
// parameter at fault; and the deployments folder, read for the node's chain at `connect`.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { parseDeployment, type Deployment } from "./deployment.ts";
import { ConfigError, WrongNetworkError } from "./errors.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

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
  chainId: number | undefined;
  deploymentsDir: string;
  fastForward: boolean;
}

function validUrl(value: string, what: string, parameter: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
    return value.replace(/\/+$/, "");
  } catch {
    throw new ConfigError(`${what} "${value}" is not an http(s) URL`, `give an http(s) URL as \`${parameter}\``, {
      parameter,
    });
  }
}

/** Reads and validates the configuration without touching the network. */
export function resolveConfig(options: ConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const rpcUrl = validUrl(options.rpcUrl ?? env.TRIBUTARY_RPC_URL ?? DEFAULT_RPC_URL, "the RPC URL", "rpcUrl");
  const api = options.apiUrl ?? env.TRIBUTARY_API_URL;
  const apiUrl = api ? validUrl(api, "the API URL", "apiUrl") : undefined;
  const rawChain = options.chainId ?? env.TRIBUTARY_CHAIN_ID;
  let chainId: number | undefined;
  if (rawChain !== undefined && rawChain !== "") {
    chainId = Number(rawChain);
    if (!Number.isSafeInteger(chainId) || chainId <= 0) {
      throw new ConfigError(`the chain id "${rawChain}" is not a positive whole number`, "give one like 31337", {
        parameter: "chainId",
      });
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
      { parameter: "fastForward" },
    );
  }
  const fastForward = options.fastForward ?? (rawFastForward === "true" || rawFastForward === "1");
  return { rpcUrl, apiUrl, chainId, deploymentsDir, fastForward };
}

/** Reads and validates `<deploymentsDir>/<chainId>.json`. */
export async function readDeployment(deploymentsDir: string, chainId: number): Promise<Deployment> {
  const file = path.join(deploymentsDir, `${chainId}.json`);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new WrongNetworkError(
      `Tributary is not deployed on chain ${chainId} (no ${file})`,
      "connect to a network where it is deployed, or give another `deploymentsDir`",
      { parameter: "deploymentsDir" },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`the deployment file ${file} is not JSON`, "redeploy, or restore it from version control", {
      parameter: "deploymentsDir",
    });
  }
  const deployment = parseDeployment(json, `the deployment file ${file}`);
  if (deployment.chainId !== chainId) {
    throw new ConfigError(`the deployment file ${file} is for chain ${deployment.chainId}`, "restore the right file", {
      parameter: "deploymentsDir",
    });
  }
  return deployment;
}

/** `connect`'s `deployment` from a folder of `<chainId>.json` files: the one of the node's chain. */
export function deploymentsFolder(deploymentsDir: string): (chainId: number) => Promise<Deployment> {
  return (chainId) => readDeployment(deploymentsDir, chainId);
}
