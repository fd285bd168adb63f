// Reading a text file of lines from byte chunks (a stream, or one buffer): strict UTF-8 per line, 1-based line
// numbers for every error, and keccak256 of the exact bytes read in the same pass.
import { bytesToHex, type Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { Keccak256Stream } from "./keccak.ts";

/** A line of an input file is malformed. `line` is 1-based; the message starts with `<source> line <n>:`. */
export class LineError extends InvalidInputError {
  readonly source: string;
  readonly line: number;
  constructor(source: string, line: number, problem: string, hint: string) {
    super("line", `${source} line ${line}: ${problem}`, hint);
    this.name = "LineError";
    this.source = source;
    this.line = line;
  }
}

/** Byte chunks, as a Node stream or a browser ReadableStream's reader gives them, or a single buffer in an array. */
export type ByteChunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface EachLineReturnType {
  lines: number;
  bytes: number;
  /** keccak256 of every byte read. */
  hash: Hex;
  /** Whether the last line ended with LF (or the input was empty). */
  terminated: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/**
 * Calls `onLine` with every line's text (without its LF) and its 1-based number, in order; a promise it returns is
 * awaited before the next line. A line that is not valid UTF-8 throws LineError.
 */
export async function eachLine(
  chunks: ByteChunks,
  source: string,
  onLine: (text: string, line: number) => void | Promise<void>,
  onBytes?: (bytes: number) => void,
): Promise<EachLineReturnType> {
  const hasher = new Keccak256Stream();
  let carry: Uint8Array | undefined;
  let lines = 0;
  let bytes = 0;
  const emit = (raw: Uint8Array) => {
    lines++;
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch {
      throw new LineError(source, lines, "is not valid UTF-8", "save the file as UTF-8");
    }
    return onLine(text, lines);
  };
  for await (const chunk of chunks) {
    hasher.update(chunk);
    bytes += chunk.length;
    onBytes?.(chunk.length);
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      let raw = chunk.subarray(start, end);
      if (carry !== undefined) {
        raw = concat(carry, raw);
        carry = undefined;
      }
      const pending = emit(raw);
      if (pending !== undefined) await pending;
      start = end + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry === undefined ? rest.slice() : concat(carry, rest);
    }
  }
  const terminated = carry === undefined;
  if (carry !== undefined) {
    const pending = emit(carry);
    if (pending !== undefined) await pending;
  }
  return { lines, bytes, hash: bytesToHex(hasher.digest()), terminated };
}
