// Attesters: a platform that witnessed contributions anchors a Merkle root of (contributionId, author, kind)
// leaves; anyone turns a leaf into a full record with its proof. The registry's owner approves attesters.
import type { Address, Hex } from "viem";

import type { TributaryClient } from "../../client.ts";
import { kindIndex, type Kind } from "../../kinds.ts";
import { parseAddress, parseHash, parseKind } from "../../parse.ts";
import type { TransactionResult } from "../../prepare.ts";
import { writeRegistry } from "../internal.ts";

/** One witnessed contribution of an attester's tree. */
export interface AnchorLeaf {
  contributionId: Hex;
  author: Address;
  kind: Kind;
}

/** The leaf types of an attester's tree: (contributionId, author, kind). */
export const ANCHOR_LEAF_TYPES = ["bytes32", "address", "uint8"] as const;

export interface AnchorParameters {
  root: Hex;
  /** Where the leaf file lives. */
  uri: string;
}
export type AnchorReturnType = TransactionResult;

/** Publishes a root (the account must be an approved attester). */
export async function anchor(client: TributaryClient, parameters: AnchorParameters): Promise<AnchorReturnType> {
  return writeRegistry(client, "anchor", [parseHash(parameters.root, "root"), parameters.uri]);
}

export interface MaterializeParameters extends AnchorLeaf {
  root: Hex;
  proof: readonly Hex[];
}
export type MaterializeReturnType = TransactionResult;

/** Turns one leaf of an anchored root into a full record; anyone may submit it. */
export async function materialize(
  client: TributaryClient,
  parameters: MaterializeParameters,
): Promise<MaterializeReturnType> {
  return writeRegistry(client, "materialize", [
    parseHash(parameters.root, "root"),
    parseHash(parameters.contributionId, "contributionId"),
    parseAddress(parameters.author, "author"),
    kindIndex(parseKind(parameters.kind)),
    parameters.proof.map((p) => parseHash(p, "proof")),
  ]);
}

export interface SetAttesterParameters {
  attester: Address;
  approved: boolean;
}
export type SetAttesterReturnType = TransactionResult;

/** Approves or revokes an attester (the registry's owner only). */
export async function setAttester(
  client: TributaryClient,
  parameters: SetAttesterParameters,
): Promise<SetAttesterReturnType> {
  return writeRegistry(client, "setAttester", [parseAddress(parameters.attester, "attester"), parameters.approved]);
}
