// Every model provider's and contributor's action on the RoyaltyVault, and its on-chain queries. Like the registry's
// actions, each write is simulated first (a revert becomes a named ContractRevertError), what the account pays (gas,
// and the deposit itself) is checked against its balances, and only then is anything sent.
import { erc20Abi, formatUnits, parseEventLogs, parseUnits, zeroAddress, type Abi, type Address, type Hex } from "viem";

import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";
import type { Network } from "./config.ts";
import {
  contractError,
  InsufficientFundsError,
  InvalidInputError,
  WrongNetworkError,
  toTributaryError,
} from "./errors.ts";
import { parseCsv } from "./csv.ts";
import { hashText, hashTextFile } from "./hashing.ts";
import { parseAddress, parseHash } from "./parse.ts";
import {
  prepare as prepareCall,
  requireSigner,
  type ContractCall,
  type PreparedCall,
  type TransactionResult,
  type TributaryClient,
} from "./transaction.ts";

/** The zero address: the token of an ETH pool. */
export const ETH: Address = zeroAddress;

/*//////////////////////////////////////////////////////////////////////////
                                  PLUMBING
//////////////////////////////////////////////////////////////////////////*/

/** The vault's address on the connected network; WrongNetworkError when the deployment has none or it has no code. */
export async function vaultAddress(network: Network): Promise<Address> {
  const vault = network.deployment.contracts.RoyaltyVault?.address;
  if (vault === undefined) {
    throw new WrongNetworkError(
      `the deployment of chain ${network.chainId} has no RoyaltyVault`,
      "redeploy (npm run deploy) so that deployments/<chainId>.json lists it",
    );
  }
  const code = await network.publicClient.getCode({ address: vault }).catch((error: unknown) => {
    throw toTributaryError(error);
  });
  if (code === undefined || code === "0x") {
    throw new WrongNetworkError(
      `no RoyaltyVault at ${vault} on chain ${network.chainId}: the deployment file does not match this node`,
      "redeploy (npm run deploy) or point --rpc at the node it was deployed to",
    );
  }
  return vault;
}

/** Prepares a vault call: the ETH it carries is counted with its gas against the account's balance. */
function prepare<T>(client: TributaryClient, call: ContractCall): Promise<PreparedCall<T>> {
  const value = call.value ?? 0n;
  return prepareCall<T>(client, call, {
    funds:
      value > 0n
        ? { what: "ETH for the amount and gas", hint: "fund the account or deposit less" }
        : { hint: "fund the account with ETH for gas" },
  });
}

async function read<T>(client: TributaryClient, functionName: string, args: readonly unknown[]): Promise<T> {
  const address = await vaultAddress(client.network);
  try {
    return (await client.network.publicClient.readContract({
      address,
      abi: royaltyVaultAbi,
      functionName,
      args,
    } as never)) as T;
  } catch (error) {
    throw toTributaryError(error);
  }
}

/*//////////////////////////////////////////////////////////////////////////
                                INPUT PARSING
//////////////////////////////////////////////////////////////////////////*/

/** A pool id: a positive whole number. */
export function parsePoolId(value: unknown, parameter = "pool id"): bigint {
  const text = String(value).trim();
  if (!/^[1-9]\d{0,30}$/.test(text)) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${String(value)}" is not a pool id`,
      "give a positive whole number such as 1 (tributary pool list shows them)",
    );
  }
  return BigInt(text);
}

/** A stream duration in seconds: "3600", "90m", "1h", "7d", "2w". */
export function parseDuration(value: string, parameter = "duration"): number {
  const match = /^(\d+)\s*(s|m|h|d|w)?$/.exec(value.trim());
  if (!match) {
    throw new InvalidInputError(
      parameter,
      `"${value}" is not a duration`,
      "give seconds, or a number followed by s, m, h, d or w, such as 1h or 30d",
    );
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[(match[2] ?? "s") as "s" | "m" | "h" | "d" | "w"];
  return Number(match[1]) * unit;
}

/** A token: "eth" (or "ETH", or the zero address) for ether, otherwise an ERC-20's address. */
export function parseToken(value: string, parameter = "token"): Address {
  if (value.trim().toLowerCase() === "eth") return ETH;
  return parseAddress(value, parameter);
}

/** A human amount such as "1.5" in a token with `decimals` decimals, as the token's smallest unit. */
export function parseAmount(value: string, decimals: number, parameter = "amount"): bigint {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\.\d+$/.test(text)) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${value}" is not an amount`,
      "give a positive number such as 1.5 (no unit, no thousands separators)",
    );
  }
  const fraction = text.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${value}" has more than the token's ${decimals} decimals`,
      `give at most ${decimals} digits after the point`,
    );
  }
  const amount = parseUnits(text, decimals);
  if (amount === 0n) throw new InvalidInputError(parameter, `${parameter} is zero`, "give a positive amount");
  return amount;
}

/*//////////////////////////////////////////////////////////////////////////
                                   TOKENS
//////////////////////////////////////////////////////////////////////////*/

export interface TokenInfo {
  /** The zero address for ETH. */
  address: Address;
  symbol: string;
  decimals: number;
}

/** A token's symbol and decimals (ETH: "ETH", 18). A token without symbol() is named by its address. */
export async function getTokenInfo(client: TributaryClient, token: Address): Promise<TokenInfo> {
  if (token.toLowerCase() === ETH) return { address: ETH, symbol: "ETH", decimals: 18 };
  const { publicClient } = client.network;
  const [symbol, decimals] = await Promise.all([
    publicClient.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }).catch(() => undefined),
    publicClient.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }).catch(() => undefined),
  ]);
  if (decimals === undefined) {
    throw new InvalidInputError(
      "decimals",
      `the token ${token} does not say how many decimals it has`,
      "give them with --decimals",
    );
  }
  return { address: token, symbol: symbol ?? token, decimals: Number(decimals) };
}

/** "1.5 ETH" */
export function formatAmount(amount: bigint, token: Pick<TokenInfo, "symbol" | "decimals">): string {
  return `${formatUnits(amount, token.decimals)} ${token.symbol}`;
}

/*//////////////////////////////////////////////////////////////////////////
                                   POOLS
//////////////////////////////////////////////////////////////////////////*/

export interface CreatePoolParameters {
  /** An ERC-20's address, or ETH (the zero address). */
  token: Address;
  /** Seconds over which each deposit streams (the contract allows 1 hour to 10 years). */
  duration: number;
  /** Where the pool's metadata lives; may be empty. */
  uri?: string;
  /** The pool's admin; default the signing account. */
  admin?: Address;
}
export interface CreatePoolReturnType extends TransactionResult {
  poolId: bigint;
  token: Address;
  admin: Address;
  duration: number;
}

/** Opens a royalty pool. Anyone may; it belongs to `admin`. */
export async function createPool(
  client: TributaryClient,
  parameters: CreatePoolParameters,
): Promise<CreatePoolReturnType> {
  const { account } = requireSigner(client);
  const admin = parameters.admin ? parseAddress(parameters.admin, "admin") : account.address;
  const token = parameters.token.toLowerCase() === ETH ? ETH : parseAddress(parameters.token, "token");
  const vault = await vaultAddress(client.network);
  const call = await prepare<bigint>(client, {
    address: vault,
    abi: royaltyVaultAbi,
    functionName: "createPool",
    args: [token, admin, parameters.duration, parameters.uri ?? ""],
  });
  const transaction = await call.send();
  return { poolId: call.result, token, admin, duration: parameters.duration, ...transaction };
}

/** A pool as the chain reports it now. Amounts scaled by 1e9 are marked "Scaled". */
export interface PoolState {
  poolId: bigint;
  token: Address;
  admin: Address;
  attributor: Address | null;
  duration: number;
  totalUnits: bigint;
  ratePerSecondScaled: bigint;
  streamEnd: number;
  accPerUnitScaled: bigint;
  notYetStreamedScaled: bigint;
  carriedRemainderScaled: bigint;
}

/** A pool's state read from the chain. Throws PoolNotFoundError for an unknown id. */
export async function getPool(client: TributaryClient, poolId: bigint): Promise<PoolState> {
  const state = await read<{
    token: Address;
    admin: Address;
    attributor: Address;
    duration: number;
    totalUnits: bigint;
    ratePerSecond: bigint;
    streamEnd: number;
    accPerUnit: bigint;
    notYetStreamed: bigint;
    carriedRemainder: bigint;
  }>(client, "getPool", [poolId]);
  return {
    poolId,
    token: state.token,
    admin: state.admin,
    attributor: state.attributor === zeroAddress ? null : state.attributor,
    duration: Number(state.duration),
    totalUnits: state.totalUnits,
    ratePerSecondScaled: state.ratePerSecond,
    streamEnd: Number(state.streamEnd),
    accPerUnitScaled: state.accPerUnit,
    notYetStreamedScaled: state.notYetStreamed,
    carriedRemainderScaled: state.carriedRemainder,
  };
}

/** What a contribution can claim from a pool now, in the token's smallest unit. */
export async function getClaimable(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<bigint> {
  return read<bigint>(client, "claimable", [poolId, parseHash(contributionId, "contribution")]);
}

/*//////////////////////////////////////////////////////////////////////////
                                   UNITS
//////////////////////////////////////////////////////////////////////////*/

export interface UnitsEntry {
  contributionId: Hex;
  units: bigint;
}

export interface ParseUnitsCsvParameters {
  /** The CSV's text: a header naming the columns `contribution,units`. */
  text: string;
  /** The file's name, for error messages. */
  source?: string;
  /** The folder that `file:` paths are relative to; default the working directory. */
  baseDir?: string;
}

/**
 * Reads units from a CSV with the columns `contribution,units` (`contributionId` or `hash` may name the first). A
 * contribution is a content hash (0x + 64 hex), `file:<path>` (a text file, hashed as canonical text, the path
 * relative to `baseDir`), or otherwise the text of a prompt itself, hashed as canonical text (tributary hash --text).
 * Units are whole numbers; errors name the line.
 */
export async function parseUnitsCsv(parameters: ParseUnitsCsvParameters): Promise<UnitsEntry[]> {
  const source = parameters.source ?? "the CSV";
  const rows = parseCsv({ text: parameters.text, required: ["units"], source });
  const entries: UnitsEntry[] = [];
  for (const { line, values } of rows) {
    const contribution = values.contribution ?? values.contenthash ?? values.hash;
    if (contribution === undefined) {
      throw new InvalidInputError(
        "csv",
        `${source} has no "contribution" column`,
        "add a header row naming the columns contribution,units",
      );
    }
    if (contribution === "") {
      throw new InvalidInputError("csv", `${source} line ${line} has no contribution`, "give a hash, file: or text");
    }
    let contributionId: Hex;
    if (contribution.startsWith("0x")) {
      try {
        contributionId = parseHash(contribution, "contribution");
      } catch (error) {
        const e = error as InvalidInputError;
        throw new InvalidInputError("csv", `${source} line ${line}: ${e.problem}`, e.hint);
      }
    } else if (contribution.startsWith("file:")) {
      const { resolve } = await import("node:path");
      contributionId = await hashTextFile(resolve(parameters.baseDir ?? ".", contribution.slice(5)));
    } else {
      contributionId = hashText(contribution);
    }
    if (!/^\d+$/.test(values.units ?? "")) {
      throw new InvalidInputError(
        "csv",
        `${source} line ${line}: units "${values.units}" is not a whole number`,
        "give units as a whole number such as 100",
      );
    }
    entries.push({ contributionId, units: BigInt(values.units!) });
  }
  if (entries.length === 0) {
    throw new InvalidInputError("csv", `${source} lists no contribution`, "add one row per contribution");
  }
  return entries;
}

export interface SetUnitsParameters {
  poolId: bigint;
  entries: readonly UnitsEntry[];
  /**
   * Contributions per transaction, at most the contract's MAX_BATCH_SIZE (512). Default 256: a new position costs
   * about 32,000 gas, and about 58,000 for a hash nobody registered (its escrow opened, bench/suites/vault.ts), so 256
   * stay below the 16,777,216 gas a transaction may use since EIP-7825 (about 14.8 million at worst; 512 would not).
   */
  batchSize?: number;
}

/** The default number of contributions per setUnits transaction. */
export const DEFAULT_UNITS_BATCH_SIZE = 256;
export interface SetUnitsReturnType {
  poolId: bigint;
  /** How many contributions' units were set. */
  count: number;
  /** One transaction per batch of at most MAX_BATCH_SIZE contributions. */
  transactions: TransactionResult[];
}

/**
 * Sets contributions' units in a pool, in batches (see `batchSize`). Every batch is simulated before
 * the first is sent, so a bad entry anywhere sends nothing.
 */
export async function setUnits(client: TributaryClient, parameters: SetUnitsParameters): Promise<SetUnitsReturnType> {
  if (parameters.entries.length === 0) {
    throw new InvalidInputError("units", "there are no units to set", "give at least one contribution");
  }
  const seen = new Set<string>();
  const maxUnits = await read<bigint>(client, "MAX_UNITS", []);
  for (const entry of parameters.entries) {
    const id = parseHash(entry.contributionId, "contribution");
    if (seen.has(id)) {
      throw new InvalidInputError("units", `${id} appears twice`, "give each contribution once");
    }
    seen.add(id);
    if (entry.units < 0n || entry.units > maxUnits) {
      throw new InvalidInputError(
        "units",
        `${entry.units} units for ${id} are outside 0 to ${maxUnits}`,
        "scale the units down",
      );
    }
  }
  const vault = await vaultAddress(client.network);
  const maxBatch = Number(await read<bigint>(client, "MAX_BATCH_SIZE", []));
  const size = parameters.batchSize ?? Math.min(DEFAULT_UNITS_BATCH_SIZE, maxBatch);
  if (!Number.isInteger(size) || size < 1 || size > maxBatch) {
    throw new InvalidInputError(
      "batchSize",
      `a batch of ${size} is outside 1 to ${maxBatch}`,
      "give a smaller batch size",
    );
  }
  const calls: PreparedCall<void>[] = [];
  for (let i = 0; i < parameters.entries.length; i += size) {
    const batch = parameters.entries.slice(i, i + size);
    calls.push(
      await prepare<void>(client, {
        address: vault,
        abi: royaltyVaultAbi,
        functionName: "setUnits",
        args: [parameters.poolId, batch.map((e) => e.contributionId), batch.map((e) => e.units)],
      }),
    );
  }
  const transactions: TransactionResult[] = [];
  for (const call of calls) transactions.push(await call.send());
  return { poolId: parameters.poolId, count: parameters.entries.length, transactions };
}

/*//////////////////////////////////////////////////////////////////////////
                                  DEPOSITS
//////////////////////////////////////////////////////////////////////////*/

export interface DepositParameters {
  poolId: bigint;
  /** In the token's smallest unit. */
  amount: bigint;
}
export interface DepositReturnType extends TransactionResult {
  poolId: bigint;
  token: TokenInfo;
  amount: bigint;
  /** The approval sent first for an ERC-20 whose allowance was too small. */
  approval: TransactionResult | undefined;
}

/**
 * Pays revenue into a pool: ETH as the transaction's value, or an ERC-20 by approving the vault (when the allowance
 * is short) and then depositing. The balance is checked first: InsufficientFundsError, and nothing is sent.
 */
export async function deposit(client: TributaryClient, parameters: DepositParameters): Promise<DepositReturnType> {
  const { account } = requireSigner(client);
  if (parameters.amount <= 0n) throw new InvalidInputError("amount", "the amount is zero", "give a positive amount");
  const vault = await vaultAddress(client.network);
  const pool = await getPool(client, parameters.poolId);
  // The deposit of an ERC-20 cannot be simulated before its approval: everything it would revert on that can be
  // read (the pool, the pause, the amount, the balance) is checked before the approval is sent.
  if ((await read<{ paused: boolean }>(client, "config", [])).paused) throw contractError("RoyaltyVault_Paused");
  const token = await getTokenInfo(client, pool.token);
  const depositCall = {
    address: vault,
    abi: royaltyVaultAbi as Abi,
    functionName: "deposit",
    args: [parameters.poolId, parameters.amount],
  };
  if (token.address === ETH) {
    const call = await prepare<bigint>(client, { ...depositCall, value: parameters.amount });
    return { poolId: parameters.poolId, token, amount: parameters.amount, approval: undefined, ...(await call.send()) };
  }

  const { publicClient } = client.network;
  let balance: bigint;
  let allowance: bigint;
  try {
    [balance, allowance] = await Promise.all([
      publicClient.readContract({
        address: token.address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account.address],
      }),
      publicClient.readContract({
        address: token.address,
        abi: erc20Abi,
        functionName: "allowance",
        args: [account.address, vault],
      }),
    ]);
  } catch (error) {
    throw toTributaryError(error);
  }
  if (balance < parameters.amount) {
    throw new InsufficientFundsError(account.address, balance, parameters.amount, {
      what: `${token.symbol} to deposit into pool ${parameters.poolId}`,
      format: (amount) => formatAmount(amount, token),
      hint: `get more ${token.symbol} or deposit less`,
    });
  }
  let approval: TransactionResult | undefined;
  if (allowance < parameters.amount) {
    // The approval is for exactly this deposit.
    const approve = await prepare<boolean>(client, {
      address: token.address,
      abi: erc20Abi,
      functionName: "approve",
      args: [vault, parameters.amount],
    });
    approval = await approve.send();
  }
  const call = await prepare<bigint>(client, depositCall);
  return { poolId: parameters.poolId, token, amount: parameters.amount, approval, ...(await call.send()) };
}

/*//////////////////////////////////////////////////////////////////////////
                                   ESCROW
//////////////////////////////////////////////////////////////////////////*/

/** A contribution's escrow in a pool, and whether its registered author may claim now. */
export interface EscrowState {
  poolId: bigint;
  contributionId: Hex;
  /** Whether the pool gave the hash units while nobody had registered it: its claims follow the escrow rule. */
  escrowed: boolean;
  /** Unix seconds at which the pool made the unregistered hash public; 0 when not escrowed. */
  exposedAt: number;
  /** The date (`registeredAt`) of the record the pool's admin confirmed; 0 when none. */
  confirmedAt: number;
  /** The registered author now; null when nobody has registered the hash. */
  author: Address | null;
  /** The date of the author's record, in Unix seconds; null when unregistered. */
  registeredAt: number | null;
  /**
   * Whether the registered author may claim under the escrow rule: true when not escrowed, or when the record is
   * dated before the exposure or is the one the admin confirmed.
   */
  canClaim: boolean;
  /** What the contribution can claim from the pool now, in the token's smallest unit. */
  claimable: bigint;
}

/**
 * Whether the contribution's registered author may claim from the pool now under the escrow rule (the vault's
 * canClaim): false for an escrowed position whose record is newer than the pool's exposure and unconfirmed, or
 * whose hash nobody registered.
 */
export async function canClaim(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<boolean> {
  return read<boolean>(client, "canClaim", [poolId, parseHash(contributionId, "contribution")]);
}

/** A contribution's escrow in a pool, read from the chain. Throws PoolNotFoundError for an unknown pool. */
export async function getEscrow(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<EscrowState> {
  const id = parseHash(contributionId, "contribution");
  await getPool(client, poolId);
  const [[position], escrow, allowed, claimable, record] = await Promise.all([
    read<[{ escrowed: boolean }, bigint]>(client, "positionOf", [poolId, id]),
    read<{ exposedAt: number; confirmedAt: number }>(client, "escrowOf", [poolId, id]),
    canClaim(client, poolId, id),
    getClaimable(client, poolId, id),
    client.network.publicClient
      .readContract({
        address: client.network.registry,
        abi: authorshipRegistryAbi,
        functionName: "getRecord",
        args: [id],
      })
      .catch((error: unknown) => {
        throw toTributaryError(error);
      }),
  ]);
  const registered = record.author !== zeroAddress;
  return {
    poolId,
    contributionId: id,
    escrowed: position.escrowed,
    exposedAt: Number(escrow.exposedAt),
    confirmedAt: Number(escrow.confirmedAt),
    author: registered ? record.author : null,
    registeredAt: registered ? Number(record.registeredAt) : null,
    canClaim: allowed,
    claimable,
  };
}

export interface ConfirmAuthorParameters {
  poolId: bigint;
  /** The escrowed contribution. */
  contributionId: Hex;
  /** The wallet the admin checked: it must be the registered author now. */
  author: Address;
}
export interface ConfirmAuthorReturnType {
  poolId: bigint;
  contributionId: Hex;
  author: Address;
  /** The date of the record confirmed, in Unix seconds: a transfer of authorship keeps it, a supersession does not. */
  registeredAt: number;
  /** False when the admin had confirmed this very record already: nothing was sent. */
  confirmed: boolean;
  transaction: TransactionResult | undefined;
}

/**
 * Confirms, as the pool's admin, that the registered record of an escrowed contribution is its true author's, so
 * that it can claim the royalties that waited in escrow although its record is newer than the pool's exposure of the
 * hash. Check who the author is before confirming: anyone who read the hash in the pool's events could have
 * registered it. Refused (nothing sent) for someone else's pool (NotPoolAdmin), a position that holds no escrow
 * (NotEscrowed) or a wallet that is not the registered author (AuthorMismatch).
 */
export async function confirmAuthor(
  client: TributaryClient,
  parameters: ConfirmAuthorParameters,
): Promise<ConfirmAuthorReturnType> {
  const contributionId = parseHash(parameters.contributionId, "contribution");
  const author = parseAddress(parameters.author, "author");
  const call = await prepare<void>(client, {
    address: await vaultAddress(client.network),
    abi: royaltyVaultAbi,
    functionName: "confirmAuthor",
    args: [parameters.poolId, contributionId, author],
  });
  const escrow = await getEscrow(client, parameters.poolId, contributionId);
  const result = { poolId: parameters.poolId, contributionId, author, registeredAt: escrow.registeredAt ?? 0 };
  if (escrow.confirmedAt !== 0 && escrow.confirmedAt === escrow.registeredAt) {
    return { ...result, confirmed: false, transaction: undefined };
  }
  const transaction = await call.send();
  const { logs } = await client.network.publicClient.getTransactionReceipt({ hash: transaction.transactionHash });
  const [confirmed] = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "AuthorConfirmed" });
  return { ...result, registeredAt: Number(confirmed!.args.registeredAt), confirmed: true, transaction };
}

/*//////////////////////////////////////////////////////////////////////////
                                   CLAIMS
//////////////////////////////////////////////////////////////////////////*/

export interface ClaimParameters {
  /** The pools to claim from. */
  poolIds: readonly bigint[];
  /** The contributions to claim, in each pool. */
  contributionIds: readonly Hex[];
  /** Who is paid; default the signing account. */
  to?: Address;
}

export interface ClaimedItem {
  poolId: bigint;
  contributionId: Hex;
  token: Address;
  amount: bigint;
  /** The registered author the royalties belong to. */
  author: Address;
  /** The wallet paid, or whose transfer failed (then see `deferred`). */
  recipient: Address;
}

/**
 * A payout whose transfer failed (a wallet that refuses ETH, a blocklisted recipient): credited in the vault to the
 * contribution's author, who withdraws it to any wallet with withdrawDeferred.
 */
export interface DeferredItem {
  poolId: bigint;
  contributionId: Hex;
  token: Address;
  /** The author credited: who may withdraw it (withdrawDeferred). */
  account: Address;
  /** The wallet whose transfer failed. */
  recipient: Address;
  amount: bigint;
}

export interface ClaimReturnType extends TransactionResult {
  to: Address;
  claimed: ClaimedItem[];
  /** Payouts credited in the vault to their author instead of paid, to withdraw with withdrawDeferred. */
  deferred: DeferredItem[];
  /** (pool, contribution) pairs given that were left out, and why. */
  skipped: SkippedPair[];
}

interface ClaimPair {
  poolId: bigint;
  contributionId: Hex;
}

/**
 * A (pool, contribution) pair a claim left out, and why: it owed nothing; or its royalties wait in escrow, because
 * nobody has registered the contribution yet ("unregistered"), or because its record is newer than the pool's
 * exposure of the hash and the pool's admin has not confirmed it ("escrow-unconfirmed", see confirmAuthor).
 */
export interface SkippedPair extends ClaimPair {
  reason: "nothing owed" | "unregistered" | "escrow-unconfirmed";
}

/**
 * Every (pool, contribution) pair of the given pools and contributions, and those that owe something now; pairs that
 * owe nothing are skipped.
 */
async function claimPairs(client: TributaryClient, poolIds: readonly bigint[], contributionIds: readonly Hex[]) {
  if (poolIds.length === 0 || contributionIds.length === 0) {
    throw new InvalidInputError("claim", "no pool or no contribution given", "give at least one of each");
  }
  const ids = [...new Set(contributionIds.map((id) => parseHash(id, "contribution")))];
  const uniquePools = [...new Set(poolIds)];
  const pairs: ClaimPair[] = uniquePools.flatMap((poolId) => ids.map((contributionId) => ({ poolId, contributionId })));
  const pools = new Map<bigint, PoolState>();
  for (const poolId of uniquePools) pools.set(poolId, await getPool(client, poolId));
  const amounts = await Promise.all(pairs.map((p) => getClaimable(client, p.poolId, p.contributionId)));
  const owing = pairs.filter((_, i) => amounts[i]! > 0n);
  const skipped: SkippedPair[] = pairs
    .filter((_, i) => amounts[i] === 0n)
    .map((p) => ({ ...p, reason: "nothing owed" as const }));
  return { pools, pairs, owing, skipped };
}

/**
 * Splits owing pairs into those the vault would pay now and those whose royalties wait in escrow, with the reason:
 * "unregistered" when nobody registered the hash, "escrow-unconfirmed" when its record may not claim the escrow.
 */
async function escrowFilter(
  client: TributaryClient,
  owing: readonly ClaimPair[],
  authors: ReadonlyMap<Hex, Address>,
): Promise<{ payable: ClaimPair[]; waiting: SkippedPair[] }> {
  const allowed = await Promise.all(owing.map((p) => canClaim(client, p.poolId, p.contributionId)));
  const payable = owing.filter((_, i) => allowed[i]);
  const waiting = owing
    .filter((_, i) => !allowed[i])
    .map((p) => ({
      ...p,
      reason:
        authors.get(p.contributionId) === zeroAddress ? ("unregistered" as const) : ("escrow-unconfirmed" as const),
    }));
  return { payable, waiting };
}

/** Pairs as a batch's arguments: the pools, and per pool its contributions. */
function byPool(pairs: readonly ClaimPair[]): [bigint[], Hex[][]] {
  const grouped = new Map<bigint, Hex[]>();
  for (const p of pairs) grouped.set(p.poolId, [...(grouped.get(p.poolId) ?? []), p.contributionId]);
  return [[...grouped.keys()], [...grouped.values()]];
}

/** Sends a prepared claim and reads what it paid and deferred from its events. */
async function sendClaim(client: TributaryClient, call: PreparedCall<unknown>, pools: ReadonlyMap<bigint, PoolState>) {
  const transaction = await call.send();
  // What was paid is what accrued up to the block the claim was mined in: read from its events.
  const { logs } = await client.network.publicClient.getTransactionReceipt({ hash: transaction.transactionHash });
  const claimed = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "RoyaltiesClaimed" }).map(({ args }) => ({
    poolId: args.poolId,
    contributionId: args.contributionId,
    token: pools.get(args.poolId)!.token,
    amount: args.amount,
    author: args.author,
    recipient: args.recipient,
  }));
  const deferred = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "PayoutDeferred" }).map(({ args }) => ({
    poolId: args.poolId,
    contributionId: args.contributionId,
    token: args.token,
    account: args.account,
    recipient: args.recipient,
    amount: args.amount,
  }));
  return { ...transaction, claimed, deferred };
}

/**
 * Claims the royalties of the signer's contributions from the pools, to `to`, in one transaction. Pairs that owe
 * nothing are left out, and so are pairs whose royalties wait in escrow (unregistered, or a record newer than the
 * pool's exposure that its admin has not confirmed): the vault would refuse the whole claim. When no pair is left,
 * the single claim's revert (NothingToClaim, EscrowUnconfirmed, NotRegistered, NotAuthor, PoolNotFound...) is
 * reported and nothing is sent. A payout whose transfer to `to` fails is credited to the author (`deferred`).
 */
export async function claim(client: TributaryClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  const { account } = requireSigner(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const { pools, pairs, owing, skipped } = await claimPairs(client, parameters.poolIds, parameters.contributionIds);
  const { payable, waiting } = await escrowFilter(
    client,
    owing,
    await authorsOf(
      client,
      owing.map((p) => p.contributionId),
    ),
  );
  // Nothing payable is left: one pair goes through claim, whose simulation names why.
  const claiming = payable.length > 0 ? payable : [waiting[0] ?? pairs[0]!];
  const vault = await vaultAddress(client.network);
  const call =
    claiming.length === 1
      ? await prepare<bigint>(client, {
          address: vault,
          abi: royaltyVaultAbi,
          functionName: "claim",
          args: [claiming[0]!.poolId, claiming[0]!.contributionId, to],
        })
      : await prepare<bigint>(client, {
          address: vault,
          abi: royaltyVaultAbi,
          functionName: "claimBatch",
          args: [...byPool(claiming), to],
        });
  return { to, ...(await sendClaim(client, call, pools)), skipped: [...skipped, ...waiting] };
}

export interface ClaimForParameters {
  /** The pools to claim from. */
  poolIds: readonly bigint[];
  /** The contributions to claim, in each pool; any author's. */
  contributionIds: readonly Hex[];
}

export type ClaimForReturnType = Omit<ClaimReturnType, "to">;

/** Each contribution's registered author at the latest block; the zero address for a hash nobody registered. */
async function authorsOf(client: TributaryClient, contributionIds: readonly Hex[]): Promise<Map<Hex, Address>> {
  const { publicClient, registry } = client.network;
  const unique = [...new Set(contributionIds)];
  try {
    const authors = await Promise.all(
      unique.map((id) =>
        publicClient.readContract({
          address: registry,
          abi: authorshipRegistryAbi,
          functionName: "authorOf",
          args: [id],
        }),
      ),
    );
    return new Map(unique.map((id, i) => [id, authors[i]!]));
  } catch (error) {
    throw toTributaryError(error);
  }
}

/**
 * A keeper's claim: claims contributions' royalties for their registered authors, each author paid directly (the
 * vault's claimFor); anyone may send it and pays only the gas. Pairs that owe nothing are left out, and so are pairs
 * whose royalties wait in escrow: unregistered contributions ("unregistered") and records the escrow rule does not
 * let claim yet ("escrow-unconfirmed"), either of which would make the vault refuse the whole claim. Within each
 * pool the pairs are sent grouped by author, so that each author's contributions share one transfer. When no pair is
 * left, the revert of one (NothingToClaim, NotRegistered, EscrowUnconfirmed...) is reported and nothing is sent.
 */
export async function claimFor(client: TributaryClient, parameters: ClaimForParameters): Promise<ClaimForReturnType> {
  requireSigner(client);
  const { pools, pairs, owing, skipped } = await claimPairs(client, parameters.poolIds, parameters.contributionIds);
  const authors = await authorsOf(
    client,
    owing.map((p) => p.contributionId),
  );
  const { payable, waiting } = await escrowFilter(client, owing, authors);
  // Nothing payable is left: send one pair through the simulation, whose revert names why.
  const sending = payable.length > 0 ? payable : [waiting[0] ?? pairs[0]!];
  const authorKey = (p: ClaimPair) => (authors.get(p.contributionId) ?? zeroAddress).toLowerCase();
  const byAuthor = (a: ClaimPair, b: ClaimPair) => {
    const [x, y] = [authorKey(a), authorKey(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const call = await prepare<void>(client, {
    address: await vaultAddress(client.network),
    abi: royaltyVaultAbi,
    functionName: "claimFor",
    // byPool groups the pairs by pool in the order met; sorted by author first, each pool's list holds each author's
    // contributions side by side.
    args: byPool([...sending].sort(byAuthor)),
  });
  // Here some pair is payable (else the simulation above refused the call): every waiting pair was left out.
  return { ...(await sendClaim(client, call, pools)), skipped: [...skipped, ...waiting] };
}

/*//////////////////////////////////////////////////////////////////////////
                              DEFERRED PAYOUTS
//////////////////////////////////////////////////////////////////////////*/

/** A wallet's deferred payouts of a token (ETH: the zero address), in the token's smallest unit. */
export async function getDeferred(client: TributaryClient, account: Address, token: Address): Promise<bigint> {
  return read<bigint>(client, "deferredOf", [parseAddress(account, "account"), token]);
}

export interface WithdrawDeferredParameters {
  /** The token; ETH is the zero address. */
  token: Address;
  /** Who is paid; default the signing account. */
  to?: Address;
}

export interface WithdrawDeferredReturnType extends TransactionResult {
  token: Address;
  /** The signing account, whose credit is withdrawn. */
  account: Address;
  to: Address;
  /** What was withdrawn, in the token's smallest unit (from the DeferredWithdrawn event). */
  amount: bigint;
  /** The account's deferred payouts of the token before and after the withdrawal. */
  deferredBefore: bigint;
  deferredAfter: bigint;
}

/**
 * Withdraws the signer's deferred payouts of a token: what the vault credited when a claim's transfer to it failed.
 * Nothing deferred is the vault's NoDeferred, and nothing is sent. Unlike a claim's payout, this transfer forwards
 * all gas and a failure reverts (EthTransferFailed, TokenTransferFailed): name another wallet with `to`.
 */
export async function withdrawDeferred(
  client: TributaryClient,
  parameters: WithdrawDeferredParameters,
): Promise<WithdrawDeferredReturnType> {
  const { account } = requireSigner(client);
  const token = parameters.token.toLowerCase() === ETH ? ETH : parseAddress(parameters.token, "token");
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const deferredBefore = await getDeferred(client, account.address, token);
  const call = await prepare<void>(client, {
    address: await vaultAddress(client.network),
    abi: royaltyVaultAbi,
    functionName: "withdrawDeferred",
    args: [token, to],
  });
  const transaction = await call.send();
  const { logs } = await client.network.publicClient.getTransactionReceipt({ hash: transaction.transactionHash });
  const [withdrawn] = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "DeferredWithdrawn" });
  return {
    ...transaction,
    token,
    account: account.address,
    to,
    amount: withdrawn!.args.amount,
    deferredBefore,
    deferredAfter: await getDeferred(client, account.address, token),
  };
}
