// Reads of the registry's state from the chain (the indexer's API serves history; these are the chain's word now).
import { zeroAddress, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import type { TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { kindName, type Kind } from "../../kinds.ts";
import { parseAddress, parseHash } from "../../parse.ts";

/** A contribution's on-chain record. */
export interface ContributionRecord {
  contributionId: Hex;
  author: Address;
  kind: Kind;
  /** Unix seconds of the registration's evidence. */
  registeredAt: number;
  trainingConsent: boolean;
  nonce: number;
  pendingAuthor: Address | null;
}

/** The record of `contributionId` read from the chain, or undefined when it is not registered. */
export async function getRecord(client: TributaryClient, contributionId: Hex): Promise<ContributionRecord | undefined> {
  const id = parseHash(contributionId, "contributionId");
  const at = { address: client.registry, abi: authorshipRegistryAbi, args: [id] } as const;
  const [record, pending] = await attempt(() =>
    Promise.all([
      readContract(client.publicClient, { ...at, functionName: "getRecord" }),
      readContract(client.publicClient, { ...at, functionName: "pendingAuthorOf" }),
    ]),
  );
  if (record.author === zeroAddress) return undefined;
  return {
    contributionId: id,
    author: record.author,
    kind: kindName(record.kind),
    registeredAt: Number(record.registeredAt),
    trainingConsent: record.trainingConsent,
    nonce: Number(record.nonce),
    pendingAuthor: pending === zeroAddress ? null : pending,
  };
}

/** Each contribution's registered author now; the zero address for a hash nobody registered. */
export async function getAuthors(client: TributaryClient, contributionIds: readonly Hex[]): Promise<Map<Hex, Address>> {
  const unique = [...new Set(contributionIds.map((id) => parseHash(id, "contributionId")))];
  const authors = await attempt(() =>
    Promise.all(
      unique.map((id) =>
        readContract(client.publicClient, {
          address: client.registry,
          abi: authorshipRegistryAbi,
          functionName: "authorOf",
          args: [id],
        }),
      ),
    ),
  );
  return new Map(unique.map((id, i) => [id, authors[i]!]));
}

/** Whether `account` is an approved attester. */
export async function isAttester(client: TributaryClient, account: Address): Promise<boolean> {
  const args = [parseAddress(account, "account")] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: client.registry,
      abi: authorshipRegistryAbi,
      functionName: "isAttester",
      args,
    }),
  );
}
