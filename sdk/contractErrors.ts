// The one table of the protocol's custom errors in words: for each, what it means and what to do, worded for a person
// rather than a Solidity developer, naming the SDK's parameters and actions. `toTributaryError` turns anything a read,
// a simulation or a send throws into a TributaryError, decoding a revert's data with the protocol's ABIs.
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  hexToString,
  InsufficientFundsError as ViemInsufficientFundsError,
  UserRejectedRequestError,
  type Abi,
  type Hex,
} from "viem";

import { attributionEpochsAbi } from "../abis/AttributionEpochs.ts";
import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";
import { ContractRevertError, TributaryError, UnreachableError, UserRejectedError } from "./errors.ts";

/** Unix seconds as an ISO date; anything else as it is (a message never throws). */
const time = (seconds: unknown) => {
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
};
const isZero = (address: unknown) => /^0x0{40}$/.test(String(address));
/** The vault's tokens: the zero address is ETH. */
const tokenName = (token: unknown) => (isZero(token) ? "ETH" : String(token));

/** An epoch pool's role, given as bytes32 text ("admin", "publisher", "challenger"). */
const roleName = (role: unknown) => {
  try {
    return hexToString(role as Hex).replace(/\0+$/, "") || "role";
  } catch {
    return "role";
  }
};

/** What a custom error means: the message, the advice, and the SDK parameter at fault when there is one. */
export interface RevertMessage {
  shortMessage: string;
  hint: string;
  parameter?: string;
}

type Explain = (args: Readonly<Record<string, unknown>>) => RevertMessage;
const say = (shortMessage: string, hint: string, parameter?: string): RevertMessage => ({
  shortMessage,
  hint,
  ...(parameter ? { parameter } : {}),
});

const MESSAGES: Record<string, Explain> = {
  AuthorshipRegistry_ZeroHash: () =>
    say(
      "the contribution id is zero, which identifies nothing",
      "hash the content first (`hashText`)",
      "contributionId",
    ),
  AuthorshipRegistry_AlreadyRegistered: (a) =>
    say(
      `the hash ${a.contributionId} is already registered to ${a.author}`,
      "a hash is registered once; read its record with `getRecord`",
      "contributionId",
    ),
  AuthorshipRegistry_NotRegistered: (a) =>
    say(
      `the hash ${a.contributionId} is not registered`,
      "register it first (`register`), or check the hash",
      "contributionId",
    ),
  AuthorshipRegistry_UnknownParent: (a) =>
    say(
      `the parent ${a.parent} of ${a.contributionId} is not registered`,
      "register the parent first, or leave it out of `parents`",
      "parents",
    ),
  AuthorshipRegistry_EmptyBatch: () =>
    say("the batch holds no registration", "give at least one registration", "registrations"),
  AuthorshipRegistry_BatchTooLarge: (a) =>
    say(
      `the batch holds ${a.size} registrations, more than the ${a.maxSize} one transaction may carry`,
      "split it into smaller batches",
      "registrations",
    ),
  AuthorshipRegistry_ZeroCommitment: () =>
    say("the commitment is zero", "compute it with `computeCommitment`", "commitment"),
  AuthorshipRegistry_CommitmentExists: (a) =>
    say(
      `${a.committer} already committed ${a.commitment} at ${time(a.committedAt)}`,
      "reveal it (`reveal`), or wait until it expires",
      "commitment",
    ),
  AuthorshipRegistry_UnknownCommitment: (a) =>
    say(
      `no commitment ${a.commitment} by ${a.committer} matches this reveal`,
      "reveal from the account that committed, with the registration and `salt` that `commit` returned",
      "salt",
    ),
  AuthorshipRegistry_RevealTooEarly: (a) =>
    say(
      `the commitment can be revealed from ${time(a.revealableAt)}, and it is ${time(a.currentTime)}`,
      `wait ${Number(a.revealableAt) - Number(a.currentTime)} s and reveal again`,
    ),
  AuthorshipRegistry_CommitmentExpired: (a) =>
    say(`the commitment expired at ${time(a.expiredAt)}`, "commit again and reveal within the commitment's lifetime"),
  AuthorshipRegistry_SignatureExpired: (a) =>
    say(
      `the signature's deadline ${time(a.deadline)} has passed`,
      "ask the author to sign again with a later `deadline`",
      "deadline",
    ),
  AuthorshipRegistry_InvalidSigner: (a) =>
    say(
      `the signature was not made by ${a.author} for this registration, chain and registry (it recovers to ${a.recovered})`,
      "ask the author to sign it again against this network",
      "signature",
    ),
  AuthorshipRegistry_MalleableSignature: (a) =>
    say(
      `the signature of ${a.author} has a high s value`,
      "submit the signature exactly as the author's wallet produced it",
      "signature",
    ),
  AuthorshipRegistry_InvalidWalletSignature: (a) =>
    say(
      `the smart wallet ${a.wallet} did not approve this message`,
      "ask the wallet's owners to sign it again",
      "signature",
    ),
  AuthorshipRegistry_InvalidNonce: (a) =>
    say(
      `the signed change names nonce ${a.nonce} but the record ${a.contributionId} is at nonce ${a.expected}`,
      "sign the change again",
      "signature",
    ),
  AuthorshipRegistry_NotAuthor: (a) =>
    say(
      `${a.caller} is not the author of ${a.contributionId} (the author is ${a.author})`,
      "use the author's key",
      "account",
    ),
  AuthorshipRegistry_NotPendingAuthor: (a) =>
    isZero(a.pendingAuthor)
      ? say(
          `no transfer of ${a.contributionId} is pending`,
          "the author starts one first (`transferAuthorship`)",
          "contributionId",
        )
      : say(
          `${a.caller} may not accept ${a.contributionId}: the author named ${a.pendingAuthor}`,
          "accept with the key of the named wallet",
          "account",
        ),
  AuthorshipRegistry_TransferToAuthor: (a) =>
    say(`${a.author} is already the author of ${a.contributionId}`, "name another wallet as `newAuthor`", "newAuthor"),
  AuthorshipRegistry_ZeroAttester: () => say("the attester is the zero address", "name a real wallet", "attester"),
  AuthorshipRegistry_NotAttester: (a) =>
    say(`${a.caller} is not an approved attester`, "ask the registry's owner to approve it (`setAttester`)", "account"),
  AuthorshipRegistry_ZeroRoot: () =>
    say("the Merkle root is zero", "build the tree from at least one contribution", "root"),
  AuthorshipRegistry_RootAlreadyAnchored: (a) =>
    say(
      `the root ${a.root} was already anchored by ${a.attester} at ${time(a.anchoredAt)}`,
      "nothing to do: its leaves can be materialized",
      "root",
    ),
  AuthorshipRegistry_UnknownRoot: (a) =>
    say(`the root ${a.root} is not anchored`, "check the root, or anchor it first", "root"),
  AuthorshipRegistry_AttesterRevoked: (a) =>
    say(
      `the attester ${a.attester} of root ${a.root} has been revoked`,
      "its remaining leaves can no longer be materialized; register them directly",
      "root",
    ),
  AuthorshipRegistry_InvalidProof: (a) =>
    say(
      `the proof does not lead from the leaf ${a.leaf} to the root ${a.root}`,
      "take the proof from the anchor's leaf file",
      "proof",
    ),
  AuthorshipRegistry_InvalidKind: (a) =>
    say(
      `the contribution kind ${a.kind} does not exist (kinds run from 0 to 5)`,
      "give one of prompt, correction, feedback, dataset, model_output, other",
      "kind",
    ),
  AuthorshipRegistry_RecordFinal: (a) =>
    say(
      `the record of ${a.contributionId} by ${a.author} is final since ${time(a.finalAt)}: older evidence can no longer supersede it`,
      "a record older than the supersession window (7 days) stands; nothing to do",
      "contributionId",
    ),
  AuthorshipRegistry_ZeroOwner: () =>
    say(
      "the registry's ownership cannot be proposed to the zero address",
      "name a real wallet; to cancel a proposal, propose the current owner",
    ),
  OwnableUnauthorizedAccount: (a) => say(`${a.account} is not the owner`, "use the owner's key", "account"),
  OwnableInvalidOwner: (a) => say(`${a.owner} cannot be the owner`, "name another wallet"),
  RoyaltyVault_ZeroAdmin: () => say("the pool's admin is the zero address", "name a real wallet as `admin`", "admin"),
  RoyaltyVault_InvalidDuration: (a) =>
    say(
      `a stream duration of ${a.duration} s is outside ${a.minDuration} to ${a.maxDuration} s`,
      "choose a `duration` within those bounds",
      "duration",
    ),
  RoyaltyVault_TokenNotContract: (a) =>
    say(`${a.token} is not a token contract`, "give an ERC-20's address, or ETH (the zero address)", "token"),
  RoyaltyVault_PoolNotFound: (a) => say(`there is no pool ${a.poolId}`, "check the pool id (`getPool`)", "poolId"),
  RoyaltyVault_NotPoolAdmin: (a) =>
    say(
      `${a.caller} is not the admin of pool ${a.poolId} (the admin is ${a.admin})`,
      "use the pool admin's key",
      "account",
    ),
  RoyaltyVault_NotPendingPoolAdmin: (a) =>
    say(
      `${a.caller} may not accept pool ${a.poolId}: the admin named ${a.pendingAdmin}`,
      "accept with the key of the named wallet",
      "account",
    ),
  RoyaltyVault_NotUnitSetter: (a) =>
    say(
      `${a.caller} may not set units in pool ${a.poolId}`,
      "use the key of the pool's admin or attributor",
      "account",
    ),
  RoyaltyVault_Paused: () =>
    say("the vault is paused: deposits and unit changes wait", "retry once it is unpaused; claims still work"),
  RoyaltyVault_PauseUnchanged: (a) => say(`the vault is already ${a.paused ? "paused" : "unpaused"}`, "nothing to do"),
  RoyaltyVault_ZeroAmount: (a) =>
    say(`the deposit into pool ${a.poolId} is zero`, "deposit a positive `amount`", "amount"),
  RoyaltyVault_EthValueMismatch: (a) =>
    say(
      `the transaction carries ${a.value} wei but the deposit into pool ${a.poolId} says ${a.expected}`,
      "send exactly the amount deposited (and none for an ERC-20 pool)",
      "amount",
    ),
  RoyaltyVault_NothingReceived: (a) =>
    say(
      `the vault received nothing of the ${a.amount} deposited into pool ${a.poolId}`,
      "check the token's allowance and transfer rules",
      "amount",
    ),
  RoyaltyVault_RateOverflow: (a) =>
    say(
      `the deposit into pool ${a.poolId} would stream faster than the vault can account for`,
      "deposit a smaller `amount` at once, or use a longer duration",
      "amount",
    ),
  RoyaltyVault_EmptyBatch: () => say("the batch holds nothing", "give at least one entry"),
  RoyaltyVault_BatchTooLarge: (a) =>
    say(
      `the batch holds ${a.size} entries, more than the ${a.maxSize} one transaction may carry`,
      "split it into smaller batches (`batchSize`)",
      "batchSize",
    ),
  RoyaltyVault_LengthMismatch: (a) =>
    say(`two lists have ${a.length} and ${a.otherLength} entries`, "give one value per id"),
  RoyaltyVault_ZeroContribution: () =>
    say("a contribution id is zero", "hash the content first (`hashText`)", "contributionId"),
  RoyaltyVault_UnitsTooLarge: (a) =>
    say(`${a.units} units for ${a.contributionId} exceed the ${a.maxUnits} allowed`, "scale the units down", "units"),
  RoyaltyVault_TotalUnitsOverflow: (a) =>
    say(`pool ${a.poolId} would hold too many units in total`, "scale the units down", "units"),
  RoyaltyVault_ConsentRevoked: (a) =>
    say(
      `the author of ${a.contributionId} revoked consent to training use`,
      "leave it out of the pool's units",
      "contributionId",
    ),
  RoyaltyVault_ConsentNotRevoked: (a) =>
    say(
      `the author of ${a.contributionId} still consents to training use`,
      "only a contribution whose consent was revoked can be removed this way",
      "contributionId",
    ),
  RoyaltyVault_NotInPool: (a) =>
    say(`${a.contributionId} has no units in pool ${a.poolId}`, "check the pool and the hash", "contributionId"),
  RoyaltyVault_NotRegistered: (a) =>
    say(
      `${a.contributionId} is not registered, so nobody can claim its royalties yet`,
      "its author registers it first (`register`); the royalties wait",
      "contributionId",
    ),
  RoyaltyVault_NotAuthor: (a) =>
    say(
      `${a.caller} is not the author of ${a.contributionId} (the author is ${a.author})`,
      "claim with the author's key",
      "account",
    ),
  RoyaltyVault_NothingToClaim: (a) =>
    say(
      `${a.contributionId} has nothing to claim in pool ${a.poolId}`,
      "check `getClaimable`; royalties stream over the pool's duration",
      "contributionId",
    ),
  RoyaltyVault_ZeroRecipient: () => say("the recipient is the zero address", "name a real wallet as `to`", "to"),
  RoyaltyVault_FeeTooHigh: (a) =>
    say(`a fee of ${a.feeBps} bps exceeds the cap of ${a.maxFeeBps} bps`, "choose a lower fee", "feeBps"),
  RoyaltyVault_ZeroFeeRecipient: () => say("a fee needs a recipient", "name the fee recipient", "feeRecipient"),
  RoyaltyVault_NotFeeRecipient: (a) =>
    say(`${a.caller} is not the fee recipient (${a.feeRecipient})`, "use the fee recipient's key", "account"),
  RoyaltyVault_NoFees: (a) => say(`no fees in ${tokenName(a.token)} are waiting`, "nothing to collect", "token"),
  Payouts_NoDeferred: (a) =>
    say(
      `${a.account} has no deferred payout in ${tokenName(a.token)}`,
      "nothing to withdraw: only a payout whose transfer failed is deferred (or `token` names another token)",
      "token",
    ),
  Payouts_EthTransferFailed: (a) =>
    say(`sending ${a.amount} wei to ${a.to} failed`, "name a wallet that accepts ETH as `to`", "to"),
  Payouts_TokenTransferFailed: (a) =>
    say(`the token ${a.token} refused to send ${a.amount} to ${a.to}`, "name another recipient as `to`", "to"),
  Payouts_InsufficientGas: (a) =>
    say(`the transaction ran with ${a.gasLeft} gas where ${a.gasNeeded} are needed`, "send it again with more gas"),
  RoyaltyVault_EscrowUnconfirmed: (a) =>
    say(
      `the royalties of ${a.contributionId} in pool ${a.poolId} are in escrow: the pool made the hash public at ${time(a.exposedAt)}, and the record of ${a.author} dates from ${time(a.registeredAt)}, after it`,
      `the pool's admin confirms the author first (\`confirmAuthor\` with pool ${a.poolId}, ${a.contributionId}, ${a.author})`,
      "contributionId",
    ),
  RoyaltyVault_NotEscrowed: (a) =>
    say(
      `${a.contributionId} holds no escrow in pool ${a.poolId}: it was registered when the pool gave it units`,
      "nothing to confirm: its author claims directly",
      "contributionId",
    ),
  RoyaltyVault_AuthorMismatch: (a) =>
    isZero(a.author)
      ? say(
          `${a.contributionId} is not registered, so ${a.named} cannot be confirmed as its author`,
          "its author registers it first (`register`), then confirm",
          "contributionId",
        )
      : say(
          `${a.named} is not the registered author of ${a.contributionId} (the author is ${a.author})`,
          "confirm the wallet the registry names, after checking who they are",
          "author",
        ),
  RoyaltyVault_AccumulatorOverflow: (a) =>
    say(
      `pool ${a.poolId} can take at most ${a.room} more (smallest units) before its accounting overflows, and the deposit brings ${a.amount}`,
      "deposit a smaller `amount`, or into a new pool",
      "amount",
    ),
  RoyaltyVault_RenounceWhilePaused: () =>
    say(
      "the vault's owner cannot renounce ownership while it is paused: nobody could resume it",
      "unpause the vault first",
    ),
  RoyaltyVault_ZeroOwner: () =>
    say(
      "the vault's ownership cannot be proposed to the zero address",
      "name a real wallet; to cancel a proposal, propose the current owner",
    ),
  AttributionEpochs_ZeroRole: (a) =>
    say(`an epoch pool's ${roleName(a.role)} is the zero address`, "name a real wallet for every role", "admin"),
  AttributionEpochs_InvalidChallengeWindow: (a) =>
    say(
      `a challenge window of ${a.challengeWindow} s is outside ${a.minWindow} to ${a.maxWindow} s`,
      "choose a `challengeWindow` within those bounds",
      "challengeWindow",
    ),
  AttributionEpochs_InvalidReclaimDelay: (a) =>
    say(
      `a reclaim delay of ${a.reclaimDelay} s is neither 0 (never) nor within ${a.minDelay} to ${a.maxDelay} s`,
      "choose a `reclaimDelay` of 0 or within those bounds",
      "reclaimDelay",
    ),
  AttributionEpochs_PoolNotFound: (a) => say(`there is no epoch pool ${a.poolId}`, "check the pool id", "poolId"),
  AttributionEpochs_NotPoolAdmin: (a) =>
    say(
      `${a.caller} is not the admin of epoch pool ${a.poolId} (the admin is ${a.admin})`,
      "use the pool admin's key",
      "account",
    ),
  AttributionEpochs_NotPublisher: (a) =>
    say(
      `${a.caller} may not publish to epoch pool ${a.poolId} (the publisher is ${a.publisher})`,
      "use the publisher's key",
      "account",
    ),
  AttributionEpochs_NotChallenger: (a) =>
    say(
      `${a.caller} may not veto in epoch pool ${a.poolId} (the challenger is ${a.challenger})`,
      "use the challenger's key",
      "account",
    ),
  AttributionEpochs_PoolClosed: (a) =>
    say(
      `epoch pool ${a.poolId} is closed: its admin reclaimed what was left unclaimed`,
      "nothing more can be funded, published or claimed there",
      "poolId",
    ),
  AttributionEpochs_Paused: () =>
    say("the protocol is paused: funding waits", "retry once it is unpaused; claims still work"),
  AttributionEpochs_ZeroAmount: (a) =>
    say(`the funding of epoch pool ${a.poolId} is zero`, "fund a positive `amount`", "amount"),
  AttributionEpochs_EthValueMismatch: (a) =>
    say(
      `the transaction carries ${a.value} wei but the funding of epoch pool ${a.poolId} expects ${a.expected}`,
      "send exactly the amount funded (and none for an ERC-20 pool)",
      "amount",
    ),
  AttributionEpochs_NothingReceived: (a) =>
    say(
      `the contract received nothing of the ${a.amount} funded into epoch pool ${a.poolId}`,
      "check the token's allowance and transfer rules",
      "amount",
    ),
  AttributionEpochs_FundingOverflow: (a) =>
    say(
      `epoch pool ${a.poolId} would hold ${a.funded} in all, more than it can account for`,
      "fund a smaller `amount`, or a new pool",
      "amount",
    ),
  AttributionEpochs_ZeroRoot: (a) =>
    say(`the root published to epoch pool ${a.poolId} is zero`, "build the tree from at least one leaf", "root"),
  AttributionEpochs_RootPending: (a) =>
    say(
      `epoch ${a.pendingEpoch} of pool ${a.poolId} is in its challenge window until ${time(a.acceptableAt)}`,
      "wait until it is accepted or vetoed, then publish",
    ),
  AttributionEpochs_PreviousEpochMismatch: (a) =>
    say(
      `the manifest builds on epoch ${a.previousEpoch}, and pool ${a.poolId}'s accepted epoch is ${a.acceptedEpoch}`,
      "compute the epoch on top of the accepted one",
      "previousEpoch",
    ),
  AttributionEpochs_TotalDecreased: (a) =>
    say(
      `the epoch's total ${a.total} is below the accepted epoch's ${a.acceptedTotal} in pool ${a.poolId}: cumulative totals never decrease`,
      "compute cumulative amounts from the accepted epoch's",
      "total",
    ),
  AttributionEpochs_Underfunded: (a) =>
    say(
      `the epoch's total ${a.total} exceeds the ${a.funded} funded into pool ${a.poolId}`,
      "fund the pool first, or publish a smaller total",
      "total",
    ),
  AttributionEpochs_TooManyEpochs: (a) =>
    say(`epoch pool ${a.poolId} has published every epoch an id can hold`, "open a new pool"),
  AttributionEpochs_NotPending: (a) =>
    say(
      `epoch ${a.epochId} of pool ${a.poolId} is not in its challenge window (status ${a.status})`,
      "only a pending epoch can be vetoed",
      "epochId",
    ),
  AttributionEpochs_ChallengeWindowOpen: (a) =>
    say(
      `epoch ${a.epochId} of pool ${a.poolId} pays from ${time(a.acceptableAt)}, once its challenge window ends`,
      "claim after that, or from the epoch that pays now",
      "epochId",
    ),
  AttributionEpochs_EpochVetoed: (a) =>
    say(
      `epoch ${a.epochId} of pool ${a.poolId} was vetoed: it never pays`,
      "claim from the epoch that pays now",
      "epochId",
    ),
  AttributionEpochs_EpochSuperseded: (a) =>
    say(
      `epoch ${a.epochId} of pool ${a.poolId} was replaced by epoch ${a.payableEpoch}`,
      `prove against epoch ${a.payableEpoch}`,
      "epochId",
    ),
  AttributionEpochs_UnknownEpoch: (a) =>
    say(`pool ${a.poolId} never published epoch ${a.epochId}`, "check the epoch id", "epochId"),
  AttributionEpochs_InvalidProof: (a) =>
    say(
      `the proof does not lead from ${a.contributionId}'s leaf ${a.leaf} to the root of epoch ${a.epochId} in pool ${a.poolId}`,
      "take the proof and the cumulative amount from the epoch's leaf file (or the indexer's proof lookup)",
      "proof",
    ),
  AttributionEpochs_EscrowUnconfirmed: (a) =>
    say(
      `the royalties of ${a.contributionId} in epoch pool ${a.poolId} wait: its first epoch was published at ${time(a.exposedAt)}, and the record of ${a.author} dates from ${time(a.registeredAt)}, after it`,
      "the pool's admin confirms the author first",
      "contributionId",
    ),
  AttributionEpochs_NothingToClaim: (a) =>
    say(
      `${a.contributionId} has nothing to claim in epoch pool ${a.poolId}: its ${a.claimed} are claimed already`,
      "a later epoch brings more",
      "contributionId",
    ),
  AttributionEpochs_PoolOverdrawn: (a) =>
    say(
      `claims from epoch pool ${a.poolId} would reach ${a.claimed}, more than the ${a.funded} funded`,
      "the pool's publisher must fund it or publish a corrected epoch",
      "poolId",
    ),
  AttributionEpochs_EmptyBatch: () => say("the claim holds nothing", "give at least one item"),
  AttributionEpochs_BatchTooLarge: (a) =>
    say(
      `the claim holds ${a.size} items, more than the ${a.maxSize} one transaction may carry`,
      "split it into smaller claims",
    ),
  AttributionEpochs_AuthorMismatch: (a) =>
    say(
      `${a.named} is not the registered author of ${a.contributionId} (the author is ${a.author})`,
      "confirm the wallet the registry names, after checking who they are",
      "author",
    ),
  AttributionEpochs_ReclaimDisabled: (a) =>
    say(`epoch pool ${a.poolId} was opened so that nobody ever reclaims`, "nothing to do"),
  AttributionEpochs_ReclaimTooEarly: (a) =>
    say(`epoch pool ${a.poolId} may be reclaimed from ${time(a.reclaimableAt)}`, "wait until then"),
  ReentrancyGuardReentrantCall: () =>
    say("the vault refused a re-entrant call", "call it directly, not from a callback"),
  SafeCastOverflowedUintDowncast: (a) =>
    say(`the value ${a.value} does not fit in ${a.bits} bits`, "use a smaller value"),
  SafeERC20FailedOperation: (a) =>
    say(`the token ${a.token} refused a transfer`, "check the balance and allowance", "token"),
  StringTooLong: () => say("a string is too long for the contract", "shorten it", "uri"),
  InvalidShortString: () => say("a string is malformed for the contract", "check the inputs"),
};

/** The epoch pools' errors that mean what the vault's of the same name mean. */
const SAME_AS_VAULT = [
  "NoFees",
  "NotAuthor",
  "NotFeeRecipient",
  "NotRegistered",
  "TokenNotContract",
  "ZeroRecipient",
] as const;

/** One entry per custom error of the protocol's ABIs (a test checks that none is missing). */
export const REVERT_MESSAGES: Readonly<Record<string, Explain>> = {
  ...MESSAGES,
  ...Object.fromEntries(SAME_AS_VAULT.map((name) => [`AttributionEpochs_${name}`, MESSAGES[`RoyaltyVault_${name}`]!])),
};

/** Every ABI whose errors the SDK decodes. */
export const ERROR_ABIS: readonly Abi[] = [authorshipRegistryAbi, royaltyVaultAbi, attributionEpochsAbi];

function namedArgs(abiItem: Abi[number] | undefined, args: readonly unknown[] | undefined): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  const inputs = abiItem && "inputs" in abiItem ? abiItem.inputs : [];
  inputs.forEach((input, i) => {
    named[input.name || String(i)] = args?.[i];
  });
  return named;
}

/**
 * The ContractRevertError of a custom error, by name: the same name and message whether the contract reverted or
 * the SDK checked first (a paused vault before an ERC-20 approval).
 */
export function contractError(
  errorName: string,
  args: Record<string, unknown> = {},
  options: { cause?: unknown } = {},
): ContractRevertError {
  const explain = REVERT_MESSAGES[errorName];
  const { shortMessage, hint, parameter } = explain
    ? explain(args)
    : say(`the contract refused the transaction with ${errorName}`, "see docs/registry.md and docs/vault.md");
  return new ContractRevertError(errorName, args, shortMessage, hint, { parameter, cause: options.cause });
}

/** Decodes raw revert data into a ContractRevertError, or undefined when no known ABI declares it. */
export function decodeRevertData(data: Hex, options: { cause?: unknown } = {}): ContractRevertError | undefined {
  for (const abi of ERROR_ABIS) {
    try {
      const decoded = decodeErrorResult({ abi, data });
      const item = abi.find((x) => x.type === "error" && x.name === decoded.errorName);
      return contractError(decoded.errorName, namedArgs(item, decoded.args), options);
    } catch {
      // not this ABI's
    }
  }
  return undefined;
}

const isRevertData = (value: unknown): value is Hex => typeof value === "string" && /^0x[0-9a-f]{8}/i.test(value);

/**
 * Turns anything thrown while reading, simulating or sending into a TributaryError: custom errors decoded by name,
 * an unreachable node, missing funds. TributaryErrors pass through; the original error is kept as `cause`.
 */
export function toTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return new UserRejectedError({ cause: error });
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      if (reverted.data?.errorName) {
        return contractError(reverted.data.errorName, namedArgs(reverted.data.abiItem, reverted.data.args), {
          cause: error,
        });
      }
      const decoded = reverted.raw ? decodeRevertData(reverted.raw, { cause: error }) : undefined;
      if (decoded) return decoded;
      return new TributaryError(
        "REVERTED",
        `the contract refused the transaction${reverted.reason ? ` (${reverted.reason})` : ""}`,
        "check the inputs against docs/registry.md and docs/vault.md",
        { cause: error },
      );
    }
    // A call or a gas estimate that reverted: viem keeps the raw revert data on a cause.
    const raw = error.walk((e) => isRevertData((e as { data?: unknown }).data));
    const data = (raw as { data?: unknown } | null)?.data;
    if (isRevertData(data)) {
      const decoded = decodeRevertData(data, { cause: error });
      if (decoded) return decoded;
    }
    if (error.walk((e) => e instanceof ViemInsufficientFundsError)) {
      return new TributaryError(
        "INSUFFICIENT_FUNDS",
        "the account cannot pay for this transaction's gas",
        "fund the account, or have a relayer submit a signed registration (`signCommitment`)",
        { cause: error, parameter: "account" },
      );
    }
    const text = `${error.shortMessage} ${error.details ?? ""}`;
    if (/fetch failed|ECONNREFUSED|HTTP request failed|timed? ?out|took too long/i.test(text)) {
      return new UnreachableError("the node did not answer", "check that it is running at `rpcUrl`", {
        cause: error,
        parameter: "rpcUrl",
      });
    }
    return new TributaryError("CHAIN", error.shortMessage, "check the node and the inputs", { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TributaryError("UNEXPECTED", message, "report this at the project's issue tracker if it persists", {
    cause: error,
  });
}

/** Runs a read or a send and reports any failure as a TributaryError. */
export async function attempt<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toTributaryError(error);
  }
}
