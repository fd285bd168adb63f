// Tokens in words and numbers: a pool's token's symbol and decimals (read once per client, then cached), and
// amounts in whole tokens with their symbol.
import { erc20Abi, formatUnits, zeroAddress, type Address } from "viem";
import { readContract } from "viem/actions";

import type { TributaryClient } from "./client.ts";
import { InvalidInputError } from "./errors.ts";

/** The zero address: the token of an ETH pool. */
export const ETH: Address = zeroAddress;

export interface TokenInfo {
  /** The zero address for ETH. */
  address: Address;
  symbol: string;
  decimals: number;
}

export const ETH_INFO: TokenInfo = { address: ETH, symbol: "ETH", decimals: 18 };

/**
 * A token's symbol and decimals (ETH: "ETH", 18), cached on the client. A token without symbol() is named by its
 * address; one without decimals() is an InvalidInputError on `decimals` (the caller must give them).
 */
export async function getTokenInfo(client: TributaryClient, token: Address): Promise<TokenInfo> {
  const key = token.toLowerCase() as Address;
  if (key === ETH) return ETH_INFO;
  const cached = client.tokens.get(key);
  if (cached) return cached;
  const read = <name extends "symbol" | "decimals">(functionName: name) =>
    readContract(client.publicClient, { address: token, abi: erc20Abi, functionName }).catch(() => undefined);
  const [symbol, decimals] = await Promise.all([read("symbol"), read("decimals")]);
  if (decimals === undefined) {
    throw new InvalidInputError(
      "decimals",
      `the token ${token} does not say how many decimals it has`,
      "give its `decimals`",
    );
  }
  const info: TokenInfo = { address: token, symbol: symbol ?? token, decimals: Number(decimals) };
  client.tokens.set(key, info);
  return info;
}

/** An amount in the token's smallest unit as whole tokens with its symbol: "1.5 ETH". */
export function formatAmount(amount: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  return `${formatUnits(amount, token.decimals)} ${token.symbol}`;
}
