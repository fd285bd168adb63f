// What every command shares: the global options, output (human text or --json), the connected network, the
// signing account, and a progress bar on a terminal.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

import type { Command } from "commander";
import { createPublicClient, http, type Account } from "viem";

import {
  ConfigError,
  connect,
  deploymentsFolder,
  KeyError,
  loadAccount,
  resolveConfig,
  TributaryApi,
  type ResolvedConfig,
  type RevealWaitOptions,
  type TributaryClient,
} from "../sdk/node.ts";

export interface GlobalOptions {
  json?: boolean;
  rpc?: string;
  api?: string;
  chainId?: string;
  deployments?: string;
  keystore?: string;
}

export function globals(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function config(command: Command): ResolvedConfig {
  const g = globals(command);
  return resolveConfig({ rpcUrl: g.rpc, apiUrl: g.api, chainId: g.chainId, deploymentsDir: g.deployments });
}

export async function network(command: Command, account?: Account): Promise<TributaryClient> {
  const { rpcUrl, chainId, deploymentsDir } = config(command);
  return connect({ rpcUrl, chainId, deployment: deploymentsFolder(deploymentsDir), account });
}

/**
 * The command group `name` (`pool`, `escrow`) under `program`, created with `description` by the first user's file
 * that adds a subcommand to it: a group's subcommands belong to different users (`pool create` to providers,
 * `pool show` to auditors) and live in each user's file.
 */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/** The root command of `command`: the program, where state of one run is kept. */
function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/** The API each run read, by its program: main() checks afterwards whether that API lags the node. */
const apiRead = new WeakMap<Command, { apiUrl: string; rpcUrl: string }>();

/** The indexer's API client; a command that uses it is followed by a warning when the API lags the node. */
export function api(command: Command): TributaryApi {
  const settings = config(command);
  const reader = new TributaryApi(settings.apiUrl);
  apiRead.set(rootOf(command), { apiUrl: reader.baseUrl, rpcUrl: settings.rpcUrl });
  return reader;
}

/**
 * How many blocks the node may be ahead of the API's indexed head before a command says that the API lags:
 * TRIBUTARY_API_LAG_WARNING_BLOCKS, default 5 (a minute of a 12-second chain; a few seconds of a local node).
 */
export function apiLagWarningBlocks(): bigint {
  const value = process.env.TRIBUTARY_API_LAG_WARNING_BLOCKS;
  if (value === undefined || value === "") return 5n;
  if (!/^\d{1,9}$/.test(value.trim())) {
    throw new ConfigError(
      `TRIBUTARY_API_LAG_WARNING_BLOCKS "${value}" is not a number of blocks`,
      "give a whole number such as 5, or unset it",
    );
  }
  return BigInt(value.trim());
}

const HEAD_TIMEOUT_MS = 10_000;

/** The API's indexed head and its own view of the node (GET /head); undefined when it does not answer. */
async function apiHead(apiUrl: string): Promise<{ indexed: bigint; node: bigint | undefined } | undefined> {
  try {
    const response = await fetch(`${apiUrl}/head`, { signal: AbortSignal.timeout(HEAD_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    const head = (await response.json()) as { indexed?: { blockNumber?: string }; node?: { blockNumber?: string } };
    if (head.indexed?.blockNumber === undefined) return undefined;
    return {
      indexed: BigInt(head.indexed.blockNumber),
      node: head.node?.blockNumber === undefined ? undefined : BigInt(head.node.blockNumber),
    };
  } catch {
    return undefined;
  }
}

/** The node's latest block number; undefined when the node does not answer. */
async function nodeHead(rpcUrl: string): Promise<bigint | undefined> {
  try {
    const reader = createPublicClient({ transport: http(rpcUrl, { timeout: HEAD_TIMEOUT_MS, retryCount: 0 }) });
    return await reader.getBlockNumber();
  } catch {
    return undefined;
  }
}

/**
 * After a command that read the indexer's API: says on stderr, in one line, when the API's indexed head is more
 * than apiLagWarningBlocks() behind the node's latest block (the CLI's node, or when that does not answer the
 * API's own view of it). Its answers are then as of that older block. Quiet when the API has no /head or nothing
 * answers; never changes stdout (--json stays JSON) nor the exit code.
 */
export async function warnIfApiLagged(program: Command): Promise<void> {
  const read = apiRead.get(program);
  if (!read) return;
  const threshold = apiLagWarningBlocks();
  const [head, latest] = await Promise.all([apiHead(read.apiUrl), nodeHead(read.rpcUrl)]);
  const node = latest ?? head?.node;
  if (head === undefined || node === undefined || node - head.indexed <= threshold) return;
  const behind = node - head.indexed;
  process.stderr.write(
    `warning: the API's indexed head is block ${head.indexed}, ${behind} blocks behind the node (block ${node}); its answers are as of block ${head.indexed}\n`,
  );
}

/**
 * Refuses a TRIBUTARY_PRIVATE_KEY written without its 0x: the CLI takes keys in one spelling only, the one wallets
 * export, so that a value pasted from somewhere else is not silently read as a key. Never repeats the value.
 */
export function checkPrivateKeyEnv(): void {
  const key = process.env.TRIBUTARY_PRIVATE_KEY?.trim();
  if (key && !key.startsWith("0x")) {
    throw new KeyError(
      "TRIBUTARY_PRIVATE_KEY does not start with 0x",
      "write the key as 0x followed by its 64 hexadecimal characters",
    );
  }
}

/** A client that can read; `signer: true` also loads the key (keystore or TRIBUTARY_PRIVATE_KEY). */
export async function client(command: Command, { signer }: { signer: boolean }): Promise<TributaryClient> {
  if (signer) checkPrivateKeyEnv();
  // The key is loaded (and the password asked) before the network is touched, so a wrong password fails fast.
  const account = signer ? await loadAccount({ keystore: globals(command).keystore, askPassword }) : undefined;
  return network(command, account);
}

/**
 * How a command waits between a commit and its reveal: for the chain's time to pass MIN_REVEAL_DELAY (saying so on
 * a terminal), or, with TRIBUTARY_FAST_FORWARD on the local Hardhat chain, by moving the node's clock.
 */
export function revealWait(command: Command): RevealWaitOptions {
  const quiet = globals(command).json || !process.stderr.isTTY;
  return {
    fastForward: config(command).fastForward,
    onWait: quiet
      ? undefined
      : ({ revealableAt, chainTime }) =>
          process.stderr.write(
            `committed; waiting ${revealableAt - chainTime} s of chain time until the reveal is allowed (${new Date(revealableAt * 1000).toISOString()})...\n`,
          ),
  };
}

/** Serializes for --json: bigints become decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Prints the result: `json` with --json, otherwise the human lines. */
export function output(command: Command, json: unknown, human: string | string[]): void {
  if (globals(command).json) process.stdout.write(`${toJson(json)}\n`);
  else process.stdout.write(`${Array.isArray(human) ? human.join("\n") : human}\n`);
}

const exitCodes = new WeakMap<Command, number>();

/**
 * Makes the process exit with `code` once the command has printed its result: a finding that scripts act on, such
 * as `solvency` reporting a vault that cannot pay what it owes. Errors do not use this: they throw.
 */
export function setExitCode(command: Command, code: number): void {
  exitCodes.set(rootOf(command), code);
}

/** The exit code a command asked for with setExitCode; 0 when none did. */
export function exitCode(program: Command): number {
  return exitCodes.get(program) ?? 0;
}

/** Reads a password from the terminal without echoing it; refuses when there is no terminal. */
export async function askPassword(file: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new KeyError(`no password for the keystore ${file}`, "set TRIBUTARY_KEYSTORE_PASSWORD or run in a terminal");
  }
  let muted = false;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(`password for ${file}: `, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** A byte-progress bar on stderr when it is a terminal and the output is not JSON; otherwise silent. */
export async function progressBar(command: Command, label: string) {
  if (globals(command).json || !process.stderr.isTTY) {
    return { start: (_total: number, _files?: number) => {}, increment: (_n: number) => {}, stop: () => {} };
  }
  const { default: cliProgress } = await import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value_mb}/{total_mb} MB | {files} files`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let files = 0;
  let value = 0;
  let total = 0;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return {
    start(totalBytes: number, fileCount = 0) {
      total = totalBytes;
      files = fileCount;
      bar.start(Math.max(totalBytes, 1), 0, { value_mb: mb(0), total_mb: mb(total), files });
    },
    increment(n: number) {
      value += n;
      bar.update(value, { value_mb: mb(value), total_mb: mb(total), files });
    },
    stop() {
      bar.stop();
    },
  };
}
