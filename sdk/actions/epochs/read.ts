// Reads of the attribution epochs from the chain: which epoch pays, where an epoch stands and the manifest it was
// published with, what a contribution was paid from a pool, and what a leaf would pay now.
import type { Hex } from "viem";
import { getBlock, getBlockNumber, readContract } from "viem/actions";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { requireEpochs, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { readPublishedEpochs, type PublishedEpoch } from "../../epochs/published.ts";
import { parseHash } from "../../parse.ts";

/** Where an epoch stands, as the contract's Epochs.Status. */
export const EPOCH_STATUSES = ["none", "pending", "payable", "superseded", "vetoed"] as const;
export type EpochStatus = (typeof EPOCH_STATUSES)[number];

/** The epoch claims of a pool prove against now; 0 when none. */
export async function getPayableEpoch(client: TributaryClient, poolId: bigint): Promise<number> {
  return Number(
    await attempt(() =>
      readContract(client.publicClient, {
        address: requireEpochs(client),
        abi: attributionEpochsAbi,
        functionName: "payableEpoch",
        args: [poolId],
      }),
    ),
  );
}

export interface EpochState {
  poolId: bigint;
  epochId: number;
  /** Zero when there is no such epoch. */
  root: Hex;
  /** Unix seconds of its publication. */
  publishedAt: number;
  status: EpochStatus;
}

/** An epoch's stored root, publication time and where it stands now. */
export async function getEpoch(client: TributaryClient, poolId: bigint, epochId: number): Promise<EpochState> {
  const [root, publishedAt, status] = await attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "epochOf",
      args: [poolId, epochId],
    }),
  );
  return { poolId, epochId, root, publishedAt: Number(publishedAt), status: EPOCH_STATUSES[status] ?? "none" };
}

export interface EpochPosition {
  /** The contribution's cumulative amount paid or credited so far, in the token's smallest unit. */
  claimed: bigint;
  /** The record date the pool's admin confirmed; 0 when none. */
  confirmedAt: number;
}

/** What a contribution has been paid from an epoch pool. */
export async function getEpochPosition(
  client: TributaryClient,
  poolId: bigint,
  contributionId: Hex,
): Promise<EpochPosition> {
  const args = [poolId, parseHash(contributionId, "contributionId")] as const;
  const position = await attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "positionOf",
      args,
    }),
  );
  return { claimed: position.claimed, confirmedAt: Number(position.confirmedAt) };
}

/** A leaf of an epoch's tree and its proof: what a claim carries. */
export interface EpochClaimItem {
  poolId: bigint;
  epochId: number;
  contributionId: Hex;
  cumulativeAmount: bigint;
  firstEpoch: number;
  proof: readonly Hex[];
}

/**
 * What a claim of `item` would pay now, in the token's smallest unit: zero when its proof does not hold against the
 * payable epoch or nothing is owed. Ignores who claims and the escrow rule (canClaimEpoch).
 */
export async function getEpochClaimable(client: TributaryClient, item: EpochClaimItem): Promise<bigint> {
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "claimable",
      args: [{ ...item, proof: [...item.proof] }],
    }),
  );
}

/** Whether the contribution's registered author may claim from the pool under the escrow rule; false unregistered. */
export async function canClaimEpoch(
  client: TributaryClient,
  poolId: bigint,
  contributionId: Hex,
  firstEpoch: number,
): Promise<boolean> {
  const args = [poolId, parseHash(contributionId, "contributionId"), firstEpoch] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "canClaim",
      args,
    }),
  );
}

/**
 * An epoch's manifest and publication, read from its EpochPublished event on the chain (from the deployment's start
 * block, in bounded block ranges); undefined when the pool never published that epoch.
 */
export async function getEpochPublication(
  client: TributaryClient,
  poolId: bigint,
  epochId: number,
): Promise<PublishedEpoch | undefined> {
  // Read afresh: viem keeps a client's block number for its polling interval, which would miss a publication just
  // mined.
  const toBlock = await attempt(() => getBlockNumber(client.publicClient, { cacheTime: 0 }));
  const [published] = await readPublishedEpochs({
    publicClient: client.publicClient,
    contract: requireEpochs(client),
    fromBlock: BigInt(client.deployment.contracts.AttributionEpochs?.startBlock ?? 0),
    toBlock,
    poolId,
    epochId,
  });
  return published;
}

/** The latest block's time, in Unix seconds: the clock the challenge window runs on. */
export async function chainTime(client: TributaryClient): Promise<number> {
  return Number((await attempt(() => getBlock(client.publicClient))).timestamp);
}
