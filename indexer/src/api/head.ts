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

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export async function indexedHead(): Promise<Head> {
  const result = await db.execute(sql`SELECT latest_checkpoint FROM _ponder_checkpoint LIMIT 1`);
  const checkpoint = rowsOf<{ latest_checkpoint: string }>(result)[0]?.latest_checkpoint;
  if (checkpoint === undefined) return { timestamp: 0n, blockNumber: 0n };
  return {
    timestamp: BigInt(checkpoint.slice(0, TIMESTAMP_DIGITS)),
    blockNumber: BigInt(checkpoint.slice(BLOCK_NUMBER_OFFSET, BLOCK_NUMBER_OFFSET + BLOCK_NUMBER_DIGITS)),
  };
}

async function readVersion(withRowVersion: boolean): Promise<string> {
  const result = withRowVersion
    ? await db.execute(
        sql`SELECT latest_checkpoint || '.' || xmin::text AS version FROM _ponder_checkpoint ORDER BY chain_id`,
      )
    : await db.execute(sql`SELECT latest_checkpoint AS version FROM _ponder_checkpoint ORDER BY chain_id`);
  return rowsOf<{ version: string }>(result)
    .map((row) => row.version)
    .join(",");
}

let rowVersionVisible = true;

/**
 * What identifies the indexed state, for the answer cache: each chain's latest checkpoint and the checkpoint row's
 * version (`xmin`, the transaction that last wrote it). Ponder rewrites that row in the transaction of every indexed
 * block, so the row version also changes when a reorg replaces the head with a block of the same number and
 * timestamp (the same checkpoint over other data, as on chains with a block every fixed interval). A views schema
 * (`ponder serve --schema <views>`) hides `xmin`: there, the checkpoints alone.
 */
export async function indexedVersion(): Promise<string> {
  if (!rowVersionVisible) return readVersion(false);
  try {
    return await readVersion(true);
  } catch (error) {
    // Fails as well when the database does: then the next call tries the row version again.
    const version = await readVersion(false).catch(() => {
      throw error;
    });
    rowVersionVisible = false;
    return version;
  }
}
