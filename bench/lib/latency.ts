// Receipt-to-row latency, measured the same way by every suite that reports it.
import { keccak256, toHex, type Hex } from "viem";

import { KIND, registerContribution, type LocalClients } from "../../scripts/lib/chain.ts";
import { waitFor } from "../../scripts/lib/stack.ts";
import type { Metric } from "./record.ts";

/** Samples each latency figure keeps, after WARM_UP_SAMPLES that warm the indexer's and the API's paths. */
export const LATENCY_SAMPLES = 40;
const WARM_UP_SAMPLES = 5;

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/**
 * Registers contributions one after the other and times each from its receipt to the first 200 of
 * `GET /contributions/:hash` at `api` (polled every 2 ms). Returns LATENCY_SAMPLES of them, sorted, in ms.
 */
export async function receiptToRow(clients: LocalClients, registry: Hex, author: Hex, api: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES + WARM_UP_SAMPLES; i++) {
    const contributionId = keccak256(toHex(`bench latency ${api} ${i} ${Date.now()}`));
    await registerContribution(clients, registry, author, contributionId, KIND.prompt, "");
    const receivedAt = performance.now();
    await waitFor(
      `sample ${i} in the API`,
      async () => ((await fetch(`${api}/contributions/${contributionId}`)).status === 200 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 2 },
    );
    if (i >= WARM_UP_SAMPLES) latencies.push(performance.now() - receivedAt);
  }
  return latencies.sort((a, b) => a - b);
}

/** The p50 of `sorted` latencies as a metric, its p90 in the note. */
export function latencyMetric(sorted: number[], what: string): Metric {
  return {
    value: round(percentile(sorted, 50)),
    unit: "ms",
    note: `receipt -> REST row, ${LATENCY_SAMPLES} samples${what}; p90 ${round(percentile(sorted, 90))} ms`,
  };
}
