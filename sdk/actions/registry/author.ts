// An author's changes to their record: consent to training use, and the two-step transfer of authorship.
import type { Address, Hex } from "viem";

import type { TributaryClient } from "../../client.ts";
import { parseAddress, parseHash } from "../../parse.ts";
import type { TransactionResult } from "../../prepare.ts";
import { writeRegistry } from "../internal.ts";

export interface SetTrainingConsentParameters {
  contributionId: Hex;
  trainingConsent: boolean;
}
export type SetTrainingConsentReturnType = TransactionResult;

/** Grants or revokes consent to training use (the author only). Revoking stops future accrual in every pool. */
export async function setTrainingConsent(
  client: TributaryClient,
  parameters: SetTrainingConsentParameters,
): Promise<SetTrainingConsentReturnType> {
  return writeRegistry(client, "setTrainingConsent", [
    parseHash(parameters.contributionId, "contributionId"),
    parameters.trainingConsent,
  ]);
}

export interface TransferAuthorshipParameters {
  contributionId: Hex;
  /** The wallet that may accept; the zero address cancels a pending transfer. */
  newAuthor: Address;
}
export type TransferAuthorshipReturnType = TransactionResult;

/** Starts a two-step transfer: the new author must accept it with acceptAuthorship. */
export async function transferAuthorship(
  client: TributaryClient,
  parameters: TransferAuthorshipParameters,
): Promise<TransferAuthorshipReturnType> {
  return writeRegistry(client, "transferAuthorship", [
    parseHash(parameters.contributionId, "contributionId"),
    parseAddress(parameters.newAuthor, "newAuthor"),
  ]);
}

export interface AcceptAuthorshipParameters {
  contributionId: Hex;
}
export type AcceptAuthorshipReturnType = TransactionResult;

/** Accepts a transfer of authorship named to the account. */
export async function acceptAuthorship(
  client: TributaryClient,
  parameters: AcceptAuthorshipParameters,
): Promise<AcceptAuthorshipReturnType> {
  return writeRegistry(client, "acceptAuthorship", [parseHash(parameters.contributionId, "contributionId")]);
}
