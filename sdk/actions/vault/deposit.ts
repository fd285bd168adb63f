// Deposits: anyone pays revenue into a pool, in ETH or the pool's ERC-20.
import { encodeFunctionData } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireAccount, requireVault, type TributaryClient } from "../../client.ts";
import { attempt, contractError } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { send, type TransactionResult } from "../../prepare.ts";
import { ETH, getTokenInfo, type TokenInfo } from "../../tokens.ts";
import { approveIfShort } from "../internal.ts";
import { getPool } from "./pool.ts";

export interface DepositParameters {
  poolId: bigint;
  /** In the token's smallest unit (parseAmount turns whole tokens into it). */
  amount: bigint;
}
export interface DepositReturnType extends TransactionResult {
  poolId: bigint;
  token: TokenInfo;
  amount: bigint;
  /** The approval sent first for an ERC-20 whose allowance was too small. */
  approval: TransactionResult | undefined;
}

/**
 * Pays revenue into a pool: ETH as the transaction's value, or an ERC-20 by approving the vault (when the allowance
 * is short) and then depositing. The balance is checked first: InsufficientFundsError, and nothing is sent.
 */
export async function deposit(client: TributaryClient, parameters: DepositParameters): Promise<DepositReturnType> {
  requireAccount(client);
  const { poolId, amount } = parameters;
  if (amount <= 0n) throw new InvalidInputError("amount", "the amount is zero", "give a positive `amount`");
  const vault = requireVault(client);
  const pool = await getPool(client, poolId);
  // The deposit of an ERC-20 cannot be simulated before its approval: everything it would revert on that can be
  // read (the pool, the pause, the amount, the balance) is checked before the approval is sent.
  const { paused } = await attempt(() =>
    readContract(client.publicClient, { address: vault, abi: royaltyVaultAbi, functionName: "config" }),
  );
  if (paused) throw contractError("RoyaltyVault_Paused");
  const token = await getTokenInfo(client, pool.token);
  const depositRequest = {
    to: vault,
    data: encodeFunctionData({ abi: royaltyVaultAbi, functionName: "deposit", args: [poolId, amount] }),
  };
  const result = { poolId, token, amount };
  if (token.address === ETH) {
    const { transaction } = await send(
      client,
      { ...depositRequest, value: amount },
      { funds: { what: "ETH for the amount and gas", hint: "fund the account or deposit a smaller `amount`" } },
    );
    return { ...result, approval: undefined, ...transaction };
  }

  // The approval is for exactly this deposit.
  const approval = await approveIfShort(client, {
    token,
    spender: vault,
    amount,
    what: `deposit into pool ${poolId}`,
    verb: "deposit",
  });
  const { transaction } = await send(client, depositRequest);
  return { ...result, approval, ...transaction };
}
