// What the leaf-file routes read from AttributionEpochs through the indexer's RPC URL: an epoch's root and status
// (`epochOf`), the leaf-file hash its publication stated (the `EpochPublished` log, by its indexed pool and epoch),
// a pool's payable epoch, and what a claim would pay. The chain is the source of record here, not the indexed
// tables: a leaf file is only ever checked against what the contract holds now.
import { createPublicClient, http, type Hex, type PublicClient } from "viem";

import { attributionEpochsAbi } from "../../../../abis/AttributionEpochs.ts";
import { readPublishedEpochs } from "../../../../sdk/epochs/published.ts";

/** Epochs.Status, in the contract's order. */
export const EPOCH_STATUS = ["none", "pending", "payable", "superseded", "vetoed"] as const;
export type EpochStatus = (typeof EPOCH_STATUS)[number];

export interface ChainEpoch {
  root: Hex;
  publishedAt: number;
  status: EpochStatus;
}

/**
 * How an epoch's status or a pool's payable epoch is reused (a status moves with time, at most once a window): a
 * value younger than FRESH_MS is answered as it is; an older one starts a read in the background and is still
 * answered until it is STALE_MS old, so that requests under load do not all wait for the node each time a value
 * ages. Past STALE_MS (a quiet API), the request waits for the node's answer.
 */
const FRESH_MS = 500;
const STALE_MS = 2_000;

interface Kept<T> {
  /** When the value was read (its answer arrived). */
  at: number;
  value: Promise<T>;
  /** A read started because the value aged; it replaces the value when it answers. */
  refreshing?: Promise<T>;
}

/** The value of `key` in `cache` as the rules above say, reading it with `load` when needed. */
function reuse<T>(cache: Map<string, Kept<T>>, key: string, load: () => Promise<T>, keep?: (value: T) => boolean) {
  const kept = cache.get(key);
  const age = kept === undefined ? Infinity : Date.now() - kept.at;
  if (kept !== undefined && age < FRESH_MS) return kept.value;
  const read = () => {
    const value = load();
    value.then(
      (answer) => cache.set(key, { at: keep?.(answer) ? Infinity : Date.now(), value }),
      () => {
        const now = cache.get(key);
        if (now?.refreshing === value || now?.value === value) cache.delete(key);
      },
    );
    return value;
  };
  if (kept !== undefined && age < STALE_MS) {
    kept.refreshing ??= read();
    return kept.value;
  }
  const value = read();
  // Until it answers, requests share this read.
  cache.set(key, { at: Date.now(), value, refreshing: value });
  return value;
}

export class EpochsReader {
  readonly chainId: number;
  readonly contract: Hex;
  readonly #client: PublicClient;
  readonly #startBlock: bigint;
  readonly #epochs = new Map<string, Kept<ChainEpoch>>();
  readonly #payable = new Map<string, Kept<number>>();
  /** A published root's leaf-file hash never changes: kept by root. */
  readonly #hashes = new Map<Hex, Hex>();

  constructor(parameters: { rpcUrl: string; chainId: number; contract: Hex; startBlock: number }) {
    this.chainId = parameters.chainId;
    this.contract = parameters.contract.toLowerCase() as Hex;
    this.#startBlock = BigInt(parameters.startBlock);
    this.#client = createPublicClient({ transport: http(parameters.rpcUrl, { timeout: 10_000, retryCount: 1 }) });
  }

  /** The epoch as the contract holds it now; status "none" for an epoch nobody published. */
  epoch(poolId: bigint, epochId: number): Promise<ChainEpoch> {
    // A vetoed epoch stays vetoed: kept for good.
    return reuse(
      this.#epochs,
      `${poolId}:${epochId}`,
      () =>
        this.#client
          .readContract({
            address: this.contract,
            abi: attributionEpochsAbi,
            functionName: "epochOf",
            args: [poolId, epochId],
          })
          .then(([root, publishedAt, status]) => ({
            root: root.toLowerCase() as Hex,
            publishedAt: Number(publishedAt),
            status: EPOCH_STATUS[status] ?? "none",
          })),
      (epoch) => epoch.status === "vetoed",
    );
  }

  /** The leaf-file hash the publication of `root` stated, from its `EpochPublished` log; undefined when none. */
  async leafFileHash(poolId: bigint, epochId: number, root: Hex): Promise<Hex | undefined> {
    const known = this.#hashes.get(root);
    if (known !== undefined) return known;
    const published = await readPublishedEpochs({
      publicClient: this.#client,
      contract: this.contract,
      fromBlock: this.#startBlock,
      toBlock: await this.#client.getBlockNumber({ cacheTime: 0 }),
      poolId,
      epochId,
    });
    // After a reorg the same epoch id may have been published twice: the publication whose root the contract holds.
    const hash = published
      .reverse()
      .find((entry) => entry.manifest.root.toLowerCase() === root)
      ?.manifest.leafFileHash.toLowerCase() as Hex | undefined;
    if (hash !== undefined) this.#hashes.set(root, hash);
    return hash;
  }

  /** The epoch claims of a pool prove against now; 0 when none. */
  payableEpoch(poolId: bigint): Promise<number> {
    return reuse(this.#payable, String(poolId), () =>
      this.#client
        .readContract({
          address: this.contract,
          abi: attributionEpochsAbi,
          functionName: "payableEpoch",
          args: [poolId],
        })
        .then(Number),
    );
  }

  /** What a claim would pay now (0 when its proof does not hold against the payable epoch or nothing is owed). */
  claimable(claim: {
    poolId: bigint;
    epochId: number;
    contributionId: Hex;
    cumulativeAmount: bigint;
    firstEpoch: number;
    proof: Hex[];
  }): Promise<bigint> {
    return this.#client.readContract({
      address: this.contract,
      abi: attributionEpochsAbi,
      functionName: "claimable",
      args: [claim],
    });
  }
}
