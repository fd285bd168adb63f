// Deferred payouts: what a claim could not transfer (a wallet refusing ETH, a blocklisted recipient) is credited
// in the vault to the contribution's author, who withdraws it to any wallet.
import { encodeFunctionData, parseEventLogs, type Address, type Log } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireAccount, requireVault, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { parseAddress, parseToken } from "../../parse.ts";
import { send, type TransactionResult } from "../../prepare.ts";

/** A wallet's deferred payouts of a token (ETH: the zero address), in the token's smallest unit. */
export async function getDeferred(client: TributaryClient, account: Address, token: Address): Promise<bigint> {
  const args = [parseAddress(account, "account"), parseToken(token, "token")] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireVault(client),
      abi: royaltyVaultAbi,
      functionName: "deferredOf",
      args,
    }),
  );
}

export interface WithdrawDeferredParameters {
  /** The token; ETH is the zero address. */
  token: Address;
  /** Who is paid; default the account. */
  to?: Address;
}

export interface WithdrawDeferredReturnType extends TransactionResult {
  token: Address;
  /** The account whose credit is withdrawn. */
  account: Address;
  to: Address;
  /** What was withdrawn, in the token's smallest unit (from the DeferredWithdrawn event). */
  amount: bigint;
  /** The account's deferred payouts of the token before and after the withdrawal. */
  deferredBefore: bigint;
  deferredAfter: bigint;
}

/**
 * Withdraws the account's deferred payouts of a token. Nothing deferred is Payouts_NoDeferred, and nothing is
 * sent. Unlike a claim's payout, this transfer forwards all gas and a failure reverts (Payouts_EthTransferFailed,
 * Payouts_TokenTransferFailed): name another wallet as `to`.
 */
export async function withdrawDeferred(
  client: TributaryClient,
  parameters: WithdrawDeferredParameters,
): Promise<WithdrawDeferredReturnType> {
  return withdrawDeferredFrom(client, parameters, {
    address: requireVault(client),
    deferredOf: (account, token) => getDeferred(client, account, token),
    withdrawn: (logs) => parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "DeferredWithdrawn" })[0]?.args.amount,
  });
}

/** A contract that credits failed payouts to their author: the vault, or AttributionEpochs. */
export interface DeferredHolder {
  address: Address;
  deferredOf: (account: Address, token: Address) => Promise<bigint>;
  /** The amount its DeferredWithdrawn event states. */
  withdrawn: (logs: Log[]) => bigint | undefined;
}

/**
 * The withdrawal both contracts take alike: `withdrawDeferred(token, to)` (one signature in both ABIs), the credit
 * read before and after.
 */
export async function withdrawDeferredFrom(
  client: TributaryClient,
  parameters: WithdrawDeferredParameters,
  holder: DeferredHolder,
): Promise<WithdrawDeferredReturnType> {
  const { account } = requireAccount(client);
  const token = parseToken(parameters.token, "token");
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const deferredBefore = await holder.deferredOf(account.address, token);
  const { transaction, logs } = await send(client, {
    to: holder.address,
    data: encodeFunctionData({ abi: royaltyVaultAbi, functionName: "withdrawDeferred", args: [token, to] }),
  });
  return {
    ...transaction,
    token,
    account: account.address,
    to,
    amount: holder.withdrawn(logs) ?? 0n,
    deferredBefore,
    deferredAfter: await holder.deferredOf(account.address, token),
  };
}
