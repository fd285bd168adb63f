// Every model provider's and contributor's action on the RoyaltyVault, and its on-chain queries. Like the registry's
// actions, each write is simulated first (a revert becomes a named ContractRevertError), what the account pays (gas,
// and the deposit itself) is checked against its balances, and only then is anything sent.
import {
  erc20Abi,
  formatUnits,
  parseEventLogs,
  parseUnits,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Hex,
  type WalletClient,
} from "viem";

import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";
import type { Network } from "./config.ts";
import {
  contractError,
  InsufficientFundsError,
  InvalidInputError,
  KeyError,
  TributaryError,
  WrongNetworkError,
  toTributaryError,
} from "./errors.ts";
import { parseCsv } from "./csv.ts";
import { hashText, hashTextFile } from "./hashing.ts";
import { parseAddress, parseHash } from "./parse.ts";
import type { TransactionResult, TributaryClient } from "./registry.ts";

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

function requireSigner(client: TributaryClient): { account: Account; walletClient: WalletClient } {
  if (!client.account || !client.walletClient) {
    throw new KeyError(
      "this action sends a transaction and no key is configured",
      "pass --keystore or set TRIBUTARY_PRIVATE_KEY",
    );
  }
  return { account: client.account, walletClient: client.walletClient };
}

interface PreparedCall<T> {
  result: T;
  send: () => Promise<TransactionResult>;
}

/**
 * Simulates a call and checks that the account can pay its gas plus `value`; returns the simulated result and a
 * `send` that sends it and waits for the receipt. Nothing is sent until `send` is called, so a caller can prepare
 * several calls and send none of them if one fails.
 */
async function prepare<T>(
  client: TributaryClient,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint },
): Promise<PreparedCall<T>> {
  const { account, walletClient } = requireSigner(client);
  const { publicClient, chain } = client.network;
  const base = { ...call, account };
  const request = base as never;
  try {
    const { result } = (await publicClient.simulateContract(request)) as unknown as { result: T };
    const gas = await publicClient.estimateContractGas(request);
    const fees = await publicClient.estimateFeesPerGas();
    const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
    const balance = await publicClient.getBalance({ address: account.address });
    const value = call.value ?? 0n;
    const needed = gas * price + value;
    if (balance < needed) {
      throw new InsufficientFundsError(
        account.address,
        balance,
        needed,
        value > 0n
          ? { what: "ETH for the amount and gas", hint: "fund the account or deposit less" }
          : { hint: "fund the account with ETH for gas" },
      );
    }
    return {
      result,
      send: async () => {
        try {
          // Gas is estimated again against the chain as it is now: an earlier batch may have changed what this
          // one costs.
          const gasNow = await publicClient.estimateContractGas(request);
          const hash = await walletClient.writeContract({ ...base, gas: gasNow, chain } as never);
          const receipt = await publicClient.waitForTransactionReceipt({ hash });
          if (receipt.status !== "success") {
            throw new TributaryError(
              "REVERTED",
              `the transaction ${hash} reverted on-chain`,
              "look it up on the node and retry",
            );
          }
          return {
            transactionHash: hash,
            blockNumber: receipt.blockNumber,
            gasUsed: receipt.gasUsed,
            from: account.address,
          };
        } catch (error) {
          throw toTributaryError(error);
        }
      },
    };
  } catch (error) {
    throw toTributaryError(error);
  }
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
 * Reads units from a CSV with the columns `contribution,units` (`contentHash` or `hash` may name the first). A
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
   * Contributions per transaction, at most the contract's MAX_BATCH_SIZE (512). Default 256: a batch of new
   * positions costs about 32,000 gas each, so 256 stay well below the 16,777,216 gas a transaction may use since
   * EIP-7825 (512 would not when the contributions are registered).
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
  /** The wallet paid, or credited with a deferred payout. */
  recipient: Address;
}

/** A payout whose transfer failed (a wallet that refuses ETH, a blocklisted recipient): credited in the vault. */
export interface DeferredItem {
  token: Address;
  /** Who may withdraw it (withdrawDeferred). */
  account: Address;
  amount: bigint;
}

export interface ClaimReturnType extends TransactionResult {
  to: Address;
  claimed: ClaimedItem[];
  /** Payouts credited in the vault instead of paid, to withdraw with withdrawDeferred. */
  deferred: DeferredItem[];
  /** (pool, contribution) pairs given that were left out, and why. */
  skipped: SkippedPair[];
}

interface ClaimPair {
  poolId: bigint;
  contributionId: Hex;
}

/**
 * A (pool, contribution) pair a claim left out: it owed nothing, or (a keeper's claim) it owes royalties that wait in
 * escrow because nobody has registered the contribution yet.
 */
export interface SkippedPair extends ClaimPair {
  reason: "nothing owed" | "unregistered";
}

/**
 * Every (pool, contribution) pair of the given pools and contributions, what each can claim now, and the one to
 * simulate alone when none owes anything (its revert names why: NothingToClaim, NotAuthor, NotRegistered).
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
  const claiming = owing.length > 0 ? owing : [pairs[0]!];
  const skipped = pairs.filter((p) => !claiming.includes(p)).map((p) => ({ ...p, reason: "nothing owed" as const }));
  return { pools, claiming, skipped };
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
    token: args.token,
    account: args.account,
    amount: args.amount,
  }));
  return { ...transaction, claimed, deferred };
}

/**
 * Claims the royalties of the signer's contributions from the pools, to `to`, in one transaction. Pairs that owe
 * nothing are left out; when none owes anything the single claim's revert (NothingToClaim, NotAuthor, NotRegistered,
 * PoolNotFound...) is reported and nothing is sent.
 */
export async function claim(client: TributaryClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  const { account } = requireSigner(client);
  const to = parameters.to ? parseAddress(parameters.to, "to") : account.address;
  const { pools, claiming, skipped } = await claimPairs(client, parameters.poolIds, parameters.contributionIds);
  const vault = await vaultAddress(client.network);
  // One pair goes through claim, whose simulation names what is wrong when there is nothing to claim.
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
  return { to, ...(await sendClaim(client, call, pools)), skipped };
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
 * vault's claimFor); anyone may send it and pays only the gas. Pairs that owe nothing are left out, and so are
 * unregistered contributions whose royalties wait in escrow for their author (the vault would refuse the whole
 * claim with NotRegistered). Within each pool the pairs are sent grouped by author, so that each author's
 * contributions share one transfer. When no pair is left, the revert of one (NothingToClaim, NotRegistered...) is
 * reported and nothing is sent.
 */
export async function claimFor(client: TributaryClient, parameters: ClaimForParameters): Promise<ClaimForReturnType> {
  requireSigner(client);
  const { pools, claiming, skipped } = await claimPairs(client, parameters.poolIds, parameters.contributionIds);
  const authors = await authorsOf(
    client,
    claiming.map((p) => p.contributionId),
  );
  const registered = claiming.filter((p) => authors.get(p.contributionId) !== zeroAddress);
  const escrowed = claiming.filter((p) => !registered.includes(p));
  // Nothing claimable is left: send one pair through the simulation, whose revert names why.
  const sending = registered.length > 0 ? registered : [claiming[0]!];
  const byAuthor = (a: ClaimPair, b: ClaimPair) => {
    const [x, y] = [authors.get(a.contributionId)!.toLowerCase(), authors.get(b.contributionId)!.toLowerCase()];
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
  // Here some pair is registered (else the simulation above refused the call): every escrowed pair was left out.
  const left = escrowed.map((p) => ({ ...p, reason: "unregistered" as const }));
  return { ...(await sendClaim(client, call, pools)), skipped: [...skipped, ...left] };
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
