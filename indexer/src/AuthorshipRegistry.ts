import { ponder, type Context } from "ponder:registry";
import {
  anchor,
  attester,
  attesterEvent,
  author,
  commitment,
  commitmentEvent,
  consentEvent,
  contribution,
  contributionParent,
  registrationEvent,
  supersededEvent,
  transferEvent,
} from "ponder:schema";
import { eq } from "ponder";

import { KINDS } from "../ponder.schema.ts";
import { eventColumns } from "./eventColumns.ts";

type Hex = `0x${string}`;

/** Moves `delta` contributions onto `wallet`'s running total, creating its row on first sight. */
async function countContribution(context: Context, wallet: Hex, delta: number, blockNumber: bigint) {
  await context.db
    .insert(author)
    .values({ id: wallet, contributionCount: delta, firstSeenAtBlock: blockNumber })
    .onConflictDoUpdate((row) => ({ contributionCount: row.contributionCount + delta }));
}

ponder.on("AuthorshipRegistry:ContributionRegistered", async ({ event, context }) => {
  const { contributionId, author: newAuthor, trainingConsent, uri } = event.args;
  const kind = KINDS[event.args.kind];
  if (kind === undefined) throw new Error(`unknown contribution kind ${event.args.kind} in ${event.id}`);
  const registeredAt = BigInt(event.args.registeredAt);

  await context.db.insert(registrationEvent).values({
    id: event.id,
    contributionId,
    author: newAuthor,
    kind,
    registeredAt,
    trainingConsent,
    uri,
    ...eventColumns(event),
  });

  const existing = await context.db.find(contribution, { id: contributionId });
  if (existing === null) {
    await context.db.insert(contribution).values({
      id: contributionId,
      author: newAuthor,
      kind,
      registeredAt,
      trainingConsent,
      uri,
      nonce: 0,
      pendingAuthor: null,
      parentCount: 0,
      childCount: 0,
      supersededCount: 0,
      materializedRoot: null,
      blockNumber: event.block.number,
      transactionHash: event.transaction.hash,
      logIndex: event.log.logIndex,
      updatedAtBlock: event.block.number,
    });
    await countContribution(context, newAuthor, 1, event.block.number);
    return;
  }

  // The row already states this very log: the event was applied before (a batch written in part before a crash,
  // then indexed again on recovery). Applying it twice would count a supersede that never happened.
  if (existing.transactionHash === event.transaction.hash && existing.logIndex === event.log.logIndex) return;

  // An older registration (a reveal or an anchored leaf) replaced this record: the contract carries the nonce on
  // and clears any pending transfer; the new record names its own parents (ContributionDerived follows).
  const oldEdges = await context.db.sql
    .select()
    .from(contributionParent)
    .where(eq(contributionParent.child, contributionId));
  for (const edge of oldEdges) {
    await context.db.delete(contributionParent, { child: edge.child, parent: edge.parent });
    await context.db.update(contribution, { id: edge.parent }).set((row) => ({ childCount: row.childCount - 1 }));
  }
  await context.db.update(contribution, { id: contributionId }).set({
    author: newAuthor,
    kind,
    registeredAt,
    trainingConsent,
    uri,
    nonce: existing.nonce + 1,
    pendingAuthor: null,
    parentCount: 0,
    supersededCount: existing.supersededCount + 1,
    // ContributionMaterialized follows when the new record is an anchored leaf.
    materializedRoot: null,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
    updatedAtBlock: event.block.number,
  });
  if (existing.author !== newAuthor) {
    await countContribution(context, existing.author, -1, event.block.number);
    await countContribution(context, newAuthor, 1, event.block.number);
  }
});

ponder.on("AuthorshipRegistry:ContributionDerived", async ({ event, context }) => {
  const { contributionId, parents } = event.args;
  // The registry does not refuse a parent named twice: the edge is stored once, at its first position.
  const distinct = [...new Set(parents)];
  for (const parent of distinct) {
    await context.db
      .insert(contributionParent)
      .values({ child: contributionId, parent, position: parents.indexOf(parent) });
    await context.db.update(contribution, { id: parent }).set((row) => ({ childCount: row.childCount + 1 }));
  }
  await context.db.update(contribution, { id: contributionId }).set({ parentCount: distinct.length });
});

ponder.on("AuthorshipRegistry:ContributionMaterialized", async ({ event, context }) => {
  // Right after the ContributionRegistered of the leaf's record.
  const { contributionId, root } = event.args;
  await context.db.update(contribution, { id: contributionId }).set({ materializedRoot: root });
  await context.db.update(anchor, { id: root }).set((row) => ({ materializedCount: row.materializedCount + 1 }));
});

ponder.on("AuthorshipRegistry:RegistrationSuperseded", async ({ event, context }) => {
  await context.db.insert(supersededEvent).values({
    id: event.id,
    contributionId: event.args.contributionId,
    previousAuthor: event.args.previousAuthor,
    previousRegisteredAt: BigInt(event.args.previousRegisteredAt),
    registeredAt: BigInt(event.args.registeredAt),
    ...eventColumns(event),
  });
});

ponder.on("AuthorshipRegistry:TrainingConsentChanged", async ({ event, context }) => {
  const { contributionId, trainingConsent, nonce } = event.args;
  await context.db.insert(consentEvent).values({
    id: event.id,
    contributionId,
    author: event.args.author,
    trainingConsent,
    nonce: Number(nonce),
    ...eventColumns(event),
  });
  await context.db
    .update(contribution, { id: contributionId })
    .set({ trainingConsent, nonce: Number(nonce), updatedAtBlock: event.block.number });
});

ponder.on("AuthorshipRegistry:AuthorshipTransferStarted", async ({ event, context }) => {
  const { contributionId, pendingAuthor } = event.args;
  await context.db.insert(transferEvent).values({
    id: event.id,
    contributionId,
    stage: "started",
    from: event.args.author,
    to: pendingAuthor,
    nonce: null,
    ...eventColumns(event),
  });
  const cleared = pendingAuthor === "0x0000000000000000000000000000000000000000";
  await context.db
    .update(contribution, { id: contributionId })
    .set({ pendingAuthor: cleared ? null : pendingAuthor, updatedAtBlock: event.block.number });
});

ponder.on("AuthorshipRegistry:AuthorshipTransferred", async ({ event, context }) => {
  const { contributionId, previousAuthor, newAuthor, nonce } = event.args;
  await context.db.insert(transferEvent).values({
    id: event.id,
    contributionId,
    stage: "accepted",
    from: previousAuthor,
    to: newAuthor,
    nonce: Number(nonce),
    ...eventColumns(event),
  });
  await context.db
    .update(contribution, { id: contributionId })
    .set({ author: newAuthor, pendingAuthor: null, nonce: Number(nonce), updatedAtBlock: event.block.number });
  await countContribution(context, previousAuthor, -1, event.block.number);
  await countContribution(context, newAuthor, 1, event.block.number);
});

ponder.on("AuthorshipRegistry:Committed", async ({ event, context }) => {
  // The same (committer, commitment) is committed again after its reveal or expiry: the row keeps the latest.
  const { committer, commitment: hidden } = event.args;
  const committedAt = BigInt(event.args.committedAt);
  const latest = { committedAt, blockNumber: event.block.number, transactionHash: event.transaction.hash };
  await context.db
    .insert(commitment)
    .values({ id: `${committer}-${hidden}`, committer, commitment: hidden, commitCount: 1, ...latest })
    .onConflictDoUpdate((row) => ({ ...latest, commitCount: row.commitCount + 1 }));
  await context.db.insert(commitmentEvent).values({
    id: event.id,
    committer,
    commitment: hidden,
    committedAt,
    sender: event.transaction.from,
    ...eventColumns(event),
  });
});

ponder.on("AuthorshipRegistry:AttesterSet", async ({ event, context }) => {
  const { attester: account, approved } = event.args;
  await context.db.insert(attesterEvent).values({ id: event.id, attester: account, approved, ...eventColumns(event) });
  await context.db
    .insert(attester)
    .values({ id: account, approved, rootCount: 0, updatedAtBlock: event.block.number })
    .onConflictDoUpdate({ approved, updatedAtBlock: event.block.number });
});

ponder.on("AuthorshipRegistry:RootAnchored", async ({ event, context }) => {
  const { root, attester: account, anchoredAt, uri } = event.args;
  await context.db.insert(anchor).values({
    id: root,
    attester: account,
    anchoredAt: BigInt(anchoredAt),
    uri,
    materializedCount: 0,
    blockNumber: event.block.number,
    transactionHash: event.transaction.hash,
  });
  await context.db
    .insert(attester)
    .values({ id: account, approved: true, rootCount: 1, updatedAtBlock: event.block.number })
    .onConflictDoUpdate((row) => ({ rootCount: row.rootCount + 1 }));
});
