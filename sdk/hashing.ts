// The hashing rules of docs/hashing.md that need no file system: a text contribution's canonical bytes and hash,
// and a dataset's root over its files' hashes. Reading and hashing files and folders is the Node entry's
// (sdk/files.ts); a web page hashes a File's bytes with `keccakBytes`.
import { keccak256, type Hex } from "viem";

import { InvalidInputError } from "./errors.ts";
import { standardMerkleRoot } from "./merkle.ts";

/** The leaf types of a dataset's tree: (relative path, content hash). */
export const DATASET_LEAF_TYPES = ["string", "bytes32"] as const;

/** The largest text a text contribution may hold, in bytes (text is normalized as a whole). Larger files are datasets. */
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

/** keccak256 of raw bytes, as 0x-prefixed hex: the content hash of a file hashed as its exact bytes. */
export function keccakBytes(bytes: Uint8Array): Hex {
  return keccak256(bytes);
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
      "hash its exact bytes instead (`keccakBytes`, `hashFileBytes`) or convert it to UTF-8",
    );
  }
  return hashText(text);
}

/** Compares two strings by their UTF-8 bytes (not by UTF-16 code units, which order astral characters apart). */
export function compareUtf8(a: string, b: string): number {
  const [x, y] = [encoder.encode(a), encoder.encode(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/** One file of a dataset: its relative POSIX path (NFC), the keccak256 of its bytes, its size. */
export interface DatasetFile {
  path: string;
  contributionId: Hex;
  size: number;
}

/**
 * A dataset's content hash from its files' hashes: the StandardMerkleTree root over ["string", "bytes32"] leaves
 * (path, contributionId). Paths are relative, with `/` separators, in Unicode NFC (docs/hashing.md).
 */
export function datasetRoot(files: readonly Pick<DatasetFile, "path" | "contributionId">[]): Hex {
  if (files.length === 0) throw new InvalidInputError("files", "the dataset holds no file", "give at least one file");
  return standardMerkleRoot(
    DATASET_LEAF_TYPES,
    files.map((file) => [file.path, file.contributionId]),
  );
}
