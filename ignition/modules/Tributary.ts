import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Every deployable of the protocol; later contracts take the registry's address as a constructor argument. */
export default buildModule("Tributary", (m) => {
  // The deployer owns the registry (it approves attesters); hand it over with transferOwnership + acceptOwnership.
  const registry = m.contract("AuthorshipRegistry", [m.getAccount(0)]);
  // The vault reads authors and consent from the registry; the deployer owns it (protocol fee, pause), two-step too.
  const vault = m.contract("RoyaltyVault", [registry, m.getAccount(0)]);
  return { registry, vault };
});
