// Deploys the protocol through Ignition to the network named by `--network` and writes deployments/<chainId>.json.
//
//   npx hardhat run scripts/deploy.ts                      Hardhat's in-process network (nothing is kept)
//   npx hardhat run --network localhost scripts/deploy.ts  a node at TRIBUTARY_RPC_URL (default 127.0.0.1:8545)
import { rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import TributaryModule from "../ignition/modules/Tributary.js";
import { writeDeployment, type Deployment } from "./lib/deployments.js";

const LOCAL_CHAIN_ID = 31337;

const connection = await network.create();
const { ethers, ignition } = connection;
const chainId = Number((await ethers.provider.getNetwork()).chainId);

// A local dev chain starts empty every time, so its Ignition journal is thrown away after each deployment;
// any other chain keeps its journal, letting an interrupted deployment resume.
const ephemeral = chainId === LOCAL_CHAIN_ID;
const deploymentId = ephemeral ? `local-${process.pid}-${Date.now()}` : undefined;

// Nothing of this deployment can emit an event before the next block.
const startBlock = (await ethers.provider.getBlockNumber()) + 1;
const deployed: Record<string, { getAddress(): Promise<string> }> = await ignition.deploy(TributaryModule, {
  deploymentId,
  displayUi: false,
});
// The Ignition module's result names (registry, vault, ...) map to the contracts' names in the deployment file.
const NAMES: Record<string, keyof Deployment["contracts"]> = { registry: "AuthorshipRegistry", vault: "RoyaltyVault" };
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
