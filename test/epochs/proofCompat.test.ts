import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { deployEpochs } from "./fixtures.ts";

// The leaf types of docs/epochs.md: [chainId, attributionEpochsAddress, poolId, contributionId, cumulativeAmount,
// firstEpoch].
const LEAF_TYPES = ["uint256", "address", "uint256", "bytes32", "uint256", "uint32"];
type Leaf = [
  chainId: bigint,
  contract: string,
  poolId: bigint,
  contributionId: string,
  cumulativeAmount: bigint,
  firstEpoch: number,
];
const WINDOW = 3 * 86_400;
const KIND_PROMPT = 0;

describe("AttributionEpochs and OpenZeppelin's StandardMerkleTree", () => {
  async function deploy() {
    const { ethers, networkHelpers, owner, provider, author, challenger, registry, vault, epochs, usdc } =
      await deployEpochs();
    const chainId = (await ethers.provider.getNetwork()).chainId;
    const createPool = async () =>
      epochs.connect(provider).createPool({
        token: await usdc.getAddress(),
        admin: provider.address,
        publisher: provider.address,
        challenger: challenger.address,
        challengeWindow: WINDOW,
        reclaimDelay: 0,
        metadataUri: "",
      });
    /** Publishes `root` as the pool's first epoch and lets its window pass. */
    const publishAndWait = async (poolId: bigint, root: string, total: bigint) => {
      await networkHelpers.time.increase(1);
      const zero = ethers.ZeroHash;
      await epochs.connect(provider).publish(poolId, {
        root,
        total,
        methodId: ethers.id("usage-share-v1"),
        methodHash: zero,
        modelHash: zero,
        snapshotBlock: 0,
        eligibleHash: zero,
        usageLogHash: zero,
        leafFileHash: zero,
        leafFileUri: "",
        previousEpoch: 0,
      });
      await networkHelpers.time.increase(WINDOW);
    };
    return { ethers, provider, author, registry, epochs, usdc, chainId, createPool, publishAndWait };
  }

  for (const size of [1, 2, 3, 7, 64]) {
    it(`pays every leaf of a ${size}-leaf tree built with StandardMerkleTree.of(values, types)`, async () => {
      const { ethers, provider, author, registry, epochs, usdc, chainId, createPool, publishAndWait } = await deploy();
      const epochsAddress = await epochs.getAddress();
      await createPool();
      const poolId = 1n;
      const ids = Array.from({ length: size }, (_, i) => ethers.keccak256(ethers.toUtf8Bytes(`prompt ${i}`)));
      await registry.connect(author).registerBatch(
        ids.map((contributionId) => ({
          contributionId,
          kind: KIND_PROMPT,
          trainingConsent: true,
          parents: [],
          uri: "",
        })),
      );
      const values = ids.map((id, i): Leaf => [chainId, epochsAddress, poolId, id, BigInt(1_000 + i), 1]);
      const tree = StandardMerkleTree.of(values, LEAF_TYPES);
      const total = values.reduce((sum, value) => sum + value[4], 0n);
      await epochs.connect(provider).fund(poolId, total);
      await publishAndWait(poolId, tree.root, total);
      for (const [index, value] of tree.entries()) {
        // The contract's leaf is the library's.
        expect(await epochs.leafOf(poolId, value[3], value[4], value[5])).to.equal(tree.leafHash(value));
        const claim = {
          poolId,
          epochId: 1,
          contributionId: value[3],
          cumulativeAmount: value[4],
          firstEpoch: value[5],
          proof: tree.getProof(index),
        };
        expect(await epochs.claimable(claim)).to.equal(value[4]);
        await epochs.connect(author).claim(claim, author.address);
      }
      expect(await usdc.balanceOf(author.address)).to.equal(total);
    });
  }

  it("refuses a claim whose values are not the leaf the library's proof is for", async () => {
    const { ethers, provider, author, registry, epochs, usdc, chainId, createPool, publishAndWait } = await deploy();
    const epochsAddress = await epochs.getAddress();
    await createPool();
    const ids = [ethers.id("a"), ethers.id("b"), ethers.id("c")];
    await registry.connect(author).registerBatch(
      ids.map((contributionId) => ({
        contributionId,
        kind: KIND_PROMPT,
        trainingConsent: true,
        parents: [],
        uri: "",
      })),
    );
    const tree = StandardMerkleTree.of(
      ids.map((id): Leaf => [chainId, epochsAddress, 1n, id, 5n, 1]),
      LEAF_TYPES,
    );
    await epochs.connect(provider).fund(1n, 15n);
    await publishAndWait(1n, tree.root, 15n);
    const claim = {
      poolId: 1n,
      epochId: 1,
      contributionId: ids[1]!,
      cumulativeAmount: 5n,
      firstEpoch: 1,
      proof: tree.getProof(0),
    };
    await expect(epochs.connect(author).claim(claim, author.address)).to.be.revertedWithCustomError(
      epochs,
      "AttributionEpochs_InvalidProof",
    );
    await expect(
      epochs.connect(author).claim({ ...claim, cumulativeAmount: 6n, proof: tree.getProof(1) }, author.address),
    ).to.be.revertedWithCustomError(epochs, "AttributionEpochs_InvalidProof");
    await epochs.connect(author).claim({ ...claim, proof: tree.getProof(1) }, author.address);
    expect(await usdc.balanceOf(author.address)).to.equal(5n);
  });
});
