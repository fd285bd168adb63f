// Words and numbers for human output, shared by every user's commands: dates, tokens by symbol with their amounts
// in whole tokens, and what an escrow means for its claim. JSON output never goes through these: it carries the raw
// values.
import type { Command } from "commander";
import { getAddress, type Address } from "viem";

import {
  ETH,
  formatAmount,
  getTokenInfo,
  type EscrowState,
  type TokenInfo,
  type TributaryClient,
} from "../sdk/node.ts";
import { client, globals } from "./context.ts";

/** A Unix time (seconds) as an ISO date. */
export const date = (seconds: string | number) => new Date(Number(seconds) * 1000).toISOString();

/** Commander's collector of a repeatable option. */
export const collect = (value: string, previous: string[]) => [...previous, value];

export const ETH_INFO: TokenInfo = { address: ETH, symbol: "ETH", decimals: 18 };

/** `1 contribution`, `2 contributions`; `word` is the singular, `plural` when it is not `word` + "s". */
export function plural(count: number | bigint | string, word: string, pluralWord = `${word}s`): string {
  return `${count} ${BigInt(count) === 1n ? word : pluralWord}`;
}

/** An address as people read it: EIP-55 checksummed (the API serves lower case). */
export function checksum(address: string): Address {
  return getAddress(address);
}

/** How human output names tokens and their amounts. */
export interface TokenBook {
  /** The token's symbol, e.g. "ETH", "dUSD"; its checksummed address when the node cannot say. */
  name(token: Address): string;
  /** An amount in the token's smallest unit, in whole tokens with the symbol: "1.5 ETH". */
  amount(amount: string | bigint, token: Address): string;
}

/**
 * Symbols and decimals of tokens for human output, read from the node when it answers; a token that cannot be
 * read is named by its address and its amounts shown in its smallest unit. JSON output always carries the raw
 * amounts.
 */
export async function tokenBook(command: Command, tokens: readonly Address[]): Promise<TokenBook> {
  const known = new Map<string, TokenInfo>([[ETH, ETH_INFO]]);
  const others = [...new Set(tokens.map((t) => t.toLowerCase()))].filter((t) => t !== ETH);
  if (others.length > 0 && !globals(command).json) {
    try {
      const reader = await client(command, { signer: false });
      for (const token of others) known.set(token, await getTokenInfo(reader, token as Address));
    } catch {
      // The node is optional for reading the indexer: fall back to addresses and raw amounts.
    }
  }
  return {
    name: (token) => known.get(token.toLowerCase())?.symbol ?? checksum(token),
    amount: (amount, token) => {
      const info = known.get(token.toLowerCase());
      return info ? formatAmount(BigInt(amount), info) : `${amount} (smallest units of ${checksum(token)})`;
    },
  };
}

/** Token labels for amounts a transaction just moved, read from the node the client is connected to. */
export async function labelsFromChain(tributary: TributaryClient, items: readonly { token: Address }[]) {
  const known = new Map<string, TokenInfo>();
  for (const token of new Set(items.map((t) => t.token.toLowerCase()))) {
    known.set(
      token,
      await getTokenInfo(tributary, token as Address).catch(() => ({
        ...ETH_INFO,
        symbol: `smallest units of ${checksum(token)}`,
        decimals: 0,
      })),
    );
  }
  return (amount: bigint, token: Address) => formatAmount(amount, known.get(token.toLowerCase())!);
}

/** What an escrow means for its claim, in words; nothing for a position that holds no escrow. */
export function escrowLines(escrow: EscrowState | undefined, indent: string): string[] {
  if (escrow === undefined || !escrow.escrowed) return [];
  const exposed = `escrow: the pool gave it units at ${date(escrow.exposedAt)}, before anyone registered it`;
  if (escrow.author === null) return [`${indent}${exposed}; it waits for its author to register`];
  if (escrow.canClaim) {
    return [
      `${indent}${exposed}; ${escrow.confirmedAt !== 0 && escrow.confirmedAt === escrow.registeredAt ? "the pool's admin confirmed" : "the record is older than that: it may claim"} ${escrow.author}'s record of ${date(escrow.registeredAt!)}`,
    ];
  }
  return [
    `${indent}${exposed}; ${escrow.author}'s record of ${date(escrow.registeredAt!)} is newer: it claims once the pool's admin confirms it (tributary escrow confirm ${escrow.poolId} ${escrow.contributionId} ${escrow.author})`,
  ];
}
