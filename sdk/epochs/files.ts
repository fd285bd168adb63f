// The epoch pipeline's file side (Node only; every other module of sdk/epochs is pure and runs in a browser):
// streaming the usage log and leaf files from disk, hashing `file` entries, and writing a leaf file so that it
// either appears whole or not at all.
import { createReadStream } from "node:fs";
import { link, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

import { FileError, InvalidInputError } from "../errors.ts";
import { hashFileBytes } from "../files.ts";
import { hashText } from "../hashing.ts";
import type { PreviousEpoch } from "./build.ts";
import type { EpochLeaf } from "./leaf.ts";
import { readLeafFile } from "./leaf-file.ts";
import { getProof, type GetProofReturnType } from "./proof.ts";
import { readAttribution, type AttributionInput, type AttributionWeights } from "./usage-log.ts";

/** A file's bytes as a stream of 1 MiB chunks; a missing or unreadable file becomes a FileError. */
export async function* fileChunks(file: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new FileError(file, `no such file: ${file}`, "check the path", { cause: error });
    if (code === "EISDIR") throw new FileError(file, `${file} is a folder`, "give a file", { cause: error });
    throw new FileError(file, `cannot read ${file} (${code ?? "unknown error"})`, "check the path", { cause: error });
  }
}

export interface ReadAttributionFileParameters {
  file: string;
  input: AttributionInput;
  onProgress?: (progress: { lines: number; bytes: number }) => void;
}

/**
 * Reads a usage log or a scores file from disk. `text` entries are hashed by hashText, `file` entries by
 * hashFileBytes, their paths relative to the log's folder (an absolute path is refused).
 */
export function readAttributionFile({
  file,
  input,
  onProgress,
}: ReadAttributionFileParameters): Promise<AttributionWeights> {
  const folder = path.dirname(file);
  return readAttribution({
    input,
    chunks: fileChunks(file),
    source: file,
    hashText,
    hashFile: async (relative) => {
      if (path.isAbsolute(relative)) {
        throw new InvalidInputError("file", `${relative} is an absolute path`, "give a path relative to the log");
      }
      return hashFileBytes(path.join(folder, relative));
    },
    onProgress,
  });
}

/** Reads and checks a previous epoch's leaf file, keeping its leaves for buildEpoch. */
export async function readPreviousEpoch(file: string): Promise<PreviousEpoch> {
  const leaves: EpochLeaf[] = [];
  const { header } = await readLeafFile({
    chunks: fileChunks(file),
    source: file,
    onLeaf: (leaf) => leaves.push(leaf),
  });
  return { header, leaves };
}

/** The proof of one contribution from a leaf file on disk, offline. */
export function getProofFromFile(file: string, contributionId: Hex): Promise<GetProofReturnType> {
  return getProof({ chunks: fileChunks(file), source: file, contributionId });
}

/** The exact bytes of the method's source file, sdk/epochs/usage-share.ts: hashed into methodHash. */
export function methodSourceBytes(): Promise<Uint8Array> {
  return readFile(new URL("./usage-share.ts", import.meta.url));
}

/**
 * Writes a leaf file that appears whole or not at all, and never over an existing file: the bytes go to a
 * temporary file beside it, which is then hard-linked to the name (refused if the name exists) and removed.
 */
export async function writeLeafFile(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, bytes, { flag: "wx" });
    await link(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(
      file,
      code === "EEXIST" ? `${file} already exists` : `cannot write ${file} (${code ?? "unknown error"})`,
      code === "EEXIST" ? "choose another --out path: a leaf file is never overwritten" : "check the folder",
      { cause: error },
    );
  } finally {
    await rm(temporary, { force: true });
  }
}
