// The two signed files an author hands a relayer, and their parsers: a signed registration (`registerBySig`, one
// transaction, for content already public) and a signed commitment (`commitBySig`, then `revealFor`).
import type { Address, Hex } from "viem";

import { InvalidInputError } from "./errors.ts";
import { parseAddress, parseHash, parseKind } from "./parse.ts";
import { computeCommitment, type Registration } from "./registration.ts";

/**
 * A registration signed by its author, which anyone can submit in one transaction (`registerBySig`). Its pending
 * transaction shows the hash: for content already public.
 */
export interface SignedRegistration {
  type: "tributary/signed-registration";
  version: 1;
  chainId: number;
  registry: Address;
  author: Address;
  /** Unix seconds, as a decimal string in JSON. */
  deadline: bigint;
  registration: Required<Registration>;
  signature: Hex;
}

/**
 * A commitment signed by its author with the registration and salt it hides: a relayer sends `commitBySig`, waits
 * `MIN_REVEAL_DELAY`, then sends `revealFor`. Nobody watching the mempool learns the hash before the reveal, which
 * dates the record at the commitment. Keep it private until relayed: it holds the salt.
 */
export interface SignedCommitment {
  type: "tributary/signed-commitment";
  version: 1;
  chainId: number;
  registry: Address;
  author: Address;
  /** Unix seconds after which the commit signature is void, as a decimal string in JSON. */
  deadline: bigint;
  commitment: Hex;
  salt: Hex;
  registration: Required<Registration>;
  signature: Hex;
}

function parseRegistrationJson(r: Partial<Record<keyof Registration, unknown>>): Required<Registration> {
  return {
    contributionId: parseHash(r.contributionId, "contributionId"),
    kind: parseKind(String(r.kind)),
    trainingConsent: r.trainingConsent !== false,
    parents: Array.isArray(r.parents) ? r.parents.map((p) => parseHash(p, "parents")) : [],
    uri: typeof r.uri === "string" ? r.uri : "",
  };
}

/** Reads a signed file's common fields from parsed JSON; `bad` names what is wrong. */
function parseSignedFields(
  value: Record<string, unknown>,
  bad: (what: string) => InvalidInputError,
): Omit<SignedRegistration, "type"> {
  const r = value.registration as Partial<Record<keyof Registration, unknown>> | undefined;
  if (!r || typeof r !== "object") throw bad("has no registration");
  if (typeof value.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(value.signature)) throw bad("has no signature");
  if (typeof value.deadline !== "string" && typeof value.deadline !== "number") throw bad("has no deadline");
  if (!/^\d+$/.test(String(value.deadline))) throw bad("has a deadline that is not Unix seconds");
  return {
    version: 1,
    chainId: Number(value.chainId),
    registry: parseAddress(value.registry, "registry"),
    author: parseAddress(value.author, "author"),
    deadline: BigInt(value.deadline),
    registration: parseRegistrationJson(r),
    signature: value.signature as Hex,
  };
}

const badFile = (source: string) => (what: string) =>
  new InvalidInputError("signed", `${source} ${what}`, "give a file that `signRegistration` or `signCommitment` wrote");

/** Reads a signed registration from parsed JSON, validating every field. */
export function parseSignedRegistration(json: unknown, source = "the signed registration"): SignedRegistration {
  const value = json as Record<string, unknown> | null;
  const bad = badFile(source);
  if (value === null || typeof value !== "object" || value.type !== "tributary/signed-registration") {
    throw bad("is not a signed registration");
  }
  return { type: "tributary/signed-registration", ...parseSignedFields(value, bad) };
}

/** Reads a signed commitment from parsed JSON, validating every field and that the commitment hides them. */
export function parseSignedCommitment(json: unknown, source = "the signed commitment"): SignedCommitment {
  const value = json as Record<string, unknown> | null;
  const bad = badFile(source);
  if (value === null || typeof value !== "object" || value.type !== "tributary/signed-commitment") {
    throw bad("is not a signed commitment");
  }
  const signed: SignedCommitment = {
    type: "tributary/signed-commitment",
    ...parseSignedFields(value, bad),
    commitment: parseHash(value.commitment, "commitment"),
    salt: parseHash(value.salt, "salt"),
  };
  if (computeCommitment(signed.registration, signed.author, signed.salt) !== signed.commitment) {
    throw new InvalidInputError(
      "signed",
      `${source}'s commitment does not hide its registration, author and salt (the file was changed after signing)`,
      "ask the author to sign again (`signCommitment`)",
    );
  }
  return signed;
}

/** Reads either signed file. */
export function parseSigned(json: unknown, source = "the signed file"): SignedCommitment | SignedRegistration {
  const type = (json as { type?: unknown } | null)?.type;
  if (type === "tributary/signed-commitment") return parseSignedCommitment(json, source);
  if (type === "tributary/signed-registration") return parseSignedRegistration(json, source);
  throw badFile(source)("is neither a signed commitment nor a signed registration");
}
