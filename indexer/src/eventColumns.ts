// Where an event stands on the chain: the columns every append-only event table of the indexer carries.
import type { Event } from "ponder:registry";
import type { Hex } from "viem";

export function eventColumns(event: Event) {
  return {
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  };
}

/** An event's arguments as JSON: amounts (bigints) as decimal strings. */
export function argsJson(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(args).map(([key, value]) => [key, typeof value === "bigint" ? value.toString() : value]),
  );
}

/** The fields of a ledger row (vault and epoch events) that the event names, each null where it names none. */
export interface LedgerFields {
  poolId?: bigint;
  contributionId?: Hex;
  token?: Hex;
  account?: Hex;
  amount?: bigint;
}

/** A row of an event ledger (`vault_event`, `epoch_event`): the event's id, kind, named fields, arguments and place. */
export function ledgerRow<Kind extends string>(
  event: Event,
  kind: Kind,
  fields: LedgerFields,
  args: Record<string, unknown>,
) {
  return {
    id: event.id,
    kind,
    poolId: fields.poolId ?? null,
    contributionId: fields.contributionId ?? null,
    token: fields.token ?? null,
    account: fields.account ?? null,
    amount: fields.amount ?? null,
    args: argsJson(args),
    ...eventColumns(event),
  };
}
