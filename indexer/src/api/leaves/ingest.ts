// Taking a leaf file in: an upload is streamed to a file of its own on disk (never whole in memory, refused past
// the size limit), read once by the SDK's readLeafFile (its shape, order, count, total and root), set against the
// chain (its domain, the root the contract holds and the leaf-file hash its publication stated), and only then
// stored (store.ts). Every refusal says what does not match and stores nothing.
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";

import { TributaryError } from "../../../../sdk/errors.ts";
import { fileChunks } from "../../../../sdk/epochs/files.ts";
import { readLeafFile, type ReadLeafFileReturnType } from "../../../../sdk/epochs/leaf-file.ts";
import type { EpochsReader } from "./chain.ts";
import { isReadOnlyError } from "./db.ts";
import type { EpochKey, LeafStore, StoredLeafFile } from "./store.ts";

/** A leaf file refused: the route answers `status` with `{ error, parameter }` (and Retry-After when given). */
export class LeafFileRefused extends Error {
  constructor(
    readonly status: 400 | 404 | 408 | 409 | 410 | 413 | 422 | 429 | 503,
    message: string,
    readonly parameter = "leaves",
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The answer of an API that cannot write: a `ponder serve` replica. */
export const READ_ONLY_MESSAGE =
  "this API serves a read-only replica (its database role cannot write): upload the leaf file to the indexer that writes";

/**
 * How long an upload may take before its average rate is held to the floor (TRIBUTARY_LEAF_UPLOAD_MIN_KBPS): a slow
 * start is forgiven, a body that trickles in to keep a slot taken is not.
 */
export const UPLOAD_GRACE_MS = 10_000;

/** How long a client over an upload cap is asked to wait before it tries again. */
export const UPLOAD_RETRY_SECONDS = 5;
/** The most finished uploads whose outcome the status route remembers (the oldest are forgotten first). */
const REMEMBERED = 1_000;

/** Where an upload that was answered 202 stands: being checked, stored, or refused with its 4xx. */
export type UploadStatus =
  | { state: "checking"; bytes: number; since: string }
  | { state: "stored"; file: StoredLeafFile }
  | { state: "refused"; refusal: LeafFileRefused };

/** What an upload gave: the file stored (or stored before), or an upload accepted and checked in the background. */
export type UploadReturnType = ({ accepted: false } & IngestReturnType) | { accepted: true; bytes: number };

/** Whether a process with this id runs (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface IngestReturnType {
  /** True when this call stored the file; false when the epoch's file was already stored. */
  stored: boolean;
  file: StoredLeafFile;
}

export class LeafIngest {
  readonly #store: LeafStore;
  readonly #chain: EpochsReader;
  readonly #maxBytes: number;
  readonly #uploadDir: string;
  readonly #maxUploads: number;
  readonly #syncBytes: number;
  readonly #minBytesPerSecond: number;
  /** Uploads being received or checked, over all clients. */
  #active = 0;
  /** The epoch each client's upload in flight is for, by client address. */
  readonly #inFlight = new Map<string, EpochKey>();
  /** The outcome of uploads answered 202, by `poolId-epochId` of this contract. */
  readonly #statuses = new Map<string, UploadStatus>();
  #uploads = 0;
  /** Stores run one at a time: each holds a tree (64 bytes a leaf) while it writes. */
  #queue: Promise<unknown> = Promise.resolve();
  #cleaned: Promise<void> | undefined;

  constructor(parameters: {
    store: LeafStore;
    chain: EpochsReader;
    maxBytes: number;
    uploadDir: string;
    maxConcurrentUploads: number;
    /** Uploads up to this many bytes are stored before the answer; larger ones in the background. */
    syncBytes: number;
    /** The slowest average rate a body may arrive at once UPLOAD_GRACE_MS have passed; 0: no floor. */
    minBytesPerSecond?: number;
  }) {
    this.#store = parameters.store;
    this.#chain = parameters.chain;
    this.#maxBytes = parameters.maxBytes;
    this.#uploadDir = parameters.uploadDir;
    this.#maxUploads = parameters.maxConcurrentUploads;
    this.#syncBytes = parameters.syncBytes;
    this.#minBytesPerSecond = parameters.minBytesPerSecond ?? 0;
  }

  get maxBytes(): number {
    return this.#maxBytes;
  }

  key(poolId: bigint, epochId: number): EpochKey {
    return { chainId: this.#chain.chainId, contract: this.#chain.contract, poolId, epochId };
  }

  /** Refuses an epoch nobody published or that was vetoed; returns its stored file when there is one. */
  async #published(key: EpochKey) {
    const epoch = await this.#chain.epoch(key.poolId, key.epochId);
    if (epoch.status === "none") {
      throw new LeafFileRefused(404, `pool ${key.poolId} has no epoch ${key.epochId} on chain`, "epochId");
    }
    if (epoch.status === "vetoed") {
      throw new LeafFileRefused(410, `epoch ${key.epochId} of pool ${key.poolId} was vetoed: it never pays`, "epochId");
    }
    return { epoch, stored: await this.#store.stored(key) };
  }

  /**
   * Takes the leaf file an upload's body carries, for the epoch of the route. One upload in flight per client and
   * at most `maxConcurrentUploads` over all clients (429 beyond either). The body is streamed to disk; a file up to
   * `syncBytes` is then checked and stored before the answer, a larger one is accepted and checked in the
   * background, its outcome kept for status().
   */
  async upload(
    key: EpochKey,
    body: ReadableStream<Uint8Array> | null,
    contentLength: string | undefined,
    client: string,
  ): Promise<UploadReturnType> {
    const { stored } = await this.#published(key);
    if (stored !== undefined) return { accepted: false, stored: false, file: stored };
    if (contentLength !== undefined && /^\d+$/.test(contentLength) && Number(contentLength) > this.#maxBytes) {
      throw new LeafFileRefused(
        413,
        `the upload is ${contentLength} bytes; a leaf file may be at most ${this.#maxBytes}`,
      );
    }
    if (body === null) throw new LeafFileRefused(422, "the upload is empty: send the leaf file as the request body");
    const mine = this.#inFlight.get(client);
    if (mine !== undefined) {
      throw new LeafFileRefused(
        429,
        `an upload from ${client} is in flight (epoch ${mine.epochId} of pool ${mine.poolId}): one at a time per client; follow it at GET /epochs/${mine.poolId}/${mine.epochId}/leaves/status`,
        "leaves",
        UPLOAD_RETRY_SECONDS,
      );
    }
    if (this.#active >= this.#maxUploads) {
      throw new LeafFileRefused(
        429,
        `${this.#active} uploads are being received or checked, the most at once; retry in ${UPLOAD_RETRY_SECONDS} s`,
        "leaves",
        UPLOAD_RETRY_SECONDS,
      );
    }
    this.#active++;
    this.#inFlight.set(client, key);
    const release = () => {
      this.#active--;
      if (this.#inFlight.get(client) === key) this.#inFlight.delete(client);
    };
    const file = await this.#temporary(key);
    let background = false;
    try {
      await this.#receive(body, file);
      const { size } = await stat(file);
      if (size <= this.#syncBytes) return { accepted: false, ...(await this.ingestFile(key, file)) };
      background = true;
      this.#remember(key, { state: "checking", bytes: size, since: new Date().toISOString() });
      void this.ingestFile(key, file)
        .then(({ file: stored }) => this.#remember(key, { state: "stored", file: stored }))
        .catch((error: unknown) => {
          const refusal =
            error instanceof LeafFileRefused
              ? error
              : isReadOnlyError(error)
                ? new LeafFileRefused(503, READ_ONLY_MESSAGE)
                : new LeafFileRefused(503, `the leaf file could not be stored: ${(error as Error).message}`);
          if (!(error instanceof LeafFileRefused)) console.error(`leaf files: ${refusal.message}`);
          this.#remember(key, { state: "refused", refusal });
        })
        .finally(() => {
          release();
          void rm(file, { force: true });
        });
      return { accepted: true, bytes: size };
    } finally {
      if (!background) {
        release();
        await rm(file, { force: true });
      }
    }
  }

  /** Where the last upload of an epoch answered 202 stands; undefined when none is remembered. */
  status(key: EpochKey): UploadStatus | undefined {
    return this.#statuses.get(`${key.poolId}-${key.epochId}`);
  }

  #remember(key: EpochKey, status: UploadStatus): void {
    const id = `${key.poolId}-${key.epochId}`;
    this.#statuses.delete(id);
    this.#statuses.set(id, status);
    for (const [old, kept] of this.#statuses) {
      if (this.#statuses.size <= REMEMBERED) break;
      if (kept.state !== "checking") this.#statuses.delete(old);
    }
  }

  /** The operator's file or URL: stored for the epoch its header names, once that epoch is published. */
  async ingestSource(source: string): Promise<IngestReturnType> {
    if (!/^https?:\/\//.test(source)) return this.ingestFile(undefined, source);
    const file = await this.#temporary(undefined);
    try {
      const response = await fetch(source, { signal: AbortSignal.timeout(10 * 60_000) });
      if (!response.ok) throw new LeafFileRefused(404, `${source} answered ${response.status}`);
      await this.#receive(response.body, file);
      return await this.ingestFile(undefined, file);
    } finally {
      await rm(file, { force: true });
    }
  }

  async #temporary(key: EpochKey | undefined): Promise<string> {
    this.#cleaned ??= this.#cleanUploads();
    await this.#cleaned;
    const name = `${key ? `${key.poolId}-${key.epochId}` : "source"}-${process.pid}-${++this.#uploads}.part`;
    return path.join(this.#uploadDir, name);
  }

  /**
   * Removes what uploads of a process that died left (it was killed while receiving). A file is named for the process
   * that writes it; another live process's (a second indexer on the same folder) is left alone.
   */
  async #cleanUploads(): Promise<void> {
    await mkdir(this.#uploadDir, { recursive: true });
    for (const name of await readdir(this.#uploadDir)) {
      const pid = Number(/-(\d+)-\d+\.part$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
        await rm(path.join(this.#uploadDir, name), { force: true });
      }
    }
  }

  /**
   * Writes a body to `file`, refusing it as soon as it passes the size limit (413), or once UPLOAD_GRACE_MS have
   * passed whenever it has arrived slower on average than the rate floor (408): a trickle cannot hold an upload slot.
   */
  async #receive(body: ReadableStream<Uint8Array> | null, file: string): Promise<void> {
    if (body === null) throw new LeafFileRefused(422, "the leaf file is empty");
    let bytes = 0;
    const max = this.#maxBytes;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > max) callback(new LeafFileRefused(413, `the leaf file is over ${max} bytes, the most one may be`));
        else callback(null, chunk);
      },
    });
    const floor = this.#minBytesPerSecond;
    const started = Date.now();
    const check =
      floor === 0
        ? undefined
        : setInterval(() => {
            const elapsed = Date.now() - started;
            if (elapsed < UPLOAD_GRACE_MS || bytes >= (floor * elapsed) / 1000) return;
            const rate = Math.floor(bytes / 1024 / (elapsed / 1000));
            limit.destroy(
              new LeafFileRefused(
                408,
                `the upload arrived at ${rate} KB/s over ${Math.round(elapsed / 1000)} s, slower than the ${floor / 1024} KB/s an upload may take (TRIBUTARY_LEAF_UPLOAD_MIN_KBPS); nothing was stored`,
              ),
            );
          }, 500);
    try {
      await pipeline(
        Readable.fromWeb(body as import("node:stream/web").ReadableStream),
        limit,
        createWriteStream(file),
      );
    } finally {
      clearInterval(check);
    }
  }

  /** Checks the leaf file at `file` (for the epoch `expected`, or the one its header names) and stores it. */
  async ingestFile(expected: EpochKey | undefined, file: string): Promise<IngestReturnType> {
    const { size } = await stat(file);
    let read: ReadLeafFileReturnType;
    if (size > this.#syncBytes) {
      read = await readInWorker(file);
    } else {
      try {
        read = await readLeafFile({ chunks: fileChunks(file), source: "the leaf file" });
      } catch (error) {
        if (error instanceof TributaryError) throw new LeafFileRefused(422, error.shortMessage);
        throw error;
      }
    }
    const { header, tree, leafFileHash } = read;
    const key = expected ?? this.key(header.poolId, header.epochId);
    const mismatch = (what: string, got: unknown, want: unknown) =>
      new LeafFileRefused(422, `the leaf file's ${what} is ${got}, not ${want}; nothing was stored`);
    if (header.chainId !== key.chainId) throw mismatch("chainId", header.chainId, `this chain's ${key.chainId}`);
    if (header.contract.toLowerCase() !== key.contract) {
      throw mismatch("contract", header.contract, `the indexed AttributionEpochs ${key.contract}`);
    }
    if (header.poolId !== key.poolId) throw mismatch("poolId", header.poolId, `the route's pool ${key.poolId}`);
    if (header.epochId !== key.epochId) throw mismatch("epochId", header.epochId, `the route's epoch ${key.epochId}`);

    const { epoch, stored } = await this.#published(key);
    if (stored !== undefined) return { stored: false, file: stored };
    if (tree.root !== epoch.root) {
      throw mismatch(
        "root",
        tree.root,
        `the root the chain holds for epoch ${key.epochId} of pool ${key.poolId}, ${epoch.root}`,
      );
    }
    const published = await this.#chain.leafFileHash(key.poolId, key.epochId, epoch.root);
    if (published === undefined) throw new LeafFileRefused(404, `no EpochPublished log for epoch ${key.epochId} yet`);
    if (leafFileHash !== published) {
      throw mismatch(
        "hash (keccak256 of its bytes)",
        leafFileHash,
        `the leafFileHash its publication stated, ${published}`,
      );
    }
    const run = this.#queue.then(async () => {
      const again = await this.#store.stored(key);
      if (again !== undefined) return { stored: false, file: again };
      console.log(`leaf files: storing epoch ${key.epochId} of pool ${key.poolId} (${tree.count} leaves)`);
      await this.#store.store({ key, header, tree, leafFileHash, bytes: size, chunks: () => fileChunks(file) });
      return { stored: true, file: (await this.#store.stored(key))! };
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Stores each of the operator's sources once its epoch is published, trying again every `intervalMs` until each
   * is stored or refused for good (a mismatch); logs one line per outcome. Bounded: stops after `rounds` rounds.
   */
  watchSources(sources: string[], intervalMs = 60_000, rounds = 1_440): void {
    let pending = [...sources];
    let round = 0;
    const tick = async () => {
      const left: string[] = [];
      for (const source of pending) {
        try {
          const { stored, file } = await this.ingestSource(source);
          console.log(
            `leaf files: ${source} ${stored ? "stored" : "already stored"} (${file.count} leaves, root ${file.root})`,
          );
        } catch (error) {
          const retry = error instanceof LeafFileRefused ? error.status === 404 || error.status === 503 : true;
          console.error(`leaf files: ${source}: ${(error as Error).message}${retry ? "; trying again later" : ""}`);
          if (retry) left.push(source);
        }
      }
      pending = left;
      if (pending.length > 0 && ++round < rounds) setTimeout(() => void tick(), intervalMs).unref();
    };
    if (pending.length > 0) setTimeout(() => void tick(), 1_000).unref();
  }
}

/** readLeafFile over `file` in a worker thread (read-worker.ts); its refusal is the same 422 as on this thread. */
function readInWorker(file: string): Promise<ReadLeafFileReturnType> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./read-worker.ts", import.meta.url), { workerData: { file } });
    let answered = false;
    worker.once("message", (message: { read?: ReadLeafFileReturnType; refused?: string; message?: string }) => {
      answered = true;
      if (message.read !== undefined) resolve(message.read);
      else if (message.refused !== undefined) reject(new LeafFileRefused(422, message.refused));
      else reject(new Error(`the leaf file's check failed: ${message.message}`));
    });
    worker.once("error", (error) => {
      answered = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the leaf file's check stopped (worker exit code ${code})`));
    });
  });
}
