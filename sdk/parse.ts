// Every parser of a value given as text (by a person, a file or a form): each malformed value becomes an
// InvalidInputError naming the parameter, which the caller may rename (`parameter`) to the name its user knows.
import { getAddress, isAddress, parseUnits, type Address, type Hex } from "viem";

import { InvalidInputError, KeyError } from "./errors.ts";
import { KINDS, type Kind } from "./kinds.ts";
import { ETH } from "./tokens.ts";

/** A kind by its name (`prompt`, `model_output`...) or by its number in the contract. */
export function parseKind(value: string, parameter = "kind"): Kind {
  const normalized = value.trim().toLowerCase();
  if ((KINDS as readonly string[]).includes(normalized)) return normalized as Kind;
  if (/^\d$/.test(normalized) && KINDS[Number(normalized)]) return KINDS[Number(normalized)]!;
  const near = KINDS.find((kind) => kind === normalized.replace(/[-\s]/g, "_"));
  if (near) {
    throw new InvalidInputError(parameter, `"${value}" is not a contribution kind`, `write it ${near}`);
  }
  throw new InvalidInputError(parameter, `"${value}" is not a contribution kind`, `use one of ${KINDS.join(", ")}`);
}

/** An address; a mixed-case one must carry a valid EIP-55 checksum. Returned checksummed. */
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

/** A 32-byte hash (a contribution id, a root, a salt), returned in lower case. */
export function parseHash(value: unknown, parameter = "hash"): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value.trim())) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${String(value)}" is not a content hash`,
      "give 0x followed by 64 hexadecimal characters (`hashText` computes one)",
    );
  }
  return value.trim().toLowerCase() as Hex;
}

/**
 * A deadline as Unix seconds: an absolute number of seconds, an ISO date, or a duration from `now` such as
 * "30m", "12h", "7d".
 */
export function parseDeadline(value: string, now = Math.floor(Date.now() / 1000), parameter = "deadline"): bigint {
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
    parameter,
    `"${value}" is not a deadline`,
    "give a duration such as 1h or 7d, an ISO date, or Unix seconds",
  );
}

/** A boolean given as yes/no, on/off, true/false, 1/0, grant/revoke. */
export function parseYesNo(value: string, parameter: string): boolean {
  const v = value.trim().toLowerCase();
  if (["yes", "y", "on", "true", "1", "grant"].includes(v)) return true;
  if (["no", "n", "off", "false", "0", "revoke"].includes(v)) return false;
  throw new InvalidInputError(parameter, `"${value}" is neither yes nor no`, "give yes or no");
}

/** A pool id: a positive whole number. */
export function parsePoolId(value: unknown, parameter = "poolId"): bigint {
  const text = String(value).trim();
  if (!/^[1-9]\d{0,30}$/.test(text)) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${String(value)}" is not a pool id`,
      "give a positive whole number such as 1",
    );
  }
  return BigInt(text);
}

/** A stream duration in seconds: "3600", "90m", "1h", "7d", "2w". */
export function parseDuration(value: string, parameter = "duration"): number {
  const match = /^(\d+)\s*(s|m|h|d|w)?$/.exec(value.trim());
  if (!match) {
    throw new InvalidInputError(
      parameter,
      `"${value}" is not a duration`,
      "give seconds, or a number followed by s, m, h, d or w, such as 1h or 30d",
    );
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[(match[2] ?? "s") as "s" | "m" | "h" | "d" | "w"];
  return Number(match[1]) * unit;
}

/** A token: "eth" (any case, or the zero address) for ether, otherwise an ERC-20's address. */
export function parseToken(value: string, parameter = "token"): Address {
  if (value.trim().toLowerCase() === "eth") return ETH;
  return parseAddress(value, parameter);
}

/** An amount in whole tokens such as "1.5", in a token with `decimals` decimals, as the token's smallest unit. */
export function parseAmount(value: string, decimals: number, parameter = "amount"): bigint {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text) && !/^\.\d+$/.test(text)) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${value}" is not an amount`,
      "give a positive number of whole tokens such as 1.5 (no unit, no thousands separators)",
    );
  }
  const fraction = text.split(".")[1] ?? "";
  if (fraction.length > decimals) {
    throw new InvalidInputError(
      parameter,
      `${parameter} "${value}" has more than the token's ${decimals} decimals`,
      `give at most ${decimals} digits after the point`,
    );
  }
  const amount = parseUnits(text, decimals);
  if (amount === 0n) throw new InvalidInputError(parameter, `${parameter} is zero`, "give a positive amount");
  return amount;
}

/** A private key: 64 hex characters with or without 0x. The message never repeats the value. */
export function parsePrivateKey(value: string, source: string): Hex {
  const trimmed = value.trim();
  const hex = trimmed.startsWith("0x") ? trimmed.slice(2) : trimmed;
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new KeyError(`${source} is not a private key`, "give 0x followed by 64 hexadecimal characters", {
      parameter: "privateKey",
    });
  }
  return `0x${hex.toLowerCase()}`;
}
