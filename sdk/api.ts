/// <reference path="../indexer/ponder-env.d.ts" />
// The auditor's client over the indexer's REST API (indexer/src/api), a thin layer over `hono/client`'s `hc`: every
// answer type below is read from the server's routes (`ApiRoutes`), so a field a route adds or renames is in these
// types at once, and a client that reads a field no route answers does not type-check. Answers are as the API serves
// them: amounts, times and block numbers as decimal strings, hashes and addresses in lower case. The import of the
// routes is type-only: nothing of the indexer is bundled with the SDK (it runs in a browser).
import { hc, type ClientResponse, type InferResponseType } from "hono/client";
import type { Address, Hex } from "viem";

import type { ApiRoutes } from "../indexer/src/api/index.ts";
import type { EpochProofSource } from "./actions/epochs/proofs.ts";
import { ApiError, ConfigError, UnreachableError } from "./errors.ts";
import { parseAddress, parseHash } from "./parse.ts";

type Client = ReturnType<typeof hc<ApiRoutes>>;
/** The answer a route gives with status 200. */
type Ok<Route extends (...args: never[]) => unknown> = InferResponseType<Route, 200>;
/** The body of the successes (200, 201, 202) among a route's responses. */
type OkBody<R> = R extends ClientResponse<infer T, 200 | 201 | 202, "json"> ? T : never;

export type GetContributionReturnType = Ok<Client["contributions"][":contributionId"]["$get"]>;
export type GetContributionHistoryReturnType = Ok<Client["contributions"][":contributionId"]["history"]["$get"]>;
export type GetContributionEarningsReturnType = Ok<Client["contributions"][":contributionId"]["earnings"]["$get"]>;
export type GetAuthorContributionsReturnType = Ok<Client["authors"][":address"]["contributions"]["$get"]>;
export type GetAuthorEarningsReturnType = Ok<Client["authors"][":address"]["earnings"]["$get"]>;
export type GetAnchorReturnType = Ok<Client["anchors"][":root"]["$get"]>;
export type GetPoolsReturnType = Ok<Client["pools"]["$get"]>;
export type ApiPool = Ok<Client["pools"][":poolId"]["$get"]>;
export type GetSolvencyReturnType = Ok<Client["audit"]["solvency"]["$get"]>;
export type GetContractsReturnType = Ok<Client["contracts"]["$get"]>;
export type GetHeadReturnType = Ok<Client["head"]["$get"]>;
export type GetStatsReturnType = Ok<Client["stats"]["$get"]>;
export type GetEpochProofReturnType = Ok<Client["epochs"][":poolId"][":epochId"]["proofs"][":contributionId"]["$get"]>;
export type GetLeafFileReturnType = Ok<Client["epochs"][":poolId"][":epochId"]["leaves"]["$get"]>;
type LeafUploadRoute = Client["epochs"][":poolId"][":epochId"]["leaves"]["$post"];
type LeafStatusRoute = Client["epochs"][":poolId"][":epochId"]["leaves"]["status"]["$get"];
/** Where an upload answered 202 stands (`GET /epochs/:poolId/:epochId/leaves/status`): being checked, or stored. */
export type GetLeafFileStatusReturnType = Ok<LeafStatusRoute>;
/** An upload's outcome: the stored file's summary; `stored` false when the indexer already had it. */
export type UploadLeafFileReturnType = Extract<
  Ok<LeafUploadRoute> | InferResponseType<LeafUploadRoute, 201> | GetLeafFileStatusReturnType,
  { state: "stored" }
>;

export interface UploadLeafFileOptions {
  /** How long to follow an upload the indexer checks in the background (answered 202); default 10 minutes. */
  timeoutMs?: number;
  /** The first wait between two status reads; it doubles up to 2 s. Default 200 ms. */
  intervalMs?: number;
}
export type GetClaimsReturnType = Ok<Client["claims"][":author"]["$get"]>;
export type GetEpochPoolsReturnType = Ok<Client["epoch-pools"]["$get"]>;
export type ApiEpochPool = Ok<Client["epoch-pools"][":poolId"]["$get"]>;
export type GetEpochsReturnType = Ok<Client["epochs"][":poolId"]["$get"]>;
/** An epoch with its manifest and where it stands at the indexed head. */
export type ApiEpoch = GetEpochsReturnType["items"][number];
export type GetEarningsHistoryReturnType = Ok<Client["authors"][":address"]["earnings"]["history"]["$get"]>;
export type GetContributionEarningsHistoryReturnType = Ok<
  Client["contributions"][":contributionId"]["earnings"]["history"]["$get"]
>;
/** One token's series of an earnings history: the total, and the contributions paid most. */
export type ApiEarningsSeries = GetEarningsHistoryReturnType["tokens"][number];

export interface GetEarningsHistoryParameters {
  /** Buckets: 1 to 200; default 60. */
  points?: number;
  /** Unix seconds; default just before the first claim. */
  from?: bigint | number;
  /** Unix seconds; default the indexed head's time. */
  to?: bigint | number;
  /** Per-contribution series (the contributions paid most): 0 to 20; default 5. Author histories only. */
  contributions?: number;
}

/** A history's query as the route reads it: decimal strings, absent when not given. */
function historyQuery(parameters: GetEarningsHistoryParameters) {
  const query: Record<string, string> = {};
  for (const key of ["points", "from", "to", "contributions"] as const) {
    if (parameters[key] !== undefined) query[key] = String(parameters[key]);
  }
  return query;
}

/** One claim an author can submit now: a leaf of a pool's payable epoch, its proof, and what it would pay. */
export type ApiClaim = GetClaimsReturnType["items"][number];

/** A contribution as a list serves it (an author's contributions). */
export type ApiContribution = GetAuthorContributionsReturnType["items"][number];
/** The kind names the indexer serves (snake case, as in its schema). */
export type ApiKind = ApiContribution["kind"];
/** A parent or child of a contribution: its id and, when it is registered, its author, kind and date. */
export type ApiContributionSummary = GetContributionReturnType["children"][number];
/** One pool of an author's earnings. */
export type ApiEarningsPool = GetAuthorEarningsReturnType["pools"][number];
/** One step of a contract's ownership: a proposal (`started`; to the zero address cancels) or a transfer. */
export type ApiOwnershipEvent = GetContractsReturnType["contracts"][number]["ownershipHistory"][number];

export interface GetAuthorContributionsParameters {
  author: Address;
  /** 1 to 100; default 25. */
  limit?: number;
  /** The nextCursor of the previous page. */
  cursor?: string;
}

export type PoolLedger = "deposits" | "claims" | "units";

export interface GetPoolLedgerParameters {
  poolId: bigint | string;
  ledger: PoolLedger;
  limit?: number;
  cursor?: string;
}

/** One page of a pool's deposits, claims or unit changes, oldest first, each with its block, transaction and log index. */
export type GetPoolLedgerReturnType =
  | Ok<Client["pools"][":poolId"]["deposits"]["$get"]>
  | Ok<Client["pools"][":poolId"]["claims"]["$get"]>
  | Ok<Client["pools"][":poolId"]["units"]["$get"]>;

/** A page's query as the routes read it: decimal strings, absent when not given. */
function page(parameters: { limit?: number; cursor?: string }): { limit?: string; cursor?: string } {
  return {
    ...(parameters.limit === undefined ? {} : { limit: String(parameters.limit) }),
    ...(parameters.cursor ? { cursor: parameters.cursor } : {}),
  };
}

/** A typed client of the indexer's REST API. */
export class TributaryApi {
  readonly baseUrl: string;
  readonly #client: Client;

  constructor(baseUrl: string | undefined) {
    if (!baseUrl) {
      throw new ConfigError("no indexer API is configured", "give `baseUrl`, the indexer API's URL", {
        parameter: "baseUrl",
      });
    }
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.#client = hc<ApiRoutes>(this.baseUrl, {
      fetch: (...[input, init]: Parameters<typeof fetch>) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(15_000) }),
    });
  }

  /** The 2xx answer of `request`; an ApiError for any other status, an UnreachableError when nothing answers. */
  async #read<R extends ClientResponse<unknown, number, "json">>(request: () => Promise<R>): Promise<OkBody<R>> {
    let response: Response;
    try {
      response = (await request()) as unknown as Response;
    } catch (error) {
      throw new UnreachableError(
        `the indexer API at ${this.baseUrl} did not answer`,
        "check that the indexer is running and that the API URL points at it",
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
        "check the API URL",
      );
    }
    if (response.ok) return body as OkBody<R>;
    const message = (body as { error?: string }).error ?? `HTTP ${response.status}`;
    if (response.status === 404) {
      throw new ApiError(404, message, "check the value, or wait for the indexer to catch up with the chain");
    }
    throw new ApiError(response.status, `the API refused the request: ${message}`, "correct the value and retry");
  }

  /** A contribution's record with its parents, children and earnings. Throws a 404 ApiError when it is not registered. */
  getContribution(contributionId: Hex): Promise<GetContributionReturnType> {
    const param = { contributionId: parseHash(contributionId, "contributionId") };
    return this.#read(() => this.#client.contributions[":contributionId"].$get({ param }));
  }

  /** Every registration, consent change, transfer and supersession of a contribution, newest first. */
  getContributionHistory(contributionId: Hex): Promise<GetContributionHistoryReturnType> {
    const param = { contributionId: parseHash(contributionId, "contributionId") };
    return this.#read(() => this.#client.contributions[":contributionId"].history.$get({ param }));
  }

  /** One page of an author's contributions, oldest first. */
  getAuthorContributions(parameters: GetAuthorContributionsParameters): Promise<GetAuthorContributionsReturnType> {
    const param = { address: parseAddress(parameters.author, "address").toLowerCase() };
    return this.#read(() => this.#client.authors[":address"].contributions.$get({ param, query: page(parameters) }));
  }

  /** Every contribution of an author, following the cursor until the last page. */
  async getAllAuthorContributions(author: Address): Promise<GetAuthorContributionsReturnType> {
    let current = await this.getAuthorContributions({ author, limit: 100 });
    const items = [...current.items];
    while (current.nextCursor) {
      current = await this.getAuthorContributions({ author, limit: 100, cursor: current.nextCursor });
      items.push(...current.items);
    }
    return { author: current.author, total: current.total, items, nextCursor: null };
  }

  /** One page of pools, by id. */
  getPools(parameters: { limit?: number; cursor?: string } = {}): Promise<GetPoolsReturnType> {
    return this.#read(() => this.#client.pools.$get({ query: page(parameters) }));
  }

  /** A pool with its totals and its stream at the indexed head. Throws a 404 ApiError for an unknown pool. */
  getPool(poolId: bigint | string): Promise<ApiPool> {
    return this.#read(() => this.#client.pools[":poolId"].$get({ param: { poolId: String(poolId) } }));
  }

  /** One page of a pool's deposits, claims or unit changes, oldest first. */
  getPoolLedger(parameters: GetPoolLedgerParameters): Promise<GetPoolLedgerReturnType> {
    const { poolId, ledger, ...rest } = parameters;
    const request = { param: { poolId: String(poolId) }, query: page(rest) };
    const pool = this.#client.pools[":poolId"];
    if (ledger === "deposits") return this.#read(() => pool.deposits.$get(request));
    if (ledger === "claims") return this.#read(() => pool.claims.$get(request));
    return this.#read(() => pool.units.$get(request));
  }

  /** What an author's contributions have accrued, claimed and can claim, per pool and per token. */
  getAuthorEarnings(author: Address): Promise<GetAuthorEarningsReturnType> {
    const param = { address: parseAddress(author, "address").toLowerCase() };
    return this.#read(() => this.#client.authors[":address"].earnings.$get({ param }));
  }

  /** What one contribution has accrued, claimed and can claim in each pool. */
  getContributionEarnings(contributionId: Hex): Promise<GetContributionEarningsReturnType> {
    const param = { contributionId: parseHash(contributionId, "contributionId") };
    return this.#read(() => this.#client.contributions[":contributionId"].earnings.$get({ param }));
  }

  /** The vault's balances against what it owes, per token, from events alone (balances read from the chain). */
  getSolvency(): Promise<GetSolvencyReturnType> {
    return this.#read(() => this.#client.audit.solvency.$get());
  }

  /** An anchored root with its attester and leaf-file URI. */
  getAnchor(root: Hex): Promise<GetAnchorReturnType> {
    return this.#read(() => this.#client.anchors[":root"].$get({ param: { root: parseHash(root, "root") } }));
  }

  /** Who controls each contract: owner, pending owner, ownership history; the attesters; the vault's fee and pause. */
  getContracts(): Promise<GetContractsReturnType> {
    return this.#read(() => this.#client.contracts.$get());
  }

  /** The indexed head against the node's, and whether the indexer keeps up within its limits. */
  getHead(): Promise<GetHeadReturnType> {
    return this.#read(() => this.#client.head.$get());
  }

  /**
   * A contribution's leaf in an epoch and its proof, from the leaf file the indexer stored. A 404 ApiError when the
   * epoch, its stored file or the leaf is unknown; 410 when the epoch was vetoed.
   */
  getEpochProof(poolId: bigint | string, epochId: number, contributionId: Hex): Promise<GetEpochProofReturnType> {
    const param = {
      poolId: String(poolId),
      epochId: String(epochId),
      contributionId: parseHash(contributionId, "contributionId"),
    };
    return this.#read(() => this.#client.epochs[":poolId"][":epochId"].proofs[":contributionId"].$get({ param }));
  }

  /** The stored leaf file of an epoch: its root, hash, leaf count and total, and the epoch's status on chain. */
  getLeafFile(poolId: bigint | string, epochId: number): Promise<GetLeafFileReturnType> {
    const param = { poolId: String(poolId), epochId: String(epochId) };
    return this.#read(() => this.#client.epochs[":poolId"][":epochId"].leaves.$get({ param }));
  }

  /**
   * Hands the indexer an epoch's leaf file, which it keeps only when it reproduces the chain's root and leaf-file
   * hash (a 422 ApiError names what does not match). `stored` is false when it already had the file.
   */
  async uploadLeafFile(
    poolId: bigint | string,
    epochId: number,
    leafFile: Uint8Array,
    options: UploadLeafFileOptions = {},
  ): Promise<UploadLeafFileReturnType> {
    const param = { poolId: String(poolId), epochId: String(epochId) };
    const answer = await this.#read(() =>
      this.#client.epochs[":poolId"][":epochId"].leaves.$post(
        { param },
        // A view over an ArrayBuffer is what fetch's body types accept (a SharedArrayBuffer's is not).
        {
          init: { body: leafFile as Uint8Array<ArrayBuffer>, headers: { "content-type": "text/plain; charset=utf-8" } },
        },
      ),
    );
    if (answer.state === "stored") return answer;
    // A large file is checked in the background: its status is followed until it is stored or refused.
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    const deadline = Date.now() + timeoutMs;
    let wait = options.intervalMs ?? 200;
    let unanswered = 0;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, Math.max(0, deadline - Date.now()))));
      let status: GetLeafFileStatusReturnType;
      try {
        status = await this.getLeafFileStatus(poolId, epochId);
        unanswered = 0;
      } catch (error) {
        // A dropped connection while the indexer is busy storing is asked again; five in a row are its answer.
        if (!(error instanceof UnreachableError) || ++unanswered >= 5 || Date.now() >= deadline) throw error;
        continue;
      }
      if (status.state === "stored") return status;
      if (Date.now() >= deadline) {
        throw new ApiError(
          504,
          `the indexer at ${this.baseUrl} was still checking the leaf file of epoch ${epochId} of pool ${poolId} after ${Math.round(timeoutMs / 1000)} s`,
          "follow it with `getLeafFileStatus`, or allow a longer `timeoutMs`",
        );
      }
      wait = Math.min(wait * 2, 2_000);
    }
  }

  /**
   * Where the last upload of an epoch stands: `checking`, or `stored` with the file's summary. A refused upload is
   * its refusal, thrown as an ApiError with the 4xx the check gave (422 naming what does not match); a 404 when no
   * upload is known and no file is stored.
   */
  getLeafFileStatus(poolId: bigint | string, epochId: number): Promise<GetLeafFileStatusReturnType> {
    const param = { poolId: String(poolId), epochId: String(epochId) };
    return this.#read(() => this.#client.epochs[":poolId"][":epochId"].leaves.status.$get({ param }));
  }

  /** One page of what an author can claim now from epoch pools, each with its proof, by contributionId. */
  getClaims(parameters: GetAuthorContributionsParameters): Promise<GetClaimsReturnType> {
    const param = { author: parseAddress(parameters.author, "author").toLowerCase() };
    return this.#read(() => this.#client.claims[":author"].$get({ param, query: page(parameters) }));
  }

  /** One page of epoch pools, by id, each as the contract shows it at the indexed head. */
  getEpochPools(parameters: { limit?: number; cursor?: string } = {}): Promise<GetEpochPoolsReturnType> {
    return this.#read(() => this.#client["epoch-pools"].$get({ query: page(parameters) }));
  }

  /** An epoch pool: its token, roles, totals and payable epoch. Throws a 404 ApiError for an unknown pool. */
  getEpochPool(poolId: bigint | string): Promise<ApiEpochPool> {
    return this.#read(() => this.#client["epoch-pools"][":poolId"].$get({ param: { poolId: String(poolId) } }));
  }

  /** One page of a pool's epochs, oldest first, with their manifests and status at the indexed head. */
  getEpochs(parameters: { poolId: bigint | string; limit?: number; cursor?: string }): Promise<GetEpochsReturnType> {
    const { poolId, ...rest } = parameters;
    return this.#read(() =>
      this.#client.epochs[":poolId"].$get({ param: { poolId: String(poolId) }, query: page(rest) }),
    );
  }

  /**
   * What an author's contributions were paid over time, vault and epoch pools alike, per token, cumulative at the end
   * of each time bucket: the total and the contributions paid most.
   */
  getEarningsHistory(
    author: Address,
    parameters: GetEarningsHistoryParameters = {},
  ): Promise<GetEarningsHistoryReturnType> {
    const param = { address: parseAddress(author, "address").toLowerCase() };
    return this.#read(() =>
      this.#client.authors[":address"].earnings.history.$get({ param, query: historyQuery(parameters) }),
    );
  }

  /** What one contribution was paid over time, per token (getEarningsHistory for one contribution). */
  getContributionEarningsHistory(
    contributionId: Hex,
    parameters: Omit<GetEarningsHistoryParameters, "contributions"> = {},
  ): Promise<GetContributionEarningsHistoryReturnType> {
    const param = { contributionId: parseHash(contributionId, "contributionId") };
    return this.#read(() =>
      this.#client.contributions[":contributionId"].earnings.history.$get({ param, query: historyQuery(parameters) }),
    );
  }

  /** Counts of contributions, authors and pools, and each token's totals, at the indexed head. */
  getStats(): Promise<GetStatsReturnType> {
    return this.#read(() => this.#client.stats.$get());
  }
}

/**
 * A proof source (the claim actions' `EpochProofSource`) that asks the indexer's API
 * (`GET /epochs/:poolId/:epochId/proofs/:contributionId`). Undefined when the epoch's stored file has no leaf for the
 * contribution; the API's other refusals are thrown: a 404 ApiError for an unknown epoch or one whose file the
 * indexer does not hold, a 410 one for a vetoed epoch.
 */
export function apiProofSource(api: TributaryApi | string): EpochProofSource {
  const client = typeof api === "string" ? new TributaryApi(api) : api;
  return async ({ poolId, epochId, contributionId }) => {
    try {
      const answer = await client.getEpochProof(poolId, epochId, contributionId);
      return { cumulativeAmount: BigInt(answer.cumulativeAmount), firstEpoch: answer.firstEpoch, proof: answer.proof };
    } catch (error) {
      // The one 404 that means "no such leaf" rather than "no such epoch or file" (routes/leaves.ts words it so).
      if (error instanceof ApiError && error.status === 404 && /has no leaf for/.test(error.shortMessage))
        return undefined;
      throw error;
    }
  };
}
