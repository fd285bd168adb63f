// Pools: a model provider opens one (a token, an admin, a stream duration); anyone reads its state.
import { decodeFunctionResult, encodeFunctionData, zeroAddress, type Address } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireAccount, requireVault, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { parseAddress, parseToken } from "../../parse.ts";
import { prepare, type TransactionResult } from "../../prepare.ts";

export interface CreatePoolParameters {
  /** An ERC-20's address, or ETH (the zero address). */
  token: Address;
  /** Seconds over which each deposit streams (the contract allows 1 hour to 10 years). */
  duration: number;
  /** Where the pool's metadata lives; may be empty. */
  uri?: string;
  /** The pool's admin; default the account. */
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
  const { account } = requireAccount(client);
  const admin = parameters.admin ? parseAddress(parameters.admin, "admin") : account.address;
  const token = parseToken(parameters.token, "token");
  const prepared = await prepare(client, {
    to: requireVault(client),
    data: encodeFunctionData({
      abi: royaltyVaultAbi,
      functionName: "createPool",
      args: [token, admin, parameters.duration, parameters.uri ?? ""],
    }),
  });
  const poolId = decodeFunctionResult({ abi: royaltyVaultAbi, functionName: "createPool", data: prepared.returnData });
  const { transaction } = await prepared.send();
  return { poolId, token, admin, duration: parameters.duration, ...transaction };
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
  const state = await attempt(() =>
    readContract(client.publicClient, {
      address: requireVault(client),
      abi: royaltyVaultAbi,
      functionName: "getPool",
      args: [poolId],
    }),
  );
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
