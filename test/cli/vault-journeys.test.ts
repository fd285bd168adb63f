// End-to-end journeys of the vault commands through the real `tributary` process, against a Hardhat node, the
// deployment, a demo ERC-20 and the indexer: the provider (pools, units from a CSV, ETH and ERC-20 deposits), the
// contributor (earnings, a claim across pools), the auditor (pool, solvency, solvency's exit code when short), the
// keeper (claim-for, a deferred payout withdrawn), the escrow of a hash registered after a pool named it (confirmed
// by the pool's admin), a units file sent again after an interruption, the warning of an API that lags the node
// (the indexer reads the node through a proxy that the test takes down), then bad inputs, each of which must answer
// one line on stderr with a non-zero exit and send nothing (the accounts' nonces do not move).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { erc20Abi, formatEther, getAddress, keccak256, parseEventLogs, toHex, zeroAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { royaltyVaultAbi } from "../../abis/RoyaltyVault.ts";

import { deployDemoToken, localClients, mintDemoToken } from "../../scripts/lib/chain.ts";
import {
  deploy,
  rpc,
  startIndexer,
  startNode,
  startTcpProxy,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
  type TcpProxy,
} from "../../scripts/lib/stack.ts";
import { runCli, type Run } from "./lib/run.ts";
import {
  connect,
  deploymentsFolder,
  getDeferred,
  hashText,
  register,
  setUnits,
  withAccount,
  type TributaryClient,
} from "../../sdk/node.ts";

// Hardhat's well-known development accounts (#0 to #7).
const KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bob: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  carol: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  keeper: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  dave: "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  openai: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  mistral: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  // Holds no ether: proves that a deposit it cannot pay for is never sent.
  penniless: "0x1111111111111111111111111111111111111111111111111111111111111111",
} as const satisfies Record<string, Hex>;
type Who = keyof typeof KEYS;
const address = (who: Who) => privateKeyToAccount(KEYS[who]).address;

describe("tributary CLI end to end: the vault's provider, contributor, keeper and auditor journeys", () => {
  let node: LocalNode;
  let indexer: Indexer;
  /** The indexer's way to the node: down, the API stops following the chain while the node goes on. */
  let indexerRpc: TcpProxy;
  let deploymentsDir: string;
  let work: string;
  let token: Hex;
  let vault: Hex;
  let as: (who: Who) => TributaryClient;
  let lastBlock = 0n;

  /** Runs the CLI as `who` (or with no key) with the stack's network in the environment. */
  const cli = (args: string[], who?: Who, env: Record<string, string> = {}): Promise<Run> =>
    runCli(
      { cwd: work, rpcUrl: node.url, apiUrl: indexer.url, deploymentsDir, secrets: Object.values(KEYS) },
      args,
      who ? KEYS[who] : undefined,
      env,
    );

  const track = (item: unknown) => {
    const block = (item as { blockNumber?: string } | null)?.blockNumber;
    if (block && BigInt(block) > lastBlock) lastBlock = BigInt(block);
  };

  const ok = async (args: string[], who?: Who, env?: Record<string, string>) => {
    const run = await cli([...args, "--json"], who, env);
    assert.equal(run.code, 0, `tributary ${args.join(" ")} failed: ${run.stderr}`);
    assert.equal(run.stderr, "");
    const result = JSON.parse(run.stdout);
    track(result);
    for (const t of result?.transactions ?? []) track(t);
    return result;
  };

  const nonces = () =>
    Promise.all(
      (Object.keys(KEYS) as Who[]).map((who) =>
        rpc<string>(node.url, "eth_getTransactionCount", [address(who), "latest"]),
      ),
    );
  const ethOf = (who: Hex) => localClients(node.url).publicClient.getBalance({ address: who });
  const balanceOf = async (who: Hex) =>
    localClients(node.url).publicClient.readContract({
      address: token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [who],
    });

  // Alice's two prompts, Bob's correction (given in the CSV as a file), and a dataset nobody has registered yet.
  const alicePrompt = "Summarize the causes of the French Revolution in three bullet points.";
  const aliceSecond = "Translate 'good morning' into Italian, formally.";
  const bobCorrection = "Correction: Italy's formal greeting is 'Buongiorno'.\n";
  const unregistered = keccak256(toHex("a dataset whose author has not registered it yet"));
  // Maps a pool names before Dave registers them: his late record claims once the pool's admin confirms him.
  const lateHash = keccak256(toHex("Dave's hand-drawn maps, registered after a pool named them"));
  /** Reveals move the local node's clock forward instead of waiting a minute. */
  const FAST = { TRIBUTARY_FAST_FORWARD: "true" };
  let aliceHash: Hex;
  let aliceSecondHash: Hex;
  let bobHash: Hex;
  let idleHash: Hex;
  let carolHash: Hex;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-vault-e2e-"));
    node = await startNode();
    deploymentsDir = path.join(work, "deployments");
    await mkdir(deploymentsDir);
    const deployment = await deploy(node.url, deploymentsDir);
    vault = deployment.contracts.RoyaltyVault!.address;

    const clients = localClients(node.url);
    token = await deployDemoToken(clients, address("owner"));
    await mintDemoToken(clients, token, address("owner"), address("mistral"), 1_000_000_000n); // 1,000 dUSD

    const network = await connect({ rpcUrl: node.url, deployment: deploymentsFolder(deploymentsDir) });
    as = (who: Who) => withAccount(network, privateKeyToAccount(KEYS[who]));
    aliceHash = hashText(alicePrompt);
    aliceSecondHash = hashText(aliceSecond);
    bobHash = hashText(bobCorrection);
    idleHash = hashText("Alice's prompt that no pool gives units to.");
    carolHash = hashText("Carol's rating of an answer, from a wallet that will refuse ETH.");
    // Fixtures whose text is in this file: one transaction each is enough.
    await register(as("alice"), { contributionId: aliceHash, kind: "prompt", direct: true });
    await register(as("alice"), { contributionId: aliceSecondHash, kind: "prompt", direct: true });
    await register(as("alice"), { contributionId: idleHash, kind: "prompt", direct: true });
    await register(as("bob"), { contributionId: bobHash, kind: "correction", direct: true });
    await register(as("carol"), { contributionId: carolHash, kind: "feedback", direct: true });

    indexerRpc = await startTcpProxy({ port: node.port });
    indexer = await startIndexer({ rpcUrl: indexerRpc.url, deploymentsDir, schema: `vault_cli_${process.pid}` });
  });

  after(async () => {
    await indexer?.stop();
    await indexerRpc?.close();
    await node?.stop();
    if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("provider: opens an ETH pool and an ERC-20 pool, sets units from CSVs (in batches), deposits ETH and the ERC-20", async () => {
    const ethPool = await ok(
      ["pool", "create", "--token", "eth", "--duration", "1h", "--uri", "ipfs://model-a"],
      "openai",
    );
    assert.equal(ethPool.poolId, "1");
    assert.equal(ethPool.admin, address("openai"));
    assert.equal(ethPool.duration, 3600);
    const tokenPool = await ok(["pool", "create", "--token", token, "--duration", "2h"], "mistral");
    assert.equal(tokenPool.poolId, "2");
    assert.equal(tokenPool.symbol, "dUSD");

    // A hash, a prompt's text, a text file, and an unregistered hash whose royalties wait in escrow.
    await writeFile(path.join(work, "bob.txt"), bobCorrection);
    await writeFile(
      path.join(work, "units.csv"),
      `contribution,units\n${aliceHash},300\n"${aliceSecond.replace(/"/g, '""')}",100\nfile:bob.txt,100\n${unregistered},500\n`,
    );
    const set = await ok(["units", "set", "1", "units.csv"], "openai");
    assert.equal(set.count, 4);
    assert.equal(set.transactions.length, 1);
    assert.deepEqual(
      set.entries.map((e: { contributionId: string }) => e.contributionId),
      [aliceHash, aliceSecondHash, bobHash, unregistered],
    );

    // 600 rows: batches of 256 by default, so three transactions, each simulated before the first is sent.
    const filler = Array.from({ length: 598 }, (_, i) => `${keccak256(toHex(`filler ${i}`))},1`);
    await writeFile(
      path.join(work, "many.csv"),
      `contributionId,units\n${aliceHash},1000\n${bobHash},1000\n${filler.join("\n")}\n`,
    );
    const many = await ok(["units", "set", "2", "many.csv"], "mistral");
    assert.equal(many.count, 600);
    assert.equal(many.transactions.length, 3);

    const eth = await ok(["deposit", "1", "1.5"], "openai");
    assert.equal(eth.amount, "1500000000000000000");
    assert.equal(eth.approval, undefined);
    assert.equal(await localClients(node.url).publicClient.getBalance({ address: vault }), 1_500_000_000_000_000_000n);

    const erc20 = await ok(["deposit", "2", "250.5"], "mistral");
    assert.equal(erc20.amount, "250500000");
    assert.ok(erc20.approval?.transactionHash, "the vault was approved first");
    assert.equal(await balanceOf(vault), 250_500_000n);
    assert.equal(await balanceOf(address("mistral")), 749_500_000n);
  });

  it("contributor: sees earnings from the indexer, claims across both pools in one transaction, then has nothing left", async () => {
    await rpc(node.url, "evm_increaseTime", [900]);
    await rpc(node.url, "evm_mine");
    const head = BigInt(await rpc<string>(node.url, "eth_blockNumber"));
    await waitForIndexedBlock(indexer.url, head);

    const earnings = await ok(["earnings"], "alice");
    assert.equal(earnings.author, address("alice").toLowerCase());
    assert.equal(earnings.contributions, 3);
    const pools = new Map(earnings.pools.map((p: { poolId: string }) => [p.poolId, p]));
    assert.equal((pools.get("1") as { contributions: number }).contributions, 2);
    assert.ok(BigInt((pools.get("1") as { claimable: string }).claimable) > 0n, "the ETH pool has streamed");
    assert.ok(BigInt((pools.get("2") as { claimable: string }).claimable) > 0n, "the ERC-20 pool has streamed");

    const before = await balanceOf(address("alice"));
    const claimed = await ok(
      ["claim", aliceHash, aliceSecondHash, "--pool", "1", "--pool", "2", "--to", address("alice")],
      "alice",
    );
    assert.equal(claimed.from, address("alice"));
    // Alice's second prompt has no units in pool 2: left out, not an error.
    assert.deepEqual(claimed.skipped, [{ poolId: "2", contributionId: aliceSecondHash, reason: "nothing owed" }]);
    assert.equal(claimed.claimed.length, 3);
    const fromToken = claimed.claimed.find((c: { poolId: string }) => c.poolId === "2");
    assert.equal(fromToken.contributionId, aliceHash);
    assert.equal((await balanceOf(address("alice"))) - before, BigInt(fromToken.amount));

    const noNonce = await nonces();
    const nothing = await cli(["claim", idleHash, "--pool", "1"], "alice");
    assert.equal(nothing.code, 1);
    assert.equal(
      nothing.stderr,
      `error: ${idleHash} has nothing to claim in pool 1; check tributary earnings; royalties stream over the pool's duration\n`,
    );
    assert.deepEqual(await nonces(), noNonce, "nothing sent");
  });

  it("auditor: reads a pool from the indexer and from the chain, and the solvency report", async () => {
    await waitForIndexedBlock(indexer.url, lastBlock);
    const pool = await ok(["pool", "show", "1"]);
    assert.equal(pool.poolId, "1");
    assert.equal(pool.deposited, "1500000000000000000");
    assert.equal(pool.contributionCount, 4);
    assert.equal(pool.claimCount, 2);
    assert.equal(pool.metadataUri, "ipfs://model-a");

    const onChain = await ok(["pool", "show", "2", "--chain"]);
    assert.equal(onChain.token.toLowerCase(), token.toLowerCase());
    assert.equal(onChain.totalUnits, "2598");
    assert.equal(onChain.symbol, "dUSD");

    const solvency = await cli(["solvency"]);
    assert.equal(solvency.code, 0, solvency.stderr);
    assert.match(solvency.stdout, /^vault 0x[0-9a-fA-F]{40} at block \d+: SOLVENT\n/);
    assert.match(solvency.stdout, /ETH: holds [\d.]+ ETH, owes [\d.]+ ETH .*: ok/);
    assert.match(solvency.stdout, /\n {2}dUSD: holds [\d.]+ dUSD, owes [\d.]+ dUSD .*: ok/);
    assert.ok(!solvency.stdout.toLowerCase().includes(token.toLowerCase()), "the token is named by its symbol");

    // The vault short of ETH: the report is printed all the same, and the exit code is 3.
    const held = await ethOf(vault);
    await rpc(node.url, "hardhat_setBalance", [vault, "0x0"]);
    try {
      const [human, json] = await Promise.all([cli(["solvency"]), cli(["solvency", "--json"])]);
      assert.equal(human.code, 3, human.stderr);
      assert.equal(human.stderr, "");
      assert.match(human.stdout, /^vault 0x[0-9a-fA-F]{40} at block \d+: NOT SOLVENT\n/);
      assert.match(human.stdout, /ETH: holds 0 ETH, owes [\d.]+ ETH .*: SHORT/);
      assert.equal(json.code, 3, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.equal(report.solvent, false);
      assert.equal(report.tokens.find((t: { token: string }) => t.token === zeroAddress).balance, "0");
    } finally {
      await rpc(node.url, "hardhat_setBalance", [vault, toHex(held)]);
    }
  });

  it("auditor: human output names tokens by their symbol, amounts in whole tokens with it, addresses checksummed, counts singular or plural", async () => {
    await waitForIndexedBlock(indexer.url, lastBlock);
    const [list, shown, deposits, claims, author, earnings] = await Promise.all([
      cli(["pool", "list"]),
      cli(["pool", "show", "2"]),
      cli(["pool", "show", "2", "--ledger", "deposits"]),
      cli(["pool", "show", "2", "--ledger", "claims"]),
      cli(["author", address("bob")]),
      cli(["earnings", address("bob")]),
    ]);
    for (const run of [list, shown, deposits, claims, author, earnings]) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, "");
    }
    assert.match(list.stdout, /^pool 1: ETH, 4 contributions, deposited 1\.5 ETH, owed [\d.]+ ETH$/m);
    assert.match(list.stdout, /^pool 2: dUSD, 600 contributions, deposited 250\.5 dUSD, owed [\d.]+ dUSD$/m);
    assert.ok(!list.stdout.toLowerCase().includes(token.toLowerCase()), "the token is named by its symbol");
    assert.match(shown.stdout, new RegExp(`^ {2}token {12}dUSD ${getAddress(token)}$`, "m"));
    assert.match(shown.stdout, new RegExp(`^ {2}admin {12}${address("mistral")}$`, "m"));
    assert.match(shown.stdout, /^ {2}units {12}2598 over 600 contributions$/m);
    assert.match(shown.stdout, /^ {2}deposited {8}250\.5 dUSD in 1 deposit \(fees 0 dUSD\)$/m);
    assert.match(shown.stdout, /^ {2}claimed {10}[\d.]+ dUSD in 1 claim$/m);
    assert.match(
      deposits.stdout,
      new RegExp(`^ {2}${address("mistral")} deposited 250\\.5 dUSD \\(fee 0 dUSD\\) in block \\d+$`, "m"),
    );
    assert.match(
      claims.stdout,
      new RegExp(
        `^ {2}${address("alice")} claimed [\\d.]+ dUSD for ${aliceHash} to ${address("alice")} in block \\d+$`,
        "m",
      ),
    );
    assert.match(author.stdout, new RegExp(`^${address("bob")}: 1 contribution\\n`));
    assert.match(earnings.stdout, new RegExp(`^${address("bob")}: 1 contribution, as of block \\d+ `));
    assert.match(
      earnings.stdout,
      /^ {2}pool 1: 1 contribution, accrued [\d.]+ ETH, claimed 0 ETH, claimable [\d.]+ ETH$/m,
    );
  });

  it("provider: units set leaves out rows that change nothing, so a file sent again after an interruption sends only what is left, each batch reported on stderr", async () => {
    const created = await ok(["pool", "create", "--duration", "1h"], "openai");
    const poolId: string = created.poolId;
    const rows = Array.from({ length: 600 }, (_, i) => ({
      contributionId: keccak256(toHex(`a row of a file sent twice, ${i}`)),
      units: BigInt(i + 1),
    }));
    const writeRows = () =>
      writeFile(
        path.join(work, "resume.csv"),
        `contribution,units\n${rows.map((r) => `${r.contributionId},${r.units}`).join("\n")}\n`,
      );
    await writeRows();
    // The first batch of 256 landed, then the run that sent it was stopped.
    await setUnits(as("openai"), { poolId: BigInt(poolId), entries: rows.slice(0, 256) });
    const sent = () => rpc<string>(node.url, "eth_getTransactionCount", [address("openai"), "latest"]).then(BigInt);
    const unitsOf = async (contributionId: Hex) =>
      (
        await localClients(node.url).publicClient.readContract({
          address: vault,
          abi: royaltyVaultAbi,
          functionName: "positionOf",
          args: [BigInt(poolId), contributionId],
        })
      )[0].units;
    const before = await sent();

    const resumed = await cli(["units", "set", poolId, "resume.csv"], "openai");
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(
      resumed.stderr
        .trim()
        .split("\n")
        .map((line) => line.replace(/0x[0-9a-f]{64}/, "0x…").replace(/block \d+/, "block N")),
      [
        `256 rows of resume.csv already hold their units in pool ${poolId}: left out; 344 rows to send in 2 batches`,
        "batch 1/2: 256 contributions (rows 1 to 256 of 344) in transaction 0x…, block N",
        "batch 2/2: 88 contributions (rows 257 to 344 of 344) in transaction 0x…, block N",
      ],
    );
    assert.match(
      resumed.stdout,
      new RegExp(
        `^set the units of 344 contributions in pool ${poolId} in 2 transactions \\(256 unchanged, left out\\)\\n`,
      ),
    );
    assert.equal((await sent()) - before, 2n, "two transactions: the rows that were left");
    assert.equal(await unitsOf(rows[0]!.contributionId), 1);
    assert.equal(await unitsOf(rows[599]!.contributionId), 600);

    // Sent again whole: nothing is left to send.
    const again = await ok(["units", "set", poolId, "resume.csv"], "openai");
    assert.equal(again.count, 0);
    assert.equal(again.unchanged, 600);
    assert.deepEqual(again.transactions, []);
    const quiet = await cli(["units", "set", poolId, "resume.csv"], "openai");
    assert.equal(
      quiet.stdout,
      `nothing to send: all 600 rows of resume.csv already hold their units in pool ${poolId}\n`,
    );

    // One row changed (to zero, removing its share): only it is sent.
    rows[10]!.units = 0n;
    await writeRows();
    const one = await ok(["units", "set", poolId, "resume.csv"], "openai");
    assert.equal(one.count, 1);
    assert.equal(one.unchanged, 599);
    assert.equal(one.transactions.length, 1);
    assert.equal(await unitsOf(rows[10]!.contributionId), 0);
    assert.equal((await sent()) - before, 3n);
  });

  it("keeper: claims for the authors, each paid directly; a payout the author's wallet refuses is deferred, then withdrawn", async () => {
    await setUnits(as("openai"), { poolId: 1n, entries: [{ contributionId: carolHash, units: 100n }] });
    await rpc(node.url, "evm_increaseTime", [600]);
    await rpc(node.url, "evm_mine");
    // Carol's wallet refuses ETH, as a wallet whose code reverts on receipt (a smart account) would.
    await rpc(node.url, "hardhat_setCode", [address("carol"), "0x60006000fd"]);
    const [bobEth, bobToken, carolEth, before] = await Promise.all([
      ethOf(address("bob")),
      balanceOf(address("bob")),
      ethOf(address("carol")),
      nonces(),
    ]);
    const keeping = await ok(["claim-for", bobHash, carolHash, "--pool", "1", "--pool", "2"], "keeper");
    assert.equal(keeping.from, address("keeper"));
    assert.deepEqual(keeping.skipped, [{ poolId: "2", contributionId: carolHash, reason: "nothing owed" }]);
    const item = (poolId: string, contributionId: Hex) =>
      keeping.claimed.find(
        (c: { poolId: string; contributionId: string }) => c.poolId === poolId && c.contributionId === contributionId,
      );
    assert.equal(keeping.claimed.length, 3);
    for (const [poolId, id, author] of [
      ["1", bobHash, "bob"],
      ["2", bobHash, "bob"],
      ["1", carolHash, "carol"],
    ] as const) {
      assert.equal(item(poolId, id).author, address(author));
      assert.equal(item(poolId, id).recipient, address(author));
      assert.ok(BigInt(item(poolId, id).amount) > 0n);
    }
    // Bob sent nothing and paid no gas: his balances grew by exactly what was claimed for him.
    assert.equal((await ethOf(address("bob"))) - bobEth, BigInt(item("1", bobHash).amount));
    assert.equal((await balanceOf(address("bob"))) - bobToken, BigInt(item("2", bobHash).amount));
    const carolOwed = BigInt(item("1", carolHash).amount);
    // The payout waits in the vault for the contribution's author.
    assert.deepEqual(keeping.deferred, [
      {
        poolId: "1",
        contributionId: carolHash,
        token: zeroAddress,
        account: address("carol"),
        recipient: address("carol"),
        amount: String(carolOwed),
      },
    ]);
    assert.equal(await ethOf(address("carol")), carolEth);
    assert.equal(await getDeferred(as("carol"), address("carol"), zeroAddress), carolOwed);
    const after = await nonces();
    (Object.keys(KEYS) as Who[]).forEach((who, i) =>
      assert.equal(BigInt(after[i]!) - BigInt(before[i]!), who === "keeper" ? 1n : 0n, `${who}'s nonce`),
    );

    // Carol's wallet accepts ETH again: she withdraws her deferred payout to a fresh wallet.
    await rpc(node.url, "hardhat_setCode", [address("carol"), "0x"]);
    const fresh = privateKeyToAccount(generatePrivateKey()).address;
    const withdrawn = await cli(["withdraw-deferred", "--to", fresh], "carol");
    assert.equal(withdrawn.code, 0, withdrawn.stderr);
    assert.equal(withdrawn.stderr, "");
    const [paid, credit] = withdrawn.stdout.split("\n");
    assert.equal(paid, `withdrew ${formatEther(carolOwed)} ETH of deferred payouts to ${fresh}`);
    assert.equal(credit, `  deferred to ${address("carol")}: ${formatEther(carolOwed)} ETH before, 0 ETH now`);
    assert.equal(await ethOf(fresh), carolOwed);
  });

  it("keeper: leaves out an unregistered contribution whose royalties wait in escrow, and pays each author once a pool whatever the order given", async () => {
    // Alice's second prompt joins the ERC-20 pool: it now holds two of Alice's contributions and one of Bob's.
    await setUnits(as("mistral"), { poolId: 2n, entries: [{ contributionId: aliceSecondHash, units: 1000n }] });
    await rpc(node.url, "evm_increaseTime", [600]);
    await rpc(node.url, "evm_mine");
    const [aliceToken, bobToken] = await Promise.all([balanceOf(address("alice")), balanceOf(address("bob"))]);

    // Alice's, Bob's, Alice's, then a hash nobody registered (units in pool 1 only).
    const keeping = await ok(
      ["claim-for", aliceHash, bobHash, aliceSecondHash, unregistered, "--pool", "2", "--pool", "1"],
      "keeper",
    );
    assert.deepEqual(keeping.skipped, [
      { poolId: "2", contributionId: unregistered, reason: "nothing owed" },
      { poolId: "1", contributionId: unregistered, reason: "unregistered" },
    ]);
    assert.equal(keeping.claimed.length, 6);
    const authorOf = new Map<string, Who>([
      [aliceHash, "alice"],
      [aliceSecondHash, "alice"],
      [bobHash, "bob"],
    ]);
    for (const c of keeping.claimed as { contributionId: Hex; author: string; recipient: string }[]) {
      assert.equal(c.author, address(authorOf.get(c.contributionId)!));
      assert.equal(c.recipient, c.author);
    }
    const fromToken = (who: Who) =>
      keeping.claimed
        .filter((c: { poolId: string; author: string }) => c.poolId === "2" && c.author === address(who))
        .reduce((sum: bigint, c: { amount: string }) => sum + BigInt(c.amount), 0n);
    assert.equal((await balanceOf(address("alice"))) - aliceToken, fromToken("alice"));
    assert.equal((await balanceOf(address("bob"))) - bobToken, fromToken("bob"));

    // Given Alice, Bob, Alice, the pairs went out grouped by author: one ERC-20 transfer each, not three.
    const receipt = await localClients(node.url).publicClient.getTransactionReceipt({ hash: keeping.transactionHash });
    const transfers = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: "Transfer" });
    assert.deepEqual(
      transfers.map((t) => t.args.to).sort(),
      [address("alice"), address("bob")].sort(),
      "one transfer per author in the ERC-20 pool",
    );

    // In human output too: the hash's royalties still wait in escrow, and the line says so.
    await rpc(node.url, "evm_increaseTime", [60]);
    await rpc(node.url, "evm_mine");
    const human = await cli(["claim-for", bobHash, unregistered, "--pool", "1"], "keeper");
    assert.equal(human.code, 0, human.stderr);
    assert.ok(
      human.stdout.includes(
        `  ${unregistered} is not registered: its royalties in pool 1 wait in escrow for its author; left out\n`,
      ),
      human.stdout,
    );
  });

  it("provider: a hash registered after the pool gave it units claims its escrow once the pool's admin confirms the author", async () => {
    // The ETH pool names the maps before their author registers them: from then on the hash is public.
    await setUnits(as("openai"), { poolId: 1n, entries: [{ contributionId: lateHash, units: 200n }] });
    await rpc(node.url, "evm_increaseTime", [300]);
    await rpc(node.url, "evm_mine");
    // Dave, their author, registers them afterwards (commit, a minute of chain time moved forward, reveal).
    const registered = await ok(["register", "--hash", lateHash, "--kind", "dataset"], "dave", FAST);
    assert.equal(registered.method, "commit-reveal");

    // Dave's record is newer than the exposure: the escrow waits for the admin, and says so.
    const shown = await ok(["escrow", "show", "1", lateHash]);
    assert.equal(shown.escrowed, true);
    assert.equal(shown.author, address("dave"));
    assert.equal(shown.canClaim, false);
    assert.equal(shown.confirmedAt, 0);
    assert.ok(shown.registeredAt > shown.exposedAt);
    assert.ok(BigInt(shown.claimable) > 0n);
    const keeping = await ok(["claim-for", lateHash, bobHash, "--pool", "1"], "keeper");
    assert.deepEqual(keeping.skipped, [{ poolId: "1", contributionId: lateHash, reason: "escrow-unconfirmed" }]);
    assert.deepEqual(
      keeping.claimed.map((c: { contributionId: string }) => c.contributionId),
      [bobHash],
    );
    const before = await nonces();
    const refused = await cli(["claim", lateHash, "--pool", "1"], "dave");
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(
        `^error: the royalties of ${lateHash} in pool 1 are in escrow: the pool made the hash public at .*, and the record of ${address("dave")} dates from .*, after it; the pool's admin confirms the author first \\(tributary escrow confirm 1 ${lateHash} ${address("dave")}\\)\n$`,
      ),
    );
    assert.deepEqual(await nonces(), before, "nothing sent");
    await waitForIndexedBlock(indexer.url, lastBlock);
    const human = await cli(["earnings", lateHash]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      /record of .* is newer: it claims once the pool's admin confirms it \(tributary escrow confirm 1 /,
    );

    // The admin checks who Dave is, and confirms his record; a second confirmation sends nothing.
    const confirmed = await ok(["escrow", "confirm", "1", lateHash, address("dave")], "openai");
    assert.equal(confirmed.confirmed, true);
    assert.equal(confirmed.registeredAt, registered.registeredAt);
    assert.equal(confirmed.transaction.from, address("openai"));
    const again = await nonces();
    const twice = await ok(["escrow", "confirm", "1", lateHash, address("dave")], "openai");
    assert.equal(twice.confirmed, false);
    assert.deepEqual(await nonces(), again, "nothing sent");
    assert.equal((await ok(["escrow", "show", "1", lateHash])).canClaim, true);

    // Paid to a wallet that refuses ETH: the payout waits in the vault for Dave, the author, not for that wallet.
    const refusing = privateKeyToAccount(generatePrivateKey()).address;
    await rpc(node.url, "hardhat_setCode", [refusing, "0x60006000fd"]);
    const paid = await ok(["claim", lateHash, "--pool", "1", "--to", refusing], "dave");
    assert.equal(paid.claimed.length, 1);
    const amount = paid.claimed[0].amount;
    assert.ok(BigInt(amount) > 0n);
    assert.deepEqual(paid.skipped, []);
    assert.deepEqual(paid.deferred, [
      {
        poolId: "1",
        contributionId: lateHash,
        token: zeroAddress,
        account: address("dave"),
        recipient: refusing,
        amount,
      },
    ]);
    assert.equal(await getDeferred(as("dave"), address("dave"), zeroAddress), BigInt(amount));
    assert.equal(await getDeferred(as("dave"), refusing, zeroAddress), 0n);
    const withdrawn = await ok(["withdraw-deferred"], "dave");
    assert.equal(withdrawn.amount, amount);
  });

  it("bad inputs: one line each, a non-zero exit, and nothing sent", async () => {
    // A deployment file whose vault address holds no contract: the node and the file disagree.
    const mismatched = path.join(work, "mismatched");
    await mkdir(mismatched);
    const file = JSON.parse(await readFile(path.join(deploymentsDir, "31337.json"), "utf8"));
    file.contracts.RoyaltyVault.address = "0x000000000000000000000000000000000000dEaD";
    await writeFile(path.join(mismatched, "31337.json"), JSON.stringify(file));
    await writeFile(path.join(work, "bad-units.csv"), `contribution,units\n${aliceHash},lots\n`);
    await writeFile(path.join(work, "admin-units.csv"), `contribution,units\n${aliceHash},7\n`);
    await writeFile(path.join(work, "twice.csv"), `contribution,units\n${aliceHash},7\n${aliceHash},8\n`);
    await writeFile(path.join(work, "huge.csv"), `contribution,units\n${aliceHash},${2n ** 64n}\n`);

    const cases: [string, string[], Who | undefined, RegExp][] = [
      [
        "insufficient funds (ETH deposit)",
        ["deposit", "1", "1"],
        "penniless",
        /^error: the account 0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A holds 0 ETH but this needs [\d.]+ ETH \(ETH for the amount and gas\); fund the account or deposit a smaller <amount>$/,
      ],
      [
        "insufficient funds (ERC-20 deposit)",
        ["deposit", "2", "5000"],
        "mistral",
        /^error: the account 0x976EA74026E726554dB657fA54763abd0C3a0aa9 holds 749\.5 dUSD but this needs 5000 dUSD \(dUSD to deposit into pool 2\); get more dUSD or deposit a smaller <amount>$/,
      ],
      [
        "unregistered hash claim",
        ["claim", unregistered, "--pool", "1"],
        "alice",
        new RegExp(`^error: ${unregistered} is not registered, so nobody can claim its royalties yet; its author`),
      ],
      [
        "not the author",
        ["claim", bobHash, "--pool", "1"],
        "alice",
        new RegExp(`^error: ${address("alice")} is not the author of ${bobHash} \\(the author is ${address("bob")}\\)`),
      ],
      [
        "wrong network (deployment mismatch)",
        ["--deployments", mismatched, "deposit", "1", "1"],
        "openai",
        /^error: no RoyaltyVault at 0x000000000000000000000000000000000000dEaD on chain 31337: the deployment file does not match this node; /,
      ],
      [
        "wrong network (chain id)",
        ["--chain-id", "11155111", "pool", "create", "--duration", "1h"],
        "openai",
        /^error: the node at http:\/\/127\.0\.0\.1:\d+ is on chain 31337, not chain 11155111; /,
      ],
      ["missing CSV", ["units", "set", "1", "nope.csv"], "openai", /^error: cannot read the units file nope\.csv; /],
      [
        "malformed units in the CSV",
        ["units", "set", "1", "bad-units.csv"],
        "openai",
        /^error: bad-units\.csv line 2: units "lots" is not a whole number; /,
      ],
      ["malformed amount", ["deposit", "1", "1.2.3"], "openai", /^error: amount "1\.2\.3" is not an amount; /],
      ["unknown pool", ["deposit", "9", "1"], "openai", /^error: there is no pool 9; /],
      [
        "duration below the contract's minimum",
        ["pool", "create", "--duration", "30m"],
        "openai",
        /^error: a stream duration of 1800 s is outside 3600 to 315360000 s; /,
      ],
      [
        "claim-for: malformed hash",
        ["claim-for", "0x1234", "--pool", "1"],
        "keeper",
        /^error: hash "0x1234" is not a content hash; /,
      ],
      [
        "claim-for: malformed pool id",
        ["claim-for", bobHash, "--pool", "first"],
        "keeper",
        /^error: --pool "first" is not a pool id; /,
      ],
      ["claim-for: unknown pool", ["claim-for", bobHash, "--pool", "9"], "keeper", /^error: there is no pool 9; /],
      [
        "claim-for: nothing to claim",
        ["claim-for", idleHash, "--pool", "1"],
        "keeper",
        new RegExp(`^error: ${idleHash} has nothing to claim in pool 1; check tributary earnings`),
      ],
      [
        "claim-for: an unregistered hash (royalties in escrow)",
        ["claim-for", unregistered, "--pool", "1"],
        "keeper",
        new RegExp(`^error: ${unregistered} is not registered, so nobody can claim its royalties yet; `),
      ],
      [
        "claim-for: no key",
        ["claim-for", bobHash, "--pool", "1"],
        undefined,
        /^error: no key is configured to sign with; /,
      ],
      [
        "withdraw-deferred: nothing deferred",
        ["withdraw-deferred"],
        "alice",
        new RegExp(`^error: ${address("alice")} has no deferred payout in ETH; nothing to withdraw`),
      ],
      [
        "withdraw-deferred: malformed token",
        ["withdraw-deferred", "--token", "dollars"],
        "alice",
        /^error: --token "dollars" is not an address; /,
      ],
      [
        "escrow confirm: not the pool's admin",
        ["escrow", "confirm", "1", lateHash, address("dave")],
        "dave",
        new RegExp(
          `^error: ${address("dave")} is not the admin of pool 1 \\(the admin is ${address("openai")}\\); use the pool admin's key$`,
        ),
      ],
      [
        "escrow confirm: a position without escrow",
        ["escrow", "confirm", "1", aliceHash, address("alice")],
        "openai",
        new RegExp(
          `^error: ${aliceHash} holds no escrow in pool 1: it was registered when the pool gave it units; nothing to confirm`,
        ),
      ],
      [
        "escrow confirm: a wallet that is not the registered author",
        ["escrow", "confirm", "1", lateHash, address("alice")],
        "openai",
        new RegExp(
          `^error: ${address("alice")} is not the registered author of ${lateHash} \\(the author is ${address("dave")}\\); confirm the wallet the registry names`,
        ),
      ],
      [
        "escrow confirm: an unregistered hash",
        ["escrow", "confirm", "1", unregistered, address("alice")],
        "openai",
        new RegExp(
          `^error: ${unregistered} is not registered, so ${address("alice")} cannot be confirmed as its author; its author registers it first`,
        ),
      ],
      [
        "escrow confirm: unknown pool",
        ["escrow", "confirm", "9", lateHash, address("dave")],
        "openai",
        /^error: there is no pool 9; /,
      ],
      [
        "escrow confirm: malformed pool id",
        ["escrow", "confirm", "one", lateHash, address("dave")],
        "openai",
        /^error: pool-id "one" is not a pool id; /,
      ],
      [
        "escrow confirm: malformed hash",
        ["escrow", "confirm", "1", "0xabc", address("dave")],
        "openai",
        /^error: hash "0xabc" is not a content hash; /,
      ],
      [
        "escrow confirm: malformed author",
        ["escrow", "confirm", "1", lateHash, "dave"],
        "openai",
        /^error: author "dave" is not an address; /,
      ],
      [
        "escrow confirm: no key",
        ["escrow", "confirm", "1", lateHash, address("dave")],
        undefined,
        /^error: no key is configured to sign with; /,
      ],
      ["escrow show: unknown pool", ["escrow", "show", "9", lateHash], undefined, /^error: there is no pool 9; /],
      [
        "deposit: --decimals that disagrees with the token's own",
        ["deposit", "2", "1", "--decimals", "18"],
        "mistral",
        new RegExp(
          `^error: --decimals 18 disagrees with dUSD's own 6 decimals \\(decimals\\(\\) of ${getAddress(token)}\\); leave out --decimals \\(the token's are read from it\\), or give --decimals 6$`,
        ),
      ],
      [
        "units set: --batch-size 0",
        ["units", "set", "1", "admin-units.csv", "--batch-size", "0"],
        "openai",
        /^error: --batch-size "0" is not a whole number from 1 to 512; give 1 to 512 \(the vault's MAX_BATCH_SIZE\); the default 256 keeps a batch of new positions under the 16,777,216 gas a transaction may use \(EIP-7825\)$/,
      ],
      [
        "units set: --batch-size over the vault's MAX_BATCH_SIZE",
        ["units", "set", "1", "admin-units.csv", "--batch-size", "513"],
        "openai",
        /^error: --batch-size "513" is not a whole number from 1 to 512; give 1 to 512 /,
      ],
      [
        "units set: --batch-size that is not a number",
        ["units", "set", "1", "admin-units.csv", "--batch-size", "many"],
        "openai",
        /^error: --batch-size "many" is not a whole number from 1 to 512; /,
      ],
      [
        "units set: a contribution twice in the file",
        ["units", "set", "1", "twice.csv"],
        "openai",
        new RegExp(`^error: twice\\.csv names ${aliceHash} twice; give each contribution once$`),
      ],
      [
        "units set: units over the vault's MAX_UNITS",
        ["units", "set", "1", "huge.csv"],
        "openai",
        new RegExp(
          `^error: huge\\.csv gives ${aliceHash} ${2n ** 64n} units, more than the vault's MAX_UNITS \\(\\d+\\); `,
        ),
      ],
      ["units set: unknown pool", ["units", "set", "9", "admin-units.csv"], "openai", /^error: there is no pool 9; /],
      [
        "not the pool's admin",
        ["units", "set", "1", "admin-units.csv"],
        "bob",
        new RegExp(`^error: ${address("bob")} may not set units in pool 1; use the key of the pool's admin`),
      ],
    ];
    const before = await nonces();
    const runs = await Promise.all(cases.map(([, args, who]) => cli(args, who)));
    for (const [i, [name, , , pattern]] of cases.entries()) {
      const run = runs[i]!;
      assert.equal(run.code, 1, `${name}: exit code (stderr: ${run.stderr})`);
      assert.equal(run.stdout, "", `${name}: nothing on stdout`);
      assert.equal(run.stderr.split("\n").length, 2, `${name}: one line on stderr: ${run.stderr}`);
      assert.match(run.stderr.trim(), pattern, name);
    }
    assert.deepEqual(await nonces(), before, "no account sent anything");

    // A paused vault refuses the ERC-20 deposit before its approval is sent.
    const { walletClient, publicClient } = localClients(node.url);
    const setPaused = async (functionName: "pause" | "unpause") =>
      publicClient.waitForTransactionReceipt({
        hash: await walletClient.writeContract({
          address: vault,
          abi: royaltyVaultAbi,
          functionName,
          account: address("owner"),
        }),
      });
    const allowance = () =>
      publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: "allowance",
        args: [address("mistral"), vault],
      });
    await setPaused("pause");
    try {
      const [allowed, sent] = await Promise.all([allowance(), nonces()]);
      const paused = await cli(["deposit", "2", "1"], "mistral");
      assert.equal(paused.code, 1, paused.stderr);
      assert.equal(
        paused.stderr,
        "error: the vault is paused: deposits and unit changes wait; retry once it is unpaused; claims still work\n",
      );
      assert.equal(await allowance(), allowed, "no approval sent");
      assert.deepEqual(await nonces(), sent, "nothing sent");
    } finally {
      await setPaused("unpause");
    }
  });

  it("auditor: every command that reads the API says on stderr, in one line, when its indexed head lags the node; --json stays JSON", async () => {
    await waitForIndexedBlock(indexer.url, BigInt(await rpc<string>(node.url, "eth_blockNumber")));
    const reads: string[][] = [
      ["pool", "list"],
      ["pool", "show", "1"],
      ["pool", "show", "1", "--ledger", "deposits"],
      ["solvency"],
      ["earnings", address("alice")],
      ["earnings", aliceHash],
      ["author", address("bob")],
      ["contribution", bobHash],
      ["contracts"],
    ];
    for (const args of reads) assert.equal((await cli(args)).stderr, "", `${args.join(" ")}: no warning`);

    await indexerRpc.down();
    try {
      // The indexer no longer hears of new blocks; the node mines on.
      for (let i = 0; i < 8; i += 1) await rpc(node.url, "evm_mine");
      // Two at a time: the machine that runs the tests is small, and each warning waits for the API's /head.
      const human: Run[] = [];
      const json: Run[] = [];
      for (const args of reads) {
        const [plain, asJson] = await Promise.all([cli(args), cli([...args, "--json"])]);
        human.push(plain);
        json.push(asJson);
      }
      for (const [i, run] of [...human, ...json].entries()) {
        const name = `${reads[i % reads.length]!.join(" ")}${i >= reads.length ? " --json" : ""}`;
        assert.equal(run.code, 0, `${name}: ${run.stderr}`);
        const lines = run.stderr.split("\n");
        assert.equal(lines.length, 2, `${name}: one line on stderr: ${run.stderr}`);
        const warning =
          /^warning: the API's indexed head is block (\d+), (\d+) blocks behind the node \(block (\d+)\); its answers are as of block \1$/.exec(
            lines[0]!,
          );
        assert.ok(warning, `${name}: ${lines[0]}`);
        assert.equal(BigInt(warning[3]!) - BigInt(warning[1]!), BigInt(warning[2]!));
        assert.ok(BigInt(warning[2]!) >= 8n, `${name}: at least the 8 blocks mined`);
        if (i >= reads.length) JSON.parse(run.stdout);
      }
      // A larger threshold is quiet; a malformed one is refused.
      const tolerant = await cli(["pool", "list"], undefined, { TRIBUTARY_API_LAG_WARNING_BLOCKS: "1000" });
      assert.equal(tolerant.stderr, "");
      const malformed = await cli(["pool", "list"], undefined, { TRIBUTARY_API_LAG_WARNING_BLOCKS: "few" });
      assert.equal(malformed.code, 1);
      assert.equal(
        malformed.stderr,
        'error: TRIBUTARY_API_LAG_WARNING_BLOCKS "few" is not a number of blocks; give a whole number such as 5, or unset it\n',
      );
      // A command that reads only the node says nothing of the API.
      const chainOnly = await cli(["pool", "show", "1", "--chain"]);
      assert.equal(chainOnly.stderr, "");
    } finally {
      await indexerRpc.up();
    }
    await waitForIndexedBlock(indexer.url, BigInt(await rpc<string>(node.url, "eth_blockNumber")), 120_000);
    const caughtUp = await cli(["pool", "list"]);
    assert.equal(caughtUp.stderr, "");
  });
});
