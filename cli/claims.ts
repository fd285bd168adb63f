// What an author's claim and a keeper's claim-for share: which pools to claim from, and the notes on the pairs (vault
// pools) and leaves (epoch pools) a claim deferred or left out.
import type { Command } from "commander";
import type { Address, Hex } from "viem";

import {
  ApiError,
  InvalidInputError,
  parsePoolId,
  type ClaimEpochForReturnType,
  type ClaimForReturnType,
} from "../sdk/node.ts";
import { api, config } from "./context.ts";

/**
 * The pools to claim from: the `--pool` options, or without them every pool in which the indexer says one of the
 * contributions can claim something.
 */
export async function poolsToClaim(command: Command, given: readonly string[], contributionIds: readonly Hex[]) {
  if (given.length > 0) return given.map((p) => parsePoolId(p, "--pool"));
  if (config(command).apiUrl === undefined) {
    throw new InvalidInputError(
      "pool",
      "no --pool given",
      "name the pools with --pool <id>, or give --api so the indexer finds them",
    );
  }
  const reader = api(command);
  const found = new Set<bigint>();
  for (const id of contributionIds) {
    const earnings = await reader.getContributionEarnings(id);
    for (const p of earnings.pools) if (p.claimable !== "0") found.add(BigInt(p.poolId));
  }
  if (found.size === 0) {
    throw new ApiError(
      404,
      `the indexer knows nothing to claim for ${contributionIds.length === 1 ? contributionIds[0] : "these contributions"}`,
      "check tributary earnings; royalties stream over the pool's duration",
    );
  }
  return [...found];
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
