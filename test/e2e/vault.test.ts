// Royalties end to end: pools, units (one on an unregistered hash, in escrow), deposits with a protocol fee, claims
// across pools, a consent removal, fees collected. The indexer replays the vault's arithmetic from events alone; the
// test checks its answers against the contract's own views at the same block, and the solvency report against the
// chain's balances.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { keccak256, parseEther, toHex, type Abi, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../abis/RoyaltyVault.ts";
import { KIND, localClients } from "../../scripts/lib/chain.ts";
import { transactor, teardown } from "./lib/tx.ts";
import {
  ROOT,
  deploy,
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
  const ethPool = 1n;
  const tokenPool = 2n;

  before(async () => {
    node = await startNode();
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
    await send(owner, vault, royaltyVaultAbi, "setProtocolFee", [100, feeRecipient]);
    await send(provider, vault, royaltyVaultAbi, "createPool", [ETH, provider, 3600, "ipfs://eth-pool"]);
    await send(provider, vault, royaltyVaultAbi, "createPool", [token, provider, 7200, "ipfs://token-pool"]);
    await send(provider, vault, royaltyVaultAbi, "setUnits", [ethPool, [c1, c2, c3, c4], [100n, 50n, 50n, 25n]]);
    await send(provider, vault, royaltyVaultAbi, "setUnits", [tokenPool, [c1, c3], [1n, 3n]]);
    await send(provider, vault, royaltyVaultAbi, "deposit", [ethPool, parseEther("1")], parseEther("1"));
    await send(owner, token, artifact.abi, "mint", [provider, 10_000_000n]);
    await send(provider, token, artifact.abi, "approve", [vault, 10_000_000n]);
    await send(provider, vault, royaltyVaultAbi, "deposit", [tokenPool, 1_000_003n]);
    await tick(1800);
    await send(alice, vault, royaltyVaultAbi, "claimBatch", [[ethPool, tokenPool], [[c1, c2], [c1]], alice]);
    await send(bob, registry, authorshipRegistryAbi, "setTrainingConsent", [c3, false]);
    await send(keeper, vault, royaltyVaultAbi, "removeContribution", [ethPool, c3]);
    await tick(1017);
    await send(provider, vault, royaltyVaultAbi, "deposit", [ethPool, parseEther("0.5")], parseEther("0.5"));
    await send(bob, registry, authorshipRegistryAbi, "register", [c4, KIND.correction, ""]);
    await tick(711);
    await send(keeper, vault, royaltyVaultAbi, "claimFor", [[ethPool], [[c4]]]);
    await send(feeRecipient, vault, royaltyVaultAbi, "collectFees", [ETH, feeRecipient]);
    await waitForIndexedBlock(api, tx.lastBlock);
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  const get = async (route: string) => {
    const response = await fetch(`${api}${route}`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const claimableOnChain = (poolId: bigint, id: Hex, blockNumber: bigint) =>
    clients.publicClient.readContract({
      address: vault,
      abi: royaltyVaultAbi,
      functionName: "claimable",
      args: [poolId, id],
      blockNumber,
    }) as Promise<bigint>;

  it("computes each author's claimable royalties exactly as the contract does, per pool and token", async () => {
    for (const [wallet, ids] of [
      [accounts[2]!, [c1, c2]],
      [accounts[3]!, [c3, c4]],
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
    assert.deepEqual(body.earnings.pools.map((p: { poolId: string }) => p.poolId).sort(), ["1", "2"]);
    for (const entry of body.earnings.pools) {
      const expected = await claimableOnChain(BigInt(entry.poolId), c1, BigInt(body.earnings.atBlock));
      assert.equal(BigInt(entry.claimable), expected);
    }
  });

  it("pays an escrowed contribution to the author who registered it later", async () => {
    const { body } = await get(`/pools/1/claims?limit=100`);
    const escrowed = body.items.find((claim: { contributionId: string }) => claim.contributionId === c4);
    assert.equal(escrowed.author, accounts[3]!.toLowerCase());
    assert.equal(escrowed.recipient, accounts[3]!.toLowerCase());
  });

  it("serves a pool's state and its ledger with cursor pagination", async () => {
    const { body: pool } = await get(`/pools/1`);
    assert.equal(pool.token, ETH);
    assert.equal(pool.deposited, parseEther("1.5").toString());
    assert.equal(pool.fees, (parseEther("1.5") / 100n).toString());
    assert.equal(pool.totalUnits, "175");
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
      ["set", "set", "set", "set", "removed_for_consent"],
    );
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
    assert.equal(body.pools.length, 2);
  });

  it("answers 400 for a malformed pool id or address and 404 for an unknown pool", async () => {
    for (const [route, parameter] of [
      ["/pools/0", "poolId"],
      ["/pools/abc", "poolId"],
      ["/pools/1/claims?limit=0", "limit"],
      ["/pools/1/deposits?cursor=nope!", "cursor"],
      ["/authors/0x12/earnings", "address"],
      ["/contributions/0x12/earnings", "hash"],
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

    // Proposing the zero address cancels the pending transfer.
    await tx.send(owner, registry, authorshipRegistryAbi, "transferOwnership", [ETH]);
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
        ["started", ETH],
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
