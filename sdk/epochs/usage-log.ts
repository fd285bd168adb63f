// Reading what an epoch attributes (docs/epoch-files.md): a usage log (JSON Lines, one use a line, weights summed
// per contribution) or a scores file written by any attribution method (one line per contribution). Every
// malformed line throws LineError with its number; nothing is kept from a file that has one.
import type { Hex } from "viem";

import { TributaryError } from "../errors.ts";
import { eachLine, LineError, type ByteChunks } from "./lines.ts";
import { scaledWeight } from "./usage-share.ts";

/** `usage`: a usage log; `scores`: precomputed scores. */
export type AttributionInput = "usage" | "scores";

export interface ReadAttributionParameters {
  input: AttributionInput;
  chunks: ByteChunks;
  /** The file's name in error messages. */
  source: string;
  /** The content hash of a `text` entry (the SDK's hashText). Without it, a line with `text` is refused. */
  hashText?: (text: string) => Hex;
  /** The content hash of a `file` entry, a path relative to the log (hashFileBytes). Without it, refused. */
  hashFile?: (file: string) => Promise<Hex>;
  /** Called every PROGRESS_LINES lines and at the end. */
  onProgress?: (progress: { lines: number; bytes: number }) => void;
}

export interface AttributionWeights {
  input: AttributionInput;
  /** Summed weight per contribution, scaled by 10^WEIGHT_DECIMALS. */
  weights: Map<Hex, bigint>;
  lines: number;
  bytes: number;
  /** keccak256 of the file's exact bytes: the manifest's usageLogHash. */
  inputHash: Hex;
}

export const PROGRESS_LINES = 10_000;

const KEYS: Record<AttributionInput, readonly string[]> = {
  usage: ["contributionId", "text", "file", "weight", "time"],
  scores: ["contributionId", "text", "file", "score"],
};
const HASH = /^0x[0-9a-fA-F]{64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isTime(value: unknown): boolean {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0;
  return typeof value === "string" && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/** Reads a usage log or a scores file into summed weights per contribution. */
export async function readAttribution(parameters: ReadAttributionParameters): Promise<AttributionWeights> {
  const { input, source, hashText, hashFile, onProgress } = parameters;
  const weights = new Map<Hex, bigint>();
  const fileHashes = new Map<string, Hex>();
  const weightKey = input === "usage" ? "weight" : "score";
  const allowed = new Set(KEYS[input]);
  let bytes = 0;

  const resolve = async (entry: Record<string, unknown>, line: number): Promise<Hex> => {
    const fail = (problem: string, hint: string) => new LineError(source, line, problem, hint);
    const named = ["contributionId", "text", "file"].filter((key) => entry[key] !== undefined);
    if (named.length !== 1) {
      throw fail(
        named.length === 0 ? "names no contribution" : `names its contribution twice (${named.join(", ")})`,
        "give exactly one of contributionId, text or file",
      );
    }
    const { contributionId, text, file } = entry;
    if (contributionId !== undefined) {
      if (typeof contributionId !== "string" || !HASH.test(contributionId)) {
        throw fail(
          `contributionId ${JSON.stringify(contributionId)} is not a content hash`,
          "give 0x followed by 64 hexadecimal characters",
        );
      }
      return contributionId.toLowerCase() as Hex;
    }
    if (text !== undefined) {
      if (typeof text !== "string") throw fail("text is not a string", "give the contribution's text");
      if (hashText === undefined) throw fail("names its contribution by text", "give its contributionId instead");
      try {
        return hashText(text);
      } catch (error) {
        throw fail(
          error instanceof TributaryError ? error.shortMessage : String(error),
          "give the contribution's text",
        );
      }
    }
    if (typeof file !== "string" || file === "") throw fail("file is not a path", "give a path relative to the log");
    if (hashFile === undefined) throw fail("names its contribution by file", "give its contributionId instead");
    let hash = fileHashes.get(file);
    if (hash === undefined) {
      try {
        hash = await hashFile(file);
      } catch (error) {
        throw fail(
          `the file ${file} is unknown (${error instanceof TributaryError ? error.shortMessage : String(error)})`,
          "give a path relative to the log, or the contribution's contributionId",
        );
      }
      fileHashes.set(file, hash);
    }
    return hash;
  };

  const onLine = (text: string, line: number): void | Promise<void> => {
    if (line % PROGRESS_LINES === 0) onProgress?.({ lines: line, bytes });
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      throw new LineError(source, line, "is not JSON", "write one JSON object a line (JSON Lines)");
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new LineError(source, line, "is not a JSON object", "write one JSON object a line (JSON Lines)");
    }
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.has(key)) {
        throw new LineError(source, line, `has an unknown key "${key}"`, `use only ${KEYS[input].join(", ")}`);
      }
    }
    const weight = scaledWeight(record[weightKey]);
    if (weight === undefined) {
      throw new LineError(
        source,
        line,
        record[weightKey] === undefined
          ? `has no ${weightKey}`
          : `${weightKey} ${JSON.stringify(record[weightKey])} is not a positive integer or decimal string`,
        `give a positive integer, or a decimal string with at most 18 decimals`,
      );
    }
    if (input === "usage" && !isTime(record.time)) {
      throw new LineError(
        source,
        line,
        record.time === undefined ? "has no time" : `time ${JSON.stringify(record.time)} is not a time`,
        "give an ISO 8601 date (2026-12-01T12:00:00Z) or Unix seconds",
      );
    }
    const add = (contributionId: Hex) => {
      const before = weights.get(contributionId);
      if (before !== undefined && input === "scores") {
        throw new LineError(
          source,
          line,
          `scores ${contributionId} a second time`,
          "a scores file gives each contribution once",
        );
      }
      weights.set(contributionId, (before ?? 0n) + weight);
    };
    // Lines named by contributionId (nearly all of a large log) stay synchronous: no promise per line.
    if (typeof record.contributionId === "string" && record.text === undefined && record.file === undefined) {
      if (HASH.test(record.contributionId)) return add(record.contributionId.toLowerCase() as Hex);
    }
    return resolve(record, line).then(add);
  };

  const read = await eachLine(parameters.chunks, source, onLine, (n) => (bytes += n));
  onProgress?.({ lines: read.lines, bytes: read.bytes });
  return { input, weights, lines: read.lines, bytes: read.bytes, inputHash: read.hash };
}
