import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Every deployable of the protocol: the registry, then the vault that reads authorship and consent from it. */
export default buildModule("Tributary", (m) => {
  // The deployer owns both (it approves attesters and sets the protocol fee); hand them over with
  // transferOwnership + acceptOwnership.
  const owner = m.getAccount(0);
  const registry = m.contract("AuthorshipRegistry", [owner]);
  const vault = m.contract("RoyaltyVault", [registry, owner]);
  return { registry, vault };
});
