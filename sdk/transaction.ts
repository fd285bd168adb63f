// The one path every write of the SDK takes: simulate (a revert becomes a named ContractRevertError and nothing is
// sent), estimate its gas, check what the account pays against its balance, and only then send and wait for the
// receipt. The registry's and the vault's actions both go through `prepare`.
import type { Abi, Account, Address, Hex, WalletClient } from "viem";

import type { Network } from "./config.ts";
import {
  InsufficientFundsError,
  KeyError,
  TributaryError,
  toTributaryError,
  type InsufficientFundsDetails,
} from "./errors.ts";

/** A network plus, for writes, the account that signs and pays. */
export interface TributaryClient {
  network: Network;
  account: Account | undefined;
  walletClient: WalletClient | undefined;
}

/** What every write returns once its transaction is mined. */
export interface TransactionResult {
  transactionHash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  from: Address;
}

export function requireSigner(client: TributaryClient): { account: Account; walletClient: WalletClient } {
  if (!client.account || !client.walletClient) {
    throw new KeyError(
      "this action sends a transaction and no key is configured",
      "pass --keystore or set TRIBUTARY_PRIVATE_KEY",
    );
  }
  return { account: client.account, walletClient: client.walletClient };
}

export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  /** Wei sent with the call. */
  value?: bigint;
}

/** A simulated call, ready to send: nothing is sent until `send` is called. */
export interface PreparedCall<T> {
  /** What the simulation returned. */
  result: T;
  /** The gas estimated for it. */
  gas: bigint;
  send: () => Promise<TransactionResult>;
}

export interface PrepareOptions {
  /**
   * Gas of transactions that must follow this one (a reveal after its commit), counted in the balance check so that
   * the first is not sent when the account cannot pay for the whole sequence.
   */
  laterGas?: bigint;
  /** The wording of an InsufficientFundsError. */
  funds?: InsufficientFundsDetails;
}

/** Simulates a call from the signing account and returns what it would return; sends nothing. */
export async function simulate<T>(client: TributaryClient, call: ContractCall, from?: Address): Promise<T> {
  const account = from ?? requireSigner(client).account;
  try {
    const { result } = (await client.network.publicClient.simulateContract({ ...call, account } as never)) as {
      result: T;
    };
    return result;
  } catch (error) {
    throw toTributaryError(error);
  }
}

/** Estimates a call's gas from `from` (default the signing account) without sending it. */
export async function estimateGas(client: TributaryClient, call: ContractCall, from?: Address): Promise<bigint> {
  const account = from ?? requireSigner(client).account;
  try {
    return await client.network.publicClient.estimateContractGas({ ...call, account } as never);
  } catch (error) {
    throw toTributaryError(error);
  }
}

/**
 * Simulates a call and checks that the account can pay its gas (plus `laterGas`) and `value`; returns the simulated
 * result and a `send` that sends it and waits for the receipt. A caller can prepare several calls and send none of
 * them if one fails.
 */
export async function prepare<T>(
  client: TributaryClient,
  call: ContractCall,
  options: PrepareOptions = {},
): Promise<PreparedCall<T>> {
  const { account, walletClient } = requireSigner(client);
  const { publicClient, chain } = client.network;
  const request = { ...call, account } as never;
  try {
    const { result } = (await publicClient.simulateContract(request)) as unknown as { result: T };
    const gas = await publicClient.estimateContractGas(request);
    const fees = await publicClient.estimateFeesPerGas();
    const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
    const balance = await publicClient.getBalance({ address: account.address });
    const needed = (gas + (options.laterGas ?? 0n)) * price + (call.value ?? 0n);
    if (balance < needed) throw new InsufficientFundsError(account.address, balance, needed, options.funds);
    return {
      result,
      gas,
      send: async () => {
        try {
          // Gas is estimated again against the chain as it is now: an earlier transaction may have changed what
          // this one costs.
          const gasNow = await publicClient.estimateContractGas(request);
          const hash = await walletClient.writeContract({ ...call, account, gas: gasNow, chain } as never);
          const receipt = await publicClient.waitForTransactionReceipt({ hash });
          if (receipt.status !== "success") {
            throw new TributaryError(
              "REVERTED",
              `the transaction ${hash} reverted on-chain`,
              "look it up on the node and retry",
            );
          }
          return {
            transactionHash: hash,
            blockNumber: receipt.blockNumber,
            gasUsed: receipt.gasUsed,
            from: account.address,
          };
        } catch (error) {
          throw toTributaryError(error);
        }
      },
    };
  } catch (error) {
    throw toTributaryError(error);
  }
}
