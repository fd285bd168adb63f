// Funding an epoch pool: anyone pays into it, in ETH or the pool's ERC-20; what arrives, net of the vault's protocol
// fee, is what the pool's roots may attribute.
import { encodeFunctionData, parseEventLogs } from "viem";
import { readContract } from "viem/actions";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireAccount, requireEpochs, requireVault, type TributaryClient } from "../../client.ts";
import { attempt, contractError } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { send, type TransactionResult } from "../../prepare.ts";
import { ETH, getTokenInfo, type TokenInfo } from "../../tokens.ts";
import { approveIfShort } from "../internal.ts";
import { getEpochPool, epochsRequest } from "./pool.ts";

/** The protocol fee every funding pays now, in basis points (the vault's, capped at 500 as the contract caps it). */
export async function getEpochFeeBps(client: TributaryClient): Promise<{ feeBps: number; paused: boolean }> {
  const config = await attempt(() =>
    readContract(client.publicClient, { address: requireVault(client), abi: royaltyVaultAbi, functionName: "config" }),
  );
  return { feeBps: Math.min(Number(config.feeBps), 500), paused: config.paused };
}

/** What a funding of `amount` adds to a pool's funded total under `feeBps` (the contract's rounding). */
export function netOfFee(amount: bigint, feeBps: number): bigint {
  return amount - (amount * BigInt(feeBps)) / 10_000n;
}

export interface FundEpochPoolParameters {
  poolId: bigint;
  /** In the token's smallest unit. */
  amount: bigint;
}

export interface FundEpochPoolReturnType extends TransactionResult {
  poolId: bigint;
  token: TokenInfo;
  amount: bigint;
  /** What arrived, the protocol fee taken from it, and the pool's funded total after it (EpochPoolFunded). */
  received: bigint;
  fee: bigint;
  funded: bigint;
  /** The approval sent first for an ERC-20 whose allowance was too small. */
  approval: TransactionResult | undefined;
}

/**
 * Pays into an epoch pool: ETH as the transaction's value, or an ERC-20 by approving the contract (when the allowance
 * is short) and then funding. Everything the funding would revert on that can be read (the pool, the pause, the
 * amount, the balance) is checked before the approval is sent.
 */
export async function fundEpochPool(
  client: TributaryClient,
  parameters: FundEpochPoolParameters,
): Promise<FundEpochPoolReturnType> {
  requireAccount(client);
  const { poolId, amount } = parameters;
  if (amount <= 0n) throw new InvalidInputError("amount", "the amount is zero", "give a positive `amount`");
  const epochs = requireEpochs(client);
  const pool = await getEpochPool(client, poolId);
  if (pool.closed) throw contractError("AttributionEpochs_PoolClosed", { poolId });
  if ((await getEpochFeeBps(client)).paused) throw contractError("AttributionEpochs_Paused");
  const token = await getTokenInfo(client, pool.token);
  const request = epochsRequest(
    client,
    encodeFunctionData({ abi: attributionEpochsAbi, functionName: "fund", args: [poolId, amount] }),
  );
  const funded = (logs: Parameters<typeof parseEventLogs>[0]["logs"]) => {
    const [event] = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "EpochPoolFunded" });
    return { received: event?.args.amountReceived ?? 0n, fee: event?.args.fee ?? 0n, funded: event?.args.funded ?? 0n };
  };
  const result = { poolId, token, amount };
  if (token.address === ETH) {
    const { transaction, logs } = await send(
      client,
      { ...request, value: amount },
      { funds: { what: "ETH for the amount and gas", hint: "fund the account or give a smaller `amount`" } },
    );
    return { ...result, ...funded(logs), approval: undefined, ...transaction };
  }
  // The approval is for exactly this funding.
  const approval = await approveIfShort(client, {
    token,
    spender: epochs,
    amount,
    what: `fund epoch pool ${poolId}`,
    verb: "fund",
  });
  const { transaction, logs } = await send(client, request);
  return { ...result, ...funded(logs), approval, ...transaction };
}
