// The open challenger's epoch commands: `epoch verify` checks one published epoch against its manifest, its leaf
// file, the previous epoch's and the registry's consent at the snapshot block (and, with the usage log, runs the
// method again); `epoch watch` follows new publications, verifies each, and with `--veto` vetoes a failing one inside
// its challenge window as the pool's challenger.
import path from "node:path";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";

import type { Command } from "commander";
import { bytesToHex, type Address, type Hex } from "viem";
import { getBlock, getBlockNumber, readContract } from "viem/actions";

import { attributionEpochsAbi } from "../../abis/AttributionEpochs.ts";
import {
  ConfigError,
  ContractRevertError,
  InvalidInputError,
  KeyError,
  oneLine,
  parsePoolId,
  toTributaryError,
  vetoEpoch,
  type TributaryClient,
} from "../../sdk/node.ts";
import {
  MAX_UINT32,
  readPublishedEpochs,
  readRevokedConsent,
  verifyEpoch,
  type AttributionInput,
  type EpochFinding,
  type PublishedEpoch,
  type VerifyEpochReturnType,
} from "../../sdk/epochs/index.ts";
import { fileChunks, methodSourceBytes, readAttributionFile } from "../../sdk/epochs/files.ts";
import { Keccak256Stream } from "../../sdk/epochs/keccak.ts";
import { isUnavailable, leafFileChunks, MAX_LEAF_FILE_BYTES } from "../../sdk/epochs/sources.ts";
import { client, globals, network, output, setExitCode, toJson } from "../context.ts";

/** Exit code of `epoch verify` when a check fails (as `solvency` for a vault that cannot pay). */
const FAILED_EXIT_CODE = 3;
const STATUSES = ["none", "pending", "payable", "superseded", "vetoed"] as const;
/** The most characters of findings a veto's reason carries on-chain. */
const MAX_REASON = 1_000;

function parseEpoch(value: string): number {
  const text = value.trim();
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > MAX_UINT32) {
    throw new InvalidInputError("epoch", `epoch "${value}" is not an epoch`, "epochs count from 1 per pool");
  }
  return Number(text);
}

function parseSeconds(value: string, parameter: string, min: number, max: number): number {
  const seconds = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < min || seconds > max) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${value}" is not from ${min} to ${max} seconds`,
      "give seconds",
    );
  }
  return seconds;
}

function parseBytes(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value.trim())) {
    throw new InvalidInputError("--max-bytes", `--max-bytes "${value}" is not a number of bytes`, "give one");
  }
  return Number(value.trim());
}

/** The network with the AttributionEpochs contract of its deployment. */
interface EpochsNetwork {
  net: TributaryClient;
  contract: Address;
  startBlock: bigint;
}

function epochsOf(net: TributaryClient): EpochsNetwork {
  const deployed = net.deployment.contracts.AttributionEpochs;
  if (deployed === undefined) {
    throw new ConfigError(
      `the deployment of chain ${net.chainId} has no AttributionEpochs`,
      "redeploy (`npm run deploy`) so that the deployment lists it",
      { parameter: "deployment" },
    );
  }
  return { net, contract: deployed.address, startBlock: BigInt(deployed.startBlock) };
}

async function read<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toTributaryError(error);
  }
}

async function poolCount({ net, contract }: EpochsNetwork): Promise<bigint> {
  return read(() =>
    readContract(net.publicClient, { address: contract, abi: attributionEpochsAbi, functionName: "poolCount" }),
  );
}

async function epochStatus({ net, contract }: EpochsNetwork, poolId: bigint, epochId: number) {
  const [, , status] = await read(() =>
    readContract(net.publicClient, {
      address: contract,
      abi: attributionEpochsAbi,
      functionName: "epochOf",
      args: [poolId, epochId],
    }),
  );
  return STATUSES[status] ?? "none";
}

async function challengerOf({ net, contract }: EpochsNetwork, poolId: bigint): Promise<Address> {
  const pool = await read(() =>
    readContract(net.publicClient, {
      address: contract,
      abi: attributionEpochsAbi,
      functionName: "getPool",
      args: [poolId],
    }),
  );
  return pool.challenger;
}

/** One epoch's EpochPublished event; an InvalidInputError naming what exists when there is none. */
async function findPublication(epochs: EpochsNetwork, poolId: bigint, epochId: number): Promise<PublishedEpoch> {
  const latest = await read(() => getBlockNumber(epochs.net.publicClient, { cacheTime: 0 }));
  const [found] = await readPublishedEpochs({
    publicClient: epochs.net.publicClient,
    contract: epochs.contract,
    fromBlock: epochs.startBlock,
    toBlock: latest,
    poolId,
    epochId,
  });
  if (found !== undefined) return found;
  const count = await poolCount(epochs);
  if (poolId > count) {
    throw new InvalidInputError(
      "pool",
      `there is no epoch pool ${poolId} (${count} pools on chain ${epochs.net.chainId})`,
      "check the pool id",
    );
  }
  throw new InvalidInputError("epoch", `pool ${poolId} has no epoch ${epochId}`, "check the epoch number");
}

interface Sources {
  /** The epoch's leaf file; default the manifest's leafFileUri. */
  leaves?: string;
  /** The previous epoch's; default its manifest's leafFileUri. */
  previousLeaves?: string;
  /** The usage log (or scores file) the epoch was built from. */
  usage?: string;
  maxBytes: number;
}

/**
 * Verifies a published epoch. Consent is read with eth_call at the snapshot block (readRevokedConsent), not folded
 * from the registry's events up to it: the builder reads it that way, so both sides ask the contract's own views and
 * agree by construction, where a fold of events would be a second copy of the registry's rules (supersession,
 * materialization, transfers, signed consent) that could drift from them. The cost: the node must serve state at the
 * snapshot block (an archive node, or a block within the node's recent state; Hardhat and Anvil keep all of it); a
 * node that cannot answers with an error, which fails the command instead of passing the check.
 */
async function verifyPublication(
  epochs: EpochsNetwork,
  published: PublishedEpoch,
  sources: Sources,
): Promise<VerifyEpochReturnType> {
  const { net, contract } = epochs;
  const { manifest, poolId, epochId } = published;
  const open = (location: string) => ({
    chunks: leafFileChunks(location, { maxBytes: sources.maxBytes }),
    source: location,
  });
  let previous;
  if (manifest.previousEpoch !== 0) {
    const before = await findPublication(epochs, poolId, manifest.previousEpoch);
    previous = {
      manifest: before.manifest,
      leaves: open(sources.previousLeaves ?? before.manifest.leafFileUri),
    };
  }
  const usage = sources.usage;
  return verifyEpoch({
    domain: { chainId: net.chainId, contract, poolId },
    epochId,
    manifest,
    leaves: open(sources.leaves ?? manifest.leafFileUri),
    previous,
    revokedAt: (contributionIds: readonly Hex[]) =>
      readRevokedConsent({
        publicClient: net.publicClient,
        registry: net.registry,
        contributionIds,
        blockNumber: manifest.snapshotBlock,
      }),
    usage:
      usage === undefined
        ? undefined
        : {
            read: (input: AttributionInput) => readAttributionFile({ file: usage, input }),
            methodSource: await methodSourceBytes(),
          },
  });
}

/** keccak256 of a file's exact bytes, read as a stream. */
async function fileHash(file: string): Promise<Hex> {
  const hasher = new Keccak256Stream();
  for await (const chunk of fileChunks(file)) hasher.update(chunk);
  return bytesToHex(hasher.digest());
}

/**
 * The leaf file of a publication in `folder`: named as its manifest's leafFileUri ends (as `epoch build --out` wrote
 * it), or by its leafFileHash (with or without an extension). Only a file whose bytes hash to the published
 * leafFileHash is taken, so a stale or foreign file of that name is passed over (the URI is read instead) and can
 * never cause a veto. Undefined when none matches.
 */
export async function localLeafFile(folder: string, manifest: PublishedEpoch["manifest"]): Promise<string | undefined> {
  const wanted = manifest.leafFileHash.toLowerCase();
  const uriName = manifest.leafFileUri.split(/[/\\]/).at(-1)?.split(/[?#]/)[0] ?? "";
  const names = (await readdir(folder)).filter(
    (name) => name === uriName || name.toLowerCase() === wanted || name.toLowerCase().startsWith(`${wanted}.`),
  );
  for (const name of names) {
    const file = path.join(folder, name);
    try {
      if ((await fileHash(file)).toLowerCase() === wanted) return file;
    } catch {
      // An unreadable entry (a folder, a file without permission) is no candidate.
    }
  }
  return undefined;
}

const findingLine = (f: EpochFinding) => `  ${f.status.padEnd(4)}  ${f.check.padEnd(12)}  ${f.reason}`;

function tally(findings: readonly EpochFinding[]): string {
  const n = (status: EpochFinding["status"]) => findings.filter((f) => f.status === status).length;
  return `${n("fail")} failed, ${n("pass")} passed, ${n("skip")} skipped`;
}

/** The veto's reason: the failing findings, one sentence each, within MAX_REASON characters. */
export function vetoReason(findings: readonly EpochFinding[]): string {
  const text = findings
    .filter((f) => f.status === "fail")
    .map((f) => `${f.check}: ${f.reason}`)
    .join("; ");
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}

interface VerifyOptions {
  usage?: string;
  leaves?: string;
  previousLeaves?: string;
  maxBytes?: string;
}

interface WatchOptions {
  veto?: boolean;
  pool: string[];
  usageDir?: string;
  leavesDir?: string;
  interval: string;
  margin: string;
  maxBytes?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function epochAuditCommands(epoch: Command): void {
  epoch
    .command("verify")
    .description("check a published epoch: leaf file, total, previous epoch, consent, and the method with --usage")
    .argument("<pool>", "the epoch pool's id")
    .argument("<epoch>", "the epoch's number in the pool")
    .option("--usage <log>", "the usage log (or scores file) the epoch was built from: runs usage-share-v1 again")
    .option("--leaves <file>", "the epoch's leaf file (default: the manifest's leafFileUri, file: or http(s):)")
    .option("--previous-leaves <file>", "the previous epoch's leaf file (default: its manifest's leafFileUri)")
    .option("--max-bytes <n>", "the largest leaf file read, in bytes", String(MAX_LEAF_FILE_BYTES))
    .action(async (poolText: string, epochText: string, options: VerifyOptions, command: Command) => {
      const poolId = parsePoolId(poolText, "pool");
      const epochId = parseEpoch(epochText);
      const maxBytes = parseBytes(options.maxBytes ?? String(MAX_LEAF_FILE_BYTES));
      for (const [flag, file] of [
        ["--usage", options.usage],
        ["--leaves", options.leaves],
        ["--previous-leaves", options.previousLeaves],
      ] as const) {
        if (file !== undefined && !existsSync(file)) {
          throw new InvalidInputError(flag, `no such file: ${file}`, `check the ${flag} path`);
        }
      }
      const epochs = epochsOf(await network(command));
      const published = await findPublication(epochs, poolId, epochId);
      const status = await epochStatus(epochs, poolId, epochId);
      const result = await verifyPublication(epochs, published, {
        leaves: options.leaves,
        previousLeaves: options.previousLeaves,
        usage: options.usage,
        maxBytes,
      });
      if (!result.ok) setExitCode(command, FAILED_EXIT_CODE);
      const when = new Date(published.acceptableAt * 1000).toISOString();
      output(
        command,
        {
          poolId,
          epochId,
          status,
          acceptableAt: published.acceptableAt,
          manifest: published.manifest,
          ok: result.ok,
          findings: result.findings,
        },
        [
          `epoch ${epochId} of pool ${poolId} (${status}; ${status === "pending" ? "pays" : "window ends"} at ${when}), published in block ${published.blockNumber}`,
          ...result.findings.map(findingLine),
          `${tally(result.findings)}: ${result.ok ? "the epoch is what its manifest says" : "the epoch is wrong"}`,
        ],
      );
    });

  epoch
    .command("watch")
    .description("follow new epochs, verify each, and with --veto veto a failing one in its window (challenger)")
    .option("--veto", "veto each failing epoch, as the pool's challenger (the configured key)")
    .option("--pool <id>", "watch this pool (repeatable; default: every pool)", collect, [])
    .option("--usage-dir <folder>", "usage logs named <usageLogHash>.jsonl: with one, the method is run again")
    .option(
      "--leaves-dir <folder>",
      "leaf files named as the manifest's leafFileUri ends or by their leafFileHash: read before the URI, when their hash is the published one",
    )
    .option("--interval <seconds>", "how often to ask the node for new epochs", "2")
    .option(
      "--margin <seconds>",
      "veto an epoch whose leaf file stays unavailable this long before its window ends",
      "600",
    )
    .option("--max-bytes <n>", "the largest leaf file read, in bytes", String(MAX_LEAF_FILE_BYTES))
    .action(async (options: WatchOptions, command: Command) => {
      const pools = options.pool.map((p) => parsePoolId(p, "--pool"));
      const intervalMs = parseSeconds(options.interval, "--interval", 0.05, 60) * 1000;
      const margin = parseSeconds(options.margin, "--margin", 0, 30 * 86_400);
      const maxBytes = parseBytes(options.maxBytes ?? String(MAX_LEAF_FILE_BYTES));
      for (const [flag, folder] of [
        ["--usage-dir", options.usageDir],
        ["--leaves-dir", options.leavesDir],
      ] as const) {
        if (folder !== undefined && !existsSync(folder)) {
          throw new InvalidInputError(flag, `no such folder: ${folder}`, "check the path");
        }
      }
      const epochs = epochsOf(await client(command, { signer: options.veto === true }));
      const account = epochs.net.account?.address;
      const count = await poolCount(epochs);
      for (const poolId of pools) {
        if (poolId > count) {
          throw new InvalidInputError("--pool", `there is no epoch pool ${poolId} (${count} pools)`, "check the id");
        }
      }
      if (account !== undefined) {
        const named = pools.length > 0 ? pools : Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
        const challengers = await Promise.all(named.map((poolId) => challengerOf(epochs, poolId)));
        const not = named.filter((_, i) => challengers[i]!.toLowerCase() !== account.toLowerCase());
        if (pools.length > 0 ? not.length > 0 : not.length === named.length) {
          const which =
            pools.length > 0
              ? `pool ${not[0]}'s challenger (${challengers[named.indexOf(not[0]!)]})`
              : "the challenger of any epoch pool";
          throw new KeyError(
            `the key ${account} is not ${which}: it cannot veto`,
            "run with the challenger's key, or without --veto to report only",
          );
        }
      }
      await watch(command, epochs, {
        pools,
        intervalMs,
        margin,
        maxBytes,
        usageDir: options.usageDir,
        leavesDir: options.leavesDir,
        veto: account,
      });
    });
}

interface WatchSettings {
  pools: readonly bigint[];
  intervalMs: number;
  margin: number;
  maxBytes: number;
  usageDir: string | undefined;
  /** A folder of leaf files read before a manifest's URI (localLeafFile). */
  leavesDir: string | undefined;
  /** The challenger's address with --veto. */
  veto: Address | undefined;
}

/** Follows EpochPublished events until SIGINT or SIGTERM; one line per decision, on stdout. */
async function watch(command: Command, epochs: EpochsNetwork, settings: WatchSettings): Promise<void> {
  const { net, contract } = epochs;
  const json = globals(command).json === true;
  const log = (fields: Record<string, unknown>, text: string) => {
    const at = new Date().toISOString();
    process.stdout.write(json ? `${toJson({ at, ...fields }).replace(/\n\s*/g, " ")}\n` : `${at} ${text}\n`);
  };

  let stopping = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  // Replay-safe: an epoch is decided once, however often its event is read again (a re-read range, a restart).
  const decided = new Set<string>();
  const waiting = new Map<string, { epoch: PublishedEpoch; said: string }>();
  const watched = (poolId: bigint) => settings.pools.length === 0 || settings.pools.includes(poolId);
  let cursor = epochs.startBlock;
  let outage: string | undefined;
  let backoff = settings.intervalMs;
  log(
    { event: "started", contract, pools: settings.pools, veto: settings.veto !== undefined },
    `watching ${settings.pools.length === 0 ? "every epoch pool" : `pools ${settings.pools.join(", ")}`} of ${contract} on chain ${net.chainId} from block ${cursor}${settings.veto ? `, vetoing as ${settings.veto}` : ", reporting only"}`,
  );

  const decide = async (epoch: PublishedEpoch) => {
    const key = `${epoch.poolId}:${epoch.epochId}`;
    const name = `pool ${epoch.poolId} epoch ${epoch.epochId}`;
    const fields = { poolId: epoch.poolId, epochId: epoch.epochId };
    const status = await epochStatus(epochs, epoch.poolId, epoch.epochId);
    if (status !== "pending") {
      decided.add(key);
      waiting.delete(key);
      log({ ...fields, decision: "not-pending", status }, `${name}: ${status}, nothing to decide`);
      return;
    }
    const usageFile =
      settings.usageDir === undefined
        ? undefined
        : path.join(settings.usageDir, `${epoch.manifest.usageLogHash}.jsonl`);
    let result: VerifyEpochReturnType;
    try {
      const local = async (published: PublishedEpoch["manifest"]) =>
        settings.leavesDir === undefined ? undefined : localLeafFile(settings.leavesDir, published);
      const previous =
        epoch.manifest.previousEpoch === 0
          ? undefined
          : await findPublication(epochs, epoch.poolId, epoch.manifest.previousEpoch);
      result = await verifyPublication(epochs, epoch, {
        usage: usageFile !== undefined && existsSync(usageFile) ? usageFile : undefined,
        leaves: await local(epoch.manifest),
        previousLeaves: previous === undefined ? undefined : await local(previous.manifest),
        maxBytes: settings.maxBytes,
      });
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      // The leaf file cannot be had now: tried again at each poll; vetoed when it is still missing near the end.
      const problem = oneLine(toTributaryError(error).shortMessage);
      const now = Number((await read(() => getBlock(net.publicClient))).timestamp);
      if (now < epoch.acceptableAt - settings.margin) {
        const seen = waiting.get(key);
        if (seen?.said !== problem) {
          log({ ...fields, decision: "retry", problem }, `${name}: ${problem}; trying again until the margin`);
        }
        waiting.set(key, { epoch, said: problem });
        return;
      }
      result = {
        ok: false,
        header: undefined,
        findings: [{ check: "leaf-file", status: "fail", reason: `unavailable near the window's end: ${problem}` }],
      };
    }
    waiting.delete(key);
    if (result.ok) {
      decided.add(key);
      log(
        { ...fields, decision: "correct", findings: result.findings },
        `${name}: correct (${tally(result.findings)}), left alone`,
      );
      return;
    }
    const reason = vetoReason(result.findings);
    if (settings.veto === undefined) {
      decided.add(key);
      log({ ...fields, decision: "fails", reason }, `${name}: fails, not vetoed (report only): ${reason}`);
      return;
    }
    const challenger = await challengerOf(epochs, epoch.poolId);
    if (challenger.toLowerCase() !== settings.veto.toLowerCase()) {
      decided.add(key);
      log(
        { ...fields, decision: "fails", reason },
        `${name}: fails, not vetoed (${settings.veto} is no longer its challenger): ${reason}`,
      );
      return;
    }
    try {
      const sent = await vetoEpoch(net, { poolId: epoch.poolId, epochId: epoch.epochId, reason });
      decided.add(key);
      log(
        { ...fields, decision: "vetoed", reason, transactionHash: sent.transactionHash },
        `${name}: vetoed in ${sent.transactionHash}: ${reason}`,
      );
    } catch (error) {
      const failure = toTributaryError(error);
      // A revert (the window just passed, someone vetoed first) is final; anything else is tried again.
      if (!(failure instanceof ContractRevertError)) throw failure;
      decided.add(key);
      log(
        { ...fields, decision: "veto-refused", problem: failure.shortMessage },
        `${name}: fails, veto refused: ${oneLine(failure.shortMessage)}`,
      );
    }
  };

  try {
    while (!stopping) {
      try {
        const latest = await read(() => getBlockNumber(net.publicClient, { cacheTime: 0 }));
        if (outage !== undefined) log({ event: "reconnected" }, `the node answers again`);
        outage = undefined;
        const found =
          latest < cursor
            ? []
            : await readPublishedEpochs({
                publicClient: net.publicClient,
                contract,
                fromBlock: cursor,
                toBlock: latest,
              });
        if (latest >= cursor) cursor = latest + 1n;
        for (const epoch of found) {
          const key = `${epoch.poolId}:${epoch.epochId}`;
          if (watched(epoch.poolId) && !decided.has(key))
            waiting.set(key, { epoch, said: waiting.get(key)?.said ?? "" });
        }
        for (const [key, { epoch }] of [...waiting]) {
          if (stopping) break;
          if (!decided.has(key)) await decide(epoch);
        }
        backoff = settings.intervalMs;
      } catch (error) {
        // The node is down, restarting or slow: never exit; say so once per outage and back off up to 30 s.
        const problem = oneLine(toTributaryError(error).shortMessage);
        if (outage !== problem) log({ event: "unreachable", problem }, `the node failed (${problem}); trying again`);
        outage = problem;
        backoff = Math.min(backoff * 2, 30_000);
      }
      if (!stopping) await sleep(outage === undefined ? settings.intervalMs : backoff);
    }
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
  log({ event: "stopped" }, "stopped");
}
