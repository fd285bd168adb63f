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
    /** The anchored root whose leaf the current record was materialized from; null for any other way in. */
    materializedRoot: t.hex(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
    updatedAtBlock: t.bigint().notNull(),
  }),
  (table) => ({
    // An author's contributions, paged in (registeredAt, id) order, read from the index alone.
    authorPageIdx: index().on(table.author, table.registeredAt, table.id),
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
    /** Leaves of this root turned into records (ContributionMaterialized). */
    materializedCount: t.integer().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ attesterIdx: index().on(table.attester) }),
);

/**
 * Commitments of the commit-then-reveal path (they hide the registration until revealed), one row per (committer,
 * commitment). The same pair can be committed again once revealed or expired: the row then holds the latest commit.
 */
export const commitment = onchainTable(
  "commitment",
  (t) => ({
    /** `committer-commitment`. */
    id: t.text().primaryKey(),
    committer: t.hex().notNull(),
    commitment: t.hex().notNull(),
    /** Unix seconds of the latest commit of the pair: the date its reveal gives the record. */
    committedAt: t.bigint().notNull(),
    /** How many times the pair was committed (after a reveal or an expiry it can be again). */
    commitCount: t.integer().notNull(),
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

/** An index's column, as `index().on` takes it. */
type IndexColumn = Parameters<ReturnType<typeof index>["on"]>[0];

/** The columns of a contract's table of its other events (`vault_event`, `epoch_event`), beside their `kind`. */
const otherEventColumns = (t: PgColumnsBuilders) => ({
  poolId: t.bigint(),
  contributionId: t.hex(),
  token: t.hex(),
  account: t.hex(),
  amount: t.bigint(),
  args: t.json().notNull(),
  ...eventColumns(t),
});

const otherEventIndexes = (table: Record<"kind" | "poolId" | "contributionId" | "account", IndexColumn>) => ({
  kindIdx: index().on(table.kind),
  poolIdx: index().on(table.poolId),
  contributionIdx: index().on(table.contributionId),
  accountIdx: index().on(table.account),
});

/** The columns of a table of events whose stated values differ from the indexed state (`*mismatch_event`). */
const mismatchColumns = (t: PgColumnsBuilders) => ({
  id: t.text().primaryKey(),
  /** The event's name, e.g. UnitsSet. */
  event: t.text().notNull(),
  poolId: t.bigint().notNull(),
  contributionId: t.hex(),
  /** Per field that differs: `{ replayed, stated }` as decimal strings. */
  fields: t.json().notNull(),
  ...eventColumns(t),
});

/** The columns of a table of failed payouts waiting in a contract per (token, account): the author credited. */
const deferredColumns = (t: PgColumnsBuilders) => ({
  id: t.text().primaryKey(),
  token: t.hex().notNull(),
  account: t.hex().notNull(),
  amount: t.bigint().notNull(),
});

/** A pool position's confirmed record (AuthorConfirmed), and the block of its last change: vault and epoch pools. */
const confirmationColumns = (t: PgColumnsBuilders) => ({
  /** The date (`registeredAt`) of the record the pool's admin confirmed last; null when none. */
  confirmedAt: t.bigint(),
  /** The author of that record at confirmation. */
  confirmedAuthor: t.hex(),
  updatedAtBlock: t.bigint().notNull(),
});

/** Every ContributionRegistered, including the ones that superseded an earlier record. */
export const registrationEvent = onchainTable(
  "registration_event",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    author: t.hex().notNull(),
    kind: contributionKind("kind").notNull(),
    registeredAt: t.bigint().notNull(),
    trainingConsent: t.boolean().notNull(),
    uri: t.text().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contributionIdIdx: index().on(table.contributionId), authorIdx: index().on(table.author) }),
);

/** Every RegistrationSuperseded: an older registration replaced a newer record. */
export const supersededEvent = onchainTable(
  "superseded_event",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    previousAuthor: t.hex().notNull(),
    previousRegisteredAt: t.bigint().notNull(),
    registeredAt: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contributionIdIdx: index().on(table.contributionId) }),
);

/** Every TrainingConsentChanged. */
export const consentEvent = onchainTable(
  "consent_event",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    author: t.hex().notNull(),
    trainingConsent: t.boolean().notNull(),
    nonce: t.integer().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ contributionIdIdx: index().on(table.contributionId) }),
);

export const transferStage = onchainEnum("transfer_stage", ["started", "accepted"]);

/** Every AuthorshipTransferStarted (stage "started"; `to` zero when cancelled) and AuthorshipTransferred. */
export const transferEvent = onchainTable(
  "transfer_event",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    stage: transferStage("stage").notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    nonce: t.integer(),
    ...eventColumns(t),
  }),
  (table) => ({ contributionIdIdx: index().on(table.contributionId) }),
);

/** Every Committed, by the committer itself or relayed (commitBySig: `sender` is then not the committer). */
export const commitmentEvent = onchainTable(
  "commitment_event",
  (t) => ({
    id: t.text().primaryKey(),
    committer: t.hex().notNull(),
    commitment: t.hex().notNull(),
    committedAt: t.bigint().notNull(),
    /** The transaction's sender. */
    sender: t.hex().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ committerIdx: index().on(table.committer), commitmentIdx: index().on(table.commitment) }),
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
  positions: many(position),
  epochPositions: many(epochPosition),
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

/*//////////////////////////////////////////////////////////////////////////
                                ROYALTY VAULT
  Amounts are in the token's smallest unit unless named "scaled" (token units x 1e9, the vault's SCALE).
//////////////////////////////////////////////////////////////////////////*/

/**
 * One row per pool: its configuration, its checkpoint as the last RevenueDeposited, UnitsSet or ContributionRemoved
 * stated it, and running totals.
 */
export const pool = onchainTable(
  "pool",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** The zero address means ETH. */
    token: t.hex().notNull(),
    admin: t.hex().notNull(),
    pendingAdmin: t.hex(),
    attributor: t.hex(),
    creator: t.hex().notNull(),
    duration: t.bigint().notNull(),
    metadataUri: t.text().notNull(),
    totalUnits: t.bigint().notNull(),
    /** Scaled accumulator per unit at the checkpoint. */
    accPerUnit: t.bigint().notNull(),
    /** Scaled remainder carried to the next spread; may reach `totalUnits` after a batch that lowered them. */
    carry: t.bigint().notNull(),
    /** Scaled token units per second. */
    ratePerSecond: t.bigint().notNull(),
    lastUpdate: t.bigint().notNull(),
    streamEnd: t.bigint().notNull(),
    /** What arrived, over all deposits (measured by the vault). */
    deposited: t.bigint().notNull(),
    fees: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
    depositCount: t.integer().notNull(),
    claimCount: t.integer().notNull(),
    /** Contributions holding units now. */
    contributionCount: t.integer().notNull(),
    /**
     * Events of this pool whose stated values differ from the contract's arithmetic recomputed from the previous
     * ones (mismatch_event lists them): zero unless the indexer's copy of the arithmetic is out of date.
     */
    replayMismatches: t.integer().notNull(),
    createdAtBlock: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
  }),
  (table) => ({ tokenIdx: index().on(table.token), adminIdx: index().on(table.admin) }),
);

/**
 * One row per (pool, contribution) that ever held units: the contract's position as UnitsSet, ContributionRemoved
 * and RoyaltiesClaimed state it, and its escrow (EscrowOpened, AuthorConfirmed).
 */
export const position = onchainTable(
  "position",
  (t) => ({
    /** `poolId-contributionId`. */
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    contributionId: t.hex().notNull(),
    token: t.hex().notNull(),
    units: t.bigint().notNull(),
    /** Scaled accumulator per unit at the last settlement or claim. */
    accPerUnitPaid: t.bigint().notNull(),
    /** Scaled sub-unit amount owed. */
    fraction: t.bigint().notNull(),
    /** Whole token units settled and not yet claimed. */
    accrued: t.bigint().notNull(),
    claimed: t.bigint().notNull(),
    removedForConsent: t.boolean().notNull(),
    /** The pool gave the hash units while nobody had registered it: claims follow the escrow rule. */
    escrowed: t.boolean().notNull(),
    /** Unix seconds at which the pool made the unregistered hash public; a record dated before it may claim. */
    exposedAt: t.bigint(),
    ...confirmationColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId), contributionIdx: index().on(table.contributionId) }),
);

/** Per token, over every pool: the figures the solvency report recomputes liabilities from. */
export const tokenTotal = onchainTable("token_total", (t) => ({
  id: t.hex().primaryKey(),
  poolCount: t.integer().notNull(),
  deposited: t.bigint().notNull(),
  fees: t.bigint().notNull(),
  feesCollected: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  deferred: t.bigint().notNull(),
  deferredWithdrawn: t.bigint().notNull(),
}));

/** Payouts that failed and wait inside the vault, per (token, account): the account is the author credited. */
export const deferredBalance = onchainTable("deferred_balance", deferredColumns, (table) => ({
  accountIdx: index().on(table.account),
}));

/** The vault's protocol configuration (one row, id 1). */
export const vaultConfig = onchainTable("vault_config", (t) => ({
  id: t.integer().primaryKey(),
  feeBps: t.integer().notNull(),
  feeRecipient: t.hex().notNull(),
  paused: t.boolean().notNull(),
  updatedAtBlock: t.bigint().notNull(),
}));

/** Every RevenueDeposited. */
export const depositEvent = onchainTable(
  "deposit_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    token: t.hex().notNull(),
    depositor: t.hex().notNull(),
    amountReceived: t.bigint().notNull(),
    fee: t.bigint().notNull(),
    /** The pool's checkpoint the deposit left (its `lastUpdate` is the block's time). */
    ratePerSecond: t.bigint().notNull(),
    streamEnd: t.bigint().notNull(),
    accPerUnit: t.bigint().notNull(),
    carriedRemainder: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId), depositorIdx: index().on(table.depositor) }),
);

/** Every RoyaltiesClaimed. */
export const claimEvent = onchainTable(
  "claim_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    token: t.hex().notNull(),
    contributionId: t.hex().notNull(),
    author: t.hex().notNull(),
    recipient: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** The position's snapshot and fraction after the claim. */
    accPerUnit: t.bigint().notNull(),
    fraction: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({
    poolIdx: index().on(table.poolId),
    authorIdx: index().on(table.author),
    contributionIdx: index().on(table.contributionId),
  }),
);

export const unitsChange = onchainEnum("units_change", ["set", "removed_for_consent"]);

/** Every UnitsSet and ContributionRemoved. */
export const unitsEvent = onchainTable(
  "units_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    contributionId: t.hex().notNull(),
    change: unitsChange("change").notNull(),
    /** The admin or attributor, or whoever removed the contribution. */
    caller: t.hex().notNull(),
    previousUnits: t.bigint().notNull(),
    units: t.bigint().notNull(),
    totalUnits: t.bigint().notNull(),
    accPerUnit: t.bigint().notNull(),
    carriedRemainder: t.bigint().notNull(),
    streamEnd: t.bigint().notNull(),
    /** The position after the change: whole units accrued and not claimed, and its scaled fraction. */
    accrued: t.bigint().notNull(),
    fraction: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId), contributionIdx: index().on(table.contributionId) }),
);

export const vaultEventKind = onchainEnum("vault_event_kind", [
  "pool_admin_transfer_started",
  "pool_admin_transferred",
  "attributor_set",
  "escrow_opened",
  "author_confirmed",
  "payout_deferred",
  "deferred_withdrawn",
  "protocol_fee_set",
  "fees_collected",
  "paused",
  "unpaused",
]);

/** Every other vault event, one row each, with its values as JSON (amounts as decimal strings). */
export const vaultEvent = onchainTable(
  "vault_event",
  (t) => ({
    id: t.text().primaryKey(),
    kind: vaultEventKind("kind").notNull(),
    /** contributionId: for escrow_opened, author_confirmed and payout_deferred. */
    ...otherEventColumns(t),
  }),
  (table) => otherEventIndexes(table),
);

/**
 * Every vault event whose stated values differ from what the contract's arithmetic (indexer/src/streamMath.ts)
 * gives from the indexed state before it. The indexer stores what the event states either way; a row here means its
 * copy of the arithmetic, used for amounts between events, is out of date.
 */
export const mismatchEvent = onchainTable("mismatch_event", mismatchColumns, (table) => ({
  poolIdx: index().on(table.poolId),
}));

export const poolRelations = relations(pool, ({ many }) => ({
  positions: many(position),
  deposits: many(depositEvent),
  claims: many(claimEvent),
}));

export const positionRelations = relations(position, ({ one }) => ({
  pool: one(pool, { fields: [position.poolId], references: [pool.id] }),
  contribution: one(contribution, { fields: [position.contributionId], references: [contribution.id] }),
}));

export const depositEventRelations = relations(depositEvent, ({ one }) => ({
  pool: one(pool, { fields: [depositEvent.poolId], references: [pool.id] }),
}));

export const claimEventRelations = relations(claimEvent, ({ one }) => ({
  pool: one(pool, { fields: [claimEvent.poolId], references: [pool.id] }),
}));

/*//////////////////////////////////////////////////////////////////////////
                                 OWNERSHIP
  Both contracts are Ownable2Step. The registry's owner approves attesters; the vault's sets the protocol fee and
  pauses deposits and unit changes.
//////////////////////////////////////////////////////////////////////////*/

export const OWNED_CONTRACTS = ["AuthorshipRegistry", "RoyaltyVault"] as const;
export const ownedContract = onchainEnum("owned_contract", OWNED_CONTRACTS);

/** One row per contract: its owner, and the owner it has proposed (null when none is pending). */
export const contractOwner = onchainTable("contract_owner", (t) => ({
  /** The contract's address. */
  id: t.hex().primaryKey(),
  contract: ownedContract("contract").notNull(),
  owner: t.hex().notNull(),
  pendingOwner: t.hex(),
  updatedAtBlock: t.bigint().notNull(),
}));

export const ownershipStage = onchainEnum("ownership_stage", ["started", "transferred"]);

/**
 * Every OwnershipTransferStarted (stage "started": `newOwner` proposed, zero when cancelled) and OwnershipTransferred
 * (stage "transferred": from the zero address at deployment, to it when renounced) of either contract.
 */
export const ownershipEvent = onchainTable(
  "ownership_event",
  (t) => ({
    id: t.text().primaryKey(),
    contract: ownedContract("contract").notNull(),
    address: t.hex().notNull(),
    stage: ownershipStage("stage").notNull(),
    previousOwner: t.hex().notNull(),
    newOwner: t.hex().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ addressIdx: index().on(table.address) }),
);

/*//////////////////////////////////////////////////////////////////////////
                              ATTRIBUTION EPOCHS
  Indexed when the deployment names AttributionEpochs. Amounts are in the pool token's smallest unit. Stored state is
  what the events state; where an epoch stands now (pending, payable, superseded, vetoed) also depends on the time,
  and the API computes it from these rows at the indexed head's timestamp, as the contract's `epochOf` does.
//////////////////////////////////////////////////////////////////////////*/

/** One row per epoch pool: its configuration, roles, epochs and totals, as its events stated them. */
export const epochPool = onchainTable(
  "epoch_pool",
  (t) => ({
    id: t.bigint().primaryKey(),
    /** The zero address means ETH. */
    token: t.hex().notNull(),
    admin: t.hex().notNull(),
    creator: t.hex().notNull(),
    publisher: t.hex().notNull(),
    challenger: t.hex().notNull(),
    /** Seconds a published root waits before it pays. */
    challengeWindow: t.bigint().notNull(),
    /** Seconds after the last publication after which the admin may reclaim what is unclaimed; 0: never. */
    reclaimDelay: t.bigint().notNull(),
    metadataUri: t.text().notNull(),
    /** The pool's funded total, net of fees, as the last EpochPoolFunded stated it (its claims after a reclaim). */
    funded: t.bigint().notNull(),
    /** What arrived, over all fundings. */
    received: t.bigint().notNull(),
    /** Protocol fees taken from the fundings. */
    fees: t.bigint().notNull(),
    /** Everything paid or credited to claimants, as the last EpochClaimed stated it. */
    claimed: t.bigint().notNull(),
    /** What the admin took back (UnclaimedReclaimed). */
    reclaimed: t.bigint().notNull(),
    closed: t.boolean().notNull(),
    /** Unix seconds of the reclaim that closed the pool; null while open. */
    closedAt: t.bigint(),
    /** Epochs published, vetoed ones included: the last epoch's id. */
    epochCount: t.integer().notNull(),
    /** The accepted epoch the last EpochPublished or EpochVetoed stated; 0 when none. */
    acceptedEpoch: t.integer().notNull(),
    /** The epoch published last and not vetoed, until a publication records it as accepted; 0 when none. */
    pendingEpoch: t.integer().notNull(),
    /** When the pending epoch starts to pay (its acceptableAt); null when none is pending. */
    pendingAcceptableAt: t.bigint(),
    /** Unix seconds of the last publication; null before the first. */
    lastPublishedAt: t.bigint(),
    fundingCount: t.integer().notNull(),
    claimCount: t.integer().notNull(),
    /**
     * Events of this pool whose stated values differ from what the indexed state before them gives (listed in
     * epoch_mismatch_event): zero unless the indexer missed an event or its copy of the rules is out of date.
     */
    replayMismatches: t.integer().notNull(),
    createdAt: t.bigint().notNull(),
    createdAtBlock: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ tokenIdx: index().on(table.token), adminIdx: index().on(table.admin) }),
);

/** One row per published epoch (`poolId-epochId`), with the whole manifest of its EpochPublished. */
export const epoch = onchainTable(
  "epoch",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    epochId: t.integer().notNull(),
    publisher: t.hex().notNull(),
    /** Unix seconds of the publication. */
    publishedAt: t.bigint().notNull(),
    /** Unix seconds from which the root pays unless vetoed before. */
    acceptableAt: t.bigint().notNull(),
    /** The pool's accepted epoch the publication left (the manifest's previousEpoch). */
    acceptedEpoch: t.integer().notNull(),
    root: t.hex().notNull(),
    /** The sum of the leaves' cumulative amounts. */
    total: t.bigint().notNull(),
    methodId: t.hex().notNull(),
    methodHash: t.hex().notNull(),
    modelHash: t.hex().notNull(),
    snapshotBlock: t.bigint().notNull(),
    eligibleHash: t.hex().notNull(),
    usageLogHash: t.hex().notNull(),
    leafFileHash: t.hex().notNull(),
    leafFileUri: t.text().notNull(),
    previousEpoch: t.integer().notNull(),
    /** Unix seconds of the veto; null unless vetoed. */
    vetoedAt: t.bigint(),
    vetoedBy: t.hex(),
    vetoReason: t.text(),
    /**
     * The epoch that replaced this one as the payable epoch, and the time it began to pay (its acceptableAt), once a
     * later publication recorded it as accepted; null until then (the API says "superseded" from that time on all
     * the same, from the pool's pending epoch).
     */
    supersededBy: t.integer(),
    supersededAt: t.bigint(),
    /** Claims proven against this epoch, and what they paid. */
    claimCount: t.integer().notNull(),
    claimed: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ poolEpochIdx: index().on(table.poolId, table.epochId), rootIdx: index().on(table.root) }),
);

/** One row per (epoch pool, contribution) that was claimed or confirmed: the contract's `positionOf`. */
export const epochPosition = onchainTable(
  "epoch_position",
  (t) => ({
    /** `poolId-contributionId`. */
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    contributionId: t.hex().notNull(),
    token: t.hex().notNull(),
    /** The contribution's cumulative amount paid or credited, as its last EpochClaimed stated it. */
    claimed: t.bigint().notNull(),
    claimCount: t.integer().notNull(),
    /** The epoch its last claim proved against; null before its first claim. */
    lastEpochId: t.integer(),
    ...confirmationColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId), contributionIdx: index().on(table.contributionId) }),
);

/** Per token, over every epoch pool: the figures the solvency report recomputes the epochs contract's debts from. */
export const epochTokenTotal = onchainTable("epoch_token_total", (t) => ({
  id: t.hex().primaryKey(),
  poolCount: t.integer().notNull(),
  received: t.bigint().notNull(),
  fees: t.bigint().notNull(),
  feesCollected: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  reclaimed: t.bigint().notNull(),
  deferred: t.bigint().notNull(),
  deferredWithdrawn: t.bigint().notNull(),
}));

/** Epoch payouts that failed and wait inside the epochs contract, per (token, account): the author credited. */
export const epochDeferredBalance = onchainTable("epoch_deferred_balance", deferredColumns, (table) => ({
  accountIdx: index().on(table.account),
}));

/** Every EpochPoolFunded. */
export const epochFundingEvent = onchainTable(
  "epoch_funding_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    token: t.hex().notNull(),
    funder: t.hex().notNull(),
    amountReceived: t.bigint().notNull(),
    fee: t.bigint().notNull(),
    /** The pool's funded total the funding left. */
    funded: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId), funderIdx: index().on(table.funder) }),
);

/** Every EpochClaimed. */
export const epochClaimEvent = onchainTable(
  "epoch_claim_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    token: t.hex().notNull(),
    contributionId: t.hex().notNull(),
    author: t.hex().notNull(),
    epochId: t.integer().notNull(),
    recipient: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** The contribution's cumulative claimed amount, and the pool's claims, the claim left. */
    claimed: t.bigint().notNull(),
    poolClaimed: t.bigint().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({
    poolIdx: index().on(table.poolId),
    authorIdx: index().on(table.author),
    contributionIdx: index().on(table.contributionId),
  }),
);

/** Every EpochVetoed, with the challenger's reason. */
export const epochVetoEvent = onchainTable(
  "epoch_veto_event",
  (t) => ({
    id: t.text().primaryKey(),
    poolId: t.bigint().notNull(),
    epochId: t.integer().notNull(),
    challenger: t.hex().notNull(),
    /** The epoch that keeps paying; 0 when none. */
    acceptedEpoch: t.integer().notNull(),
    reason: t.text().notNull(),
    ...eventColumns(t),
  }),
  (table) => ({ poolIdx: index().on(table.poolId) }),
);

export const epochEventKind = onchainEnum("epoch_event_kind", [
  "publisher_set",
  "challenger_set",
  "author_confirmed",
  "payout_deferred",
  "deferred_withdrawn",
  "unclaimed_reclaimed",
  "fees_collected",
]);

/** Every other event of the epochs contract, one row each, with its values as JSON (amounts as decimal strings). */
export const epochEvent = onchainTable(
  "epoch_event",
  (t) => ({
    id: t.text().primaryKey(),
    kind: epochEventKind("kind").notNull(),
    /**
     * contributionId: for author_confirmed and payout_deferred; account: the wallet appointed, confirmed, credited or
     * paid (for payout_deferred the author credited).
     */
    ...otherEventColumns(t),
  }),
  (table) => otherEventIndexes(table),
);

/**
 * Every event of the epochs contract whose stated values differ from what the indexed state before it gives. The
 * indexer stores what the event states either way; a row here means it missed an event or its copy of the rules is
 * out of date.
 */
export const epochMismatchEvent = onchainTable("epoch_mismatch_event", mismatchColumns, (table) => ({
  poolIdx: index().on(table.poolId),
}));

export const epochPoolRelations = relations(epochPool, ({ many }) => ({
  epochs: many(epoch),
  positions: many(epochPosition),
  fundings: many(epochFundingEvent),
  claims: many(epochClaimEvent),
}));

export const epochRelations = relations(epoch, ({ one }) => ({
  pool: one(epochPool, { fields: [epoch.poolId], references: [epochPool.id] }),
}));

export const epochPositionRelations = relations(epochPosition, ({ one }) => ({
  pool: one(epochPool, { fields: [epochPosition.poolId], references: [epochPool.id] }),
  contribution: one(contribution, { fields: [epochPosition.contributionId], references: [contribution.id] }),
}));

export const epochFundingEventRelations = relations(epochFundingEvent, ({ one }) => ({
  pool: one(epochPool, { fields: [epochFundingEvent.poolId], references: [epochPool.id] }),
}));

export const epochClaimEventRelations = relations(epochClaimEvent, ({ one }) => ({
  pool: one(epochPool, { fields: [epochClaimEvent.poolId], references: [epochPool.id] }),
}));
