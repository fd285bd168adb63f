// Epoch pools: a model provider opens one (a token, a publisher, a challenger, a challenge window and an
// unclaimed-funds policy fixed for good), appoints its roles; anyone reads its state.
import { decodeFunctionResult, encodeFunctionData, type Address } from "viem";
import { readContract } from "viem/actions";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import { requireAccount, requireEpochs, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { parseAddress, parseToken } from "../../parse.ts";
import { prepare, send, type TransactionResult } from "../../prepare.ts";

/** A call to AttributionEpochs. */
export const epochsRequest = (client: TributaryClient, data: `0x${string}`) => ({ to: requireEpochs(client), data });

function seconds(value: number, parameter: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** 40) {
    throw new InvalidInputError(parameter, `${parameter} ${value} is not a whole number of seconds`, "give seconds");
  }
  return value;
}

export interface CreateEpochPoolParameters {
  /** An ERC-20's address, or ETH (the zero address). */
  token: Address;
  /** The wallet that publishes roots; default the account. */
  publisher?: Address;
  /** The wallet that may veto a root in its window (an auditor, a verifier); default the account. */
  challenger?: Address;
  /** The pool's admin; default the account. */
  admin?: Address;
  /** Seconds a root waits before it pays, during which it can be vetoed (the contract allows 1 hour to 30 days). */
  challengeWindow: number;
  /**
   * 0: nobody ever takes back what is unclaimed. Otherwise seconds after the last publication after which the admin
   * may take it back and close the pool (90 days to 10 years). Fixed for good.
   */
  reclaimDelay?: number;
  /** Where the pool's metadata lives; may be empty. */
  metadataUri?: string;
}

export interface CreateEpochPoolReturnType extends TransactionResult {
  poolId: bigint;
  token: Address;
  admin: Address;
  publisher: Address;
  challenger: Address;
  challengeWindow: number;
  reclaimDelay: number;
}

/** Opens an epoch pool. Anyone may; it belongs to `admin`. */
export async function createEpochPool(
  client: TributaryClient,
  parameters: CreateEpochPoolParameters,
): Promise<CreateEpochPoolReturnType> {
  const { account } = requireAccount(client);
  const roles = {
    token: parseToken(parameters.token, "token"),
    admin: parameters.admin ? parseAddress(parameters.admin, "admin") : account.address,
    publisher: parameters.publisher ? parseAddress(parameters.publisher, "publisher") : account.address,
    challenger: parameters.challenger ? parseAddress(parameters.challenger, "challenger") : account.address,
  };
  const challengeWindow = seconds(parameters.challengeWindow, "challengeWindow");
  const reclaimDelay = seconds(parameters.reclaimDelay ?? 0, "reclaimDelay");
  const prepared = await prepare(
    client,
    epochsRequest(
      client,
      encodeFunctionData({
        abi: attributionEpochsAbi,
        functionName: "createPool",
        args: [{ ...roles, challengeWindow, reclaimDelay, metadataUri: parameters.metadataUri ?? "" }],
      }),
    ),
  );
  const poolId = decodeFunctionResult({
    abi: attributionEpochsAbi,
    functionName: "createPool",
    data: prepared.returnData,
  });
  const { transaction } = await prepared.send();
  return { poolId, ...roles, challengeWindow, reclaimDelay, ...transaction };
}

/** An epoch pool as the chain reports it now. Amounts in the token's smallest unit; times in Unix seconds. */
export interface EpochPoolState {
  poolId: bigint;
  token: Address;
  admin: Address;
  publisher: Address;
  challenger: Address;
  challengeWindow: number;
  /** 0: nobody ever reclaims what is unclaimed. */
  reclaimDelay: number;
  createdAt: number;
  closed: boolean;
  /** Epochs published, vetoed ones included: the last epoch's id. */
  epochCount: number;
  /** The epoch claims prove against now; 0 when none. */
  payableEpoch: number;
  /** The epoch in its challenge window now; 0 when none. */
  pendingEpoch: number;
  payableTotal: bigint;
  /** Everything funded, net of the protocol fee. */
  funded: bigint;
  claimed: bigint;
}

/** An epoch pool's state read from the chain. Throws the contract's PoolNotFoundError for an unknown id. */
export async function getEpochPool(client: TributaryClient, poolId: bigint): Promise<EpochPoolState> {
  const state = await attempt(() =>
    readContract(client.publicClient, {
      address: requireEpochs(client),
      abi: attributionEpochsAbi,
      functionName: "getPool",
      args: [poolId],
    }),
  );
  return {
    poolId,
    token: state.token,
    admin: state.admin,
    publisher: state.publisher,
    challenger: state.challenger,
    challengeWindow: Number(state.challengeWindow),
    reclaimDelay: Number(state.reclaimDelay),
    createdAt: Number(state.createdAt),
    closed: state.closed,
    epochCount: Number(state.epochCount),
    payableEpoch: Number(state.payableEpoch),
    pendingEpoch: Number(state.pendingEpoch),
    payableTotal: state.payableTotal,
    funded: state.funded,
    claimed: state.claimed,
  };
}

export interface SetEpochRoleParameters {
  poolId: bigint;
  /** The wallet appointed. */
  account: Address;
}

async function setRole(
  client: TributaryClient,
  functionName: "setPublisher" | "setChallenger",
  parameters: SetEpochRoleParameters,
): Promise<TransactionResult> {
  const args = [parameters.poolId, parseAddress(parameters.account, "account")] as const;
  const data = encodeFunctionData({ abi: attributionEpochsAbi, functionName, args });
  return (await send(client, epochsRequest(client, data))).transaction;
}

/** Appoints the wallet that publishes a pool's roots. Only the pool's admin. */
export const setPublisher = (client: TributaryClient, parameters: SetEpochRoleParameters) =>
  setRole(client, "setPublisher", parameters);

/** Appoints the wallet that may veto a pool's pending roots. Only the pool's admin, and not while a root is pending. */
export const setChallenger = (client: TributaryClient, parameters: SetEpochRoleParameters) =>
  setRole(client, "setChallenger", parameters);
