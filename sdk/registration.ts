// A registration as the SDK takes it and as the contract's `Authorship.Registration` takes it, and the commitment
// that hides one (computed locally: asking the contract would show it to the node).
import { concat, encodeAbiParameters, keccak256, stringToHex, toHex, type Address, type Hex } from "viem";

import { InvalidInputError } from "./errors.ts";
import { kindIndex, kindName, type Kind } from "./kinds.ts";
import { parseAddress, parseHash, parseKind } from "./parse.ts";

/** One contribution to register. */
export interface Registration {
  contributionId: Hex;
  kind: Kind;
  /** Consent to training use; default true. */
  trainingConsent?: boolean;
  /** Registered contributions it derives from. */
  parents?: readonly Hex[];
  /** Where its metadata lives; may be empty. */
  uri?: string;
}

/** A registration as the contract's `Authorship.Registration` takes it: the kind by its number. */
export interface OnChainRegistration {
  contributionId: Hex;
  kind: number;
  trainingConsent: boolean;
  parents: readonly Hex[];
  uri: string;
}

/** Validates a registration and puts it in the contract's shape. */
export function toOnChain(registration: Registration): OnChainRegistration {
  return {
    contributionId: parseHash(registration.contributionId, "contributionId"),
    kind: kindIndex(parseKind(registration.kind)),
    trainingConsent: registration.trainingConsent ?? true,
    parents: (registration.parents ?? []).map((p) => parseHash(p, "parents")),
    uri: registration.uri ?? "",
  };
}

/** A registration given either way, in the contract's shape; a numeric kind is kept as given (the contract checks it). */
export function onChainOf(registration: Registration | OnChainRegistration): OnChainRegistration {
  if (typeof registration.kind !== "number") return toOnChain({ ...registration, kind: registration.kind });
  if (!Number.isInteger(registration.kind) || registration.kind < 0 || registration.kind > 255) {
    throw new InvalidInputError("kind", `the kind ${registration.kind} is not a uint8`, "give a kind from 0 to 5");
  }
  return { ...toOnChain({ ...registration, kind: "prompt" }), kind: registration.kind };
}

/** The contract's shape back in the SDK's, every field present. */
export function fromOnChain(registration: OnChainRegistration): Required<Registration> {
  return {
    contributionId: registration.contributionId,
    kind: kindName(registration.kind),
    trainingConsent: registration.trainingConsent,
    parents: [...registration.parents],
    uri: registration.uri,
  };
}

/**
 * The commitment hiding a whole registration, its author and a salt, exactly as the contract's `computeCommitment`:
 * keccak256(abi.encode(keccak256(abi.encode(contributionId, kind, trainingConsent, keccak256(abi.encodePacked(parents)),
 * keccak256(bytes(uri)))), author, salt)).
 */
export function computeCommitment(registration: Registration | OnChainRegistration, author: Address, salt: Hex): Hex {
  const r = onChainOf(registration);
  const fields = keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "bool" }, { type: "bytes32" }, { type: "bytes32" }],
      [r.contributionId, r.kind, r.trainingConsent, keccak256(concat([...r.parents])), keccak256(stringToHex(r.uri))],
    ),
  );
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }],
      [fields, parseAddress(author, "author"), parseHash(salt, "salt")],
    ),
  );
}

/** A random 32-byte salt (Web Crypto, in Node and browsers alike). */
export function randomSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}
