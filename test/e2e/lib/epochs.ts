// Attribution epochs on a local node for the end-to-end tests and the bench: a pool on AttributionEpochs, leaf files
// built by the SDK (buildEpoch), their publication, a veto, and time moved past the window.
import { zeroHash, type Hex } from "viem";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { deployDemoToken, localClients, mintDemoToken, type LocalClients } from "../../../scripts/lib/chain.ts";
import { rpc } from "../../../scripts/lib/stack.ts";
import { createEpochPool as createEpochPoolAction } from "../../../sdk/actions/epochs/pool.ts";
import { publishEpoch } from "../../../sdk/actions/epochs/publish.ts";
import { requireAccount, requireEpochs, type TributaryClient } from "../../../sdk/client.ts";
import { methodSourceBytes } from "../../../sdk/epochs/files.ts";
import {
  buildEpoch,
  readLeafFile,
  type EpochDomain,
  type EpochLeaf,
  type EpochManifest,
  type LeafFileHeader,
} from "../../../sdk/epochs/index.ts";
import { random } from "../../epochs-sdk/random.ts";

/** The pool's challenge window: the contract's shortest, one hour. */
export const WINDOW_SECONDS = 3_600;

export interface LeafFile {
  header: LeafFileHeader;
  /** In file order (by contributionId). */
  leaves: EpochLeaf[];
  bytes: Uint8Array;
  manifest: EpochManifest;
}

/**
 * Builds an epoch with the SDK's buildEpoch (usage-share-v1, every contribution eligible) from weights per
 * contribution, over the `previous` epoch's file when given.
 */
export async function buildLeafFile(parameters: {
  domain: EpochDomain;
  epochId: number;
  amount: bigint;
  weights: Map<Hex, bigint>;
  previous?: LeafFile;
}): Promise<LeafFile> {
  const { domain, epochId, amount, weights, previous } = parameters;
  const built = buildEpoch({
    domain,
    epochId,
    amount,
    attribution: { input: "usage", weights, lines: weights.size, bytes: 0, inputHash: zeroHash },
    previous: previous && { header: previous.header, leaves: previous.leaves },
    snapshotBlock: 1n,
    isEligible: () => true,
    methodSource: await methodSourceBytes(),
  });
  const leaves: EpochLeaf[] = [];
  await readLeafFile({ chunks: [built.leafFile], source: "built", onLeaf: (leaf) => leaves.push(leaf) });
  return { header: built.header, leaves, bytes: built.leafFile, manifest: built.manifest };
}

/** Weights 1 to 1,000 for `count` distinct pseudo-random contributions (the same for the same seed). */
export function randomWeights(count: number, seed: number): Map<Hex, bigint> {
  const next = random(seed);
  const weights = new Map<Hex, bigint>();
  while (weights.size < count) {
    let id = "0x";
    for (let w = 0; w < 8; w++)
      id += Math.floor(next() * 2 ** 32)
        .toString(16)
        .padStart(8, "0");
    weights.set(id as Hex, BigInt(1 + Math.floor(next() * 1000)));
  }
  return weights;
}

async function send(clients: LocalClients, from: Hex, hash: Promise<Hex>) {
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash: await hash, pollingInterval: 20 });
  if (receipt.status !== "success") throw new Error(`a transaction from ${from} reverted`);
  return receipt;
}

/** Creates an ETH pool with `admin` as its publisher and challenger, funds it with `funding` wei; its id is returned. */
export async function createEpochPool(
  clients: LocalClients,
  epochs: Hex,
  admin: Hex,
  funding: bigint,
): Promise<bigint> {
  const create = {
    address: epochs,
    abi: attributionEpochsAbi,
    functionName: "createPool",
    args: [
      {
        token: "0x0000000000000000000000000000000000000000",
        admin,
        publisher: admin,
        challenger: admin,
        challengeWindow: WINDOW_SECONDS,
        reclaimDelay: 0,
        metadataUri: "",
      },
    ],
    account: admin,
  } as const;
  const { result: poolId } = await clients.publicClient.simulateContract(create);
  await send(clients, admin, clients.walletClient.writeContract(create));
  await send(
    clients,
    admin,
    clients.walletClient.writeContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName: "fund",
      args: [poolId, funding],
      value: funding,
      account: admin,
    }),
  );
  return poolId;
}

/** Publishes `file` with the manifest buildEpoch made for it. */
export async function publishLeafFile(clients: LocalClients, epochs: Hex, publisher: Hex, file: LeafFile) {
  return send(
    clients,
    publisher,
    clients.walletClient.writeContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName: "publish",
      args: [file.header.poolId, file.manifest],
      account: publisher,
    }),
  );
}

export async function vetoEpoch(clients: LocalClients, epochs: Hex, challenger: Hex, poolId: bigint, epochId: number) {
  return send(
    clients,
    challenger,
    clients.walletClient.writeContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName: "veto",
      args: [poolId, epochId, "test: a wrong root"],
      account: challenger,
    }),
  );
}

/** Moves the node's clock past a challenge window and mines a block. */
export async function passWindow(rpcUrl: string): Promise<void> {
  await rpc(rpcUrl, "evm_increaseTime", [WINDOW_SECONDS + 1]);
  await rpc(rpcUrl, "evm_mine");
}

/**
 * A payable epoch in a new ERC-20 (DemoToken, `symbol` with 6 decimals) epoch pool, through the SDK's actions: the token
 * deployed and minted to the provider, the pool created, epoch 1 built over `weights`, funded with `amount` and
 * published, and its challenge window passed. `provider` must be one of the node's unlocked accounts.
 */
export async function openPaidEpoch(
  provider: TributaryClient,
  rpcUrl: string,
  {
    amount,
    weights,
    metadataUri = "",
    symbol = "dUSD",
  }: { amount: bigint; weights: Map<Hex, bigint>; metadataUri?: string; symbol?: string },
): Promise<{ token: Hex; poolId: bigint; leafFile: LeafFile }> {
  const { address } = requireAccount(provider).account;
  const token = await deployDemoToken(localClients(rpcUrl), address, { name: `Demo ${symbol}`, symbol });
  await mintDemoToken(localClients(rpcUrl), token, address, address, amount);
  const { poolId } = await createEpochPoolAction(provider, { token, challengeWindow: WINDOW_SECONDS, metadataUri });
  const domain = { chainId: provider.chainId, contract: requireEpochs(provider), poolId };
  const leafFile = await buildLeafFile({ domain, epochId: 1, amount, weights });
  await publishEpoch(provider, { poolId, manifest: leafFile.manifest, fund: amount });
  await passWindow(rpcUrl);
  return { token, poolId, leafFile };
}
