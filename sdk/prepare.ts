// The one path every write of the SDK takes: simulate (a revert becomes a named ContractRevertError and nothing is
// sent), estimate its gas, check what the account pays against its balance, and only then send and wait for the
// receipt. Actions encode their call with viem's typed encodeFunctionData and decode what it returns with
// decodeFunctionResult, so the types run from the ABI to the action's return type.
import type { Address, Hex, Log } from "viem";
import {
  call,
  estimateFeesPerGas,
  estimateGas,
  getBalance,
  sendTransaction,
  waitForTransactionReceipt,
} from "viem/actions";

import { requireAccount, type TributaryClient } from "./client.ts";
import { attempt } from "./contractErrors.ts";
import { InsufficientFundsError, TransactionRevertedError, type InsufficientFundsDetails } from "./errors.ts";

/** A contract call: where, its calldata, and the wei it carries. */
export interface TransactionRequest {
  to: Address;
  data: Hex;
  value?: bigint;
}

/** What every write returns once its transaction is mined. */
export interface TransactionResult {
  transactionHash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  from: Address;
}

/** A mined transaction and its logs (for actions that read what happened from events). */
export interface SentTransaction {
  transaction: TransactionResult;
  logs: Log[];
}

/** A simulated call, ready to send: nothing is sent until `send` is called. */
export interface PreparedTransaction {
  /** What the simulation returned, ABI-encoded (decode it with decodeFunctionResult). */
  returnData: Hex;
  /** The gas estimated for it. */
  gas: bigint;
  send: () => Promise<SentTransaction>;
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

/** Simulates a call from `from` (default the client's account) and returns what it would return; sends nothing. */
export async function simulate(client: TributaryClient, request: TransactionRequest, from?: Address): Promise<Hex> {
  const account = from ?? requireAccount(client).account;
  const { data } = await attempt(() => call(client.publicClient, { ...request, account }));
  return data ?? "0x";
}

/** Estimates a call's gas from `from` (default the client's account) without sending it. */
export async function estimate(client: TributaryClient, request: TransactionRequest, from?: Address): Promise<bigint> {
  const account = from ?? requireAccount(client).account;
  return attempt(() => estimateGas(client.publicClient, { ...request, account }));
}

/**
 * Simulates a call and checks that the account can pay its gas (plus `laterGas`) and `value`; returns what it would
 * return and a `send` that sends it and waits for the receipt. A caller can prepare several calls and send none of
 * them if one fails.
 */
export async function prepare(
  client: TributaryClient,
  request: TransactionRequest,
  options: PrepareOptions = {},
): Promise<PreparedTransaction> {
  const { account, walletClient } = requireAccount(client);
  const returnData = await simulate(client, request, account.address);
  const gas = await estimate(client, request, account.address);
  const [fees, balance] = await attempt(() =>
    Promise.all([
      estimateFeesPerGas(client.publicClient),
      getBalance(client.publicClient, { address: account.address }),
    ]),
  );
  const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const needed = (gas + (options.laterGas ?? 0n)) * price + (request.value ?? 0n);
  if (balance < needed) throw new InsufficientFundsError(account.address, balance, needed, options.funds);
  return {
    returnData,
    gas,
    send: async () => {
      // Gas is estimated again against the chain as it is now: an earlier transaction may have changed what this
      // one costs.
      const gasNow = await estimate(client, request, account.address);
      const hash = await attempt(() =>
        sendTransaction(walletClient, { ...request, account, chain: client.chain, gas: gasNow }),
      );
      const receipt = await attempt(() => waitForTransactionReceipt(client.publicClient, { hash }));
      if (receipt.status !== "success") throw new TransactionRevertedError(hash);
      return {
        transaction: {
          transactionHash: hash,
          blockNumber: receipt.blockNumber,
          gasUsed: receipt.gasUsed,
          from: account.address,
        },
        logs: receipt.logs,
      };
    },
  };
}

/** Prepares and sends at once; returns the mined transaction and its logs. */
export async function send(
  client: TributaryClient,
  request: TransactionRequest,
  options: PrepareOptions = {},
): Promise<SentTransaction> {
  return (await prepare(client, request, options)).send();
}
