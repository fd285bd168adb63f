// The Node entry's hashing: a text file, a file's exact bytes streamed, a dataset folder's Merkle root (docs/hashing.md).
// The rules themselves live in sdk/hashing.ts, which a browser imports.
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, type Hex } from "viem";

import { FileError } from "./errors.ts";
import { compareUtf8, datasetRoot, hashTextBytes, MAX_TEXT_BYTES, type DatasetFile } from "./hashing.ts";

async function statOrThrow(file: string) {
  try {
    return await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new FileError(file, `no such file or folder: ${file}`, "check the path", { cause: error });
    if (code === "EACCES") throw new FileError(file, `cannot read ${file}: permission denied`, "check its permissions");
    throw new FileError(file, `cannot read ${file} (${code ?? "unknown error"})`, "check the path", { cause: error });
  }
}

/** The content hash of a UTF-8 text file: the same as `hashText` of its contents. */
export async function hashTextFile(file: string): Promise<Hex> {
  const stats = await statOrThrow(file);
  if (!stats.isFile())
    throw new FileError(file, `${file} is not a regular file`, "give a text file, or a folder to `hashDataset`");
  if (stats.size > MAX_TEXT_BYTES) {
    throw new FileError(
      file,
      `${file} is ${stats.size} bytes, more than the ${MAX_TEXT_BYTES} a text contribution may hold`,
      "hash its exact bytes (`hashFileBytes`) or register it as a dataset (`hashDataset`)",
    );
  }
  return hashTextBytes(await readFile(file), file);
}

/**
 * keccak256 of a file's exact bytes, read as a stream (a file of any size takes constant memory).
 * `onBytes` is called with the size of every chunk read, for progress reporting.
 */
export async function hashFileBytes(file: string, onBytes?: (bytes: number) => void): Promise<Hex> {
  const stats = await statOrThrow(file);
  if (!stats.isFile())
    throw new FileError(file, `${file} is not a regular file`, "give a file, or a folder to `hashDataset`");
  const hasher = keccak_256.create();
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hasher.update(chunk as Buffer);
      onBytes?.((chunk as Buffer).length);
    }
  } catch (error) {
    throw new FileError(file, `cannot read ${file}`, "check that it is readable", { cause: error });
  }
  return bytesToHex(hasher.digest());
}

export interface HashDatasetParameters {
  /** The dataset's folder. */
  dir: string;
  /** Called once with the totals before hashing starts. */
  onStart?: (totals: { files: number; bytes: number }) => void;
  /** Called after every chunk read, with its size in bytes. */
  onBytes?: (bytes: number) => void;
}

export interface HashDatasetReturnType {
  /** The dataset's content hash: the root of the StandardMerkleTree over (path, contributionId) leaves. */
  root: Hex;
  /** The files in the order of their paths' UTF-8 bytes. */
  files: DatasetFile[];
  totalBytes: number;
}

async function listFiles(root: string): Promise<{ path: string; absolute: string; size: number }[]> {
  const found: { path: string; absolute: string; size: number }[] = [];
  const walk = async (relative: string[]) => {
    const folder = path.join(root, ...relative);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      throw new FileError(folder, `cannot list ${folder}`, "check that it is readable", { cause: error });
    }
    for (const entry of entries) {
      const parts = [...relative, entry.name];
      const absolute = path.join(root, ...parts);
      if (entry.isSymbolicLink()) {
        throw new FileError(
          absolute,
          `${absolute} is a symbolic link, which a dataset may not hold`,
          "replace it with the file itself or remove it",
        );
      } else if (entry.isDirectory()) {
        await walk(parts);
      } else if (entry.isFile()) {
        const stats = await statOrThrow(absolute);
        found.push({ path: parts.join("/").normalize("NFC"), absolute, size: stats.size });
      } else {
        throw new FileError(absolute, `${absolute} is not a regular file`, "remove it from the dataset folder");
      }
    }
  };
  await walk([]);
  return found;
}

/**
 * The content hash of a dataset folder (docs/hashing.md): every regular file under `dir`, at any depth, named by
 * its path relative to `dir` with `/` separators in Unicode NFC, hashed as its exact bytes (streamed); the root of
 * the @openzeppelin/merkle-tree StandardMerkleTree over ["string", "bytes32"] leaves (path, contributionId).
 */
export async function hashDataset({ dir, onStart, onBytes }: HashDatasetParameters): Promise<HashDatasetReturnType> {
  const stats = await statOrThrow(dir);
  if (!stats.isDirectory()) throw new FileError(dir, `${dir} is not a folder`, "give a dataset folder");
  const listed = (await listFiles(dir)).sort((a, b) => compareUtf8(a.path, b.path));
  if (listed.length === 0) throw new FileError(dir, `the folder ${dir} holds no file`, "give a folder with files");
  for (let i = 1; i < listed.length; i++) {
    if (listed[i]!.path === listed[i - 1]!.path) {
      throw new FileError(
        dir,
        `two files in ${dir} have the same name once normalized: ${listed[i]!.path}`,
        "rename one of them",
      );
    }
  }
  const totalBytes = listed.reduce((sum, file) => sum + file.size, 0);
  onStart?.({ files: listed.length, bytes: totalBytes });
  const files: DatasetFile[] = [];
  for (const file of listed) {
    files.push({ path: file.path, contributionId: await hashFileBytes(file.absolute, onBytes), size: file.size });
  }
  return { root: datasetRoot(files), files, totalBytes };
}

/** Hashes `file:` paths of a units CSV (`parseUnitsCsv`'s `hashFile`) as text files, relative to `baseDir`. */
export function textFileHasher(baseDir = "."): (file: string) => Promise<Hex> {
  return (file) => hashTextFile(path.resolve(baseDir, file));
}
