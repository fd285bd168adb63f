// Starts and stops the pieces of a local Tributary stack as real processes: a Hardhat node, the deployment, the
// Ponder indexer. Used by `npm start`, the end-to-end tests and the benchmark. Every wait is bounded.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Deployment } from "../../sdk/deployment.ts";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
const PONDER_CLI = path.join(ROOT, "node_modules", "ponder", "dist", "esm", "bin", "ponder.js");

/** Environment every child gets: no telemetry, and Node 22 from node_modules first on the PATH. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HARDHAT_DISABLE_TELEMETRY: "true",
    PONDER_TELEMETRY_DISABLED: "true",
    PATH: `${path.join(ROOT, "node_modules", ".bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    ...extra,
  };
}

/** A port on 127.0.0.1 that nothing listens on right now, chosen by the kernel. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("could not read the chosen port");
  return address.port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Thrown by a probe when waiting longer cannot help (the process waited on exited): {waitFor} stops at once. */
export class WaitAborted extends Error {}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or fails after `timeoutMs`; a
 * probe's {WaitAborted} fails it at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof WaitAborted) throw error;
      lastError = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
}

/** A child process with its output kept (last 200 lines) for error messages. */
export interface Managed {
  name: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

export function launch(
  name: string,
  args: string[],
  { env, echo = false, cwd = ROOT }: { env?: NodeJS.ProcessEnv; echo?: boolean; cwd?: string } = {},
): Managed {
  const child = spawn(process.execPath, args, {
    cwd,
    env: env ?? childEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    if (echo) process.stdout.write(text);
    lines.push(...text.split("\n"));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    output: () => lines.join("\n"),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sends one JSON-RPC request and returns its result. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export interface LocalNode extends Managed {
  url: string;
  port: number;
}

/**
 * Starts `hardhat node` on 127.0.0.1 (on `port`, or a free one) and waits until it answers.
 *
 * Besides mining each transaction at once, the node mines an empty block every `blockIntervalMs` (0: never), like
 * a real chain: time moves on for streams, and an indexer that follows new heads by subscription sees the chain's
 * latest block even when nobody transacts.
 */
export async function startNode({
  port,
  echo = false,
  blockIntervalMs = 1000,
}: { port?: number; echo?: boolean; blockIntervalMs?: number } = {}): Promise<LocalNode> {
  const chosen = port ?? (await freePort());
  const node = launch("hardhat node", [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(chosen)], {
    echo,
  });
  const url = `http://127.0.0.1:${chosen}`;
  try {
    await waitFor(
      `the Hardhat node at ${url}`,
      async () => {
        if (node.child.exitCode !== null) throw new WaitAborted(`the node exited:\n${node.output()}`);
        return rpc<string>(url, "eth_chainId");
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    if (blockIntervalMs > 0) await rpc(url, "evm_setIntervalMining", [blockIntervalMs]);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return { ...node, url, port: chosen };
}

/** The contents of deployments/<chainId>.json: the SDK's one type of it. */
export type { Deployment } from "../../sdk/deployment.ts";

/**
 * Builds the contracts without the Solidity tests, which a deployment never runs: on a fresh clone that takes ~12 s
 * where a build with the tests (what `hardhat run` does by itself) takes ~84 s, and a test that does not compile
 * cannot stop a deployment. Throws with the compiler's output when the contracts do not compile.
 */
export async function buildContracts(): Promise<void> {
  const build = launch("build", [HARDHAT_CLI, "build", "--no-tests", "--quiet"]);
  const [built] = (await once(build.child, "exit")) as [number | null];
  if (built !== 0) throw new Error(`the contracts did not compile (exit ${built}):\n${build.output()}`);
}

/**
 * Runs the deploy script against the node at `rpcUrl`, writing `<deploymentsDir>/<chainId>.json`, without compiling
 * inside it. The contracts are built first ({@link buildContracts}) unless `built` says the caller already did.
 */
export async function deploy(
  rpcUrl: string,
  deploymentsDir: string,
  chainId = 31337,
  { built = false }: { built?: boolean } = {},
): Promise<Deployment> {
  if (!built) await buildContracts();
  const run = launch("deploy", [HARDHAT_CLI, "run", "--no-compile", "--network", "localhost", "scripts/deploy.ts"], {
    env: childEnv({ TRIBUTARY_RPC_URL: rpcUrl, TRIBUTARY_DEPLOYMENTS_DIR: deploymentsDir }),
  });
  const [code] = (await once(run.child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`deploy failed (exit ${code}):\n${run.output()}`);
  return JSON.parse(await readFile(path.join(deploymentsDir, `${chainId}.json`), "utf8")) as Deployment;
}

export interface IndexerOptions {
  rpcUrl: string;
  deploymentsDir: string;
  port?: number;
  /** PostgreSQL connection string; without it the indexer uses a PGlite directory. */
  databaseUrl?: string;
  pgliteDir?: string;
  schema?: string;
  /** With PostgreSQL: the schema where `ponder start` publishes a view of every table (`--views-schema`). */
  viewsSchema?: string;
  echo?: boolean;
  extraEnv?: Record<string, string>;
}

export interface Indexer extends Managed {
  url: string;
  port: number;
  pgliteDir: string | undefined;
}

/** The environment `ponder start` and `ponder serve` get for these options. */
function indexerEnv(options: IndexerOptions, pgliteDir: string | undefined): NodeJS.ProcessEnv {
  const env = childEnv({
    TRIBUTARY_RPC_URL: options.rpcUrl,
    // Hardhat's node serves WebSocket on the same port: new blocks arrive by subscription instead of polling.
    TRIBUTARY_WS_URL: options.rpcUrl.replace(/^http/, "ws"),
    TRIBUTARY_DEPLOYMENTS_DIR: options.deploymentsDir,
    DATABASE_URL: options.databaseUrl,
    TRIBUTARY_PGLITE_DIR: pgliteDir,
    ...options.extraEnv,
  });
  if (!options.databaseUrl) delete env.DATABASE_URL;
  return env;
}

/** Waits until the Ponder process `managed` answers 200 on `/ready` at `url`; stops it and throws otherwise. */
export async function waitReady(managed: Managed, url: string, timeoutMs = 120_000): Promise<void> {
  try {
    await waitFor(
      `${managed.name}'s /ready at ${url}`,
      async () => {
        if (managed.child.exitCode !== null || managed.child.signalCode !== null)
          throw new WaitAborted(`${managed.name} exited before it was ready`);
        const response = await fetch(`${url}/ready`);
        return response.status === 200 ? true : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await managed.stop();
    throw new Error(`${(error as Error).message}\n--- ${managed.name} output ---\n${managed.output()}`, {
      cause: error,
    });
  }
}

/**
 * Spawns `ponder start` for the indexer in `indexer/` and returns at once, before its backfill is done (for tests
 * that interrupt it); `startIndexer` also waits for `/ready`.
 */
export async function launchIndexer(options: IndexerOptions): Promise<Indexer> {
  const port = options.port ?? (await freePort());
  const pgliteDir = options.databaseUrl
    ? undefined
    : (options.pgliteDir ?? (await mkdtemp(path.join(tmpdir(), "tributary-pglite-"))));
  const schema = options.schema ?? "tributary";
  const views = options.viewsSchema ? ["--views-schema", options.viewsSchema] : [];
  const indexer = launch(
    "ponder",
    [PONDER_CLI, "--log-format", "json", "start", "--schema", schema, ...views, "-p", String(port), "-H", "127.0.0.1"],
    { env: indexerEnv(options, pgliteDir), echo: options.echo, cwd: path.join(ROOT, "indexer") },
  );
  return { ...indexer, url: `http://127.0.0.1:${port}`, port, pgliteDir };
}

/** Starts `ponder start` for the indexer in `indexer/`, then waits until its API answers `/ready`. */
export async function startIndexer(options: IndexerOptions): Promise<Indexer> {
  const indexer = await launchIndexer(options);
  await waitReady(indexer, indexer.url);
  return indexer;
}

export interface ServeOptions {
  rpcUrl: string;
  deploymentsDir: string;
  /** PostgreSQL only: `ponder serve` does not support PGlite. */
  databaseUrl: string;
  /** The schema to serve: the indexer's own schema, or its views schema. */
  schema: string;
  port?: number;
  echo?: boolean;
  extraEnv?: Record<string, string>;
}

/**
 * Starts `ponder serve`: the indexer's HTTP API (REST, GraphQL, SQL) over a schema that a `ponder start` elsewhere
 * writes, without indexing anything itself. Pointed at a read-only replica of the database, it scales reads out.
 */
export async function serveIndexer(options: ServeOptions): Promise<Indexer> {
  const port = options.port ?? (await freePort());
  const server = launch(
    "ponder serve",
    [PONDER_CLI, "--log-format", "json", "serve", "--schema", options.schema, "-p", String(port), "-H", "127.0.0.1"],
    { env: indexerEnv(options, undefined), echo: options.echo, cwd: path.join(ROOT, "indexer") },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(server, url);
  return { ...server, url, port, pgliteDir: undefined };
}

/** Stops a child at once with SIGKILL (no chance to clean up, like a crash or an OOM kill) and waits for its exit. */
export async function killHard(managed: Managed): Promise<void> {
  const { child } = managed;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

/** An entry of a Ponder process's JSON log (`--log-format json`), with the fields the tests and benchmarks read. */
export interface PonderLogEntry {
  msg?: string;
  duration?: number;
  event_count?: number;
  /** The block of a "Finalized block" entry. */
  number?: number;
}

/** Calls `onEntry` with each JSON entry of a Ponder process's log as it is written. */
export function onLogEntry(managed: Managed, onEntry: (entry: PonderLogEntry) => void): void {
  let pending = "";
  managed.child.stdout?.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.startsWith("{")) onEntry(JSON.parse(line) as PonderLogEntry);
  });
}

/** A TCP proxy on 127.0.0.1 in front of `target`, that a test can take down and bring back on the same port. */
export interface TcpProxy {
  port: number;
  url: string;
  /** Destroys every open connection and stops listening: the target looks gone. */
  down: () => Promise<void>;
  /** Listens again on the same port. */
  up: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startTcpProxy(target: { host?: string; port: number }, port?: number): Promise<TcpProxy> {
  const chosen = port ?? (await freePort());
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  let server: Server | undefined;
  const up = async () => {
    if (server) return;
    const next = createServer((client) => {
      const upstream = connect(target.port, target.host ?? "127.0.0.1");
      track(client);
      track(upstream);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    next.listen(chosen, "127.0.0.1");
    await once(next, "listening");
    server = next;
  };
  const down = async () => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await up();
  return { port: chosen, url: `http://127.0.0.1:${chosen}`, up, down, close: down };
}

/** Waits until the indexer has indexed `blockNumber` (`/ready` only means the backfill is done). */
export async function waitForIndexedBlock(apiUrl: string, blockNumber: bigint | number, timeoutMs = 60_000) {
  const target = BigInt(blockNumber);
  await waitFor(
    `block ${target} to be indexed at ${apiUrl}`,
    async () => {
      const status = (await (await fetch(`${apiUrl}/status`)).json()) as Record<string, { block?: { number: number } }>;
      const numbers = Object.values(status).map((chain) => BigInt(chain.block?.number ?? -1));
      return numbers.length > 0 && numbers.every((n) => n >= target) ? true : undefined;
    },
    { timeoutMs, intervalMs: 25 },
  );
}

/**
 * A WebSocket proxy on 127.0.0.1 in front of a node's JSON-RPC WebSocket, for tests of a head subscription that dies.
 * It passes frames through unchanged (it refuses compression, so it can read them) and follows the subscriptions
 * opened through it; on command it stops forwarding their notifications while the socket stays open, as Hardhat's
 * node does with a `newHeads` subscription after about five minutes.
 */
export interface WsProxy {
  port: number;
  url: string;
  /** Drops from now on every notification of the subscriptions open now; later subscriptions work. */
  killSubscriptions: () => void;
  /** Drops every notification, of the subscriptions open now and of every later one, until `forwardAll`. */
  dropAll: () => void;
  forwardAll: () => void;
  /** Closes every open connection (the client sees the node's socket close). */
  disconnect: () => void;
  /** Subscriptions opened through the proxy, and notifications forwarded and dropped. */
  stats: () => { subscriptions: number; forwarded: number; dropped: number; connections: number };
  close: () => Promise<void>;
}

interface WsFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  raw: Buffer;
}

/** Splits whole WebSocket frames off the front of `buffer` (masked or not); returns them and what is left. */
function takeFrames(buffer: Buffer): { frames: WsFrame[]; rest: Buffer } {
  const frames: WsFrame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset]!;
    const second = buffer[offset + 1]!;
    let length = second & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    const masked = (second & 0x80) !== 0;
    const total = header + (masked ? 4 : 0) + length;
    if (buffer.length - offset < total) break;
    const raw = buffer.subarray(offset, offset + total);
    const payload = Buffer.from(raw.subarray(total - length));
    if (masked) {
      const mask = raw.subarray(header, header + 4);
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
    }
    frames.push({ fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, raw });
    offset += total;
  }
  return { frames, rest: buffer.subarray(offset) };
}

const TEXT_FRAME = 1;

function jsonOf(frame: WsFrame): Record<string, unknown> | undefined {
  if (frame.opcode !== TEXT_FRAME || !frame.fin) return undefined;
  try {
    const value = JSON.parse(frame.payload.toString("utf8")) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export async function startWsProxy(target: { host?: string; port: number }): Promise<WsProxy> {
  const port = await freePort();
  const counts = { subscriptions: 0, forwarded: 0, dropped: 0 };
  let dropping = false;
  interface Connection {
    client: Socket;
    upstream: Socket;
    /** Request ids of eth_subscribe calls waiting for their answer. */
    subscribing: Set<unknown>;
    open: Set<string>;
    dead: Set<string>;
  }
  const connections = new Set<Connection>();

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host ?? "127.0.0.1");
    const connection: Connection = { client, upstream, subscribing: new Set(), open: new Set(), dead: new Set() };
    connections.add(connection);
    const end = () => {
      connections.delete(connection);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);

    // Client to node: the HTTP upgrade request without its extension offers, then frames, forwarded as they are.
    let request: Buffer | undefined = Buffer.alloc(0);
    let fromClient = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      if (request !== undefined) {
        request = Buffer.concat([request, chunk]);
        const endOfHeaders = request.indexOf("\r\n\r\n");
        if (endOfHeaders === -1) return;
        const headers = request
          .subarray(0, endOfHeaders)
          .toString("latin1")
          .split("\r\n")
          .filter((line) => !/^sec-websocket-extensions:/i.test(line))
          .join("\r\n");
        upstream.write(Buffer.concat([Buffer.from(`${headers}\r\n\r\n`, "latin1")]));
        chunk = request.subarray(endOfHeaders + 4);
        request = undefined;
      }
      upstream.write(chunk);
      fromClient = Buffer.concat([fromClient, chunk]);
      const { frames, rest } = takeFrames(fromClient);
      fromClient = Buffer.from(rest);
      for (const frame of frames) {
        const message = jsonOf(frame);
        if (message?.method === "eth_subscribe") connection.subscribing.add(message.id);
      }
    });

    // Node to client: the HTTP answer as it is, then frame by frame, leaving out the notifications to drop.
    let answer: Buffer | undefined = Buffer.alloc(0);
    let fromNode = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      if (answer !== undefined) {
        answer = Buffer.concat([answer, chunk]);
        const endOfHeaders = answer.indexOf("\r\n\r\n");
        if (endOfHeaders === -1) return;
        client.write(answer.subarray(0, endOfHeaders + 4));
        chunk = answer.subarray(endOfHeaders + 4);
        answer = undefined;
      }
      fromNode = Buffer.concat([fromNode, chunk]);
      const { frames, rest } = takeFrames(fromNode);
      fromNode = Buffer.from(rest);
      for (const frame of frames) {
        const message = jsonOf(frame);
        if (message !== undefined && connection.subscribing.delete(message.id) && typeof message.result === "string") {
          connection.open.add(message.result);
          counts.subscriptions++;
        }
        if (message?.method === "eth_subscription") {
          const subscription = (message.params as { subscription?: string } | undefined)?.subscription ?? "";
          if (dropping || connection.dead.has(subscription)) {
            counts.dropped++;
            continue;
          }
          counts.forwarded++;
        }
        client.write(frame.raw);
      }
    });
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");

  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    killSubscriptions() {
      for (const connection of connections) for (const id of connection.open) connection.dead.add(id);
    },
    dropAll() {
      dropping = true;
    },
    forwardAll() {
      dropping = false;
    },
    disconnect() {
      for (const connection of connections) {
        connection.client.destroy();
        connection.upstream.destroy();
      }
      connections.clear();
    },
    stats: () => ({ ...counts, connections: connections.size }),
    async close() {
      for (const connection of connections) {
        connection.client.destroy();
        connection.upstream.destroy();
      }
      connections.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
