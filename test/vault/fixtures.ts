// The deployment the TypeScript tests of the vault and of AttributionEpochs start from: the registry and the vault
// on a fresh in-process network, and a 6-decimal token minted to the provider (the second signer).
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

export async function deployVault() {
  const { ethers, networkHelpers } = await network.create();
  const signers = (await ethers.getSigners()) as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const [owner, provider] = signers;
  const registry = await ethers.deployContract("AuthorshipRegistry", [owner.address]);
  const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner.address]);
  const usdc = await ethers.deployContract("DemoToken", ["USD Coin", "USDC", 6]);
  await usdc.mint(provider.address, 10n ** 15n);
  return { ethers, networkHelpers, signers, registry, vault, usdc };
}
