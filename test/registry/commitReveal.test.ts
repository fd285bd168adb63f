import { expect } from "chai";

import { deployRegistry } from "./fixtures.js";

async function committed() {
  const fixture = await deployRegistry();
  const { registry, alice, ethers, nextHash, registration, networkHelpers } = fixture;
  const input = registration(nextHash());
  const salt = ethers.hexlify(ethers.randomBytes(32));
  const commitment = ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "address", "bytes32"],
      [input.contentHash, alice.address, salt],
    ),
  );
  await registry.connect(alice).commit(commitment);
  const committedAt = await networkHelpers.time.latest();
  return { ...fixture, input, salt, commitment, committedAt };
}

describe("AuthorshipRegistry: commit, then reveal", function () {
  it("computes the same commitment off-chain and on-chain", async function () {
    const { registry, alice, input, salt, commitment } = await committed();
    expect(await registry.computeCommitment(input.contentHash, alice.address, salt)).to.equal(commitment);
  });

  it("registers to the committer after the minimum delay, dated at the commitment", async function () {
    const { registry, alice, input, salt, commitment, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.increase(60);
    await expect(registry.connect(alice).reveal(input, salt))
      .to.emit(registry, "ContributionRegistered")
      .withArgs(input.contentHash, alice.address, input.kind, committedAt, true, input.uri);
    expect(await registry.commitmentOf(alice.address, commitment)).to.equal(0n);
  });

  it("refuses a reveal before the minimum delay", async function () {
    const { registry, alice, input, salt, commitment, committedAt } = await committed();
    await expect(registry.connect(alice).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_RevealTooEarly")
      .withArgs(commitment, committedAt + 60, committedAt + 1);
    expect(await registry.isRegistered(input.contentHash)).to.equal(false);
  });

  it("refuses a reveal after the commitment expired", async function () {
    const { registry, alice, input, salt, commitment, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.setNextBlockTimestamp(committedAt + 86_401);
    await expect(registry.connect(alice).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_CommitmentExpired")
      .withArgs(commitment, committedAt + 86_400, committedAt + 86_401);
    expect(await registry.isRegistered(input.contentHash)).to.equal(false);
  });

  it("refuses a reveal with the wrong salt", async function () {
    const { registry, alice, input, ethers, networkHelpers } = await committed();
    await networkHelpers.time.increase(60);
    const wrong = ethers.ZeroHash;
    await expect(registry.connect(alice).reveal(input, wrong))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownCommitment")
      .withArgs(alice.address, await registry.computeCommitment(input.contentHash, alice.address, wrong));
    expect(await registry.isRegistered(input.contentHash)).to.equal(false);
  });

  it("gives nothing to someone who copies the commitment or front-runs the reveal", async function () {
    const { registry, alice, eve, input, salt, commitment, networkHelpers } = await committed();
    await registry.connect(eve).commit(commitment);
    await networkHelpers.time.increase(60);
    await expect(registry.connect(eve).reveal(input, salt))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_UnknownCommitment")
      .withArgs(eve.address, await registry.computeCommitment(input.contentHash, eve.address, salt));
    await registry.connect(alice).reveal(input, salt);
    expect(await registry.authorOf(input.contentHash)).to.equal(alice.address);
  });

  it("supersedes a direct registration copied from the pending reveal", async function () {
    const { registry, alice, eve, input, salt, committedAt, networkHelpers } = await committed();
    await networkHelpers.time.increase(60);
    await registry.connect(eve).register(input.contentHash, input.kind, "");
    const copiedAt = await networkHelpers.time.latest();
    await expect(registry.connect(alice).reveal(input, salt))
      .to.emit(registry, "RegistrationSuperseded")
      .withArgs(input.contentHash, eve.address, copiedAt, committedAt);
    expect(await registry.authorOf(input.contentHash)).to.equal(alice.address);
  });
});
