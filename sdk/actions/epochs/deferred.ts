// What an epoch pool owes beyond claims: payouts whose transfer failed, credited in the contract to the author, who
// withdraws them to any wallet; and what is left unclaimed, which the pool's admin may take back under the policy
// fixed at the pool's creation (closing the pool).
import { encodeFunctionData, parseEventLogs, type Address } from "viem";
import { readContract } from "viem/actions";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { requireAccount, requireEpochs, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { parseAddress, parseToken } from "../../parse.ts";
import { send, type TransactionResult } from "../../prepare.ts";
import {
  withdrawDeferredFrom,
  type WithdrawDeferredParameters,
  type WithdrawDeferredReturnType,
} from "../vault/deferred.ts";
import { epochsRequest } from "./pool.ts";

/** A wallet's deferred payouts of a token from epoch pools (ETH: the zero address), in the token's smallest unit. */
export async function getEpochDeferred(client: TributaryClient, account: Address, token: Address): Promise<bigint> {
  const args = [parseAddress(account, "account"), parseToken(token, "token")] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "deferredOf",
      args,
    }),
  );
}

/**
 * Withdraws the account's deferred payouts of a token from epoch pools. Nothing deferred is Payouts_NoDeferred,
 * and nothing is sent. This transfer forwards all gas and a failure reverts: name another wallet as `to`.
 */
export function withdrawEpochDeferred(
  client: TributaryClient,
  parameters: WithdrawDeferredParameters,
): Promise<WithdrawDeferredReturnType> {
  return withdrawDeferredFrom(client, parameters, {
    address: requireEpochs(client),
    deferredOf: (account, token) => getEpochDeferred(client, account, token),
    withdrawn: (logs) =>
      parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "DeferredWithdrawn" })[0]?.args.amount,
  });
}

export interface ReclaimUnclaimedParameters {
  poolId: bigint;
  /** Who is paid; default the account. */
  to?: Address;
}

export interface ReclaimUnclaimedReturnType extends TransactionResult {
  poolId: bigint;
  to: Address;
  /** What was unclaimed, in the token's smallest unit (UnclaimedReclaimed). */
  amount: bigint;
}

/**
 * Takes back what is unclaimed in an epoch pool, as its admin, once its reclaim delay has passed since the last
 * publication; closes the pool for good. ReclaimDisabled for a pool opened with no delay, ReclaimTooEarly before.
 */
export async function reclaimUnclaimed(
  client: TributaryClient,
  parameters: ReclaimUnclaimedParameters,
): Promise<ReclaimUnclaimedReturnType> {
  const { account } = requireAccount(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const { transaction, logs } = await send(
    client,
    epochsRequest(
      client,
      encodeFunctionData({
        abi: attributionEpochsAbi,
        functionName: "reclaimUnclaimed",
        args: [parameters.poolId, to],
      }),
    ),
  );
  const [reclaimed] = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "UnclaimedReclaimed" });
  return { poolId: parameters.poolId, to, amount: reclaimed?.args.amount ?? 0n, ...transaction };
}
