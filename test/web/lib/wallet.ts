/// <reference lib="dom" />
// An injected browser wallet for the tests: an EIP-1193 provider announced through EIP-6963, as a wallet extension
// announces itself, whose every request is answered in Node. Account requests answer the test key's address; signing
// and sending use the key with viem against the local node; `mode: "reject"` answers signing and sending with code
// 4001 (the owner declined), as a wallet does; every other method goes to the node. The wallet's chain is its own
// (`chainId`), so a test can start it on another chain and watch the page ask to switch.
import type { BrowserContext } from "playwright-core";
import { createWalletClient, http, numberToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { chainFor } from "../../../sdk/index.ts";

export interface TestWallet {
  address: Hex;
  /** "reject" answers every signature and transaction with EIP-1193's 4001. */
  mode: "approve" | "reject";
  /** The chain the wallet says it is on; wallet_switchEthereumChain changes it. */
  chainId: number;
  /** Every method the page asked for, in order. */
  requests: string[];
  /** Hashes of the transactions it sent. */
  sent: Hex[];
}

interface Answer {
  result?: unknown;
  error?: { code: number; message: string };
}

const SIGNING = new Set(["eth_sendTransaction", "eth_signTypedData_v4", "personal_sign"]);

export async function injectWallet(
  context: BrowserContext,
  { key, rpcUrl, chainId, nodeChainId = 31337 }: { key: Hex; rpcUrl: string; chainId: number; nodeChainId?: number },
): Promise<TestWallet> {
  const account = privateKeyToAccount(key);
  const client = createWalletClient({ account, chain: chainFor(nodeChainId, rpcUrl), transport: http(rpcUrl) });
  const wallet: TestWallet = { address: account.address, mode: "approve", chainId, requests: [], sent: [] };

  const handle = async (method: string, params: unknown[]): Promise<Answer> => {
    wallet.requests.push(method);
    if (method === "eth_requestAccounts" || method === "eth_accounts") return { result: [account.address] };
    if (method === "eth_chainId") return { result: numberToHex(wallet.chainId) };
    if (method === "wallet_switchEthereumChain") {
      const wanted = Number((params[0] as { chainId: string }).chainId);
      if (wanted !== nodeChainId) return { error: { code: 4902, message: `unknown chain ${wanted}` } };
      wallet.chainId = wanted;
      return { result: null };
    }
    if (SIGNING.has(method)) {
      if (wallet.mode === "reject") return { error: { code: 4001, message: "User rejected the request." } };
      if (wallet.chainId !== nodeChainId) return { error: { code: 4901, message: "the wallet is on another chain" } };
    }
    if (method === "eth_sendTransaction") {
      const tx = params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex };
      const hash = await client.sendTransaction({
        to: tx.to,
        data: tx.data,
        value: tx.value ? BigInt(tx.value) : undefined,
        gas: tx.gas ? BigInt(tx.gas) : undefined,
      });
      wallet.sent.push(hash);
      return { result: hash };
    }
    if (method === "eth_signTypedData_v4") {
      const typed = JSON.parse(params[1] as string) as Parameters<typeof account.signTypedData>[0];
      return { result: await account.signTypedData(typed) };
    }
    if (method === "personal_sign")
      return { result: await account.signMessage({ message: { raw: params[0] as Hex } }) };
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
    return body.error ? { error: body.error } : { result: body.result };
  };

  await context.exposeBinding("__tributaryTestWallet", (_source, method: string, params: unknown[]) =>
    handle(method, params).catch((error: unknown) => ({
      error: { code: -32603, message: (error as Error).message.split("\n")[0]! },
    })),
  );
  await context.addInitScript({ content: `(${pageWallet.toString()})();` });
  return wallet;
}

/** Runs in the page: the EIP-1193 provider over the binding, announced through EIP-6963. */
function pageWallet() {
  const listeners: Record<string, ((...args: unknown[]) => void)[]> = {};
  const emit = (event: string, value: unknown) => (listeners[event] ?? []).forEach((fn) => fn(value));
  const call = (window as unknown as Record<string, (method: string, params: unknown[]) => Promise<Answer>>)
    .__tributaryTestWallet!;
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      const answer = await call(method, params ?? []);
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      if (method === "wallet_switchEthereumChain") emit("chainChanged", (params![0] as { chainId: string }).chainId);
      return answer.result;
    },
    on(event: string, fn: (...args: unknown[]) => void) {
      (listeners[event] ??= []).push(fn);
    },
    removeListener(event: string, fn: (...args: unknown[]) => void) {
      listeners[event] = (listeners[event] ?? []).filter((other) => other !== fn);
    },
  };
  const info = {
    uuid: "5b1d2f7e-8c1a-4f39-9a57-3e8d6c2b9f10",
    name: "Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' fill='%231f6feb'/%3E%3C/svg%3E",
    rdns: "org.tributary.testwallet",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}
