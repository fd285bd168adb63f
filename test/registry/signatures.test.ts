import { expect } from "chai";

import { deployRegistry, highS } from "./fixtures.js";

describe("AuthorshipRegistry: registration signed by the author", function () {
  it("registers to the signer when a relayer submits an EIP-712 signature", async function () {
    const { registry, alice, relayer, nextHash, registration, signRegistration, deadlineIn } = await deployRegistry();
    const input = registration(nextHash(), { parents: [] });
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(alice, input, alice.address, deadline);
    expect(await registry.hashRegistration(input, alice.address, deadline)).to.be.a("string");
    await expect(registry.connect(relayer).registerBySig(input, alice.address, deadline, signature)).to.emit(
      registry,
      "ContributionRegistered",
    );
    expect(await registry.authorOf(input.contributionId)).to.equal(alice.address);
  });

  it("accepts an ERC-1271 smart wallet's approval", async function () {
    const { ethers, registry, bob, relayer, nextHash, registration, signRegistration, deadlineIn } =
      await deployRegistry();
    const wallet = await ethers.deployContract("ERC1271WalletMock", [bob.address]);
    const walletAddress = await wallet.getAddress();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(bob, input, walletAddress, deadline);
    await registry.connect(relayer).registerBySig(input, walletAddress, deadline, signature);
    expect(await registry.authorOf(input.contributionId)).to.equal(walletAddress);
  });

  it("treats a resubmitted signature as a no-op returning false, not a failed transaction", async function () {
    const { registry, alice, relayer, nextHash, registration, signRegistration, deadlineIn } = await deployRegistry();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(alice, input, alice.address, deadline);
    await registry.connect(relayer).registerBySig(input, alice.address, deadline, signature);
    expect(
      await registry.connect(relayer).registerBySig.staticCall(input, alice.address, deadline, signature),
    ).to.equal(false);
    const receipt = await (
      await registry.connect(relayer).registerBySig(input, alice.address, deadline, signature)
    ).wait();
    expect(receipt?.status).to.equal(1);
    expect(receipt?.logs.length).to.equal(0);
  });

  it("refuses a signature for another chain", async function () {
    const { registry, alice, relayer, domain, nextHash, registration, signRegistration, deadlineIn } =
      await deployRegistry();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(alice, input, alice.address, deadline, { ...domain, chainId: 1n });
    await expect(
      registry.connect(relayer).registerBySig(input, alice.address, deadline, signature),
    ).to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidSigner");
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("refuses a signature for another contract", async function () {
    const { registry, alice, relayer, domain, nextHash, registration, signRegistration, deadlineIn } =
      await deployRegistry();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(alice, input, alice.address, deadline, {
      ...domain,
      verifyingContract: relayer.address,
    });
    await expect(
      registry.connect(relayer).registerBySig(input, alice.address, deadline, signature),
    ).to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidSigner");
    expect(await registry.isRegistered(input.contributionId)).to.equal(false);
  });

  it("refuses a signature past its deadline", async function () {
    const { registry, alice, relayer, nextHash, registration, signRegistration, networkHelpers } =
      await deployRegistry();
    const input = registration(nextHash());
    const deadline = BigInt(await networkHelpers.time.latest());
    const signature = await signRegistration(alice, input, alice.address, deadline);
    await expect(registry.connect(relayer).registerBySig(input, alice.address, deadline, signature))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_SignatureExpired")
      .withArgs(deadline, deadline + 1n);
  });

  it("refuses a signature by someone other than the author", async function () {
    const { registry, alice, eve, relayer, nextHash, registration, signRegistration, deadlineIn } =
      await deployRegistry();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(eve, input, alice.address, deadline);
    await expect(registry.connect(relayer).registerBySig(input, alice.address, deadline, signature))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidSigner")
      .withArgs(alice.address, eve.address);
  });

  it("refuses the high-s malleable twin of a valid signature", async function () {
    const { registry, alice, relayer, nextHash, registration, signRegistration, deadlineIn } = await deployRegistry();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const { twin, s } = highS(await signRegistration(alice, input, alice.address, deadline));
    await expect(registry.connect(relayer).registerBySig(input, alice.address, deadline, twin))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_MalleableSignature")
      .withArgs(alice.address, s);
  });

  it("refuses a smart wallet answering a wrong magic value", async function () {
    const { ethers, registry, alice, relayer, nextHash, registration, signRegistration, deadlineIn } =
      await deployRegistry();
    const wallet = await ethers.deployContract("BadMagicWalletMock");
    const walletAddress = await wallet.getAddress();
    const input = registration(nextHash());
    const deadline = await deadlineIn(3600);
    const signature = await signRegistration(alice, input, walletAddress, deadline);
    await expect(registry.connect(relayer).registerBySig(input, walletAddress, deadline, signature))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidWalletSignature")
      .withArgs(walletAddress, await registry.hashRegistration(input, walletAddress, deadline));
  });
});

describe("AuthorshipRegistry: consent changed by signature", function () {
  it("applies a signed consent change once, naming the record's nonce", async function () {
    const { registry, alice, relayer, nextHash, signConsent, deadlineIn } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    const deadline = await deadlineIn(3600);
    const signature = await signConsent(alice, hash, false, 0n, deadline);
    await expect(registry.connect(relayer).setTrainingConsentBySig(hash, false, 0, deadline, signature))
      .to.emit(registry, "TrainingConsentChanged")
      .withArgs(hash, alice.address, false, 1);
    expect(await registry.hasTrainingConsent(hash)).to.equal(false);
    // Its resubmission is a no-op.
    expect(
      await registry.connect(relayer).setTrainingConsentBySig.staticCall(hash, false, 0, deadline, signature),
    ).to.equal(false);
  });

  it("refuses a reused nonce", async function () {
    const { registry, alice, relayer, nextHash, signConsent, deadlineIn } = await deployRegistry();
    const hash = nextHash();
    await registry.connect(alice).register(hash, 0, "");
    const deadline = await deadlineIn(3600);
    await registry
      .connect(relayer)
      .setTrainingConsentBySig(hash, false, 0, deadline, await signConsent(alice, hash, false, 0n, deadline));
    const reused = await signConsent(alice, hash, true, 0n, deadline);
    await expect(registry.connect(relayer).setTrainingConsentBySig(hash, true, 0, deadline, reused))
      .to.be.revertedWithCustomError(registry, "AuthorshipRegistry_InvalidNonce")
      .withArgs(hash, 0, 1);
    expect(await registry.hasTrainingConsent(hash)).to.equal(false);
  });
});
