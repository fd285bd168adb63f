// Every failure the SDK reports is a TributaryError: one sentence saying what happened, then what to do about it.
// Contract reverts are decoded from the ABI into ContractRevertError with the custom error's name and arguments,
// worded for a person rather than a Solidity developer.
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  formatEther,
  InsufficientFundsError as ViemInsufficientFundsError,
  type Hex,
} from "viem";

import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";

/** The base of every error the SDK throws. `message` is `<what happened>; <what to do>` on one line. */
export class TributaryError extends Error {
  /** A stable machine-readable code, e.g. "INVALID_INPUT", "WRONG_NETWORK", "AuthorshipRegistry_NotAuthor". */
  readonly code: string;
  /** What went wrong, without the advice. */
  readonly problem: string;
  /** What the user can do about it. */
  readonly hint: string;

  constructor(code: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super(oneLine(hint ? `${problem}; ${hint}` : problem), options);
    this.name = "TributaryError";
    this.code = code;
    this.problem = problem;
    this.hint = hint;
  }
}

/** A value given by the user is malformed (an address, a hash, a number, a kind, a date...). */
export class InvalidInputError extends TributaryError {
  readonly parameter: string;
  constructor(parameter: string, problem: string, hint: string) {
    super("INVALID_INPUT", problem, hint);
    this.name = "InvalidInputError";
    this.parameter = parameter;
  }
}

/** A file or folder the user named cannot be read. */
export class FileError extends TributaryError {
  readonly path: string;
  constructor(path: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super("FILE", problem, hint, options);
    this.name = "FileError";
    this.path = path;
  }
}

/** Configuration is missing or inconsistent (no RPC URL, no deployment file, no API URL...). */
export class ConfigError extends TributaryError {
  constructor(problem: string, hint: string, options?: { cause?: unknown }) {
    super("CONFIG", problem, hint, options);
    this.name = "ConfigError";
  }
}

/** The node is on another chain than the one expected, or the contracts are not where the deployment says. */
export class WrongNetworkError extends TributaryError {
  constructor(problem: string, hint: string) {
    super("WRONG_NETWORK", problem, hint);
    this.name = "WrongNetworkError";
  }
}

/** The node or the indexer's API cannot be reached. */
export class UnreachableError extends TributaryError {
  constructor(problem: string, hint: string, options?: { cause?: unknown }) {
    super("UNREACHABLE", problem, hint, options);
    this.name = "UnreachableError";
  }
}

/** No key is configured, the key is malformed, or the keystore cannot be decrypted. Never carries the key. */
export class KeyError extends TributaryError {
  constructor(problem: string, hint: string) {
    super("KEY", problem, hint);
    this.name = "KeyError";
  }
}

/** The keystore's password is wrong. */
export class WrongPasswordError extends KeyError {
  constructor(file: string) {
    super(`wrong password for the keystore ${file}`, "check TRIBUTARY_KEYSTORE_PASSWORD or type the password again");
    this.name = "WrongPasswordError";
  }
}

/** What an InsufficientFundsError is about, beyond gas in ETH. */
export interface InsufficientFundsDetails {
  /** What is short, e.g. "ETH for the deposit and gas" or "USDC"; default "ETH for gas". */
  what?: string;
  /** Formats an amount for the message; default formatEther + " ETH". */
  format?: (amount: bigint) => string;
  hint?: string;
}

/** The sending account cannot pay for the transaction (gas, or the amount it pays). Checked before sending. */
export class InsufficientFundsError extends TributaryError {
  readonly account: Hex;
  readonly balance: bigint;
  readonly needed: bigint;
  constructor(account: Hex, balance: bigint, needed: bigint, details: InsufficientFundsDetails = {}) {
    const format = details.format ?? ((amount: bigint) => `${formatEther(amount)} ETH`);
    super(
      "INSUFFICIENT_FUNDS",
      details.what
        ? `the account ${account} holds ${format(balance)} but this needs ${format(needed)} (${details.what})`
        : `the account ${account} holds ${format(balance)} but this transaction needs about ${format(needed)} for gas`,
      details.hint ?? "fund the account, or have a relayer submit a signed registration (tributary sign)",
    );
    this.name = "InsufficientFundsError";
    this.account = account;
    this.balance = balance;
    this.needed = needed;
  }
}

/** The indexer's API answered 400 or 404. */
export class ApiError extends TributaryError {
  readonly status: number;
  constructor(status: number, problem: string, hint: string) {
    super(status === 404 ? "NOT_FOUND" : "API", problem, hint);
    this.name = status === 404 ? "NotFoundError" : "ApiError";
    this.status = status;
  }
}

/** A contract reverted with one of its custom errors (decoded from the ABI). Nothing was sent. */
export class ContractRevertError extends TributaryError {
  /** The Solidity error's name, e.g. "AuthorshipRegistry_AlreadyRegistered". */
  readonly errorName: string;
  /** The error's arguments by name. */
  readonly args: Readonly<Record<string, unknown>>;
  constructor(errorName: string, args: Record<string, unknown>, problem: string, hint: string) {
    super(errorName, problem, hint);
    // "AuthorshipRegistry_AlreadyRegistered" -> "AlreadyRegisteredError"
    this.name = `${errorName.replace(/^[A-Za-z]+_/, "")}Error`;
    this.errorName = errorName;
    this.args = args;
  }
}

const time = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();
/** The vault's tokens: the zero address is ETH. */
const tokenName = (token: unknown) => (/^0x0{40}$/.test(String(token)) ? "ETH" : String(token));

type Explain = (a: Record<string, any>) => [problem: string, hint: string];

/** One entry per custom error of the protocol's ABIs: what it means and what to do. */
const EXPLANATIONS: Record<string, Explain> = {
  AuthorshipRegistry_ZeroHash: () => [
    "the content hash is zero, which identifies nothing",
    "hash the content with tributary hash first",
  ],
  AuthorshipRegistry_AlreadyRegistered: (a) => [
    `the hash ${a.contributionId} is already registered to ${a.author}`,
    "a hash is registered once; look it up with tributary contribution",
  ],
  AuthorshipRegistry_NotRegistered: (a) => [
    `the hash ${a.contributionId} is not registered`,
    "register it first with tributary register, or check the hash",
  ],
  AuthorshipRegistry_UnknownParent: (a) => [
    `the parent ${a.parent} of ${a.contributionId} is not registered`,
    "register the parent first, or remove it from --parent",
  ],
  AuthorshipRegistry_EmptyBatch: () => ["the batch holds no registration", "give at least one contribution"],
  AuthorshipRegistry_BatchTooLarge: (a) => [
    `the batch holds ${a.size} registrations, more than the ${a.maxSize} one transaction may carry`,
    "split it into smaller batches",
  ],
  AuthorshipRegistry_ZeroCommitment: () => [
    "the commitment is zero",
    "commit with tributary commit, which computes it",
  ],
  AuthorshipRegistry_CommitmentExists: (a) => [
    `${a.committer} already committed ${a.commitment} at ${time(a.committedAt)}`,
    "reveal it with tributary reveal, or wait until it expires",
  ],
  AuthorshipRegistry_UnknownCommitment: (a) => [
    `no commitment ${a.commitment} by ${a.committer} matches this reveal`,
    "reveal from the account that committed, with the commitment file tributary commit wrote",
  ],
  AuthorshipRegistry_RevealTooEarly: (a) => [
    `the commitment can be revealed from ${time(a.revealableAt)}, and it is ${time(a.currentTime)}`,
    `wait ${Number(a.revealableAt) - Number(a.currentTime)} s and reveal again`,
  ],
  AuthorshipRegistry_CommitmentExpired: (a) => [
    `the commitment expired at ${time(a.expiredAt)}`,
    "commit again with tributary commit and reveal within its lifetime",
  ],
  AuthorshipRegistry_SignatureExpired: (a) => [
    `the signature's deadline ${time(a.deadline)} has passed`,
    "ask the author to sign again with a later --deadline",
  ],
  AuthorshipRegistry_InvalidSigner: (a) => [
    `the signature was not made by ${a.author} for this registration, chain and registry (it recovers to ${a.recovered})`,
    "ask the author to sign it again against this network",
  ],
  AuthorshipRegistry_MalleableSignature: (a) => [
    `the signature of ${a.author} has a high s value`,
    "submit the signature exactly as the author's wallet produced it",
  ],
  AuthorshipRegistry_InvalidWalletSignature: (a) => [
    `the smart wallet ${a.wallet} did not approve this message`,
    "ask the wallet's owners to sign it again",
  ],
  AuthorshipRegistry_InvalidNonce: (a) => [
    `the signed change names nonce ${a.nonce} but the record ${a.contributionId} is at nonce ${a.expected}`,
    "sign the change again",
  ],
  AuthorshipRegistry_NotAuthor: (a) => [
    `${a.caller} is not the author of ${a.contributionId} (the author is ${a.author})`,
    "use the author's key",
  ],
  AuthorshipRegistry_NotPendingAuthor: (a) =>
    /^0x0{40}$/.test(String(a.pendingAuthor))
      ? [`no transfer of ${a.contributionId} is pending`, "ask the author to run tributary transfer first"]
      : [
          `${a.caller} may not accept ${a.contributionId}: the author named ${a.pendingAuthor}`,
          "accept with the key of the named wallet",
        ],
  AuthorshipRegistry_TransferToAuthor: (a) => [
    `${a.author} is already the author of ${a.contributionId}`,
    "name another wallet as the new author",
  ],
  AuthorshipRegistry_ZeroAttester: () => ["the attester is the zero address", "name a real wallet"],
  AuthorshipRegistry_NotAttester: (a) => [
    `${a.caller} is not an approved attester`,
    "ask the registry's owner to approve it (tributary attester approve)",
  ],
  AuthorshipRegistry_ZeroRoot: () => ["the Merkle root is zero", "build the tree from at least one contribution"],
  AuthorshipRegistry_RootAlreadyAnchored: (a) => [
    `the root ${a.root} was already anchored by ${a.attester} at ${time(a.anchoredAt)}`,
    "nothing to do: its leaves can be materialized",
  ],
  AuthorshipRegistry_UnknownRoot: (a) => [`the root ${a.root} is not anchored`, "check the root, or anchor it first"],
  AuthorshipRegistry_AttesterRevoked: (a) => [
    `the attester ${a.attester} of root ${a.root} has been revoked`,
    "its remaining leaves can no longer be materialized; register them directly",
  ],
  AuthorshipRegistry_InvalidProof: (a) => [
    `the proof does not lead from the leaf ${a.leaf} to the root ${a.root}`,
    "take the proof from the anchor's leaf file",
  ],
  AuthorshipRegistry_InvalidKind: (a) => [
    `the contribution kind ${a.kind} does not exist (kinds run from 0 to 5)`,
    "give one of prompt, correction, feedback, dataset, model-output, other",
  ],
  AuthorshipRegistry_RecordFinal: (a) => [
    `the record of ${a.contributionId} by ${a.author} is final since ${time(a.finalAt)}: older evidence can no longer supersede it`,
    "a record older than the supersession window (7 days) stands; nothing to do",
  ],
  AuthorshipRegistry_ZeroOwner: () => [
    "the registry's ownership cannot be proposed to the zero address",
    "name a real wallet; to cancel a proposal, propose the current owner",
  ],
  OwnableUnauthorizedAccount: (a) => [`${a.account} is not the owner`, "use the owner's key"],
  OwnableInvalidOwner: (a) => [`${a.owner} cannot be the owner`, "name another wallet"],
  RoyaltyVault_ZeroAdmin: () => ["the pool's admin is the zero address", "name a real wallet as admin"],
  RoyaltyVault_InvalidDuration: (a) => [
    `a stream duration of ${a.duration} s is outside ${a.minDuration} to ${a.maxDuration} s`,
    "choose a duration within those bounds",
  ],
  RoyaltyVault_TokenNotContract: (a) => [
    `${a.token} is not a token contract`,
    "give an ERC-20's address, or none for ETH",
  ],
  RoyaltyVault_PoolNotFound: (a) => [`there is no pool ${a.poolId}`, "check the pool id (tributary pool show)"],
  RoyaltyVault_NotPoolAdmin: (a) => [
    `${a.caller} is not the admin of pool ${a.poolId} (the admin is ${a.admin})`,
    "use the pool admin's key",
  ],
  RoyaltyVault_NotPendingPoolAdmin: (a) => [
    `${a.caller} may not accept pool ${a.poolId}: the admin named ${a.pendingAdmin}`,
    "accept with the key of the named wallet",
  ],
  RoyaltyVault_NotUnitSetter: (a) => [
    `${a.caller} may not set units in pool ${a.poolId}`,
    "use the key of the pool's admin or attributor",
  ],
  RoyaltyVault_Paused: () => [
    "the vault is paused: deposits and unit changes wait",
    "retry once it is unpaused; claims still work",
  ],
  RoyaltyVault_PauseUnchanged: (a) => [`the vault is already ${a.paused ? "paused" : "unpaused"}`, "nothing to do"],
  RoyaltyVault_ZeroAmount: (a) => [`the deposit into pool ${a.poolId} is zero`, "deposit a positive amount"],
  RoyaltyVault_EthValueMismatch: (a) => [
    `the transaction carries ${a.value} wei but the deposit into pool ${a.poolId} says ${a.expected}`,
    "send exactly the amount deposited (and none for an ERC-20 pool)",
  ],
  RoyaltyVault_NothingReceived: (a) => [
    `the vault received nothing of the ${a.amount} deposited into pool ${a.poolId}`,
    "check the token's allowance and transfer rules",
  ],
  RoyaltyVault_RateOverflow: (a) => [
    `the deposit into pool ${a.poolId} would stream faster than the vault can account for`,
    "deposit less at once, or use a longer duration",
  ],
  RoyaltyVault_EmptyBatch: () => ["the batch holds nothing", "give at least one entry"],
  RoyaltyVault_BatchTooLarge: (a) => [
    `the batch holds ${a.size} entries, more than the ${a.maxSize} one transaction may carry`,
    "split it into smaller batches",
  ],
  RoyaltyVault_LengthMismatch: (a) => [
    `two lists have ${a.length} and ${a.otherLength} entries`,
    "give one value per id",
  ],
  RoyaltyVault_ZeroContribution: () => ["a contribution id is zero", "hash the content with tributary hash first"],
  RoyaltyVault_UnitsTooLarge: (a) => [
    `${a.units} units for ${a.contributionId} exceed the ${a.maxUnits} allowed`,
    "scale the units down",
  ],
  RoyaltyVault_TotalUnitsOverflow: (a) => [
    `pool ${a.poolId} would hold too many units in total`,
    "scale the units down",
  ],
  RoyaltyVault_ConsentRevoked: (a) => [
    `the author of ${a.contributionId} revoked consent to training use`,
    "leave it out of the pool's units",
  ],
  RoyaltyVault_ConsentNotRevoked: (a) => [
    `the author of ${a.contributionId} still consents to training use`,
    "only a contribution whose consent was revoked can be removed this way",
  ],
  RoyaltyVault_NotInPool: (a) => [
    `${a.contributionId} has no units in pool ${a.poolId}`,
    "check the pool and the hash",
  ],
  RoyaltyVault_NotRegistered: (a) => [
    `${a.contributionId} is not registered, so nobody can claim its royalties yet`,
    "its author registers it first (tributary register); the royalties wait",
  ],
  RoyaltyVault_NotAuthor: (a) => [
    `${a.caller} is not the author of ${a.contributionId} (the author is ${a.author})`,
    "claim with the author's key",
  ],
  RoyaltyVault_NothingToClaim: (a) => [
    `${a.contributionId} has nothing to claim in pool ${a.poolId}`,
    "check tributary earnings; royalties stream over the pool's duration",
  ],
  RoyaltyVault_ZeroRecipient: () => ["the recipient is the zero address", "name a real wallet with --to"],
  RoyaltyVault_FeeTooHigh: (a) => [
    `a fee of ${a.feeBps} bps exceeds the cap of ${a.maxFeeBps} bps`,
    "choose a lower fee",
  ],
  RoyaltyVault_ZeroFeeRecipient: () => ["a fee needs a recipient", "name the fee recipient"],
  RoyaltyVault_NotFeeRecipient: (a) => [
    `${a.caller} is not the fee recipient (${a.feeRecipient})`,
    "use the fee recipient's key",
  ],
  RoyaltyVault_NoFees: (a) => [`no fees in ${tokenName(a.token)} are waiting`, "nothing to collect"],
  RoyaltyVault_NoDeferred: (a) => [
    `${a.account} has no deferred payout in ${tokenName(a.token)}`,
    "nothing to withdraw: only a payout whose transfer failed is deferred (--token names another token)",
  ],
  RoyaltyVault_EthTransferFailed: (a) => [
    `sending ${a.amount} wei to ${a.to} failed`,
    "claim to a wallet that accepts ETH (--to)",
  ],
  RoyaltyVault_TokenTransferFailed: (a) => [
    `the token ${a.token} refused to send ${a.amount} to ${a.to}`,
    "claim to another recipient, or withdraw the deferred payout later",
  ],
  RoyaltyVault_InsufficientGas: (a) => [
    `the transaction ran with ${a.gasLeft} gas where ${a.gasNeeded} are needed`,
    "send it again with more gas",
  ],
  RoyaltyVault_EscrowUnconfirmed: (a) => [
    `the royalties of ${a.contributionId} in pool ${a.poolId} are in escrow: the pool made the hash public at ${time(a.exposedAt)}, and the record of ${a.author} dates from ${time(a.registeredAt)}, after it`,
    `the pool's admin confirms the author first (tributary escrow confirm ${a.poolId} ${a.contributionId} ${a.author})`,
  ],
  RoyaltyVault_NotEscrowed: (a) => [
    `${a.contributionId} holds no escrow in pool ${a.poolId}: it was registered when the pool gave it units`,
    "nothing to confirm: its author claims directly",
  ],
  RoyaltyVault_AuthorMismatch: (a) =>
    /^0x0{40}$/.test(String(a.author))
      ? [
          `${a.contributionId} is not registered, so ${a.named} cannot be confirmed as its author`,
          "its author registers it first (tributary register), then confirm",
        ]
      : [
          `${a.named} is not the registered author of ${a.contributionId} (the author is ${a.author})`,
          "confirm the wallet the registry names, after checking who they are",
        ],
  RoyaltyVault_AccumulatorOverflow: (a) => [
    `pool ${a.poolId} can take at most ${a.room} more (smallest units) before its accounting overflows, and the deposit brings ${a.amount}`,
    "deposit less, or into a new pool",
  ],
  RoyaltyVault_RenounceWhilePaused: () => [
    "the vault's owner cannot renounce ownership while it is paused: nobody could resume it",
    "unpause the vault first",
  ],
  RoyaltyVault_ZeroOwner: () => [
    "the vault's ownership cannot be proposed to the zero address",
    "name a real wallet; to cancel a proposal, propose the current owner",
  ],
  ReentrancyGuardReentrantCall: () => ["the vault refused a re-entrant call", "call it directly, not from a callback"],
  SafeCastOverflowedUintDowncast: (a) => [`the value ${a.value} does not fit in ${a.bits} bits`, "use a smaller value"],
  SafeERC20FailedOperation: (a) => [`the token ${a.token} refused a transfer`, "check the balance and allowance"],
  StringTooLong: () => ["a string is too long for the contract", "shorten it"],
  InvalidShortString: () => ["a string is malformed for the contract", "check the inputs"],
};

/** Every ABI whose errors the SDK decodes. */
export const ERROR_ABIS = [authorshipRegistryAbi, royaltyVaultAbi] as const;

function errorArgs(abiItem: { inputs?: readonly { name?: string }[] }, args: readonly unknown[] | undefined) {
  const named: Record<string, unknown> = {};
  (abiItem.inputs ?? []).forEach((input, i) => {
    named[input.name || String(i)] = args?.[i];
  });
  return named;
}

/** Decodes raw revert data into a ContractRevertError, or undefined when no known ABI declares it. */
export function decodeRevertData(data: Hex): ContractRevertError | undefined {
  for (const abi of ERROR_ABIS) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      const item = abi.find((x) => x.type === "error" && x.name === decoded.errorName);
      const args = errorArgs(item as { inputs?: readonly { name?: string }[] }, decoded.args as readonly unknown[]);
      return contractError(decoded.errorName, args);
    } catch {
      // not this ABI's
    }
  }
  return undefined;
}

/**
 * The ContractRevertError a contract would revert with, for a check the SDK makes before simulating (a paused vault
 * before an ERC-20 approval): the same name and message as the revert itself.
 */
export function contractError(errorName: string, args: Record<string, unknown> = {}): ContractRevertError {
  const explain = EXPLANATIONS[errorName];
  const [problem, hint] = explain
    ? explain(args)
    : [`the contract refused the transaction with ${errorName}`, "see docs/registry.md for what it means"];
  return new ContractRevertError(errorName, args, problem, hint);
}

/**
 * Turns anything thrown while reading, simulating or sending into a TributaryError: custom errors decoded by name,
 * an unreachable node, missing funds. Errors that are already TributaryErrors pass through.
 */
export function toTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data?.errorName) {
        const item = reverted.data.abiItem as { inputs?: readonly { name?: string }[] };
        return contractError(reverted.data.errorName, errorArgs(item, reverted.data.args));
      }
      if (reverted.raw) {
        const decoded = decodeRevertData(reverted.raw);
        if (decoded) return decoded;
      }
      return new TributaryError(
        "REVERTED",
        `the contract refused the transaction${reverted.reason ? ` (${reverted.reason})` : ""}`,
        "check the inputs against docs/registry.md",
      );
    }
    const raw = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
    if (raw?.data && /^0x[0-9a-f]{8}/i.test(raw.data)) {
      const decoded = decodeRevertData(raw.data);
      if (decoded) return decoded;
    }
    if (error.walk((e) => e instanceof ViemInsufficientFundsError)) {
      return new TributaryError(
        "INSUFFICIENT_FUNDS",
        "the account cannot pay for this transaction's gas",
        "fund the account, or have a relayer submit a signed registration (tributary sign)",
      );
    }
    const text = `${error.shortMessage} ${error.details ?? ""}`;
    if (/fetch failed|ECONNREFUSED|HTTP request failed|timed? ?out|took too long/i.test(text)) {
      return new UnreachableError(
        "the node did not answer",
        "check that it is running and that --rpc / TRIBUTARY_RPC_URL points at it",
        { cause: error },
      );
    }
    return new TributaryError("CHAIN", error.shortMessage, "check the node and the inputs", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TributaryError("UNEXPECTED", message, "report this at the project's issue tracker if it persists", {
    cause: error,
  });
}

/** Collapses whitespace so that an error is always printed on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
