// The time the indexer has reached: the latest indexed block's timestamp, read from Ponder's checkpoint table. Stream
// amounts (claimable, not yet streamed) are computed at this time, so they match what the chain said at that block.
import { db } from "ponder:api";
import { sql } from "ponder";

import {
  CHECKPOINT_ONLY_SQL,
  CHECKPOINT_VERSION_SQL,
  decodeCheckpoint,
  LATEST_CHECKPOINT_SQL,
} from "./ponderAdapter.ts";

export interface Head {
  timestamp: bigint;
  blockNumber: bigint;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export async function indexedHead(): Promise<Head> {
  const result = await db.execute(sql.raw(LATEST_CHECKPOINT_SQL));
  const checkpoint = rowsOf<{ latest_checkpoint: string }>(result)[0]?.latest_checkpoint;
  if (checkpoint === undefined) return { timestamp: 0n, blockNumber: 0n };
  return decodeCheckpoint(checkpoint);
}

async function readVersion(withRowVersion: boolean): Promise<string> {
  const result = await db.execute(sql.raw(withRowVersion ? CHECKPOINT_VERSION_SQL : CHECKPOINT_ONLY_SQL));
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
