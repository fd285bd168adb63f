// The hashing rules of docs/hashing.md: a text contribution's canonical bytes and hash, a file's streamed hash, and
// a dataset folder's Merkle root. The CLI calls these functions and nothing else, so the SDK and the CLI agree.
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { bytesToHex, type Hex } from "viem";

import { FileError, InvalidInputError } from "./errors.ts";

/** The leaf types of a dataset's tree: (relative path, content hash). */
export const DATASET_LEAF_TYPES = ["string", "bytes32"] as const;

/** The largest text file `hashTextFile` reads whole (text is normalized as a whole). Larger files are datasets. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * The canonical bytes of a text contribution (a prompt, a correction, a rating):
 * 1. one leading byte-order mark (U+FEFF) is removed;
 * 2. CRLF and lone CR become LF;
 * 3. Unicode NFC normalization;
 * 4. trailing whitespace at the very end of the text (spaces, tabs, newlines) is removed; everything else is kept;
 * 5. encoded as UTF-8.
 * Throws InvalidInputError when nothing is left.
 */
export function canonicalText(text: string): Uint8Array {
  let canonical = text.startsWith("\uFEFF") ? text.slice(1) : text;
  canonical = canonical.replace(/\r\n?/g, "\n").normalize("NFC");
  canonical = canonical.replace(/[ \t\n\f\v]+$/u, "");
  if (canonical.length === 0) {
    throw new InvalidInputError("text", "the text is empty once trailing whitespace is removed", "give some content");
  }
  return encoder.encode(canonical);
}

/** keccak256 of raw bytes, as 0x-prefixed hex. */
export function keccakBytes(bytes: Uint8Array): Hex {
  return bytesToHex(keccak_256(bytes));
}

/** The content hash of a text contribution: keccak256 of its canonical bytes. */
export function hashText(text: string): Hex {
  return keccakBytes(canonicalText(text));
}

/** Decodes UTF-8 bytes strictly (invalid sequences are refused) and hashes them as text. */
export function hashTextBytes(bytes: Uint8Array, source = "the input"): Hex {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new InvalidInputError(
      "text",
      `${source} is not valid UTF-8 text`,
      "hash it as raw bytes (--raw) or convert it to UTF-8",
    );
  }
  return hashText(text);
}

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
    throw new FileError(file, `${file} is not a regular file`, "give a text file, or --dir for a folder");
  if (stats.size > MAX_TEXT_BYTES) {
    throw new FileError(
      file,
      `${file} is ${stats.size} bytes, more than the ${MAX_TEXT_BYTES} a text contribution may hold`,
      "hash it as raw bytes (--raw) or register it as a dataset (--dir)",
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
  if (!stats.isFile()) throw new FileError(file, `${file} is not a regular file`, "give a file, or --dir for a folder");
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

/** One file of a dataset: its relative POSIX path (NFC) and the keccak256 of its bytes. */
export interface DatasetFile {
  path: string;
  contributionId: Hex;
  size: number;
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

/** Compares two strings by their UTF-8 bytes (not by UTF-16 code units, which order astral characters apart). */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
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
  if (!stats.isDirectory()) throw new FileError(dir, `${dir} is not a folder`, "give a dataset folder, or --file");
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

/** The dataset root of already-hashed files: the StandardMerkleTree root over (path, contributionId) leaves. */
export function datasetRoot(files: readonly Pick<DatasetFile, "path" | "contributionId">[]): Hex {
  const tree = StandardMerkleTree.of(
    files.map((file) => [file.path, file.contributionId]),
    [...DATASET_LEAF_TYPES],
  );
  return tree.root as Hex;
}
