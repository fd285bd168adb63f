// Claims from epoch pools: an author claims their contributions' leaves (one, or many across pools in one
// transaction), a keeper claims for their authors, and `claimAll` claims epoch pools and vault pools in one
// transaction. Proofs come from an EpochProofSource (leaf files, or the indexer's proof routes through apiProofSource). A claim
// proves against each pool's payable epoch unless told another; leaves that owe nothing or wait in escrow are left
// out, and when none is left the contract's refusal of one is reported and nothing is sent.
import { encodeFunctionData, parseEventLogs, zeroAddress, type Address, type Hex, type Log } from "viem";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { requireAccount, requireEpochs, type TributaryClient } from "../../client.ts";
import { contractError } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { parseAddress, parseHash } from "../../parse.ts";
import { prepare, type TransactionResult } from "../../prepare.ts";
import { getAuthors } from "../registry/read.ts";
import {
  groupByPool,
  selectVaultClaims,
  vaultClaimEvents,
  type ClaimedItem,
  type DeferredItem,
  type SkippedPair,
} from "../vault/claim.ts";
import { epochsRequest, getEpochPool, type EpochPoolState } from "./pool.ts";
import type { EpochProofSource } from "./proofs.ts";
import { canClaimEpoch, getEpochPosition, type EpochClaimItem } from "./read.ts";

/** One contribution to claim from an epoch pool. */
export interface EpochClaimRequest {
  poolId: bigint;
  contributionId: Hex;
  /** The epoch to prove against; default the pool's payable epoch (the only one a claim may name). */
  epochId?: number;
}

/** A leaf a claim left out, and why (as SkippedPair of the vault's claims). */
export interface SkippedEpochClaim {
  poolId: bigint;
  epochId: number;
  contributionId: Hex;
  reason: "nothing owed" | "unregistered" | "escrow-unconfirmed";
}

export interface ClaimedEpochItem extends ClaimedItem {
  epochId: number;
  /** The contribution's total claimed from the pool after this claim. */
  totalClaimed: bigint;
}

export interface ClaimEpochForReturnType extends TransactionResult {
  claimed: ClaimedEpochItem[];
  /** Payouts credited in the contract to their author instead of paid (withdrawEpochDeferred). */
  deferred: DeferredItem[];
  skipped: SkippedEpochClaim[];
}

export interface ClaimEpochReturnType extends ClaimEpochForReturnType {
  to: Address;
}

export interface ClaimEpochBatchParameters {
  claims: readonly EpochClaimRequest[];
  /** Where the leaves' proofs come from (leafFileProofs(...).proofs). */
  proofs: EpochProofSource;
  /** Who is paid; default the account. */
  to?: Address;
}

export interface ClaimEpochParameters extends EpochClaimRequest {
  proofs: EpochProofSource;
  to?: Address;
}

export type ClaimEpochForParameters = Omit<ClaimEpochBatchParameters, "to">;

/** The claims resolved to leaves with proofs, those left out, and the pools read. */
async function resolveClaims(
  client: TributaryClient,
  requests: readonly EpochClaimRequest[],
  proofs: EpochProofSource,
) {
  if (requests.length === 0) {
    throw new InvalidInputError("claims", "no contribution to claim from an epoch pool", "give at least one claim");
  }
  const pools = new Map<bigint, EpochPoolState>();
  for (const { poolId } of requests) if (!pools.has(poolId)) pools.set(poolId, await getEpochPool(client, poolId));
  const seen = new Set<string>();
  const items: EpochClaimItem[] = [];
  for (const request of requests) {
    const contributionId = parseHash(request.contributionId, "contributionId");
    const pool = pools.get(request.poolId)!;
    // Without a payable epoch, the pending one: the contract's refusal then says when it pays.
    const epochId = request.epochId ?? (pool.payableEpoch || pool.pendingEpoch);
    if (epochId === 0) {
      throw new InvalidInputError(
        "poolId",
        `epoch pool ${request.poolId} has no epoch that pays or waits in its challenge window`,
        "claim once its publisher has published an epoch and its window has passed",
      );
    }
    const key = `${request.poolId}:${contributionId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const proof = await proofs({ poolId: request.poolId, epochId, contributionId });
    if (proof === undefined) {
      throw new InvalidInputError(
        "proofs",
        `no proof of ${contributionId} in epoch ${epochId} of pool ${request.poolId}`,
        `give the leaf file of epoch ${epochId} of pool ${request.poolId}, or leave out a contribution it does not name`,
      );
    }
    items.push({ poolId: request.poolId, epochId, contributionId, ...proof, proof: [...proof.proof] });
  }
  // Only against the payable epoch can the chain's books say what is owed; a claim against another is sent to the
  // simulation, whose refusal names why (in its window, vetoed, superseded, unknown).
  const payable = (item: EpochClaimItem) => pools.get(item.poolId)!.payableEpoch === item.epochId;
  const positions = await Promise.all(
    items.map((i) => (payable(i) ? getEpochPosition(client, i.poolId, i.contributionId) : undefined)),
  );
  const owing = items.filter((i, k) => !payable(i) || positions[k]!.claimed < i.cumulativeAmount);
  const skipped: SkippedEpochClaim[] = items
    .filter((i) => !owing.includes(i))
    .map((i) => ({ poolId: i.poolId, epochId: i.epochId, contributionId: i.contributionId, reason: "nothing owed" }));
  const allowed = await Promise.all(
    owing.map((i) => (payable(i) ? canClaimEpoch(client, i.poolId, i.contributionId, i.firstEpoch) : true)),
  );
  const authors = await getAuthors(
    client,
    owing.map((i) => i.contributionId),
  );
  const claiming = owing.filter((_, k) => allowed[k]);
  for (const [k, i] of owing.entries()) {
    if (allowed[k]) continue;
    skipped.push({
      poolId: i.poolId,
      epochId: i.epochId,
      contributionId: i.contributionId,
      reason: authors.get(i.contributionId) === zeroAddress ? "unregistered" : "escrow-unconfirmed",
    });
  }
  // Nothing left: one leaf goes through the simulation, whose revert names why, and nothing is sent.
  const waiting = owing.find((_, k) => !allowed[k]);
  return {
    pools,
    authors,
    ready: claiming,
    claiming: claiming.length > 0 ? claiming : [waiting ?? items[0]!],
    skipped,
  };
}

/** Reads what an epoch claim paid and deferred from its logs. */
function epochEvents(logs: Log[], pools: ReadonlyMap<bigint, EpochPoolState>) {
  const claimed = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "EpochClaimed" }).map(({ args }) => ({
    poolId: args.poolId,
    epochId: Number(args.epochId),
    contributionId: args.contributionId,
    token: pools.get(args.poolId)?.token ?? zeroAddress,
    amount: args.amount,
    totalClaimed: args.claimed,
    author: args.author,
    recipient: args.recipient,
  }));
  const deferred = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "PayoutDeferred" }).map(({ args }) => ({
    poolId: args.poolId,
    contributionId: args.contributionId,
    token: args.token,
    account: args.account,
    recipient: args.recipient,
    amount: args.amount,
  }));
  return { claimed, deferred };
}

/** The claim items as the contract's Epochs.Claim tuples. */
const asArgs = (items: readonly EpochClaimItem[]) => items.map((i) => ({ ...i, proof: [...i.proof] }));

/**
 * Claims the account's contributions from epoch pools, to `to`, in one transaction (`claim` for one leaf,
 * `claimBatch` for several). Leaves that owe nothing or wait in escrow are left out (`skipped`); a payout whose
 * transfer fails is credited to the author (`deferred`).
 */
export async function claimEpochBatch(
  client: TributaryClient,
  parameters: ClaimEpochBatchParameters,
): Promise<ClaimEpochReturnType> {
  const { account } = requireAccount(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const { pools, claiming, skipped } = await resolveClaims(client, parameters.claims, parameters.proofs);
  const [single] = claiming;
  const data =
    claiming.length === 1 && single
      ? encodeFunctionData({
          abi: attributionEpochsAbi,
          functionName: "claim",
          args: [{ ...single, proof: [...single.proof] }, to],
        })
      : encodeFunctionData({ abi: attributionEpochsAbi, functionName: "claimBatch", args: [asArgs(claiming), to] });
  const { transaction, logs } = await (await prepare(client, epochsRequest(client, data))).send();
  return { to, ...transaction, ...epochEvents(logs, pools), skipped };
}

/** Claims one contribution's leaf from an epoch pool (claimEpochBatch with one claim). */
export function claimEpoch(client: TributaryClient, parameters: ClaimEpochParameters): Promise<ClaimEpochReturnType> {
  const { proofs, to, ...request } = parameters;
  return claimEpochBatch(client, { claims: [request], proofs, to });
}

/**
 * A keeper's claim: claims leaves for their registered authors, each author paid directly (the contract's
 * claimFor); anyone may send it and pays only the gas. Sorted by pool and author so that each author's leaves in a
 * pool share one transfer.
 */
export async function claimEpochFor(
  client: TributaryClient,
  parameters: ClaimEpochForParameters,
): Promise<ClaimEpochForReturnType> {
  requireAccount(client);
  const { pools, authors, claiming, skipped } = await resolveClaims(client, parameters.claims, parameters.proofs);
  const key = (i: EpochClaimItem) =>
    `${i.poolId.toString().padStart(78, "0")}:${(authors.get(i.contributionId) ?? zeroAddress).toLowerCase()}`;
  const sorted = [...claiming].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const data = encodeFunctionData({ abi: attributionEpochsAbi, functionName: "claimFor", args: [asArgs(sorted)] });
  const { transaction, logs } = await (await prepare(client, epochsRequest(client, data))).send();
  return { ...transaction, ...epochEvents(logs, pools), skipped };
}

export interface ClaimAllParameters {
  /** The epoch claims (the account's contributions); may be empty. */
  epochClaims: readonly EpochClaimRequest[];
  proofs: EpochProofSource;
  /** The vault pools to claim from and the account's contributions there; either may be empty. */
  vaultPoolIds: readonly bigint[];
  vaultContributionIds: readonly Hex[];
  /** Who the epoch claims pay; default the account. The vault part always pays each contribution's author. */
  to?: Address;
}

export interface ClaimAllReturnType extends ClaimEpochReturnType {
  /** What the vault part paid (RoyaltiesClaimed) and deferred, and the vault pairs left out. */
  vault: { claimed: ClaimedItem[]; deferred: DeferredItem[]; skipped: SkippedPair[] };
}

/** Everything `claimAll` does before sending: simulated (a revert is its ContractRevertError) and its gas estimated. */
export interface PreparedClaimAll {
  to: Address;
  /** The gas estimated for the one transaction. */
  gas: bigint;
  /** The epoch leaves and the vault pairs it pays. */
  epochClaiming: EpochClaimItem[];
  vaultClaiming: { poolId: bigint; contributionId: Hex }[];
  /** What is left out, and why. */
  skipped: SkippedEpochClaim[];
  vaultSkipped: SkippedPair[];
  /** Sends it and waits for its receipt. */
  send: () => Promise<ClaimAllReturnType>;
}

/**
 * Claims everything owed to the account in one transaction: its epoch leaves (as claimEpochBatch, paid to `to`) and
 * its vault royalties (the vault's claimFor, paid to the author: the account). A vault contribution registered to
 * someone else is refused (InvalidInputError on `vaultContributionIds`): the vault would pay its author, not you.
 */
export async function claimAll(client: TributaryClient, parameters: ClaimAllParameters): Promise<ClaimAllReturnType> {
  return (await prepareClaimAll(client, parameters)).send();
}

/** claimAll up to the signature: the transaction simulated and its gas estimated; `send` sends it. */
export async function prepareClaimAll(
  client: TributaryClient,
  parameters: ClaimAllParameters,
): Promise<PreparedClaimAll> {
  const { account } = requireAccount(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const wantsVault = parameters.vaultPoolIds.length > 0 && parameters.vaultContributionIds.length > 0;
  if (!wantsVault && parameters.epochClaims.length === 0) {
    throw new InvalidInputError("epochClaims", "nothing to claim: no epoch claim and no vault pool", "give either");
  }
  const epochPart =
    parameters.epochClaims.length > 0
      ? await resolveClaims(client, parameters.epochClaims, parameters.proofs)
      : undefined;
  let vaultPart: Awaited<ReturnType<typeof selectVaultClaims>> | undefined;
  if (wantsVault) {
    const authors = await getAuthors(client, parameters.vaultContributionIds);
    for (const [id, author] of authors) {
      if (author !== zeroAddress && author.toLowerCase() !== account.address.toLowerCase()) {
        throw contractError("RoyaltyVault_NotAuthor", { contributionId: id, caller: account.address, author });
      }
    }
    vaultPart = await selectVaultClaims(client, parameters.vaultPoolIds, parameters.vaultContributionIds);
  }
  // Each part carries what it can pay; when neither can pay anything, one part's failing item goes through the
  // simulation, whose revert names why, and nothing is sent.
  let epochItems = epochPart?.ready ?? [];
  let vaultPairs = vaultPart?.payable ?? [];
  if (epochItems.length === 0 && vaultPairs.length === 0) {
    if (epochPart) epochItems = epochPart.claiming;
    else vaultPairs = vaultPart!.claiming;
  }
  const [vaultPoolIds, vaultContributionIds] = groupByPool(vaultPairs);
  const data = encodeFunctionData({
    abi: attributionEpochsAbi,
    functionName: "claimAll",
    args: [asArgs(epochItems), to, vaultPoolIds, vaultContributionIds],
  });
  const prepared = await prepare(client, { to: requireEpochs(client), data });
  const skipped = epochPart?.skipped ?? [];
  const vaultSkipped = vaultPart?.skipped ?? [];
  return {
    to,
    gas: prepared.gas,
    epochClaiming: epochItems,
    vaultClaiming: vaultPairs,
    skipped,
    vaultSkipped,
    send: async () => {
      const { transaction, logs } = await prepared.send();
      return {
        to,
        ...transaction,
        ...epochEvents(logs, epochPart?.pools ?? new Map()),
        skipped,
        vault: { ...vaultClaimEvents(logs, vaultPart?.pools ?? new Map()), skipped: vaultSkipped },
      };
    },
  };
}
