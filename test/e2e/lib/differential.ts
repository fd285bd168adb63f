// The differential test's driver: a seeded random sequence of every entry point of the registry and the vault,
// hostile ones included, against a Hardhat node that the indexer follows; after every few steps it waits until the
// indexer's /status shows the chain's head and compares the API with the contracts' views at that block
// (differential-compare.ts). Used by test/e2e/differential.test.ts (a short fixed-seed run) and by the bench
// (bench/suites/differential.ts, a longer one).
//
// Reproducible: every block's timestamp is set from a virtual clock that starts at a fixed time and moves by the
// PRNG's draws, transactions are mined one at a time in the order drawn, signatures are deterministic (RFC 6979) and
// every choice reads the chain, never the wall clock. The same seed and step count drive the same transactions.
import { mkdtemp, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  BaseError,
  createPublicClient,
  decodeErrorResult,
  encodeFunctionData,
  http,
  maxUint256,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Hex,
  type PublicClient,
} from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { localClients, type LocalClients } from "../../../scripts/lib/chain.ts";
import {
  ROOT,
  WaitAborted,
  deploy,
  rpc,
  sleep,
  startIndexer,
  startNode,
  waitFor,
  type Indexer,
  type LocalNode,
} from "../../../scripts/lib/stack.ts";
import { COMMIT_TYPES, EIP712_DOMAIN_NAME, EIP712_DOMAIN_VERSION, REGISTER_TYPES } from "../../../sdk/eip712.ts";
import { compareAtBlock, formatMismatches, type Mismatch } from "./differential-compare.ts";
import { epochDriver } from "./differential-epochs.ts";
import { teardown } from "./tx.ts";

/*//////////////////////////////////////////////////////////////////////////
                                   PRNG
//////////////////////////////////////////////////////////////////////////*/

/** sfc32, seeded through splitmix32: small, fast and the same on every machine. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 2 ** 32;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  big(lo: bigint, hi: bigint): bigint {
    const span = hi - lo + 1n;
    let value = 0n;
    for (let i = 0; i < 4; i++) value = (value << 32n) | BigInt(this.u32());
    return lo + (value % span);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Up to `count` distinct items, in a random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  bytes32(): Hex {
    let hex = "0x";
    for (let i = 0; i < 8; i++) hex += this.u32().toString(16).padStart(8, "0");
    return hex as Hex;
  }
}

/** A seed from the environment (decimal, 0x-hex, or `random` for a fresh one, which the run prints), else `fallback`. */
export function parseSeed(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback >>> 0;
  if (raw === "random") return Math.floor(Math.random() * 2 ** 32);
  const value = raw.startsWith("0x") ? Number.parseInt(raw, 16) : Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new Error(`TRIBUTARY_DIFF_SEED must be a whole number from 0 to 4294967295, got "${raw}"`);
  }
  return value;
}

/*//////////////////////////////////////////////////////////////////////////
                                  THE STACK
//////////////////////////////////////////////////////////////////////////*/

/** Hardhat's default accounts: the node unlocks them, and their keys sign typed data here. */
const MNEMONIC = "test test test test test test test test test test test junk";
/** Every block of the run is dated from here on (2033-05-18), whatever the machine's clock says. */
const CLOCK_START = 2_000_000_000n;
/** How long the indexer may take to move to a fork whose head has the number and time of the one it replaced. */
const SETTLE_MS = 15_000;
/** The gas of a transaction sent without an estimate (it depends on another in its block). */
const UNESTIMATED_GAS = 1_500_000n;
/** Under the 15M gas a transaction may use here. */
const MAX_GAS = 15_000_000n;
const ETH: Hex = zeroAddress;
const SCALE = 1_000_000_000n;
/** RoyaltyVault.MAX_UNITS, a uint48. */
const MAX_UNITS = (1n << 48n) - 1n;
const lower = (value: string) => value.toLowerCase() as Hex;

interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

/** A test mock's artifact (compiled with the Solidity tests; built once when missing). */
async function mockArtifact(file: string, name: string): Promise<Artifact> {
  const artifact = path.join(ROOT, "artifacts", "test", "mocks", file, `${name}.json`);
  if (!existsSync(artifact)) {
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, [path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "build"], {
      cwd: ROOT,
      stdio: "ignore",
    });
  }
  return JSON.parse(await readFile(artifact, "utf8")) as Artifact;
}

export interface DifferentialStack {
  node: LocalNode;
  indexer: Indexer;
  deploymentsDir: string;
  clients: LocalClients;
  registry: Hex;
  vault: Hex;
  epochs: Hex;
  stop: () => Promise<void>;
}

/** A node that mines only when told to, a fresh deployment, and an indexer following it on PGlite. */
export async function startDifferentialStack({ echo = false }: { echo?: boolean } = {}): Promise<DifferentialStack> {
  const node = await startNode({ blockIntervalMs: 0, echo });
  let indexer: Indexer | undefined;
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-differential-"));
  try {
    const deployment = await deploy(node.url, deploymentsDir);
    indexer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      schema: `differential_${process.pid}`,
      echo,
      // The comparison reads every contribution, author and pool after every few steps, nine lists of 1,000 rows a
      // GraphQL request: over the default cost limit, which bounds what one outsider's request may take.
      extraEnv: { TRIBUTARY_API_RATE_LIMIT: "0", TRIBUTARY_GRAPHQL_MAX_COST: "10000" },
    });
    const started = indexer;
    return {
      node,
      indexer,
      deploymentsDir,
      clients: localClients(node.url),
      registry: deployment.contracts.AuthorshipRegistry.address,
      vault: deployment.contracts.RoyaltyVault!.address,
      epochs: deployment.contracts.AttributionEpochs!.address,
      stop: () => teardown({ indexer: started, node, deploymentsDir }),
    };
  } catch (error) {
    await teardown({ indexer, node, deploymentsDir });
    throw error;
  }
}

/*//////////////////////////////////////////////////////////////////////////
                                  THE RUN
//////////////////////////////////////////////////////////////////////////*/

export interface DifferentialOptions {
  seed: number;
  /** Steps to drive: one step is one operation (one or a few transactions), a time jump or a reorg. */
  steps: number;
  /** Compare after every this many steps (and after every reorg, on both forks). */
  checkEvery?: number;
  /** Stop at the first comparison that finds a mismatch (the test) or keep going and collect them (the bench). */
  stopOnMismatch?: boolean;
  /** Called with a line per step and per comparison. */
  log?: (line: string) => void;
  /** How long to wait for the indexer to reach a head, per comparison. */
  indexTimeoutMs?: number;
  /** Hashes without positions read through REST per comparison, in turn (GraphQL reads them all each time). */
  restSample?: number;
  /**
   * Steps of the second phase, after the registry and vault walk: attribution epochs (differential-epochs.ts), with
   * registry and vault operations, time passing and reorgs between them. Default 40.
   */
  epochSteps?: number;
}

export interface MismatchReport extends Mismatch {
  /** The step after which the comparison found it, and the block it compared. */
  step: number;
  block: bigint;
}

export interface DifferentialReturnType {
  seed: number;
  steps: number;
  /** Transactions mined (successful ones, no-op resubmissions included, and the few that reverted in a shared block). */
  transactions: number;
  /** Of those, the ones that reverted (only possible in a block shared by several). */
  reverted: number;
  /** Operations drawn whose simulation reverted, by error name: drawn, never sent. */
  skipped: Record<string, number>;
  /** Transactions per function called. */
  operations: Record<string, number>;
  /** Events of the registry, the vault and (prefixed `AttributionEpochs.`) the epochs contract on the final chain. */
  events: Record<string, number>;
  reorgs: number;
  checks: number;
  /** Fields compared over all checks. */
  fieldsCompared: number;
  /** Distinct (entity, field) mismatches, each with the first step and block it was seen at. */
  mismatches: MismatchReport[];
  /** The steps before the first mismatch, to read with it. */
  trail: string[];
  lastBlock: bigint;
  durationMs: number;
  /** Of which comparing (waiting for the indexer included). */
  compareMs: number;
}

/** One transaction an operation sends. */
export type Call = {
  from: Hex;
  to: Hex;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
};

/** What an operation decided to send: one or more transactions in order, each in its own block. */
interface Plan {
  label: string;
  calls: Call[];
  /** The earliest timestamp the first transaction may have (a reveal after its delay). */
  atLeast?: bigint;
  /** Send every call in one block, in order (a copy and the reveal it races, two changes of one record). */
  sameBlock?: boolean;
}

interface Registration {
  contributionId: Hex;
  kind: number;
  trainingConsent: boolean;
  parents: Hex[];
  uri: string;
}

interface CommitmentEntry {
  author: Hex;
  registration: Registration;
  salt: Hex;
  commitment: Hex;
  /** commitBySig's signature and deadline, kept for a resubmission. */
  signed?: { deadline: bigint; signature: Hex };
  revealed: boolean;
}

interface AnchorEntry {
  root: Hex;
  leaves: [Hex, Hex, number][];
  tree: StandardMerkleTree<[Hex, Hex, number]>;
}

interface ChainRecord {
  author: Hex;
  registeredAt: number;
  kind: number;
  trainingConsent: boolean;
  nonce: number;
}

interface PoolState {
  token: Hex;
  admin: Hex;
  attributor: Hex;
  totalUnits: bigint;
  accPerUnit: bigint;
  notYetStreamed: bigint;
  carriedRemainder: bigint;
  streamEnd: number;
}

const URIS = ["", "ipfs://bafy-diff", "ar://diff", `https://example.org/${"x".repeat(120)}`];
const ALL_ABIS: Abi[] = [authorshipRegistryAbi as Abi, royaltyVaultAbi as Abi];

/** The custom error a failed simulation reverted with, by name, or its short message. */
function revertReason(error: unknown): string {
  const datas: Hex[] = [];
  if (error instanceof BaseError) {
    error.walk((e) => {
      const data = (e as { data?: unknown }).data;
      if (typeof data === "string" && data.startsWith("0x")) datas.push(data as Hex);
      if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string")
        datas.push((data as { data: Hex }).data);
      return false;
    });
  }
  for (const data of datas) {
    for (const abi of ALL_ABIS) {
      try {
        return decodeErrorResult({ abi, data }).errorName;
      } catch {
        // another ABI, or no custom error
      }
    }
  }
  const message = error instanceof BaseError ? error.shortMessage : String(error);
  const custom = /reverted with (?:custom error|reason string) '([^'(]+)/.exec(String((error as Error).message));
  return custom?.[1] ?? message.split("\n")[0]!.slice(0, 80);
}

/**
 * Drives `options.steps` random steps on `stack` and compares the API with the chain along the way. Never throws on
 * a mismatch: the caller reads `mismatches`.
 */
export async function runDifferential(
  stack: DifferentialStack,
  options: DifferentialOptions,
): Promise<DifferentialReturnType> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const checkEvery = Math.max(1, options.checkEvery ?? 1);
  const rng = new Prng(options.seed);
  // The epoch walk's own draws (differential-epochs.ts): the registry and vault walk of a seed stays as it was.
  const epochRng = new Prng((options.seed ^ 0x5eed0e9c) >>> 0);
  const { node, indexer, registry, vault, epochs } = stack;
  const { walletClient, chain } = stack.clients;
  // Reads batch into a few JSON-RPC requests: one comparison makes thousands of calls.
  const reader = createPublicClient({
    chain,
    transport: http(node.url, { batch: { batchSize: 500, wait: 0 } }),
    pollingInterval: 20,
  }) as PublicClient;
  const publicClient = stack.clients.publicClient as PublicClient;

  // Roles, all among Hardhat's 20 default accounts.
  const keys: HDAccount[] = Array.from({ length: 20 }, (_, i) => mnemonicToAccount(MNEMONIC, { addressIndex: i }));
  const A = keys.map((k) => k.address.toLowerCase() as Hex);
  const keyOf = new Map(keys.map((k) => [k.address.toLowerCase(), k]));
  const owner = A[0]!;
  const attester = A[1]!;
  const admins = [A[2]!, A[3]!, A[4]!];
  const attributors = [A[5]!, A[4]!];
  const authors = A.slice(6, 12);
  const relayer = A[12]!;
  const feeRecipients = [A[13]!, A[14]!];
  const depositors = [A[15]!, A[2]!, A[3]!];
  const copier = A[16]!;
  const strangers = [A[17]!, A[18]!, A[19]!];

  const result: DifferentialReturnType = {
    seed: options.seed,
    steps: 0,
    transactions: 0,
    reverted: 0,
    skipped: {},
    operations: {},
    events: {},
    reorgs: 0,
    checks: 0,
    fieldsCompared: 0,
    mismatches: [],
    trail: [],
    lastBlock: 0n,
    durationMs: 0,
    compareMs: 0,
  };
  const trail: string[] = [];
  const note = (line: string) => {
    trail.push(line);
    if (trail.length > 40) trail.shift();
    log(line);
  };

  /*------------------------------- the clock -------------------------------*/

  let clock = CLOCK_START;
  const latest = await publicClient.getBlock();
  if (latest.timestamp >= clock) throw new Error(`the node's clock (${latest.timestamp}) is past the run's start`);
  /** Dates the next block: the clock moves on by a small draw, or to `atLeast`. */
  const nextTimestamp = async (atLeast?: bigint, draws: Prng = rng) => {
    clock += BigInt(draws.int(1, 24));
    if (atLeast !== undefined && atLeast > clock) clock = atLeast;
    await rpc(node.url, "evm_setNextBlockTimestamp", [Number(clock)]);
  };
  const mineEmpty = async (seconds: bigint) => {
    clock += seconds;
    await rpc(node.url, "evm_setNextBlockTimestamp", [Number(clock)]);
    await rpc(node.url, "evm_mine");
  };

  /*----------------------------- sending calls -----------------------------*/

  const count = (name: string) => (result.operations[name] = (result.operations[name] ?? 0) + 1);
  const skip = (label: string, reason: string) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + 1;
    note(`  skipped ${label}: ${reason}`);
  };

  /** Estimates `call` against the next block (dated by `nextTimestamp`); undefined with the reason when it reverts. */
  const estimate = async (call: Call): Promise<{ gas: bigint } | { reason: string }> => {
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never);
    try {
      const gas = await publicClient.estimateGas({ account: call.from, to: call.to, data, value: call.value });
      return { gas };
    } catch (error) {
      return { reason: revertReason(error) };
    }
  };

  const sendRaw = async (call: Call, gas: bigint): Promise<Hex> => {
    const data = encodeFunctionData({ abi: call.abi, functionName: call.functionName, args: call.args } as never);
    const limit = (gas * 13n) / 10n + 30_000n;
    return walletClient.sendTransaction({
      account: call.from,
      to: call.to,
      data,
      value: call.value,
      gas: limit > MAX_GAS ? MAX_GAS : limit,
      chain,
    });
  };

  /** Sends a plan's calls one block each; stops at the first that would revert. Returns how many were mined. */
  const execute = async (plan: Plan, draws: Prng = rng): Promise<number> => {
    let sent = 0;
    for (const [i, call] of plan.calls.entries()) {
      await nextTimestamp(i === 0 ? plan.atLeast : undefined, draws);
      const estimated = await estimate(call);
      if ("reason" in estimated) {
        skip(`${plan.label} (${call.functionName})`, estimated.reason);
        return sent;
      }
      const hash = await sendRaw(call, estimated.gas);
      const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
      result.transactions++;
      count(call.functionName);
      if (receipt.status !== "success") result.reverted++;
      result.lastBlock = receipt.blockNumber;
      sent++;
    }
    note(`  ${plan.label}`);
    return sent;
  };

  /** Sends several plans' first calls in one block (each estimated alone first; any may revert in the block). */
  const executeTogether = async (plans: Plan[]): Promise<number> => {
    const calls: { call: Call; gas: bigint; label: string }[] = [];
    await nextTimestamp(
      plans.reduce<bigint | undefined>((m, p) => (p.atLeast && (!m || p.atLeast > m) ? p.atLeast : m), undefined),
    );
    for (const plan of plans) {
      // A plan's later calls depend on its first one in the same block: they are sent without an estimate (and
      // may revert in the block, as any transaction can).
      const [first, ...rest] = plan.calls;
      const estimated = await estimate(first!);
      if ("reason" in estimated) {
        skip(`${plan.label} (${first!.functionName})`, estimated.reason);
        continue;
      }
      calls.push({ call: first!, gas: estimated.gas, label: plan.label });
      for (const call of rest) calls.push({ call, gas: UNESTIMATED_GAS, label: plan.label });
    }
    if (calls.length === 0) return 0;
    await rpc(node.url, "evm_setAutomine", [false]);
    const hashes: Hex[] = [];
    try {
      for (const { call, gas } of calls) hashes.push(await sendRaw(call, gas));
      await rpc(node.url, "evm_setNextBlockTimestamp", [Number(clock)]);
      await rpc(node.url, "evm_mine");
    } finally {
      await rpc(node.url, "evm_setAutomine", [true]);
    }
    let reverted = 0;
    for (const [i, hash] of hashes.entries()) {
      const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
      result.transactions++;
      count(calls[i]!.call.functionName);
      if (receipt.status !== "success") reverted++;
      result.lastBlock = receipt.blockNumber;
    }
    result.reverted += reverted;
    note(
      `  one block: ${[...new Set(calls.map((c) => c.label))].join(" | ")}${reverted ? ` (${reverted} reverted)` : ""}`,
    );
    return hashes.length;
  };

  /*--------------------------------- reads ---------------------------------*/

  const read = <T>(address: Hex, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    reader.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  const regRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    read<T>(registry, authorshipRegistryAbi as Abi, functionName, args);
  const vaultRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    read<T>(vault, royaltyVaultAbi as Abi, functionName, args);

  /*------------------------------ the world -------------------------------*/

  const hashes: Hex[] = [];
  let hashCounter = 0;
  const freshHash = (): Hex => {
    const hash =
      `0x${options.seed.toString(16).padStart(8, "0")}${(hashCounter++).toString(16).padStart(8, "0")}${rng.bytes32().slice(18)}` as Hex;
    hashes.push(hash);
    return hash;
  };
  const commitments: CommitmentEntry[] = [];
  const signedRegistrations: { registration: Registration; author: Hex; deadline: bigint; signature: Hex }[] = [];
  const consentSignatures: { hash: Hex; consent: boolean; nonce: number; deadline: bigint; signature: Hex }[] = [];
  const anchors: AnchorEntry[] = [];
  const attemptedRoots: Hex[] = [];
  const members = new Map<bigint, Set<Hex>>();
  const memberOf = (poolId: bigint) => {
    let set = members.get(poolId);
    if (!set) members.set(poolId, (set = new Set()));
    return set;
  };

  // Contracts deployed for the run: tokens (plain, fee-on-transfer, blocklisting) and receivers that refuse ETH.
  const deployArtifact = async (artifact: Artifact, args: readonly unknown[]): Promise<Hex> => {
    await nextTimestamp();
    const hash = await walletClient.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args,
      account: owner,
      chain,
    } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 });
    if (!receipt.contractAddress) throw new Error(`deploying a mock failed in ${hash}`);
    result.transactions++;
    count("deploy");
    return receipt.contractAddress.toLowerCase() as Hex;
  };
  const erc20 = await mockArtifact("ERC20Mock.sol", "ERC20Mock");
  const fotArtifact = await mockArtifact("FeeOnTransferTokenMock.sol", "FeeOnTransferTokenMock");
  const blockArtifact = await mockArtifact("BlocklistTokenMock.sol", "BlocklistTokenMock");
  const refuserArtifact = await mockArtifact("EthReceiverMocks.sol", "RevertingReceiverMock");
  const sinkArtifact = await mockArtifact("EthReceiverMocks.sol", "EthRefuserMock");
  const walletArtifact = await mockArtifact("ERC1271WalletMock.sol", "ERC1271WalletMock");
  const hugeArtifact = await mockArtifact("HugeSupplyTokenMock.sol", "HugeSupplyTokenMock");
  const usd = await deployArtifact(erc20, ["Diff USD", "dUSD", 6]);
  const fot = await deployArtifact(fotArtifact, [100n]);
  const blocky = await deployArtifact(blockArtifact, []);
  const refuser = await deployArtifact(refuserArtifact, []);
  const sink = await deployArtifact(sinkArtifact, []);
  const wallet = await deployArtifact(walletArtifact, [authors[0]!]);
  const huge = await deployArtifact(hugeArtifact, []);
  const walletOwner = authors[0]!;
  const tokens: Hex[] = [ETH, usd, fot, blocky, huge];
  const tokenAbi: Record<string, Abi> = { [usd]: erc20.abi, [fot]: fotArtifact.abi, [blocky]: blockArtifact.abi };
  /** Contract authors: they can only be credited by a leaf (or a signature, for the ERC-1271 wallet). */
  const contractAuthors = [refuser, sink, wallet];
  const everyone = [...new Set([...A, ...contractAuthors])];

  const setupCalls: Call[] = [
    {
      from: owner,
      to: registry,
      abi: authorshipRegistryAbi as Abi,
      functionName: "setAttester",
      args: [attester, true],
    },
  ];
  for (const token of [usd, fot, blocky])
    for (const depositor of depositors) {
      setupCalls.push({
        from: owner,
        to: token,
        abi: tokenAbi[token]!,
        functionName: "mint",
        args: [depositor, 10n ** 30n],
      });
      setupCalls.push({
        from: depositor,
        to: token,
        abi: tokenAbi[token]!,
        functionName: "approve",
        args: [vault, maxUint256],
      });
    }
  setupCalls.push({ from: owner, to: huge, abi: hugeArtifact.abi, functionName: "approve", args: [vault, maxUint256] });
  for (const [token, admin, duration] of [
    // The longest duration keeps the rate of a deposit near the accumulator's bound within its uint136.
    [huge, admins[2], 10 * 365 * 86_400],
    [ETH, admins[0], 3600],
    [usd, admins[1], 7200],
    [fot, admins[0], 3600],
    [blocky, admins[1], 3600],
    [ETH, admins[1], 86_400],
  ] as const)
    setupCalls.push({
      from: admin!,
      to: vault,
      abi: royaltyVaultAbi as Abi,
      functionName: "createPool",
      args: [token, admin, duration, `ipfs://diff-pool-${token.slice(2, 8)}`],
    });
  for (const call of setupCalls) {
    const sent = await execute({ label: `setup ${call.functionName}`, calls: [call] });
    if (sent !== 1) throw new Error(`the differential setup could not send ${call.functionName}`);
  }
  const epochWalk = epochDriver({
    epochs,
    chainId: chain.id,
    reader,
    rng: epochRng,
    execute: (plan) => execute(plan, epochRng),
    mineEmpty: (seconds) => mineEmpty(seconds),
    hashes,
    authorOf: async (hash) => lower((await regRead<{ author: Hex }>("getRecord", [hash])).author),
    isEoa: (account) => keyOf.has(account.toLowerCase()),
    admins,
    publishers: [strangers[1]!, attributors[0]!],
    challengers: [strangers[2]!, admins[2]!],
    depositors,
    keepers: [relayer, strangers[0]!],
    payees: [...authors, ...contractAuthors, strangers[0]!],
    refusers: [refuser, sink],
    feeRecipient: async () => lower((await vaultRead<{ feeRecipient: Hex }>("config")).feeRecipient),
    erc20s: [
      { token: usd, abi: erc20.abi },
      { token: fot, abi: fotArtifact.abi },
    ],
    owner,
  });

  /*------------------------ state the operations read ------------------------*/

  const record = async (hash: Hex): Promise<ChainRecord> => {
    const r = await regRead<ChainRecord>("getRecord", [hash]);
    return { ...r, author: lower(r.author) };
  };
  const records = async () => Promise.all(hashes.map(async (hash) => ({ hash, record: await record(hash) })));
  const registeredHashes = async () => (await records()).filter((r) => r.record.author !== zeroAddress);
  const unregisteredHashes = async () =>
    (await records()).filter((r) => r.record.author === zeroAddress).map((r) => r.hash);
  const isEoa = (account: Hex) => keyOf.has(account.toLowerCase());
  const poolIds = async () => {
    const n = await vaultRead<bigint>("poolCount");
    return Array.from({ length: Number(n) }, (_, i) => BigInt(i + 1));
  };
  const pool = async (poolId: bigint): Promise<PoolState> => {
    const p = await vaultRead<PoolState>("getPool", [poolId]);
    return { ...p, token: lower(p.token), admin: lower(p.admin), attributor: lower(p.attributor) };
  };
  const config = async () => {
    const c = await vaultRead<{ feeRecipient: Hex; feeBps: number; paused: boolean }>("config");
    return { ...c, feeRecipient: lower(c.feeRecipient) };
  };
  const head = async () => BigInt(await rpc<string>(node.url, "eth_blockNumber"));
  const ownerOf = async (address: Hex, pending = false) =>
    lower(await read<Hex>(address, authorshipRegistryAbi as Abi, pending ? "pendingOwner" : "owner"));
  const registryOwner = () => ownerOf(registry);
  const vaultOwner = () => ownerOf(vault);
  /** Every (pool, contribution) the run ever gave units, with what the chain says of it now. */
  const positions = async () => {
    const pairs: { poolId: bigint; id: Hex }[] = [];
    for (const [poolId, ids] of members) for (const id of ids) pairs.push({ poolId, id });
    return Promise.all(
      pairs.map(async ({ poolId, id }) => {
        const [[position], claimable, canClaim, rec] = await Promise.all([
          vaultRead<[{ units: number; escrowed: boolean }, bigint]>("positionOf", [poolId, id]),
          vaultRead<bigint>("claimable", [poolId, id]),
          vaultRead<boolean>("canClaim", [poolId, id]),
          record(id),
        ]);
        return { poolId, id, units: position.units, escrowed: position.escrowed, claimable, canClaim, record: rec };
      }),
    );
  };
  const claimables = async () => (await positions()).filter((p) => p.claimable > 0n && p.record.author !== zeroAddress);

  const randomRegistration = async (hash: Hex): Promise<Registration> => {
    const registered = await registeredHashes();
    const parents: Hex[] = [];
    if (registered.length > 0 && rng.chance(0.35)) {
      for (let i = rng.int(1, 3); i > 0; i--) parents.push(rng.pick(registered).hash);
      if (rng.chance(0.2)) parents.push(parents[0]!);
    }
    return {
      contributionId: hash,
      kind: rng.int(0, 5),
      trainingConsent: rng.chance(0.85),
      parents,
      uri: rng.pick(URIS),
    };
  };
  const hashForNewRecord = async () => {
    const unregistered = await unregisteredHashes();
    return unregistered.length > 0 && rng.chance(0.4) ? rng.pick(unregistered) : freshHash();
  };
  const domain = {
    name: EIP712_DOMAIN_NAME,
    version: EIP712_DOMAIN_VERSION,
    chainId: chain.id,
    verifyingContract: registry,
  };
  /** The key that signs for `author`: its own, or the ERC-1271 wallet's owner. */
  const signerOf = (author: Hex) => keyOf.get(author === wallet ? walletOwner : author)!;
  /** Where a claim pays: often a contract that refuses ETH (the payout is then deferred to the author). */
  const payee = () => (rng.chance(0.5) ? rng.pick([refuser, sink, wallet]) : rng.pick([...strangers, ...authors]));
  const reg = (from: Hex, functionName: string, args: readonly unknown[]): Call => ({
    from,
    to: registry,
    abi: authorshipRegistryAbi as Abi,
    functionName,
    args,
  });
  const vlt = (from: Hex, functionName: string, args: readonly unknown[], value?: bigint): Call => ({
    from,
    to: vault,
    abi: royaltyVaultAbi as Abi,
    functionName,
    args,
    value,
  });
  const groupByPool = (items: { poolId: bigint; id: Hex }[]) => {
    const byPool = new Map<bigint, Hex[]>();
    for (const { poolId, id } of items) byPool.set(poolId, [...(byPool.get(poolId) ?? []), id]);
    return { poolIds: [...byPool.keys()], ids: [...byPool.values()] };
  };
  const depositAmount = (token: Hex, dust: boolean) =>
    dust ? rng.big(1n, 20n) : token === ETH ? rng.big(10n ** 12n, 10n ** 18n) : rng.big(1_000n, 10n ** 12n);

  /*------------------------------ operations ------------------------------*/

  type Operation = { name: string; weight: number; plan: () => Promise<Plan | null>; together?: boolean };
  const operations: Operation[] = [
    // Registry: the four ways in, and the hostile sequences around them.
    {
      name: "register",
      weight: 4,
      together: true,
      plan: async () => {
        const hash = await hashForNewRecord();
        const from = rng.chance(0.8) ? rng.pick(authors) : copier;
        return {
          label: `register ${hash.slice(0, 18)} by ${from.slice(0, 8)}`,
          calls: [reg(from, "register", [hash, rng.int(0, 5), rng.pick(URIS)])],
        };
      },
    },
    {
      name: "registerContribution",
      weight: 2,
      plan: async () => {
        const registration = await randomRegistration(await hashForNewRecord());
        const from = rng.pick(authors);
        return {
          label: `registerContribution ${registration.contributionId.slice(0, 18)} parents ${registration.parents.length}`,
          calls: [reg(from, "registerContribution", [registration])],
        };
      },
    },
    {
      name: "registerBatch",
      weight: 2,
      plan: async () => {
        const items: Registration[] = [];
        for (let i = rng.int(2, 4); i > 0; i--) {
          const registration = await randomRegistration(freshHash());
          if (items.length > 0 && rng.chance(0.3)) registration.parents.push(items[items.length - 1]!.contributionId);
          items.push(registration);
        }
        return { label: `registerBatch of ${items.length}`, calls: [reg(rng.pick(authors), "registerBatch", [items])] };
      },
    },
    {
      name: "commit",
      weight: 3,
      plan: async () => {
        const author = rng.pick(authors);
        const registration = await randomRegistration(await hashForNewRecord());
        const salt = rng.bytes32();
        const commitment = await regRead<Hex>("computeCommitment", [registration, author, salt]);
        commitments.push({ author, registration, salt, commitment, revealed: false });
        return {
          label: `commit ${registration.contributionId.slice(0, 18)} by ${author.slice(0, 8)}`,
          calls: [reg(author, "commit", [commitment])],
        };
      },
    },
    {
      name: "commitBySig",
      weight: 3,
      plan: async () => {
        const author = rng.chance(0.25) ? wallet : rng.pick(authors);
        const registration = await randomRegistration(await hashForNewRecord());
        const salt = rng.bytes32();
        const commitment = await regRead<Hex>("computeCommitment", [registration, author, salt]);
        const deadline = clock + BigInt(rng.int(600, 7200));
        const signature = await signerOf(author).signTypedData({
          domain,
          types: COMMIT_TYPES,
          primaryType: "Commit",
          message: { commitment, author, deadline },
        });
        commitments.push({ author, registration, salt, commitment, signed: { deadline, signature }, revealed: false });
        return {
          label: `commitBySig ${registration.contributionId.slice(0, 18)} for ${author.slice(0, 8)}`,
          calls: [reg(relayer, "commitBySig", [author, commitment, deadline, signature])],
        };
      },
    },
    {
      name: "resubmit commitBySig",
      weight: 1,
      plan: async () => {
        const signed = commitments.filter((c) => c.signed);
        if (signed.length === 0) return null;
        const c = rng.pick(signed);
        return {
          label: `commitBySig again ${c.commitment.slice(0, 18)}`,
          calls: [
            reg(rng.pick([relayer, ...strangers]), "commitBySig", [
              c.author,
              c.commitment,
              c.signed!.deadline,
              c.signed!.signature,
            ]),
          ],
        };
      },
    },
    {
      name: "copy a committed hash",
      weight: 3,
      together: true,
      plan: async () => {
        const open = [];
        for (const c of commitments)
          if (!c.revealed && (await record(c.registration.contributionId)).author === zeroAddress) open.push(c);
        if (open.length === 0) return null;
        const c = rng.pick(open);
        return {
          label: `copier registers committed ${c.registration.contributionId.slice(0, 18)}`,
          calls: [reg(copier, "register", [c.registration.contributionId, rng.int(0, 5), "copy"])],
        };
      },
    },
    {
      name: "reveal",
      weight: 5,
      plan: async () => {
        const live = [];
        for (const c of commitments) {
          const committedAt = await regRead<number>("commitmentOf", [c.author, c.commitment]);
          if (committedAt !== 0) live.push({ c, committedAt });
        }
        if (live.length === 0) return null;
        const { c, committedAt } = rng.pick(live);
        c.revealed = true;
        const byAuthor = isEoa(c.author) && rng.chance(0.5);
        const call = byAuthor
          ? reg(c.author, "reveal", [c.registration, c.salt])
          : reg(rng.pick([relayer, ...strangers]), "revealFor", [c.registration, c.author, c.salt]);
        return {
          label: `${byAuthor ? "reveal" : "revealFor"} ${c.registration.contributionId.slice(0, 18)} for ${c.author.slice(0, 8)}`,
          calls: [call],
          atLeast: BigInt(committedAt) + 60n + BigInt(rng.int(0, 300)),
        };
      },
    },
    {
      name: "resubmit revealFor",
      weight: 1,
      plan: async () => {
        const done = commitments.filter((c) => c.revealed);
        if (done.length === 0) return null;
        const c = rng.pick(done);
        return {
          label: `revealFor again ${c.registration.contributionId.slice(0, 18)}`,
          calls: [reg(relayer, "revealFor", [c.registration, c.author, c.salt])],
        };
      },
    },
    {
      name: "commit the same again",
      weight: 2,
      plan: async () => {
        const done = commitments.filter((c) => c.revealed && isEoa(c.author));
        if (done.length === 0) return null;
        const c = rng.pick(done);
        c.revealed = false;
        return {
          label: `commit again ${c.commitment.slice(0, 18)} by ${c.author.slice(0, 8)}`,
          calls: [reg(c.author, "commit", [c.commitment])],
        };
      },
    },
    {
      name: "registerBySig",
      weight: 2,
      plan: async () => {
        const author = rng.chance(0.25) ? wallet : rng.pick(authors);
        const registration = await randomRegistration(await hashForNewRecord());
        const deadline = clock + BigInt(rng.int(600, 7200));
        const signature = await signerOf(author).signTypedData({
          domain,
          types: REGISTER_TYPES,
          primaryType: "Register",
          message: { ...registration, author, deadline },
        });
        signedRegistrations.push({ registration, author, deadline, signature });
        return {
          label: `registerBySig ${registration.contributionId.slice(0, 18)} for ${author.slice(0, 8)}`,
          calls: [reg(relayer, "registerBySig", [registration, author, deadline, signature])],
        };
      },
    },
    {
      name: "resubmit registerBySig",
      weight: 1,
      plan: async () => {
        if (signedRegistrations.length === 0) return null;
        const s = rng.pick(signedRegistrations);
        return {
          label: `registerBySig again ${s.registration.contributionId.slice(0, 18)}`,
          calls: [reg(rng.pick(strangers), "registerBySig", [s.registration, s.author, s.deadline, s.signature])],
        };
      },
    },
    {
      name: "setTrainingConsent",
      weight: 3,
      together: true,
      plan: async () => {
        const mine = (await registeredHashes()).filter((r) => isEoa(r.record.author));
        if (mine.length === 0) return null;
        const { hash, record: r } = rng.pick(mine);
        const consent = rng.chance(0.8) ? !r.trainingConsent : r.trainingConsent;
        return {
          label: `setTrainingConsent ${hash.slice(0, 18)} ${consent}`,
          calls: [reg(r.author, "setTrainingConsent", [hash, consent])],
        };
      },
    },
    {
      name: "setTrainingConsentBySig",
      weight: 2,
      plan: async () => {
        const signable = (await registeredHashes()).filter((r) => isEoa(r.record.author) || r.record.author === wallet);
        if (signable.length === 0) return null;
        const { hash, record: r } = rng.pick(signable);
        const consent = !r.trainingConsent;
        const deadline = clock + BigInt(rng.int(600, 7200));
        const signature = await signerOf(r.author).signTypedData({
          domain,
          types: {
            SetTrainingConsent: [
              { name: "contributionId", type: "bytes32" },
              { name: "trainingConsent", type: "bool" },
              { name: "nonce", type: "uint40" },
              { name: "deadline", type: "uint256" },
            ],
          },
          primaryType: "SetTrainingConsent",
          message: { contributionId: hash, trainingConsent: consent, nonce: r.nonce, deadline },
        });
        consentSignatures.push({ hash, consent, nonce: r.nonce, deadline, signature });
        return {
          label: `setTrainingConsentBySig ${hash.slice(0, 18)} ${consent}`,
          calls: [reg(relayer, "setTrainingConsentBySig", [hash, consent, r.nonce, deadline, signature])],
        };
      },
    },
    {
      name: "resubmit setTrainingConsentBySig",
      weight: 1,
      plan: async () => {
        if (consentSignatures.length === 0) return null;
        const s = rng.pick(consentSignatures);
        return {
          label: `setTrainingConsentBySig again ${s.hash.slice(0, 18)}`,
          calls: [
            reg(rng.pick(strangers), "setTrainingConsentBySig", [s.hash, s.consent, s.nonce, s.deadline, s.signature]),
          ],
        };
      },
    },
    {
      name: "transferAuthorship",
      weight: 2,
      plan: async () => {
        const mine = (await registeredHashes()).filter((r) => isEoa(r.record.author));
        if (mine.length === 0) return null;
        const { hash, record: r } = rng.pick(mine);
        const to = rng.chance(0.15) ? zeroAddress : rng.pick([...authors, refuser].filter((a) => a !== r.author));
        return {
          label: `transferAuthorship ${hash.slice(0, 18)} to ${to.slice(0, 8)}`,
          calls: [reg(r.author, "transferAuthorship", [hash, to])],
        };
      },
    },
    {
      name: "acceptAuthorship",
      weight: 2,
      plan: async () => {
        const pending = [];
        for (const hash of hashes) {
          const to = await regRead<Hex>("pendingAuthorOf", [hash]);
          if (to !== zeroAddress && isEoa(to)) pending.push({ hash, to });
        }
        if (pending.length === 0) return null;
        const { hash, to } = rng.pick(pending);
        return {
          label: `acceptAuthorship ${hash.slice(0, 18)} by ${to.slice(0, 8)}`,
          calls: [reg(to.toLowerCase() as Hex, "acceptAuthorship", [hash])],
        };
      },
    },
    {
      name: "anchor",
      weight: 2,
      plan: async () => {
        const unregistered = await unregisteredHashes();
        const registered = await registeredHashes();
        const leaves: [Hex, Hex, number][] = [];
        for (let i = rng.int(1, 4); i > 0; i--) {
          const draw = rng.next();
          const hash =
            draw < 0.4 || unregistered.length === 0
              ? freshHash()
              : draw < 0.75 || registered.length === 0
                ? rng.pick(unregistered)
                : rng.pick(registered).hash;
          const author = rng.chance(0.6) ? rng.pick(authors) : rng.pick([refuser, sink]);
          if (!leaves.some(([h]) => h === hash)) leaves.push([hash, author, rng.int(0, 5)]);
        }
        const tree = StandardMerkleTree.of(leaves, ["bytes32", "address", "uint8"]);
        const root = tree.root as Hex;
        anchors.push({ root, leaves, tree });
        attemptedRoots.push(root);
        return {
          label: `anchor ${root.slice(0, 18)} (${leaves.length} leaves)`,
          calls: [reg(attester, "anchor", [root, `ipfs://leaves-${root.slice(2, 10)}`])],
        };
      },
    },
    {
      name: "materialize",
      weight: 4,
      together: true,
      plan: async () => {
        if (anchors.length === 0) return null;
        // Mostly leaves whose record is not theirs yet; sometimes a replay of one that is.
        const open: { a: AnchorEntry; i: number }[] = [];
        for (const a of anchors)
          for (const [i, [hash, author]] of a.leaves.entries())
            if ((await record(hash)).author !== lower(author) || rng.chance(0.1)) open.push({ a, i });
        if (open.length === 0) return null;
        const { a, i } = rng.pick(open);
        const [hash, author, kind] = a.leaves[i]!;
        return {
          label: `materialize ${hash.slice(0, 18)} for ${author.slice(0, 8)}`,
          calls: [
            reg(rng.pick([relayer, ...strangers]), "materialize", [a.root, hash, author, kind, a.tree.getProof(i)]),
          ],
        };
      },
    },
    {
      name: "copy a leaf",
      weight: 2,
      plan: async () => {
        const open = [];
        for (const a of anchors)
          for (const [hash] of a.leaves) if ((await record(hash)).author === zeroAddress) open.push(hash);
        if (open.length === 0) return null;
        const hash = rng.pick(open);
        return {
          label: `copier registers leaf ${hash.slice(0, 18)}`,
          calls: [reg(copier, "register", [hash, rng.int(0, 5), "copied leaf"])],
        };
      },
    },
    {
      name: "a copy and the reveal it races, in one block",
      weight: 2,
      plan: async () => {
        const live = [];
        for (const c of commitments) {
          const committedAt = await regRead<number>("commitmentOf", [c.author, c.commitment]);
          if (committedAt !== 0 && (await record(c.registration.contributionId)).author === zeroAddress)
            live.push({ c, committedAt });
        }
        if (live.length === 0) return null;
        const { c, committedAt } = rng.pick(live);
        c.revealed = true;
        return {
          label: `copier registers ${c.registration.contributionId.slice(0, 18)}, revealFor in the same block`,
          sameBlock: true,
          atLeast: BigInt(committedAt) + 60n,
          calls: [
            reg(copier, "register", [c.registration.contributionId, rng.int(0, 5), "copy"]),
            reg(relayer, "revealFor", [c.registration, c.author, c.salt]),
          ],
        };
      },
    },
    {
      name: "two changes of one record in one block",
      weight: 2,
      plan: async () => {
        const mine = (await registeredHashes()).filter((r) => isEoa(r.record.author));
        if (mine.length === 0) return null;
        const { hash, record: r } = rng.pick(mine);
        const other = rng.pick(authors.filter((a) => a !== r.author));
        const calls = rng.chance(0.5)
          ? [
              reg(r.author, "setTrainingConsent", [hash, !r.trainingConsent]),
              reg(r.author, "setTrainingConsent", [hash, r.trainingConsent]),
            ]
          : [reg(r.author, "transferAuthorship", [hash, other]), reg(other, "acceptAuthorship", [hash])];
        return {
          label: `${calls[0]!.functionName} twice-over ${hash.slice(0, 18)} in one block`,
          sameBlock: true,
          calls,
        };
      },
    },
    {
      name: "revoke the attester",
      weight: 0.4,
      plan: async () =>
        (await regRead<boolean>("isAttester", [attester]))
          ? { label: "setAttester false", calls: [reg(await registryOwner(), "setAttester", [attester, false])] }
          : null,
    },
    {
      name: "approve the attester",
      weight: 3,
      plan: async () =>
        (await regRead<boolean>("isAttester", [attester]))
          ? null
          : { label: "setAttester true", calls: [reg(await registryOwner(), "setAttester", [attester, true])] },
    },

    // Vault: pools, deposits (dust too), units (escrow, lowering to the carry), consent removals, claims of every
    // kind, deferred payouts, fees, pauses, admins and attributors.
    {
      name: "createPool",
      weight: 0.7,
      plan: async () => {
        if ((await poolIds()).length >= 9) return null;
        const token = rng.pick(tokens);
        const admin = rng.pick(admins);
        return {
          label: `createPool ${token.slice(0, 8)}`,
          calls: [
            vlt(rng.pick([admin, ...strangers]), "createPool", [
              token,
              admin,
              rng.pick([3600, 7200, 86_400, 259_200]),
              "ipfs://diff-pool",
            ]),
          ],
        };
      },
    },
    {
      name: "deposit",
      weight: 9,
      together: true,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const p = await pool(poolId);
        const { token } = p;
        let amount = depositAmount(token, rng.chance(0.35));
        let from = rng.pick(depositors);
        if (token === huge) {
          // A 2^256-supply token: amounts near what the accumulator can take, or all the room it has left.
          from = owner;
          const room = (1n << 160n) - 1n - p.accPerUnit - p.carriedRemainder - p.notYetStreamed;
          const draw = rng.next();
          amount = draw < 0.3 ? room / SCALE : draw < 0.6 ? rng.big(1n, 20n) : rng.big(1n, room / SCALE / 1_000n + 1n);
          if (amount === 0n) amount = 1n;
        }
        return {
          label: `deposit ${amount} into pool ${poolId}`,
          calls: [vlt(from, "deposit", [poolId, amount], token === ETH ? amount : undefined)],
        };
      },
    },
    {
      name: "setUnits",
      weight: 8,
      together: true,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const p = await pool(poolId);
        const caller = p.attributor !== zeroAddress && rng.chance(0.4) ? p.attributor : p.admin;
        const registered = (await registeredHashes()).filter((r) => r.record.trainingConsent).map((r) => r.hash);
        const known = [...memberOf(poolId)];
        const ids: Hex[] = [];
        const units: bigint[] = [];
        for (let i = rng.int(1, 5); i > 0; i--) {
          const draw = rng.next();
          // Now and then the same contribution twice in one batch; otherwise distinct ones.
          const again = rng.chance(0.1);
          const fresh = (items: Hex[]) => items.filter((item) => again || !ids.includes(item));
          const [knownLeft, registeredLeft] = [fresh(known), fresh(registered)];
          const id =
            draw < 0.45 && knownLeft.length > 0
              ? rng.pick(knownLeft)
              : draw < 0.8 && registeredLeft.length > 0
                ? rng.pick(registeredLeft)
                : await hashForNewRecord();
          const rec = await record(id);
          const size = rng.next();
          const u =
            size < 0.15
              ? 0n
              : size < 0.25
                ? rng.big(1_000n, 1_000_000n)
                : size < 0.26
                  ? MAX_UNITS - rng.big(0n, 1_000n)
                  : rng.big(1n, 100n);
          if (u !== 0n && rec.author !== zeroAddress && !rec.trainingConsent) continue;
          ids.push(id);
          units.push(u);
        }
        if (ids.length === 0) return null;
        for (const id of ids) memberOf(poolId).add(id);
        return {
          label: `setUnits pool ${poolId}: ${ids.map((id, i) => `${id.slice(10, 18)}=${units[i]}`).join(", ")}`,
          calls: [vlt(caller, "setUnits", [poolId, ids, units])],
        };
      },
    },
    {
      name: "setUnits down to the carry",
      weight: 3,
      plan: async () => {
        const candidates = [];
        for (const poolId of await poolIds()) {
          const p = await pool(poolId);
          if (p.totalUnits > 0n) candidates.push({ poolId, p });
        }
        if (candidates.length === 0) return null;
        const { poolId, p } = rng.pick(candidates);
        const held: Hex[] = [];
        for (const id of memberOf(poolId)) {
          const [position] = await vaultRead<[{ units: number }, bigint]>("positionOf", [poolId, id]);
          if (position.units > 0) held.push(id);
        }
        if (held.length === 0) return null;
        // Everything to zero, then one contribution (maybe one just zeroed) to at most the carried remainder.
        const items: [Hex, bigint][] = held.map((id) => [id, 0n]);
        const carry = p.carriedRemainder;
        if (carry > 0n && rng.chance(0.8)) {
          // One of them back up (a batch that names it twice), or another member, to at most the carry.
          const target = rng.chance(0.5) ? rng.pick(held) : rng.pick([...memberOf(poolId)]);
          const rec = await record(target);
          if (rec.author === zeroAddress || rec.trainingConsent)
            items.push([target, rng.chance(0.5) ? carry : rng.big(1n, carry)]);
        }
        // Sometimes the raise comes first: the batch then lowers the units below the carry and back.
        const ordered = rng.chance(0.3) ? rng.sample(items, items.length) : items;
        const ids = ordered.map(([id]) => id);
        const units = ordered.map(([, u]) => u);
        return {
          label: `setUnits pool ${poolId} down to ${units.reduce((a, b) => a + b, 0n)} (carry ${carry})`,
          calls: [vlt(p.admin, "setUnits", [poolId, ids, units])],
        };
      },
    },
    {
      name: "removeContribution",
      weight: 3,
      together: true,
      plan: async () => {
        const revoked = (await positions()).filter(
          (q) => q.units > 0 && q.record.author !== zeroAddress && !q.record.trainingConsent,
        );
        if (revoked.length === 0) return null;
        const q = rng.pick(revoked);
        return {
          label: `removeContribution pool ${q.poolId} ${q.id.slice(0, 18)}`,
          calls: [vlt(rng.pick([...strangers, relayer]), "removeContribution", [q.poolId, q.id])],
        };
      },
    },
    {
      name: "confirmAuthor",
      weight: 3,
      plan: async () => {
        const held = (await positions()).filter((q) => q.escrowed && q.record.author !== zeroAddress && !q.canClaim);
        const any =
          held.length > 0 ? held : (await positions()).filter((q) => q.escrowed && q.record.author !== zeroAddress);
        if (any.length === 0) return null;
        const q = rng.pick(any);
        const { admin } = await pool(q.poolId);
        return {
          label: `confirmAuthor pool ${q.poolId} ${q.id.slice(0, 18)}`,
          calls: [vlt(admin, "confirmAuthor", [q.poolId, q.id, q.record.author])],
        };
      },
    },
    {
      name: "claim",
      weight: 8,
      together: true,
      plan: async () => {
        const open = (await claimables()).filter((q) => isEoa(q.record.author) && (q.canClaim || rng.chance(0.1)));
        if (open.length === 0) return null;
        const q = rng.pick(open);
        const to = rng.chance(0.5) ? q.record.author : payee();
        return {
          label: `claim pool ${q.poolId} ${q.id.slice(0, 18)} to ${to.slice(0, 8)}`,
          calls: [vlt(q.record.author, "claim", [q.poolId, q.id, to])],
        };
      },
    },
    {
      name: "claimBatch",
      weight: 4,
      plan: async () => {
        const open = (await claimables()).filter((q) => isEoa(q.record.author) && q.canClaim);
        if (open.length === 0) return null;
        const author = rng.pick(open).record.author;
        const items = rng.sample(
          open.filter((q) => q.record.author === author),
          rng.int(1, 6),
        );
        const { poolIds: pools_, ids } = groupByPool(items);
        const to = rng.chance(0.5) ? author : payee();
        return {
          label: `claimBatch ${items.length} by ${author.slice(0, 8)} to ${to.slice(0, 8)}`,
          calls: [vlt(author, "claimBatch", [pools_, ids, to])],
        };
      },
    },
    {
      name: "claimFor",
      weight: 5,
      plan: async () => {
        const open = (await claimables()).filter((q) => q.canClaim);
        if (open.length === 0) return null;
        const items = rng.sample(open, rng.int(1, 5));
        const { poolIds: pools_, ids } = groupByPool(items);
        return {
          label: `claimFor ${items.length}`,
          calls: [vlt(rng.pick([relayer, ...strangers]), "claimFor", [pools_, ids])],
        };
      },
    },
    {
      name: "claim through a contract author",
      weight: 3,
      plan: async () => {
        const open = (await claimables()).filter((q) => q.record.author.toLowerCase() === refuser && q.canClaim);
        if (open.length === 0) return null;
        const q = rng.pick(open);
        const to = rng.chance(0.6) ? refuser : rng.pick(strangers);
        return {
          label: `refuser claims pool ${q.poolId} ${q.id.slice(0, 18)} to ${to.slice(0, 8)}`,
          calls: [
            {
              from: relayer,
              to: refuser,
              abi: refuserArtifact.abi,
              functionName: "claim",
              args: [vault, q.poolId, q.id, to],
            },
          ],
        };
      },
    },
    {
      name: "withdrawDeferred",
      weight: 5,
      plan: async () => {
        const owed = [];
        for (const account of [...authors, refuser])
          for (const token of tokens)
            if ((await vaultRead<bigint>("deferredOf", [account, token])) > 0n) owed.push({ account, token });
        if (owed.length === 0) return null;
        const { account, token } = rng.pick(owed);
        const to = rng.chance(0.6) ? (account === refuser ? rng.pick(strangers) : account) : rng.pick(strangers);
        const call: Call =
          account === refuser
            ? {
                from: relayer,
                to: refuser,
                abi: refuserArtifact.abi,
                functionName: "withdrawDeferred",
                args: [vault, token, to],
              }
            : vlt(account, "withdrawDeferred", [token, to]);
        return {
          label: `withdrawDeferred ${token.slice(0, 8)} of ${account.slice(0, 8)} to ${to.slice(0, 8)}`,
          calls: [call],
        };
      },
    },
    {
      name: "refuser toggles",
      weight: 1,
      plan: async () => {
        const refusing = await read<boolean>(refuser, refuserArtifact.abi, "refuse");
        return {
          label: `refuser refuses ${!refusing}`,
          calls: [
            { from: relayer, to: refuser, abi: refuserArtifact.abi, functionName: "setRefuse", args: [!refusing] },
          ],
        };
      },
    },
    {
      name: "pause",
      weight: 1,
      together: true,
      plan: async () =>
        (await config()).paused ? null : { label: "pause", calls: [vlt(await vaultOwner(), "pause", [])] },
    },
    {
      name: "unpause",
      weight: 3,
      together: true,
      plan: async () =>
        (await config()).paused ? { label: "unpause", calls: [vlt(await vaultOwner(), "unpause", [])] } : null,
    },
    {
      name: "setProtocolFee",
      weight: 2,
      plan: async () => {
        const bps = rng.pick([0, 1, 50, 100, 250, 500]);
        return {
          label: `setProtocolFee ${bps}`,
          calls: [vlt(await vaultOwner(), "setProtocolFee", [bps, rng.pick(feeRecipients)])],
        };
      },
    },
    {
      name: "collectFees",
      weight: 3,
      plan: async () => {
        const { feeRecipient } = await config();
        if (feeRecipient === zeroAddress) return null;
        const owed = [];
        for (const token of tokens) {
          const totals = await vaultRead<{ feesOwed: bigint }>("tokenTotals", [token]);
          if (totals.feesOwed > 0n) owed.push(token);
        }
        if (owed.length === 0) return null;
        const token = rng.pick(owed);
        return {
          label: `collectFees ${token.slice(0, 8)}`,
          calls: [
            vlt(feeRecipient.toLowerCase() as Hex, "collectFees", [token, rng.pick([feeRecipient, ...strangers])]),
          ],
        };
      },
    },
    {
      name: "transferPoolAdmin",
      weight: 1.5,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const { admin } = await pool(poolId);
        const to = rng.chance(0.2) ? zeroAddress : rng.pick(admins.filter((a) => a !== admin.toLowerCase()));
        return {
          label: `transferPoolAdmin ${poolId} to ${to.slice(0, 8)}`,
          calls: [vlt(admin.toLowerCase() as Hex, "transferPoolAdmin", [poolId, to])],
        };
      },
    },
    {
      name: "acceptPoolAdmin",
      weight: 1.5,
      plan: async () => {
        const pending = [];
        for (const poolId of await poolIds()) {
          const to = await vaultRead<Hex>("pendingAdminOf", [poolId]);
          if (to !== zeroAddress) pending.push({ poolId, to: to.toLowerCase() as Hex });
        }
        if (pending.length === 0) return null;
        const { poolId, to } = rng.pick(pending);
        return {
          label: `acceptPoolAdmin ${poolId} by ${to.slice(0, 8)}`,
          calls: [vlt(to, "acceptPoolAdmin", [poolId])],
        };
      },
    },
    {
      name: "setAttributor",
      weight: 1.5,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const { admin } = await pool(poolId);
        const attributor = rng.chance(0.25) ? zeroAddress : rng.pick(attributors);
        return {
          label: `setAttributor ${poolId} ${attributor.slice(0, 8)}`,
          calls: [vlt(admin.toLowerCase() as Hex, "setAttributor", [poolId, attributor])],
        };
      },
    },
    {
      name: "blocklist",
      weight: 1,
      plan: async () => {
        const account = rng.pick([...authors, ...strangers, refuser]);
        const blocked = await read<boolean>(blocky, blockArtifact.abi, "isBlocklisted", [account]);
        return {
          label: `blocklist ${account.slice(0, 8)} ${!blocked}`,
          calls: [
            {
              from: owner,
              to: blocky,
              abi: blockArtifact.abi,
              functionName: "setBlocklisted",
              args: [account, !blocked],
            },
          ],
        };
      },
    },
    {
      name: "transferOwnership",
      weight: 0.7,
      plan: async () => {
        const address = rng.pick([registry, vault]);
        const current = await ownerOf(address);
        // Proposing the owner itself is how both contracts cancel a proposal.
        const to = rng.chance(0.3) ? current : rng.pick([owner, strangers[0]!].filter((a) => a !== current));
        return {
          label: `transferOwnership of ${address === registry ? "registry" : "vault"} to ${to.slice(0, 8)}`,
          calls: [
            {
              from: current,
              to: address,
              abi: authorshipRegistryAbi as Abi,
              functionName: "transferOwnership",
              args: [to],
            },
          ],
        };
      },
    },
    {
      name: "acceptOwnership",
      weight: 1,
      plan: async () => {
        const pending = [];
        for (const address of [registry, vault]) {
          const to = await ownerOf(address, true);
          if (to !== zeroAddress && to !== (await ownerOf(address))) pending.push({ address, to });
        }
        if (pending.length === 0) return null;
        const { address, to } = rng.pick(pending);
        return {
          label: `acceptOwnership of ${address === registry ? "registry" : "vault"} by ${to.slice(0, 8)}`,
          calls: [
            { from: to, to: address, abi: authorshipRegistryAbi as Abi, functionName: "acceptOwnership", args: [] },
          ],
        };
      },
    },
    {
      name: "fee-on-transfer rate",
      weight: 0.5,
      plan: async () => {
        const bps = rng.pick([0n, 100n, 1_000n]);
        return {
          label: `fee-on-transfer ${bps} bps`,
          calls: [{ from: owner, to: fot, abi: fotArtifact.abi, functionName: "setFeeBps", args: [bps] }],
        };
      },
    },
  ];
  const totalWeight = operations.reduce((sum, op) => sum + op.weight, 0);
  const drawOperation = (filter: (op: Operation) => boolean = () => true): Operation => {
    for (let tries = 0; tries < 100; tries++) {
      let x = rng.next() * totalWeight;
      for (const op of operations) {
        x -= op.weight;
        if (x < 0) {
          if (filter(op)) return op;
          break;
        }
      }
    }
    return operations[0]!;
  };

  /** One operation: drawn until one applies (has something to act on and its simulation passes), then sent. */
  const operate = async (filter?: (op: Operation) => boolean) => {
    for (let tries = 0; tries < 20; tries++) {
      const op = drawOperation(filter);
      const plan = await op.plan();
      if (plan === null) continue;
      if ((await (plan.sameBlock ? executeTogether([plan]) : execute(plan))) > 0) return;
    }
    await mineEmpty(BigInt(rng.int(1, 60)));
  };

  /*---------------------------- the comparison ----------------------------*/

  const seen = new Set<string>();
  let stop = false;
  const waitIndexed = async () => {
    const tip = await publicClient.getBlock();
    await waitFor(
      `the indexer to reach block ${tip.number} (${tip.timestamp})`,
      async () => {
        if (indexer.child.exitCode !== null) throw new WaitAborted(`the indexer exited:\n${indexer.output()}`);
        const status = (await (await fetch(`${indexer.url}/status`)).json()) as Record<
          string,
          { block?: { number: number; timestamp: number } }
        >;
        const b = Object.values(status)[0]?.block;
        return b && BigInt(b.number) === tip.number && BigInt(b.timestamp) === tip.timestamp ? true : undefined;
      },
      { timeoutMs: options.indexTimeoutMs ?? 60_000, intervalMs: 10 },
    );
    return { number: tip.number, timestamp: tip.timestamp };
  };
  /**
   * Compares at the indexed head. `settleMs`: the head's number and time say nothing of which fork the indexer is
   * on (a fork of the same length and times), so the comparison is repeated until it agrees or that long has passed.
   * `epochsOnly`: the epochs contract alone (the epoch phase's checks between its full ones).
   */
  const compare = async (step: number, settleMs = 0, epochsOnly = false) => {
    const compareStarted = performance.now();
    const block = await waitIndexed();
    const deadline = performance.now() + settleMs;
    let outcome;
    let attempts = 0;
    let first: Mismatch[] = [];
    for (;;) {
      const vaultOutcome = epochsOnly
        ? { mismatches: [], compared: { contributions: 0, positions: 0, pools: 0, accounts: 0, fields: 0 } }
        : await compareAtBlock({
            api: indexer.url,
            client: reader,
            registry,
            vault,
            tokens,
            hashes,
            accounts: everyone,
            roots: attemptedRoots,
            block,
            restSample: options.restSample ?? 8,
            round: result.checks,
          });
      const epochOutcome = await epochWalk.compare(indexer.url, block);
      outcome = {
        mismatches: [...vaultOutcome.mismatches, ...epochOutcome.mismatches],
        compared: { ...vaultOutcome.compared, fields: vaultOutcome.compared.fields + epochOutcome.fields },
      };
      if (outcome.mismatches.length === 0 || performance.now() > deadline) break;
      if (attempts === 0) first = outcome.mismatches;
      await sleep(100);
      attempts++;
    }
    if (attempts > 0)
      log(
        `  the API moved to the new fork ${Math.round(performance.now() - compareStarted)} ms after the node did ` +
          `(before: ${first.length} differences, e.g.\n${formatMismatches(first, 3)})`,
      );
    const { mismatches, compared } = outcome;
    result.checks++;
    result.fieldsCompared += compared.fields;
    result.compareMs += performance.now() - compareStarted;
    const fresh = mismatches.filter((m) => !seen.has(`${m.entity}|${m.field}`));
    for (const m of fresh) {
      seen.add(`${m.entity}|${m.field}`);
      result.mismatches.push({ ...m, step, block: block.number });
    }
    log(
      `check ${result.checks} at block ${block.number} after step ${step}: ${compared.fields} fields, ` +
        `${compared.contributions} hashes, ${compared.positions} positions, ${compared.pools} pools: ` +
        `${mismatches.length} mismatches`,
    );
    if (fresh.length > 0) {
      if (result.trail.length === 0) result.trail = [...trail];
      log(formatMismatches(fresh, 20));
      if (options.stopOnMismatch) stop = true;
    }
  };

  /*------------------------------- the steps -------------------------------*/

  await compare(0);
  for (let step = 1; step <= options.steps && !stop; step++) {
    result.steps = step;
    const draw = rng.next();
    if (draw < 0.035) {
      // A reorg: a few operations on a fork the indexer indexes, then another fork from before them: longer, or
      // (as a proof-of-stake chain's reorgs mostly are) of the same length and block times, so the indexed head's
      // number and time come back as they were, over other data.
      result.reorgs++;
      const forkPoint = await head();
      const snapshot = await rpc<string>(node.url, "evm_snapshot");
      note(`step ${step}: reorg from block ${forkPoint}`);
      for (let i = rng.int(1, 3); i > 0; i--) await operate();
      await compare(step);
      if (stop) break;
      const orphanedHead = await head();
      const sameLength = rng.chance(0.35);
      const times: bigint[] = [];
      for (let n = forkPoint + 1n; sameLength && n <= orphanedHead; n++)
        times.push((await publicClient.getBlock({ blockNumber: n })).timestamp);
      const orphaned = (await publicClient.getBlock({ blockNumber: orphanedHead })).hash;
      if (!(await rpc<boolean>(node.url, "evm_revert", [snapshot]))) throw new Error("evm_revert refused the snapshot");
      note(`  reverted to block ${await head()} (orphaned head ${orphanedHead}${sameLength ? ", same length" : ""})`);
      if (sameLength) {
        for (const time of times) {
          await rpc(node.url, "evm_setNextBlockTimestamp", [Number(time)]);
          await rpc(node.url, "evm_mine");
        }
        // Empty blocks replacing empty blocks would be the same blocks: no reorg to compare after.
        if ((await publicClient.getBlock()).hash === orphaned) note("  the new fork's blocks are the orphaned ones");
        await compare(step, SETTLE_MS);
        continue;
      }
      for (let i = rng.int(0, 2); i > 0; i--) await operate();
      while ((await head()) < orphanedHead + 2n) await mineEmpty(BigInt(rng.int(1, 30)));
      await compare(step);
      continue;
    }
    if (draw < 0.08) {
      // Time passes: streams run out, commitments expire (a day), records become final (a week).
      const seconds = rng.chance(0.15) ? BigInt(rng.int(86_400, 8 * 86_400)) : BigInt(rng.int(300, 7_200));
      note(`step ${step}: ${seconds} s pass`);
      await mineEmpty(seconds);
    } else if (draw < 0.14) {
      // Several operations in one block: checkpoints at one timestamp, events of several transactions.
      note(`step ${step}: one block`);
      const plans: Plan[] = [];
      for (let i = rng.int(2, 3); i > 0; i--) {
        const plan = await drawOperation((op) => op.together === true).plan();
        if (plan !== null) plans.push(plan);
      }
      await executeTogether(plans);
    } else {
      note(`step ${step}:`);
      await operate();
    }
    if (step % checkEvery === 0 || step === options.steps) await compare(step);
  }
  // The second phase: epochs. After the first, so that a seed's registry and vault walk is the one it always was; it
  // draws from its own PRNG, with registry and vault operations, time and reorgs (epoch events orphaned and replaced)
  // between its operations.
  const epochSteps = options.epochSteps ?? 40;
  if (!stop && epochSteps > 0) {
    note("epochs: setup");
    // A vault the first phase left paused would refuse every funding (the pause is the vault's): unpaused first.
    if ((await config()).paused)
      await execute(
        { label: "unpause for the epoch phase", calls: [vlt(await vaultOwner(), "unpause", [])] },
        epochRng,
      );
    await epochWalk.setup();
    for (let step = 1; step <= epochSteps && !stop; step++) {
      const draw = epochRng.next();
      const at = options.steps + step;
      result.steps = at;
      if (draw < 0.08) {
        result.reorgs++;
        const snapshot = await rpc<string>(node.url, "evm_snapshot");
        const forkPoint = await head();
        note(`epoch step ${step}: reorg from block ${forkPoint}`);
        for (let i = epochRng.int(1, 2); i > 0; i--) await epochWalk.operate();
        await compare(at, 0, true);
        if (stop) break;
        const orphanedHead = await head();
        if (!(await rpc<boolean>(node.url, "evm_revert", [snapshot])))
          throw new Error("evm_revert refused the snapshot");
        await epochWalk.operate();
        while ((await head()) < orphanedHead + 2n) await mineEmpty(BigInt(epochRng.int(1, 30)));
        await compare(at, 0, true);
        continue;
      }
      if (draw < 0.2) {
        note(`epoch step ${step}: a registry or vault operation`);
        await operate();
      } else {
        note(`epoch step ${step}:`);
        await epochWalk.operate();
      }
      if (step === epochSteps) await compare(at);
      else if (step % checkEvery === 0) await compare(at, 0, true);
    }
  }
  result.lastBlock = await head();
  for (const [address, abi, prefix] of [
    [registry, authorshipRegistryAbi, ""],
    [vault, royaltyVaultAbi, ""],
    [epochs, attributionEpochsAbi, "AttributionEpochs."],
  ] as const) {
    const logs = await reader.getLogs({ address, fromBlock: 0n, toBlock: result.lastBlock });
    for (const log of parseEventLogs({ abi: abi as Abi, logs })) {
      const name = `${prefix}${log.eventName!}`;
      result.events[name] = (result.events[name] ?? 0) + 1;
    }
  }
  result.durationMs = Math.round(performance.now() - started);
  if (result.trail.length === 0 && result.mismatches.length > 0) result.trail = [...trail];
  return result;
}

/** The run's summary, as the test and the bench print it. */
export function summarize(run: DifferentialReturnType): string {
  const skipped = Object.entries(run.skipped)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  const ops = Object.entries(run.operations)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");
  return [
    `seed ${run.seed}: ${run.steps} steps, ${run.transactions} transactions (${run.reverted} reverted in shared blocks), ` +
      `${run.reorgs} reorgs, ${run.checks} checks of ${run.fieldsCompared} fields, ${run.mismatches.length} mismatches, ` +
      `${(run.durationMs / 1000).toFixed(1)} s (${(run.compareMs / 1000).toFixed(1)} s comparing), last block ${run.lastBlock}`,
    `  transactions: ${ops}`,
    `  events on the final chain: ${Object.entries(run.events)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(", ")}`,
    `  drawn but not sent (the simulation reverted): ${skipped || "none"}`,
  ].join("\n");
}
