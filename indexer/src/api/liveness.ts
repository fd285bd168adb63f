// Whether the indexer keeps up with the chain: the indexed head against the node's latest block, in blocks and in
// seconds of block time. `/ready` refuses (503) when either is over its limit (indexer/config.ts), through the hook
// that patches/ponder+0.17.7.patch adds to Ponder's `/ready` (server/index.js); `/head` shows the figures.
import { Hono } from "hono";
import { createPublicClient, http, webSocket, type PublicClient } from "viem";

import { loadSettings, type ApiSettings } from "../../config.ts";
import { indexedHead, type Head } from "./head.ts";
import { setReadinessCheck } from "./ponderAdapter.ts";

/** How long one reading of the node's head serves: load balancers and monitors probe `/ready` often. */
const NODE_HEAD_TTL_MS = 1000;

export interface HeadLag {
  indexed: Head;
  node: Head;
  /** Blocks the node has that the indexer has not indexed yet (0 when the indexer is at the node's head). */
  blocks: bigint;
  /** How much newer the node's latest block is than the indexed head, in seconds of block time. */
  seconds: bigint;
}

let client: PublicClient | undefined;
let reading: { at: number; head: Promise<Head> } | undefined;

/** The node's latest block, read at most once a second. */
function nodeHead(): Promise<Head> {
  if (reading !== undefined && Date.now() - reading.at < NODE_HEAD_TTL_MS) return reading.head;
  if (client === undefined) {
    const { rpcUrl } = loadSettings();
    client = createPublicClient({ transport: /^wss?:/.test(rpcUrl) ? webSocket(rpcUrl) : http(rpcUrl) });
  }
  const head = client
    .getBlock({ blockTag: "latest" })
    .then((block) => ({ blockNumber: block.number, timestamp: block.timestamp }));
  reading = { at: Date.now(), head };
  // A failed reading is not kept: the next caller asks the node again.
  head.catch(() => {
    if (reading?.head === head) reading = undefined;
  });
  return head;
}

/** The indexed head against the node's; throws when the node does not answer. */
export async function headLag(): Promise<HeadLag> {
  const [indexed, node] = await Promise.all([indexedHead(), nodeHead()]);
  const blocks = node.blockNumber > indexed.blockNumber ? node.blockNumber - indexed.blockNumber : 0n;
  const seconds = node.timestamp > indexed.timestamp ? node.timestamp - indexed.timestamp : 0n;
  return { indexed, node, blocks, seconds };
}

type Limits = Pick<ApiSettings, "readyMaxLagBlocks" | "readyMaxLagSeconds">;

/** Why the indexer is not ready although its backfill is done, or undefined when it keeps up. */
export async function readinessRefusal(limits: Limits): Promise<string | undefined> {
  if (limits.readyMaxLagBlocks === 0 && limits.readyMaxLagSeconds === 0) return undefined;
  let lag: HeadLag;
  try {
    lag = await headLag();
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    return `Cannot compare the indexed head with the node's: ${reason}`;
  }
  const overBlocks = limits.readyMaxLagBlocks > 0 && lag.blocks > BigInt(limits.readyMaxLagBlocks);
  const overSeconds = limits.readyMaxLagSeconds > 0 && lag.seconds > BigInt(limits.readyMaxLagSeconds);
  if (!overBlocks && !overSeconds) return undefined;
  return (
    `The indexed head (block ${lag.indexed.blockNumber}) is ${lag.blocks} blocks and ${lag.seconds} s behind the ` +
    `node (block ${lag.node.blockNumber}); the limits are ${limits.readyMaxLagBlocks} blocks and ` +
    `${limits.readyMaxLagSeconds} s (TRIBUTARY_READY_MAX_LAG_BLOCKS, TRIBUTARY_READY_MAX_LAG_SECONDS).`
  );
}

/**
 * Makes Ponder's `/ready` refuse while the indexed head lags the node, and serves `GET /head`: both heads, the lag,
 * the limits and whether it is within them (always 200; `/ready` is the check to alert on). Never cached: it reads
 * the node.
 */
export function livenessRoutes(limits: Limits) {
  setReadinessCheck(() => readinessRefusal(limits));
  return new Hono().get("/head", async (c) => {
    const [lag, refusal] = await Promise.all([headLag().catch(() => undefined), readinessRefusal(limits)]);
    const head = (value: Head) => ({ blockNumber: String(value.blockNumber), timestamp: String(value.timestamp) });
    return c.json(
      {
        indexed: lag ? head(lag.indexed) : head(await indexedHead()),
        node: lag ? head(lag.node) : null,
        lag: lag ? { blocks: String(lag.blocks), seconds: String(lag.seconds) } : null,
        limits: { blocks: limits.readyMaxLagBlocks, seconds: limits.readyMaxLagSeconds },
        keepsUp: refusal === undefined,
        ...(refusal === undefined ? {} : { reason: refusal }),
      },
      200,
    );
  });
}
