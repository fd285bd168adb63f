// Gas of the RoyaltyVault, side by side in the same run with OpenZeppelin Contracts 4.9's PaymentSplitter (from npm
// under the alias @openzeppelin/contracts-v4, compiled here: its pragma is ^0.8.0) and Uniswap's MerkleDistributor
// (@uniswap/merkle-distributor 1.0.1, deployed from the package's compiled bytecode: its pragma is 0.6.11). Every
// figure is `gasUsed` from a receipt on Hardhat's in-process network, in steady state: the vault already holds the
// token, each measured operation ran once before, and every recipient already holds the token.
//
//   npx hardhat run bench/suites/vault.ts
import { network } from "hardhat";
import { createRequire } from "node:module";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";

import { buildLevels, proofOf } from "../lib/merkle.js";
import { record, type Metrics } from "../lib/record.js";

const require = createRequire(import.meta.url);
const merkleArtifact = require("@uniswap/merkle-distributor/build/MerkleDistributor.json");

const { ethers, networkHelpers } = await network.create();
const [owner, provider, author, keeper, other] = (await ethers.getSigners()) as [
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
];

const DAY = 86_400;
const DURATION = 30 * DAY;
const KIND_PROMPT = 0;
const MAX = ethers.MaxUint256;

async function receiptOf(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("bench transaction failed");
  return receipt;
}
const gasOf = async (tx: Promise<ContractTransactionResponse>): Promise<number> =>
  Number((await receiptOf(tx)).gasUsed);

const pct = (value: number, reference: number): string => {
  const delta = ((value - reference) / reference) * 100;
  return `${delta >= 0 ? "+" : ""}${delta.toFixed(1)}%`;
};
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

let counter = 0n;
const nextHash = (): string => ethers.keccak256(ethers.toBeHex(++counter, 32));

// ---------------------------------------------------------------------------------------------------------------
// Deployments
// ---------------------------------------------------------------------------------------------------------------

const registry = await ethers.deployContract("AuthorshipRegistry", [owner.address]);
const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner.address]);
const vaultAddress = await vault.getAddress();
const usdc = await ethers.deployContract("DemoToken", ["USD Coin", "USDC", 6]);
const usdcAddress = await usdc.getAddress();

await receiptOf(usdc.mint(provider.address, 10n ** 18n));
await receiptOf(usdc.connect(provider).approve(vaultAddress, MAX));

const vaultAs = (signer: typeof owner) => vault.connect(signer);

async function createPool(token: string): Promise<bigint> {
  await receiptOf(vaultAs(provider).createPool(token, provider.address, DURATION, "ipfs://pool"));
  return vault.poolCount();
}

/** Registers `ids` as `signer`'s prompts, in one batch. */
async function registerPrompts(signer: HardhatEthersSigner, ids: string[]): Promise<void> {
  await receiptOf(
    registry.connect(signer).registerBatch(
      ids.map((contributionId) => ({
        contributionId,
        kind: KIND_PROMPT,
        trainingConsent: true,
        parents: [],
        uri: "",
      })),
    ),
  );
}

/** Gives `ids` one unit each in `poolId`, in batches of 250 (a new unregistered hash, its escrow opened, costs ~55k). */
async function addUnits(poolId: bigint, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 250) {
    const batch = ids.slice(i, i + 250);
    await receiptOf(
      vaultAs(provider).setUnits(
        poolId,
        batch,
        batch.map(() => 1n),
      ),
    );
  }
}

const depositUsdc = (poolId: bigint, amount: bigint) => vaultAs(provider).deposit(poolId, amount);
const depositEth = (poolId: bigint, amount: bigint) => vaultAs(provider).deposit(poolId, amount, { value: amount });

// ---------------------------------------------------------------------------------------------------------------
// Deposits: flat in the number of contributions (an ERC-20 with 6 decimals, as USDC)
// ---------------------------------------------------------------------------------------------------------------

const depositGas: Record<1 | 100 | 10_000, number> = { 1: 0, 100: 0, 10_000: 0 };
// The first deposit into each pool: it starts the stream (slots from zero). The n1 pool's is also the vault's first
// USDC (its token balance set from zero).
const firstDepositGas: Record<1 | 100 | 10_000, number> = { 1: 0, 100: 0, 10_000: 0 };
for (const n of [1, 100, 10_000] as const) {
  const poolId = await createPool(usdcAddress);
  await addUnits(
    poolId,
    Array.from({ length: n }, () => nextHash()),
  );
  firstDepositGas[n] = await gasOf(depositUsdc(poolId, 1_000_000_000n));
  await networkHelpers.time.increase(DAY);
  depositGas[n] = await gasOf(depositUsdc(poolId, 1_000_000_000n));
}

// ETH deposit, for reference.
const ethPool = await createPool(ethers.ZeroAddress);
const ethId = nextHash();
await receiptOf(registry.connect(author).register(ethId, KIND_PROMPT, ""));
await addUnits(ethPool, [ethId]);
await receiptOf(depositEth(ethPool, ethers.parseEther("1")));
await networkHelpers.time.increase(DAY);
const depositEthGas = await gasOf(depositEth(ethPool, ethers.parseEther("1")));

// ---------------------------------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------------------------------

// ERC-20: one contribution among 100 in a pool; the author already holds USDC from an earlier claim.
const usdcPool = await createPool(usdcAddress);
const usdcId = nextHash();
await receiptOf(registry.connect(author).register(usdcId, KIND_PROMPT, ""));
await addUnits(usdcPool, [usdcId, ...Array.from({ length: 99 }, () => nextHash())]);
await receiptOf(depositUsdc(usdcPool, 1_000_000_000n));
await networkHelpers.time.increase(DAY);
// The author's first claim: their first USDC too (their token balance set from zero).
const firstClaimGas = await gasOf(vaultAs(author).claim(usdcPool, usdcId, author.address));
await networkHelpers.time.increase(DAY);
const claimErc20Gas = await gasOf(vaultAs(author).claim(usdcPool, usdcId, author.address));

// An escrowed position: the pool gave the hash units before its author registered it, the admin confirmed the
// record. Its claims read the record and the escrow's slot besides; measured in steady state as the one above.
const escrowPool = await createPool(usdcAddress);
const escrowId = nextHash();
await addUnits(escrowPool, [escrowId, ...Array.from({ length: 99 }, () => nextHash())]);
await receiptOf(registry.connect(author).register(escrowId, KIND_PROMPT, ""));
await receiptOf(vaultAs(provider).confirmAuthor(escrowPool, escrowId, author.address));
await receiptOf(depositUsdc(escrowPool, 1_000_000_000n));
await networkHelpers.time.increase(DAY);
await receiptOf(vaultAs(author).claim(escrowPool, escrowId, author.address));
await networkHelpers.time.increase(DAY);
const claimEscrowedGas = await gasOf(vaultAs(author).claim(escrowPool, escrowId, author.address));

// ETH.
await networkHelpers.time.increase(DAY);
await receiptOf(vaultAs(author).claim(ethPool, ethId, author.address));
await networkHelpers.time.increase(DAY);
const claimEthGas = await gasOf(vaultAs(author).claim(ethPool, ethId, author.address));

// 10 contributions x 2 pools in one call.
const tenIds = Array.from({ length: 10 }, () => nextHash());
await registerPrompts(author, tenIds);
const poolA = await createPool(usdcAddress);
const poolB = await createPool(usdcAddress);
for (const poolId of [poolA, poolB]) {
  await addUnits(poolId, tenIds);
  await receiptOf(depositUsdc(poolId, 1_000_000_000n));
}
await networkHelpers.time.increase(DAY);
await receiptOf(vaultAs(author).claimBatch([poolA, poolB], [tenIds, tenIds], author.address));
await networkHelpers.time.increase(DAY);
const claim10x2Gas = await gasOf(vaultAs(author).claimBatch([poolA, poolB], [tenIds, tenIds], author.address));

// Keeper claim for the author (same pool as the ERC-20 claim).
await networkHelpers.time.increase(DAY);
const claimForGas = await gasOf(vaultAs(keeper).claimFor([usdcPool], [[usdcId]]));

// Keeper claim of 10 contributions of two authors (five each) in one pool. The vault shares one transfer between
// consecutive contributions of the same author: given alternating, it makes 10 transfers; grouped by author, as the
// SDK's claimFor sends them, 2.
const twoAuthors = Array.from({ length: 10 }, () => nextHash());
await registerPrompts(author, twoAuthors.slice(0, 5));
await registerPrompts(other, twoAuthors.slice(5));
const alternating = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9].map((i) => twoAuthors[i]!);
const poolC = await createPool(usdcAddress);
await addUnits(poolC, twoAuthors);
await receiptOf(depositUsdc(poolC, 1_000_000_000n));
await networkHelpers.time.increase(DAY);
await receiptOf(vaultAs(keeper).claimFor([poolC], [twoAuthors])); // both authors now hold the token
await networkHelpers.time.increase(DAY);
const claimForAlternatingGas = await gasOf(vaultAs(keeper).claimFor([poolC], [alternating]));
await networkHelpers.time.increase(DAY);
const claimForGroupedGas = await gasOf(vaultAs(keeper).claimFor([poolC], [twoAuthors]));

// ---------------------------------------------------------------------------------------------------------------
// Unit changes
// ---------------------------------------------------------------------------------------------------------------

// One existing contribution's units change, in a pool that is streaming.
await networkHelpers.time.increase(DAY);
const setUnitsGas = await gasOf(vaultAs(provider).setUnits(usdcPool, [usdcId], [2n]));
// A batch of 100 new contributions.
const hundred = Array.from({ length: 100 }, () => nextHash());
const setUnits100Gas = await gasOf(
  vaultAs(provider).setUnits(
    usdcPool,
    hundred,
    hundred.map(() => 1n),
  ),
);
const setUnitsPerNew = setUnits100Gas / 100;
// One new contribution in the streaming pool: a hash nobody registered (its escrow opened: one more slot, and
// EscrowOpened), against a registered one.
const setUnitsUnregisteredGas = await gasOf(vaultAs(provider).setUnits(usdcPool, [nextHash()], [1n]));
const registeredNew = nextHash();
await receiptOf(registry.connect(author).register(registeredNew, KIND_PROMPT, ""));
const setUnitsRegisteredGas = await gasOf(vaultAs(provider).setUnits(usdcPool, [registeredNew], [1n]));

// ---------------------------------------------------------------------------------------------------------------
// Peers, same network, same run
// ---------------------------------------------------------------------------------------------------------------

// OpenZeppelin 4.9 PaymentSplitter over 100 payees; the bench's author is payee 0.
const payees = [author.address, ...Array.from({ length: 99 }, (_, i) => ethers.Wallet.createRandom().address)];
const splitter = await ethers.deployContract("PaymentSplitterPeer", [payees, payees.map(() => 1n)]);
const splitterAddress = await splitter.getAddress();
await receiptOf(provider.sendTransaction({ to: splitterAddress, value: ethers.parseEther("1") }) as never);
const splitterReceive = await (
  await provider.sendTransaction({ to: splitterAddress, value: ethers.parseEther("1") })
).wait();
const splitterReceiveGas = Number(splitterReceive!.gasUsed);
await receiptOf(usdc.connect(provider).transfer(splitterAddress, 1_000_000_000n));
const releaseErc20 = splitter.getFunction("release(address,address)");
await receiptOf(releaseErc20(usdcAddress, author.address));
await receiptOf(usdc.connect(provider).transfer(splitterAddress, 1_000_000_000n));
const splitterReleaseGas = await gasOf(releaseErc20(usdcAddress, author.address));

// Uniswap MerkleDistributor over 10,000 leaves (index, account, amount), sorted-pair tree.
const LEAVES = 10_000;
const accounts = Array.from({ length: LEAVES }, (_, i) =>
  i === 0 ? author.address : ethers.getAddress(ethers.dataSlice(ethers.keccak256(ethers.toBeHex(i + 7, 32)), 12)),
);
const leafOf = (index: number) =>
  ethers.solidityPackedKeccak256(["uint256", "address", "uint256"], [index, accounts[index], 1_000_000n]);
const levels = buildLevels(Array.from({ length: LEAVES }, (_, i) => leafOf(i)));
const top = () => levels[levels.length - 1]!;
const distributor = await new ethers.ContractFactory(merkleArtifact.abi, merkleArtifact.bytecode, owner).deploy(
  usdcAddress,
  top()[0]!,
);
await distributor.waitForDeployment();
await receiptOf(usdc.connect(provider).transfer(await distributor.getAddress(), 1_000_000n * BigInt(LEAVES)));
const merkleClaim = distributor.getFunction("claim");
await receiptOf(merkleClaim(1, accounts[1], 1_000_000n, proofOf(levels, 1)));
const merkleClaimGas = Number((await receiptOf(merkleClaim(0, accounts[0], 1_000_000n, proofOf(levels, 0)))).gasUsed);

// ---------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------

const target = (value: number, limit: number) =>
  `target <= ${fmt(limit)} (${value <= limit ? `${fmt(limit - value)} under` : `${fmt(value - limit)} OVER`})`;
const flat = pct(depositGas[10_000], depositGas[1]);

const metrics: Metrics = {
  "vault.deposit.n1.gas": {
    value: depositGas[1],
    unit: "gas",
    note: `USDC-like, 1 contribution; ${target(depositGas[1], 62_000)}; ETH deposit ${fmt(depositEthGas)}; PaymentSplitter receive ${fmt(splitterReceiveGas)} (${pct(depositGas[1], splitterReceiveGas)})`,
  },
  "vault.deposit.first.gas": {
    value: firstDepositGas[100],
    unit: "gas",
    note: `the first deposit into a new pool (100 contributions), which starts its stream; steady state ${fmt(depositGas[100])} (${pct(firstDepositGas[100], depositGas[100])}); the vault's very first USDC deposit (n1 pool) ${fmt(firstDepositGas[1])}`,
  },
  "vault.deposit.n100.gas": {
    value: depositGas[100],
    unit: "gas",
    note: `100 contributions; ${target(depositGas[100], 62_000)}; ${pct(depositGas[100], depositGas[1])} vs n1`,
  },
  "vault.deposit.n10000.gas": {
    value: depositGas[10_000],
    unit: "gas",
    note: `10,000 contributions; ${target(depositGas[10_000], 62_000)}; ${flat} vs n1 (target within 1%)`,
  },
  "vault.claim.erc20.gas": {
    value: claimErc20Gas,
    unit: "gas",
    note: `one contribution, one pool, incl. 21,000 base; ${target(claimErc20Gas, 62_000)}; PaymentSplitter release(token) ${fmt(splitterReleaseGas)} (${pct(claimErc20Gas, splitterReleaseGas)}); MerkleDistributor claim ${fmt(merkleClaimGas)} (${pct(claimErc20Gas, merkleClaimGas)})`,
  },
  "vault.claim.first.gas": {
    value: firstClaimGas,
    unit: "gas",
    note: `an author's first claim, also their first USDC (their balance slot set from zero); steady state ${fmt(claimErc20Gas)} (${pct(firstClaimGas, claimErc20Gas)})`,
  },
  "vault.claim.escrowed.gas": {
    value: claimEscrowedGas,
    unit: "gas",
    note: `an escrowed position whose record the admin confirmed, steady state: ${fmt(claimEscrowedGas - claimErc20Gas)} more than a claim without escrow (${fmt(claimErc20Gas)}): the record's date and the escrow's slot read`,
  },
  "vault.claim.eth.gas": {
    value: claimEthGas,
    unit: "gas",
    note: `one contribution, one ETH pool; ${target(claimEthGas, 62_000)}`,
  },
  "vault.claim.10x2.gas": {
    value: claim10x2Gas,
    unit: "gas",
    note: `claimBatch, 10 contributions x 2 pools, 2 transfers: ${fmt(claim10x2Gas / 20)} per (contribution, pool); keeper claimFor of one ${fmt(claimForGas)}`,
  },
  "vault.claimFor.10of2authors.gas": {
    value: claimForGroupedGas,
    unit: "gas",
    note: `keeper claimFor, 10 contributions of 2 authors in one ERC-20 pool, grouped by author (the SDK's order): 2 transfers, ${fmt(claimForGroupedGas / 10)} per contribution; given alternating, 10 transfers, ${fmt(claimForAlternatingGas)} (${pct(claimForGroupedGas, claimForAlternatingGas)} grouped)`,
  },
  "vault.setUnits.gas": {
    value: setUnitsGas,
    unit: "gas",
    note: `one existing contribution's units changed; a batch of 100 new unregistered ones (escrow opened) costs ${fmt(setUnitsPerNew)} each`,
  },
  "vault.setUnits.unregistered.gas": {
    value: setUnitsUnregisteredGas,
    unit: "gas",
    note: `one new hash nobody registered, in a streaming pool: its escrow opened (EscrowOpened, exposure dated); ${fmt(setUnitsUnregisteredGas - setUnitsRegisteredGas)} more than one new registered hash (${fmt(setUnitsRegisteredGas)})`,
  },
  "peer.ozPaymentSplitter.receive.gas": {
    value: splitterReceiveGas,
    unit: "gas",
    note: `OZ 4.9 PaymentSplitter, 100 payees, ETH received; vault deposit n1 is ${pct(depositGas[1], splitterReceiveGas)}`,
  },
  "peer.ozPaymentSplitter.releaseErc20.gas": {
    value: splitterReleaseGas,
    unit: "gas",
    note: `release(token, payee), second release; vault ERC-20 claim is ${pct(claimErc20Gas, splitterReleaseGas)}`,
  },
  "peer.uniswapMerkle.claim.gas": {
    value: merkleClaimGas,
    unit: "gas",
    note: `MerkleDistributor 1.0.1, 10,000 leaves (14-hash proof); vault ERC-20 claim is ${pct(claimErc20Gas, merkleClaimGas)}`,
  },
};

// Figures for bench/vault-notes.md: a provider paying N contributors once units are set.
console.log(
  JSON.stringify({
    setUnitsPerNew,
    depositN1: depositGas[1],
    depositN10000: depositGas[10_000],
    claimErc20Gas,
    claimForGas,
  }),
);

await record("vault", metrics);
