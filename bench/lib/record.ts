import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** The units `bench/results.json` allows. */
export type MetricUnit =
  "gas" | "events/s" | "ms" | "s" | "rps" | "transactions" | "mismatches" | "B" | "KB" | "MB" | "µs";

/** One measured figure. `note` is shown in the human table (e.g. the distance to the EVM floor or to a peer). */
export interface Metric {
  value: number;
  unit: MetricUnit;
  note?: string;
}

export type Metrics = Record<string, Metric>;

/**
 * Stores the figures one suite measured in `bench/.out/<suite>.json`; `npm run bench` merges every suite's file
 * into `bench/results.json` and `bench/results.md`.
 */
export async function record(suite: string, metrics: Metrics): Promise<void> {
  const dir = path.join(import.meta.dirname, "..", ".out");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${suite}.json`), `${JSON.stringify(metrics, null, 2)}\n`);
  for (const [name, metric] of Object.entries(metrics)) {
    console.log(
      `${name.padEnd(44)} ${String(metric.value).padStart(12)} ${metric.unit}${metric.note ? `  ${metric.note}` : ""}`,
    );
  }
}
