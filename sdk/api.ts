// The auditor's client over the indexer's REST API (indexer/src/api). Results are typed as the API serves them:
// amounts, times and block numbers as decimal strings, hashes and addresses in lower case.
import type { Address, Hex } from "viem";

import { ApiError, ConfigError, UnreachableError } from "./errors.ts";
import { parseAddress, parseHash } from "./parse.ts";

/** The kind names the indexer serves (snake case, as in its schema). */
export type ApiKind = "prompt" | "correction" | "feedback" | "dataset" | "model_output" | "other";

export interface ApiContributionSummary {
  hash: Hex;
  author?: Address;
  kind?: ApiKind;
  registeredAt?: string;
}

export interface ApiContribution {
  id: Hex;
  author: Address;
  kind: ApiKind;
  registeredAt: string;
  trainingConsent: boolean;
  uri: string;
  nonce: number;
  pendingAuthor: Address | null;
  parentCount: number;
  childCount: number;
  supersededCount: number;
  blockNumber: string;
  transactionHash: Hex;
  logIndex: number;
  updatedAtBlock: string;
}

export interface GetContributionReturnType extends ApiContribution {
  parents: (ApiContributionSummary & { position: number })[];
  children: ApiContributionSummary[];
  childrenTruncated: boolean;
}

interface ApiEvent {
  id: string;
  contributionId: Hex;
  blockNumber: string;
  timestamp: string;
  transactionHash: Hex;
  logIndex: number;
}

export interface GetContributionHistoryReturnType {
  contributionId: Hex;
  registrations: (ApiEvent & {
    author: Address;
    kind: ApiKind;
    registeredAt: string;
    trainingConsent: boolean;
    uri: string;
  })[];
  consent: (ApiEvent & { author: Address; trainingConsent: boolean; nonce: number })[];
  transfers: (ApiEvent & { stage: "started" | "accepted"; from: Address; to: Address; nonce: number | null })[];
  superseded: (ApiEvent & { previousAuthor: Address; previousRegisteredAt: string; registeredAt: string })[];
}

export interface GetAuthorContributionsParameters {
  author: Address;
  /** 1 to 100; default 25. */
  limit?: number;
  /** The nextCursor of the previous page. */
  cursor?: string;
}

export interface GetAuthorContributionsReturnType {
  author: Address;
  total: number;
  items: ApiContribution[];
  nextCursor: string | null;
}

export interface GetAnchorReturnType {
  id: Hex;
  attester: Address;
  anchoredAt: string;
  uri: string;
  blockNumber: string;
  transactionHash: Hex;
}

/** A pool as the indexer serves it, its stream moved to the indexed head. Amounts in the token's smallest unit. */
export interface ApiPool {
  id: string;
  /** The zero address means ETH. */
  token: Address;
  admin: Address;
  pendingAdmin: Address | null;
  attributor: Address | null;
  creator: Address;
  duration: string;
  metadataUri: string;
  totalUnits: string;
  deposited: string;
  fees: string;
  claimed: string;
  depositCount: number;
  claimCount: number;
  contributionCount: number;
  createdAtBlock: string;
  createdAt: string;
  stream: {
    at: string;
    ratePerSecond: string;
    streamEnd: string;
    streaming: boolean;
    notYetStreamedScaled: string;
    carriedRemainderScaled: string;
  };
  /** Owed to the pool's contributions, claimable or still streaming. */
  liabilities: string;
}

export interface GetPoolsReturnType {
  items: ApiPool[];
  nextCursor: string | null;
}

export type PoolLedger = "deposits" | "claims" | "units";

export interface GetPoolLedgerParameters {
  poolId: bigint | string;
  ledger: PoolLedger;
  limit?: number;
  cursor?: string;
}

export interface GetPoolLedgerReturnType {
  poolId: string;
  /** Deposit, claim or units events, oldest first, each with its block, transaction and log index. */
  items: Record<string, string | number | boolean | null>[];
  nextCursor: string | null;
}

export interface ApiEarningsPool {
  poolId: string;
  token: Address;
  claimed: string;
  claimable: string;
  accrued: string;
  contributions: number;
}

export interface GetAuthorEarningsReturnType {
  author: Address;
  /** The indexed head's time (Unix seconds) and block: the amounts are as of then. */
  at: string;
  atBlock: string;
  contributions: number;
  pools: ApiEarningsPool[];
  tokens: { token: Address; accrued: string; claimed: string; claimable: string }[];
}

export interface GetContributionEarningsReturnType {
  contributionId: Hex;
  at: string;
  atBlock: string;
  pools: {
    poolId: string;
    token: Address;
    units: string;
    removedForConsent: boolean;
    claimed: string;
    claimable: string;
    accrued: string;
    accPerUnit: string;
  }[];
}

export interface GetSolvencyReturnType {
  vault: Address;
  at: { timestamp: string; blockNumber: string };
  solvent: boolean;
  tokens: {
    token: Address;
    balance: string | null;
    liabilities: string;
    difference: string | null;
    solvent: boolean | null;
    breakdown: { pools: string; feesOwed: string; deferredOwed: string };
    error?: string;
  }[];
  pools: {
    poolId: string;
    token: Address;
    liabilities: string;
    notYetStreamedScaled: string;
    carriedRemainderScaled: string;
  }[];
}

/** One step of a contract's ownership: a proposal (`started`; to the zero address cancels) or a transfer. */
export interface ApiOwnershipEvent {
  stage: "started" | "transferred";
  previousOwner: Address;
  newOwner: Address;
  blockNumber: string;
  timestamp: string;
  transactionHash: Hex;
  logIndex: number;
}

interface ApiContractControl {
  address: Address;
  owner: Address;
  /** The owner proposed and not yet accepted; null when none. */
  pendingOwner: Address | null;
  updatedAtBlock: string;
  /** Newest first. */
  ownershipHistory: ApiOwnershipEvent[];
}

export interface GetContractsReturnType {
  contracts: (
    | (ApiContractControl & {
        contract: "AuthorshipRegistry";
        approvedAttesters: Address[];
        approvedAttestersTruncated: boolean;
      })
    | (ApiContractControl & { contract: "RoyaltyVault"; feeBps: number; feeRecipient: Address; paused: boolean })
  )[];
  ownershipHistoryTruncated: boolean;
}

function query(parameters: { limit?: number; cursor?: string }): string {
  const search = new URLSearchParams();
  if (parameters.limit !== undefined) search.set("limit", String(parameters.limit));
  if (parameters.cursor) search.set("cursor", parameters.cursor);
  return search.size ? `?${search}` : "";
}

/** A typed client of the indexer's REST API. */
export class TributaryApi {
  readonly baseUrl: string;

  constructor(baseUrl: string | undefined) {
    if (!baseUrl) {
      throw new ConfigError("no indexer API is configured", "pass --api <url> or set TRIBUTARY_API_URL");
    }
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  private async get<T>(route: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      throw new UnreachableError(
        `the indexer API at ${this.baseUrl} did not answer`,
        "check that the indexer is running and that --api / TRIBUTARY_API_URL points at it",
        { cause: error },
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(
        response.status,
        `the API at ${this.baseUrl} answered ${response.status} without JSON`,
        "check --api",
      );
    }
    if (response.ok) return body as T;
    const message = (body as { error?: string }).error ?? `HTTP ${response.status}`;
    if (response.status === 404) {
      throw new ApiError(404, message, "check the value, or wait for the indexer to catch up with the chain");
    }
    throw new ApiError(response.status, `the API refused the request: ${message}`, "correct the value and retry");
  }

  /** A contribution's record with its parents and children. Throws a 404 ApiError when it is not registered. */
  getContribution(contributionId: Hex): Promise<GetContributionReturnType> {
    return this.get(`/contributions/${parseHash(contributionId, "hash")}`);
  }

  /** Every registration, consent change, transfer and supersession of a contribution, newest first. */
  getContributionHistory(contributionId: Hex): Promise<GetContributionHistoryReturnType> {
    return this.get(`/contributions/${parseHash(contributionId, "hash")}/history`);
  }

  /** One page of an author's contributions, oldest first. */
  getAuthorContributions(parameters: GetAuthorContributionsParameters): Promise<GetAuthorContributionsReturnType> {
    const query = new URLSearchParams();
    if (parameters.limit !== undefined) query.set("limit", String(parameters.limit));
    if (parameters.cursor) query.set("cursor", parameters.cursor);
    const qs = query.size ? `?${query}` : "";
    return this.get(`/authors/${parseAddress(parameters.author, "address").toLowerCase()}/contributions${qs}`);
  }

  /** Every contribution of an author, following the cursor until the last page. */
  async getAllAuthorContributions(author: Address): Promise<GetAuthorContributionsReturnType> {
    let page = await this.getAuthorContributions({ author, limit: 100 });
    const items = [...page.items];
    while (page.nextCursor) {
      page = await this.getAuthorContributions({ author, limit: 100, cursor: page.nextCursor });
      items.push(...page.items);
    }
    return { author: page.author, total: page.total, items, nextCursor: null };
  }

  /** One page of pools, by id. */
  getPools(parameters: { limit?: number; cursor?: string } = {}): Promise<GetPoolsReturnType> {
    return this.get(`/pools${query(parameters)}`);
  }

  /** A pool with its totals and its stream at the indexed head. Throws a 404 ApiError for an unknown pool. */
  getPool(poolId: bigint | string): Promise<ApiPool> {
    return this.get(`/pools/${poolId}`);
  }

  /** One page of a pool's deposits, claims or unit changes, oldest first. */
  getPoolLedger(parameters: GetPoolLedgerParameters): Promise<GetPoolLedgerReturnType> {
    const { poolId, ledger, ...page } = parameters;
    return this.get(`/pools/${poolId}/${ledger}${query(page)}`);
  }

  /** What an author's contributions have accrued, claimed and can claim, per pool and per token. */
  getAuthorEarnings(author: Address): Promise<GetAuthorEarningsReturnType> {
    return this.get(`/authors/${parseAddress(author, "address").toLowerCase()}/earnings`);
  }

  /** What one contribution has accrued, claimed and can claim in each pool. */
  getContributionEarnings(contributionId: Hex): Promise<GetContributionEarningsReturnType> {
    return this.get(`/contributions/${parseHash(contributionId, "hash")}/earnings`);
  }

  /** The vault's balances against what it owes, per token, from events alone (balances read from the chain). */
  getSolvency(): Promise<GetSolvencyReturnType> {
    return this.get("/audit/solvency");
  }

  /** An anchored root with its attester and leaf-file URI. */
  getAnchor(root: Hex): Promise<GetAnchorReturnType> {
    return this.get(`/anchors/${parseHash(root, "root")}`);
  }

  /** Who controls each contract: owner, pending owner, ownership history; the attesters; the vault's fee and pause. */
  getContracts(): Promise<GetContractsReturnType> {
    return this.get("/contracts");
  }
}
