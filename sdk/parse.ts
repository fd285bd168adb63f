// Validation of user-given values: every malformed one becomes an InvalidInputError that names the parameter.
import { getAddress, isAddress, type Address, type Hex } from "viem";

import { InvalidInputError } from "./errors.ts";

/** The contribution kinds in the contract's order (Authorship.Kind). */
export const KINDS = ["prompt", "correction", "feedback", "dataset", "model-output", "other"] as const;
export type Kind = (typeof KINDS)[number];

export function kindIndex(kind: Kind): number {
  return KINDS.indexOf(kind);
}

export function kindName(index: number): Kind {
  const kind = KINDS[index];
  if (kind === undefined) throw new InvalidInputError("kind", `unknown contribution kind ${index}`, "upgrade the SDK");
  return kind;
}

/** Accepts a kind by name ("prompt", "model-output", "model_output") or by its number. */
export function parseKind(value: string, parameter = "kind"): Kind {
  const normalized = value.trim().toLowerCase().replace(/_/g, "-");
  if ((KINDS as readonly string[]).includes(normalized)) return normalized as Kind;
  if (/^\d$/.test(normalized) && KINDS[Number(normalized)]) return KINDS[Number(normalized)]!;
  throw new InvalidInputError(parameter, `"${value}" is not a contribution kind`, `use one of ${KINDS.join(", ")}`);
}

export function parseAddress(value: unknown, parameter = "address"): Address {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value.trim())) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${String(value)}" is not an address`,
      "give 0x followed by 40 hexadecimal characters",
    );
  }
  const trimmed = value.trim();
  // A mixed-case address carries an EIP-55 checksum: a typo in it is caught here.
  if (trimmed !== trimmed.toLowerCase() && trimmed.slice(2) !== trimmed.slice(2).toUpperCase()) {
    if (!isAddress(trimmed, { strict: true })) {
      throw new InvalidInputError(
        parameter,
        `${parameter} "${trimmed}" fails its checksum (a mistyped character?)`,
        "copy the address again, or give it in lower case",
      );
    }
  }
  return getAddress(trimmed.toLowerCase());
}

export function parseHash(value: unknown, parameter = "hash"): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value.trim())) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${String(value)}" is not a content hash`,
      "give 0x followed by 64 hexadecimal characters (tributary hash computes one)",
    );
  }
  return value.trim().toLowerCase() as Hex;
}

/**
 * A deadline as Unix seconds: an absolute number of seconds, an ISO date, or a duration from `now` such as
 * "30m", "12h", "7d".
 */
export function parseDeadline(value: string, now = Math.floor(Date.now() / 1000)): bigint {
  const trimmed = value.trim();
  const duration = /^(\d+)\s*([smhd])$/.exec(trimmed);
  if (duration) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration[2] as "s" | "m" | "h" | "d"];
    return BigInt(now + Number(duration[1]) * unit);
  }
  if (/^\d{9,12}$/.test(trimmed)) return BigInt(trimmed);
  const date = Date.parse(trimmed);
  if (!Number.isNaN(date) && /^\d{4}-\d{2}-\d{2}/.test(trimmed)) return BigInt(Math.floor(date / 1000));
  throw new InvalidInputError(
    "deadline",
    `"${value}" is not a deadline`,
    "give a duration such as 1h or 7d, an ISO date, or Unix seconds",
  );
}

/** A boolean given as yes/no, on/off, true/false, 1/0. */
export function parseYesNo(value: string, parameter: string): boolean {
  const v = value.trim().toLowerCase();
  if (["yes", "y", "on", "true", "1", "grant"].includes(v)) return true;
  if (["no", "n", "off", "false", "0", "revoke"].includes(v)) return false;
  throw new InvalidInputError(parameter, `"${value}" is neither yes nor no`, "give yes or no");
}
