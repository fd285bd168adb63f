// Building an epoch (docs/epoch-files.md): the method usage-share-v1 over the attributed weights of eligible
// contributions, added to the previous epoch's cumulative amounts; the tree, the leaf file's exact bytes, and the
// manifest AttributionEpochs publishes. Pure: the caller reads the files (files.ts) and the consent (consent.ts).
import { encodeAbiParameters, keccak256, stringToHex, toHex, type Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { keccak256Into, Keccak256Stream } from "./keccak.ts";
import {
  checkDomain,
  LeafHasher,
  MAX_UINT256,
  MAX_UINT32,
  toHex32,
  writeHex32,
  type EpochDomain,
  type EpochLeaf,
} from "./leaf.ts";
import { encodeLeafFile, type LeafFileHeader, LEAF_FILE_FORMAT } from "./leaf-file.ts";
import { buildTree } from "./tree.ts";
import type { AttributionWeights } from "./usage-log.ts";
import { USAGE_SHARE_V1, usageShares, WEIGHT_DECIMALS } from "./usage-share.ts";

export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

/** What AttributionEpochs' publication takes and its event carries (docs/epochs.md). */
export interface EpochManifest {
  root: Hex;
  /** The sum of every cumulative amount in the tree (smallest units). */
  total: bigint;
  methodId: Hex;
  methodHash: Hex;
  modelHash: Hex;
  snapshotBlock: bigint;
  eligibleHash: Hex;
  usageLogHash: Hex;
  leafFileHash: Hex;
  leafFileUri: string;
  previousEpoch: number;
}

/** The previous epoch's leaf file, read (readLeafFile with onLeaf collecting the leaves). */
export interface PreviousEpoch {
  header: LeafFileHeader;
  /** Its leaves in file order (sorted by contributionId). */
  leaves: readonly EpochLeaf[];
}

export interface BuildEpochParameters {
  domain: EpochDomain;
  epochId: number;
  /** What this epoch attributes, after the protocol fee (smallest units). */
  amount: bigint;
  attribution: AttributionWeights;
  previous?: PreviousEpoch;
  /** The registry block the eligible set was read at. */
  snapshotBlock: bigint;
  /** Whether a contribution may be attributed: false for one whose author had revoked consent at snapshotBlock. */
  isEligible: ReadonlySet<Hex> | ((contributionId: Hex) => boolean);
  /** The exact bytes of sdk/epochs/usage-share.ts (methodSourceBytes() in files.ts reads them). */
  methodSource: Uint8Array;
  modelHash?: Hex;
  leafFileUri?: string;
  /** Called as the build moves from one stage to the next. */
  onStage?: (stage: "allocate" | "hash" | "tree" | "encode") => void;
}

export interface BuildEpochReturnType {
  manifest: EpochManifest;
  header: LeafFileHeader;
  /** The leaf file's exact bytes; keccak256 of them is manifest.leafFileHash. */
  leafFile: Uint8Array;
  /** Contributions with weight in the input. */
  attributed: number;
  /** Of those, how many were left out as ineligible, and their summed (scaled) weight. */
  excluded: number;
  excludedWeight: bigint;
  /** Eligible contributions whose share rounded to 0 and that no earlier epoch named: not in the file. */
  zeroShare: number;
  /** Leaves carried from the previous file unchanged. */
  carried: number;
}

/** The method's parameters, as the canonical JSON hashed into methodHash. */
export function methodParameters(input: AttributionWeights["input"]): string {
  return JSON.stringify({ input, weightDecimals: WEIGHT_DECIMALS });
}

/** keccak256("usage-share-v1"). */
export const USAGE_SHARE_V1_ID: Hex = keccak256(stringToHex(USAGE_SHARE_V1));

/**
 * methodHash = keccak256(abi.encode(string methodId, string parameters, bytes32 sourceHash)) with methodId
 * "usage-share-v1", parameters the canonical JSON of methodParameters and sourceHash keccak256 of the method's source
 * file's bytes (sdk/epochs/usage-share.ts).
 */
export function methodHash(input: AttributionWeights["input"], methodSource: Uint8Array): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }, { type: "bytes32" }],
      [USAGE_SHARE_V1, methodParameters(input), keccak256(methodSource)],
    ),
  );
}

/** eligibleHash = keccak256 of the eligible contributions' 32-byte ids concatenated in ascending order. */
export function eligibleHash(sortedIds: readonly Hex[]): Hex {
  const stream = new Keccak256Stream();
  const word = new Uint8Array(32);
  for (const id of sortedIds) {
    writeHex32(id, word, 0);
    stream.update(word);
  }
  return toHex32(stream.digest());
}

/** Builds one epoch: same inputs, same bytes. Throws InvalidInputError on inputs that cannot make an epoch. */
export function buildEpoch(parameters: BuildEpochParameters): BuildEpochReturnType {
  const { epochId, amount, attribution, previous, snapshotBlock, onStage } = parameters;
  const domain = checkDomain(parameters.domain);
  if (!Number.isSafeInteger(epochId) || epochId < 1 || epochId > MAX_UINT32) {
    throw new InvalidInputError("epoch", `the epoch ${epochId} is not from 1 to ${MAX_UINT32}`, "epochs count from 1");
  }
  if (amount <= 0n || amount > MAX_UINT256) {
    throw new InvalidInputError(
      "amount",
      `the amount ${amount} is not above 0`,
      "give the epoch's amount in the token's smallest unit",
    );
  }
  if (snapshotBlock < 0n || snapshotBlock >= 2n ** 64n) {
    throw new InvalidInputError(
      "snapshotBlock",
      `the snapshot block ${snapshotBlock} is not a uint64`,
      "give a block number",
    );
  }
  if (previous !== undefined) {
    const h = previous.header;
    if (h.chainId !== domain.chainId || h.contract !== domain.contract || h.poolId !== domain.poolId) {
      throw new InvalidInputError(
        "previous",
        `the previous leaf file is for chain ${h.chainId}, contract ${h.contract}, pool ${h.poolId}, not chain ${domain.chainId}, contract ${domain.contract}, pool ${domain.poolId}`,
        "give the previous leaf file of this pool",
      );
    }
    if (h.epochId >= epochId) {
      throw new InvalidInputError(
        "previous",
        `the previous leaf file is of epoch ${h.epochId}, not before epoch ${epochId}`,
        "give an earlier epoch's leaf file",
      );
    }
  }
  const eligible =
    typeof parameters.isEligible === "function"
      ? parameters.isEligible
      : (
          (set: ReadonlySet<Hex>) => (id: Hex) =>
            set.has(id)
        )(parameters.isEligible);

  onStage?.("allocate");
  const ids: Hex[] = [];
  let excluded = 0;
  let excludedWeight = 0n;
  for (const [id, weight] of attribution.weights) {
    if (eligible(id)) ids.push(id);
    else {
      excluded++;
      excludedWeight += weight;
    }
  }
  if (ids.length === 0) {
    throw new InvalidInputError(
      "usage",
      attribution.weights.size === 0
        ? "the usage names no contribution"
        : `all ${attribution.weights.size} contributions of the usage are ineligible (consent revoked)`,
      "nothing can be attributed: give a usage log with eligible contributions",
    );
  }
  ids.sort();
  const shares = usageShares(
    amount,
    ids.map((id) => attribution.weights.get(id)!),
  );

  // Merge the previous leaves (sorted) with this epoch's shares (sorted by the same ids).
  const before = previous?.leaves ?? [];
  const leaves: EpochLeaf[] = [];
  let zeroShare = 0;
  let carried = 0;
  let i = 0;
  let j = 0;
  while (i < before.length || j < ids.length) {
    const old = before[i];
    const id = ids[j];
    if (id === undefined || (old !== undefined && old.contributionId < id)) {
      leaves.push(old!);
      carried++;
      i++;
    } else if (old !== undefined && old.contributionId === id) {
      leaves.push({
        contributionId: id,
        cumulativeAmount: old.cumulativeAmount + shares[j]!,
        firstEpoch: old.firstEpoch,
      });
      i++;
      j++;
    } else {
      if (shares[j]! > 0n) leaves.push({ contributionId: id, cumulativeAmount: shares[j]!, firstEpoch: epochId });
      else zeroShare++;
      j++;
    }
  }
  let total = 0n;
  for (const leaf of leaves) total += leaf.cumulativeAmount;
  if (total > MAX_UINT256) {
    throw new InvalidInputError("amount", "the cumulative total would exceed a uint256", "give a smaller amount");
  }

  onStage?.("hash");
  const hasher = new LeafHasher(domain);
  const hashes = new Uint8Array(leaves.length * 32);
  for (let k = 0; k < leaves.length; k++) hasher.hashInto(leaves[k]!, hashes, k * 32);
  onStage?.("tree");
  const tree = buildTree(hashes, leaves.length);

  onStage?.("encode");
  const header: LeafFileHeader = {
    format: LEAF_FILE_FORMAT,
    chainId: domain.chainId,
    contract: domain.contract,
    poolId: domain.poolId,
    epochId,
    previousEpoch: previous?.header.epochId ?? 0,
    total,
    count: leaves.length,
    root: tree.root,
  };
  const leafFile = encodeLeafFile(header, leaves);
  const fileHash = new Uint8Array(32);
  keccak256Into(leafFile, 0, leafFile.length, fileHash, 0);
  const manifest: EpochManifest = {
    root: tree.root,
    total,
    methodId: USAGE_SHARE_V1_ID,
    methodHash: methodHash(attribution.input, parameters.methodSource),
    modelHash: parameters.modelHash ?? ZERO_HASH,
    snapshotBlock,
    eligibleHash: eligibleHash(ids),
    usageLogHash: attribution.inputHash,
    leafFileHash: toHex(fileHash),
    leafFileUri: parameters.leafFileUri ?? "",
    previousEpoch: header.previousEpoch,
  };
  return {
    manifest,
    header,
    leafFile,
    attributed: attribution.weights.size,
    excluded,
    excludedWeight,
    zeroShare,
    carried,
  };
}
