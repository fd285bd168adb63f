// What an author's claim and a keeper's claim-for share: which pools to claim from, and the notes on the pairs (vault
// pools) and leaves (epoch pools) a claim deferred or left out.
import type { Command } from "commander";
import type { Address, Hex } from "viem";

import {
  apiProofSource,
  ApiError,
  InvalidInputError,
  parsePoolId,
  UnreachableError,
  type ClaimEpochForReturnType,
  type ClaimForReturnType,
  type EpochClaimRequest,
  type EpochProofSource,
  type TributaryApi,
  type TributaryClient,
} from "../sdk/node.ts";
import { api, config } from "./context.ts";
import { epochClaimsOf, filesToClaim, leafFilesOf } from "./epochs.ts";

/** What the CLI says when neither a leaf file nor the indexer can give an epoch's proofs. */
export const OFFLINE_HINT =
  "pass the epoch's leaf file with --leaves <file>, or start the indexer (npm start) or point --api / TRIBUTARY_API_URL at a running one";

/**
 * Runs a read of the indexer's API; an indexer that does not answer becomes the error that names both ways to a
 * proof (a local leaf file, a running indexer).
 */
export async function fromIndexer<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnreachableError) {
      throw new UnreachableError(`${error.shortMessage}, so it cannot give the epochs' proofs`, OFFLINE_HINT, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Where a claim's epoch leaves and vault pools come from. */
export interface ClaimSources {
  epochClaims: EpochClaimRequest[];
  proofs: EpochProofSource;
  vaultPoolIds: bigint[];
}

const noProofs: EpochProofSource = async () => undefined;

/**
 * What a claim (or a keeper's claim-for) of `contributionIds` takes: with `--leaves`, the leaves the files hold and
 * the `--pool`s; without, the indexer's stored leaf files of each pool's payable epoch (its earnings answers, proofs
 * through apiProofSource) and the vault pools it says owe them, or the `--pool`s. An indexer that does not answer,
 * or one that knows nothing to claim, is an error that says how to claim offline (with `--pool`, an indexer that does
 * not answer leaves the epochs out, with a warning). Nothing is sent here.
 */
export async function claimSources(
  command: Command,
  tributary: TributaryClient,
  options: { pool: readonly string[]; leaves: readonly string[] },
  contributionIds: readonly Hex[],
): Promise<ClaimSources> {
  const given = options.pool.map((p) => parsePoolId(p, "--pool"));
  if (options.leaves.length > 0) {
    const read = await leafFilesOf(tributary, options.leaves);
    const epochClaims = epochClaimsOf(await filesToClaim(tributary, read), contributionIds);
    return { epochClaims, proofs: read.proofs, vaultPoolIds: given };
  }
  if (config(command).apiUrl === undefined) {
    if (given.length > 0) return { epochClaims: [], proofs: noProofs, vaultPoolIds: given };
    throw new InvalidInputError(
      "pool",
      "no --pool or --leaves given, and no indexer API is configured to find what is owed",
      "name vault pools with --pool <id> and epochs' leaf files with --leaves <file>, or give --api so the indexer finds them",
    );
  }
  const reader = api(command);
  try {
    return await claimSourcesFromIndexer(reader, given, contributionIds);
  } catch (error) {
    // Vault pools named with --pool need no indexer: an indexer that does not answer only leaves epochs out.
    if (!(error instanceof UnreachableError) || given.length === 0) throw error;
    // On stderr: --json output stays JSON.
    process.stderr.write(
      `warning: ${error.shortMessage}: only the --pool vault pools are claimed; ${OFFLINE_HINT.replace(/^pass/, "to claim epochs, pass")}\n`,
    );
    return { epochClaims: [], proofs: noProofs, vaultPoolIds: given };
  }
}

/**
 * From the indexer's earnings of each contribution (one request each): the vault pools that owe it, and the leaves
 * of payable epochs whose stored file owes it something, whose proofs apiProofSource then reads.
 */
async function claimSourcesFromIndexer(
  reader: TributaryApi,
  given: bigint[],
  contributionIds: readonly Hex[],
): Promise<ClaimSources> {
  const epochClaims: EpochClaimRequest[] = [];
  const owing = new Set<bigint>();
  for (const contributionId of contributionIds) {
    const earnings = await fromIndexer(() => reader.getContributionEarnings(contributionId));
    for (const p of earnings.pools) if (p.claimable !== "0") owing.add(BigInt(p.poolId));
    for (const e of earnings.epochs) {
      if (e.status === "payable" && e.claimable !== "0") {
        epochClaims.push({ poolId: BigInt(e.poolId), epochId: e.epochId, contributionId });
      }
    }
  }
  const vaultPoolIds = given.length > 0 ? given : [...owing];
  if (epochClaims.length === 0 && vaultPoolIds.length === 0) {
    throw new ApiError(
      404,
      `the indexer knows nothing to claim for ${contributionIds.length === 1 ? contributionIds[0] : "these contributions"}`,
      `check tributary earnings; an epoch whose leaf file the indexer does not hold is claimed with --leaves <file>`,
    );
  }
  return { epochClaims, proofs: apiProofSource(reader), vaultPoolIds };
}

/** A claim's deferred payouts and the pairs it left out, for human output. */
export function claimNotes(
  result: Pick<ClaimForReturnType, "deferred" | "skipped">,
  label: (amount: bigint, token: Address) => string,
): string[] {
  return [
    ...result.deferred.map(
      (d) =>
        `  the transfer of ${label(d.amount, d.token)} for ${d.contributionId} to ${d.recipient} failed: credited in the vault to its author ${d.account}, who takes it with tributary withdraw-deferred`,
    ),
    ...result.skipped.map((s) =>
      s.reason === "unregistered"
        ? `  ${s.contributionId} is not registered: its royalties in pool ${s.poolId} wait in escrow for its author; left out`
        : s.reason === "escrow-unconfirmed"
          ? `  ${s.contributionId}'s royalties in pool ${s.poolId} wait in escrow: its record is newer than the pool's exposure of the hash, and the pool's admin has not confirmed its author (tributary escrow show ${s.poolId} ${s.contributionId}); left out`
          : `  nothing to claim for ${s.contributionId} in pool ${s.poolId}: left out`,
    ),
  ];
}

/** An epoch claim's deferred payouts and the leaves it left out, for human output. */
export function epochClaimNotes(
  result: Pick<ClaimEpochForReturnType, "deferred" | "skipped">,
  label: (amount: bigint, token: Address) => string,
): string[] {
  return [
    ...result.deferred.map(
      (d) =>
        `  the transfer of ${label(d.amount, d.token)} for ${d.contributionId} to ${d.recipient} failed: credited in the epochs contract to its author ${d.account}, who takes it with tributary withdraw-deferred --epochs`,
    ),
    ...result.skipped.map((s) =>
      s.reason === "unregistered"
        ? `  ${s.contributionId} is not registered: its amount in epoch pool ${s.poolId} waits for its author; left out`
        : s.reason === "escrow-unconfirmed"
          ? `  ${s.contributionId}'s amount in epoch pool ${s.poolId} waits: its record is newer than the epoch that first named it, and the pool's admin has not confirmed its author; left out`
          : `  nothing to claim for ${s.contributionId} in epoch ${s.epochId} of epoch pool ${s.poolId}: claimed already; left out`,
    ),
  ];
}
