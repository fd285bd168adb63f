import { expect } from "chai";

import { deployRegistry } from "./fixtures.js";

describe("AuthorshipRegistry: author-only changes", function () {
  it("transfers authorship in two steps", async function () {
    const { registry, alice, bob, nextHash } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    await expect(registry.connect(alice).transferAuthorship(hash, bob.address))
      .to.emit(registry, "AuthorshipTransferStarted")
      .withArgs(hash, alice.address, bob.address);
    expect(await registry.authorOf(hash)).to.equal(alice.address);
    await expect(registry.connect(bob).acceptAuthorship(hash))
      .to.emit(registry, "AuthorshipTransferred")
      .withArgs(hash, alice.address, bob.address, 1);
    expect(await registry.authorOf(hash)).to.equal(bob.address);
  });

  it("refuses a transfer started by someone other than the author", async function () {
    const { registry, alice, eve, nextHash } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    await expect(registry.connect(eve).transferAuthorship(hash, eve.address))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_NotAuthor")
      .withArgs(hash, eve.address, alice.address);
    expect(await registry.pendingAuthorOf(hash)).to.equal("0x0000000000000000000000000000000000000000");
  });

  it("refuses an acceptance by anyone but the pending author (a typo never receives authorship)", async function () {
    const { registry, alice, bob, eve, nextHash } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    await registry.connect(alice).transferAuthorship(hash, bob.address);
    await expect(registry.connect(eve).acceptAuthorship(hash))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_NotPendingAuthor")
      .withArgs(hash, eve.address, bob.address);
    expect(await registry.authorOf(hash)).to.equal(alice.address);
  });

  it("lets only the author change consent", async function () {
    const { registry, alice, eve, nextHash } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    await expect(registry.connect(eve).setTrainingConsent(hash, false))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_NotAuthor")
      .withArgs(hash, eve.address, alice.address);
    expect(await registry.hasTrainingConsent(hash)).to.equal(true);
    await expect(registry.connect(alice).setTrainingConsent(hash, false))
      .to.emit(registry, "TrainingConsentChanged")
      .withArgs(hash, alice.address, false, 1);
    expect(await registry.hasTrainingConsent(hash)).to.equal(false);
  });

  it("refuses to propose the registry's ownership to the zero address", async function () {
    const { registry, owner, ethers } = await deployRegistry();
    await expect(registry.connect(owner).transferOwnership(ethers.ZeroAddress)).to.be.revertedWithCustomError(
      registry,
      "AuthorshipRegistry_ZeroOwner",
    );
    expect(await registry.owner()).to.equal(owner.address);
  });

  it("lets only the owner approve attesters", async function () {
    const { registry, owner, eve } = await deployRegistry();
    await expect(registry.connect(eve).setAttester(eve.address, true)).to.be.revertedWithCustomError(
      registry,
      "OwnableUnauthorizedAccount",
    );
    await expect(registry.connect(owner).setAttester(eve.address, true))
      .to.emit(registry, "AttesterSet")
      .withArgs(eve.address, true);
  });
});
