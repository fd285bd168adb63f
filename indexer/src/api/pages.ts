// Cursor pagination over a pool's append-only event table, shared by the vault's and the epoch pools' ledgers.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { and, asc, eq, gt, or } from "ponder";

import { decodeCursor, encodeCursor } from "./http.ts";

/** The event tables listed per pool, each with `poolId`, `blockNumber` and `logIndex`. */
export type PoolEventTable =
  | typeof schema.depositEvent
  | typeof schema.claimEvent
  | typeof schema.unitsEvent
  | typeof schema.epochFundingEvent
  | typeof schema.epochClaimEvent;

/** Cursor pagination over an event table ordered by (blockNumber, logIndex). */
export async function eventPage<T extends PoolEventTable>(
  table: T,
  poolId: bigint,
  limit: number,
  cursorValue: string | undefined,
) {
  const cursor = decodeCursor(cursorValue, ["uint", "int32"]);
  const after = cursor
    ? or(
        gt(table.blockNumber, BigInt(cursor[0]!)),
        and(eq(table.blockNumber, BigInt(cursor[0]!)), gt(table.logIndex, Number(cursor[1]))),
      )
    : undefined;
  const rows = (await db
    .select()
    .from(table as typeof schema.depositEvent)
    .where(and(eq(table.poolId, poolId), after))
    .orderBy(asc(table.blockNumber), asc(table.logIndex))
    .limit(limit + 1)) as unknown as T["$inferSelect"][];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.blockNumber, last.logIndex]) : null };
}
