// Every failure the SDK reports is a TributaryError, shaped like viem's BaseError: `shortMessage` says what happened,
// `hint` what to do about it, `details` what a lower layer said, `walk` follows the causes. `message` is both on one
// line (`<shortMessage>; <hint>`) so that a log or a terminal shows it whole. Hints speak of the SDK's parameters in
// backticks; `parameter` names the one at fault so that a program built on the SDK (the CLI) can name its own flag.
import { formatEther, type Address, type Hex } from "viem";

export interface TributaryErrorOptions {
  cause?: unknown;
  /** What a lower layer (the node, viem, the file system) said. */
  details?: string;
  /** Further lines worth showing under the message (values, a hint's context). */
  metaMessages?: string[];
  /** The SDK parameter at fault, e.g. "amount", "contributionId", "rpcUrl". */
  parameter?: string;
}

/** The base of every error the SDK throws. */
export class TributaryError extends Error {
  override name = "TributaryError";
  /** A stable machine-readable code, e.g. "INVALID_INPUT", "WRONG_NETWORK", "AuthorshipRegistry_NotAuthor". */
  readonly code: string;
  /** What went wrong, without the advice. */
  readonly shortMessage: string;
  /** What the caller can do about it. */
  readonly hint: string;
  readonly details: string | undefined;
  readonly metaMessages: string[] | undefined;
  /** The SDK parameter at fault, when one is. */
  readonly parameter: string | undefined;

  constructor(code: string, shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super(oneLine(hint ? `${shortMessage}; ${hint}` : shortMessage), { cause: options.cause });
    this.code = code;
    this.shortMessage = shortMessage;
    this.hint = hint;
    const cause = options.cause;
    this.details =
      options.details ??
      (cause instanceof Error ? ((cause as { shortMessage?: string }).shortMessage ?? cause.message) : undefined);
    this.metaMessages = options.metaMessages;
    this.parameter = options.parameter;
  }

  /**
   * Follows `cause` from this error down: returns the first error `fn` accepts (null when none does), or without
   * `fn` the deepest cause.
   */
  walk(fn?: (error: unknown) => boolean): unknown {
    return walk(this, fn);
  }
}

function walk(error: unknown, fn?: (error: unknown) => boolean): unknown {
  if (fn?.(error)) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== null && cause !== error) return walk(cause, fn);
  return fn ? null : error;
}

/** A value given to the SDK is malformed (an address, a hash, a number, a kind, a date...). */
export class InvalidInputError extends TributaryError {
  override name = "InvalidInputError";
  declare readonly parameter: string;
  constructor(parameter: string, shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("INVALID_INPUT", shortMessage, hint, { ...options, parameter });
  }
}

/** A file or folder cannot be read or written (Node entry only). */
export class FileError extends TributaryError {
  override name = "FileError";
  readonly path: string;
  constructor(path: string, shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("FILE", shortMessage, hint, options);
    this.path = path;
  }
}

/** Configuration is missing or inconsistent (a URL, a chain id, a deployment file). */
export class ConfigError extends TributaryError {
  override name = "ConfigError";
  constructor(shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("CONFIG", shortMessage, hint, options);
  }
}

/** The node is on another chain than the one expected, or the contracts are not where the deployment says. */
export class WrongNetworkError extends TributaryError {
  override name = "WrongNetworkError";
  constructor(shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("WRONG_NETWORK", shortMessage, hint, options);
  }
}

/** The node or the indexer's API cannot be reached. */
export class UnreachableError extends TributaryError {
  override name = "UnreachableError";
  constructor(shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("UNREACHABLE", shortMessage, hint, options);
  }
}

/** No account is configured, a key is malformed, or a keystore cannot be decrypted. Never carries the key. */
export class KeyError extends TributaryError {
  override name = "KeyError";
  constructor(shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super("KEY", shortMessage, hint, options);
  }
}

/** The keystore's password is wrong. */
export class WrongPasswordError extends KeyError {
  override name = "WrongPasswordError";
  constructor(file: string) {
    super(`wrong password for the keystore ${file}`, "check `password` and try again", { parameter: "password" });
  }
}

/** What an InsufficientFundsError is about, beyond gas in ETH. */
export interface InsufficientFundsDetails {
  /** What is short, e.g. "ETH for the amount and gas" or "USDC to deposit into pool 1"; default gas. */
  what?: string;
  /** Formats an amount for the message; default formatEther + " ETH". */
  format?: (amount: bigint) => string;
  hint?: string;
  parameter?: string;
}

/** The sending account cannot pay for the transaction (gas, or the amount it pays). Checked before sending. */
export class InsufficientFundsError extends TributaryError {
  override name = "InsufficientFundsError";
  readonly account: Address;
  readonly balance: bigint;
  readonly needed: bigint;
  constructor(account: Address, balance: bigint, needed: bigint, details: InsufficientFundsDetails = {}) {
    const format = details.format ?? ((amount: bigint) => `${formatEther(amount)} ETH`);
    super(
      "INSUFFICIENT_FUNDS",
      details.what
        ? `the account ${account} holds ${format(balance)} but this needs ${format(needed)} (${details.what})`
        : `the account ${account} holds ${format(balance)} but this transaction needs about ${format(needed)} for gas`,
      details.hint ?? "fund the account, or have a relayer submit a signed registration (`signCommitment`)",
      { parameter: details.parameter ?? "account" },
    );
    this.account = account;
    this.balance = balance;
    this.needed = needed;
  }
}

/** The indexer's API answered 4xx; `name` is NotFoundError for a 404. */
export class ApiError extends TributaryError {
  override name: string;
  readonly status: number;
  constructor(status: number, shortMessage: string, hint: string, options: TributaryErrorOptions = {}) {
    super(status === 404 ? "NOT_FOUND" : "API", shortMessage, hint, options);
    this.name = status === 404 ? "NotFoundError" : "ApiError";
    this.status = status;
  }
}

/** A contract refused a call with one of its custom errors (decoded from the ABI). Nothing was sent. */
export class ContractRevertError extends TributaryError {
  override name: string;
  /** The Solidity error's name, e.g. "AuthorshipRegistry_AlreadyRegistered". */
  readonly errorName: string;
  /** The error's arguments by name. */
  readonly args: Readonly<Record<string, unknown>>;
  constructor(
    errorName: string,
    args: Record<string, unknown>,
    shortMessage: string,
    hint: string,
    options: TributaryErrorOptions = {},
  ) {
    super(errorName, shortMessage, hint, options);
    // "AuthorshipRegistry_AlreadyRegistered" -> "AlreadyRegisteredError"
    this.name = `${errorName.replace(/^[A-Za-z]+_/, "")}Error`;
    this.errorName = errorName;
    this.args = args;
  }
}

/** A transaction was mined but reverted (the chain changed between its simulation and its block). */
export class TransactionRevertedError extends TributaryError {
  override name = "TransactionRevertedError";
  readonly transactionHash: Hex;
  constructor(transactionHash: Hex) {
    super(
      "REVERTED",
      `the transaction ${transactionHash} reverted on-chain`,
      "look it up on the node and send it again",
    );
    this.transactionHash = transactionHash;
  }
}

/** The wallet's owner declined to sign or send (EIP-1193 code 4001). Nothing was sent. */
export class UserRejectedError extends TributaryError {
  override name = "UserRejectedError";
  constructor(options: TributaryErrorOptions = {}) {
    super(
      "USER_REJECTED",
      "the wallet's owner declined the request",
      "nothing was sent; ask again when they are ready",
      {
        parameter: "account",
        ...options,
      },
    );
  }
}

/** The chain's clock did not reach a commitment's reveal in time. */
export class RevealWaitError extends TributaryError {
  override name = "RevealWaitError";
  readonly revealableAt: number;
  readonly chainTime: number;
  constructor(revealableAt: number, chainTime: number, waitedMs: number) {
    super(
      "REVEAL_WAIT",
      `the chain's time is still ${new Date(chainTime * 1000).toISOString()} after ${Math.round(waitedMs / 1000)} s, and the reveal is allowed from ${new Date(revealableAt * 1000).toISOString()}`,
      "a node that mines a block only for a transaction never gets there: mine blocks (or `wait.fastForward` on a local Hardhat node), then register again; nothing was revealed",
      { parameter: "wait" },
    );
    this.revealableAt = revealableAt;
    this.chainTime = chainTime;
  }
}

/** Collapses whitespace so that an error is always printed on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
