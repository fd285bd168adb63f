import { index, onchainEnum, onchainTable } from "ponder";

/** The kinds of contribution, in the order of the contract's `Authorship.Kind`. */
export const KINDS = ["prompt", "correction", "feedback", "dataset", "model_output", "other"] as const;
export const contributionKind = onchainEnum("contribution_kind", KINDS);

/** One row per registered content hash: the registry's record plus where and when it was registered. */
export const contribution = onchainTable(
  "contribution",
  (t) => ({
    id: t.hex().primaryKey(),
    author: t.hex().notNull(),
    kind: contributionKind("kind").notNull(),
    registeredAt: t.bigint().notNull(),
    trainingConsent: t.boolean().notNull(),
    uri: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({
    authorIdx: index().on(table.author),
    registeredAtIdx: index().on(table.registeredAt),
  }),
);
