import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Every deployable of the protocol: the registry, the vault that reads authorship and consent from it, and the
 * attribution epochs that read both (authors from the registry, the protocol fee and pause from the vault).
 */
export default buildModule("Tributary", (m) => {
  // The deployer owns both (it approves attesters and sets the protocol fee); hand them over with
  // transferOwnership + acceptOwnership.
  const owner = m.getAccount(0);
  const registry = m.contract("AuthorshipRegistry", [owner]);
  const vault = m.contract("RoyaltyVault", [registry, owner]);
  const epochs = m.contract("AttributionEpochs", [registry, vault]);
  return { registry, vault, epochs };
});
