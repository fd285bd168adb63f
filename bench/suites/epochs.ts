// Gas of AttributionEpochs, side by side in the same run with Uniswap's MerkleDistributor (@uniswap/merkle-distributor
// 1.0.1, deployed from the package's compiled bytecode, as in the vault suite). Every figure is `gasUsed` from a
// receipt on Hardhat's in-process network (21,000 base included). A claim is a contribution's first claim (its claimed
// slot set from zero; for the distributor, its bitmap word), proving the deepest leaf; the recipient already holds
// the token, as in the vault suite.
//
// Trees: 1k leaves is a real tree of 1,000 leaves; 100k and 1m are the deepest proof of a tree of 2^17 and 2^20 leaves
// (17 and 20 siblings) with the root computed from it: verification gas depends on the proof's length only.
//
//   npx hardhat run bench/suites/epochs.ts
import { network } from "hardhat";
import { createRequire } from "node:module";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";

import { buildLevels, proofOf, syntheticProof } from "../lib/merkle.js";
import { record, type Metrics } from "../lib/record.js";

const require = createRequire(import.meta.url);
const merkleArtifact = require("@uniswap/merkle-distributor/build/MerkleDistributor.json");

const { ethers, networkHelpers } = await network.create();
const [owner, provider, author, challenger, keeper] = (await ethers.getSigners()) as [
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
];

const WINDOW = 3 * 86_400;
const KIND_PROMPT = 0;
const LEAF_TYPES = ["uint256", "address", "uint256", "bytes32", "uint256", "uint32"];
const AMOUNT = 1_000_000n;
const coder = ethers.AbiCoder.defaultAbiCoder();

async function receiptOf(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("bench transaction failed");
  return receipt;
}
const gasOf = async (tx: Promise<ContractTransactionResponse>): Promise<number> =>
  Number((await receiptOf(tx)).gasUsed);
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const pct = (value: number, reference: number): string => {
  const delta = ((value - reference) / reference) * 100;
  return `${delta >= 0 ? "+" : ""}${delta.toFixed(1)}%`;
};
const target = (value: number, limit: number) =>
  `target <= ${fmt(limit)} (${value <= limit ? `${fmt(limit - value)} under` : `${fmt(value - limit)} OVER`})`;

let counter = 0n;
const nextHash = (): string => ethers.keccak256(ethers.toBeHex(++counter, 32));

// ---------------------------------------------------------------------------------------------------------------
// Deployments
// ---------------------------------------------------------------------------------------------------------------

const registry = await ethers.deployContract("AuthorshipRegistry", [owner.address]);
const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner.address]);
const epochs = await ethers.deployContract("AttributionEpochs", [
  await registry.getAddress(),
  await vault.getAddress(),
]);
const epochsAddress = await epochs.getAddress();
const usdc = await ethers.deployContract("DemoToken", ["USD Coin", "USDC", 6]);
const usdcAddress = await usdc.getAddress();
const chainId = (await ethers.provider.getNetwork()).chainId;

await receiptOf(usdc.mint(provider.address, 10n ** 18n));
await receiptOf(usdc.connect(provider).approve(epochsAddress, ethers.MaxUint256));
// The author already holds the token (every recipient does, as in the vault suite).
await receiptOf(usdc.mint(author.address, 1n));

const leafOf = (poolId: bigint, contributionId: string, cumulativeAmount: bigint, firstEpoch: number): string =>
  ethers.keccak256(
    ethers.keccak256(
      coder.encode(LEAF_TYPES, [chainId, epochsAddress, poolId, contributionId, cumulativeAmount, firstEpoch]),
    ),
  );

async function createPool(): Promise<bigint> {
  await receiptOf(
    epochs.connect(provider).createPool({
      token: usdcAddress,
      admin: provider.address,
      publisher: provider.address,
      challenger: challenger.address,
      challengeWindow: WINDOW,
      reclaimDelay: 0,
      metadataUri: "ipfs://epoch-pool",
    }),
  );
  return epochs.poolCount();
}

/** A manifest as a provider publishes it: every hash set, a 59-character leaf file URI. */
const manifest = (root: string, total: bigint, previousEpoch: number) => ({
  root,
  total,
  methodId: ethers.id("usage-share-v1"),
  methodHash: ethers.id("method code and parameters"),
  modelHash: ethers.id("model v1"),
  snapshotBlock: 19_000_000,
  eligibleHash: ethers.id("eligible"),
  usageLogHash: ethers.id("usage log"),
  leafFileHash: ethers.id("leaf file"),
  leafFileUri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbz",
  previousEpoch,
});

async function publish(poolId: bigint, root: string, total: bigint, previousEpoch: number): Promise<number> {
  return gasOf(epochs.connect(provider).publish(poolId, manifest(root, total, previousEpoch)));
}

// ---------------------------------------------------------------------------------------------------------------
// Claims at 1k (a real tree), 100k and 1M leaves (the deepest proof)
// ---------------------------------------------------------------------------------------------------------------

type Size = "1k" | "100k" | "1m";
const DEPTH: Record<Size, number> = { "1k": 10, "100k": 17, "1m": 20 };
const claimGas: Record<Size, number> = { "1k": 0, "100k": 0, "1m": 0 };
const proofLength: Record<Size, number> = { "1k": 0, "100k": 0, "1m": 0 };
for (const size of ["1k", "100k", "1m"] as const) {
  const poolId = await createPool();
  const contributionId = nextHash();
  await receiptOf(registry.connect(author).register(contributionId, KIND_PROMPT, ""));
  await networkHelpers.time.increase(1);
  const leaf = leafOf(poolId, contributionId, AMOUNT, 1);
  let root: string;
  let proof: string[];
  if (size === "1k") {
    // 1,000 leaves; the author's is the first, whose proof is among the deepest (10 siblings).
    const leaves = [leaf, ...Array.from({ length: 999 }, (_, i) => leafOf(poolId, nextHash(), BigInt(i + 1), 1))];
    const levels = buildLevels(leaves);
    root = levels[levels.length - 1]![0]!;
    proof = proofOf(levels, 0);
  } else {
    ({ root, proof } = syntheticProof(leaf, DEPTH[size], `epochs-${size}`));
  }
  proofLength[size] = proof.length;
  await receiptOf(epochs.connect(provider).fund(poolId, 10n ** 12n));
  await publish(poolId, root, 10n ** 12n, 0);
  await networkHelpers.time.increase(WINDOW);
  const claim = { poolId, epochId: 1, contributionId, cumulativeAmount: AMOUNT, firstEpoch: 1, proof };
  claimGas[size] = await gasOf(epochs.connect(author).claim(claim, author.address));
}

// ---------------------------------------------------------------------------------------------------------------
// Publication: root + manifest, a pool's second epoch (its first publication fills the pool's totals slot and a
// word of publication times from zero)
// ---------------------------------------------------------------------------------------------------------------

const publishPool = await createPool();
await receiptOf(epochs.connect(provider).fund(publishPool, 10n ** 12n));
const firstPublishGas = await publish(publishPool, nextHash(), 10n ** 9n, 0);
await networkHelpers.time.increase(WINDOW);
const publishGas = await publish(publishPool, nextHash(), 2n * 10n ** 9n, 1);

// ---------------------------------------------------------------------------------------------------------------
// claimBatch: 10 contributions of one author in one pool (a real tree of 1,000 leaves), first claims, one transfer
// ---------------------------------------------------------------------------------------------------------------

/** A pool paying 10 registered contributions of the author among 1,000 leaves, past its window; their claims. */
async function tenClaimsInOnePool() {
  const poolId = await createPool();
  const ids = Array.from({ length: 10 }, () => nextHash());
  await receiptOf(
    registry.connect(author).registerBatch(
      ids.map((contributionId) => ({
        contributionId,
        kind: KIND_PROMPT,
        trainingConsent: true,
        parents: [],
        uri: "",
      })),
    ),
  );
  await networkHelpers.time.increase(1);
  const levels = buildLevels([
    ...ids.map((id) => leafOf(poolId, id, AMOUNT, 1)),
    ...Array.from({ length: 990 }, (_, i) => leafOf(poolId, nextHash(), BigInt(i + 1), 1)),
  ]);
  await receiptOf(epochs.connect(provider).fund(poolId, 10n ** 12n));
  await publish(poolId, levels[levels.length - 1]![0]!, 10n ** 12n, 0);
  await networkHelpers.time.increase(WINDOW);
  return ids.map((contributionId, i) => ({
    poolId,
    epochId: 1,
    contributionId,
    cumulativeAmount: AMOUNT,
    firstEpoch: 1,
    proof: proofOf(levels, i),
  }));
}

const batchGas = await gasOf(epochs.connect(author).claimBatch(await tenClaimsInOnePool(), author.address));
// The same first claims by a keeper (claimFor), for the note.
const keeperGas = await gasOf(epochs.connect(keeper).claimFor(await tenClaimsInOnePool()));

// ---------------------------------------------------------------------------------------------------------------
// Peer: Uniswap MerkleDistributor at the same sizes (leaf: index, account, amount, packed; sorted-pair tree)
// ---------------------------------------------------------------------------------------------------------------

const peerGas: Record<Size, number> = { "1k": 0, "100k": 0, "1m": 0 };
for (const size of ["1k", "100k", "1m"] as const) {
  const index = 0;
  const uniLeaf = (i: number, account: string) =>
    ethers.solidityPackedKeccak256(["uint256", "address", "uint256"], [i, account, AMOUNT]);
  let root: string;
  let proof: string[];
  if (size === "1k") {
    const accounts = Array.from({ length: 1_000 }, (_, i) =>
      i === index
        ? author.address
        : ethers.getAddress(ethers.dataSlice(ethers.keccak256(ethers.toBeHex(i + 7, 32)), 12)),
    );
    const levels = buildLevels(accounts.map((account, i) => uniLeaf(i, account)));
    root = levels[levels.length - 1]![0]!;
    proof = proofOf(levels, index);
  } else {
    ({ root, proof } = syntheticProof(uniLeaf(index, author.address), DEPTH[size], `uniswap-${size}`));
  }
  const distributor = await new ethers.ContractFactory(merkleArtifact.abi, merkleArtifact.bytecode, owner).deploy(
    usdcAddress,
    root,
  );
  await distributor.waitForDeployment();
  await receiptOf(usdc.connect(provider).transfer(await distributor.getAddress(), AMOUNT * 10n));
  const merkleClaim = distributor.getFunction("claim");
  peerGas[size] = Number((await receiptOf(merkleClaim(index, author.address, AMOUNT, proof))).gasUsed);
}

// ---------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------

const treeNote = (size: Size) =>
  size === "1k" ? "a real tree of 1,000 leaves" : `the deepest proof of 2^${DEPTH[size]} leaves, root computed from it`;
const metrics: Metrics = {};
for (const size of ["1k", "100k", "1m"] as const) {
  metrics[`epoch.claim.${size}.gas`] = {
    value: claimGas[size],
    unit: "gas",
    note: `first claim, ${proofLength[size]}-hash proof (${treeNote(size)}), incl. 21,000 base${size === "1m" ? `; ${target(claimGas[size], 80_000)}` : ""}; MerkleDistributor ${fmt(peerGas[size])} (${pct(claimGas[size], peerGas[size])})`,
  };
}
metrics["epoch.publish.gas"] = {
  value: publishGas,
  unit: "gas",
  note: `root + manifest (every hash set, a 59-character URI), a pool's second epoch; ${target(publishGas, 90_000)}; a pool's first publication ${fmt(firstPublishGas)} (its totals slot and a word of publication times set from zero; a word holds 6 epochs)`,
};
metrics["epoch.claimBatch.perItem.gas"] = {
  value: Math.round(batchGas / 10),
  unit: "gas",
  note: `claimBatch of 10 first claims in one pool (1,000-leaf tree, 10-hash proofs), one transfer: ${fmt(batchGas)} in all; a keeper's claimFor of the same ${fmt(keeperGas)}`,
};
for (const size of ["1k", "100k", "1m"] as const) {
  metrics[`peer.uniswapMerkle.claim.${size}.gas`] = {
    value: peerGas[size],
    unit: "gas",
    note: `MerkleDistributor 1.0.1, first claim, ${DEPTH[size]}-hash proof (${treeNote(size)}); epoch claim is ${pct(claimGas[size], peerGas[size])}`,
  };
}

await record("epochs", metrics);
