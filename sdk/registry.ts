// Every user action and query of the AuthorshipRegistry. Each write is simulated first (a revert becomes a named
// ContractRevertError and nothing is sent), its gas is checked against the account's balance, then it is sent and
// its receipt awaited.
import {
  createWalletClient,
  encodeAbiParameters,
  http,
  keccak256,
  toHex,
  verifyTypedData,
  zeroAddress,
  type Account,
  type Address,
  type Hex,
  type WalletClient,
} from "viem";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import type { Network } from "./config.ts";
import {
  InsufficientFundsError,
  InvalidInputError,
  KeyError,
  TributaryError,
  WrongNetworkError,
  toTributaryError,
} from "./errors.ts";
import { kindIndex, kindName, parseAddress, parseHash, parseKind, type Kind } from "./parse.ts";

/*//////////////////////////////////////////////////////////////////////////
                                    CLIENT
//////////////////////////////////////////////////////////////////////////*/

/** A network plus, for writes, the account that signs and pays. */
export interface TributaryClient {
  network: Network;
  account: Account | undefined;
  walletClient: WalletClient | undefined;
}

export function createTributaryClient(network: Network, account?: Account): TributaryClient {
  const walletClient = account
    ? createWalletClient({ account, chain: network.chain, transport: http(network.rpcUrl, { retryCount: 0 }) })
    : undefined;
  return { network, account, walletClient };
}

/** What every write returns once its transaction is mined. */
export interface TransactionResult {
  transactionHash: Hex;
  blockNumber: bigint;
  gasUsed: bigint;
  from: Address;
}

type RegistryWrite =
  | "register"
  | "registerContribution"
  | "registerBatch"
  | "commit"
  | "reveal"
  | "registerBySig"
  | "anchor"
  | "materialize"
  | "setAttester"
  | "setTrainingConsent"
  | "transferAuthorship"
  | "acceptAuthorship";

function requireSigner(client: TributaryClient): { account: Account; walletClient: WalletClient } {
  if (!client.account || !client.walletClient) {
    throw new KeyError(
      "this action sends a transaction and no key is configured",
      "pass --keystore or set TRIBUTARY_PRIVATE_KEY",
    );
  }
  return { account: client.account, walletClient: client.walletClient };
}

/**
 * Simulates, checks funds, sends and waits. Returns the simulated return value with the receipt. When `skipIf`
 * says the simulated result makes the transaction pointless, nothing is sent and `transaction` is undefined.
 */
async function write<T>(
  client: TributaryClient,
  functionName: RegistryWrite,
  args: readonly unknown[],
  skipIf?: (result: T) => boolean,
): Promise<{ result: T; transaction: TransactionResult | undefined }> {
  const { account, walletClient } = requireSigner(client);
  const { publicClient, registry } = client.network;
  const call = { address: registry, abi: authorshipRegistryAbi, functionName, args, account } as never;
  try {
    const { result, request } = (await publicClient.simulateContract(call)) as unknown as {
      result: T;
      request: object;
    };
    if (skipIf?.(result)) return { result, transaction: undefined };
    const gas = await publicClient.estimateContractGas(call);
    const fees = await publicClient.estimateFeesPerGas();
    const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
    const balance = await publicClient.getBalance({ address: account.address });
    const needed = gas * price;
    if (balance < needed) throw new InsufficientFundsError(account.address, balance, needed);
    const hash = await walletClient.writeContract({ ...request, gas, account, chain: client.network.chain } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") {
      throw new TributaryError(
        "REVERTED",
        `the transaction ${hash} reverted on-chain`,
        "look it up on the node and retry",
      );
    }
    return {
      result,
      transaction: {
        transactionHash: hash,
        blockNumber: receipt.blockNumber,
        gasUsed: receipt.gasUsed,
        from: account.address,
      },
    };
  } catch (error) {
    throw toTributaryError(error);
  }
}

/*//////////////////////////////////////////////////////////////////////////
                                 REGISTRATION
//////////////////////////////////////////////////////////////////////////*/

/** One contribution to register. */
export interface Registration {
  contentHash: Hex;
  kind: Kind;
  /** Consent to training use; default true. */
  trainingConsent?: boolean;
  /** Registered contributions it derives from. */
  parents?: readonly Hex[];
  /** Where its metadata lives; may be empty. */
  uri?: string;
}

interface OnChainRegistration {
  contentHash: Hex;
  kind: number;
  trainingConsent: boolean;
  parents: readonly Hex[];
  uri: string;
}

function toOnChain(registration: Registration): OnChainRegistration {
  return {
    contentHash: parseHash(registration.contentHash, "contentHash"),
    kind: kindIndex(parseKind(registration.kind)),
    trainingConsent: registration.trainingConsent ?? true,
    parents: (registration.parents ?? []).map((p) => parseHash(p, "parent")),
    uri: registration.uri ?? "",
  };
}

export type RegisterParameters = Registration;
export interface RegisterReturnType extends TransactionResult {
  contentHash: Hex;
}

/** Registers one contribution with the signing account as its author. */
export async function register(client: TributaryClient, parameters: RegisterParameters): Promise<RegisterReturnType> {
  const { transaction } = await write(client, "registerContribution", [toOnChain(parameters)]);
  return { contentHash: parameters.contentHash, ...transaction! };
}

export interface RegisterBatchParameters {
  registrations: readonly Registration[];
}
export interface RegisterBatchReturnType extends TransactionResult {
  contentHashes: Hex[];
}

/** Registers many contributions in one transaction, all or nothing. */
export async function registerBatch(
  client: TributaryClient,
  parameters: RegisterBatchParameters,
): Promise<RegisterBatchReturnType> {
  const { transaction } = await write(client, "registerBatch", [parameters.registrations.map(toOnChain)]);
  return { contentHashes: parameters.registrations.map((r) => r.contentHash), ...transaction! };
}

/*//////////////////////////////////////////////////////////////////////////
                                COMMIT / REVEAL
//////////////////////////////////////////////////////////////////////////*/

/** keccak256(abi.encode(contentHash, author, salt)), as the contract's computeCommitment. */
export function computeCommitment(contentHash: Hex, author: Address, salt: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }], [contentHash, author, salt]),
  );
}

export function randomSalt(): Hex {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
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

/** Commits to (contentHash, account, salt) without revealing the hash. */
export async function commit(client: TributaryClient, parameters: CommitParameters): Promise<CommitReturnType> {
  const { account } = requireSigner(client);
  const registration = toOnChain(parameters.registration);
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration.contentHash, account.address, salt);
  const { transaction } = await write(client, "commit", [commitment]);
  const block = await client.network.publicClient.getBlock({ blockNumber: transaction!.blockNumber });
  const delay = await client.network.publicClient.readContract({
    address: client.network.registry,
    abi: authorshipRegistryAbi,
    functionName: "MIN_REVEAL_DELAY",
  });
  return {
    ...transaction!,
    commitment,
    salt,
    registration: {
      contentHash: registration.contentHash,
      kind: kindName(registration.kind),
      trainingConsent: registration.trainingConsent,
      parents: [...registration.parents],
      uri: registration.uri,
    },
    author: account.address,
    committedAt: Number(block.timestamp),
    revealableAt: Number(block.timestamp) + Number(delay),
    chainId: client.network.chainId,
    registry: client.network.registry,
  };
}

export interface RevealParameters {
  registration: Registration;
  salt: Hex;
}
export interface RevealReturnType extends TransactionResult {
  contentHash: Hex;
}

/** Reveals a commitment of the signing account, registering the contribution dated at the commitment. */
export async function reveal(client: TributaryClient, parameters: RevealParameters): Promise<RevealReturnType> {
  const { transaction } = await write(client, "reveal", [
    toOnChain(parameters.registration),
    parseHash(parameters.salt, "salt"),
  ]);
  return { contentHash: parameters.registration.contentHash, ...transaction! };
}

/*//////////////////////////////////////////////////////////////////////////
                              SIGNED REGISTRATIONS
//////////////////////////////////////////////////////////////////////////*/

export const EIP712_DOMAIN_NAME = "Tributary AuthorshipRegistry";
export const EIP712_DOMAIN_VERSION = "1";
export const REGISTER_TYPES = {
  Register: [
    { name: "contentHash", type: "bytes32" },
    { name: "kind", type: "uint8" },
    { name: "trainingConsent", type: "bool" },
    { name: "parents", type: "bytes32[]" },
    { name: "uri", type: "string" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A registration signed by its author, which anyone can submit (the file `tributary sign` writes). */
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

function typedData(
  chainId: number,
  registry: Address,
  registration: OnChainRegistration,
  author: Address,
  deadline: bigint,
) {
  return {
    domain: { name: EIP712_DOMAIN_NAME, version: EIP712_DOMAIN_VERSION, chainId, verifyingContract: registry },
    types: REGISTER_TYPES,
    primaryType: "Register" as const,
    message: { ...registration, parents: [...registration.parents], author, deadline },
  };
}

export interface SignRegistrationParameters {
  registration: Registration;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}
export type SignRegistrationReturnType = SignedRegistration;

/** Signs a registration (EIP-712) with the account, for a relayer to submit. Sends nothing. */
export async function signRegistration(
  client: TributaryClient,
  parameters: SignRegistrationParameters,
): Promise<SignRegistrationReturnType> {
  const { account } = requireSigner(client);
  if (!account.signTypedData) throw new KeyError("this account cannot sign typed data", "use a local key or keystore");
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
    registration: {
      contentHash: registration.contentHash,
      kind: kindName(registration.kind),
      trainingConsent: registration.trainingConsent,
      parents: [...registration.parents],
      uri: registration.uri,
    },
    signature,
  };
}

/** Reads a signed registration from parsed JSON, validating every field. */
export function parseSignedRegistration(json: unknown, source = "the signed registration"): SignedRegistration {
  const value = json as Partial<Record<keyof SignedRegistration, unknown>> | null;
  const bad = (what: string) =>
    new InvalidInputError("signed", `${source} ${what}`, "give a file written by tributary sign");
  if (value === null || typeof value !== "object" || value.type !== "tributary/signed-registration") {
    throw bad("is not a signed registration");
  }
  const r = value.registration as Partial<Record<keyof Registration, unknown>> | undefined;
  if (!r || typeof r !== "object") throw bad("has no registration");
  if (typeof value.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(value.signature)) throw bad("has no signature");
  if (typeof value.deadline !== "string" && typeof value.deadline !== "number") throw bad("has no deadline");
  return {
    type: "tributary/signed-registration",
    version: 1,
    chainId: Number(value.chainId),
    registry: parseAddress(value.registry, "registry"),
    author: parseAddress(value.author, "author"),
    deadline: BigInt(value.deadline),
    registration: {
      contentHash: parseHash(r.contentHash, "contentHash"),
      kind: parseKind(String(r.kind)),
      trainingConsent: r.trainingConsent !== false,
      parents: Array.isArray(r.parents) ? r.parents.map((p) => parseHash(p, "parent")) : [],
      uri: typeof r.uri === "string" ? r.uri : "",
    },
    signature: value.signature as Hex,
  };
}

export interface RelayParameters {
  signed: SignedRegistration;
}
export interface RelayReturnType {
  contentHash: Hex;
  author: Address;
  /** False when the author already had the record: nothing was sent. */
  registered: boolean;
  transaction: TransactionResult | undefined;
}

/** Submits an author's signed registration, paid by the signing account (the relayer). */
export async function relay(client: TributaryClient, { signed }: RelayParameters): Promise<RelayReturnType> {
  if (
    signed.chainId !== client.network.chainId ||
    signed.registry.toLowerCase() !== client.network.registry.toLowerCase()
  ) {
    throw new WrongNetworkError(
      `the registration of ${signed.registration.contentHash} was signed for the registry ${signed.registry} on chain ${signed.chainId}, not ${client.network.registry} on chain ${client.network.chainId}`,
      "submit it to the network it was signed for, or ask the author to sign it again",
    );
  }
  const registration = toOnChain(signed.registration);
  const valid = await verifyTypedData({
    address: signed.author,
    ...typedData(signed.chainId, signed.registry, registration, signed.author, signed.deadline),
    signature: signed.signature,
  }).catch(() => false);
  if (!valid) {
    // An ERC-1271 wallet's signature does not verify locally; the simulation below asks the wallet.
    const code = await client.network.publicClient.getCode({ address: signed.author });
    if (code === undefined || code === "0x") {
      throw new InvalidInputError(
        "signature",
        `the signature in the registration of ${signed.registration.contentHash} was not made by ${signed.author}`,
        "ask the author to sign it again with tributary sign",
      );
    }
  }
  const { result, transaction } = await write<boolean>(
    client,
    "registerBySig",
    [registration, signed.author, signed.deadline, signed.signature],
    (registered) => !registered,
  );
  return { contentHash: registration.contentHash, author: signed.author, registered: result, transaction };
}

/*//////////////////////////////////////////////////////////////////////////
                               AUTHOR'S CHANGES
//////////////////////////////////////////////////////////////////////////*/

export interface SetTrainingConsentParameters {
  contentHash: Hex;
  trainingConsent: boolean;
}
export type SetTrainingConsentReturnType = TransactionResult;

export async function setTrainingConsent(
  client: TributaryClient,
  parameters: SetTrainingConsentParameters,
): Promise<SetTrainingConsentReturnType> {
  const { transaction } = await write(client, "setTrainingConsent", [
    parseHash(parameters.contentHash, "contentHash"),
    parameters.trainingConsent,
  ]);
  return transaction!;
}

export interface TransferAuthorshipParameters {
  contentHash: Hex;
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
    parseHash(parameters.contentHash, "contentHash"),
    parseAddress(parameters.newAuthor, "newAuthor"),
  ]);
  return transaction!;
}

export interface AcceptAuthorshipParameters {
  contentHash: Hex;
}
export type AcceptAuthorshipReturnType = TransactionResult;

export async function acceptAuthorship(
  client: TributaryClient,
  parameters: AcceptAuthorshipParameters,
): Promise<AcceptAuthorshipReturnType> {
  const { transaction } = await write(client, "acceptAuthorship", [parseHash(parameters.contentHash, "contentHash")]);
  return transaction!;
}

/*//////////////////////////////////////////////////////////////////////////
                                   ANCHORING
//////////////////////////////////////////////////////////////////////////*/

/** One witnessed contribution of an attester's tree. */
export interface AnchorLeaf {
  contentHash: Hex;
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

/** Builds the @openzeppelin/merkle-tree StandardMerkleTree over (contentHash, author, kind) leaves. */
export function buildAnchorTree(leaves: readonly AnchorLeaf[]): BuildAnchorTreeReturnType {
  if (leaves.length === 0)
    throw new InvalidInputError("contributions", "there are no contributions to anchor", "give at least one");
  const seen = new Set<string>();
  const values = leaves.map((leaf): [string, string, number] => {
    const hash = parseHash(leaf.contentHash, "contentHash");
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
    parseHash(parameters.contentHash, "contentHash"),
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
  contentHash: Hex;
  author: Address;
  kind: Kind;
  /** Unix seconds of the registration's evidence. */
  registeredAt: number;
  trainingConsent: boolean;
  nonce: number;
  pendingAuthor: Address | null;
}

/** The record of `contentHash` read from the chain, or undefined when it is not registered. */
export async function getRecord(client: TributaryClient, contentHash: Hex): Promise<ContributionRecord | undefined> {
  const hash = parseHash(contentHash, "hash");
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
      contentHash: hash,
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
