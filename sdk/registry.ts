// Every user action and query of the AuthorshipRegistry. Each write goes through the SDK's one prepare path
// (sdk/transaction.ts): simulated first (a revert becomes a named ContractRevertError and nothing is sent), its gas
// checked against the account's balance, then sent and its receipt awaited. `register` and `relay` take the safe way
// by default: commit, wait until the reveal is allowed, reveal.
import {
  concat,
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  stringToHex,
  toHex,
  verifyTypedData,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Hex,
} from "viem";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import type { Network } from "./config.ts";
import {
  ConfigError,
  InvalidInputError,
  KeyError,
  TributaryError,
  WrongNetworkError,
  toTributaryError,
} from "./errors.ts";
import { kindIndex, kindName, parseAddress, parseHash, parseKind, type Kind } from "./parse.ts";
import {
  estimateGas,
  prepare,
  requireSigner,
  simulate,
  type ContractCall,
  type TransactionResult,
  type TributaryClient,
} from "./transaction.ts";

/*//////////////////////////////////////////////////////////////////////////
                                    CLIENT
//////////////////////////////////////////////////////////////////////////*/

export type { TransactionResult, TributaryClient } from "./transaction.ts";

export function createTributaryClient(network: Network, account?: Account): TributaryClient {
  const walletClient = account
    ? createWalletClient({ account, chain: network.chain, transport: http(network.rpcUrl, { retryCount: 0 }) })
    : undefined;
  return { network, account, walletClient };
}

type RegistryWrite =
  | "register"
  | "registerContribution"
  | "registerBatch"
  | "commit"
  | "commitBySig"
  | "reveal"
  | "revealFor"
  | "registerBySig"
  | "anchor"
  | "materialize"
  | "setAttester"
  | "setTrainingConsent"
  | "transferAuthorship"
  | "acceptAuthorship";

const registryCall = (
  client: TributaryClient,
  functionName: RegistryWrite | "computeCommitment",
  args: readonly unknown[],
) =>
  ({ address: client.network.registry, abi: authorshipRegistryAbi as Abi, functionName, args }) satisfies ContractCall;

/**
 * Simulates, checks funds, sends and waits. Returns the simulated return value with the receipt. When `skipIf`
 * says the simulated result makes the transaction pointless, nothing is sent and `transaction` is undefined.
 */
async function write<T>(
  client: TributaryClient,
  functionName: RegistryWrite,
  args: readonly unknown[],
  { skipIf, laterGas }: { skipIf?: (result: T) => boolean; laterGas?: bigint } = {},
): Promise<{ result: T; transaction: TransactionResult | undefined }> {
  if (skipIf) {
    // A pointless transaction is never sent, whatever the account holds.
    const result = await simulate<T>(client, registryCall(client, functionName, args));
    if (skipIf(result)) return { result, transaction: undefined };
  }
  const call = await prepare<T>(client, registryCall(client, functionName, args), { laterGas });
  return { result: call.result, transaction: await call.send() };
}

async function readRegistry<T>(client: TributaryClient, functionName: string, args: readonly unknown[] = []) {
  try {
    return (await client.network.publicClient.readContract({
      address: client.network.registry,
      abi: authorshipRegistryAbi,
      functionName,
      args,
    } as never)) as T;
  } catch (error) {
    throw toTributaryError(error);
  }
}

/*//////////////////////////////////////////////////////////////////////////
                                 REGISTRATION
//////////////////////////////////////////////////////////////////////////*/

/** One contribution to register. */
export interface Registration {
  contributionId: Hex;
  kind: Kind;
  /** Consent to training use; default true. */
  trainingConsent?: boolean;
  /** Registered contributions it derives from. */
  parents?: readonly Hex[];
  /** Where its metadata lives; may be empty. */
  uri?: string;
}

/** A registration as the contract's `Authorship.Registration` takes it. */
export interface OnChainRegistration {
  contributionId: Hex;
  kind: number;
  trainingConsent: boolean;
  parents: readonly Hex[];
  uri: string;
}

export function toOnChain(registration: Registration): OnChainRegistration {
  return {
    contributionId: parseHash(registration.contributionId, "contributionId"),
    kind: kindIndex(parseKind(registration.kind)),
    trainingConsent: registration.trainingConsent ?? true,
    parents: (registration.parents ?? []).map((p) => parseHash(p, "parent")),
    uri: registration.uri ?? "",
  };
}

/** A registration given either way, as the contract takes it; a numeric kind is kept as given (the contract checks it). */
function onChainOf(registration: Registration | OnChainRegistration): OnChainRegistration {
  if (typeof registration.kind !== "number") return toOnChain(registration as Registration);
  if (!Number.isInteger(registration.kind) || registration.kind < 0 || registration.kind > 255) {
    throw new InvalidInputError("kind", `the kind ${registration.kind} is not a uint8`, "give a kind from 0 to 5");
  }
  return { ...toOnChain({ ...registration, kind: "prompt" }), kind: registration.kind };
}

function fromOnChain(registration: OnChainRegistration): Required<Registration> {
  return {
    contributionId: registration.contributionId,
    kind: kindName(registration.kind),
    trainingConsent: registration.trainingConsent,
    parents: [...registration.parents],
    uri: registration.uri,
  };
}

/**
 * Checks, without sending anything, that `author` could register `registration` now: the hash is not zero nor
 * registered, the kind exists, every parent is registered. A reveal makes the same checks, so running them before
 * the commit means that a registration bound to fail is refused before its first transaction. Returns the gas a
 * registration costs, an estimate of the reveal's.
 */
async function checkRegistrable(
  client: TributaryClient,
  registration: OnChainRegistration,
  author: Address,
): Promise<bigint> {
  const call = registryCall(client, "registerContribution", [registration]);
  await simulate<void>(client, call, author);
  return estimateGas(client, call, author);
}

export interface RegisterParameters extends Registration {
  /**
   * Registers in one transaction (`registerContribution`), for content that is already public: the pending
   * transaction shows the hash, and whoever watches the mempool can copy it into a registration of their own that
   * lands first. Default false: commit, wait until the reveal is allowed (`MIN_REVEAL_DELAY` of chain time), reveal.
   */
  direct?: boolean;
  /** The commitment's 32-byte secret; a random one when omitted. */
  salt?: Hex;
  /** How to wait between the commit and the reveal. */
  wait?: RevealWaitOptions;
}
export interface RegisterReturnType extends TransactionResult {
  contributionId: Hex;
  /** "commit-reveal" (two transactions, the default) or "direct" (one). The transaction fields are the registering one's. */
  method: "commit-reveal" | "direct";
  /** Unix seconds the record is dated at: the commitment's block for a commit and reveal. */
  registeredAt: number;
  /** The commitment and the transaction that stored it; undefined for a direct registration. */
  commit: { commitment: Hex; committedAt: number; transaction: TransactionResult } | undefined;
}

/**
 * Registers one contribution with the signing account as its author. By default in two transactions that nobody
 * watching pending transactions can take advantage of: a commitment that hides the whole registration, then, once
 * `MIN_REVEAL_DELAY` (60 s) of chain time has passed, its reveal, which dates the record at the commitment (a copy
 * registered in between is superseded). `direct: true` sends one `registerContribution` instead.
 *
 * Everything the reveal checks (hash, kind, parents, an existing record) and the gas of both transactions are
 * checked before the commit is sent.
 */
export async function register(client: TributaryClient, parameters: RegisterParameters): Promise<RegisterReturnType> {
  const { account } = requireSigner(client);
  const registration = toOnChain(parameters);
  if (parameters.direct) {
    const { transaction } = await write(client, "registerContribution", [registration]);
    const block = await client.network.publicClient.getBlock({ blockNumber: transaction!.blockNumber });
    return {
      contributionId: registration.contributionId,
      method: "direct",
      registeredAt: Number(block.timestamp),
      commit: undefined,
      ...transaction!,
    };
  }
  checkFastForward(client, parameters.wait);
  const revealGas = await checkRegistrable(client, registration, account.address);
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration, account.address, salt);
  const { transaction: commitTransaction } = await write(client, "commit", [commitment], { laterGas: revealGas });
  const committedAt = await blockTime(client, commitTransaction!.blockNumber);
  await waitUntilRevealable(client, committedAt + (await minRevealDelay(client)), parameters.wait);
  const { transaction } = await write(client, "reveal", [registration, salt]);
  return {
    contributionId: registration.contributionId,
    method: "commit-reveal",
    registeredAt: committedAt,
    commit: { commitment, committedAt, transaction: commitTransaction! },
    ...transaction!,
  };
}

export interface RegisterBatchParameters {
  registrations: readonly Registration[];
}
export interface RegisterBatchReturnType extends TransactionResult {
  contributionIdes: Hex[];
}

/**
 * Registers many contributions in one transaction, all or nothing. Like a direct `register`, the pending
 * transaction shows every hash: for content that is already public.
 */
export async function registerBatch(
  client: TributaryClient,
  parameters: RegisterBatchParameters,
): Promise<RegisterBatchReturnType> {
  const { transaction } = await write(client, "registerBatch", [parameters.registrations.map(toOnChain)]);
  return { contributionIdes: parameters.registrations.map((r) => r.contributionId), ...transaction! };
}

/*//////////////////////////////////////////////////////////////////////////
                                COMMIT / REVEAL
//////////////////////////////////////////////////////////////////////////*/

/**
 * The commitment hiding a whole registration, its author and a salt, exactly as the contract's `computeCommitment`:
 * keccak256(abi.encode(keccak256(abi.encode(contributionId, kind, trainingConsent, keccak256(abi.encodePacked(parents)),
 * keccak256(bytes(uri)))), author, salt)). Computed here: a call to the contract would show it to the node.
 */
export function computeCommitment(registration: Registration | OnChainRegistration, author: Address, salt: Hex): Hex {
  const r = onChainOf(registration);
  const fields = keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "bool" }, { type: "bytes32" }, { type: "bytes32" }],
      [r.contributionId, r.kind, r.trainingConsent, keccak256(concat([...r.parents])), keccak256(stringToHex(r.uri))],
    ),
  );
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }],
      [fields, parseAddress(author, "author"), parseHash(salt, "salt")],
    ),
  );
}

export function randomSalt(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The local Hardhat chain, the only one whose clock the SDK may move (`fastForward`). */
export const LOCAL_CHAIN_ID = 31337;

/** How to wait for a commitment to become revealable. */
export interface RevealWaitOptions {
  /**
   * On the local Hardhat chain (31337) only: move the node's clock to the reveal (`evm_increaseTime` + `evm_mine`)
   * instead of waiting for it, so that tests and demos need not wait a minute. Refused on any other chain.
   */
  fastForward?: boolean;
  /** How long to wait, in wall-clock milliseconds, for the chain's time to reach the reveal; default 10 minutes. */
  timeoutMs?: number;
  /** How often to read the chain's time, in milliseconds; default 1000. */
  pollIntervalMs?: number;
  /** Told once, before the wait, when the reveal becomes possible and what time the chain says it is. */
  onWait?: (wait: { revealableAt: number; chainTime: number }) => void;
}

/** The commitment could not be revealed in time: the chain's clock did not reach the reveal. */
export class RevealWaitError extends TributaryError {
  readonly revealableAt: number;
  readonly chainTime: number;
  constructor(revealableAt: number, chainTime: number, waitedMs: number) {
    super(
      "REVEAL_WAIT",
      `the chain's time is still ${new Date(chainTime * 1000).toISOString()} after ${Math.round(waitedMs / 1000)} s, and the reveal is allowed from ${new Date(revealableAt * 1000).toISOString()}`,
      "a node that mines a block only for a transaction never gets there: mine blocks (or set TRIBUTARY_FAST_FORWARD=true on a local Hardhat node), then register again; nothing was revealed",
    );
    this.name = "RevealWaitError";
    this.revealableAt = revealableAt;
    this.chainTime = chainTime;
  }
}

function checkFastForward(client: TributaryClient, wait: RevealWaitOptions | undefined) {
  if (wait?.fastForward && client.network.chainId !== LOCAL_CHAIN_ID) {
    throw new ConfigError(
      `fast-forwarding the clock works on the local Hardhat chain (${LOCAL_CHAIN_ID}) only, and this node is on chain ${client.network.chainId}`,
      "unset TRIBUTARY_FAST_FORWARD: on a real chain the reveal waits for the chain's time",
    );
  }
}

/** The latest block's time, in Unix seconds: the time a call made now is checked against. */
export async function getChainTime(client: TributaryClient): Promise<number> {
  try {
    return Number((await client.network.publicClient.getBlock({ blockTag: "latest" })).timestamp);
  } catch (error) {
    throw toTributaryError(error);
  }
}

async function blockTime(client: TributaryClient, blockNumber: bigint): Promise<number> {
  try {
    return Number((await client.network.publicClient.getBlock({ blockNumber })).timestamp);
  } catch (error) {
    throw toTributaryError(error);
  }
}

/** The registry's MIN_REVEAL_DELAY, in seconds. */
export async function minRevealDelay(client: TributaryClient): Promise<number> {
  return Number(await readRegistry<bigint>(client, "MIN_REVEAL_DELAY"));
}

/**
 * Waits until the chain's time (the latest block's) reaches `revealableAt`, reading it every `pollIntervalMs`, for
 * at most `timeoutMs` (then RevealWaitError). With `fastForward` on the local chain, moves the node's clock instead.
 */
export async function waitUntilRevealable(
  client: TributaryClient,
  revealableAt: number,
  options: RevealWaitOptions = {},
): Promise<void> {
  checkFastForward(client, options);
  const { timeoutMs = 600_000, pollIntervalMs = 1_000 } = options;
  const started = Date.now();
  let chainTime = await getChainTime(client);
  if (chainTime >= revealableAt) return;
  options.onWait?.({ revealableAt, chainTime });
  while (chainTime < revealableAt) {
    if (options.fastForward) {
      try {
        const request = client.network.publicClient.request as (args: {
          method: string;
          params: unknown[];
        }) => Promise<unknown>;
        await request({ method: "evm_increaseTime", params: [revealableAt - chainTime] });
        await request({ method: "evm_mine", params: [] });
      } catch (error) {
        throw toTributaryError(error);
      }
    } else {
      if (Date.now() - started > timeoutMs) throw new RevealWaitError(revealableAt, chainTime, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs));
    }
    chainTime = await getChainTime(client);
  }
}

export interface CommitParameters {
  registration: Registration;
  /** A 32-byte secret; a random one when omitted. */
  salt?: Hex;
}

/** Everything a reveal needs; keep it secret until the reveal (the CLI writes it to a file). */
export interface CommitReturnType extends TransactionResult {
  commitment: Hex;
  salt: Hex;
  registration: Required<Registration>;
  author: Address;
  committedAt: number;
  revealableAt: number;
  chainId: number;
  registry: Address;
}

/** Commits to (registration, account, salt) without revealing anything of it. */
export async function commit(client: TributaryClient, parameters: CommitParameters): Promise<CommitReturnType> {
  const { account } = requireSigner(client);
  const registration = toOnChain(parameters.registration);
  const revealGas = await checkRegistrable(client, registration, account.address);
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration, account.address, salt);
  const { transaction } = await write(client, "commit", [commitment], { laterGas: revealGas });
  const committedAt = await blockTime(client, transaction!.blockNumber);
  return {
    ...transaction!,
    commitment,
    salt,
    registration: fromOnChain(registration),
    author: account.address,
    committedAt,
    revealableAt: committedAt + (await minRevealDelay(client)),
    chainId: client.network.chainId,
    registry: client.network.registry,
  };
}

export interface RevealParameters {
  registration: Registration;
  salt: Hex;
}
export interface RevealReturnType extends TransactionResult {
  contributionId: Hex;
}

/** Reveals a commitment of the signing account, registering the contribution dated at the commitment. */
export async function reveal(client: TributaryClient, parameters: RevealParameters): Promise<RevealReturnType> {
  const { transaction } = await write(client, "reveal", [
    toOnChain(parameters.registration),
    parseHash(parameters.salt, "salt"),
  ]);
  return { contributionId: parameters.registration.contributionId, ...transaction! };
}

export interface CommitBySigParameters {
  /** The wallet the commitment is stored under, which signed. */
  author: Address;
  commitment: Hex;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
  signature: Hex;
}
export interface CommitBySigReturnType {
  /** False when the commitment was live under `author` already: nothing was sent. */
  committed: boolean;
  transaction: TransactionResult | undefined;
}

/** Stores an author's signed commitment, paid by the signing account (a relayer). */
export async function commitBySig(
  client: TributaryClient,
  parameters: CommitBySigParameters,
): Promise<CommitBySigReturnType> {
  const { result, transaction } = await write<boolean>(
    client,
    "commitBySig",
    [
      parseAddress(parameters.author, "author"),
      parseHash(parameters.commitment, "commitment"),
      parameters.deadline,
      parameters.signature,
    ],
    { skipIf: (committed) => !committed },
  );
  return { committed: result, transaction };
}

export interface RevealForParameters {
  registration: Registration;
  /** The wallet the commitment is stored under, credited with the record. */
  author: Address;
  salt: Hex;
}
export interface RevealForReturnType {
  contributionId: Hex;
  author: Address;
  /** False when `author` already had the record: nothing was sent. */
  registered: boolean;
  transaction: TransactionResult | undefined;
}

/** Reveals a commitment stored under `author` (the relayed second step); anyone may send it. */
export async function revealFor(
  client: TributaryClient,
  parameters: RevealForParameters,
): Promise<RevealForReturnType> {
  const registration = toOnChain(parameters.registration);
  const author = parseAddress(parameters.author, "author");
  const { result, transaction } = await write<boolean>(
    client,
    "revealFor",
    [registration, author, parseHash(parameters.salt, "salt")],
    { skipIf: (registered) => !registered },
  );
  return { contributionId: registration.contributionId, author, registered: result, transaction };
}

/** When `author` committed `commitment` (Unix seconds), or zero when it did not or revealed it already. */
export async function getCommitment(client: TributaryClient, author: Address, commitment: Hex): Promise<number> {
  return Number(
    await readRegistry<number>(client, "commitmentOf", [
      parseAddress(author, "author"),
      parseHash(commitment, "commitment"),
    ]),
  );
}

/*//////////////////////////////////////////////////////////////////////////
                              SIGNED REGISTRATIONS
//////////////////////////////////////////////////////////////////////////*/

export const EIP712_DOMAIN_NAME = "Tributary AuthorshipRegistry";
export const EIP712_DOMAIN_VERSION = "1";
export const REGISTER_TYPES = {
  Register: [
    { name: "contributionId", type: "bytes32" },
    { name: "kind", type: "uint8" },
    { name: "trainingConsent", type: "bool" },
    { name: "parents", type: "bytes32[]" },
    { name: "uri", type: "string" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;
export const COMMIT_TYPES = {
  Commit: [
    { name: "commitment", type: "bytes32" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/**
 * A registration signed by its author, which anyone can submit in one transaction (`registerBySig`; the file
 * `tributary sign --direct` writes). Its pending transaction shows the hash: for content already public.
 */
export interface SignedRegistration {
  type: "tributary/signed-registration";
  version: 1;
  chainId: number;
  registry: Address;
  author: Address;
  /** Unix seconds, as a decimal string in JSON. */
  deadline: bigint;
  registration: Required<Registration>;
  signature: Hex;
}

/**
 * A commitment signed by its author with the registration and salt it hides (the file `tributary sign` writes):
 * a relayer sends `commitBySig`, waits `MIN_REVEAL_DELAY`, then sends `revealFor`. Nobody watching the mempool
 * learns the hash before the reveal, which dates the record at the commitment. Keep it private until relayed: it
 * holds the salt.
 */
export interface SignedCommitment {
  type: "tributary/signed-commitment";
  version: 1;
  chainId: number;
  registry: Address;
  author: Address;
  /** Unix seconds after which the commit signature is void, as a decimal string in JSON. */
  deadline: bigint;
  commitment: Hex;
  salt: Hex;
  registration: Required<Registration>;
  signature: Hex;
}

const domainOf = (chainId: number, registry: Address) => ({
  name: EIP712_DOMAIN_NAME,
  version: EIP712_DOMAIN_VERSION,
  chainId,
  verifyingContract: registry,
});

function typedData(
  chainId: number,
  registry: Address,
  registration: OnChainRegistration,
  author: Address,
  deadline: bigint,
) {
  return {
    domain: domainOf(chainId, registry),
    types: REGISTER_TYPES,
    primaryType: "Register" as const,
    message: { ...registration, parents: [...registration.parents], author, deadline },
  };
}

function commitTypedData(chainId: number, registry: Address, commitment: Hex, author: Address, deadline: bigint) {
  return {
    domain: domainOf(chainId, registry),
    types: COMMIT_TYPES,
    primaryType: "Commit" as const,
    message: { commitment, author, deadline },
  };
}

function requireTypedSigner(client: TributaryClient) {
  const { account } = requireSigner(client);
  if (!account.signTypedData) throw new KeyError("this account cannot sign typed data", "use a local key or keystore");
  return account as Account & { signTypedData: NonNullable<Account["signTypedData"]> };
}

export interface SignRegistrationParameters {
  registration: Registration;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}
export type SignRegistrationReturnType = SignedRegistration;

/**
 * Signs a registration (EIP-712) with the account, for a relayer to submit in one transaction. Sends nothing. For
 * content already public: `signCommitment` is the way for anything else.
 */
export async function signRegistration(
  client: TributaryClient,
  parameters: SignRegistrationParameters,
): Promise<SignRegistrationReturnType> {
  const account = requireTypedSigner(client);
  const registration = toOnChain(parameters.registration);
  const signature = await account.signTypedData(
    typedData(client.network.chainId, client.network.registry, registration, account.address, parameters.deadline),
  );
  return {
    type: "tributary/signed-registration",
    version: 1,
    chainId: client.network.chainId,
    registry: client.network.registry,
    author: account.address,
    deadline: parameters.deadline,
    registration: fromOnChain(registration),
    signature,
  };
}

export interface SignCommitmentParameters {
  registration: Registration;
  /** Unix seconds after which the commit signature is void (the reveal follows within a day of the commit). */
  deadline: bigint;
  /** A 32-byte secret; a random one when omitted. */
  salt?: Hex;
}
export type SignCommitmentReturnType = SignedCommitment;

/**
 * Signs (EIP-712 `Commit`) a commitment to a registration with the account, for a relayer to commit and reveal.
 * Sends nothing and needs no ether; the registration is checked against the chain first (hash, kind, parents, an
 * existing record), so that a relayer is never handed a registration bound to fail.
 */
export async function signCommitment(
  client: TributaryClient,
  parameters: SignCommitmentParameters,
): Promise<SignCommitmentReturnType> {
  const account = requireTypedSigner(client);
  const registration = toOnChain(parameters.registration);
  await simulate<void>(client, registryCall(client, "registerContribution", [registration]), account.address);
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration, account.address, salt);
  const signature = await account.signTypedData(
    commitTypedData(client.network.chainId, client.network.registry, commitment, account.address, parameters.deadline),
  );
  return {
    type: "tributary/signed-commitment",
    version: 1,
    chainId: client.network.chainId,
    registry: client.network.registry,
    author: account.address,
    deadline: parameters.deadline,
    commitment,
    salt,
    registration: fromOnChain(registration),
    signature,
  };
}

function parseRegistrationJson(r: Partial<Record<keyof Registration, unknown>>): Required<Registration> {
  return {
    contributionId: parseHash(r.contributionId, "contributionId"),
    kind: parseKind(String(r.kind)),
    trainingConsent: r.trainingConsent !== false,
    parents: Array.isArray(r.parents) ? r.parents.map((p) => parseHash(p, "parent")) : [],
    uri: typeof r.uri === "string" ? r.uri : "",
  };
}

/** Reads a signed file's common fields from parsed JSON; `bad` names what is wrong. */
function parseSignedFields(
  value: Record<string, unknown>,
  bad: (what: string) => InvalidInputError,
): Omit<SignedRegistration, "type"> {
  const r = value.registration as Partial<Record<keyof Registration, unknown>> | undefined;
  if (!r || typeof r !== "object") throw bad("has no registration");
  if (typeof value.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(value.signature)) throw bad("has no signature");
  if (typeof value.deadline !== "string" && typeof value.deadline !== "number") throw bad("has no deadline");
  return {
    version: 1,
    chainId: Number(value.chainId),
    registry: parseAddress(value.registry, "registry"),
    author: parseAddress(value.author, "author"),
    deadline: BigInt(value.deadline),
    registration: parseRegistrationJson(r),
    signature: value.signature as Hex,
  };
}

/** Reads a signed registration (`tributary sign --direct`) from parsed JSON, validating every field. */
export function parseSignedRegistration(json: unknown, source = "the signed registration"): SignedRegistration {
  const value = json as Record<string, unknown> | null;
  const bad = (what: string) =>
    new InvalidInputError("signed", `${source} ${what}`, "give a file written by tributary sign --direct");
  if (value === null || typeof value !== "object" || value.type !== "tributary/signed-registration") {
    throw bad("is not a signed registration");
  }
  return { type: "tributary/signed-registration", ...parseSignedFields(value, bad) };
}

/** Reads a signed commitment (`tributary sign`) from parsed JSON, validating every field. */
export function parseSignedCommitment(json: unknown, source = "the signed commitment"): SignedCommitment {
  const value = json as Record<string, unknown> | null;
  const bad = (what: string) =>
    new InvalidInputError("signed", `${source} ${what}`, "give a file written by tributary sign");
  if (value === null || typeof value !== "object" || value.type !== "tributary/signed-commitment") {
    throw bad("is not a signed commitment");
  }
  const fields = parseSignedFields(value, bad);
  const signed: SignedCommitment = {
    type: "tributary/signed-commitment",
    ...fields,
    commitment: parseHash(value.commitment, "commitment"),
    salt: parseHash(value.salt, "salt"),
  };
  if (computeCommitment(signed.registration, signed.author, signed.salt) !== signed.commitment) {
    throw new InvalidInputError(
      "signed",
      `${source}'s commitment does not hide its registration, author and salt (the file was changed after signing)`,
      "ask the author to sign again with tributary sign",
    );
  }
  return signed;
}

/** Reads either signed file: a signed commitment (`tributary sign`) or a signed registration (`--direct`). */
export function parseSigned(json: unknown, source = "the signed file"): SignedCommitment | SignedRegistration {
  const type = (json as { type?: unknown } | null)?.type;
  if (type === "tributary/signed-commitment") return parseSignedCommitment(json, source);
  if (type === "tributary/signed-registration") return parseSignedRegistration(json, source);
  throw new InvalidInputError(
    "signed",
    `${source} is neither a signed commitment nor a signed registration`,
    "give a file written by tributary sign",
  );
}

export interface RelayParameters {
  signed: SignedRegistration | SignedCommitment;
  /** For a signed commitment: how to wait between the commit and the reveal. */
  wait?: RevealWaitOptions;
}
export interface RelayReturnType {
  contributionId: Hex;
  author: Address;
  /** False when the author already had the record: nothing was sent. */
  registered: boolean;
  /** "commit-reveal" for a signed commitment, "direct" for a signed registration. */
  method: "commit-reveal" | "direct";
  /** The transaction that registered (the reveal, or registerBySig); undefined when nothing was sent. */
  transaction: TransactionResult | undefined;
  /** For a signed commitment: the commitBySig sent; undefined when the commitment was live already. */
  commitTransaction: TransactionResult | undefined;
}

/** Verifies a signature over typed data locally; an ERC-1271 wallet's signature is left to the simulation. */
async function checkSignature(
  client: TributaryClient,
  author: Address,
  data: Parameters<typeof verifyTypedData>[0],
  what: string,
) {
  const valid = await verifyTypedData(data).catch(() => false);
  if (valid) return;
  // An ERC-1271 wallet's signature does not verify locally; the simulation asks the wallet.
  const code = await client.network.publicClient.getCode({ address: author });
  if (code === undefined || code === "0x") {
    throw new InvalidInputError(
      "signature",
      `the signature in the ${what} was not made by ${author}`,
      "ask the author to sign it again with tributary sign",
    );
  }
}

/**
 * Submits an author's signed file, paid by the signing account (the relayer). A signed commitment is committed
 * (`commitBySig`), then revealed (`revealFor`) once `MIN_REVEAL_DELAY` of chain time has passed: the relay waits
 * for it. Idempotent: a commitment already live is not sent again, and a record the author already has sends
 * nothing. A signed registration (`--direct`) is one `registerBySig`.
 */
export async function relay(client: TributaryClient, { signed, wait }: RelayParameters): Promise<RelayReturnType> {
  if (
    signed.chainId !== client.network.chainId ||
    signed.registry.toLowerCase() !== client.network.registry.toLowerCase()
  ) {
    throw new WrongNetworkError(
      `the registration of ${signed.registration.contributionId} was signed for the registry ${signed.registry} on chain ${signed.chainId}, not ${client.network.registry} on chain ${client.network.chainId}`,
      "submit it to the network it was signed for, or ask the author to sign it again",
    );
  }
  const registration = toOnChain(signed.registration);
  const base = { contributionId: registration.contributionId, author: signed.author };
  if (signed.type === "tributary/signed-registration") {
    await checkSignature(
      client,
      signed.author,
      {
        address: signed.author,
        ...typedData(signed.chainId, signed.registry, registration, signed.author, signed.deadline),
        signature: signed.signature,
      },
      `registration of ${registration.contributionId}`,
    );
    const { result, transaction } = await write<boolean>(
      client,
      "registerBySig",
      [registration, signed.author, signed.deadline, signed.signature],
      { skipIf: (registered) => !registered },
    );
    return { ...base, registered: result, method: "direct", transaction, commitTransaction: undefined };
  }

  requireSigner(client);
  checkFastForward(client, wait);
  if (computeCommitment(registration, signed.author, signed.salt) !== signed.commitment) {
    throw new InvalidInputError(
      "signed",
      `the signed commitment of ${registration.contributionId} does not hide its registration, author and salt`,
      "ask the author to sign again with tributary sign",
    );
  }
  await checkSignature(
    client,
    signed.author,
    {
      address: signed.author,
      ...commitTypedData(signed.chainId, signed.registry, signed.commitment, signed.author, signed.deadline),
      signature: signed.signature,
    },
    `commitment to ${registration.contributionId}`,
  );
  const done = { ...base, registered: false, method: "commit-reveal" as const, transaction: undefined };
  const author = await readRegistry<Address>(client, "authorOf", [registration.contributionId]);
  if (author.toLowerCase() === signed.author.toLowerCase()) return { ...done, commitTransaction: undefined };

  let committedAt = await getCommitment(client, signed.author, signed.commitment);
  const lifetime = Number(await readRegistry<bigint>(client, "COMMITMENT_LIFETIME"));
  let commitTransaction: TransactionResult | undefined;
  if (committedAt === 0 || (await getChainTime(client)) > committedAt + lifetime) {
    // Nothing is committed yet: everything the reveal checks is checked first, and the relayer's funds for both.
    const revealGas = await checkRegistrable(client, registration, signed.author);
    commitTransaction = (
      await write<boolean>(
        client,
        "commitBySig",
        [signed.author, signed.commitment, signed.deadline, signed.signature],
        { laterGas: revealGas },
      )
    ).transaction;
    committedAt = await blockTime(client, commitTransaction!.blockNumber);
  }
  await waitUntilRevealable(client, committedAt + (await minRevealDelay(client)), wait);
  const revealed = await revealFor(client, {
    registration: signed.registration,
    author: signed.author,
    salt: signed.salt,
  });
  return {
    ...base,
    registered: revealed.registered,
    method: "commit-reveal",
    transaction: revealed.transaction,
    commitTransaction,
  };
}

/*//////////////////////////////////////////////////////////////////////////
                               AUTHOR'S CHANGES
//////////////////////////////////////////////////////////////////////////*/

export interface SetTrainingConsentParameters {
  contributionId: Hex;
  trainingConsent: boolean;
}
export type SetTrainingConsentReturnType = TransactionResult;

export async function setTrainingConsent(
  client: TributaryClient,
  parameters: SetTrainingConsentParameters,
): Promise<SetTrainingConsentReturnType> {
  const { transaction } = await write(client, "setTrainingConsent", [
    parseHash(parameters.contributionId, "contributionId"),
    parameters.trainingConsent,
  ]);
  return transaction!;
}

export interface TransferAuthorshipParameters {
  contributionId: Hex;
  /** The wallet that may accept; the zero address cancels a pending transfer. */
  newAuthor: Address;
}
export type TransferAuthorshipReturnType = TransactionResult;

/** Starts a two-step transfer: the new author must accept it with acceptAuthorship. */
export async function transferAuthorship(
  client: TributaryClient,
  parameters: TransferAuthorshipParameters,
): Promise<TransferAuthorshipReturnType> {
  const { transaction } = await write(client, "transferAuthorship", [
    parseHash(parameters.contributionId, "contributionId"),
    parseAddress(parameters.newAuthor, "newAuthor"),
  ]);
  return transaction!;
}

export interface AcceptAuthorshipParameters {
  contributionId: Hex;
}
export type AcceptAuthorshipReturnType = TransactionResult;

export async function acceptAuthorship(
  client: TributaryClient,
  parameters: AcceptAuthorshipParameters,
): Promise<AcceptAuthorshipReturnType> {
  const { transaction } = await write(client, "acceptAuthorship", [parseHash(parameters.contributionId, "contributionId")]);
  return transaction!;
}

/*//////////////////////////////////////////////////////////////////////////
                                   ANCHORING
//////////////////////////////////////////////////////////////////////////*/

/** One witnessed contribution of an attester's tree. */
export interface AnchorLeaf {
  contributionId: Hex;
  author: Address;
  kind: Kind;
}

export const ANCHOR_LEAF_TYPES = ["bytes32", "address", "uint8"] as const;

export interface BuildAnchorTreeReturnType {
  root: Hex;
  /** The StandardMerkleTree dump: the leaf file to publish. */
  dump: ReturnType<StandardMerkleTree<[string, string, number]>["dump"]>;
  tree: StandardMerkleTree<[string, string, number]>;
}

/** Builds the @openzeppelin/merkle-tree StandardMerkleTree over (contributionId, author, kind) leaves. */
export function buildAnchorTree(leaves: readonly AnchorLeaf[]): BuildAnchorTreeReturnType {
  if (leaves.length === 0)
    throw new InvalidInputError("contributions", "there are no contributions to anchor", "give at least one");
  const seen = new Set<string>();
  const values = leaves.map((leaf): [string, string, number] => {
    const hash = parseHash(leaf.contributionId, "contributionId");
    if (seen.has(hash)) {
      throw new InvalidInputError("contributions", `the hash ${hash} appears twice`, "keep one leaf per contribution");
    }
    seen.add(hash);
    return [hash, parseAddress(leaf.author, "author"), kindIndex(parseKind(leaf.kind))];
  });
  const tree = StandardMerkleTree.of(values, [...ANCHOR_LEAF_TYPES]);
  return { root: tree.root as Hex, dump: tree.dump(), tree };
}

export interface AnchorParameters {
  root: Hex;
  /** Where the leaf file lives. */
  uri: string;
}
export type AnchorReturnType = TransactionResult;

/** Publishes a root (the account must be an approved attester). */
export async function anchor(client: TributaryClient, parameters: AnchorParameters): Promise<AnchorReturnType> {
  const { transaction } = await write(client, "anchor", [parseHash(parameters.root, "root"), parameters.uri]);
  return transaction!;
}

export interface MaterializeParameters extends AnchorLeaf {
  root: Hex;
  proof: readonly Hex[];
}
export type MaterializeReturnType = TransactionResult;

/** Turns one leaf of an anchored root into a full record; anyone may submit it. */
export async function materialize(
  client: TributaryClient,
  parameters: MaterializeParameters,
): Promise<MaterializeReturnType> {
  const { transaction } = await write(client, "materialize", [
    parseHash(parameters.root, "root"),
    parseHash(parameters.contributionId, "contributionId"),
    parseAddress(parameters.author, "author"),
    kindIndex(parseKind(parameters.kind)),
    parameters.proof.map((p) => parseHash(p, "proof")),
  ]);
  return transaction!;
}

export interface SetAttesterParameters {
  attester: Address;
  approved: boolean;
}
export type SetAttesterReturnType = TransactionResult;

/** Approves or revokes an attester (the registry's owner only). */
export async function setAttester(
  client: TributaryClient,
  parameters: SetAttesterParameters,
): Promise<SetAttesterReturnType> {
  const { transaction } = await write(client, "setAttester", [
    parseAddress(parameters.attester, "attester"),
    parameters.approved,
  ]);
  return transaction!;
}

/*//////////////////////////////////////////////////////////////////////////
                                    QUERIES
//////////////////////////////////////////////////////////////////////////*/

/** A contribution's on-chain record. */
export interface ContributionRecord {
  contributionId: Hex;
  author: Address;
  kind: Kind;
  /** Unix seconds of the registration's evidence. */
  registeredAt: number;
  trainingConsent: boolean;
  nonce: number;
  pendingAuthor: Address | null;
}

/** The record of `contributionId` read from the chain, or undefined when it is not registered. */
export async function getRecord(client: TributaryClient, contributionId: Hex): Promise<ContributionRecord | undefined> {
  const hash = parseHash(contributionId, "hash");
  const { publicClient, registry } = client.network;
  try {
    const [record, pending] = await Promise.all([
      publicClient.readContract({
        address: registry,
        abi: authorshipRegistryAbi,
        functionName: "getRecord",
        args: [hash],
      }),
      publicClient.readContract({
        address: registry,
        abi: authorshipRegistryAbi,
        functionName: "pendingAuthorOf",
        args: [hash],
      }),
    ]);
    if (record.author === zeroAddress) return undefined;
    return {
      contributionId: hash,
      author: record.author,
      kind: kindName(record.kind),
      registeredAt: Number(record.registeredAt),
      trainingConsent: record.trainingConsent,
      nonce: Number(record.nonce),
      pendingAuthor: pending === zeroAddress ? null : pending,
    };
  } catch (error) {
    throw toTributaryError(error);
  }
}

/** Whether `account` is an approved attester. */
export async function isAttester(client: TributaryClient, account: Address): Promise<boolean> {
  try {
    return await client.network.publicClient.readContract({
      address: client.network.registry,
      abi: authorshipRegistryAbi,
      functionName: "isAttester",
      args: [parseAddress(account, "account")],
    });
  } catch (error) {
    throw toTributaryError(error);
  }
}
