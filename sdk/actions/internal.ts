// What several actions share: the registry's pre-checks and block times.
import { encodeFunctionData, type Address, type Hex } from "viem";
import { getBlock } from "viem/actions";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import type { TributaryClient } from "../client.ts";
import { attempt } from "../contractErrors.ts";
import { estimate, send, simulate, type TransactionRequest, type TransactionResult } from "../prepare.ts";
import type { OnChainRegistration } from "../registration.ts";

/** A call to the registry. */
export const registryRequest = (client: TributaryClient, data: Hex): TransactionRequest => ({
  to: client.registry,
  data,
});

/** Sends a call to the registry and returns its mined transaction. */
export async function writeRegistry(client: TributaryClient, data: Hex): Promise<TransactionResult> {
  return (await send(client, registryRequest(client, data))).transaction;
}

/**
 * Checks, without sending anything, that `author` could register `registration` now: the hash is not zero nor
 * registered, the kind exists, every parent is registered. A reveal makes the same checks, so running them before
 * a commit means that a registration bound to fail is refused before its first transaction. Returns the gas a
 * registration costs, an estimate of the reveal's.
 */
export async function checkRegistrable(
  client: TributaryClient,
  registration: OnChainRegistration,
  author: Address,
): Promise<bigint> {
  const request = registryRequest(
    client,
    encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "registerContribution", args: [registration] }),
  );
  await simulate(client, request, author);
  return estimate(client, request, author);
}

/** A block's time, in Unix seconds. */
export async function blockTime(client: TributaryClient, blockNumber: bigint): Promise<number> {
  return Number((await attempt(() => getBlock(client.publicClient, { blockNumber }))).timestamp);
}
