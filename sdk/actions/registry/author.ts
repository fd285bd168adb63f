// An author's changes to their record: consent to training use, and the two-step transfer of authorship.
import { encodeFunctionData, type Address, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
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
  const data = encodeFunctionData({
    abi: authorshipRegistryAbi,
    functionName: "setTrainingConsent",
    args: [parseHash(parameters.contributionId, "contributionId"), parameters.trainingConsent],
  });
  return writeRegistry(client, data);
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
  const data = encodeFunctionData({
    abi: authorshipRegistryAbi,
    functionName: "transferAuthorship",
    args: [parseHash(parameters.contributionId, "contributionId"), parseAddress(parameters.newAuthor, "newAuthor")],
  });
  return writeRegistry(client, data);
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
  const data = encodeFunctionData({
    abi: authorshipRegistryAbi,
    functionName: "acceptAuthorship",
    args: [parseHash(parameters.contributionId, "contributionId")],
  });
  return writeRegistry(client, data);
}
