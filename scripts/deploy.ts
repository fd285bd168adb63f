// Deploys the protocol through Ignition to the network named by `--network` and writes deployments/<chainId>.json.
//
//   npx hardhat run scripts/deploy.ts                      Hardhat's in-process network (nothing is kept)
//   npx hardhat run --network localhost scripts/deploy.ts  a node at TRIBUTARY_RPC_URL (default 127.0.0.1:8545)
//   npx hardhat run --network remote scripts/deploy.ts     any network: TRIBUTARY_REMOTE_RPC_URL and
//                                                          TRIBUTARY_DEPLOYER_KEY from the environment or the
//                                                          Hardhat keystore; TRIBUTARY_REMOTE_CHAIN_ID, when set,
//                                                          must be the node's chain id (npm run deploy:remote)
//
// TRIBUTARY_REHEARSAL=true (set by scripts/rehearse.ts, against a local node started with another chain's id) funds
// the deployer on that node and throws the Ignition journal away, so a rehearsal leaves no trace of a deployment.
import { rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import TributaryModule from "../ignition/modules/Tributary.js";
import { writeDeployment, type Deployment } from "./lib/deployments.js";

const LOCAL_CHAIN_ID = 31337;

const connection = await network.create();
const { ethers, ignition } = connection;
const chainId = Number((await ethers.provider.getNetwork()).chainId);
const rehearsal = process.env.TRIBUTARY_REHEARSAL === "true";

const expectedChainId = process.env.TRIBUTARY_REMOTE_CHAIN_ID;
if (expectedChainId !== undefined && expectedChainId !== "" && Number(expectedChainId) !== chainId) {
  console.error(
    `error: the node is on chain ${chainId}, not TRIBUTARY_REMOTE_CHAIN_ID=${expectedChainId}; check TRIBUTARY_REMOTE_RPC_URL`,
  );
  await connection.close();
  process.exit(1);
}
if (rehearsal) {
  // Only a Hardhat node answers hardhat_setBalance: a rehearsal can never spend real funds.
  const [deployer] = await ethers.getSigners();
  await ethers.provider.send("hardhat_setBalance", [await deployer!.getAddress(), "0x3635c9adc5dea00000"]);
}

// A local dev chain starts empty every time, so its Ignition journal is thrown away after each deployment;
// any other chain keeps its journal, letting an interrupted deployment resume.
const ephemeral = chainId === LOCAL_CHAIN_ID || rehearsal;
const deploymentId = ephemeral ? `${rehearsal ? "rehearsal" : "local"}-${process.pid}-${Date.now()}` : undefined;

// Nothing of this deployment can emit an event before the next block.
const startBlock = (await ethers.provider.getBlockNumber()) + 1;
const deployed: Record<string, { getAddress(): Promise<string> }> = await ignition.deploy(TributaryModule, {
  deploymentId,
  displayUi: false,
});
// The Ignition module's result names (registry, vault, ...) map to the contracts' names in the deployment file.
const NAMES: Record<string, keyof Deployment["contracts"]> = {
  registry: "AuthorshipRegistry",
  vault: "RoyaltyVault",
  epochs: "AttributionEpochs",
};
const contracts: Partial<Deployment["contracts"]> = {};
for (const [key, contract] of Object.entries(deployed)) {
  const name = NAMES[key];
  if (name === undefined) throw new Error(`the Ignition module returns "${key}", which deploy.ts does not know`);
  contracts[name] = { address: (await contract.getAddress()) as `0x${string}`, startBlock };
}
if (contracts.AuthorshipRegistry === undefined) throw new Error("the Ignition module deployed no AuthorshipRegistry");

if (ephemeral && deploymentId !== undefined) {
  await rm(path.join(import.meta.dirname, "..", "ignition", "deployments", deploymentId), {
    recursive: true,
    force: true,
  });
}

const file = await writeDeployment({
  chainId,
  deployedAt: new Date().toISOString(),
  contracts: contracts as Deployment["contracts"],
});
for (const [name, contract] of Object.entries(contracts)) {
  console.log(`${name} ${contract.address} (chain ${chainId}, from block ${startBlock})`);
}
console.log(`wrote ${path.relative(process.cwd(), file)}`);
await connection.close();
