// `units set` beyond one SDK call: the rows that change nothing are left out (the pool's current units read
// first), so a re-run of a file whose sending was interrupted sends only what is left, and each batch reports its
// progress on stderr as it lands.
import type { Hex } from "viem";
import { readContract } from "viem/actions";

import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";
import { InvalidInputError, requireVault, type TributaryClient, type UnitsEntry } from "../sdk/node.ts";

/** The vault's MAX_BATCH_SIZE: the most contributions one setUnits transaction takes. */
export const MAX_UNITS_BATCH_SIZE = 512;

/** `--batch-size`: a whole number from 1 to MAX_UNITS_BATCH_SIZE, with the reason for the bounds when it is not. */
export function parseBatchSize(value: string): number {
  const size = /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(size >= 1 && size <= MAX_UNITS_BATCH_SIZE)) {
    throw new InvalidInputError(
      "batch-size",
      `--batch-size "${value}" is not a whole number from 1 to ${MAX_UNITS_BATCH_SIZE}`,
      `give 1 to ${MAX_UNITS_BATCH_SIZE} (the vault's MAX_BATCH_SIZE); the default 256 keeps a batch of new positions under the 16,777,216 gas a transaction may use (EIP-7825)`,
    );
  }
  return size;
}

/** How many reads are in flight at once: the local node and public RPCs alike answer 64 calls quickly. */
const READS_AT_ONCE = 64;

/** The current units of each contribution in the pool (0 for a position never given any), in the entries' order. */
export async function currentUnits(
  tributary: TributaryClient,
  poolId: bigint,
  contributionIds: readonly Hex[],
): Promise<bigint[]> {
  const address = requireVault(tributary);
  const units: bigint[] = [];
  for (let i = 0; i < contributionIds.length; i += READS_AT_ONCE) {
    const chunk = contributionIds.slice(i, i + READS_AT_ONCE);
    const positions = await Promise.all(
      chunk.map((id) =>
        readContract(tributary.publicClient, {
          address,
          abi: royaltyVaultAbi,
          functionName: "positionOf",
          args: [poolId, id],
        }),
      ),
    );
    for (const [position] of positions) units.push(BigInt(position.units));
  }
  return units;
}

/**
 * The entries whose units differ from the pool's current ones, and how many were left out as unchanged. The whole
 * file is checked first (each contribution once, units up to the vault's MAX_UNITS), so a bad row anywhere sends
 * nothing although the batches are sent one by one.
 */
export async function changedEntries(
  tributary: TributaryClient,
  poolId: bigint,
  entries: readonly UnitsEntry[],
  source: string,
): Promise<{ changed: UnitsEntry[]; unchanged: number }> {
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.contributionId.toLowerCase();
    if (seen.has(id)) {
      throw new InvalidInputError("csv", `${source} names ${id} twice`, "give each contribution once");
    }
    seen.add(id);
  }
  const maxUnits = await readContract(tributary.publicClient, {
    address: requireVault(tributary),
    abi: royaltyVaultAbi,
    functionName: "MAX_UNITS",
  });
  const over = entries.find((e) => e.units > BigInt(maxUnits));
  if (over) {
    throw new InvalidInputError(
      "csv",
      `${source} gives ${over.contributionId} ${over.units} units, more than the vault's MAX_UNITS (${maxUnits})`,
      "scale the units down",
    );
  }
  const current = await currentUnits(
    tributary,
    poolId,
    entries.map((e) => e.contributionId),
  );
  const changed = entries.filter((entry, i) => entry.units !== current[i]);
  return { changed, unchanged: entries.length - changed.length };
}
