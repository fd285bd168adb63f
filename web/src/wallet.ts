// Browser wallets: found through EIP-6963 (each installed wallet announces itself; mipd keeps the list), used
// through EIP-1193 (`request` and events). The SDK signs and sends through the wallet with viem's custom transport;
// reads go to the node of config.json, so a page works the same whichever wallet is connected.
import { createStore, type EIP6963ProviderDetail, type EIP1193Provider } from "mipd";
import { custom, numberToHex, type Address } from "viem";

import { withAccount, type TributaryClient } from "../../sdk/index.ts";

export type WalletDetail = EIP6963ProviderDetail;
export type { EIP1193Provider };

/** The wallets announced so far, and a subscription to the list as more announce themselves. */
export const walletStore = typeof window === "undefined" ? undefined : createStore();

export interface ConnectedWallet {
  detail: WalletDetail;
  account: Address;
  /** The chain the wallet is on now. */
  chainId: number;
}

/** An error a wallet returned: EIP-1193 gives it a numeric `code` (4001: the user rejected the request). */
export function walletErrorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "number" ? code : undefined;
}

/** Asks the wallet for its accounts (the wallet may ask its owner) and reads its chain. */
export async function connectWallet(detail: WalletDetail): Promise<ConnectedWallet> {
  const accounts = (await detail.provider.request({ method: "eth_requestAccounts" })) as Address[];
  const account = accounts[0];
  if (!account) throw new Error(`${detail.info.name} gave no account`);
  const chainId = Number(await detail.provider.request({ method: "eth_chainId" }));
  return { detail, account, chainId };
}

/** Asks the wallet to switch to `chainId`; a wallet that does not know the chain is asked to add it first. */
export async function switchChain(provider: EIP1193Provider, chainId: number, rpcUrl: string): Promise<void> {
  const hex = numberToHex(chainId);
  try {
    await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: hex }] });
  } catch (error) {
    // 4902: the wallet does not know the chain.
    if (walletErrorCode(error) !== 4902) throw error;
    await provider.request({
      method: "wallet_addEthereumChain",
      params: [
        {
          chainId: hex,
          chainName: chainId === 31337 ? "Local (Hardhat)" : `Chain ${chainId}`,
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
          rpcUrls: [rpcUrl],
        },
      ],
    });
  }
}

/** The read client signing through the wallet's account. */
export function signingClient(network: TributaryClient, wallet: ConnectedWallet): TributaryClient {
  return withAccount(network, wallet.account, custom(wallet.detail.provider, { retryCount: 0 }));
}
