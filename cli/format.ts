// Words and numbers for human output, shared by every user's commands: dates, tokens by symbol with their amounts
// in whole tokens, and what an escrow means for its claim. JSON output never goes through these: it carries the raw
// values.
import type { Command } from "commander";
import type { Address } from "viem";

import {
  ETH,
  formatAmount,
  getTokenInfo,
  type EscrowState,
  type TokenInfo,
  type TributaryClient,
} from "../sdk/index.ts";
import { client, globals } from "./context.ts";

/** A Unix time (seconds) as an ISO date. */
export const date = (seconds: string | number) => new Date(Number(seconds) * 1000).toISOString();

/** Commander's collector of a repeatable option. */
export const collect = (value: string, previous: string[]) => [...previous, value];

export const ETH_INFO: TokenInfo = { address: ETH, symbol: "ETH", decimals: 18 };

/**
 * Names and decimals of tokens for human output, read from the node when it answers; a token that cannot be read
 * is shown in its smallest unit with its address. JSON output always carries the raw amounts.
 */
export async function tokenLabels(
  command: Command,
  tokens: readonly Address[],
): Promise<(amount: string, token: Address) => string> {
  const known = new Map<string, TokenInfo>([[ETH, ETH_INFO]]);
  const others = [...new Set(tokens.map((t) => t.toLowerCase()))].filter((t) => t !== ETH);
  if (others.length > 0 && !globals(command).json) {
    try {
      const reader = await client(command, { signer: false });
      for (const token of others) known.set(token, await getTokenInfo(reader, token as Address));
    } catch {
      // The node is optional for reading the indexer: fall back to raw amounts.
    }
  }
  return (amount, token) => {
    const info = known.get(token.toLowerCase());
    return info ? formatAmount(BigInt(amount), info) : `${amount} (smallest units of ${token})`;
  };
}

/** Token labels for amounts a transaction just moved, read from the node the client is connected to. */
export async function labelsFromChain(tributary: TributaryClient, items: readonly { token: Address }[]) {
  const known = new Map<string, TokenInfo>();
  for (const token of new Set(items.map((t) => t.token.toLowerCase()))) {
    known.set(
      token,
      await getTokenInfo(tributary, token as Address).catch(() => ({ ...ETH_INFO, symbol: token, decimals: 0 })),
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
