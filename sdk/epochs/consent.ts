// The eligible set at a snapshot block: which contributions' authors had revoked consent to training use, read
// from the AuthorshipRegistry itself at that block. The registry is the source of record and answers for any past
// block (the indexer's API keeps each record's current state, not its state at an arbitrary block), so anyone can
// recheck an epoch's eligibleHash against the chain alone. Calls are batched with multicall (deployless where the
// chain has no Multicall3, as Hardhat's node), a thousand contributions an eth_call.
import type { Address, Client, Hex } from "viem";
import { multicall } from "viem/actions";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { toTributaryError } from "../contractErrors.ts";

export interface ReadRevokedConsentParameters {
  /** viem's client on the node (TributaryClient.publicClient). */
  publicClient: Client;
  registry: Address;
  contributionIds: readonly Hex[];
  blockNumber: bigint;
  /** Contributions per eth_call; default 1,000. */
  batchSize?: number;
  onProgress?: (progress: { read: number; total: number }) => void;
}

/**
 * The contributions among `contributionIds` that were registered and whose author had revoked training consent at
 * `blockNumber`. An unregistered contribution is not revoked: its amount waits in escrow for its author.
 */
export async function readRevokedConsent(parameters: ReadRevokedConsentParameters): Promise<Set<Hex>> {
  const { publicClient, registry, contributionIds, blockNumber, onProgress } = parameters;
  const batchSize = parameters.batchSize ?? 1_000;
  const deployless = publicClient.chain?.contracts?.multicall3 === undefined;
  const read = async (functionName: "hasTrainingConsent" | "isRegistered", ids: readonly Hex[]) => {
    try {
      return await multicall(publicClient, {
        contracts: ids.map((id) => ({ address: registry, abi: authorshipRegistryAbi, functionName, args: [id] })),
        blockNumber,
        allowFailure: false,
        deployless,
        batchSize: 0,
      });
    } catch (error) {
      throw toTributaryError(error);
    }
  };
  const revoked = new Set<Hex>();
  for (let start = 0; start < contributionIds.length; start += batchSize) {
    const ids = contributionIds.slice(start, start + batchSize);
    const consents = (await read("hasTrainingConsent", ids)) as boolean[];
    // Without consent: either revoked, or never registered (an unregistered record reads as no consent).
    const without = ids.filter((_, i) => !consents[i]);
    if (without.length > 0) {
      const registered = (await read("isRegistered", without)) as boolean[];
      without.forEach((id, i) => registered[i] && revoked.add(id));
    }
    onProgress?.({ read: Math.min(start + batchSize, contributionIds.length), total: contributionIds.length });
  }
  return revoked;
}
