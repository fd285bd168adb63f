// The one client every action takes: created by `connect`, which checks the node's chain, finds the deployment
// for it and resolves the protocol's addresses once (the registry, the vault, the attribution epochs, a cache of token
// metadata). Reads go
// through a viem client on `transport`; writes through the account: a local account (a key, a keystore) signing
// for the same node, or a browser wallet's account through `walletTransport` (viem's custom(window.ethereum)).
import {
  createClient,
  defineChain,
  http,
  type Account,
  type Address,
  type Chain,
  type Client,
  type Transport,
} from "viem";
import { getChainId, getCode } from "viem/actions";
import { parseAccount } from "viem/accounts";

import type { Deployment } from "./deployment.ts";
import { ConfigError, KeyError, UnreachableError, WrongNetworkError } from "./errors.ts";
import { parseAddress } from "./parse.ts";
import type { TokenInfo } from "./tokens.ts";

/** The local Hardhat chain, the only one whose clock the SDK may move (`fastForward`). */
export const LOCAL_CHAIN_ID = 31337;

export interface ConnectParameters {
  /** The node's JSON-RPC URL, read with viem's http transport. Give it or `transport`. */
  rpcUrl?: string;
  /** A viem transport to read with (http, webSocket, fallback, custom); default http(rpcUrl). */
  transport?: Transport;
  /** The chain the caller means to use: when given, a node on another chain is a WrongNetworkError. */
  chainId?: number;
  /**
   * The protocol's deployment on the node's chain, or how to find it from the chain id (the Node entry's
   * `deploymentsFolder(dir)`; a web page fetching deployments/<chainId>.json).
   */
  deployment: Deployment | ((chainId: number) => Deployment | Promise<Deployment>);
  /**
   * The account that signs and pays: a local account (viem's privateKeyToAccount, the Node entry's loadAccount),
   * or the address of a wallet's account, which then signs through `walletTransport`. None: reads only.
   */
  account?: Account | Address;
  /** The transport that signs and sends for a wallet's account (custom(window.ethereum)); default the node's. */
  walletTransport?: Transport;
  /** How often to poll for receipts and blocks, in milliseconds; default 50 on the local chain, else 1000. */
  pollingInterval?: number;
}

/** A connected network: the node's chain, the protocol's addresses on it and, for writes, the account. */
export interface TributaryClient {
  chainId: number;
  chain: Chain;
  /** The node's URL when one was given (for messages). */
  rpcUrl: string | undefined;
  /** The transport reads go through. */
  transport: Transport;
  /** viem's client on the node, for reads (viem/actions take it). */
  publicClient: Client<Transport, Chain>;
  /** The account's client, for signing and sending; undefined when connected without an account. */
  walletClient: Client<Transport, Chain, Account> | undefined;
  account: Account | undefined;
  deployment: Deployment;
  /** The AuthorshipRegistry, checked to have code. */
  registry: Address;
  /** The RoyaltyVault, checked to have code; undefined when the deployment has none. */
  vault: Address | undefined;
  /** The AttributionEpochs contract, checked to have code; undefined when the deployment has none. */
  epochs: Address | undefined;
  /** Token metadata read so far, by lower-case address (getTokenInfo). */
  tokens: Map<Address, TokenInfo>;
}

/** A chain with no more than viem needs: its id, ETH as its currency, the node's URL. */
export function chainFor(chainId: number, rpcUrl?: string): Chain {
  return defineChain({
    id: chainId,
    name: chainId === LOCAL_CHAIN_ID ? "Local" : `Chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: rpcUrl ? [rpcUrl] : [] } },
  });
}

async function hasCode(client: Client<Transport, Chain>, address: Address): Promise<boolean> {
  const code = await getCode(client, { address }).catch((error: unknown) => {
    throw new UnreachableError("the node did not answer", "check that it is running at `rpcUrl`", {
      cause: error,
      parameter: "rpcUrl",
    });
  });
  return code !== undefined && code !== "0x";
}

/**
 * Connects to the node, checks its chain id against `chainId`, finds the deployment for that chain and checks that
 * its contracts have code there. Throws UnreachableError, WrongNetworkError or ConfigError otherwise.
 */
export async function connect(parameters: ConnectParameters): Promise<TributaryClient> {
  const { rpcUrl } = parameters;
  if (!rpcUrl && !parameters.transport) {
    throw new UnreachableError("no node to connect to", "give `rpcUrl` or `transport`", { parameter: "rpcUrl" });
  }
  const where = rpcUrl ? `at ${rpcUrl}` : "on the given transport";
  const probe = createClient({ transport: parameters.transport ?? http(rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await getChainId(probe);
  } catch (error) {
    throw new UnreachableError(
      `no node answers ${where}`,
      "start one (`npm start` runs a local one) or give another `rpcUrl`",
      {
        cause: error,
        parameter: "rpcUrl",
      },
    );
  }
  if (parameters.chainId !== undefined && parameters.chainId !== chainId) {
    throw new WrongNetworkError(
      `the node ${where} is on chain ${chainId}, not chain ${parameters.chainId}`,
      `give the \`rpcUrl\` of a node on chain ${parameters.chainId}, or change \`chainId\``,
      { parameter: "chainId" },
    );
  }
  const deployment =
    typeof parameters.deployment === "function" ? await parameters.deployment(chainId) : parameters.deployment;
  if (deployment.chainId !== chainId) {
    throw new WrongNetworkError(
      `the deployment given is for chain ${deployment.chainId}, and the node ${where} is on chain ${chainId}`,
      "give the deployment of the node's chain",
      { parameter: "deployment" },
    );
  }
  const chain = chainFor(chainId, rpcUrl);
  const transport = parameters.transport ?? http(rpcUrl, { retryCount: 1 });
  const publicClient = createClient({
    chain,
    transport,
    pollingInterval: parameters.pollingInterval ?? (chainId === LOCAL_CHAIN_ID ? 50 : 1_000),
  });
  const registry = deployment.contracts.AuthorshipRegistry.address;
  const vault = deployment.contracts.RoyaltyVault?.address;
  const epochs = deployment.contracts.AttributionEpochs?.address;
  const [registryHasCode, vaultHasCode, epochsHaveCode] = await Promise.all([
    hasCode(publicClient, registry),
    vault ? hasCode(publicClient, vault) : true,
    epochs ? hasCode(publicClient, epochs) : true,
  ]);
  for (const [name, address, found] of [
    ["AuthorshipRegistry", registry, registryHasCode],
    ["RoyaltyVault", vault, vaultHasCode],
    ["AttributionEpochs", epochs, epochsHaveCode],
  ] as const) {
    if (!found) {
      throw new WrongNetworkError(
        `no ${name} at ${address} on chain ${chainId}: the deployment file does not match this node`,
        "redeploy (`npm run deploy`) or connect to the node it was deployed to",
        { parameter: "deployment" },
      );
    }
  }
  const connected: TributaryClient = {
    chainId,
    chain,
    rpcUrl,
    transport,
    publicClient,
    walletClient: undefined,
    account: undefined,
    deployment,
    registry,
    vault,
    epochs,
    tokens: new Map(),
  };
  return parameters.account
    ? withAccount(connected, parameters.account, parameters.walletTransport ?? parameters.transport)
    : connected;
}

/**
 * The same connection signing with another account (several users of one script, a wallet that switched
 * accounts): nothing is read again. `walletTransport` as in `connect`; default the node's URL.
 */
export function withAccount(
  client: TributaryClient,
  account: Account | Address,
  walletTransport?: Transport,
): TributaryClient {
  const signer = typeof account === "string" ? parseAccount(parseAddress(account, "account")) : account;
  const transport = walletTransport ?? (client.rpcUrl ? http(client.rpcUrl, { retryCount: 0 }) : client.transport);
  const walletClient = createClient({
    account: signer,
    chain: client.chain,
    transport,
    pollingInterval: client.publicClient.pollingInterval,
  });
  return { ...client, account: signer, walletClient };
}

/** The account and its client; KeyError when the client was connected without one. */
export function requireAccount(client: TributaryClient): {
  account: Account;
  walletClient: Client<Transport, Chain, Account>;
} {
  if (!client.account || !client.walletClient) {
    throw new KeyError("no key is configured to sign with", "connect with an `account` to send transactions", {
      parameter: "account",
    });
  }
  return { account: client.account, walletClient: client.walletClient };
}

/** The vault's address; WrongNetworkError when the deployment has no RoyaltyVault. */
export function requireVault(client: TributaryClient): Address {
  if (client.vault === undefined) {
    throw new WrongNetworkError(
      `the deployment of chain ${client.chainId} has no RoyaltyVault`,
      "redeploy (`npm run deploy`) so that the deployment lists it",
      { parameter: "deployment" },
    );
  }
  return client.vault;
}

/** The AttributionEpochs contract's address; ConfigError when the deployment lists none. */
export function requireEpochs(client: TributaryClient): Address {
  if (client.epochs === undefined) {
    throw new ConfigError(
      `the deployment of chain ${client.chainId} has no AttributionEpochs contract`,
      "deploy it (`npm run deploy` deploys it beside the vault) so that the deployment lists it",
      { parameter: "deployment" },
    );
  }
  return client.epochs;
}
