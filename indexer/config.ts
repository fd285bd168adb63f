// The indexer's configuration, from one place: the environment and deployments/<chainId>.json. Checked at start,
// with an error that says what to do.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeSync,
} from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { parseDeployment, type Deployment } from "../sdk/deployment.ts";
import { ConfigError } from "../sdk/errors.ts";

// vite-node, which runs this file, has no here.
const here = path.dirname(fileURLToPath(import.meta.url));

export interface IndexerSettings {
  chainId: number;
  rpcUrl: string;
  wsUrl: string | undefined;
  /**
   * With a WebSocket: how long the head subscription may go without a new head before the indexer asks the node for
   * its block number over HTTP, polls the block it missed, and subscribes again if the subscription is dead
   * (patches/ponder+0.17.7.patch, rpc/index.js). 0 turns the watchdog off.
   */
  wsHeadTimeoutMs: number;
  pollingIntervalMs: number;
  /** Whether Ponder caches RPC answers; off by default on the local dev chain, which is new on every start. */
  rpcCache: boolean;
  /**
   * How many rate-limit lanes the indexer opens to the RPC URL. Ponder's adaptive limiter starts every URL at 20
   * requests per second and grows slowly, which throttles a backfill from a node on this machine; each lane is the
   * same URL (with a distinct #fragment, never sent), so N lanes start at N x 20. Default 8 on chain 31337, else 1.
   */
  rpcLanes: number;
  registry: { address: `0x${string}`; startBlock: number };
  vault: { address: `0x${string}`; startBlock: number };
  /** AttributionEpochs, when the deployment has it: the indexer mirrors its events and the API serves them. */
  epochs: { address: `0x${string}`; startBlock: number } | undefined;
  database: { kind: "postgres"; connectionString: string } | { kind: "pglite"; directory: string };
  /** On PGlite, the free space under which the indexer refuses to start (TRIBUTARY_PGLITE_MIN_FREE_MB); 0: none. */
  pgliteMinFreeBytes: number;
}

function fail(message: string): never {
  throw new Error(`Tributary indexer: ${message}`);
}

/**
 * The PostgreSQL major version of the embedded PGlite this project installs (package.json pins it through
 * `overrides`). A data directory written by another major version does not open: PGlite aborts with a bare
 * WebAssembly "unreachable" error, so the indexer refuses such a directory at start and says what to do.
 */
export const PGLITE_POSTGRES_MAJOR = "17";

/** Refuses a PGlite data directory another PostgreSQL major version wrote; an absent or new one is fine. */
export function checkPgliteDirectory(directory: string): void {
  const versionFile = path.join(directory, "PG_VERSION");
  if (!existsSync(versionFile)) return;
  const major = readFileSync(versionFile, "utf8").trim();
  if (major !== PGLITE_POSTGRES_MAJOR) {
    fail(
      `the PGlite directory ${directory} holds PostgreSQL ${major} data, and this PGlite runs PostgreSQL ` +
        `${PGLITE_POSTGRES_MAJOR}; delete the directory (the indexer backfills again) or set TRIBUTARY_PGLITE_DIR`,
    );
  }
}

/** What PGlite writes in its data directory, besides the directory itself. */
const PGLITE_WRITTEN = ["base", "global", "pg_wal", "pg_xact", "pg_multixact"];
const READ_ONLY_CODES = new Set(["EROFS", "EACCES", "EPERM"]);
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "EFBIG"]);

/** The directory itself when it exists, else the nearest folder above it that does (where PGlite will create it). */
function existingFolder(directory: string): string {
  let current = directory;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

const megabytes = (bytes: number) => `${Math.floor(bytes / 2 ** 20)} MB`;

/**
 * Refuses, at start, a PGlite data directory the indexer could not write, naming the cause: PGlite itself fails on
 * a read-only folder with a bare WebAssembly "unreachable" error, and on a full disk it aborts its queries one by
 * one and retries them forever. Writes (and removes) a 4 KiB file to find out, checks the folders PGlite writes,
 * and requires `minFreeBytes` free on the folder's file system.
 */
export function checkPgliteStorage(directory: string, minFreeBytes: number): void {
  const folder = existingFolder(directory);
  const full = (free: string) =>
    fail(
      `the PGlite directory ${directory} is on a full disk (${free} free, the indexer needs ${megabytes(minFreeBytes)} ` +
        `to start: TRIBUTARY_PGLITE_MIN_FREE_MB); free space, delete the directory and start again (the indexer ` +
        `backfills from the start): a disk that filled while PGlite wrote can leave rows of a block range on disk ` +
        `without the range's other rows or its checkpoint, and resuming on them is not safe`,
    );
  let checking = folder;
  try {
    const probe = path.join(folder, `.tributary-write-check-${process.pid}`);
    const fd = openSync(probe, "w");
    try {
      writeSync(fd, Buffer.alloc(4096));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      rmSync(probe, { force: true });
    }
    for (const written of PGLITE_WRITTEN) {
      checking = path.join(folder, written);
      if (folder === directory && existsSync(checking)) accessSync(checking, constants.W_OK);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (READ_ONLY_CODES.has(code)) {
      fail(
        `the PGlite directory ${directory} is read-only (${code} writing ${checking}); make it writable for this ` +
          `user or set TRIBUTARY_PGLITE_DIR to a writable folder`,
      );
    }
    if (FULL_CODES.has(code)) full(`no space (${code})`);
    throw error;
  }
  const { bavail, bsize } = statfsSync(folder);
  const free = bavail * bsize;
  if (minFreeBytes > 0 && free < minFreeBytes) full(megabytes(free));
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) fail(`${name} must be a whole number, got "${raw}"`);
  return Number(raw);
}

function positiveIntFromEnv(name: string, fallback: number): number {
  const value = intFromEnv(name, fallback);
  if (value < 1) fail(`${name} must be at least 1, got ${value}`);
  return value;
}

export function loadSettings(): IndexerSettings {
  const chainId = intFromEnv("TRIBUTARY_CHAIN_ID", 31337);
  const rpcUrl = process.env[`PONDER_RPC_URL_${chainId}`] ?? process.env.TRIBUTARY_RPC_URL ?? "http://127.0.0.1:8545";
  if (!/^(https?|wss?):\/\//.test(rpcUrl)) fail(`the RPC URL must start with http(s):// or ws(s)://, got "${rpcUrl}"`);

  const deploymentsDir = path.resolve(process.env.TRIBUTARY_DEPLOYMENTS_DIR ?? path.join(here, "..", "deployments"));
  const file = path.join(deploymentsDir, `${chainId}.json`);
  let deployment: Deployment;
  try {
    deployment = parseDeployment(JSON.parse(readFileSync(file, "utf8")), file);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    fail(`no deployment for chain ${chainId} at ${file}; deploy first (see README "Deploy")`);
  }
  const contract = (name: "AuthorshipRegistry" | "RoyaltyVault") => {
    const entry = deployment.contracts[name];
    if (!entry) fail(`${file} names no ${name}; deploy again (see README "Deploy")`);
    return entry;
  };

  const wsUrl = process.env.TRIBUTARY_WS_URL || undefined;
  if (wsUrl !== undefined && !/^wss?:\/\//.test(wsUrl))
    fail(`TRIBUTARY_WS_URL must start with ws:// or wss://, got "${wsUrl}"`);
  const pollingIntervalMs = intFromEnv("TRIBUTARY_POLLING_INTERVAL_MS", 250);
  // Ponder refuses a shorter interval at its config's validation, with a message that does not name our variable.
  if (pollingIntervalMs < 100) fail(`TRIBUTARY_POLLING_INTERVAL_MS must be at least 100, got ${pollingIntervalMs}`);
  const wsHeadTimeoutMs = intFromEnv("TRIBUTARY_WS_HEAD_TIMEOUT_MS", 3000);
  if (wsHeadTimeoutMs > 0 && wsHeadTimeoutMs < 500) {
    fail(`TRIBUTARY_WS_HEAD_TIMEOUT_MS must be 0 (off) or at least 500, got ${wsHeadTimeoutMs}`);
  }

  const databaseUrl = process.env.DATABASE_URL;
  const database: IndexerSettings["database"] = databaseUrl
    ? { kind: "postgres", connectionString: databaseUrl }
    : {
        kind: "pglite",
        directory: path.resolve(process.env.TRIBUTARY_PGLITE_DIR ?? path.join(here, ".ponder", "pglite")),
      };
  if (database.kind === "pglite") checkPgliteDirectory(database.directory);

  return {
    chainId,
    rpcUrl,
    wsUrl,
    wsHeadTimeoutMs,
    pollingIntervalMs,
    rpcCache: process.env.TRIBUTARY_RPC_CACHE ? process.env.TRIBUTARY_RPC_CACHE === "1" : chainId !== 31337,
    rpcLanes: Math.max(1, intFromEnv("TRIBUTARY_RPC_LANES", chainId === 31337 ? 8 : 1)),
    registry: contract("AuthorshipRegistry"),
    vault: contract("RoyaltyVault"),
    epochs: deployment.contracts.AttributionEpochs,
    database,
    pgliteMinFreeBytes: intFromEnv("TRIBUTARY_PGLITE_MIN_FREE_MB", 64) * 2 ** 20,
  };
}

/** Settings of the HTTP API, from the environment; every one has a default that suits a public deployment. */
export interface ApiSettings {
  /** Requests each client address may make per window; 0 turns the limit off. */
  rateLimit: number;
  rateWindowMs: number;
  /** Origins allowed by CORS; `*` allows any. */
  corsOrigins: string[];
  graphqlMaxDepth: number;
  graphqlMaxAliases: number;
  graphqlMaxTokens: number;
  /** How many REST answers the response cache keeps; 0 turns the cache off. */
  cacheEntries: number;
  /**
   * `/ready` answers 503 once the indexed head is more than this many blocks behind the node's latest block
   * (indexer/src/api/liveness.ts); 0 turns this limit off.
   */
  readyMaxLagBlocks: number;
  /** ... or once the node's latest block is more than this many seconds newer than the indexed head; 0: off. */
  readyMaxLagSeconds: number;
  /** GraphQL: the most rows a query may read, estimated from its page sizes (src/api/graphqlLimits.ts); 0: off. */
  graphqlMaxCost: number;
  /** SQL over HTTP (src/api/sql.ts): the highest estimated plan cost, in PostgreSQL's cost units; 0: off. */
  sqlMaxCost: number;
  /** The most rows a SQL answer may hold. */
  sqlMaxRows: number;
  /** The most bytes a SQL answer's JSON may take. */
  sqlMaxBytes: number;
  /** PostgreSQL only: how long one SQL-over-HTTP statement may run, in ms; 0: Ponder's 30 s. PGlite cannot stop one. */
  sqlTimeoutMs: number;
  /** How many live queries (`/sql/live`) may be open at once; 0 turns them off. */
  sqlMaxLiveQueries: number;
  /** How many of them one client (by its address) may hold. */
  sqlMaxLiveQueriesPerClient: number;
  /** The most claims (vault and epoch pools together) one earnings-history answer may sum; over it, a 400. */
  historyMaxClaims: number;
  /**
   * Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` names the client; empty: the connection's
   * address is the client, whatever the header says.
   */
  trustedProxies: string[];
}

/** Parses TRIBUTARY_API_TRUSTED_PROXIES: comma-separated IPv4 or IPv6 addresses or CIDR ranges. */
function trustedProxiesFromEnv(): string[] {
  const name = "TRIBUTARY_API_TRUSTED_PROXIES";
  const entries = (process.env[name] ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      fail(`${name} must list IP addresses or CIDR ranges like 10.0.0.1 or 10.0.0.0/8, got "${entry}"`);
    }
  }
  return entries;
}

export function loadApiSettings(): ApiSettings {
  const origins = (process.env.TRIBUTARY_API_CORS_ORIGINS ?? "*")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (origin !== "*" && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      fail(`TRIBUTARY_API_CORS_ORIGINS must list origins like https://example.org or *, got "${origin}"`);
    }
  }
  return {
    rateLimit: intFromEnv("TRIBUTARY_API_RATE_LIMIT", 1200),
    rateWindowMs: Math.max(1, intFromEnv("TRIBUTARY_API_RATE_WINDOW_MS", 60_000)),
    corsOrigins: origins.length ? origins : ["*"],
    graphqlMaxDepth: intFromEnv("TRIBUTARY_GRAPHQL_MAX_DEPTH", 8),
    graphqlMaxAliases: intFromEnv("TRIBUTARY_GRAPHQL_MAX_ALIASES", 20),
    graphqlMaxTokens: intFromEnv("TRIBUTARY_GRAPHQL_MAX_TOKENS", 2000),
    cacheEntries: intFromEnv("TRIBUTARY_API_CACHE_ENTRIES", 1000),
    readyMaxLagBlocks: intFromEnv("TRIBUTARY_READY_MAX_LAG_BLOCKS", 10),
    readyMaxLagSeconds: intFromEnv("TRIBUTARY_READY_MAX_LAG_SECONDS", 60),
    graphqlMaxCost: intFromEnv("TRIBUTARY_GRAPHQL_MAX_COST", 500),
    sqlMaxCost: intFromEnv("TRIBUTARY_SQL_MAX_COST", 2_000),
    sqlMaxRows: positiveIntFromEnv("TRIBUTARY_SQL_MAX_ROWS", 5_000),
    sqlMaxBytes: positiveIntFromEnv("TRIBUTARY_SQL_MAX_BYTES", 512 * 2 ** 10),
    sqlTimeoutMs: intFromEnv("TRIBUTARY_SQL_TIMEOUT_MS", 5_000),
    sqlMaxLiveQueries: intFromEnv("TRIBUTARY_SQL_MAX_LIVE_QUERIES", 100),
    sqlMaxLiveQueriesPerClient: positiveIntFromEnv("TRIBUTARY_SQL_MAX_LIVE_QUERIES_PER_CLIENT", 10),
    historyMaxClaims: positiveIntFromEnv("TRIBUTARY_API_HISTORY_MAX_CLAIMS", 200_000),
    trustedProxies: trustedProxiesFromEnv(),
  };
}

/** Settings of the leaf-file store (indexer/src/api/leaves/), from the environment. */
export interface LeafFileSettings {
  /** The database schema the stored leaf files live in, beside Ponder's (docs/architecture.md). */
  schema: string;
  /** The largest leaf file an upload, a file or a URL may be, in bytes. */
  maxBytes: number;
  /** Where an upload is written while it is received and checked (removed afterwards). */
  uploadDir: string;
  /** How many uploads may be received or checked at once, over all clients; beyond, 429. */
  maxConcurrentUploads: number;
  /**
   * Uploads up to this many bytes are checked and stored before the answer (201); larger ones are answered 202 once
   * received and checked in the background, their outcome at `GET /epochs/:poolId/:epochId/leaves/status`.
   */
  syncBytes: number;
  /** Leaf files the operator points the indexer at: paths or http(s) URLs, stored once their epoch is published. */
  sources: string[];
  /**
   * The levels of each tree stored whole and served from memory (2^levels - 1 nodes, 32 bytes each); a leaf's row
   * keeps its proof's siblings below them. Applies to files stored from then on; each file keeps its own.
   */
  topLevels: number;
  /** The tree tops kept in memory at once, in bytes, over all stored files. */
  topCacheBytes: number;
  /**
   * The slowest an upload's body may arrive, in bytes a second on average, checked from UPLOAD_GRACE_MS on; a slower
   * one is cut (408) and its slot freed. 0: no floor.
   */
  minUploadBytesPerSecond: number;
}

export function loadLeafFileSettings(): LeafFileSettings {
  const schema = process.env.TRIBUTARY_LEAF_SCHEMA ?? "tributary_leaves";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    fail(`TRIBUTARY_LEAF_SCHEMA must be a lower-case SQL name (letters, digits, _), got "${schema}"`);
  }
  const sources = (process.env.TRIBUTARY_LEAF_FILE_SOURCES ?? "")
    .split(",")
    .map((source) => source.trim())
    .filter(Boolean);
  for (const source of sources) {
    if (/^[a-z]+:\/\//i.test(source) && !/^https?:\/\//.test(source)) {
      fail(`TRIBUTARY_LEAF_FILE_SOURCES lists paths and http(s) URLs, got "${source}"`);
    }
  }
  const topLevels = positiveIntFromEnv("TRIBUTARY_LEAF_TOP_LEVELS", 17);
  if (topLevels > 20) fail(`TRIBUTARY_LEAF_TOP_LEVELS is at most 20 (32 MB a file in memory), got ${topLevels}`);
  return {
    schema,
    maxBytes: positiveIntFromEnv("TRIBUTARY_LEAF_FILE_MAX_MB", 256) * 2 ** 20,
    uploadDir: path.resolve(process.env.TRIBUTARY_LEAF_UPLOAD_DIR ?? path.join(here, ".ponder", "leaf-uploads")),
    maxConcurrentUploads: positiveIntFromEnv("TRIBUTARY_LEAF_MAX_UPLOADS", 4),
    syncBytes: intFromEnv("TRIBUTARY_LEAF_SYNC_KB", 1024) * 1024,
    sources: sources.map((source) => (/^https?:\/\//.test(source) ? source : path.resolve(source))),
    topLevels,
    topCacheBytes: positiveIntFromEnv("TRIBUTARY_LEAF_CACHE_MB", 64) * 2 ** 20,
    minUploadBytesPerSecond: intFromEnv("TRIBUTARY_LEAF_UPLOAD_MIN_KBPS", 16) * 1024,
  };
}
