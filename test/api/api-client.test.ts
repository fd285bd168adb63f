// The SDK's API client (sdk/api.ts) against the indexer's routes: its answer types are the routes' own (`ApiRoutes`),
// checked here at the type level (this file fails `npm run typecheck` when a route's answer and what a client reads
// disagree), and its requests go to the routes' paths with their parameters, checked against a stubbed fetch.
import { expect } from "chai";
import type { Hex } from "viem";

import {
  TributaryApi,
  type ApiKind,
  type ApiPool,
  type GetAnchorReturnType,
  type GetAuthorContributionsReturnType,
  type GetAuthorEarningsReturnType,
  type GetContractsReturnType,
  type GetContributionEarningsReturnType,
  type GetContributionReturnType,
  type GetPoolLedgerReturnType,
  type GetSolvencyReturnType,
} from "../../sdk/api.ts";
import { ApiError, UnreachableError } from "../../sdk/errors.ts";

/** True when `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Has<T, K extends PropertyKey> = K extends keyof T ? true : false;
type Contract<Name> = Extract<GetContractsReturnType["contracts"][number], { contract: Name }>;

// Each line fails to compile when the route stops answering the field (or starts answering the old name).
const typeChecks: true[] = [
  // A contribution is `contributionId` everywhere in REST; its record carries its earnings and newer fields.
  true as Equal<GetContributionReturnType["contributionId"], Hex>,
  true as Equal<Has<GetContributionReturnType, "id">, false>,
  true as Equal<Has<GetContributionReturnType, "earnings">, true>,
  true as Equal<GetContributionReturnType["materializedRoot"], Hex | null>,
  true as Equal<GetContributionReturnType["parents"][number]["contributionId"], Hex>,
  true as Equal<Has<GetContributionReturnType["children"][number], "hash">, false>,
  true as Equal<GetContributionReturnType["earnings"]["pools"][number]["canClaim"], boolean>,
  true as Equal<GetContributionEarningsReturnType["pools"][number]["escrowed"], boolean>,
  true as Equal<GetContributionEarningsReturnType["pools"][number]["exposedAt"], string | null>,
  true as Equal<GetAuthorContributionsReturnType["items"][number]["contributionId"], Hex>,
  true as Equal<ApiKind, "prompt" | "correction" | "feedback" | "dataset" | "model_output" | "other">,
  // Earnings: escrow held back, deferred payouts.
  true as Equal<GetAuthorEarningsReturnType["pools"][number]["escrowHeld"], string>,
  true as Equal<GetAuthorEarningsReturnType["deferred"][number], { token: Hex; amount: string }>,
  // A pool is `poolId`; amounts are decimal strings; the replay check's count is in the solvency report.
  true as Equal<ApiPool["poolId"], string>,
  true as Equal<Has<ApiPool, "id">, false>,
  true as Equal<ApiPool["deposited"], string>,
  true as Equal<GetSolvencyReturnType["pools"][number]["replayMismatches"], number>,
  true as Equal<GetSolvencyReturnType["tokens"][number]["totals"]["token"], Hex>,
  true as Equal<GetAnchorReturnType["root"], Hex>,
  true as Equal<GetPoolLedgerReturnType["poolId"], string>,
  // The two contracts' answers told apart by `contract`.
  true as Equal<Contract<"AuthorshipRegistry">["approvedAttesters"], Hex[]>,
  true as Equal<Contract<"RoyaltyVault">["feeBps"], number>,
];

interface Sent {
  url: string;
}

/** Replaces fetch with one that records each URL and answers `status` with `body`. */
function stubFetch(status: number, body: unknown, sent: Sent[]) {
  const original = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request) => {
    sent.push({ url: input instanceof Request ? input.url : String(input) });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  return () => {
    globalThis.fetch = original;
  };
}

const ID = `0x${"ab".repeat(32)}` as Hex;
const AUTHOR = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

describe("the SDK's API client", () => {
  it("derives its answer types from the routes", () => {
    expect(typeChecks.every(Boolean)).to.equal(true);
  });

  it("sends each method to its route, with the parameters the route reads", async () => {
    const sent: Sent[] = [];
    const restore = stubFetch(200, { items: [], nextCursor: null }, sent);
    try {
      const api = new TributaryApi("http://api.test/");
      await api.getContribution(ID);
      await api.getContributionHistory(ID);
      await api.getContributionEarnings(ID);
      await api.getAuthorContributions({ author: AUTHOR, limit: 3, cursor: "abc" });
      await api.getAuthorEarnings(AUTHOR);
      await api.getPools({ limit: 2 });
      await api.getPool(7n);
      await api.getPoolLedger({ poolId: 7n, ledger: "claims", cursor: "c1" });
      await api.getAnchor(ID);
      await api.getSolvency();
      await api.getContracts();
      await api.getHead();
      await api.getStats();
    } finally {
      restore();
    }
    const author = AUTHOR.toLowerCase();
    expect(sent.map((request) => request.url)).to.deep.equal([
      `http://api.test/contributions/${ID}`,
      `http://api.test/contributions/${ID}/history`,
      `http://api.test/contributions/${ID}/earnings`,
      `http://api.test/authors/${author}/contributions?limit=3&cursor=abc`,
      `http://api.test/authors/${author}/earnings`,
      "http://api.test/pools?limit=2",
      "http://api.test/pools/7",
      "http://api.test/pools/7/claims?cursor=c1",
      `http://api.test/anchors/${ID}`,
      "http://api.test/audit/solvency",
      "http://api.test/contracts",
      "http://api.test/head",
      "http://api.test/stats",
    ]);
  });

  it("throws the API's refusal as an ApiError with its status and message", async () => {
    const restore = stubFetch(404, { error: `no contribution registered with hash ${ID}` }, []);
    try {
      const refusal = await new TributaryApi("http://api.test").getContribution(ID).catch((error: unknown) => error);
      expect(refusal).to.be.instanceOf(ApiError);
      expect((refusal as ApiError).status).to.equal(404);
      expect((refusal as ApiError).message).to.include(`no contribution registered with hash ${ID}`);
    } finally {
      restore();
    }
  });

  it("names an API that does not answer, and refuses a malformed id before sending anything", async () => {
    const original = globalThis.fetch;
    globalThis.fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    try {
      const failure = await new TributaryApi("http://api.test").getStats().catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(UnreachableError);
    } finally {
      globalThis.fetch = original;
    }
    expect(() => new TributaryApi("http://api.test").getContribution("0x12" as Hex)).to.throw(/contributionId/);
  });
});
