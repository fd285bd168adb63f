// Deploys the protocol through Ignition to the network named by `--network` and writes deployments/<chainId>.json.
//
//   npx hardhat run scripts/deploy.ts                      Hardhat's in-process network (nothing is kept)
//   npx hardhat run --network localhost scripts/deploy.ts  a node at TRIBUTARY_RPC_URL (default 127.0.0.1:8545)
import { rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import TributaryModule from "../ignition/modules/Tributary.js";
import { writeDeployment } from "./lib/deployments.js";

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
const { registry } = await ignition.deploy(TributaryModule, { deploymentId, displayUi: false });
const registryAddress = (await registry.getAddress()) as `0x${string}`;

if (ephemeral && deploymentId !== undefined) {
  await rm(path.join(import.meta.dirname, "..", "ignition", "deployments", deploymentId), {
    recursive: true,
    force: true,
  });
}

const file = await writeDeployment({
  chainId,
  deployedAt: new Date().toISOString(),
  contracts: { AuthorshipRegistry: { address: registryAddress, startBlock } },
});
console.log(`AuthorshipRegistry ${registryAddress} (chain ${chainId}, from block ${startBlock})`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
await connection.close();
