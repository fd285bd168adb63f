import { index, onchainEnum, onchainTable, primaryKey, relations, type PgColumnsBuilders } from "ponder";

/** The kinds of contribution, in the order of the contract's `Authorship.Kind`. */
export const KINDS = ["prompt", "correction", "feedback", "dataset", "model_output", "other"] as const;
export const contributionKind = onchainEnum("contribution_kind", KINDS);

/*//////////////////////////////////////////////////////////////////////////
                                 ENTITIES
//////////////////////////////////////////////////////////////////////////*/

/** One row per registered content hash: the registry's current record. */
export const contribution = onchainTable(
  "contribution",
  (t) => ({
    id: t.hex().primaryKey(),
    author: t.hex().notNull(),
    kind: contributionKind("kind").notNull(),
    /** Unix seconds of the registration's evidence (block, commitment or anchor). */
    registeredAt: t.bigint().notNull(),
    trainingConsent: t.boolean().notNull(),
    uri: t.text().notNull(),
    /** The record's nonce: bumped by every consent change and transfer. */
    nonce: t.integer().notNull(),
    /** The wallet that may accept authorship, when a transfer is under way. */
    pendingAuthor: t.hex(),
    parentCount: t.integer().notNull(),
    childCount: t.integer().notNull(),
    /** How many times an older registration replaced a newer one for this hash. */
    supersededCount: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    updatedAtBlock: t.bigint().notNull(),
  }),
  (table) => ({
    authorIdx: index().on(table.author),
    registeredAtIdx: index().on(table.registeredAt),
  }),
);

/** Lineage: one row per (child, parent) edge, in the order the child named its parents. */
export const contributionParent = onchainTable(
  "contribution_parent",
  (t) => ({
    child: t.hex().notNull(),
    parent: t.hex().notNull(),
    position: t.integer().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.child, table.parent] }),
    parentIdx: index().on(table.parent),
  }),
);

/** One row per wallet that is or was an author: running totals kept by upsert. */
export const author = onchainTable("author", (t) => ({
  id: t.hex().primaryKey(),
  /** Contributions currently credited to this wallet. */
  contributionCount: t.integer().notNull(),
  firstSeenAtBlock: t.bigint().notNull(),
}));

/** Attesters approved (or once approved) by the registry's owner. */
export const attester = onchainTable("attester", (t) => ({
  id: t.hex().primaryKey(),
  approved: t.boolean().notNull(),
  rootCount: t.integer().notNull(),
  updatedAtBlock: t.bigint().notNull(),
}));

/** Merkle roots anchored by attesters, with the leaf file's URI. */
export const anchor = onchainTable(
  "anchor",
  (t) => ({
    id: t.hex().primaryKey(),
    attester: t.hex().notNull(),
    anchoredAt: t.bigint().notNull(),
    uri: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ attesterIdx: index().on(table.attester) }),
);

/** Commitments of the commit-then-reveal path (they hide the hash until revealed). */
export const commitment = onchainTable(
  "commitment",
  (t) => ({
    id: t.text().primaryKey(),
    committer: t.hex().notNull(),
    commitment: t.hex().notNull(),
    committedAt: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ committerIdx: index().on(table.committer) }),
);

/*//////////////////////////////////////////////////////////////////////////
                      APPEND-ONLY EVENT LOGS (keyed by event.id)
//////////////////////////////////////////////////////////////////////////*/

const eventColumns = (t: PgColumnsBuilders) => ({
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
  transactionHash: t.hex().notNull(),
  logIndex: t.integer().notNull(),
});

/** Every ContributionRegistered, including the ones that superseded an earlier record. */
export const registrationEvent = onchainTable(
  "registration_event",
  (t) => ({
    id: t.text().primaryKey(),
    contentHash: t.hex().notNull(),
    author: t.hex().notNull(),
    kind: contributionKind("kind").notNull(),
    registeredAt: t.bigint().notNull(),
    trainingConsent: t.boolean().notNull(),
    uri: t.text().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contentHashIdx: index().on(table.contentHash), authorIdx: index().on(table.author) }),
);

/** Every RegistrationSuperseded: an older registration replaced a newer record. */
export const supersededEvent = onchainTable(
  "superseded_event",
  (t) => ({
    id: t.text().primaryKey(),
    contentHash: t.hex().notNull(),
    previousAuthor: t.hex().notNull(),
    previousRegisteredAt: t.bigint().notNull(),
    registeredAt: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contentHashIdx: index().on(table.contentHash) }),
);

/** Every TrainingConsentChanged. */
export const consentEvent = onchainTable(
  "consent_event",
  (t) => ({
    id: t.text().primaryKey(),
    contentHash: t.hex().notNull(),
    author: t.hex().notNull(),
    trainingConsent: t.boolean().notNull(),
    nonce: t.integer().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contentHashIdx: index().on(table.contentHash) }),
);

export const transferStage = onchainEnum("transfer_stage", ["started", "accepted"]);

/** Every AuthorshipTransferStarted (stage "started"; `to` zero when cancelled) and AuthorshipTransferred. */
export const transferEvent = onchainTable(
  "transfer_event",
  (t) => ({
    id: t.text().primaryKey(),
    contentHash: t.hex().notNull(),
    stage: transferStage("stage").notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    nonce: t.integer(),
    ...eventColumns(t),
  }),
  (table) => ({ contentHashIdx: index().on(table.contentHash) }),
);

/** Every AttesterSet. */
export const attesterEvent = onchainTable("attester_event", (t) => ({
  id: t.text().primaryKey(),
  attester: t.hex().notNull(),
  approved: t.boolean().notNull(),
  ...eventColumns(t),
}));

/*//////////////////////////////////////////////////////////////////////////
                                 RELATIONS
//////////////////////////////////////////////////////////////////////////*/

export const contributionRelations = relations(contribution, ({ one, many }) => ({
  authorAccount: one(author, { fields: [contribution.author], references: [author.id] }),
  parents: many(contributionParent, { relationName: "child" }),
  children: many(contributionParent, { relationName: "parent" }),
}));

export const contributionParentRelations = relations(contributionParent, ({ one }) => ({
  childContribution: one(contribution, {
    fields: [contributionParent.child],
    references: [contribution.id],
    relationName: "child",
  }),
  parentContribution: one(contribution, {
    fields: [contributionParent.parent],
    references: [contribution.id],
    relationName: "parent",
  }),
}));

export const authorRelations = relations(author, ({ many }) => ({
  contributions: many(contribution),
}));
