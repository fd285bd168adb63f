// Attribution epochs end to end, shared by the PGlite and PostgreSQL tiers: a real node and deployment, an epoch pool
// created before the indexer starts (backfill) and everything after it live: funding with a protocol fee, a
// publication, its window passing, a claim with a proof, a second publication vetoed with a reason, a third that
// supersedes the first by time alone, a payout that fails and is deferred then withdrawn, a confirmation, role
// changes, fees collected, and a second pool reclaimed and closed. After each step the API's answers are compared with
// the contract's own views at the block the API says it answers for (`at`), and the solvency report with the chain.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";

import { createClient } from "@ponder/client";
import { concat, keccak256, parseEther, toHex, type Hex } from "viem";

import { attributionEpochsAbi } from "../../abis/AttributionEpochs.ts";
import { royaltyVaultAbi } from "../../abis/RoyaltyVault.ts";
import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  rpc,
  startIndexer,
  startNode,
  waitFor,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import * as schema from "../../indexer/ponder.schema.ts";
import { graphqlData } from "./lib/digest.ts";
import { teardown, transactor } from "./lib/tx.ts";

const ETH: Hex = "0x0000000000000000000000000000000000000000";
const h = (text: string) => keccak256(toHex(text));
const STATUS = ["none", "pending", "payable", "superseded", "vetoed"] as const;
const WINDOW = 3600;
const RECLAIM_DELAY = 90 * 24 * 3600;

type Json = Record<string, unknown>;

export interface EpochScenarioOptions {
  /** PostgreSQL connection string; PGlite when absent. */
  databaseUrl?: () => string;
}

/** Declares the scenario's tests inside the caller's `describe`. */
export function epochScenario(options: EpochScenarioOptions = {}) {
  let node: LocalNode;
  let indexer: Indexer;
  let deploymentsDir: string;
  let clients: ReturnType<typeof localClients>;
  let tx: ReturnType<typeof transactor>;
  let epochs: Hex;
  let vault: Hex;
  let registry: Hex;
  let admin: Hex, publisher: Hex, challenger: Hex, alice: Hex, bob: Hex, newRole: Hex, feeRecipient: Hex;
  const c1 = h("an epoch's first prompt");
  const c2 = h("an epoch's dataset");

  const get = async (route: string) => {
    const response = await fetch(`${indexer.url}${route}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const read = <T>(functionName: string, args: readonly unknown[], blockNumber: bigint) =>
    clients.publicClient.readContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName,
      args,
      blockNumber,
    } as never) as Promise<T>;
  const send = (account: Hex, functionName: string, args: readonly unknown[], value = 0n) =>
    tx.send(account, epochs, attributionEpochsAbi, functionName, args, value);
  /** Waits for the indexer to reach the last transaction's block. */
  const synced = () => waitForIndexedBlock(indexer.url, tx.lastBlock);
  /**
   * The chain's latest block (read afresh: viem keeps a block number for its polling interval, so one read just
   * before a block was mined names the block before), indexed, and an answer of `route` given at it or later. On
   * PostgreSQL the answer cache learns of a block from a notification that can arrive a moment after /status shows
   * the block: an answer read in between is the one cached at the block before (its `at` says so).
   */
  const getAtHead = async (route: string) => {
    const latest = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    await waitForIndexedBlock(indexer.url, latest);
    return waitFor(
      `${route} answered at block ${latest} or later`,
      async () => {
        const answer = await get(route);
        const at = (answer.body.at as { blockNumber?: string } | undefined)?.blockNumber;
        return at !== undefined && BigInt(at) >= latest ? answer : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 25 },
    );
  };

  /** An epoch's tree over up to two leaves: its root and each leaf's proof (sorted-pair hashing). */
  async function tree(poolId: bigint, leaves: [Hex, bigint, number][]) {
    const block = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    const hashes = await Promise.all(
      leaves.map(([id, amount, first]) => read<Hex>("leafOf", [poolId, id, amount, first], block)),
    );
    if (hashes.length === 1) return { root: hashes[0]!, proofs: [[] as Hex[]] };
    const [a, b] = hashes as [Hex, Hex];
    const root = keccak256(BigInt(a) < BigInt(b) ? concat([a, b]) : concat([b, a]));
    return { root, proofs: [[b], [a]] };
  }

  function manifest(root: Hex, total: bigint, previousEpoch: number, label: string) {
    return {
      root,
      total,
      methodId: h("usage-share-v1"),
      methodHash: h(`method ${label}`),
      modelHash: h(`model ${label}`),
      snapshotBlock: 7n,
      eligibleHash: h(`eligible ${label}`),
      usageLogHash: h(`usage ${label}`),
      leafFileHash: h(`leaf file ${label}`),
      leafFileUri: `ipfs://leaves-${label}`,
      previousEpoch,
    };
  }

  /** The API's pool and each of its epochs against getPool and epochOf at the block the API answered for. */
  async function assertPoolMatchesChain(poolId: bigint) {
    const { status, body: pool } = await getAtHead(`/epoch-pools/${poolId}`);
    assert.equal(status, 200);
    const at = BigInt((pool.at as { blockNumber: string }).blockNumber);
    const state = await read<Record<string, unknown>>("getPool", [poolId], at);
    for (const field of ["funded", "claimed", "payableTotal"] as const)
      assert.equal(pool[field], String(state[field]), `pool ${poolId} ${field}`);
    for (const field of ["epochCount", "payableEpoch", "pendingEpoch"] as const)
      assert.equal(pool[field], Number(state[field]), `pool ${poolId} ${field}`);
    for (const field of ["token", "admin", "publisher", "challenger"] as const)
      assert.equal(pool[field], String(state[field]).toLowerCase(), `pool ${poolId} ${field}`);
    assert.equal(pool.closed, state.closed);
    assert.equal(pool.challengeWindow, String(state.challengeWindow));
    assert.equal(pool.replayMismatches, 0);
    const { body: list } = await getAtHead(`/epochs/${poolId}?limit=100`);
    const listAt = BigInt((list.at as { blockNumber: string }).blockNumber);
    for (const item of list.items as Json[]) {
      const [root, publishedAt, code] = await read<[Hex, number, number]>("epochOf", [poolId, item.epochId], listAt);
      assert.equal((item.manifest as Json).root, root);
      assert.equal(item.publishedAt, String(publishedAt));
      assert.equal(item.status, STATUS[code], `epoch ${poolId}/${item.epochId} status at block ${listAt}`);
    }
    return pool;
  }

  before(async () => {
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-deployments-"));
    const deployment = await deploy(node.url, deploymentsDir);
    assert.ok(deployment.contracts.AttributionEpochs, "the deployment names AttributionEpochs");
    epochs = deployment.contracts.AttributionEpochs.address;
    vault = deployment.contracts.RoyaltyVault!.address;
    registry = deployment.contracts.AuthorshipRegistry.address;
    clients = localClients(node.url);
    tx = transactor(clients, node.url);
    [admin, publisher, challenger, alice, bob, newRole, feeRecipient] = (await rpc<Hex[]>(node.url, "eth_accounts"))
      .slice(0, 7)
      .map((a) => a.toLowerCase() as Hex) as [Hex, Hex, Hex, Hex, Hex, Hex, Hex];
    await registerContribution(clients, registry, alice, c1, KIND.prompt, "ipfs://c1");
    await registerContribution(clients, registry, bob, c2, KIND.dataset, "ipfs://c2");
    // Before the indexer starts: found in its backfill.
    await send(admin, "createPool", [
      {
        token: ETH,
        admin,
        publisher,
        challenger,
        challengeWindow: WINDOW,
        reclaimDelay: 0,
        metadataUri: "ipfs://epoch-pool",
      },
    ]);
    indexer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      databaseUrl: options.databaseUrl?.(),
      schema: `epochs_${process.pid}`,
    });
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  it("mirrors a pool created before the indexer started, with its roles, window and metadata URI", async () => {
    await waitForIndexedBlock(indexer.url, tx.lastBlock);
    const pool = await assertPoolMatchesChain(1n);
    assert.equal(pool.metadataUri, "ipfs://epoch-pool");
    assert.equal(pool.creator, admin);
    assert.equal(pool.reclaimDelay, "0");
    assert.equal(pool.payableEpoch, 0);
    const { body } = await get("/epoch-pools");
    assert.deepEqual(
      (body.items as Json[]).map((p) => p.poolId),
      ["1"],
    );
  });

  it("records a funding net of the vault's protocol fee", async () => {
    await tx.send(admin, vault, royaltyVaultAbi, "setProtocolFee", [100, feeRecipient]);
    await send(alice, "fund", [1n, parseEther("10")], parseEther("10"));
    await synced();
    const pool = await assertPoolMatchesChain(1n);
    assert.equal(pool.funded, parseEther("9.9").toString());
    assert.equal(pool.fees, parseEther("0.1").toString());
    assert.equal(pool.received, parseEther("10").toString());
    const { body } = await get("/epoch-pools/1/fundings");
    const [funding] = body.items as Json[];
    assert.equal(funding!.funder, alice);
    assert.equal(funding!.amountReceived, parseEther("10").toString());
    assert.equal(funding!.fee, parseEther("0.1").toString());
    assert.equal(funding!.funded, parseEther("9.9").toString());
  });

  let first: Awaited<ReturnType<typeof tree>>;

  it("serves a published epoch with its whole manifest, pending until its window passes, then payable", async () => {
    first = await tree(1n, [
      [c1, parseEther("1"), 1],
      [c2, parseEther("2"), 1],
    ]);
    const m = manifest(first.root, parseEther("3"), 0, "one");
    await send(publisher, "publish", [1n, m]);
    await synced();
    const { status, body } = await get("/epochs/1/1");
    assert.equal(status, 200);
    assert.equal(body.status, "pending");
    assert.equal(body.publisher, publisher);
    assert.deepEqual(body.manifest, {
      ...m,
      total: m.total.toString(),
      snapshotBlock: m.snapshotBlock.toString(),
    });
    assert.equal(BigInt(body.acceptableAt as string), BigInt(body.publishedAt as string) + BigInt(WINDOW));
    const pool = await assertPoolMatchesChain(1n);
    assert.equal(pool.pendingEpoch, 1);
    assert.equal(pool.pendingAcceptableAt, body.acceptableAt);

    await tx.tick(WINDOW + 1);
    const { body: paying } = await getAtHead("/epochs/1/1");
    assert.equal(paying.status, "payable");
    const after = await assertPoolMatchesChain(1n);
    assert.equal(after.payableEpoch, 1);
    assert.equal(after.pendingEpoch, 0);
    assert.equal(after.payableTotal, parseEther("3").toString());
  });

  it("records a claim proven against the payable epoch: the position, the pool's claims and the epoch's", async () => {
    await send(alice, "claim", [
      {
        poolId: 1n,
        epochId: 1,
        contributionId: c1,
        cumulativeAmount: parseEther("1"),
        firstEpoch: 1,
        proof: first.proofs[0],
      },
      alice,
    ]);
    await synced();
    await assertPoolMatchesChain(1n);
    const { body } = await get("/epoch-pools/1/claims");
    const [claim] = body.items as Json[];
    assert.equal(claim!.contributionId, c1);
    assert.equal(claim!.author, alice);
    assert.equal(claim!.epochId, 1);
    assert.equal(claim!.amount, parseEther("1").toString());
    assert.equal(claim!.claimed, parseEther("1").toString());
    const { body: epoch } = await get("/epochs/1/1");
    assert.equal(epoch.claimCount, 1);
    assert.equal(epoch.claimed, parseEther("1").toString());
    const { body: earnings } = await get(`/contributions/${c1}/earnings`);
    const [position] = earnings.epochPools as Json[];
    const chain = await read<{ claimed: bigint }>("positionOf", [1n, c1], tx.lastBlock);
    assert.equal(position!.claimed, chain.claimed.toString());
    assert.equal(position!.lastEpochId, 1);
    const { body: author } = await get(`/authors/${alice}/earnings`);
    assert.deepEqual(author.epochPools, [
      { poolId: "1", token: ETH, claimed: parseEther("1").toString(), contributions: 1 },
    ]);
  });

  it("records a veto with its reason: the vetoed epoch never pays and the accepted one keeps paying", async () => {
    const second = await tree(1n, [
      [c1, parseEther("1.5"), 1],
      [c2, parseEther("5"), 1],
    ]);
    await send(publisher, "publish", [1n, manifest(second.root, parseEther("6.5"), 1, "two")]);
    await synced();
    assert.equal((await get("/epochs/1/2")).body.status, "pending");
    await send(challenger, "veto", [1n, 2, "inflated leaf for the dataset"]);
    await synced();
    const { body } = await get("/epochs/1/2");
    assert.equal(body.status, "vetoed");
    assert.equal(body.vetoReason, "inflated leaf for the dataset");
    assert.equal(body.vetoedBy, challenger);
    assert.match(String(body.vetoedAt), /^\d+$/);
    assert.equal((await get("/epochs/1/1")).body.status, "payable");
    const pool = await assertPoolMatchesChain(1n);
    assert.equal(pool.payableEpoch, 1);
    assert.equal(pool.acceptedEpoch, 1);
  });

  let third: Awaited<ReturnType<typeof tree>>;

  it("shows an epoch superseded once a later epoch's window passes, with no event in between", async () => {
    third = await tree(1n, [
      [c1, parseEther("1.5"), 1],
      [c2, parseEther("2.5"), 1],
    ]);
    await send(publisher, "publish", [1n, manifest(third.root, parseEther("4"), 1, "three")]);
    await synced();
    await tx.tick(WINDOW + 1);
    const { body } = await getAtHead("/epochs/1/1");
    assert.equal(body.status, "superseded");
    assert.equal(body.supersededBy, 3);
    const { body: three } = await get("/epochs/1/3");
    assert.equal(three.status, "payable");
    assert.equal(body.supersededAt, three.acceptableAt);
    await assertPoolMatchesChain(1n);
  });

  it("records a payout that failed as deferred to its author, and its withdrawal", async () => {
    // The registry has no way to receive ETH: the payout to it fails and is credited to Bob inside the contract.
    await send(bob, "claim", [
      {
        poolId: 1n,
        epochId: 3,
        contributionId: c2,
        cumulativeAmount: parseEther("2.5"),
        firstEpoch: 1,
        proof: third.proofs[1],
      },
      registry,
    ]);
    await synced();
    const owed = await read<bigint>("deferredOf", [bob, ETH], tx.lastBlock);
    assert.equal(owed, parseEther("2.5"));
    const { body } = await get(`/authors/${bob}/earnings`);
    assert.deepEqual(body.epochDeferred, [{ token: ETH, amount: owed.toString() }]);
    const { body: solvency } = await get("/audit/solvency");
    const epochPart = solvency.epochs as { tokens: Json[] };
    assert.equal((epochPart.tokens[0]!.breakdown as Json).deferredOwed, owed.toString());

    await send(bob, "withdrawDeferred", [ETH, bob]);
    await synced();
    const { body: afterWithdrawal } = await get(`/authors/${bob}/earnings`);
    assert.deepEqual(afterWithdrawal.epochDeferred, [{ token: ETH, amount: "0" }]);
    await assertPoolMatchesChain(1n);
  });

  it("records a confirmation, role changes and the fees collected", async () => {
    await send(admin, "confirmAuthor", [1n, c1, alice]);
    await send(admin, "setPublisher", [1n, newRole]);
    await send(admin, "setChallenger", [1n, newRole]);
    await send(feeRecipient, "collectFees", [ETH, feeRecipient]);
    await synced();
    const position = await read<{ confirmedAt: number }>("positionOf", [1n, c1], tx.lastBlock);
    const { body } = await get(`/contributions/${c1}/earnings`);
    const [mirror] = body.epochPools as Json[];
    assert.equal(mirror!.confirmedAt, String(position.confirmedAt));
    assert.equal(mirror!.confirmedAuthor, alice);
    const pool = await assertPoolMatchesChain(1n);
    assert.equal(pool.publisher, newRole);
    assert.equal(pool.challenger, newRole);
    const [, feesOwed] = await read<[bigint, bigint]>("tokenTotals", [ETH], tx.lastBlock);
    const { body: solvency } = await get("/audit/solvency");
    const token = (solvency.epochs as { tokens: Json[] }).tokens[0]!;
    assert.equal((token.breakdown as Json).feesOwed, feesOwed.toString());
    assert.equal((token.totals as Json).feesCollected, parseEther("0.1").toString());
  });

  it("records the superseded epoch once a publication states it, and a reclaim that closes a pool", async () => {
    const fourth = await tree(1n, [[c1, parseEther("2"), 1]]);
    await send(newRole, "publish", [1n, manifest(fourth.root, parseEther("4"), 3, "four")]);
    await send(admin, "createPool", [
      {
        token: ETH,
        admin,
        publisher,
        challenger,
        challengeWindow: WINDOW,
        reclaimDelay: RECLAIM_DELAY,
        metadataUri: "",
      },
    ]);
    await send(alice, "fund", [2n, parseEther("1")], parseEther("1"));
    await tx.tick(RECLAIM_DELAY + 1);
    await send(admin, "reclaimUnclaimed", [2n, admin]);
    await synced();
    const { body: one } = await getAtHead("/epochs/1/1");
    assert.equal(one.status, "superseded");
    assert.equal(one.supersededBy, 3);
    const pool = await assertPoolMatchesChain(2n);
    assert.equal(pool.closed, true);
    assert.equal(pool.reclaimed, parseEther("0.99").toString());
    assert.equal(pool.unclaimed, "0");
    await assertPoolMatchesChain(1n);
  });

  it("includes the epochs contract in the solvency report, against its balance at the indexed head", async () => {
    const { body } = await get("/audit/solvency");
    assert.equal(body.solvent, true);
    const part = body.epochs as { contract: string; solvent: boolean; tokens: Json[]; pools: Json[] };
    assert.equal(part.contract.toLowerCase(), epochs.toLowerCase());
    const [token] = part.tokens;
    const blockNumber = BigInt((body.at as { blockNumber: string }).blockNumber);
    const balance = await clients.publicClient.getBalance({ address: epochs, blockNumber });
    assert.equal(token!.balance, balance.toString());
    const [deferred, fees] = await read<[bigint, bigint]>("tokenTotals", [ETH], blockNumber);
    let owedByPools = 0n;
    for (const poolId of [1n, 2n]) {
      const state = await read<{ funded: bigint; claimed: bigint }>("getPool", [poolId], blockNumber);
      owedByPools += state.funded - state.claimed;
    }
    assert.equal(token!.liabilities, (owedByPools + deferred + fees).toString());
    assert.equal(token!.solvent, true);
    assert.deepEqual(
      part.pools.map((p) => [p.poolId, p.closed]),
      [
        ["1", false],
        ["2", true],
      ],
    );
  });

  it("serves the epoch tables over GraphQL and SQL", async () => {
    const data = await graphqlData<{ epochs: { items: { epochId: number; vetoReason: string | null }[] } }>(
      indexer.url,
      `{ epochs(where: { poolId: "1" }, orderBy: "epochId") { items { epochId vetoReason } } }`,
    );
    assert.deepEqual(
      data.epochs.items.map((e) => [e.epochId, e.vetoReason]),
      [
        [1, null],
        [2, "inflated leaf for the dataset"],
        [3, null],
        [4, null],
      ],
    );
    const client = createClient(`${indexer.url}/sql`, { schema });
    const claims = await client.db.select().from(schema.epochClaimEvent);
    assert.equal(claims.length, 2);
    const pools = await client.db.select().from(schema.epochPool);
    assert.equal(pools.length, 2);
  });

  it("pages a pool's epochs with a cursor", async () => {
    const { body: page1 } = await get("/epochs/1?limit=3");
    assert.deepEqual(
      (page1.items as Json[]).map((e) => e.epochId),
      [1, 2, 3],
    );
    const { body: page2 } = await get(`/epochs/1?limit=3&cursor=${page1.nextCursor}`);
    assert.deepEqual(
      (page2.items as Json[]).map((e) => e.epochId),
      [4],
    );
    assert.equal(page2.nextCursor, null);
  });

  it("answers 400 with a message for a malformed pool id, epoch id, cursor or limit, and changes nothing", async () => {
    for (const [route, parameter] of [
      ["/epoch-pools/abc", "poolId"],
      ["/epoch-pools/0", "poolId"],
      ["/epochs/-1", "poolId"],
      ["/epochs/1/0", "epochId"],
      ["/epochs/1/4294967296", "epochId"],
      ["/epochs/1/x1", "epochId"],
      ["/epoch-pools/1/claims?cursor=not-a-cursor", "cursor"],
      ["/epochs/1?cursor=MTox", "cursor"],
      ["/epoch-pools?limit=1000", "limit"],
      ["/epoch-pools/1/fundings?limit=0", "limit"],
    ] as const) {
      const { status, body } = await get(route);
      assert.equal(status, 400, route);
      assert.equal(body.parameter, parameter, route);
      assert.match(String(body.error), /must be|not one this API returned/, route);
    }
    assert.equal((await get("/epoch-pools")).status, 200);
  });

  it("answers 404 with a message for an unknown pool or epoch", async () => {
    for (const route of ["/epoch-pools/99", "/epochs/99", "/epochs/99/1", "/epoch-pools/99/claims"]) {
      const { status, body } = await get(route);
      assert.equal(status, 404, route);
      assert.match(String(body.error), /no epoch pool 99/, route);
    }
    const { status, body } = await get("/epochs/1/5");
    assert.equal(status, 404);
    assert.match(String(body.error), /has no epoch 5/);
  });
}
