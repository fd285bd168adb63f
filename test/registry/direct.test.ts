import { expect } from "chai";

import { deployRegistry, Kind } from "./fixtures.js";

describe("AuthorshipRegistry: direct registration", function () {
  it("records author, kind, time and consent in one call and emits ContributionRegistered", async function () {
    const { registry, alice, nextHash, networkHelpers } = await deployRegistry();
    const hash = nextHash();
    const tx = registry.connect(alice).register(hash, Kind.Dataset, "ipfs://meta");
    const time = (await networkHelpers.time.latest()) + 1;
    await expect(tx)
      .to.emit(registry, "ContributionRegistered")
      .withArgs(hash, alice.address, Kind.Dataset, time, true, "ipfs://meta");
    const record = await registry.getRecord(hash);
    expect(record.author).to.equal(alice.address);
    expect(record.kind).to.equal(BigInt(Kind.Dataset));
    expect(record.trainingConsent).to.equal(true);
    expect(await registry.isRegistered(hash)).to.equal(true);
    expect(await registry.authorOf(hash)).to.equal(alice.address);
    expect(await registry.hasTrainingConsent(hash)).to.equal(true);
  });

  it("refuses the zero hash", async function () {
    const { registry, alice, ethers } = await deployRegistry();
    await expect(registry.connect(alice).register(ethers.ZeroHash, Kind.Prompt, "")).to.be.revertedWithCustomError(
      registry,
      "AuthorshipRegistry_ZeroHash",
    );
    expect(await registry.isRegistered(ethers.ZeroHash)).to.equal(false);
  });

  it("keeps the first registration when the same or another author registers again", async function () {
    const { registry, alice, bob, nextHash } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, Kind.Prompt, "");
    const before = await registry.getRecord(hash);
    for (const signer of [alice, bob]) {
      await expect(registry.connect(signer).register(hash, Kind.Other, ""))
        .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_AlreadyRegistered")
        .withArgs(hash, alice.address);
    }
    expect(await registry.getRecord(hash)).to.deep.equal(before);
  });

  it("registers a contribution with parents and its consent, emitting its lineage", async function () {
    const { registry, alice, bob, nextHash, registration } = await deployRegistry();
    const parent = nextHash();
    await registry.connect(bob).register(parent, Kind.Dataset, "");
    const child = registration(nextHash(), { kind: Kind.ModelOutput, trainingConsent: false, parents: [parent] });
    await expect(registry.connect(alice).registerContribution(child))
      .to.emit(registry, "ContributionDerived")
      .withArgs(child.contributionId, [parent]);
    expect(await registry.hasTrainingConsent(child.contributionId)).to.equal(false);
  });

  it("refuses a kind outside the enum with a named error", async function () {
    const { registry, alice, nextHash, registration } = await deployRegistry();
    const hash = nextHash();
    await expect(registry.connect(alice).register(hash, 6, ""))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidKind")
      .withArgs(6);
    await expect(registry.connect(alice).registerContribution(registration(hash, { kind: 255 })))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidKind")
      .withArgs(255);
    expect(await registry.isRegistered(hash)).to.equal(false);
  });

  it("refuses a contribution whose parent is not registered", async function () {
    const { registry, alice, nextHash, registration } = await deployRegistry();
    const missing = nextHash();
    const child = registration(nextHash(), { parents: [missing] });
    await expect(registry.connect(alice).registerContribution(child))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownParent")
      .withArgs(child.contributionId, missing);
    expect(await registry.isRegistered(child.contributionId)).to.equal(false);
  });
});

describe("AuthorshipRegistry: batch registration", function () {
  it("registers 100 contributions in one transaction, one event each", async function () {
    const { registry, alice, nextHash, registration } = await deployRegistry();
    const batch = Array.from({ length: 100 }, () => registration(nextHash()));
    const receipt = await (await registry.connect(alice).registerBatch(batch)).wait();
    expect(receipt?.logs.length).to.equal(100);
    for (const item of batch) expect(await registry.authorOf(item.contributionId)).to.equal(alice.address);
  });

  it("refuses an empty batch", async function () {
    const { registry, alice } = await deployRegistry();
    await expect(registry.connect(alice).registerBatch([])).to.be.revertedWithCustomError(
      registry,
      "AuthorshipRegistry_EmptyBatch",
    );
  });

  it("refuses a batch above MAX_BATCH_SIZE", async function () {
    const { registry, alice, nextHash, registration } = await deployRegistry();
    const max = await registry.MAX_BATCH_SIZE();
    const batch = Array.from({ length: Number(max) + 1 }, () => registration(nextHash()));
    await expect(registry.connect(alice).registerBatch(batch))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_BatchTooLarge")
      .withArgs(max + 1n, max);
    expect(await registry.isRegistered(batch[0]!.contributionId)).to.equal(false);
  });

  it("reverts the whole batch when a hash appears twice in it", async function () {
    const { registry, alice, nextHash, registration } = await deployRegistry();
    const first = registration(nextHash());
    const batch = [first, registration(nextHash()), first];
    await expect(registry.connect(alice).registerBatch(batch))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_AlreadyRegistered")
      .withArgs(first.contributionId, alice.address);
    for (const item of batch) expect(await registry.isRegistered(item.contributionId)).to.equal(false);
  });
});
