import { expect } from "chai";

import { buildTree, deployRegistry, Kind, type Leaf } from "./fixtures.js";

async function anchored(size = 16) {
  const fixture = await deployRegistry();
  const { registry, attester, alice, bob, nextHash, networkHelpers } = fixture;
  const leaves: Leaf[] = Array.from({ length: size }, (_, i) => [
    nextHash(),
    i % 2 === 0 ? alice.address : bob.address,
    i % 6,
  ]);
  const tree = buildTree(leaves);
  await registry.connect(attester).anchor(tree.root, "ipfs://leaf-file");
  const anchoredAt = await networkHelpers.time.latest();
  await networkHelpers.time.increase(3600);
  return { ...fixture, leaves, tree, anchoredAt };
}

describe("AuthorshipRegistry: attester anchoring", function () {
  it("anchors a root with its leaf file's URI", async function () {
    const { registry, attester, tree, anchoredAt } = await anchored();
    const anchor = await registry.anchorOf(tree.root);
    expect(anchor.attester).to.equal(attester.address);
    expect(anchor.anchoredAt).to.equal(BigInt(anchoredAt));
  });

  it("computes the same leaf as @openzeppelin/merkle-tree", async function () {
    const { registry, leaves, tree } = await anchored();
    const [contributionId, author, kind] = leaves[3]!;
    expect(await registry.computeLeaf(contributionId, author, kind)).to.equal(tree.leafHash(leaves[3]!));
  });

  it("makes any leaf a full record, dated at the anchor, when anyone submits its proof", async function () {
    const { registry, relayer, leaves, tree, anchoredAt } = await anchored();
    for (const [index, leaf] of tree.entries()) {
      const [contributionId, author, kind] = leaf;
      const tx = registry.connect(relayer).materialize(tree.root, contributionId, author, kind, tree.getProof(index));
      await expect(tx)
        .to.emit(registry, "ContributionRegistered")
        .withArgs(contributionId, author, kind, anchoredAt, true, "");
      await expect(tx).to.emit(registry, "ContributionMaterialized").withArgs(contributionId, tree.root);
    }
    for (const [contributionId, author] of leaves) expect(await registry.authorOf(contributionId)).to.equal(author);
  });

  it("refuses an anchor by a non-attester", async function () {
    const { registry, eve, ethers } = await deployRegistry();
    const root = ethers.keccak256("0x01");
    await expect(registry.connect(eve).anchor(root, ""))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_NotAttester")
      .withArgs(eve.address);
    expect((await registry.anchorOf(root)).attester).to.equal(ethers.ZeroAddress);
  });

  it("refuses the zero root", async function () {
    const { registry, attester, ethers } = await deployRegistry();
    await expect(registry.connect(attester).anchor(ethers.ZeroHash, "")).to.be.revertedWithCustomError(
      registry,
      "AuthorshipRegistry_ZeroRoot",
    );
  });

  it("refuses a proof for another root", async function () {
    const { registry, attester, relayer, leaves, tree, nextHash, alice } = await anchored();
    const other = buildTree([leaves[0]!, [nextHash(), alice.address, Kind.Other]]);
    await registry.connect(attester).anchor(other.root, "");
    const [contributionId, author, kind] = leaves[0]!;
    await expect(registry.connect(relayer).materialize(tree.root, contributionId, author, kind, other.getProof(0)))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidProof")
      .withArgs(tree.root, tree.leafHash(leaves[0]!));
    expect(await registry.isRegistered(contributionId)).to.equal(false);
  });

  it("refuses an internal node passed as a leaf", async function () {
    const { registry, relayer, tree, alice } = await anchored(4);
    // The dump lists the nodes root first; node 1 is an internal node whose sibling (node 2) proves it.
    const { tree: nodes } = tree.dump();
    await expect(
      registry.connect(relayer).materialize(tree.root, nodes[1]!, alice.address, Kind.Prompt, [nodes[2]!]),
    ).to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidProof");
    expect(await registry.isRegistered(nodes[1]!)).to.equal(false);
  });

  it("refuses a leaf submitted twice", async function () {
    const { registry, relayer, leaves, tree } = await anchored();
    const [contributionId, author, kind] = leaves[5]!;
    await registry.connect(relayer).materialize(tree.root, contributionId, author, kind, tree.getProof(5));
    await expect(registry.connect(relayer).materialize(tree.root, contributionId, author, kind, tree.getProof(5)))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_AlreadyRegistered")
      .withArgs(contributionId, author);
  });

  it("supersedes a direct registration copied from the public leaf file", async function () {
    const { registry, eve, relayer, leaves, tree } = await anchored();
    const [contributionId, author, kind] = leaves[2]!;
    await registry.connect(eve).register(contributionId, kind, "");
    await expect(
      registry.connect(relayer).materialize(tree.root, contributionId, author, kind, tree.getProof(2)),
    ).to.emit(registry, "RegistrationSuperseded");
    expect(await registry.authorOf(contributionId)).to.equal(author);
  });

  it("leaves a copy standing once it is older than the supersession window: it is final", async function () {
    const { registry, eve, relayer, leaves, tree, networkHelpers } = await anchored();
    const [contributionId, author, kind] = leaves[3]!;
    await registry.connect(eve).register(contributionId, kind, "");
    const copiedAt = await networkHelpers.time.latest();
    const window = Number(await registry.SUPERSESSION_WINDOW());
    await networkHelpers.time.increase(window + 1);
    expect(await registry.isFinal(contributionId)).to.equal(true);
    await expect(registry.connect(relayer).materialize(tree.root, contributionId, author, kind, tree.getProof(3)))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_RecordFinal")
      .withArgs(contributionId, eve.address, copiedAt + window);
    expect(await registry.authorOf(contributionId)).to.equal(eve.address);
  });
});
