// The time the indexer has reached: the latest indexed block's timestamp, read from Ponder's checkpoint table. Stream
// amounts (claimable, not yet streamed) are computed at this time, so they match what the chain said at that block.
import { db } from "ponder:api";
import { sql } from "ponder";

const TIMESTAMP_DIGITS = 10;
const BLOCK_NUMBER_OFFSET = 10 + 16;
const BLOCK_NUMBER_DIGITS = 16;

export interface Head {
  timestamp: bigint;
  blockNumber: bigint;
}

export async function indexedHead(): Promise<Head> {
  const result = await db.execute(sql`SELECT latest_checkpoint FROM _ponder_checkpoint LIMIT 1`);
  const rows = (result as unknown as { rows: { latest_checkpoint: string }[] }).rows;
  const checkpoint = rows[0]?.latest_checkpoint;
  if (checkpoint === undefined) return { timestamp: 0n, blockNumber: 0n };
  return {
    timestamp: BigInt(checkpoint.slice(0, TIMESTAMP_DIGITS)),
    blockNumber: BigInt(checkpoint.slice(BLOCK_NUMBER_OFFSET, BLOCK_NUMBER_OFFSET + BLOCK_NUMBER_DIGITS)),
  };
}
