// Claims: an author claims their contributions' royalties across pools in one transaction; a keeper claims for
// their authors. Pairs that owe nothing or wait in escrow are left out (the vault would refuse the whole claim).
import { encodeFunctionData, parseEventLogs, zeroAddress, type Address, type Hex, type Log } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireAccount, requireVault, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { parseAddress, parseHash } from "../../parse.ts";
import { prepare, type PreparedTransaction, type TransactionResult } from "../../prepare.ts";
import { getAuthors } from "../registry/read.ts";
import { canClaim } from "./escrow.ts";
import { getPool, type PoolState } from "./pool.ts";

/** What a contribution can claim from a pool now, in the token's smallest unit. */
export async function getClaimable(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<bigint> {
  const args = [poolId, parseHash(contributionId, "contributionId")] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireVault(client),
      abi: royaltyVaultAbi,
      functionName: "claimable",
      args,
    }),
  );
}

export interface ClaimParameters {
  /** The pools to claim from. */
  poolIds: readonly bigint[];
  /** The contributions to claim, in each pool. */
  contributionIds: readonly Hex[];
  /** Who is paid; default the account. */
  to?: Address;
}

export interface ClaimedItem {
  poolId: bigint;
  contributionId: Hex;
  token: Address;
  amount: bigint;
  /** The registered author the royalties belong to. */
  author: Address;
  /** The wallet paid, or whose transfer failed (then see `deferred`). */
  recipient: Address;
}

/** A payout whose transfer failed: credited in the vault to the contribution's author (withdrawDeferred). */
export interface DeferredItem {
  poolId: bigint;
  contributionId: Hex;
  token: Address;
  /** The author credited: who may withdraw it. */
  account: Address;
  /** The wallet whose transfer failed. */
  recipient: Address;
  amount: bigint;
}

export interface ClaimPair {
  poolId: bigint;
  contributionId: Hex;
}

/**
 * A (pool, contribution) pair a claim left out, and why: it owed nothing; or its royalties wait in escrow, because
 * nobody has registered the contribution yet ("unregistered"), or because its record is newer than the pool's
 * exposure of the hash and the pool's admin has not confirmed it ("escrow-unconfirmed", see confirmAuthor).
 */
export interface SkippedPair extends ClaimPair {
  reason: "nothing owed" | "unregistered" | "escrow-unconfirmed";
}

export interface ClaimReturnType extends TransactionResult {
  to: Address;
  claimed: ClaimedItem[];
  /** Payouts credited in the vault to their author instead of paid, to withdraw with withdrawDeferred. */
  deferred: DeferredItem[];
  /** Pairs given that were left out, and why. */
  skipped: SkippedPair[];
}

export interface ClaimForParameters {
  /** The pools to claim from. */
  poolIds: readonly bigint[];
  /** The contributions to claim, in each pool; any author's. */
  contributionIds: readonly Hex[];
}

export type ClaimForReturnType = Omit<ClaimReturnType, "to">;

/**
 * The pairs of the given pools and contributions, split into those the vault would pay now (`payable`; `claiming` is
 * them, or when there is none the one pair whose simulated claim says why) and those left out:
 * nothing owed, or waiting in escrow ("unregistered" when nobody registered the hash, "escrow-unconfirmed" when its
 * record may not claim the escrow).
 */
export async function selectVaultClaims(
  client: TributaryClient,
  poolIds: readonly bigint[],
  contributionIds: readonly Hex[],
) {
  if (poolIds.length === 0 || contributionIds.length === 0) {
    throw new InvalidInputError(
      poolIds.length === 0 ? "poolIds" : "contributionIds",
      "no pool or no contribution given",
      "give at least one of each",
    );
  }
  const ids = [...new Set(contributionIds.map((id) => parseHash(id, "contributionIds")))];
  const uniquePools = [...new Set(poolIds)];
  const pairs: ClaimPair[] = uniquePools.flatMap((poolId) => ids.map((contributionId) => ({ poolId, contributionId })));
  const pools = new Map<bigint, PoolState>();
  for (const poolId of uniquePools) pools.set(poolId, await getPool(client, poolId));
  const amounts = await Promise.all(pairs.map((p) => getClaimable(client, p.poolId, p.contributionId)));
  const owing = pairs.filter((_, i) => amounts[i]! > 0n);
  const skipped: SkippedPair[] = pairs
    .filter((_, i) => amounts[i] === 0n)
    .map((p) => ({ ...p, reason: "nothing owed" as const }));
  const authors = await getAuthors(
    client,
    owing.map((p) => p.contributionId),
  );
  const allowed = await Promise.all(owing.map((p) => canClaim(client, p.poolId, p.contributionId)));
  const payable = owing.filter((_, i) => allowed[i]);
  const waiting: SkippedPair[] = owing
    .filter((_, i) => !allowed[i])
    .map((p) => ({
      ...p,
      reason:
        authors.get(p.contributionId) === zeroAddress ? ("unregistered" as const) : ("escrow-unconfirmed" as const),
    }));
  // Nothing payable is left: one pair goes through the simulation, whose revert names why (NothingToClaim,
  // EscrowUnconfirmed, NotRegistered, NotAuthor...), and nothing is sent.
  const claiming = payable.length > 0 ? payable : [waiting[0] ?? pairs[0]!];
  return { pools, authors, claiming, payable, skipped: [...skipped, ...waiting] };
}

/** Pairs as a batch's arguments: the pools, and per pool its contributions. */
export function groupByPool(pairs: readonly ClaimPair[]): [bigint[], Hex[][]] {
  const grouped = new Map<bigint, Hex[]>();
  for (const p of pairs) grouped.set(p.poolId, [...(grouped.get(p.poolId) ?? []), p.contributionId]);
  return [[...grouped.keys()], [...grouped.values()]];
}

/** What a transaction's vault events say it paid (RoyaltiesClaimed) and deferred (PayoutDeferred). */
export function vaultClaimEvents(
  logs: Log[],
  pools: ReadonlyMap<bigint, Pick<PoolState, "token">>,
): { claimed: ClaimedItem[]; deferred: DeferredItem[] } {
  const claimed = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "RoyaltiesClaimed" }).map(({ args }) => ({
    poolId: args.poolId,
    contributionId: args.contributionId,
    token: pools.get(args.poolId)?.token ?? zeroAddress,
    amount: args.amount,
    author: args.author,
    recipient: args.recipient,
  }));
  const deferred = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "PayoutDeferred" }).map(({ args }) => ({
    poolId: args.poolId,
    contributionId: args.contributionId,
    token: args.token,
    account: args.account,
    recipient: args.recipient,
    amount: args.amount,
  }));
  return { claimed, deferred };
}

/** Sends a claim and reads what it paid and deferred from its events (what accrued up to its block). */
async function sendClaim(
  prepared: PreparedTransaction,
  pools: ReadonlyMap<bigint, PoolState>,
): Promise<Omit<ClaimForReturnType, "skipped">> {
  const { transaction, logs } = await prepared.send();
  return { ...transaction, ...vaultClaimEvents(logs, pools) };
}

/**
 * Claims the royalties of the account's contributions from the pools, to `to`, in one transaction. Pairs that owe
 * nothing are left out, and so are pairs whose royalties wait in escrow. When no pair is left, the single claim's
 * revert is reported and nothing is sent. A payout whose transfer to `to` fails is credited to the author
 * (`deferred`).
 */
export async function claim(client: TributaryClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  return (await prepareClaim(client, parameters)).send();
}

/** A claim simulated and its gas estimated, not sent yet: a wallet's page shows `gas` before its owner signs. */
export interface PreparedClaim {
  to: Address;
  /** The gas estimated for the claim's transaction. */
  gas: bigint;
  /** The pairs the claim pays now. */
  claiming: { poolId: bigint; contributionId: Hex }[];
  /** Pairs given that are left out, and why. */
  skipped: SkippedPair[];
  /** Sends the claim and waits for its receipt. */
  send: () => Promise<ClaimReturnType>;
}

/**
 * Everything `claim` does before sending: the pairs split as `claim` splits them, the claim simulated (a revert is
 * its ContractRevertError, and nothing is sent) and its gas estimated. `send` sends it.
 */
export async function prepareClaim(client: TributaryClient, parameters: ClaimParameters): Promise<PreparedClaim> {
  const { account } = requireAccount(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const { pools, claiming, skipped } = await selectVaultClaims(client, parameters.poolIds, parameters.contributionIds);
  const [single] = claiming;
  const data =
    claiming.length === 1 && single
      ? encodeFunctionData({
          abi: royaltyVaultAbi,
          functionName: "claim",
          args: [single.poolId, single.contributionId, to],
        })
      : encodeFunctionData({ abi: royaltyVaultAbi, functionName: "claimBatch", args: [...groupByPool(claiming), to] });
  const prepared = await prepare(client, { to: requireVault(client), data });
  return {
    to,
    gas: prepared.gas,
    claiming,
    skipped,
    send: async () => ({ to, ...(await sendClaim(prepared, pools)), skipped }),
  };
}

/**
 * A keeper's claim: claims contributions' royalties for their registered authors, each author paid directly (the
 * vault's claimFor); anyone may send it and pays only the gas. Pairs that owe nothing or wait in escrow are left
 * out. Within each pool the pairs are sent grouped by author, so that each author's contributions share one
 * transfer. When no pair is left, the revert of one is reported and nothing is sent.
 */
export async function claimFor(client: TributaryClient, parameters: ClaimForParameters): Promise<ClaimForReturnType> {
  requireAccount(client);
  const { pools, authors, claiming, skipped } = await selectVaultClaims(
    client,
    parameters.poolIds,
    parameters.contributionIds,
  );
  const authorKey = (p: ClaimPair) => (authors.get(p.contributionId) ?? zeroAddress).toLowerCase();
  const byAuthor = (a: ClaimPair, b: ClaimPair) => {
    const [x, y] = [authorKey(a), authorKey(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  // groupByPool groups the pairs by pool in the order met; sorted by author first, each pool's list holds each author's
  // contributions side by side.
  const data = encodeFunctionData({
    abi: royaltyVaultAbi,
    functionName: "claimFor",
    args: groupByPool([...claiming].sort(byAuthor)),
  });
  return { ...(await sendClaim(await prepare(client, { to: requireVault(client), data }), pools)), skipped };
}
