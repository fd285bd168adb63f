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

/** How long an epoch's status or a pool's payable epoch is reused: a status moves with time, at most once a window. */
const STATUS_TTL_MS = 1_000;

export class EpochsReader {
  readonly chainId: number;
  readonly contract: Hex;
  readonly #client: PublicClient;
  readonly #startBlock: bigint;
  readonly #epochs = new Map<string, { at: number; value: Promise<ChainEpoch> }>();
  readonly #payable = new Map<string, { at: number; value: Promise<number> }>();
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
    const key = `${poolId}:${epochId}`;
    const cached = this.#epochs.get(key);
    // A vetoed epoch stays vetoed; anything else is read again after a second.
    if (cached !== undefined && Date.now() - cached.at < STATUS_TTL_MS) return cached.value;
    const value = this.#client
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
      }));
    value.then(
      (epoch) => {
        if (epoch.status === "vetoed") this.#epochs.set(key, { at: Infinity, value });
      },
      () => this.#epochs.delete(key),
    );
    this.#epochs.set(key, { at: Date.now(), value });
    return value;
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
    const key = String(poolId);
    const cached = this.#payable.get(key);
    if (cached !== undefined && Date.now() - cached.at < STATUS_TTL_MS) return cached.value;
    const value = this.#client
      .readContract({ address: this.contract, abi: attributionEpochsAbi, functionName: "payableEpoch", args: [poolId] })
      .then(Number);
    value.catch(() => this.#payable.delete(key));
    this.#payable.set(key, { at: Date.now(), value });
    return value;
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
