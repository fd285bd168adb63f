// What the epoch commands of every user share: leaf files read from disk into a proof source checked against the
// connected network, the claims they hold for given contributions, and what those are owed, in words.
import { readFile } from "node:fs/promises";

import type { Address, Hex } from "viem";

import {
  FileError,
  getEpoch,
  getEpochPool,
  getEpochPosition,
  InvalidInputError,
  requireEpochs,
  type EpochClaimRequest,
  type EpochStatus,
  type TributaryClient,
} from "../sdk/node.ts";
import { leafFileProofs, type IndexedLeafFile, type LeafFileProofs } from "../sdk/epochs/index.ts";

/** A file's exact bytes; a missing or unreadable file is a FileError. */
export async function readBytes(file: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(
      file,
      code === "ENOENT" ? `no such ${what}: ${file}` : `cannot read the ${what} ${file} (${code ?? "unknown error"})`,
      "check the path",
      { cause: error },
    );
  }
}

/** The leaf files `--leaves` names, read and checked to be of the connected chain's AttributionEpochs. */
export async function leafFilesOf(tributary: TributaryClient, files: readonly string[]): Promise<LeafFileProofs> {
  if (files.length === 0) {
    throw new InvalidInputError("leaves", "no leaf file given", "name the epoch's leaf file with --leaves <file>");
  }
  const contract = requireEpochs(tributary);
  const read = [];
  for (const file of files) read.push({ bytes: await readBytes(file, "leaf file"), source: file });
  return leafFileProofs({ files: read, domain: { chainId: tributary.chainId, contract } });
}

/**
 * Per pool, the leaf file to claim from: the one of the pool's payable epoch, or (none given) the latest given, whose
 * claim the contract then refuses with the reason (in its window, vetoed, superseded).
 */
export async function filesToClaim(tributary: TributaryClient, read: LeafFileProofs): Promise<IndexedLeafFile[]> {
  const byPool = new Map<bigint, IndexedLeafFile[]>();
  for (const file of read.files) byPool.set(file.header.poolId, [...(byPool.get(file.header.poolId) ?? []), file]);
  const chosen: IndexedLeafFile[] = [];
  for (const [poolId, files] of byPool) {
    const { payableEpoch } = await getEpochPool(tributary, poolId);
    const sorted = [...files].sort((a, b) => b.header.epochId - a.header.epochId);
    chosen.push(sorted.find((f) => f.header.epochId === payableEpoch) ?? sorted[0]!);
  }
  return chosen;
}

/** The epoch claims of `contributionIds` that the files name; InvalidInputError when they name none of them. */
export function epochClaimsOf(files: readonly IndexedLeafFile[], contributionIds: readonly Hex[]): EpochClaimRequest[] {
  const claims: EpochClaimRequest[] = [];
  for (const file of files) {
    for (const contributionId of contributionIds) {
      if (file.leaves.has(contributionId)) {
        claims.push({ poolId: file.header.poolId, epochId: file.header.epochId, contributionId });
      }
    }
  }
  if (claims.length === 0) {
    throw new InvalidInputError(
      "leaves",
      `${files.map((f) => f.source).join(", ")} ${files.length === 1 ? "names" : "name"} none of ${contributionIds.join(", ")}`,
      "check the hashes, or give the leaf file of the epoch that pays them",
    );
  }
  return claims;
}

/** One contribution's standing in an epoch pool, from a leaf file held against the chain. */
export interface EpochEarning {
  poolId: bigint;
  epochId: number;
  status: EpochStatus;
  payableEpoch: number;
  contributionId: Hex;
  token: Address;
  /** The leaf's cumulative amount: everything attributed to it up to this epoch. */
  cumulativeAmount: bigint;
  /** Claimed so far, from the chain. */
  claimed: bigint;
  /** What a claim against this file pays now: zero unless its epoch is the payable one. */
  claimable: bigint;
}

/** What each contribution of `contributionIds` is owed by the files' epochs, read against the chain. */
export async function epochEarnings(
  tributary: TributaryClient,
  files: readonly IndexedLeafFile[],
  contributionIds: readonly Hex[],
): Promise<EpochEarning[]> {
  const rows: EpochEarning[] = [];
  for (const file of files) {
    const { poolId, epochId } = file.header;
    const [pool, epoch] = await Promise.all([getEpochPool(tributary, poolId), getEpoch(tributary, poolId, epochId)]);
    for (const contributionId of contributionIds) {
      const leaf = file.leaves.get(contributionId);
      if (!leaf) continue;
      const { claimed } = await getEpochPosition(tributary, poolId, contributionId);
      const owed = leaf.cumulativeAmount > claimed ? leaf.cumulativeAmount - claimed : 0n;
      rows.push({
        poolId,
        epochId,
        status: epoch.status,
        payableEpoch: pool.payableEpoch,
        contributionId,
        token: pool.token,
        cumulativeAmount: leaf.cumulativeAmount,
        claimed,
        claimable: epoch.status === "payable" ? owed : 0n,
      });
    }
  }
  return rows;
}

/** Why a leaf file's epoch does not pay now, in words; empty when it does. */
export function epochStanding(
  row: Pick<EpochEarning, "status" | "epochId"> & Partial<Pick<EpochEarning, "payableEpoch">>,
): string {
  switch (row.status) {
    case "payable":
      return "";
    case "pending":
      return ` (epoch ${row.epochId} is in its challenge window: it pays once the window ends)`;
    case "superseded":
      return ` (epoch ${row.epochId} was superseded: give the leaf file of ${row.payableEpoch ? `epoch ${row.payableEpoch}` : "the epoch that pays"})`;
    case "vetoed":
      return ` (epoch ${row.epochId} was vetoed: it never pays)`;
    default:
      return ` (epoch ${row.epochId} was never published)`;
  }
}
