// REST route over the ownership tables: who controls each contract, and what that control has been used for.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { asc, desc, eq } from "ponder";
import { zeroAddress } from "viem";

import { toJson } from "../http.ts";

/** The newest ownership events and approved attesters an answer lists; both are a handful in practice. */
const LIST_LIMIT = 100;

/** `GET /contracts`; a chained app so that its answer type reaches `ApiRoutes` (index.ts). */
export const contractRoutes = new Hono().get("/contracts", async (c) => {
  const [owners, history, attesters, [config]] = await Promise.all([
    db.select().from(schema.contractOwner).orderBy(asc(schema.contractOwner.contract)),
    db
      .select()
      .from(schema.ownershipEvent)
      .orderBy(desc(schema.ownershipEvent.blockNumber), desc(schema.ownershipEvent.logIndex))
      .limit(LIST_LIMIT + 1),
    db
      .select({ id: schema.attester.id })
      .from(schema.attester)
      .where(eq(schema.attester.approved, true))
      .orderBy(asc(schema.attester.id))
      .limit(LIST_LIMIT + 1),
    db.select().from(schema.vaultConfig).limit(1),
  ]);
  const listed = history.slice(0, LIST_LIMIT);
  const contracts = owners.map((row) => {
    const events = listed.filter((event) => event.address === row.id);
    // `contract` typed by its value, so that a client tells the two shapes apart by it.
    const controls =
      row.contract === "AuthorshipRegistry"
        ? {
            contract: "AuthorshipRegistry" as const,
            approvedAttesters: attesters.slice(0, LIST_LIMIT).map((a) => a.id),
            approvedAttestersTruncated: attesters.length > LIST_LIMIT,
          }
        : {
            contract: "RoyaltyVault" as const,
            // The vault's initial settings until its owner changes them.
            feeBps: config?.feeBps ?? 0,
            feeRecipient: config?.feeRecipient ?? zeroAddress,
            paused: config?.paused ?? false,
          };
    return {
      address: row.id,
      owner: row.owner,
      pendingOwner: row.pendingOwner,
      updatedAtBlock: row.updatedAtBlock,
      ...controls,
      ownershipHistory: events.map(({ id: _id, contract: _contract, address: _address, ...event }) => event),
    };
  });
  return c.json(toJson({ contracts, ownershipHistoryTruncated: history.length > LIST_LIMIT }), 200);
});
