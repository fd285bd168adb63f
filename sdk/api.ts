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
  contentHash: Hex;
  blockNumber: string;
  timestamp: string;
  transactionHash: Hex;
  logIndex: number;
}

export interface GetContributionHistoryReturnType {
  contentHash: Hex;
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
  getContribution(contentHash: Hex): Promise<GetContributionReturnType> {
    return this.get(`/contributions/${parseHash(contentHash, "hash")}`);
  }

  /** Every registration, consent change, transfer and supersession of a contribution, newest first. */
  getContributionHistory(contentHash: Hex): Promise<GetContributionHistoryReturnType> {
    return this.get(`/contributions/${parseHash(contentHash, "hash")}/history`);
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

  /** An anchored root with its attester and leaf-file URI. */
  getAnchor(root: Hex): Promise<GetAnchorReturnType> {
    return this.get(`/anchors/${parseHash(root, "root")}`);
  }
}
