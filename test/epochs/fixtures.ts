// The deployment both TypeScript tests of AttributionEpochs start from: the vault's (test/vault/fixtures.ts), the
// epochs contract beside it, and the provider's token approved to it.
import { deployVault } from "../vault/fixtures.ts";

export async function deployEpochs() {
  const { ethers, networkHelpers, signers, registry, vault, usdc } = await deployVault();
  const [owner, provider, author, challenger] = signers;
  const epochs = await ethers.deployContract("AttributionEpochs", [
    await registry.getAddress(),
    await vault.getAddress(),
  ]);
  await usdc.connect(provider).approve(await epochs.getAddress(), ethers.MaxUint256);
  return { ethers, networkHelpers, owner, provider, author, challenger, registry, vault, epochs, usdc };
}
