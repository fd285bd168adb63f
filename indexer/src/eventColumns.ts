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
