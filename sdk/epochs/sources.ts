// Where the verifier reads a leaf file from (Node): a path, or the manifest's leafFileUri as a file: or http(s): URI.
// Every source is bounded: at most `maxBytes` are read (a file larger than any leaf file the reader accepts is
// refused before it fills the memory or the disk), and an HTTP answer must start within `timeoutMs` and keep coming.
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import { FileError, InvalidInputError, type TributaryErrorOptions } from "../errors.ts";
import { fileChunks } from "./files.ts";

/** The default bound of a leaf file: 1 GiB, about 11 million leaves of 93 bytes (a million-leaf file is 93 MB). */
export const MAX_LEAF_FILE_BYTES = 2 ** 30;
export const LEAF_FILE_TIMEOUT_MS = 30_000;

export interface LeafFileChunksOptions {
  maxBytes?: number;
  /** For http(s): how long to wait for the answer to start and between two chunks of it. */
  timeoutMs?: number;
}

/** A leaf file cannot be had now (no such file, an HTTP error, no answer in time): worth trying again later. */
export class LeafFileUnavailableError extends FileError {
  override name = "LeafFileUnavailableError";
  constructor(location: string, shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super(location, shortMessage, hint, options);
  }
}

const tooLarge = (source: string, maxBytes: number) =>
  new InvalidInputError(
    "leaves",
    `${source} is larger than ${maxBytes.toLocaleString("en-US")} bytes`,
    "a leaf file of that size is not one tributary epoch build writes",
  );

async function* bounded(chunks: AsyncIterable<Uint8Array>, source: string, maxBytes: number) {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(source, maxBytes);
    yield chunk;
  }
}

async function* httpChunks(url: string, maxBytes: number, timeoutMs: number): AsyncGenerator<Uint8Array> {
  const unreachable = (why: string, cause?: unknown) =>
    new LeafFileUnavailableError(
      url,
      `the leaf file at ${url} cannot be fetched (${why})`,
      "check the URI, or give --leaves",
      {
        cause,
      },
    );
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: "follow" });
    } catch (error) {
      throw unreachable(controller.signal.aborted ? `no answer in ${timeoutMs} ms` : "no answer", error);
    }
    if (!response.ok || response.body === null) throw unreachable(`HTTP ${response.status}`);
    const length = Number(response.headers.get("content-length") ?? "0");
    if (length > maxBytes) throw tooLarge(url, maxBytes);
    const reader = response.body.getReader();
    let total = 0;
    for (;;) {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), timeoutMs);
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        throw unreachable(controller.signal.aborted ? `stalled for ${timeoutMs} ms` : "the answer broke off", error);
      }
      if (next.done) return;
      total += next.value.length;
      if (total > maxBytes) throw tooLarge(url, maxBytes);
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * The bytes of a leaf file named by a path, a file: URI or an http(s): URI, as chunks for verifyEpoch; every error is
 * thrown while reading. A missing file, an HTTP failure or a timeout is a LeafFileUnavailableError (worth trying
 * again); no URI, another scheme or more than maxBytes an InvalidInputError (the epoch's
 * leaf file cannot be had from it).
 */
export async function* leafFileChunks(
  location: string,
  options: LeafFileChunksOptions = {},
): AsyncGenerator<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_LEAF_FILE_BYTES;
  const timeoutMs = options.timeoutMs ?? LEAF_FILE_TIMEOUT_MS;
  if (location === "") {
    throw new InvalidInputError("leafFileUri", "the manifest names no leaf file URI", "give the file with --leaves");
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(location)?.[1]?.toLowerCase();
  if (scheme === "http" || scheme === "https") {
    yield* httpChunks(location, maxBytes, timeoutMs);
    return;
  }
  if (scheme !== undefined && scheme !== "file") {
    throw new InvalidInputError(
      "leafFileUri",
      `the leaf file's URI ${location} is neither file: nor http(s):`,
      "fetch the file yourself and give it with --leaves",
    );
  }
  let file: string;
  try {
    file = scheme === "file" ? fileURLToPath(location) : location;
  } catch (error) {
    throw new InvalidInputError("leafFileUri", `${location} is not a file URI`, "give file:///absolute/path", {
      cause: error,
    });
  }
  // A size known up front is refused before a byte is read.
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size > maxBytes) throw tooLarge(file, maxBytes);
  try {
    yield* bounded(fileChunks(file), file, maxBytes);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    throw new LeafFileUnavailableError(file, error.shortMessage, error.hint, { cause: error });
  }
}

/** Whether an error means that a leaf file could not be had (worth trying again), not that its content is wrong. */
export function isUnavailable(error: unknown): error is LeafFileUnavailableError {
  return error instanceof LeafFileUnavailableError;
}
