import { expect } from "chai";

import { deployRegistry, Kind } from "./fixtures.js";

async function committed() {
  const fixture = await deployRegistry();
  const { registry, alice, ethers, nextHash, registration, networkHelpers, commitmentOf } = fixture;
  const input = registration(nextHash());
  const salt = ethers.hexlify(ethers.randomBytes(32));
  const commitment = commitmentOf(input, alice.address, salt);
  await registry.connect(alice).commit(commitment);
  const committedAt = await networkHelpers.time.latest();
  return { ...fixture, input, salt, commitment, committedAt };
}

describe("AuthorshipRegistry: commit, then reveal", function () {
  it("computes the SDK's off-chain commitment on-chain, for every field of the registration", async function () {
    const { registry, alice, ethers, nextHash, registration, commitmentOf } = await deployRegistry();
    const salt = ethers.hexlify(ethers.randomBytes(32));
    const inputs = [
      registration(nextHash()),
      registration(nextHash(), { kind: Kind.Other, trainingConsent: false, uri: "" }),
      registration(nextHash(), { kind: Kind.Dataset, parents: [nextHash(), nextHash()], uri: "ipfs://é" }),
    ];
    for (const input of inputs) {
      expect(await registry.computeCommitment(input, alice.address, salt)).to.equal(
        commitmentOf(input, alice.address, salt),
      );
    }
    // Each field is bound: changing any one gives another commitment.
    const base = inputs[0]!;
    const variants = [
      { ...base, kind: Kind.Correction },
      { ...base, trainingConsent: false },
      { ...base, parents: [nextHash()] },
      { ...base, uri: "ipfs://spam" },
    ];
    const all = new Set([base, ...variants].map((input) => commitmentOf(input, alice.address, salt)));
    expect(all.size).to.equal(variants.length + 1);
  });

  it("registers to the committer after the minimum delay, dated at the commitment", async function () {
    const { registry, alice, input, salt, commitment, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.increase(60);
    await expect(registry.connect(alice).reveal(input, salt))
      .to.emit(registry, "ContributionRegistered")
      .withArgs(input.contributionId, alice.address, input.kind, committedAt, true, input.uri);
    expect(await registry.commitmentOf(alice.address, commitment)).to.equal(0n);
  });

  it("refuses a reveal before the minimum delay", async function () {
    const { registry, alice, input, salt, commitment, committedAt } = await committed();
    await expect(registry.connect(alice).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_RevealTooEarly")
      .withArgs(commitment, committedAt + 60, committedAt + 1);
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("refuses a reveal after the commitment expired", async function () {
    const { registry, alice, input, salt, commitment, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.setNextBlockTimestamp(committedAt + 86_401);
    await expect(registry.connect(alice).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_CommitmentExpired")
      .withArgs(commitment, committedAt + 86_400, committedAt + 86_401);
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("refuses a reveal with the wrong salt", async function () {
    const { registry, alice, input, ethers, networkHelpers, commitmentOf } = await committed();
    await networkHelpers.time.increase(60);
    const wrong = ethers.ZeroHash;
    await expect(registry.connect(alice).reveal(input, wrong))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownCommitment")
      .withArgs(alice.address, commitmentOf(input, alice.address, wrong));
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("refuses a reveal of the same hash with another kind, consent or URI than committed", async function () {
    const { registry, alice, input, salt, networkHelpers, commitmentOf } = await committed();
    await networkHelpers.time.increase(60);
    for (const changed of [
      { ...input, kind: Kind.Other },
      { ...input, trainingConsent: false },
      { ...input, uri: "ipfs://spam" },
    ]) {
      await expect(registry.connect(alice).reveal(changed, salt))
        .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownCommitment")
        .withArgs(alice.address, commitmentOf(changed, alice.address, salt));
    }
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("gives nothing to someone who copies the commitment or front-runs the reveal", async function () {
    const { registry, alice, eve, input, salt, commitment, networkHelpers, commitmentOf } = await committed();
    await registry.connect(eve).commit(commitment);
    await networkHelpers.time.increase(60);
    await expect(registry.connect(eve).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownCommitment")
      .withArgs(eve.address, commitmentOf(input, eve.address, salt));
    await registry.connect(alice).reveal(input, salt);
    expect(await registry.authorOf(input.contributionId)).to.equal(alice.address);
  });

  it("supersedes a direct registration copied from the pending reveal", async function () {
    const { registry, alice, eve, input, salt, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.increase(60);
    await registry.connect(eve).register(input.contributionId, input.kind, "");
    const copiedAt = await networkHelpers.time.latest();
    await expect(registry.connect(alice).reveal(input, salt))
      .to.emit(registry, "RegistrationSuperseded")
      .withArgs(input.contributionId, eve.address, copiedAt, committedAt);
    expect(await registry.authorOf(input.contributionId)).to.equal(alice.address);
  });
});

describe("AuthorshipRegistry: relayed commit and reveal", function () {
  async function signed() {
    const fixture = await deployRegistry();
    const { alice, ethers, nextHash, registration, commitmentOf, signCommit, deadlineIn } = fixture;
    const input = registration(nextHash());
    const salt = ethers.hexlify(ethers.randomBytes(32));
    const commitment = commitmentOf(input, alice.address, salt);
    const deadline = await deadlineIn(3600);
    const signature = await signCommit(alice, commitment, alice.address, deadline);
    return { ...fixture, input, salt, commitment, deadline, signature };
  }

  it("stores an author's signed commitment sent by a relayer, and lets anyone reveal it for the author", async function () {
    const { registry, alice, relayer, eve, input, salt, commitment, deadline, signature, networkHelpers } =
      await signed();
    await expect(registry.connect(relayer).commitBySig(alice.address, commitment, deadline, signature))
      .to.emit(registry, "Committed")
      .withArgs(alice.address, commitment, await networkHelpers.time.latest().then((t) => t + 1));
    const committedAt = await networkHelpers.time.latest();
    await networkHelpers.time.increase(60);
    // The reveal is anyone's to send: it can only make the registration the author committed to.
    await expect(registry.connect(eve).revealFor(input, alice.address, salt))
      .to.emit(registry, "ContributionRegistered")
      .withArgs(input.contributionId, alice.address, input.kind, committedAt, true, input.uri);
    expect(await registry.authorOf(input.contributionId)).to.equal(alice.address);
  });

  it("treats a resubmitted commit and a resubmitted reveal as no-ops returning false", async function () {
    const { registry, alice, relayer, input, salt, commitment, deadline, signature, networkHelpers } = await signed();
    await registry.connect(relayer).commitBySig(alice.address, commitment, deadline, signature);
    const committedAt = await registry.commitmentOf(alice.address, commitment);
    expect(
      await registry.connect(relayer).commitBySig.staticCall(alice.address, commitment, deadline, signature),
    ).to.equal(false);
    await registry.connect(relayer).commitBySig(alice.address, commitment, deadline, signature);
    expect(await registry.commitmentOf(alice.address, commitment)).to.equal(committedAt, "the date stays");
    await networkHelpers.time.increase(60);
    await registry.connect(relayer).revealFor(input, alice.address, salt);
    expect(await registry.connect(relayer).revealFor.staticCall(input, alice.address, salt)).to.equal(false);
  });

  it("refuses a commit signature by someone other than the author", async function () {
    const { registry, alice, eve, relayer, commitment, deadline, signCommit } = await signed();
    const forged = await signCommit(eve, commitment, alice.address, deadline);
    await expect(registry.connect(relayer).commitBySig(alice.address, commitment, deadline, forged))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidSigner")
      .withArgs(alice.address, eve.address);
    expect(await registry.commitmentOf(alice.address, commitment)).to.equal(0n);
  });

  it("supersedes a copy registered directly from the pending reveal", async function () {
    const { registry, alice, eve, relayer, input, salt, commitment, deadline, signature, networkHelpers } =
      await signed();
    await registry.connect(relayer).commitBySig(alice.address, commitment, deadline, signature);
    await networkHelpers.time.increase(60);
    await registry.connect(eve).register(input.contributionId, input.kind, "");
    await expect(registry.connect(relayer).revealFor(input, alice.address, salt)).to.emit(
      registry,
      "RegistrationSuperseded",
    );
    expect(await registry.authorOf(input.contributionId)).to.equal(alice.address);
  });
});
