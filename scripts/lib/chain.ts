// viem clients for a local node whose accounts are unlocked (Hardhat's default accounts).
import { createPublicClient, createWalletClient, defineChain, http, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";

/** The contribution kinds in the contract's order. */
export const KIND = { prompt: 0, correction: 1, feedback: 2, dataset: 3, modelOutput: 4, other: 5 } as const;

export function localClients(rpcUrl: string, chainId = 31337) {
  const chain = defineChain({
    id: chainId,
    name: "Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const transport = http(rpcUrl);
  return {
    chain,
    publicClient: createPublicClient({ chain, transport, pollingInterval: 50 }),
    walletClient: createWalletClient({ chain, transport }),
  };
}

export type LocalClients = ReturnType<typeof localClients>;

/** Registers `contentHash` from the unlocked `author` account and returns the mined receipt. */
export async function registerContribution(
  clients: LocalClients,
  registry: Hex,
  author: Hex,
  contentHash: Hex,
  kind: number,
  uri: string,
) {
  const hash = await clients.walletClient.writeContract({
    address: registry,
    abi: authorshipRegistryAbi,
    functionName: "register",
    args: [contentHash, kind, uri],
    account: author,
  });
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error(`register(${contentHash}) reverted in ${hash}`);
  return receipt;
}
