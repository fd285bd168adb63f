// The attribution method `usage-share-v1` (docs/epoch-files.md): an epoch's amount is shared among contributions in
// proportion to their summed weight, in exact integers. This file is the method's code: its bytes are hashed into the
// manifest's methodHash, so any change to how weights are read or amounts are shared changes the hash.

/** The method's id, hashed with keccak256 into the manifest's methodId. */
export const USAGE_SHARE_V1 = "usage-share-v1";

/** A weight may carry up to this many decimals; weights are summed as integers scaled by 10^WEIGHT_DECIMALS. */
export const WEIGHT_DECIMALS = 18;

const SCALE = 10n ** BigInt(WEIGHT_DECIMALS);
const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,18}))?$/;

/**
 * A weight (a usage log's `weight`, a scores file's `score`) as an integer scaled by 10^18: a JSON integer, or a
 * decimal string such as "12.5" with at most 18 decimals. Returns undefined when it is anything else or not above 0.
 */
export function scaledWeight(value: unknown): bigint | undefined {
  let scaled: bigint;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) return undefined;
    scaled = BigInt(value) * SCALE;
  } else if (typeof value === "string") {
    const match = DECIMAL.exec(value);
    if (match === null) return undefined;
    scaled = BigInt(match[1]!) * SCALE + BigInt((match[2] ?? "").padEnd(WEIGHT_DECIMALS, "0"));
  } else {
    return undefined;
  }
  return scaled > 0n ? scaled : undefined;
}

/**
 * Shares `amount` among contributions in proportion to `weights` (positive, the same scale for all), by largest
 * remainder: each gets floor(amount * weight / totalWeight); the units left over (fewer than the contributions)
 * go one each to the largest remainders amount * weight mod totalWeight, ties to the earlier position. The caller
 * gives the contributions sorted by contributionId ascending, so ties go by contributionId. The shares add up to
 * `amount` exactly.
 */
export function usageShares(amount: bigint, weights: readonly bigint[]): bigint[] {
  let totalWeight = 0n;
  for (const weight of weights) totalWeight += weight;
  const shares: bigint[] = new Array<bigint>(weights.length);
  const remainders: bigint[] = new Array<bigint>(weights.length);
  let left = amount;
  for (let i = 0; i < weights.length; i++) {
    const product = amount * weights[i]!;
    shares[i] = product / totalWeight;
    remainders[i] = product % totalWeight;
    left -= shares[i]!;
  }
  if (left > 0n) {
    const order = Array.from({ length: weights.length }, (_, i) => i);
    order.sort((a, b) => (remainders[b]! > remainders[a]! ? 1 : remainders[b]! < remainders[a]! ? -1 : a - b));
    for (let k = 0; k < Number(left); k++) shares[order[k]!]! += 1n;
  }
  return shares;
}
