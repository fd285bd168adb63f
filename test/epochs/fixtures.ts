// The deployment both TypeScript tests of AttributionEpochs start from: the registry, the vault and the epochs
// contract on a fresh in-process network, and a 6-decimal token the provider holds and has approved.
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

export async function deployEpochs() {
  const { ethers, networkHelpers } = await network.create();
  const [owner, provider, author, challenger] = (await ethers.getSigners()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const registry = await ethers.deployContract("AuthorshipRegistry", [owner.address]);
  const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner.address]);
  const epochs = await ethers.deployContract("AttributionEpochs", [
    await registry.getAddress(),
    await vault.getAddress(),
  ]);
  const usdc = await ethers.deployContract("DemoToken", ["USD Coin", "USDC", 6]);
  await usdc.mint(provider.address, 10n ** 15n);
  await usdc.connect(provider).approve(await epochs.getAddress(), ethers.MaxUint256);
  return { ethers, networkHelpers, owner, provider, author, challenger, registry, vault, epochs, usdc };
}
