// Publishing an epoch (the pool's publisher: a root and its manifest, funded first when asked) and vetoing one in its
// challenge window (the pool's challenger). Everything a publication would be refused for that can be read is
// checked before anything is sent, so that a funding is never sent for a publication bound to fail.
import { decodeFunctionResult, encodeFunctionData, parseEventLogs } from "viem";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { requireAccount, requireEpochs, type TributaryClient } from "../../client.ts";
import { contractError } from "../../contractErrors.ts";
import type { EpochManifest } from "../../epochs/build.ts";
import type { ReadLeafFileReturnType } from "../../epochs/leaf-file.ts";
import { checkManifest, type ManifestFile } from "../../epochs/manifest-file.ts";
import { InvalidInputError } from "../../errors.ts";
import { prepare, send, type TransactionResult } from "../../prepare.ts";
import { fundEpochPool, getEpochFeeBps, netOfFee, type FundEpochPoolReturnType } from "./fund.ts";
import { epochsRequest, getEpochPool } from "./pool.ts";
import { getEpoch } from "./read.ts";

export interface PublishEpochParameters {
  poolId: bigint;
  /** The manifest to publish: a built epoch's (buildEpoch's `manifest`), or a manifest file read (parseManifestFile). */
  manifest: EpochManifest | ManifestFile;
  /**
   * The leaf file, read with readLeafFile (sdk/epochs/): checked against the manifest (its hash, root, total, previous
   * epoch) and against the pool (this chain, this contract, this pool, the next epoch) before anything is sent.
   */
  leafFile?: ReadLeafFileReturnType & { source: string };
  /** Fund the pool with this much first (the token's smallest unit); the publication follows. */
  fund?: bigint;
}

export interface PublishEpochReturnType extends TransactionResult {
  poolId: bigint;
  epochId: number;
  /** Unix seconds from which the epoch pays, unless vetoed. */
  acceptableAt: number;
  manifest: EpochManifest;
  /** The funding sent first, when asked. */
  funding: FundEpochPoolReturnType | undefined;
}

function isManifestFile(value: EpochManifest | ManifestFile): value is ManifestFile {
  return "format" in value;
}

/**
 * Publishes an epoch's root and manifest to a pool, as its publisher, funding the pool first when `fund` is given.
 * Refused before sending (ContractRevertError with the contract's words, InvalidInputError for files): a caller that
 * is not the publisher, a closed pool, a root still in its window, a manifest that does not extend the payable epoch,
 * a total below it or above what the pool (with `fund`) holds, a leaf file of another chain, contract, pool or epoch,
 * or one the manifest was not built with.
 */
export async function publishEpoch(
  client: TributaryClient,
  parameters: PublishEpochParameters,
): Promise<PublishEpochReturnType> {
  const { account } = requireAccount(client);
  const { poolId } = parameters;
  const contract = requireEpochs(client);
  const manifest = isManifestFile(parameters.manifest) ? parameters.manifest.manifest : parameters.manifest;
  const pool = await getEpochPool(client, poolId);
  const nextEpoch = pool.epochCount + 1;
  if (isManifestFile(parameters.manifest)) {
    const m = parameters.manifest;
    if (m.chainId !== client.chainId || m.contract !== contract || m.poolId !== poolId || m.epochId !== nextEpoch) {
      throw new InvalidInputError(
        "manifest",
        `the manifest is for epoch ${m.epochId} of pool ${m.poolId} of contract ${m.contract} on chain ${m.chainId}, not epoch ${nextEpoch} of pool ${poolId} of contract ${contract} on chain ${client.chainId}`,
        "build the pool's next epoch for this chain and contract",
      );
    }
  }
  if (parameters.leafFile !== undefined) {
    const read = parameters.leafFile;
    const { source } = read;
    const h = read.header;
    if (h.chainId !== client.chainId || h.contract !== contract || h.poolId !== poolId) {
      throw new InvalidInputError(
        "leafFile",
        `${source} is a leaf file of pool ${h.poolId} of contract ${h.contract} on chain ${h.chainId}, not of pool ${poolId} of contract ${contract} on chain ${client.chainId}`,
        "give the leaf file built for this pool (`--pool` and `--contract` of epoch build)",
      );
    }
    if (h.epochId !== nextEpoch) {
      throw new InvalidInputError(
        "leafFile",
        `${source} is epoch ${h.epochId} of pool ${poolId}, and the pool's next epoch is ${nextEpoch}`,
        `build epoch ${nextEpoch} over the leaf file of epoch ${pool.payableEpoch || "none"}`,
      );
    }
    checkManifest(
      isManifestFile(parameters.manifest)
        ? parameters.manifest
        : { format: "tributary-epoch-manifest-v1", chainId: h.chainId, contract, poolId, epochId: h.epochId, manifest },
      read,
      "the manifest",
    );
  }
  if (pool.closed) throw contractError("AttributionEpochs_PoolClosed", { poolId });
  if (pool.publisher.toLowerCase() !== account.address.toLowerCase()) {
    throw contractError("AttributionEpochs_NotPublisher", {
      poolId,
      caller: account.address,
      publisher: pool.publisher,
    });
  }
  if (pool.pendingEpoch !== 0) {
    const pending = await getEpoch(client, poolId, pool.pendingEpoch);
    throw contractError("AttributionEpochs_RootPending", {
      poolId,
      pendingEpoch: pool.pendingEpoch,
      acceptableAt: pending.publishedAt + pool.challengeWindow,
    });
  }
  if (manifest.previousEpoch !== pool.payableEpoch) {
    throw contractError("AttributionEpochs_PreviousEpochMismatch", {
      poolId,
      previousEpoch: manifest.previousEpoch,
      acceptedEpoch: pool.payableEpoch,
    });
  }
  if (manifest.total < pool.payableTotal) {
    throw contractError("AttributionEpochs_TotalDecreased", {
      poolId,
      total: manifest.total,
      acceptedTotal: pool.payableTotal,
    });
  }
  const fund = parameters.fund ?? 0n;
  if (parameters.fund !== undefined && fund <= 0n) {
    throw new InvalidInputError("fund", "the funding is zero", "give a positive `fund`, or leave it out");
  }
  const fundedAfter = pool.funded + (fund > 0n ? netOfFee(fund, (await getEpochFeeBps(client)).feeBps) : 0n);
  if (manifest.total > fundedAfter) {
    throw contractError("AttributionEpochs_Underfunded", { poolId, total: manifest.total, funded: fundedAfter });
  }
  const request = epochsRequest(
    client,
    encodeFunctionData({ abi: attributionEpochsAbi, functionName: "publish", args: [poolId, manifest] }),
  );
  const funding = fund > 0n ? await fundEpochPool(client, { poolId, amount: fund }) : undefined;
  const prepared = await prepare(client, request);
  const epochId = decodeFunctionResult({
    abi: attributionEpochsAbi,
    functionName: "publish",
    data: prepared.returnData,
  });
  const { transaction, logs } = await prepared.send();
  const [published] = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "EpochPublished" });
  return {
    poolId,
    epochId,
    acceptableAt: Number(published?.args.acceptableAt ?? 0),
    manifest,
    funding,
    ...transaction,
  };
}

export interface VetoEpochParameters {
  poolId: bigint;
  epochId: number;
  /** Why, in words a person reads; emitted in EpochVetoed. */
  reason: string;
}

export interface VetoEpochReturnType extends TransactionResult {
  poolId: bigint;
  epochId: number;
  reason: string;
  /** The epoch that keeps paying (0: none). */
  acceptedEpoch: number;
}

/** Vetoes a root in its challenge window, as the pool's challenger: it never pays; the accepted epoch keeps paying. */
export async function vetoEpoch(
  client: TributaryClient,
  parameters: VetoEpochParameters,
): Promise<VetoEpochReturnType> {
  requireAccount(client);
  const { poolId, epochId } = parameters;
  const reason = parameters.reason.trim();
  if (reason === "") {
    throw new InvalidInputError("reason", "a veto needs a reason", "say why the root is wrong in `reason`");
  }
  const { transaction, logs } = await send(
    client,
    epochsRequest(
      client,
      encodeFunctionData({ abi: attributionEpochsAbi, functionName: "veto", args: [poolId, epochId, reason] }),
    ),
  );
  const [vetoed] = parseEventLogs({ abi: attributionEpochsAbi, logs, eventName: "EpochVetoed" });
  return { poolId, epochId, reason, acceptedEpoch: Number(vetoed?.args.acceptedEpoch ?? 0), ...transaction };
}
