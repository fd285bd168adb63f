import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Every deployable of the protocol; later contracts take the registry's address as a constructor argument. */
export default buildModule("Tributary", (m) => {
  const registry = m.contract("AuthorshipRegistry");
  return { registry };
});
