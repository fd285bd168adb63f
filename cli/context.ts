// What every command shares: the global options, output (human text or --json), the connected network, the
// signing account, and a progress bar on a terminal.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

import type { Command } from "commander";

import {
  connect,
  createTributaryClient,
  KeyError,
  loadAccount,
  resolveConfig,
  TributaryApi,
  type Network,
  type ResolvedConfig,
  type RevealWaitOptions,
  type TributaryClient,
} from "../sdk/index.ts";

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

export async function network(command: Command): Promise<Network> {
  return connect(config(command));
}

/**
 * The command group `name` (`pool`, `escrow`) under `program`, created with `description` by the first user's file
 * that adds a subcommand to it: a group's subcommands belong to different users (`pool create` to providers,
 * `pool show` to auditors) and live in each user's file.
 */
export function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function api(command: Command): TributaryApi {
  return new TributaryApi(config(command).apiUrl);
}

/** How many blocks the node may be ahead of the API's indexed head before a command says that the API lags. */
export const API_LAG_WARNING_BLOCKS = 2n;

/**
 * Says on stderr, in one line, when the API's answer (as of its indexed head, block `atBlock`) is more than
 * API_LAG_WARNING_BLOCKS behind the node's latest block. Quiet when the node does not answer: the node is optional
 * for reading the indexer. Never changes the exit code.
 */
export async function warnIfApiLags(command: Command, atBlock: bigint | string): Promise<void> {
  let latest: bigint;
  try {
    latest = await (await network(command)).publicClient.getBlockNumber();
  } catch {
    return;
  }
  const indexed = BigInt(atBlock);
  if (latest - indexed <= API_LAG_WARNING_BLOCKS) return;
  process.stderr.write(
    `warning: the API's indexed head is block ${indexed}, ${latest - indexed} blocks behind the node (block ${latest}); this answer is as of block ${indexed}\n`,
  );
}

/** A client that can read; `signer: true` also loads the key (keystore or TRIBUTARY_PRIVATE_KEY). */
export async function client(command: Command, { signer }: { signer: boolean }): Promise<TributaryClient> {
  // The key is loaded (and the password asked) before the network is touched, so a wrong password fails fast.
  const account = signer ? await loadAccount({ keystore: globals(command).keystore, askPassword }) : undefined;
  return createTributaryClient(await network(command), account);
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
  let root = command;
  while (root.parent) root = root.parent;
  exitCodes.set(root, code);
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
