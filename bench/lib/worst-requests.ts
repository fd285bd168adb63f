// The worst request each of the API's cost limits allows, found against a running indexer the way an outsider would:
// for each shape of an expensive query (fan-out joins, cross joins, sorts, wide answers; nested GraphQL lists), the
// largest size the API still answers (a binary search on the size, the API's 200s and 400s as the oracle); then the
// slowest of those, run again and again while an ordinary route is under load, whose p99 shows what the worst
// request does to everyone else (on PGlite it holds the thread that also serves and indexes).
import autocannon from "autocannon";

import type { Metric, Metrics } from "./record.ts";
import { percentile, round } from "./latency.ts";

/** One expensive request of a shape, at size `n`. */
interface Shape {
  name: string;
  /** The largest size worth trying (the table's rows, the page limit). */
  max: number;
  request: (n: number) => { url: string; init?: RequestInit };
}

const sqlRequest = (api: string, sql: string) => ({
  url: `${api}/sql/db?sql=${encodeURIComponent(JSON.stringify({ json: { sql, params: [] } }))}`,
});

function sqlShapes(api: string, rows: number): Shape[] {
  const shape = (name: string, sql: (n: number) => string): Shape => ({
    name,
    max: rows,
    request: (n) => sqlRequest(api, sql(n)),
  });
  return [
    // Every pair of an author's contributions: ~n²/authors rows to count.
    shape(
      "self-join on a column of few values",
      (n) =>
        `select count(*) as n from (select author from contribution limit ${n}) a join (select author from contribution limit ${n}) b on a.author = b.author`,
    ),
    shape(
      "cross join",
      (n) =>
        `select count(*) as n from (select id from contribution limit ${n}) a, (select id from contribution limit ${n}) b`,
    ),
    shape(
      "distinct over a fan-out join",
      (n) =>
        `select count(distinct a.uri || b.id) as n from (select uri, author from contribution limit ${n}) a join (select id, author from contribution limit ${n}) b on a.author = b.author`,
    ),
    shape("sort of every column", (n) => `select * from registration_event order by uri desc, author, id limit ${n}`),
    shape("one row of JSON", (n) => `select json_agg(r) as rows from (select * from registration_event limit ${n}) r`),
  ];
}

const CONTRIBUTION_FIELDS =
  "id author kind registeredAt trainingConsent uri nonce pendingAuthor parentCount childCount supersededCount materializedRoot blockNumber transactionHash logIndex updatedAtBlock";

const graphqlRequest = (api: string, query: string) => ({
  url: `${api}/graphql`,
  init: { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) },
});

function graphqlShapes(api: string): Shape[] {
  const shape = (name: string, max: number, query: (n: number) => string): Shape => ({
    name,
    max,
    request: (n) => graphqlRequest(api, query(n)),
  });
  return [
    shape(
      "1,000 rows, a nested list for each",
      1000,
      (n) => `{ contributions(limit: 1000) { items { id parents(limit: ${n}) { items { parent position } } } } }`,
    ),
    shape(
      "every column of 10 authors' contributions",
      1000,
      (n) => `{ authors(limit: 10) { items { contributions(limit: ${n}) { items { ${CONTRIBUTION_FIELDS} } } } } }`,
    ),
    shape(
      "two nested levels of lists",
      1000,
      (n) =>
        `{ contributions(limit: ${n}) { items { id authorAccount { contributions(limit: ${n}) { items { ${CONTRIBUTION_FIELDS} } } } } } }`,
    ),
    shape(
      "a deep offset",
      100_000,
      (n) => `{ registrationEvents(limit: 1000, offset: ${n}) { items { id contributionId author uri } } }`,
    ),
  ];
}

interface Timed {
  status: number;
  ms: number;
  bytes: number;
}

async function timed({ url, init }: { url: string; init?: RequestInit }): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
  const body = await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started, bytes: body.byteLength };
}

/** The largest size in [1, max] the API answers with a 200 (sizes are assumed to be refused from some point on). */
async function largestAllowed(shape: Shape): Promise<number | undefined> {
  if ((await timed(shape.request(1))).status !== 200) return undefined;
  let low = 1;
  let high = shape.max;
  if ((await timed(shape.request(high))).status === 200) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if ((await timed(shape.request(middle))).status === 200) low = middle;
    else high = middle;
  }
  return low;
}

export interface WorstRequest {
  shape: string;
  size: number;
  /** Median of RUNS timed runs, alone. */
  ms: number;
  bytes: number;
  /** The ordinary route's latency while the worst request runs back to back. */
  route: { p50: number; p99: number; requests: number };
  /** How many times the worst request ran during the load, and its p99 there. */
  runsUnderLoad: number;
  p99UnderLoad: number;
}

const RUNS = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const LOAD_RPS = 100;
const LOAD_SECONDS = 10;

async function worstOf(shapes: Shape[], routeUrl: string): Promise<WorstRequest> {
  let worst: { shape: Shape; size: number; ms: number; bytes: number } | undefined;
  for (const shape of shapes) {
    const size = await largestAllowed(shape);
    if (size === undefined) continue;
    const runs: Timed[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Apart, so that a run does not wait for the rest the API's share of PGlite's thread takes after the one before.
      if (i > 0) await sleep(runs[i - 1]!.ms + 50);
      runs.push(await timed(shape.request(size)));
    }
    if (runs.some((run) => run.status !== 200)) {
      // The estimate moved between the search and the runs (new statistics), or a run hit the statement timeout.
      console.log(
        `  ${shape.name}: refused on a rerun at ${size} (${runs.map((run) => run.status).join(",")}), left out`,
      );
      continue;
    }
    const ms = runs.map((run) => run.ms).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    console.log(`  ${shape.name}: largest allowed ${size}, ${round(ms)} ms, ${runs[0]!.bytes} bytes`);
    if (worst === undefined || ms > worst.ms) worst = { shape, size, ms, bytes: runs[0]!.bytes };
  }
  if (worst === undefined) throw new Error("no shape was allowed at any size");

  // The worst request back to back (one at a time, as one client would send them) while the route is under load.
  const request = worst.shape.request(worst.size);
  let loading = true;
  const underLoad: number[] = [];
  const repeat = (async () => {
    while (loading) {
      const run = await timed(request);
      if (run.status !== 200) throw new Error(`the worst request was refused under load (${run.status})`);
      underLoad.push(run.ms);
    }
  })();
  const load = await autocannon({ url: routeUrl, connections: 10, overallRate: LOAD_RPS, duration: LOAD_SECONDS });
  loading = false;
  await repeat;
  if (load.non2xx > 0 || load.errors > 0) {
    throw new Error(`the route answered ${load.non2xx} non-2xx and ${load.errors} errors under the worst request`);
  }
  underLoad.sort((a, b) => a - b);
  return {
    shape: worst.shape.name,
    size: worst.size,
    ms: worst.ms,
    bytes: worst.bytes,
    route: { p50: load.latency.p50, p99: load.latency.p99, requests: load.requests.total },
    runsUnderLoad: underLoad.length,
    p99UnderLoad: percentile(underLoad, 99),
  };
}

/**
 * The worst SQL-over-HTTP and GraphQL requests the API at `api` allows, each with `routeUrl`'s latency while it
 * runs. `rows` is how many rows the contribution and registration tables hold (the largest size worth trying).
 */
export async function worstRequests(api: string, routeUrl: string, rows: number) {
  console.log(`worst allowed SQL requests at ${api}:`);
  const sql = await worstOf(sqlShapes(api, rows), routeUrl);
  console.log(`worst allowed GraphQL requests at ${api}:`);
  const graphql = await worstOf(graphqlShapes(api), routeUrl);
  return { sql, graphql };
}

/** The metrics of `worstRequests`: `api.<kind>[.<suffix>].worstQuery.ms` and the route's p99 beside it. */
export function worstRequestMetrics(
  worst: Awaited<ReturnType<typeof worstRequests>>,
  { suffix, database, route }: { suffix: string; database: string; route: string },
): Metrics {
  const metrics: Metrics = {};
  for (const [kind, found] of Object.entries(worst) as ["sql" | "graphql", WorstRequest][]) {
    const name = suffix ? `api.${kind}.${suffix}` : `api.${kind}`;
    const label = kind === "sql" ? "SQL over HTTP" : "GraphQL";
    metrics[`${name}.worstQuery.ms`] = {
      value: round(found.ms, 0),
      unit: "ms",
      note:
        `${database}, default limits: the slowest allowed ${label} request found (${found.shape}, size ${found.size}, ` +
        `${found.bytes} bytes), median of ${RUNS} runs apart; sent back to back during the route's load, each took ` +
        `p99 ${round(found.p99UnderLoad, 0)} ms (${found.runsUnderLoad} runs${database === "PGlite" ? ", waits for its share of the thread included" : ""})`,
    } satisfies Metric;
    metrics[`${name}.worstQuery.routeP99.ms`] = {
      value: found.route.p99,
      unit: "ms",
      note: `${route} at ${LOAD_RPS} req/s for ${LOAD_SECONDS} s while that request ran back to back; p50 ${found.route.p50} ms, ${found.route.requests} requests`,
    };
  }
  return metrics;
}
