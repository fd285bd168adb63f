// Commit and reveal: a commitment hides a whole registration until its reveal, which dates the record at the
// commitment. Also the relayed form (an author's signed commitment, `commitBySig`, then `revealFor`) and waiting for
// the reveal to be allowed.
import {
  createClient,
  decodeFunctionResult,
  encodeFunctionData,
  numberToHex,
  rpcSchema,
  type Address,
  type Hex,
  type TestRpcSchema,
} from "viem";
import { getBlock, readContract } from "viem/actions";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { LOCAL_CHAIN_ID, requireAccount, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { ConfigError, RevealWaitError } from "../../errors.ts";
import { parseAddress, parseHash } from "../../parse.ts";
import { send, simulate, type TransactionResult } from "../../prepare.ts";
import { computeCommitment, fromOnChain, randomSalt, toOnChain, type Registration } from "../../registration.ts";
import { blockTime, checkRegistrable, registryRequest } from "../internal.ts";

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

/** Refuses `fastForward` on any chain but the local one. */
export function checkFastForward(client: TributaryClient, wait: RevealWaitOptions | undefined): void {
  if (wait?.fastForward && client.chainId !== LOCAL_CHAIN_ID) {
    throw new ConfigError(
      `fast-forwarding the clock works on the local Hardhat chain (${LOCAL_CHAIN_ID}) only, and this node is on chain ${client.chainId}`,
      "leave `fastForward` unset: on a real chain the reveal waits for the chain's time",
      { parameter: "fastForward" },
    );
  }
}

/** The latest block's time, in Unix seconds: the time a call made now is checked against. */
export async function getChainTime(client: TributaryClient): Promise<number> {
  return Number((await attempt(() => getBlock(client.publicClient, { blockTag: "latest" }))).timestamp);
}

/** One of the registry's time constants, in seconds. */
async function registrySeconds(
  client: TributaryClient,
  functionName: "MIN_REVEAL_DELAY" | "COMMITMENT_LIFETIME",
): Promise<number> {
  return Number(
    await attempt(() =>
      readContract(client.publicClient, { address: client.registry, abi: authorshipRegistryAbi, functionName }),
    ),
  );
}

/** The registry's MIN_REVEAL_DELAY, in seconds: how long a commitment waits before its reveal. */
export function minRevealDelay(client: TributaryClient): Promise<number> {
  return registrySeconds(client, "MIN_REVEAL_DELAY");
}

/** The registry's COMMITMENT_LIFETIME, in seconds: how long a commitment may be revealed. */
export function commitmentLifetime(client: TributaryClient): Promise<number> {
  return registrySeconds(client, "COMMITMENT_LIFETIME");
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
      const seconds = revealableAt - chainTime;
      const node = createClient({ transport: client.transport, rpcSchema: rpcSchema<TestRpcSchema<"hardhat">>() });
      await attempt(async () => {
        await node.request({ method: "evm_increaseTime", params: [numberToHex(seconds)] });
        await node.request({ method: "evm_mine", params: undefined });
      });
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

/** Everything a reveal needs; keep it secret until the reveal. */
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
  const { account } = requireAccount(client);
  const registration = toOnChain(parameters.registration);
  const revealGas = await checkRegistrable(client, registration, account.address);
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration, account.address, salt);
  const { transaction } = await send(
    client,
    registryRequest(
      client,
      encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "commit", args: [commitment] }),
    ),
    { laterGas: revealGas },
  );
  const committedAt = await blockTime(client, transaction.blockNumber);
  return {
    ...transaction,
    commitment,
    salt,
    registration: fromOnChain(registration),
    author: account.address,
    committedAt,
    revealableAt: committedAt + (await minRevealDelay(client)),
    chainId: client.chainId,
    registry: client.registry,
  };
}

export interface RevealParameters {
  registration: Registration;
  salt: Hex;
}
export interface RevealReturnType extends TransactionResult {
  contributionId: Hex;
}

/** Reveals a commitment of the account, registering the contribution dated at the commitment. */
export async function reveal(client: TributaryClient, parameters: RevealParameters): Promise<RevealReturnType> {
  const registration = toOnChain(parameters.registration);
  const salt = parseHash(parameters.salt, "salt");
  const { transaction } = await send(
    client,
    registryRequest(
      client,
      encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "reveal", args: [registration, salt] }),
    ),
  );
  return { contributionId: registration.contributionId, ...transaction };
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

/**
 * Stores an author's signed commitment, paid by the account (a relayer). `laterGas` is the reveal's gas, counted in
 * the balance check.
 */
export async function commitBySig(
  client: TributaryClient,
  parameters: CommitBySigParameters & { laterGas?: bigint },
): Promise<CommitBySigReturnType> {
  const request = registryRequest(
    client,
    encodeFunctionData({
      abi: authorshipRegistryAbi,
      functionName: "commitBySig",
      args: [
        parseAddress(parameters.author, "author"),
        parseHash(parameters.commitment, "commitment"),
        parameters.deadline,
        parameters.signature,
      ],
    }),
  );
  // A pointless transaction is never sent, whatever the account holds.
  const committed = decodeFunctionResult({
    abi: authorshipRegistryAbi,
    functionName: "commitBySig",
    data: await simulate(client, request),
  });
  if (!committed) return { committed, transaction: undefined };
  const { transaction } = await send(client, request, { laterGas: parameters.laterGas });
  return { committed, transaction };
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
  const request = registryRequest(
    client,
    encodeFunctionData({
      abi: authorshipRegistryAbi,
      functionName: "revealFor",
      args: [registration, author, parseHash(parameters.salt, "salt")],
    }),
  );
  const registered = decodeFunctionResult({
    abi: authorshipRegistryAbi,
    functionName: "revealFor",
    data: await simulate(client, request),
  });
  const base = { contributionId: registration.contributionId, author, registered };
  if (!registered) return { ...base, transaction: undefined };
  return { ...base, transaction: (await send(client, request)).transaction };
}

/** When `author` committed `commitment` (Unix seconds), or zero when it did not or revealed it already. */
export async function getCommitment(client: TributaryClient, author: Address, commitment: Hex): Promise<number> {
  const args = [parseAddress(author, "author"), parseHash(commitment, "commitment")] as const;
  return Number(
    await attempt(() =>
      readContract(client.publicClient, {
        address: client.registry,
        abi: authorshipRegistryAbi,
        functionName: "commitmentOf",
        args,
      }),
    ),
  );
}
