// What several actions share: the registry's pre-checks and one write path, block times, and the approval before an
// ERC-20 payment.
import {
  encodeFunctionData,
  erc20Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type EncodeFunctionDataParameters,
  type Hex,
} from "viem";
import { getBlock, readContract } from "viem/actions";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { requireAccount, type TributaryClient } from "../client.ts";
import { attempt } from "../contractErrors.ts";
import { InsufficientFundsError } from "../errors.ts";
import { formatAmount, type TokenInfo } from "../tokens.ts";
import { estimate, send, simulate, type TransactionRequest, type TransactionResult } from "../prepare.ts";
import type { OnChainRegistration } from "../registration.ts";

/** A call to the registry. */
export const registryRequest = (client: TributaryClient, data: Hex): TransactionRequest => ({
  to: client.registry,
  data,
});

type RegistryAbi = typeof authorshipRegistryAbi;
/** The registry's functions that change state. */
export type RegistryWrite = ContractFunctionName<RegistryAbi, "nonpayable">;

/** Sends a call of one of the registry's functions, with its checked arguments; returns its mined transaction. */
export async function writeRegistry<name extends RegistryWrite>(
  client: TributaryClient,
  functionName: name,
  args: ContractFunctionArgs<RegistryAbi, "nonpayable", name>,
): Promise<TransactionResult> {
  // The arguments are checked against the function's inputs above; encoding takes them untyped, as viem's own
  // writeContract does.
  const data = encodeFunctionData({ abi: authorshipRegistryAbi, functionName, args } as EncodeFunctionDataParameters);
  return (await send(client, registryRequest(client, data))).transaction;
}

/**
 * Checks, without sending anything, that `author` could register `registration` now: the hash is not zero nor
 * registered, the kind exists, every parent is registered. A reveal makes the same checks, so running them before
 * a commit means that a registration bound to fail is refused before its first transaction. Returns the gas a
 * registration costs, an estimate of the reveal's.
 */
export async function checkRegistrable(
  client: TributaryClient,
  registration: OnChainRegistration,
  author: Address,
): Promise<bigint> {
  const request = registryRequest(
    client,
    encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "registerContribution", args: [registration] }),
  );
  await simulate(client, request, author);
  return estimate(client, request, author);
}

/** A block's time, in Unix seconds. */
export async function blockTime(client: TributaryClient, blockNumber: bigint): Promise<number> {
  return Number((await attempt(() => getBlock(client.publicClient, { blockNumber }))).timestamp);
}

export interface ApproveParameters {
  token: TokenInfo;
  /** The contract that pulls the payment. */
  spender: Address;
  amount: bigint;
  /** What the payment is, for an InsufficientFundsError: "deposit into pool 3". */
  what: string;
  /** The action's verb, for the error's hint: "deposit" gives "deposit a smaller `amount`". */
  verb: string;
}

/**
 * Before an ERC-20 payment that cannot be simulated ahead of its approval: checks the account's balance
 * (InsufficientFundsError on `amount`, nothing sent) and approves exactly `amount` when the allowance is short.
 * Returns the approval sent, if any.
 */
export async function approveIfShort(
  client: TributaryClient,
  { token, spender, amount, what, verb }: ApproveParameters,
): Promise<TransactionResult | undefined> {
  const { account } = requireAccount(client);
  const at = { address: token.address, abi: erc20Abi } as const;
  const [balance, allowance] = await attempt(() =>
    Promise.all([
      readContract(client.publicClient, { ...at, functionName: "balanceOf", args: [account.address] }),
      readContract(client.publicClient, { ...at, functionName: "allowance", args: [account.address, spender] }),
    ]),
  );
  if (balance < amount) {
    throw new InsufficientFundsError(account.address, balance, amount, {
      what: `${token.symbol} to ${what}`,
      format: (value) => formatAmount(value, token),
      hint: `get more ${token.symbol} or ${verb} a smaller \`amount\``,
      parameter: "amount",
    });
  }
  if (allowance >= amount) return undefined;
  return (
    await send(client, {
      to: token.address,
      data: encodeFunctionData({ abi: erc20Abi, functionName: "approve", args: [spender, amount] }),
    })
  ).transaction;
}
