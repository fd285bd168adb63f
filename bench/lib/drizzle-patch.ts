// What patches/drizzle-orm+0.41.0.patch saves, with and without it in the same run: the installed (patched)
// drizzle-orm and a copy with the patch reversed build the same inserts, alternately, in one process. The work is
// what Ponder asks of drizzle for each batch of the backfill's sync writes (an `INSERT … VALUES` of many rows, each
// value a parameter that drizzle tests with `is()`), and the patch changes nothing else.
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { Metrics } from "./record.ts";
import { round } from "./latency.ts";

const root = path.join(import.meta.dirname, "..", "..");
const ROWS = 500;
const ROUNDS = 7;

type PgCore = typeof import("drizzle-orm/pg-core");

/**
 * CPU milliseconds (this process's user and system time, so that other processes on a shared machine count less) to
 * build `ROWS`-row inserts of a log-like table 10 times with this copy of drizzle.
 */
function buildInserts({ pgTable, text, integer, bigint, boolean, PgDialect, PgInsertBuilder }: PgCore): number {
  const table = pgTable("logs", {
    id: text().primaryKey(),
    chainId: integer().notNull(),
    blockNumber: bigint({ mode: "bigint" }).notNull(),
    logIndex: integer().notNull(),
    address: text().notNull(),
    data: text().notNull(),
    topic0: text(),
    topic1: text(),
    removed: boolean().notNull(),
  });
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: `log-${i}`,
    chainId: 31337,
    blockNumber: BigInt(i),
    logIndex: i % 7,
    address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
    data: "0x",
    topic0: "0x" + "ab".repeat(32),
    topic1: null,
    removed: false,
  }));
  const dialect = new PgDialect();
  const started = process.cpuUsage();
  for (let i = 0; i < 10; i++) {
    // The builder Ponder's sync store reaches through `db.insert(table).values(rows)`; no session is needed to build.
    const insert = new PgInsertBuilder(table, undefined as never, dialect).values(rows).onConflictDoNothing();
    if (insert.toSQL().params.length !== ROWS * 9) throw new Error("unexpected parameter count");
  }
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

/** The drizzle-orm patch's figure: insert building with and without it, medians of alternating rounds. */
export async function drizzlePatchMetrics(): Promise<Metrics> {
  const dir = await mkdtemp(path.join(tmpdir(), "tributary-drizzle-unpatched-"));
  try {
    const copy = path.join(dir, "node_modules", "drizzle-orm");
    await cp(path.join(root, "node_modules", "drizzle-orm"), copy, { recursive: true });
    // The patch names node_modules/drizzle-orm/<file>: strip a/node_modules/drizzle-orm.
    execFileSync("patch", [
      "-R",
      "-p3",
      "-s",
      "-d",
      copy,
      "-i",
      path.join(root, "patches", "drizzle-orm+0.41.0.patch"),
    ]);
    const patched = (await import("drizzle-orm/pg-core")) as PgCore;
    const unpatched = (await import(pathToFileURL(path.join(copy, "pg-core", "index.js")).href)) as PgCore;
    // One warm-up each, then alternate so that both meet the same moments of the machine.
    buildInserts(patched);
    buildInserts(unpatched);
    const times = { patched: [] as number[], unpatched: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      times.unpatched.push(buildInserts(unpatched));
      times.patched.push(buildInserts(patched));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [withPatch, withoutPatch] = [median(times.patched), median(times.unpatched)];
    return {
      "indexer.drizzlePatch.insertBuild.ms": {
        value: round(withPatch, 1),
        unit: "ms",
        note:
          `CPU time to build 10 inserts of ${ROWS} rows x 9 columns with the patched drizzle-orm; without the patch, in the same ` +
          `run: ${round(withoutPatch, 1)} ms (median of ${ROUNDS} alternating rounds, ` +
          `${round((1 - withPatch / withoutPatch) * 100, 0)}% saved)`,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
