// The earnings-history routes end to end: a contributor's prompt claims from an ETH vault pool twice, 15 minutes
// apart, from a dUSD epoch pool once, then from the vault pool again, over the cap the indexer runs with (3 claims); the indexer answers its author's and the contribution's history, bucketed
// in the database, with exactly the number of points asked for, cumulative amounts that end at what was claimed, and
// a 400 naming the parameter for each bad input.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlock } from "viem/actions";

import {
  deploy,
  freePort,
  launchIndexer,
  rpc,
  startNode,
  waitForIndexedBlock,
  waitReady,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import {
  ETH,
  TributaryApi,
  claim,
  claimEpoch,
  connect,
  createPool,
  deposit,
  hashText,
  parseDeployment,
  register,
  setUnits,
  withAccount,
  ApiError,
} from "../../sdk/index.ts";
import { leafFileProofs } from "../../sdk/epochs/index.ts";
import { openPaidEpoch } from "./lib/epochs.ts";

const CONTRIBUTOR: Hex = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const PROVIDER: Hex = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";

describe("earnings history routes", { timeout: 600_000 }, () => {
  let node: LocalNode;
  let indexer: Indexer;
  let work: string;
  let api: TributaryApi;
  let author: Hex;
  let token: Hex;
  const prompt = hashText("Prompt: the history of a royalty, drawn in buckets.");
  /** What each claim paid, in order: vault ETH, vault ETH, epoch dUSD. */
  const paid: { token: Hex; amount: bigint; timestamp: bigint }[] = [];

  const get = (route: string) => fetch(`${indexer.url}${route}`);

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-history-"));
    node = await startNode();
    const deploymentsDir = path.join(work, "deployments");
    await deploy(node.url, deploymentsDir);
    const deployment = parseDeployment(JSON.parse(await readFile(path.join(deploymentsDir, "31337.json"), "utf8")));
    const network = await connect({ rpcUrl: node.url, deployment });
    const contributor = withAccount(network, privateKeyToAccount(CONTRIBUTOR));
    const provider = withAccount(network, privateKeyToAccount(PROVIDER));
    author = contributor.account!.address;
    await register(contributor, { contributionId: prompt, kind: "prompt", direct: true });

    const epoch = await openPaidEpoch(provider, node.url, { amount: 8_000_000n, weights: new Map([[prompt, 1n]]) });
    token = epoch.token;

    const pool = await createPool(provider, { token: ETH, duration: 3600, uri: "" });
    await setUnits(provider, { poolId: pool.poolId, entries: [{ contributionId: prompt, units: 1n }] });
    await deposit(provider, { poolId: pool.poolId, amount: parseEther("1") });
    const timeOf = async (blockNumber: bigint) => (await getBlock(network.publicClient, { blockNumber })).timestamp;
    for (let i = 0; i < 2; i++) {
      await rpc(node.url, "evm_increaseTime", [900]);
      await rpc(node.url, "evm_mine");
      const claimed = await claim(contributor, { poolIds: [pool.poolId], contributionIds: [prompt] });
      paid.push({ token: ETH, amount: claimed.claimed[0]!.amount, timestamp: await timeOf(claimed.blockNumber) });
    }
    await rpc(node.url, "evm_increaseTime", [900]);
    await rpc(node.url, "evm_mine");
    const epochClaim = await claimEpoch(contributor, {
      poolId: epoch.poolId,
      contributionId: prompt,
      proofs: (await leafFileProofs({ files: [{ bytes: epoch.leafFile.bytes, source: "built" }] })).proofs,
    });
    paid.push({ token, amount: epochClaim.claimed[0]!.amount, timestamp: await timeOf(epochClaim.blockNumber) });
    // A fourth claim, over the indexer's cap of 3 claims an answer: only a range that ends before it is answered.
    await rpc(node.url, "evm_increaseTime", [900]);
    await rpc(node.url, "evm_mine");
    const late = await claim(contributor, { poolIds: [pool.poolId], contributionIds: [prompt] });

    indexer = await launchIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      port: await freePort(),
      pgliteDir: path.join(work, "pglite"),
      schema: `history_${Date.now()}`,
      extraEnv: { TRIBUTARY_API_HISTORY_MAX_CLAIMS: "3" },
    });
    await waitReady(indexer, indexer.url, 300_000);
    await waitForIndexedBlock(indexer.url, late.blockNumber, 120_000);
    api = new TributaryApi(indexer.url);
  });

  after(async () => {
    await indexer?.stop();
    await node?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("answers an author's history in exactly the points asked for, per token, ending at what was claimed", async () => {
    const history = await api.getEarningsHistory(author, { points: 12, to: paid[2]!.timestamp });
    assert.equal(history.points, 12);
    const eth = history.tokens.find((t) => t.token === ETH)!;
    const dusd = history.tokens.find((t) => t.token === token.toLowerCase())!;
    assert.ok(eth && dusd, "one series per token, vault pools and epoch pools alike");
    for (const series of [eth, dusd]) {
      assert.equal(series.total.length, 12);
      const times = series.total.map((p) => BigInt(p.t));
      for (let i = 1; i < times.length - 1; i++) assert.equal(times[i]! - times[i - 1]!, BigInt(history.bucketSeconds));
      assert.equal(times.at(-1), BigInt(history.to), "the last bucket ends at `to`");
      assert.ok(times.at(-1)! - times.at(-2)! <= BigInt(history.bucketSeconds));
      const claimed = series.total.map((p) => BigInt(p.claimed));
      for (let i = 1; i < claimed.length; i++) assert.ok(claimed[i]! >= claimed[i - 1]!, "cumulative");
    }
    const ethPaid = paid.filter((p) => p.token === ETH).reduce((a, p) => a + p.amount, 0n);
    assert.equal(BigInt(eth.total.at(-1)!.claimed), ethPaid);
    assert.equal(BigInt(dusd.total.at(-1)!.claimed), 8_000_000n);
    // The first vault claim is in an earlier bucket than the second: the series steps twice.
    const steps = eth.total.filter((p) => BigInt(p.paid) > 0n);
    assert.equal(steps.length, 2);
    assert.equal(BigInt(steps[0]!.paid), paid[0]!.amount);
    assert.ok(BigInt(steps[0]!.t) >= paid[0]!.timestamp, "a bucket ends at or after the claims it counts");
    // The per-contribution series of the one contribution equals the total.
    assert.deepEqual(
      eth.contributions.map((c) => c.contributionId),
      [prompt],
    );
    assert.deepEqual(eth.contributions[0]!.points, eth.total);
  });

  it("starts a narrower range at what was claimed before it, and answers one contribution's history", async () => {
    const from = paid[0]!.timestamp; // the first claim is before the range
    const history = await api.getContributionEarningsHistory(prompt, { points: 3, from, to: paid[1]!.timestamp + 10n });
    const eth = history.tokens.find((t) => t.token === ETH)!;
    assert.equal(eth.total.length, 3);
    assert.equal(BigInt(eth.total[0]!.claimed) >= paid[0]!.amount, true);
    assert.equal(BigInt(eth.total.at(-1)!.claimed), paid[0]!.amount + paid[1]!.amount);
    assert.equal(
      history.tokens.find((t) => t.token === token.toLowerCase()),
      undefined,
      "the epoch claim is later",
    );
    const none = await api.getEarningsHistory("0x000000000000000000000000000000000000dEaD");
    assert.deepEqual(none.tokens, [], "an author with no claim has no series");
  });

  it("refuses a range holding more claims than the indexer's cap, with a 400 naming to", async () => {
    const response = await get(`/authors/${author}/earnings/history`);
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: string; parameter: string };
    assert.equal(body.parameter, "to");
    assert.match(body.error, /more than 3 claims up to \d+: give an earlier to/);
  });

  const refused: [string, string, RegExp][] = [
    ["/authors/0x123/earnings/history", "address", /must be an address/],
    ["/authors/0xzz00000000000000000000000000000000000000/earnings/history", "address", /must be an address/],
    ["/contributions/0x1234/earnings/history", "contributionId", /64 hexadecimal/],
    ["/authors/{author}/earnings/history?points=201", "points", /from 1 to 200/],
    ["/authors/{author}/earnings/history?points=0", "points", /from 1 to 200/],
    ["/authors/{author}/earnings/history?points=ten", "points", /from 1 to 200/],
    ["/authors/{author}/earnings/history?contributions=21", "contributions", /from 0 to 20/],
    ["/authors/{author}/earnings/history?from=-5", "from", /Unix seconds/],
    ["/authors/{author}/earnings/history?from=200&to=100", "from", /earlier than to/],
  ];
  for (const [route, parameter, message] of refused) {
    it(`refuses ${route.replace("{author}", ":author")} with a 400 naming ${parameter}`, async () => {
      const response = await get(route.replace("{author}", author));
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: string; parameter: string };
      assert.equal(body.parameter, parameter);
      assert.match(body.error, message);
    });
  }

  it("the SDK's client reports a refusal as an ApiError with the API's words", async () => {
    await assert.rejects(api.getEarningsHistory(author, { points: 500 }), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      assert.match(error.shortMessage, /points must be a whole number from 1 to 200/);
      return true;
    });
  });
});
