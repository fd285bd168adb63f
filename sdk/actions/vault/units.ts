// Units: how much each contribution counts in a pool, set by its admin or attributor, in batches.
import { encodeFunctionData, type Hex } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireVault, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { InvalidInputError } from "../../errors.ts";
import { parseHash } from "../../parse.ts";
import { prepare, type PreparedTransaction, type TransactionResult } from "../../prepare.ts";

export interface UnitsEntry {
  contributionId: Hex;
  units: bigint;
}

/**
 * The default number of contributions per setUnits transaction. A new position costs about 32,000 gas, and about
 * 58,000 for a hash nobody registered (its escrow opened, bench/suites/vault.ts), so 256 stay below the 16,777,216
 * gas a transaction may use since EIP-7825 (about 14.8 million at worst; the contract's 512 would not).
 */
export const DEFAULT_UNITS_BATCH_SIZE = 256;

export interface SetUnitsParameters {
  poolId: bigint;
  entries: readonly UnitsEntry[];
  /** Contributions per transaction, from 1 to the contract's MAX_BATCH_SIZE; default DEFAULT_UNITS_BATCH_SIZE. */
  batchSize?: number;
}
export interface SetUnitsReturnType {
  poolId: bigint;
  /** How many contributions' units were set. */
  count: number;
  /** One transaction per batch. */
  transactions: TransactionResult[];
}

/**
 * Sets contributions' units in a pool, in batches of `batchSize`. Every batch is simulated before the first is sent,
 * so a bad entry anywhere sends nothing.
 */
export async function setUnits(client: TributaryClient, parameters: SetUnitsParameters): Promise<SetUnitsReturnType> {
  if (parameters.entries.length === 0) {
    throw new InvalidInputError("entries", "there are no units to set", "give at least one contribution");
  }
  const vault = requireVault(client);
  const [maxUnits, maxBatch] = await attempt(() =>
    Promise.all([
      readContract(client.publicClient, { address: vault, abi: royaltyVaultAbi, functionName: "MAX_UNITS" }),
      readContract(client.publicClient, { address: vault, abi: royaltyVaultAbi, functionName: "MAX_BATCH_SIZE" }),
    ]),
  );
  const seen = new Set<string>();
  const entries = parameters.entries.map((entry) => {
    const contributionId = parseHash(entry.contributionId, "contributionId");
    if (seen.has(contributionId)) {
      throw new InvalidInputError("entries", `${contributionId} appears twice`, "give each contribution once");
    }
    seen.add(contributionId);
    if (entry.units < 0n || entry.units > maxUnits) {
      throw new InvalidInputError(
        "units",
        `${entry.units} units for ${contributionId} are outside 0 to ${maxUnits}`,
        "scale the units down",
      );
    }
    return { contributionId, units: entry.units };
  });
  const largest = Number(maxBatch);
  const size = parameters.batchSize ?? Math.min(DEFAULT_UNITS_BATCH_SIZE, largest);
  if (!Number.isInteger(size) || size < 1 || size > largest) {
    throw new InvalidInputError(
      "batchSize",
      `a batch of ${size} is outside 1 to ${largest}`,
      `give a \`batchSize\` from 1 to ${largest} (the contract's MAX_BATCH_SIZE); ${DEFAULT_UNITS_BATCH_SIZE} keeps a batch under a transaction's gas cap`,
    );
  }
  const prepared: PreparedTransaction[] = [];
  for (let i = 0; i < entries.length; i += size) {
    const batch = entries.slice(i, i + size);
    prepared.push(
      await prepare(client, {
        to: vault,
        data: encodeFunctionData({
          abi: royaltyVaultAbi,
          functionName: "setUnits",
          args: [parameters.poolId, batch.map((e) => e.contributionId), batch.map((e) => e.units)],
        }),
      }),
    );
  }
  const transactions: TransactionResult[] = [];
  for (const call of prepared) transactions.push((await call.send()).transaction);
  return { poolId: parameters.poolId, count: entries.length, transactions };
}
