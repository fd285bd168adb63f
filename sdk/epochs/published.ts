// What the chain published for epochs: the EpochPublished events of AttributionEpochs (poolId and epochId are
// indexed), read in bounded block ranges. The event carries the whole manifest; the contract stores only the root, the
// total and the time, so the event is where a verifier reads what to check.
import type { Address, Client, Hex } from "viem";
import { getContractEvents } from "viem/actions";

import { attributionEpochsAbi } from "../../abis/AttributionEpochs.ts";
import { toTributaryError } from "../contractErrors.ts";
import type { EpochManifest } from "./build.ts";

/** One EpochPublished event. */
export interface PublishedEpoch {
  poolId: bigint;
  epochId: number;
  publisher: Address;
  /** Unix seconds from which the root pays unless vetoed. */
  acceptableAt: number;
  acceptedEpoch: number;
  manifest: EpochManifest;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
}

export interface ReadPublishedEpochsParameters {
  publicClient: Client;
  /** The AttributionEpochs contract. */
  contract: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Only this pool's, and only this epoch's (which needs poolId). */
  poolId?: bigint;
  epochId?: number;
  /** Blocks per eth_getLogs; default 10,000 (what public RPC endpoints commonly allow). */
  blockRange?: bigint;
}

/** The EpochPublished events from fromBlock to toBlock, in chain order. */
export async function readPublishedEpochs(parameters: ReadPublishedEpochsParameters): Promise<PublishedEpoch[]> {
  const { publicClient, contract, fromBlock, toBlock, poolId, epochId } = parameters;
  const range = parameters.blockRange ?? 10_000n;
  const found: PublishedEpoch[] = [];
  for (let from = fromBlock; from <= toBlock; from += range) {
    const to = from + range - 1n < toBlock ? from + range - 1n : toBlock;
    let logs;
    try {
      logs = await getContractEvents(publicClient, {
        address: contract,
        abi: attributionEpochsAbi,
        eventName: "EpochPublished",
        args: { poolId, epochId },
        fromBlock: from,
        toBlock: to,
        strict: true,
      });
    } catch (error) {
      throw toTributaryError(error);
    }
    for (const log of logs) {
      const { args } = log;
      const m = args.manifest;
      found.push({
        poolId: args.poolId,
        epochId: args.epochId,
        publisher: args.publisher,
        acceptableAt: Number(args.acceptableAt),
        acceptedEpoch: args.acceptedEpoch,
        manifest: {
          root: m.root,
          total: m.total,
          methodId: m.methodId,
          methodHash: m.methodHash,
          modelHash: m.modelHash,
          snapshotBlock: m.snapshotBlock,
          eligibleHash: m.eligibleHash,
          usageLogHash: m.usageLogHash,
          leafFileHash: m.leafFileHash,
          leafFileUri: m.leafFileUri,
          previousEpoch: m.previousEpoch,
        },
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex,
      });
    }
  }
  return found;
}
