import { expect } from "chai";

import { deployVault } from "./fixtures.ts";

const DAY = 86_400;
const DURATION = 30 * DAY;

describe("RoyaltyVault", () => {
  async function deploy() {
    const { ethers, networkHelpers, signers, registry, vault, usdc } = await deployVault();
    const [owner, provider, author, keeper] = signers;
    await usdc.connect(provider).approve(await vault.getAddress(), ethers.MaxUint256);
    await vault.connect(provider).createPool(await usdc.getAddress(), provider.address, DURATION, "ipfs://pool");
    const id = ethers.keccak256(ethers.toUtf8Bytes("a prompt"));
    return { ethers, networkHelpers, owner, provider, author, keeper, registry, vault, usdc, id };
  }

  describe("streaming", () => {
    it("streams a deposit linearly over the pool's duration", async () => {
      const { networkHelpers, provider, vault, id } = await deploy();
      await vault.connect(provider).setUnits(1n, [id], [1n]);
      const start = await networkHelpers.time.latest();
      await vault.connect(provider).deposit(1n, 3_000_000_000n);
      await networkHelpers.time.increaseTo(start + 1 + DURATION / 2);
      const half = await vault.claimable(1n, id);
      expect(Number(half)).to.be.closeTo(1_500_000_000, 2_000);
      await networkHelpers.time.increaseTo(start + 1 + DURATION);
      expect(await vault.claimable(1n, id)).to.equal(3_000_000_000n);
    });
  });

  describe("escrow", () => {
    it("keeps an unregistered contribution's royalties until its author registers and the pool's admin confirms the record", async () => {
      const { networkHelpers, provider, author, registry, vault, usdc, id } = await deploy();
      await expect(vault.connect(provider).setUnits(1n, [id], [1n])).to.emit(vault, "EscrowOpened");
      const exposedAt = await networkHelpers.time.latest();
      await vault.connect(provider).deposit(1n, 1_000_000n);
      await networkHelpers.time.increase(DURATION);
      await expect(vault.connect(author).claim(1n, id, author.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_NotRegistered")
        .withArgs(id);

      // Registered after the pool made the hash public: anyone who read it could have, so the escrow waits.
      await registry.connect(author).register(id, 0, "");
      const registeredAt = await networkHelpers.time.latest();
      expect(await vault.canClaim(1n, id)).to.equal(false);
      await expect(vault.connect(author).claim(1n, id, author.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_EscrowUnconfirmed")
        .withArgs(1n, id, author.address, registeredAt, exposedAt);
      expect(await usdc.balanceOf(author.address)).to.equal(0n);

      await expect(vault.connect(provider).confirmAuthor(1n, id, author.address))
        .to.emit(vault, "AuthorConfirmed")
        .withArgs(1n, id, author.address, registeredAt, provider.address);
      expect(await vault.canClaim(1n, id)).to.equal(true);
      await expect(vault.connect(author).claim(1n, id, author.address)).to.emit(vault, "RoyaltiesClaimed");
      expect(await usdc.balanceOf(author.address)).to.equal(1_000_000n);
    });

    it("refuses a confirmation by anyone but the admin, of a wallet that is not the author, or of no escrow", async () => {
      const { ethers, provider, author, keeper, registry, vault, id } = await deploy();
      await vault.connect(provider).setUnits(1n, [id], [1n]);
      await registry.connect(author).register(id, 0, "");
      await expect(vault.connect(keeper).confirmAuthor(1n, id, author.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_NotPoolAdmin")
        .withArgs(1n, keeper.address, provider.address);
      await expect(vault.connect(provider).confirmAuthor(1n, id, keeper.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_AuthorMismatch")
        .withArgs(id, keeper.address, author.address);
      const registeredFirst = ethers.keccak256(ethers.toUtf8Bytes("registered before the pool named it"));
      await registry.connect(author).register(registeredFirst, 0, "");
      await vault.connect(provider).setUnits(1n, [registeredFirst], [1n]);
      await expect(vault.connect(provider).confirmAuthor(1n, registeredFirst, author.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_NotEscrowed")
        .withArgs(1n, registeredFirst);
      expect((await vault.escrowOf(1n, id)).confirmedAt).to.equal(0n);
    });

    it("pays a record whose evidence predates the exposure without confirmation", async () => {
      const { ethers, networkHelpers, provider, author, registry, vault, usdc, id } = await deploy();
      // The author committed while the hash was private; the pool named it before the reveal.
      const registration = { contributionId: id, kind: 0, trainingConsent: true, parents: [], uri: "" };
      const salt = ethers.hexlify(ethers.randomBytes(32));
      await registry.connect(author).commit(await registry.computeCommitment(registration, author.address, salt));
      await vault.connect(provider).setUnits(1n, [id], [1n]);
      await vault.connect(provider).deposit(1n, 1_000_000n);
      await networkHelpers.time.increase(60);
      await registry.connect(author).reveal(registration, salt);
      await networkHelpers.time.increase(DURATION);
      expect(await vault.canClaim(1n, id)).to.equal(true);
      await vault.connect(author).claim(1n, id, author.address);
      expect(await usdc.balanceOf(author.address)).to.equal(1_000_000n);
    });
  });

  describe("keeper", () => {
    it("lets a keeper trigger a claim that still pays the author", async () => {
      const { networkHelpers, provider, author, keeper, registry, vault, usdc, id } = await deploy();
      await registry.connect(author).register(id, 0, "");
      await vault.connect(provider).setUnits(1n, [id], [1n]);
      await vault.connect(provider).deposit(1n, 1_000_000n);
      await networkHelpers.time.increase(DURATION);
      await vault.connect(keeper).claimFor([1n], [[id]]);
      expect(await usdc.balanceOf(author.address)).to.equal(1_000_000n);
      expect(await usdc.balanceOf(keeper.address)).to.equal(0n);
    });
  });

  describe("protocol fee", () => {
    it("refuses a fee above the 5% hard cap", async () => {
      const { owner, vault } = await deploy();
      await expect(vault.connect(owner).setProtocolFee(501, owner.address))
        .to.be.revertedWithCustomError(vault, "RoyaltyVault_FeeTooHigh")
        .withArgs(501n, 500n);
    });
  });
});
