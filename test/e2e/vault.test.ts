// Royalties end to end: pools, units (unregistered hashes in escrow: one registered with older evidence, one confirmed
// by the pool's admin, one neither), deposits with a protocol fee, claims across pools, a consent removal, a unit
// batch that lowers a pool's units to its carried remainder, a payout deferred to its author, fees collected. The
// indexer stores what the events state and computes only what accrues between them; the test checks its answers
// against the contract's own views at the same block, and the solvency report against the chain's balances.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, parseEther, parseEventLogs, toHex, type Abi, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../abis/RoyaltyVault.ts";
import { KIND, localClients } from "../../scripts/lib/chain.ts";
import { advance, type StreamState } from "../../indexer/src/streamMath.ts";
import { graphqlData } from "./lib/digest.ts";
import { transactor, teardown } from "./lib/tx.ts";
import {
  ROOT,
  deploy,
  rpc,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";

const h = (text: string) => keccak256(toHex(text));
const ETH: Hex = "0x0000000000000000000000000000000000000000";

/** The test token's artifact; compiled with the Solidity tests (hardhat build without --no-tests). */
function tokenArtifact(): { abi: Abi; bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "test", "mocks", "ERC20Mock.sol", "ERC20Mock.json");
  if (!existsSync(file)) {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build"], {
      cwd: ROOT,
      stdio: "ignore",
    });
  }
  return JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
}

describe("end to end: royalty pools through the indexer", () => {
  let node: LocalNode;
  let indexer: Indexer;
  let deploymentsDir: string;
  let api: string;
  let clients: ReturnType<typeof localClients>;
  let vault: Hex;
  let token: Hex;
  let accounts: Hex[];
  let registry: Hex;
  let tx: ReturnType<typeof transactor>;
  const [c1, c2, c3, c4] = [h("prompt one"), h("prompt two"), h("a dataset"), h("registered late")];
  // c5 joins pool 3 in the batch; c6 is committed before pool 1 makes it public and revealed after; c7 is registered
  // after and never confirmed.
  const [c5, c6, c7] = [h("prompt three"), h("committed before exposure"), h("registered after exposure")];
  const ethPool = 1n;
  const tokenPool = 2n;
  const batchPool = 3n;
  /** The unit batch of pool 3 that leaves its units equal to its carried remainder. */
  let batch: { blockNumber: bigint; events: { totalUnits: bigint; carriedRemainder: bigint }[] };

  before(async () => {
    // No empty blocks: the chain moves only by the transactions and ticks below, so the indexed head can be the
    // chain's head and a test reads the contract's views at the very block the indexer answers for.
    node = await startNode({ blockIntervalMs: 0 });
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-vault-e2e-"));
    const deployment = await deploy(node.url, deploymentsDir);
    registry = deployment.contracts.AuthorshipRegistry.address;
    vault = deployment.contracts.RoyaltyVault!.address;
    clients = localClients(node.url);
    const { publicClient, walletClient } = clients;
    accounts = (await walletClient.getAddresses()) as Hex[];
    const [owner, provider, alice, bob, keeper, feeRecipient] = accounts as [Hex, Hex, Hex, Hex, Hex, Hex];

    const artifact = tokenArtifact();
    const deployHash = await walletClient.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args: ["Test USD", "TUSD", 6],
      account: owner,
    });
    token = (await publicClient.waitForTransactionReceipt({ hash: deployHash })).contractAddress as Hex;

    indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, schema: `vault_${process.pid}` });
    api = indexer.url;

    tx = transactor(clients, node.url);
    const { send, tick } = tx;

    await send(alice, registry, authorshipRegistryAbi, "register", [c1, KIND.prompt, ""]);
    await send(alice, registry, authorshipRegistryAbi, "register", [c2, KIND.prompt, ""]);
    await send(bob, registry, authorshipRegistryAbi, "register", [c3, KIND.dataset, ""]);
    await send(alice, registry, authorshipRegistryAbi, "register", [c5, KIND.prompt, ""]);
    const c6Registration = { contributionId: c6, kind: KIND.prompt, trainingConsent: true, parents: [], uri: "" };
    const salt = h("alice's salt");
    const commitment = await publicClient.readContract({
      address: registry,
      abi: authorshipRegistryAbi,
      functionName: "computeCommitment",
      args: [c6Registration, alice, salt],
    });
    await send(alice, registry, authorshipRegistryAbi, "commit", [commitment]);
    await send(owner, vault, royaltyVaultAbi, "setProtocolFee", [100, feeRecipient]);
    await send(provider, vault, royaltyVaultAbi, "createPool", [ETH, provider, 3600, "ipfs://eth-pool"]);
    await send(provider, vault, royaltyVaultAbi, "createPool", [token, provider, 7200, "ipfs://token-pool"]);
    await send(provider, vault, royaltyVaultAbi, "createPool", [ETH, provider, 3600, "ipfs://batch-pool"]);
    await send(provider, vault, royaltyVaultAbi, "setUnits", [
      ethPool,
      [c1, c2, c3, c4, c6, c7],
      [100n, 50n, 50n, 25n, 10n, 10n],
    ]);
    await send(provider, vault, royaltyVaultAbi, "setUnits", [tokenPool, [c1, c3], [1n, 3n]]);
    await send(provider, vault, royaltyVaultAbi, "setUnits", [batchPool, [c1, c2], [1_000_000n, 2_000_000n]]);
    await send(provider, vault, royaltyVaultAbi, "deposit", [ethPool, parseEther("1")], parseEther("1"));
    await send(owner, token, artifact.abi, "mint", [provider, 10_000_000n]);
    await send(provider, token, artifact.abi, "approve", [vault, 10_000_000n]);
    await send(provider, vault, royaltyVaultAbi, "deposit", [tokenPool, 1_000_003n]);
    const deposited = await send(
      provider,
      vault,
      royaltyVaultAbi,
      "deposit",
      [batchPool, parseEther("1")],
      parseEther("1"),
    );
    await tick(1800);
    await send(alice, registry, authorshipRegistryAbi, "reveal", [c6Registration, salt]);

    // The indexer-stopping pattern: one batch that lowers pool 3's units to its carried remainder, with a unit
    // change after the units fell below it. The block's time is chosen so that the carry is at least 2.
    const [stated] = parseEventLogs({ abi: royaltyVaultAbi, logs: deposited.logs, eventName: "RevenueDeposited" });
    const depositBlock = await clients.publicClient.getBlock({ blockNumber: deposited.blockNumber });
    const checkpoint: StreamState = {
      accPerUnit: stated!.args.accPerUnit,
      carry: stated!.args.carriedRemainder,
      ratePerSecond: stated!.args.ratePerSecond,
      lastUpdate: depositBlock.timestamp,
      streamEnd: BigInt(stated!.args.streamEnd),
      totalUnits: 3_000_000n,
    };
    let at = (await clients.publicClient.getBlock()).timestamp + 1n;
    while (advance(checkpoint, at).carry < 2n) at++;
    const carry = advance(checkpoint, at).carry;
    await rpc(node.url, "evm_setNextBlockTimestamp", [Number(at)]);
    const batchReceipt = await send(provider, vault, royaltyVaultAbi, "setUnits", [
      batchPool,
      [c1, c2, c5],
      [0n, carry - 1n, 1n],
    ]);
    batch = {
      blockNumber: batchReceipt.blockNumber,
      events: parseEventLogs({ abi: royaltyVaultAbi, logs: batchReceipt.logs, eventName: "UnitsSet" }).map(
        (e) => e.args,
      ),
    };
    await send(provider, vault, royaltyVaultAbi, "deposit", [batchPool, parseEther("0.5")], parseEther("0.5"));

    await send(alice, vault, royaltyVaultAbi, "claimBatch", [[ethPool, tokenPool], [[c1, c2, c6], [c1]], alice]);
    await send(bob, registry, authorshipRegistryAbi, "setTrainingConsent", [c3, false]);
    await send(keeper, vault, royaltyVaultAbi, "removeContribution", [ethPool, c3]);
    await tick(1017);
    await send(provider, vault, royaltyVaultAbi, "deposit", [ethPool, parseEther("0.5")], parseEther("0.5"));
    await send(bob, registry, authorshipRegistryAbi, "register", [c4, KIND.correction, ""]);
    await send(bob, registry, authorshipRegistryAbi, "register", [c7, KIND.prompt, ""]);
    // c4 was registered after pool 1 made it public: its escrow pays only once the pool's admin confirms the record.
    await send(provider, vault, royaltyVaultAbi, "confirmAuthor", [ethPool, c4, bob]);
    await tick(711);
    await send(keeper, vault, royaltyVaultAbi, "claimFor", [[ethPool], [[c4]]]);
    // The registry accepts no ETH: the payout is credited to alice, the author, inside the vault.
    await send(alice, vault, royaltyVaultAbi, "claim", [batchPool, c1, registry]);
    await send(feeRecipient, vault, royaltyVaultAbi, "collectFees", [ETH, feeRecipient]);
    await waitForIndexedBlock(api, tx.lastBlock);
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  const get = async (route: string) => {
    const response = await fetch(`${api}${route}`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const view = <T>(functionName: string, args: readonly unknown[], blockNumber?: bigint) =>
    clients.publicClient.readContract({
      address: vault,
      abi: royaltyVaultAbi,
      functionName,
      args,
      blockNumber,
    } as never) as Promise<T>;
  const claimableOnChain = (poolId: bigint, id: Hex, blockNumber: bigint) =>
    view<bigint>("claimable", [poolId, id], blockNumber);
  /** The chain's head, once the indexer has indexed it: no empty blocks come (see `before`), so it stays the head. */
  const indexedHead = async () => {
    const head = await clients.publicClient.getBlockNumber({ cacheTime: 0 });
    await waitForIndexedBlock(api, head);
    return head;
  };

  it("computes each author's claimable royalties exactly as the contract does, per pool and token", async () => {
    for (const [wallet, ids] of [
      [accounts[2]!, [c1, c2, c5, c6]],
      [accounts[3]!, [c3, c4, c7]],
    ] as const) {
      const { status, body } = await get(`/authors/${wallet}/earnings`);
      assert.equal(status, 200);
      const atBlock = BigInt(body.atBlock);
      for (const entry of body.pools) {
        let expected = 0n;
        for (const id of ids) expected += await claimableOnChain(BigInt(entry.poolId), id, atBlock);
        assert.equal(BigInt(entry.claimable), expected, `pool ${entry.poolId} for ${wallet}`);
        assert.equal(BigInt(entry.accrued), BigInt(entry.claimed) + expected);
      }
    }
  });

  it("shows what an author already claimed, and a token's totals per author", async () => {
    const { body } = await get(`/authors/${accounts[2]}/earnings`);
    const ethEntry = body.pools.find((p: { poolId: string }) => p.poolId === "1");
    assert.ok(BigInt(ethEntry.claimed) > 0n);
    assert.deepEqual(body.tokens.map((t: { token: string }) => t.token).sort(), [ETH, token.toLowerCase()].sort());
  });

  it("stops a contribution's accrual when it is removed for revoked consent, keeping what it earned", async () => {
    const { body } = await get(`/contributions/${c3}/earnings`);
    const inEthPool = body.pools.find((p: { poolId: string }) => p.poolId === "1");
    assert.equal(inEthPool.removedForConsent, true);
    assert.equal(inEthPool.units, "0");
    assert.equal(BigInt(inEthPool.claimable), await claimableOnChain(ethPool, c3, BigInt(body.atBlock)));
    assert.ok(BigInt(inEthPool.claimable) > 0n, "what it accrued before stays claimable");
  });

  it("shows a contribution's pools and earnings with its record", async () => {
    const { body } = await get(`/contributions/${c1}`);
    assert.deepEqual(body.earnings.pools.map((p: { poolId: string }) => p.poolId).sort(), ["1", "2", "3"]);
    for (const entry of body.earnings.pools) {
      const expected = await claimableOnChain(BigInt(entry.poolId), c1, BigInt(body.earnings.atBlock));
      assert.equal(BigInt(entry.claimable), expected);
      assert.deepEqual([entry.escrowed, entry.canClaim], [false, true]);
    }
  });

  it("indexes a unit batch that lowers a pool's units to its carried remainder, and answers as the chain", async () => {
    // The batch did what the test needs: after its second change the units were below the carry it states, and
    // after the last they equal it.
    const [, second, last] = batch.events;
    assert.ok(second!.totalUnits < second!.carriedRemainder, "the units fell below the carried remainder");
    assert.equal(last!.totalUnits, last!.carriedRemainder);
    const units = await get(`/pools/3/units?limit=100`);
    const indexed = units.body.items.filter(
      (u: { blockNumber: string }) => BigInt(u.blockNumber) === batch.blockNumber,
    );
    assert.deepEqual(
      indexed.map((u: Record<string, string>) => [u.totalUnits, u.carriedRemainder]),
      batch.events.map((e) => [e.totalUnits.toString(), e.carriedRemainder.toString()]),
    );

    const head = await indexedHead();
    const { body: pool } = await get(`/pools/3`);
    const state = await view<Record<string, bigint>>("getPool", [batchPool], head);
    assert.equal(pool.totalUnits, state.totalUnits!.toString());
    assert.equal(pool.stream.streamEnd, state.streamEnd!.toString());
    assert.equal(pool.stream.notYetStreamedScaled, state.notYetStreamed!.toString());
    assert.equal(pool.stream.carriedRemainderScaled, state.carriedRemainder!.toString());
    assert.equal(pool.replayMismatches, 0);
    for (const id of [c1, c2, c5]) {
      const { body } = await get(`/contributions/${id}/earnings`);
      assert.equal(BigInt(body.atBlock), head);
      const entry = body.pools.find((p: { poolId: string }) => p.poolId === "3");
      assert.equal(BigInt(entry.claimable), await claimableOnChain(batchPool, id, head), id);
      assert.equal(entry.accPerUnit, state.accPerUnit!.toString());
    }
  });

  it("stores every position and checkpoint as the events state them, equal to the contract's views", async () => {
    const head = await indexedHead();
    const { positions } = await graphqlData<{ positions: { items: Record<string, any>[] } }>(
      api,
      "{ positions(limit: 500) { items { poolId contributionId units accPerUnitPaid fraction accrued escrowed } } }",
    );
    assert.equal(positions.items.length, 11);
    for (const p of positions.items) {
      const [stored, accrued] = await view<[Record<string, unknown>, bigint]>(
        "positionOf",
        [BigInt(p.poolId), p.contributionId],
        head,
      );
      assert.deepEqual(
        [p.units, p.accPerUnitPaid, p.fraction, p.accrued, p.escrowed],
        [
          String(stored.units),
          String(stored.accPerUnitPaid),
          String(stored.fraction),
          accrued.toString(),
          stored.escrowed,
        ],
        `pool ${p.poolId} ${p.contributionId}`,
      );
    }
    const { mismatchEvents, pools } = await graphqlData<{
      mismatchEvents: { totalCount: number };
      pools: { items: { replayMismatches: number }[] };
    }>(api, "{ mismatchEvents { totalCount } pools { items { replayMismatches } } }");
    assert.equal(mismatchEvents.totalCount, 0);
    assert.deepEqual(
      pools.items.map((p) => p.replayMismatches),
      [0, 0, 0],
    );
  });

  it("shows an escrowed contribution's exposure, its confirmation and whether its author can claim, as the contract does", async () => {
    const head = await indexedHead();
    for (const id of [c4, c6, c7]) {
      const { body } = await get(`/contributions/${id}`);
      const entry = body.earnings.pools.find((p: { poolId: string }) => p.poolId === "1");
      const escrow = await view<{ exposedAt: number; confirmedAt: number }>("escrowOf", [ethPool, id], head);
      assert.equal(entry.escrowed, true, id);
      assert.equal(entry.exposedAt, String(escrow.exposedAt));
      assert.equal(entry.confirmedAt, escrow.confirmedAt === 0 ? null : String(escrow.confirmedAt));
      assert.equal(entry.canClaim, await view<boolean>("canClaim", [ethPool, id], head), id);
    }
    const confirmed = (await get(`/contributions/${c4}/earnings`)).body.pools[0];
    assert.equal(confirmed.confirmedAuthor, accounts[3]!.toLowerCase());
    assert.equal(confirmed.confirmedAt, (await get(`/contributions/${c4}`)).body.registeredAt);
    assert.equal(confirmed.canClaim, true);
    // Committed before the pool made it public: claimable without a confirmation (alice claimed it).
    const older = (await get(`/contributions/${c6}/earnings`)).body.pools[0];
    assert.deepEqual([older.confirmedAt, older.canClaim], [null, true]);
    assert.ok(BigInt(older.claimed) > 0n);
    // Registered after, never confirmed: held back, and bob's earnings say how much.
    const held = (await get(`/contributions/${c7}/earnings`)).body.pools[0];
    assert.equal(held.canClaim, false);
    const bob = await get(`/authors/${accounts[3]}/earnings`);
    const inEthPool = bob.body.pools.find((p: { poolId: string }) => p.poolId === "1");
    assert.equal(inEthPool.escrowHeld, held.claimable);
    assert.ok(BigInt(held.claimable) > 0n);

    const { vaultEvents } = await graphqlData<{ vaultEvents: { items: Record<string, string>[] } }>(
      api,
      `{ vaultEvents(where: { kind_in: [escrow_opened, author_confirmed] }, orderBy: "id") {
          items { kind poolId contributionId account } } }`,
    );
    assert.deepEqual(
      vaultEvents.items.map((e) => [e.kind, e.poolId, e.contributionId]),
      [
        ["escrow_opened", "1", c4],
        ["escrow_opened", "1", c6],
        ["escrow_opened", "1", c7],
        ["author_confirmed", "1", c4],
      ],
    );
  });

  it("pays an escrowed contribution to the author who registered it later, once the admin confirmed the record", async () => {
    const { body } = await get(`/pools/1/claims?limit=100`);
    const escrowed = body.items.find((claim: { contributionId: string }) => claim.contributionId === c4);
    assert.equal(escrowed.author, accounts[3]!.toLowerCase());
    assert.equal(escrowed.recipient, accounts[3]!.toLowerCase());
  });

  it("credits a payout that failed to the contribution's author, naming the pool and the contribution", async () => {
    const alice = accounts[2]!;
    const head = await indexedHead();
    const owed = await view<bigint>("deferredOf", [alice, ETH], head);
    assert.ok(owed > 0n);
    const { vaultEvents } = await graphqlData<{ vaultEvents: { items: Record<string, any>[] } }>(
      api,
      `{ vaultEvents(where: { kind: payout_deferred }) { items { poolId contributionId token account amount args } } }`,
    );
    assert.deepEqual(
      vaultEvents.items.map((e) => [e.poolId, e.contributionId, e.token, e.account, e.amount]),
      [["3", c1, ETH, alice.toLowerCase(), owed.toString()]],
    );
    assert.equal(vaultEvents.items[0]!.args.recipient.toLowerCase(), registry.toLowerCase());
    const { body } = await get(`/authors/${alice}/earnings`);
    assert.deepEqual(body.deferred, [{ token: ETH, amount: owed.toString() }]);
    const claim = (await get(`/pools/3/claims`)).body.items.find(
      (c: { contributionId: string }) => c.contributionId === c1,
    );
    assert.equal(claim.recipient, registry.toLowerCase());
    assert.equal(claim.amount, owed.toString());
    const { body: solvency } = await get(`/audit/solvency`);
    assert.equal(
      solvency.tokens.find((t: { token: string }) => t.token === ETH).breakdown.deferredOwed,
      owed.toString(),
    );
  });

  it("serves a pool's state and its ledger with cursor pagination", async () => {
    const { body: pool } = await get(`/pools/1`);
    assert.equal(pool.poolId, "1");
    assert.equal(pool.id, undefined);
    assert.equal(pool.token, ETH);
    assert.equal(pool.deposited, parseEther("1.5").toString());
    assert.equal(pool.fees, (parseEther("1.5") / 100n).toString());
    assert.equal(pool.totalUnits, "195");
    assert.equal(pool.depositCount, 2);
    const first = await get(`/pools/1/deposits?limit=1`);
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await get(`/pools/1/deposits?limit=1&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.nextCursor, null);
    assert.notEqual(second.body.items[0].id, first.body.items[0].id);
    const units = await get(`/pools/1/units`);
    assert.deepEqual(
      units.body.items.map((u: { change: string }) => u.change),
      ["set", "set", "set", "set", "set", "set", "removed_for_consent"],
    );
  });

  it("stores each deposit's checkpoint as its event states it", async () => {
    const { body } = await get(`/pools/3/deposits`);
    assert.equal(body.items.length, 2);
    for (const item of body.items) {
      const receipt = await clients.publicClient.getTransactionReceipt({ hash: item.transactionHash });
      const [event] = parseEventLogs({ abi: royaltyVaultAbi, logs: receipt.logs, eventName: "RevenueDeposited" });
      const { ratePerSecond, streamEnd, accPerUnit, carriedRemainder } = event!.args;
      assert.deepEqual(
        [item.ratePerSecond, item.streamEnd, item.accPerUnit, item.carriedRemainder],
        [ratePerSecond, streamEnd, accPerUnit, carriedRemainder].map(String),
      );
    }
  });

  it("reports the vault solvent: liabilities recomputed from events equal its balances", async () => {
    const { status, body } = await get(`/audit/solvency`);
    assert.equal(status, 200);
    assert.equal(body.solvent, true);
    for (const entry of body.tokens) {
      const onChain =
        entry.token === ETH
          ? await clients.publicClient.getBalance({ address: vault })
          : ((await clients.publicClient.readContract({
              address: token,
              abi: tokenArtifact().abi,
              functionName: "balanceOf",
              args: [vault],
            })) as bigint);
      assert.equal(entry.balance, onChain.toString());
      // Nothing was donated, so the vault holds exactly what it owes.
      assert.equal(entry.difference, "0", `token ${entry.token}`);
    }
    assert.equal(body.pools.length, 3);
  });

  it("answers 400 for a malformed pool id or address and 404 for an unknown pool", async () => {
    for (const [route, parameter] of [
      ["/pools/0", "poolId"],
      ["/pools/abc", "poolId"],
      ["/pools/1/claims?limit=0", "limit"],
      ["/pools/1/deposits?cursor=nope!", "cursor"],
      ["/authors/0x12/earnings", "address"],
      ["/contributions/0x12/earnings", "contributionId"],
    ] as const) {
      const { status, body } = await get(route);
      assert.equal(status, 400, route);
      assert.equal(body.parameter, parameter, route);
    }
    assert.equal((await get("/pools/999")).status, 404);
    assert.equal((await get("/pools/999/deposits")).status, 404);
  });

  // Last: it moves the vault's ownership and pauses it.
  it("mirrors who controls each contract: owners from deployment, a two-step transfer, a cancelled one, the pause and the attesters", async () => {
    const [owner, , , , , feeRecipient, newOwner, attester, proposed] = accounts as [Hex, ...Hex[]];
    const ownerAt = async (address: Hex, functionName: "owner" | "pendingOwner", blockNumber: bigint) =>
      (
        (await clients.publicClient.readContract({
          address,
          abi: royaltyVaultAbi,
          functionName,
          blockNumber,
        } as never)) as Hex
      ).toLowerCase();

    const before = await get("/contracts");
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.body.contracts.map((c: Record<string, unknown>) => [c.contract, c.address, c.owner, c.pendingOwner]),
      [
        ["AuthorshipRegistry", registry.toLowerCase(), owner.toLowerCase(), null],
        ["RoyaltyVault", vault.toLowerCase(), owner.toLowerCase(), null],
      ],
    );
    for (const contract of before.body.contracts) {
      // Ownable's constructor: from the zero address to the deployer's chosen owner.
      assert.deepEqual(
        contract.ownershipHistory.map((e: Record<string, unknown>) => [e.stage, e.previousOwner, e.newOwner]),
        [["transferred", ETH, owner.toLowerCase()]],
        contract.contract,
      );
    }
    const vaultBefore = before.body.contracts[1];
    assert.deepEqual(
      [vaultBefore.feeBps, vaultBefore.feeRecipient, vaultBefore.paused],
      [100, feeRecipient!.toLowerCase(), false],
    );
    assert.deepEqual(before.body.contracts[0].approvedAttesters, []);

    await tx.send(owner, vault, royaltyVaultAbi, "transferOwnership", [newOwner]);
    await tx.send(newOwner!, vault, royaltyVaultAbi, "acceptOwnership", []);
    await tx.send(newOwner!, vault, royaltyVaultAbi, "pause", []);
    await tx.send(owner, registry, authorshipRegistryAbi, "setAttester", [attester, true]);
    await tx.send(owner, registry, authorshipRegistryAbi, "transferOwnership", [proposed]);
    const proposedAt = tx.lastBlock;
    await waitForIndexedBlock(api, proposedAt);
    const pending = await get("/contracts");
    assert.equal(pending.body.contracts[0].pendingOwner, proposed!.toLowerCase());
    assert.equal(pending.body.contracts[0].pendingOwner, await ownerAt(registry, "pendingOwner", proposedAt));

    // Both contracts refuse the zero address: proposing the owner itself cancels the pending transfer.
    await tx.send(owner, registry, authorshipRegistryAbi, "transferOwnership", [owner]);
    await waitForIndexedBlock(api, tx.lastBlock);
    const { status, body } = await get("/contracts");
    assert.equal(status, 200);
    const [registryNow, vaultNow] = body.contracts;
    for (const [contract, address] of [
      [registryNow, registry],
      [vaultNow, vault],
    ] as const) {
      assert.equal(contract.owner, await ownerAt(address, "owner", tx.lastBlock), `${contract.contract} owner`);
      assert.equal(contract.pendingOwner, null, `${contract.contract} pending owner`);
    }
    // The chain names the owner as its own pending owner, which the API answers as none.
    assert.equal(await ownerAt(registry, "pendingOwner", tx.lastBlock), owner.toLowerCase());
    assert.equal(vaultNow.owner, newOwner!.toLowerCase());
    assert.equal(vaultNow.paused, true);
    assert.deepEqual(registryNow.approvedAttesters, [attester!.toLowerCase()]);
    // Newest first.
    assert.deepEqual(
      vaultNow.ownershipHistory.map((e: Record<string, unknown>) => [e.stage, e.previousOwner, e.newOwner]),
      [
        ["transferred", owner.toLowerCase(), newOwner!.toLowerCase()],
        ["started", owner.toLowerCase(), newOwner!.toLowerCase()],
        ["transferred", ETH, owner.toLowerCase()],
      ],
    );
    assert.deepEqual(
      registryNow.ownershipHistory.map((e: Record<string, unknown>) => [e.stage, e.newOwner]),
      [
        ["started", owner.toLowerCase()],
        ["started", proposed!.toLowerCase()],
        ["transferred", owner.toLowerCase()],
      ],
    );
    for (const event of [...vaultNow.ownershipHistory, ...registryNow.ownershipHistory]) {
      assert.match(event.transactionHash, /^0x[0-9a-f]{64}$/);
      assert.match(event.blockNumber, /^\d+$/);
    }
    assert.equal(body.ownershipHistoryTruncated, false);
  });
});
