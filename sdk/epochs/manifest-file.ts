// The manifest file `tributary epoch build` writes beside a leaf file (docs/epoch-files.md): the manifest to publish
// and the domain and epoch it was built for, as JSON with integers in decimal strings. `checkManifest` holds a
// manifest against the leaf file it names, so that a publication of the wrong pair is refused before it is sent.
import { getAddress, type Address, type Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import type { EpochManifest } from "./build.ts";
import type { ReadLeafFileReturnType } from "./leaf-file.ts";

export const MANIFEST_FILE_FORMAT = "tributary-epoch-manifest-v1";

/** What a manifest file holds. */
export interface ManifestFile {
  format: typeof MANIFEST_FILE_FORMAT;
  chainId: number;
  contract: Address;
  poolId: bigint;
  epochId: number;
  manifest: EpochManifest;
}

const MANIFEST_KEYS = [
  "root",
  "total",
  "methodId",
  "methodHash",
  "modelHash",
  "snapshotBlock",
  "eligibleHash",
  "usageLogHash",
  "leafFileHash",
  "leafFileUri",
  "previousEpoch",
] as const satisfies readonly (keyof EpochManifest)[];

/** The manifest file's text: pretty JSON and a final LF. */
export function formatManifestFile(file: Omit<ManifestFile, "format">): string {
  const m = file.manifest;
  return `${JSON.stringify(
    {
      format: MANIFEST_FILE_FORMAT,
      chainId: file.chainId,
      contract: getAddress(file.contract),
      poolId: file.poolId.toString(),
      epochId: file.epochId,
      manifest: { ...m, total: m.total.toString(), snapshotBlock: m.snapshotBlock.toString() },
    },
    null,
    2,
  )}\n`;
}

/** Reads a manifest file's text; InvalidInputError on `manifest` for anything but what formatManifestFile writes. */
export function parseManifestFile(text: string, source: string): ManifestFile {
  const fail = (problem: string) =>
    new InvalidInputError("manifest", `${source} ${problem}`, "give the manifest file tributary epoch build wrote");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail("is not JSON");
  }
  const file = value as Record<string, unknown> | null;
  if (file === null || typeof file !== "object" || file.format !== MANIFEST_FILE_FORMAT) {
    throw fail(`is not in format ${MANIFEST_FILE_FORMAT}`);
  }
  const m = file.manifest as Record<string, unknown> | null;
  if (m === null || typeof m !== "object") throw fail("has no manifest");
  const keys = Object.keys(m);
  if (keys.length !== MANIFEST_KEYS.length || MANIFEST_KEYS.some((k) => !keys.includes(k))) {
    throw fail(`has the manifest keys ${keys.join(", ")}, not ${MANIFEST_KEYS.join(", ")}`);
  }
  const hash = (key: string): Hex => {
    const v = m[key];
    if (typeof v !== "string" || !/^0x[0-9a-f]{64}$/.test(v)) throw fail(`${key} is not a 32-byte hash`);
    return v as Hex;
  };
  const decimal = (v: unknown, key: string): bigint => {
    if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(v)) throw fail(`${key} is not a decimal string`);
    return BigInt(v);
  };
  const integer = (v: unknown, key: string, min: number): number => {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > 2 ** 32 - 1) {
      throw fail(`${key} is not an integer`);
    }
    return v;
  };
  if (typeof file.contract !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(file.contract)) {
    throw fail("names no contract address");
  }
  if (typeof m.leafFileUri !== "string") throw fail("leafFileUri is not a string");
  return {
    format: MANIFEST_FILE_FORMAT,
    chainId: integer(file.chainId, "chainId", 1),
    contract: getAddress(file.contract),
    poolId: decimal(file.poolId, "poolId"),
    epochId: integer(file.epochId, "epochId", 1),
    manifest: {
      root: hash("root"),
      total: decimal(m.total, "total"),
      methodId: hash("methodId"),
      methodHash: hash("methodHash"),
      modelHash: hash("modelHash"),
      snapshotBlock: decimal(m.snapshotBlock, "snapshotBlock"),
      eligibleHash: hash("eligibleHash"),
      usageLogHash: hash("usageLogHash"),
      leafFileHash: hash("leafFileHash"),
      leafFileUri: m.leafFileUri,
      previousEpoch: integer(m.previousEpoch, "previousEpoch", 0),
    },
  };
}

/**
 * Checks that `manifest` is the one built with the leaf file `leaves` read: the file's exact bytes hash to its
 * leafFileHash, and the root, total, previous epoch, domain and epoch agree. InvalidInputError on `manifest`.
 */
export function checkManifest(manifest: ManifestFile, leaves: ReadLeafFileReturnType, source: string): void {
  const { header } = leaves;
  const m = manifest.manifest;
  const differ: string[] = [];
  if (m.leafFileHash !== leaves.leafFileHash)
    differ.push(`leafFileHash ${m.leafFileHash} (the file's is ${leaves.leafFileHash})`);
  if (m.root !== header.root) differ.push(`root ${m.root} (the file's is ${header.root})`);
  if (m.total !== header.total) differ.push(`total ${m.total} (the file's is ${header.total})`);
  if (m.previousEpoch !== header.previousEpoch) {
    differ.push(`previousEpoch ${m.previousEpoch} (the file's is ${header.previousEpoch})`);
  }
  if (
    manifest.chainId !== header.chainId ||
    manifest.contract !== header.contract ||
    manifest.poolId !== header.poolId
  ) {
    differ.push(`chain ${manifest.chainId}, contract ${manifest.contract}, pool ${manifest.poolId}`);
  }
  if (manifest.epochId !== header.epochId) differ.push(`epoch ${manifest.epochId} (the file's is ${header.epochId})`);
  if (differ.length > 0) {
    throw new InvalidInputError(
      "manifest",
      `${source} was not built with this leaf file: its ${differ.join(", ")}`,
      "give the manifest tributary epoch build wrote beside the leaf file, or build the epoch again",
    );
  }
}
