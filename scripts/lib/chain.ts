// viem clients for a local node whose accounts are unlocked (Hardhat's default accounts).
import { createPublicClient, createWalletClient, defineChain, http, parseAbi, type Abi, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";

/** The contribution kinds in the contract's order. */
export const KIND = { prompt: 0, correction: 1, feedback: 2, dataset: 3, modelOutput: 4, other: 5 } as const;

/** `timeoutMs`: how long a request may take (viem's default, 10 s, unless given; a loaded machine's node may need more). */
export function localClients(rpcUrl: string, chainId = 31337, timeoutMs?: number) {
  const chain = defineChain({
    id: chainId,
    name: "Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
  return {
    chain,
    publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
    walletClient: createWalletClient({ chain, transport }),
  };
}

export type LocalClients = ReturnType<typeof localClients>;

/** Registers `contributionId` from the unlocked `author` account and returns the mined receipt. */
export async function registerContribution(
  clients: LocalClients,
  registry: Hex,
  author: Hex,
  contributionId: Hex,
  kind: number,
  uri: string,
) {
  const hash = await clients.walletClient.writeContract({
    address: registry,
    abi: authorshipRegistryAbi,
    functionName: "register",
    args: [contributionId, kind, uri],
    account: author,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error(`register(${contributionId}) reverted in ${hash}`);
  return receipt;
}

/**
 * Deploys contracts/demo/DemoToken.sol (an ERC-20 anyone can mint; demo and tests only) from the unlocked `from`
 * account, and returns its address. Needs the contracts compiled (`hardhat build --no-tests`).
 */
export async function deployDemoToken(
  clients: LocalClients,
  from: Hex,
  { name = "Demo Dollar", symbol = "dUSD", decimals = 6 }: { name?: string; symbol?: string; decimals?: number } = {},
): Promise<Hex> {
  const { readFile } = await import("node:fs/promises");
  const path = await import("node:path");
  const artifactFile = path.join(
    import.meta.dirname,
    "..",
    "..",
    "artifacts",
    "contracts",
    "demo",
    "DemoToken.sol",
    "DemoToken.json",
  );
  const artifact = JSON.parse(await readFile(artifactFile, "utf8")) as { abi: Abi; bytecode: Hex };
  const hash = await clients.walletClient.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [name, symbol, decimals],
    account: from,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== "success" || !receipt.contractAddress)
    throw new Error(`deploying DemoToken failed in ${hash}`);
  return receipt.contractAddress;
}

/** Mints DemoToken `amount` (smallest units) to `to`, sent from the unlocked `from` account. */
export async function mintDemoToken(clients: LocalClients, token: Hex, from: Hex, to: Hex, amount: bigint) {
  const hash = await clients.walletClient.writeContract({
    address: token,
    abi: parseAbi(["function mint(address to, uint256 amount)"]),
    functionName: "mint",
    args: [to, amount],
    account: from,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error(`minting DemoToken failed in ${hash}`);
  return receipt;
}
