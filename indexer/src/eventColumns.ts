// Where an event stands on the chain: the columns every append-only event table of the indexer carries.
import type { Event } from "ponder:registry";

export function eventColumns(event: Event) {
  return {
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  };
}

/** An event's arguments as JSON: amounts (bigints) as decimal strings. */
export function argsJson(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
  );
}
