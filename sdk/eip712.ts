// The registry's EIP-712 domain and types, exactly as AuthorshipRegistry declares them: the SDK's signing actions,
// the tests and a web page's wallet all sign these.
import type { Address, Hex } from "viem";

export const EIP712_DOMAIN_NAME = "Tributary AuthorshipRegistry";
export const EIP712_DOMAIN_VERSION = "1";

export const REGISTER_TYPES = {
  Register: [
    { name: "contributionId", type: "bytes32" },
    { name: "kind", type: "uint8" },
    { name: "trainingConsent", type: "bool" },
    { name: "parents", type: "bytes32[]" },
    { name: "uri", type: "string" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const COMMIT_TYPES = {
  Commit: [
    { name: "commitment", type: "bytes32" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const CONSENT_TYPES = {
  SetTrainingConsent: [
    { name: "contributionId", type: "bytes32" },
    { name: "trainingConsent", type: "bool" },
    { name: "nonce", type: "uint40" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The registry's domain on a chain. */
export function registryDomain(chainId: number, registry: Address) {
  return { name: EIP712_DOMAIN_NAME, version: EIP712_DOMAIN_VERSION, chainId, verifyingContract: registry } as const;
}

export interface RegisterTypedDataParameters {
  chainId: number;
  registry: Address;
  registration: {
    contributionId: Hex;
    kind: number;
    trainingConsent: boolean;
    parents: readonly Hex[];
    uri: string;
  };
  author: Address;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}

/** The typed data an author signs so that anyone may submit the registration (`registerBySig`). */
export function registerTypedData({ chainId, registry, registration, author, deadline }: RegisterTypedDataParameters) {
  return {
    domain: registryDomain(chainId, registry),
    types: REGISTER_TYPES,
    primaryType: "Register" as const,
    message: {
      contributionId: registration.contributionId,
      kind: registration.kind,
      trainingConsent: registration.trainingConsent,
      parents: [...registration.parents],
      uri: registration.uri,
      author,
      deadline,
    },
  };
}

export interface CommitTypedDataParameters {
  chainId: number;
  registry: Address;
  commitment: Hex;
  author: Address;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}

/** The typed data an author signs so that anyone may store the commitment (`commitBySig`). */
export function commitTypedData({ chainId, registry, commitment, author, deadline }: CommitTypedDataParameters) {
  return {
    domain: registryDomain(chainId, registry),
    types: COMMIT_TYPES,
    primaryType: "Commit" as const,
    message: { commitment, author, deadline },
  };
}
