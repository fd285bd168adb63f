// The differential test's oracle: at one block, everything the indexer's API answers about the registry and the
// vault, compared with what the contracts themselves say at that block (views called with that block's tag, storage
// read at it, and the logs of the canonical chain up to it). Each difference is one `Mismatch` naming the entity (ids
// whole, to paste into a query), the field, the API's value and the chain's. Every table is read through GraphQL and
// the main ones through SQL over HTTP too; REST answers for the contributions holding positions and a few others in
// turn, every author and wallet owed a deferred payout, every pool, the solvency report, the stats and the
// contracts, and in small pages one pool's ledgers and one author's contributions per comparison.
import {
  encodeAbiParameters,
  erc20Abi,
  hexToBigInt,
  keccak256,
  parseEventLogs,
  zeroAddress,
  type Abi,
  type Hex,
  type PublicClient,
} from "viem";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { KINDS } from "../../../indexer/ponder.schema.ts";
import { graphqlData, sqlRows } from "./digest.ts";

/** One disagreement between the API and the chain. */
export interface Mismatch {
  /** What it is about, e.g. `position 2/0xab…` (ids whole) or `pool 3`. */
  entity: string;
  field: string;
  api: string;
  chain: string;
}

export interface CompareParameters {
  api: string;
  /** Reads the chain; a batching transport keeps the thousands of calls of one comparison to a few requests. */
  client: PublicClient;
  registry: Hex;
  vault: Hex;
  /** Every token a pool may use, the zero address (ETH) included. */
  tokens: readonly Hex[];
  /** Every content hash the run ever named: registered, escrowed, orphaned by a reorg or never used. */
  hashes: readonly Hex[];
  /** Every wallet and contract that may be an author, a payee or a controller. */
  accounts: readonly Hex[];
  /** Every Merkle root the run anchored (or tried to). */
  roots: readonly Hex[];
  /** The indexed block: number and timestamp. */
  block: { number: bigint; timestamp: bigint };
  /** Also compare every append-only event table with the chain's logs, row for row (default true). */
  ledgers?: boolean;
  /**
   * Hashes read through REST besides those holding positions (whose earnings REST answers): this many, taken in
   * turn by `round`, so every hash is read that way every few comparisons. GraphQL's rows cover all of them every
   * time. Default: all.
   */
  restSample?: number;
  /** The comparison's number, for the turn of `restSample`. */
  round?: number;
}

export interface CompareReturnType {
  mismatches: Mismatch[];
  /** How many entities were compared, for the run's summary. */
  compared: { contributions: number; positions: number; pools: number; accounts: number; fields: number };
}

/** The slot of `_pools` in RoyaltyVault's storage (after Ownable's owner, Ownable2Step's pending owner, Payouts'
 * two books of deferred payouts, the configuration and the pool count); checked against `getPool` at every
 * comparison. */
const POOLS_SLOT = 6n;
const SCALE = 1_000_000_000n;
const CONCURRENCY = 24;

const lower = (value: string) => value.toLowerCase() as Hex;
const str = (value: unknown): string =>
  value === null || value === undefined ? "null" : typeof value === "string" ? value : String(value);

/** Runs `work` over `items`, `CONCURRENCY` at a time, keeping the order. */
async function mapLimited<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]!);
      }
    }),
  );
  return results;
}

async function getJson(api: string, route: string): Promise<Answer> {
  const response = await fetch(`${api}${route}`);
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: { unparsed: text } };
  }
}

/** Retries `request` while the API answers 503 (GraphQL and SQL over HTTP wait their turn on PGlite's thread). */
async function unlessBusy<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (attempt >= 60 || !/HTTP 503/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** A GraphQL list field to read whole, and the columns to read. */
interface TableQuery {
  field: string;
  columns: string;
}

/** Lists a request may carry: each costs its page of 1,000 rows against the cost limit of 10,000 the test runs with. */
const LISTS_PER_REQUEST = 9;

/**
 * Every row of each GraphQL list field, 1,000 a page, several fields a request (aliased), then the next pages of
 * the fields that have more. One request after another: the API gives GraphQL a share of PGlite's thread.
 */
async function allTables(api: string, tables: readonly TableQuery[]): Promise<Record<string, any>[][]> {
  const rows: Record<string, any>[][] = tables.map(() => []);
  let pending = tables.map((_, i) => ({ i, after: null as string | null }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= 1_000) throw new Error("more than 1,000 pages of a table");
    const next: typeof pending = [];
    for (let g = 0; g < pending.length; g += LISTS_PER_REQUEST) {
      const group = pending.slice(g, g + LISTS_PER_REQUEST);
      const query =
        `query (${group.map((_, j) => `$a${j}: String`).join(", ")}) { ` +
        group
          .map(
            ({ i }, j) =>
              `t${j}: ${tables[i]!.field}(limit: 1000, after: $a${j}) { items { ${tables[i]!.columns} } pageInfo { hasNextPage endCursor } }`,
          )
          .join(" ") +
        " }";
      const variables = Object.fromEntries(group.map(({ after }, j) => [`a${j}`, after]));
      const data = await unlessBusy(() =>
        graphqlData<
          Record<string, { items: Record<string, any>[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>
        >(api, query, variables),
      );
      group.forEach(({ i }, j) => {
        const page = data[`t${j}`]!;
        rows[i]!.push(...page.items);
        if (page.pageInfo.hasNextPage) next.push({ i, after: page.pageInfo.endCursor });
      });
    }
    pending = next;
  }
  return rows;
}

type Rows = Record<string, any>[];

interface Answer {
  status: number;
  body: any;
}
interface TokenTotals {
  pools: bigint;
  notYetStreamed: bigint;
  carriedRemainder: bigint;
  feesOwed: bigint;
  feesCollected: bigint;
  deferredOwed: bigint;
}
interface ChainRecord {
  author: Hex;
  registeredAt: number;
  kind: number;
  trainingConsent: boolean;
  nonce: number;
}
interface PoolState {
  token: Hex;
  admin: Hex;
  attributor: Hex;
  duration: number;
  totalUnits: bigint;
  ratePerSecond: bigint;
  streamEnd: number;
  accPerUnit: bigint;
  notYetStreamed: bigint;
  carriedRemainder: bigint;
}
/** As viem decodes it: a uint48 is a number. */
interface Position {
  units: number;
  accPerUnitPaid: bigint;
  fraction: number;
  hasAccrued: boolean;
  escrowed: boolean;
}

/** What the canonical chain's logs up to the block say, where no view does (sums, parents, counts). */
function fromLogs(registryLogs: any[], vaultLogs: any[]) {
  const parents = new Map<Hex, Hex[]>();
  const roots = new Map<Hex, Hex | null>();
  const superseded = new Map<Hex, number>();
  const commitments = new Map<string, { committer: Hex; commitment: Hex; committedAt: bigint; count: number }>();
  const materialized = new Map<Hex, number>();
  /** The log that made each hash's current record. */
  const current = new Map<Hex, { uri: string; blockNumber: bigint; transactionHash: Hex; logIndex: number }>();
  /** Per hash, the (block:log) of each event its history lists, by list, oldest first. */
  const history = new Map<Hex, Record<"registrations" | "consent" | "transfers" | "superseded", string[]>>();
  const historyList: Record<string, "registrations" | "consent" | "transfers" | "superseded"> = {
    ContributionRegistered: "registrations",
    TrainingConsentChanged: "consent",
    AuthorshipTransferStarted: "transfers",
    AuthorshipTransferred: "transfers",
    RegistrationSuperseded: "superseded",
  };
  const tiedHistory = new Set<Hex>();
  for (const log of registryLogs) {
    const a = log.args;
    const list = historyList[log.eventName];
    if (list !== undefined) {
      const hash = lower(a.contributionId);
      const entry = history.get(hash) ?? { registrations: [], consent: [], transfers: [], superseded: [] };
      const last = entry[list][entry[list].length - 1];
      if (last !== undefined && last.split(":")[0] === String(log.blockNumber)) tiedHistory.add(hash);
      entry[list].push(`${log.blockNumber}:${log.logIndex}`);
      history.set(hash, entry);
    }
    switch (log.eventName) {
      case "ContributionRegistered":
        parents.set(lower(a.contributionId), []);
        roots.set(lower(a.contributionId), null);
        current.set(lower(a.contributionId), {
          uri: a.uri,
          blockNumber: log.blockNumber,
          transactionHash: lower(log.transactionHash),
          logIndex: log.logIndex,
        });
        break;
      case "ContributionDerived":
        parents.set(lower(a.contributionId), [...new Set((a.parents as Hex[]).map(lower))]);
        break;
      case "ContributionMaterialized":
        roots.set(lower(a.contributionId), lower(a.root));
        materialized.set(lower(a.root), (materialized.get(lower(a.root)) ?? 0) + 1);
        break;
      case "RegistrationSuperseded":
        superseded.set(lower(a.contributionId), (superseded.get(lower(a.contributionId)) ?? 0) + 1);
        break;
      case "Committed": {
        const id = `${lower(a.committer)}-${lower(a.commitment)}`;
        const count = (commitments.get(id)?.count ?? 0) + 1;
        commitments.set(id, {
          committer: lower(a.committer),
          commitment: lower(a.commitment),
          committedAt: BigInt(a.committedAt),
          count,
        });
        break;
      }
    }
  }

  const pairs = new Map<string, { poolId: bigint; contributionId: Hex }>();
  const claimed = new Map<string, bigint>();
  const pools = new Map<
    bigint,
    { deposited: bigint; fees: bigint; claimed: bigint; deposits: number; claims: number }
  >();
  const poolToken = new Map<bigint, Hex>();
  const tokens = new Map<
    Hex,
    { deposited: bigint; fees: bigint; claimed: bigint; deferred: bigint; withdrawn: bigint }
  >();
  const deferredAccounts = new Set<Hex>();
  const poolOf = (id: bigint) => {
    let entry = pools.get(id);
    if (!entry) pools.set(id, (entry = { deposited: 0n, fees: 0n, claimed: 0n, deposits: 0, claims: 0 }));
    return entry;
  };
  const tokenOf = (token: Hex) => {
    let entry = tokens.get(token);
    if (!entry) tokens.set(token, (entry = { deposited: 0n, fees: 0n, claimed: 0n, deferred: 0n, withdrawn: 0n }));
    return entry;
  };
  for (const log of vaultLogs) {
    const a = log.args;
    switch (log.eventName) {
      case "PoolCreated":
        poolToken.set(a.poolId, lower(a.token));
        poolOf(a.poolId);
        tokenOf(lower(a.token));
        break;
      case "UnitsSet":
      case "ContributionRemoved":
      case "EscrowOpened":
        pairs.set(`${a.poolId}-${lower(a.contributionId)}`, {
          poolId: a.poolId,
          contributionId: lower(a.contributionId),
        });
        break;
      case "RevenueDeposited": {
        const pool = poolOf(a.poolId);
        pool.deposited += a.amountReceived;
        pool.fees += a.fee;
        pool.deposits++;
        const token = tokenOf(poolToken.get(a.poolId)!);
        token.deposited += a.amountReceived;
        token.fees += a.fee;
        break;
      }
      case "RoyaltiesClaimed": {
        const id = `${a.poolId}-${lower(a.contributionId)}`;
        claimed.set(id, (claimed.get(id) ?? 0n) + a.amount);
        const pool = poolOf(a.poolId);
        pool.claimed += a.amount;
        pool.claims++;
        tokenOf(poolToken.get(a.poolId)!).claimed += a.amount;
        break;
      }
      case "PayoutDeferred":
        deferredAccounts.add(lower(a.account));
        tokenOf(lower(a.token)).deferred += a.amount;
        break;
      case "DeferredWithdrawn":
        tokenOf(lower(a.token)).withdrawn += a.amount;
        break;
    }
  }
  return {
    parents,
    roots,
    current,
    history,
    tiedHistory,
    superseded,
    commitments,
    materialized,
    pairs,
    claimed,
    pools,
    tokens,
    deferredAccounts,
  };
}

/** The append-only event tables, each with the GraphQL field listing it and the columns compared. */
const LEDGERS = [
  {
    table: "registration_event",
    field: "registrationEvents",
    columns: ["contributionId", "author", "kind", "registeredAt", "trainingConsent", "uri"],
  },
  {
    table: "superseded_event",
    field: "supersededEvents",
    columns: ["contributionId", "previousAuthor", "previousRegisteredAt", "registeredAt"],
  },
  { table: "consent_event", field: "consentEvents", columns: ["contributionId", "author", "trainingConsent", "nonce"] },
  { table: "transfer_event", field: "transferEvents", columns: ["contributionId", "stage", "from", "to", "nonce"] },
  { table: "commitment_event", field: "commitmentEvents", columns: ["committer", "commitment", "committedAt"] },
  { table: "attester_event", field: "attesterEvents", columns: ["attester", "approved"] },
  {
    table: "deposit_event",
    field: "depositEvents",
    columns: [
      "poolId",
      "token",
      "depositor",
      "amountReceived",
      "fee",
      "ratePerSecond",
      "streamEnd",
      "accPerUnit",
      "carriedRemainder",
    ],
  },
  {
    table: "claim_event",
    field: "claimEvents",
    columns: ["poolId", "token", "contributionId", "author", "recipient", "amount", "accPerUnit", "fraction"],
  },
  {
    table: "units_event",
    field: "unitsEvents",
    columns: [
      "poolId",
      "contributionId",
      "change",
      "caller",
      "previousUnits",
      "units",
      "totalUnits",
      "accPerUnit",
      "carriedRemainder",
      "streamEnd",
      "accrued",
      "fraction",
    ],
  },
  {
    table: "vault_event",
    field: "vaultEvents",
    columns: ["kind", "poolId", "contributionId", "token", "account", "amount"],
  },
  { table: "ownership_event", field: "ownershipEvents", columns: ["address", "stage", "previousOwner", "newOwner"] },
] as const;

/** The events each of a pool's REST ledgers (/pools/:poolId/<list>) lists. */
const LEDGER_EVENTS = {
  deposits: ["RevenueDeposited"],
  claims: ["RoyaltiesClaimed"],
  units: ["UnitsSet", "ContributionRemoved"],
} as const;

/** One append-only table's rows as the chain's logs say they must be, keyed by (block, log index). */
interface Ledger {
  table: (typeof LEDGERS)[number]["table"];
  expected: Map<string, Record<string, unknown>>;
}

/** The event tables the logs of `registryLogs` and `vaultLogs` must have produced, in the order of LEDGERS. */
function ledgersOf(registryLogs: any[], vaultLogs: any[]): Ledger[] {
  const all: Ledger[] = LEDGERS.map(({ table }) => ({ table, expected: new Map() }));
  const named = (table: Ledger["table"]) => all.find((l) => l.table === table)!;
  const registration = named("registration_event");
  const superseded = named("superseded_event");
  const consent = named("consent_event");
  const transfer = named("transfer_event");
  const committed = named("commitment_event");
  const attesters = named("attester_event");
  const deposits = named("deposit_event");
  const claims = named("claim_event");
  const units = named("units_event");
  const others = named("vault_event");
  const ownership = named("ownership_event");
  const key = (log: any) => `${log.blockNumber}:${log.logIndex}`;
  const row = (target: Ledger, log: any, values: Record<string, unknown>) =>
    target.expected.set(key(log), { ...values, transactionHash: lower(log.transactionHash) });
  // Both contracts are Ownable2Step: their ownership events fill one table.
  const ownershipRow = (log: any) =>
    row(ownership, log, {
      address: log.address,
      stage: log.eventName === "OwnershipTransferred" ? "transferred" : "started",
      previousOwner: log.args.previousOwner,
      newOwner: log.args.newOwner,
    });
  for (const log of registryLogs) {
    const a = log.args;
    switch (log.eventName) {
      case "ContributionRegistered":
        row(registration, log, {
          contributionId: a.contributionId,
          author: a.author,
          kind: KINDS[a.kind],
          registeredAt: a.registeredAt,
          trainingConsent: a.trainingConsent,
          uri: a.uri,
        });
        break;
      case "RegistrationSuperseded":
        row(superseded, log, {
          contributionId: a.contributionId,
          previousAuthor: a.previousAuthor,
          previousRegisteredAt: a.previousRegisteredAt,
          registeredAt: a.registeredAt,
        });
        break;
      case "TrainingConsentChanged":
        row(consent, log, {
          contributionId: a.contributionId,
          author: a.author,
          trainingConsent: a.trainingConsent,
          nonce: a.nonce,
        });
        break;
      case "AuthorshipTransferStarted":
        row(transfer, log, {
          contributionId: a.contributionId,
          stage: "started",
          from: a.author,
          to: a.pendingAuthor,
          nonce: null,
        });
        break;
      case "AuthorshipTransferred":
        row(transfer, log, {
          contributionId: a.contributionId,
          stage: "accepted",
          from: a.previousAuthor,
          to: a.newAuthor,
          nonce: a.nonce,
        });
        break;
      case "Committed":
        row(committed, log, { committer: a.committer, commitment: a.commitment, committedAt: a.committedAt });
        break;
      case "AttesterSet":
        row(attesters, log, { attester: a.attester, approved: a.approved });
        break;
      case "OwnershipTransferStarted":
      case "OwnershipTransferred":
        ownershipRow(log);
        break;
    }
  }
  const poolToken = new Map<bigint, Hex>();
  const vaultRow = (
    log: any,
    kind: string,
    values: { poolId?: bigint; contributionId?: Hex; token?: Hex; account?: Hex; amount?: bigint },
  ) =>
    row(others, log, { kind, poolId: null, contributionId: null, token: null, account: null, amount: null, ...values });
  for (const log of vaultLogs) {
    const a = log.args;
    switch (log.eventName) {
      case "PoolCreated":
        poolToken.set(a.poolId, lower(a.token));
        break;
      case "RevenueDeposited":
        row(deposits, log, {
          poolId: a.poolId,
          token: poolToken.get(a.poolId),
          depositor: a.depositor,
          amountReceived: a.amountReceived,
          fee: a.fee,
          ratePerSecond: a.ratePerSecond,
          streamEnd: a.streamEnd,
          accPerUnit: a.accPerUnit,
          carriedRemainder: a.carriedRemainder,
        });
        break;
      case "RoyaltiesClaimed":
        row(claims, log, {
          poolId: a.poolId,
          token: poolToken.get(a.poolId),
          contributionId: a.contributionId,
          author: a.author,
          recipient: a.recipient,
          amount: a.amount,
          accPerUnit: a.accPerUnit,
          fraction: a.fraction,
        });
        break;
      case "UnitsSet":
      case "ContributionRemoved":
        row(units, log, {
          poolId: a.poolId,
          contributionId: a.contributionId,
          change: log.eventName === "UnitsSet" ? "set" : "removed_for_consent",
          caller: a.caller,
          previousUnits: a.previousUnits,
          units: log.eventName === "UnitsSet" ? a.units : 0n,
          totalUnits: a.totalUnits,
          accPerUnit: a.accPerUnit,
          carriedRemainder: a.carriedRemainder,
          streamEnd: a.streamEnd,
          accrued: a.accrued,
          fraction: a.fraction,
        });
        break;
      case "PoolAdminTransferStarted":
        vaultRow(log, "pool_admin_transfer_started", { poolId: a.poolId, account: a.pendingAdmin });
        break;
      case "PoolAdminTransferred":
        vaultRow(log, "pool_admin_transferred", { poolId: a.poolId, account: a.newAdmin });
        break;
      case "AttributorSet":
        vaultRow(log, "attributor_set", { poolId: a.poolId, account: a.attributor });
        break;
      case "EscrowOpened":
        vaultRow(log, "escrow_opened", { poolId: a.poolId, contributionId: a.contributionId });
        break;
      case "AuthorConfirmed":
        vaultRow(log, "author_confirmed", { poolId: a.poolId, contributionId: a.contributionId, account: a.admin });
        break;
      case "PayoutDeferred":
        vaultRow(log, "payout_deferred", {
          poolId: a.poolId,
          contributionId: a.contributionId,
          token: a.token,
          account: a.account,
          amount: a.amount,
        });
        break;
      case "DeferredWithdrawn":
        vaultRow(log, "deferred_withdrawn", { token: a.token, account: a.account, amount: a.amount });
        break;
      case "ProtocolFeeSet":
        vaultRow(log, "protocol_fee_set", { account: a.feeRecipient });
        break;
      case "FeesCollected":
        vaultRow(log, "fees_collected", { token: a.token, account: a.feeRecipient, amount: a.amount });
        break;
      case "Paused":
      case "Unpaused":
        vaultRow(log, log.eventName === "Paused" ? "paused" : "unpaused", { account: a.account });
        break;
      case "OwnershipTransferStarted":
      case "OwnershipTransferred":
        ownershipRow(log);
        break;
    }
  }
  return [
    registration,
    superseded,
    consent,
    transfer,
    committed,
    attesters,
    deposits,
    claims,
    units,
    others,
    ownership,
  ];
}

export async function compareAtBlock(parameters: CompareParameters): Promise<CompareReturnType> {
  const { api, client, registry, vault, block } = parameters;
  const blockNumber = block.number;
  const mismatches: Mismatch[] = [];
  let fields = 0;
  const laps: string[] = [];
  let lapAt = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    laps.push(`${name} ${Math.round(now - lapAt)}`);
    lapAt = now;
  };
  const check = (entity: string, field: string, apiValue: unknown, chainValue: unknown) => {
    fields++;
    const a = str(apiValue);
    const c = str(chainValue);
    if (a.toLowerCase() !== c.toLowerCase()) mismatches.push({ entity, field, api: a, chain: c });
  };
  const read = <T>(address: Hex, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args, blockNumber } as never) as Promise<T>;
  const regRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    read<T>(registry, authorshipRegistryAbi as Abi, functionName, args);
  const vaultRead = <T>(functionName: string, args: readonly unknown[] = []) =>
    read<T>(vault, royaltyVaultAbi as Abi, functionName, args);

  /*---------------------------- what each side says ----------------------------*/

  // Everything is read at once, the chain at `blockNumber` and the API (which stays at that block: nothing is mined
  // while a comparison runs); the ids only one side names are read in a second round.
  const records = new Map<Hex, { record: ChainRecord; pending: Hex }>();
  const readRecords = (hashes: Hex[]) =>
    Promise.all(
      hashes.map(async (hash) => {
        const [record, pending] = await Promise.all([
          regRead<ChainRecord>("getRecord", [hash]),
          regRead<Hex>("pendingAuthorOf", [hash]),
        ]);
        records.set(hash, { record: { ...record, author: lower(record.author) }, pending: lower(pending) });
      }),
    );
  const contributionAnswers = new Map<Hex, { main: Answer; earnings?: Answer }>();
  const readContributionAnswers = (hashes: Hex[]) =>
    mapLimited(hashes, async (hash) => {
      const main = await getJson(api, `/contributions/${hash}`);
      // An unregistered hash may hold escrowed positions: its earnings have a route of their own.
      const earnings = main.status === 404 ? await getJson(api, `/contributions/${hash}/earnings`) : undefined;
      contributionAnswers.set(hash, { main, earnings });
    });
  const histories = new Map<Hex, Answer>();
  const readHistories = (hashes: Hex[]) =>
    mapLimited(hashes, async (hash) => void histories.set(hash, await getJson(api, `/contributions/${hash}/history`)));
  const accountAnswers = new Map<Hex, { contributions: Answer; earnings: Answer }>();
  const readAccountAnswers = (accounts: Hex[]) =>
    mapLimited(accounts, async (account) => {
      const [contributions, earnings] = await Promise.all([
        getJson(api, `/authors/${account}/contributions?limit=1`),
        getJson(api, `/authors/${account}/earnings`),
      ]);
      accountAnswers.set(account, { contributions, earnings });
    });
  const deferredOwed = new Map<string, bigint>();
  const readDeferred = (accounts: Hex[], tokens: Hex[]) =>
    Promise.all(
      accounts.flatMap((account) =>
        tokens.map(async (token) =>
          deferredOwed.set(`${token}-${account}`, await vaultRead<bigint>("deferredOf", [account, token])),
        ),
      ),
    );
  const anchors = new Map<Hex, { chain: { attester: Hex; anchoredAt: number }; answer: Answer }>();
  const readAnchors = (roots: Hex[]) =>
    mapLimited(roots, async (root) => {
      const [chain, answer] = await Promise.all([
        regRead<{ attester: Hex; anchoredAt: number }>("anchorOf", [root]),
        getJson(api, `/anchors/${root}`),
      ]);
      anchors.set(root, { chain, answer });
    });
  const tokenChain = new Map<Hex, { totals: TokenTotals; balance: bigint }>();
  const readTokens = (tokens: Hex[]) =>
    Promise.all(
      tokens.map(async (token) => {
        const [totals, balance] = await Promise.all([
          vaultRead<TokenTotals>("tokenTotals", [token]),
          token === zeroAddress
            ? client.getBalance({ address: vault, blockNumber })
            : read<bigint>(token, erc20Abi as Abi, "balanceOf", [vault]),
        ]);
        tokenChain.set(token, { totals, balance });
      }),
    );
  const readPools = async () => {
    const count = await vaultRead<bigint>("poolCount");
    return Promise.all(Array.from({ length: Number(count) }, (_, i) => readPool(BigInt(i + 1))));
  };
  const readPool = async (poolId: bigint) => {
    const base = hexToBigInt(
      keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [poolId, POOLS_SLOT])),
    );
    const slot = (offset: bigint) =>
      client.getStorageAt({ address: vault, slot: `0x${(base + offset).toString(16).padStart(64, "0")}`, blockNumber });
    const [state, pendingAdmin, acc, stream, info] = await Promise.all([
      vaultRead<PoolState>("getPool", [poolId]),
      vaultRead<Hex>("pendingAdminOf", [poolId]),
      slot(0n),
      slot(1n),
      slot(2n),
    ]);
    const word = (value: Hex | undefined) => hexToBigInt(value ?? "0x0");
    const mask = (bits: bigint) => (1n << bits) - 1n;
    const accWord = word(acc);
    const streamWord = word(stream);
    const infoWord = word(info);
    const stored = {
      accPerUnit: accWord & mask(160n),
      carry: accWord >> 160n,
      ratePerSecond: streamWord & mask(136n),
      lastUpdate: (streamWord >> 136n) & mask(40n),
      streamEnd: (streamWord >> 176n) & mask(40n),
      duration: streamWord >> 216n,
    };
    // The layout this comparison assumes, checked against the contract's own view.
    if (
      stored.duration !== BigInt(state.duration) ||
      lower(`0x${(infoWord & mask(160n)).toString(16).padStart(40, "0")}`) !== lower(state.token) ||
      infoWord >> 160n !== state.totalUnits
    ) {
      throw new Error(`pool ${poolId}: the vault's storage layout is not the one the differential test assumes`);
    }
    return { poolId, state, pendingAdmin: lower(pendingAdmin), stored };
  };
  const readApiPools = async () => {
    const items: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { status, body } = await getJson(api, `/pools?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
      if (status !== 200) throw new Error(`/pools answered ${status}: ${JSON.stringify(body)}`);
      items.push(...body.items);
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    return items;
  };

  const givenHashes = [...new Set(parameters.hashes.map(lower))];
  const givenAccounts = [...new Set(parameters.accounts.map(lower))];
  const givenRoots = [...new Set(parameters.roots.map(lower))];
  const givenTokens = [...new Set(parameters.tokens.map(lower))];
  const ledgers = parameters.ledgers ?? true;
  const [registryRaw, vaultRaw, tableRows, pools, apiPools, [solvency, stats, contracts], owners, sql] =
    await Promise.all([
      client.getLogs({ address: registry, fromBlock: 0n, toBlock: blockNumber }),
      client.getLogs({ address: vault, fromBlock: 0n, toBlock: blockNumber }),
      allTables(api, [
        {
          field: "contributions",
          columns:
            "id author kind registeredAt trainingConsent nonce pendingAuthor parentCount childCount supersededCount materializedRoot",
        },
        {
          field: "positions",
          columns:
            "id poolId contributionId units accPerUnitPaid fraction accrued claimed escrowed exposedAt confirmedAt confirmedAuthor",
        },
        { field: "commitments", columns: "id committer commitment committedAt commitCount" },
        { field: "deferredBalances", columns: "id token account amount" },
        {
          field: "tokenTotals",
          columns: "id poolCount deposited fees feesCollected claimed deferred deferredWithdrawn",
        },
        { field: "mismatchEvents", columns: "id event poolId contributionId fields blockNumber" },
        { field: "anchors", columns: "id attester anchoredAt materializedCount" },
        { field: "authors", columns: "id contributionCount" },
        ...(ledgers
          ? LEDGERS.map(({ field, columns }) => ({
              field,
              columns: `blockNumber logIndex transactionHash ${columns.join(" ")}`,
            }))
          : []),
      ]),
      readPools(),
      readApiPools(),
      Promise.all([getJson(api, "/audit/solvency"), getJson(api, "/stats"), getJson(api, "/contracts")]),
      Promise.all([
        vaultRead<{ feeRecipient: Hex; feeBps: number; paused: boolean }>("config"),
        regRead<Hex>("owner"),
        regRead<Hex>("pendingOwner"),
        vaultRead<Hex>("owner"),
        vaultRead<Hex>("pendingOwner"),
        Promise.all(givenAccounts.map(async (a) => ((await regRead<boolean>("isAttester", [a])) ? a : undefined))),
      ]),
      // SQL over HTTP reads the same tables another way (on PGlite, past the temporary tables that shadow them).
      (async () => {
        const results: Record<string, unknown>[][] = [];
        for (const query of [
          "SELECT id, author, registered_at, training_consent, nonce FROM contribution",
          "SELECT pool_id, contribution_id, units, acc_per_unit_paid, fraction, accrued FROM position",
          "SELECT id, total_units, acc_per_unit, carry, last_update, stream_end, rate_per_second FROM pool",
          "SELECT id, amount FROM deferred_balance",
        ])
          results.push(await unlessBusy(() => sqlRows(api, query)));
        return results;
      })(),
      readRecords(givenHashes),
      readDeferred(givenAccounts, givenTokens),
      readAnchors(givenRoots),
      readTokens(givenTokens),
    ]);
  const [
    gqlContributions,
    gqlPositions,
    gqlCommitments,
    gqlDeferred,
    gqlTokenTotals,
    gqlMismatches,
    gqlAnchors,
    gqlAuthors,
    ...ledgerRows
  ] = tableRows as [Rows, Rows, Rows, Rows, Rows, Rows, Rows, Rows, ...Rows[]];
  const registryLogs = parseEventLogs({ abi: authorshipRegistryAbi, logs: registryRaw });
  const vaultLogs = parseEventLogs({ abi: royaltyVaultAbi, logs: vaultRaw });
  const logs = fromLogs(registryLogs, vaultLogs);
  lap("read");

  // Second round: what only one side names (an API row for a hash the run never used, a pair or author the chain
  // knows), and the positions and commitments the logs list.
  const extraHashes = gqlContributions.map((c) => lower(c.id)).filter((hash) => !records.has(hash));
  const tokens = [...new Set([...givenTokens, ...gqlTokenTotals.map((t) => lower(t.id))])];
  const extraTokens = tokens.filter((token) => !tokenChain.has(token));
  const extraRoots = gqlAnchors.map((a) => lower(a.id)).filter((root) => !anchors.has(root));
  const pairIds = [
    ...new Set([...logs.pairs.keys(), ...gqlPositions.map((p) => `${p.poolId}-${lower(p.contributionId)}`)]),
  ];
  const [positions, commitmentDates] = await Promise.all([
    Promise.all(
      pairIds.map(async (id) => {
        const [poolText, contributionId] = id.split("-") as [string, Hex];
        const poolId = BigInt(poolText);
        const [[position, accrued], escrow, canClaim, claimable, owedScaled] = await Promise.all([
          vaultRead<[Position, bigint]>("positionOf", [poolId, contributionId]),
          vaultRead<{ exposedAt: number; confirmedAt: number }>("escrowOf", [poolId, contributionId]),
          vaultRead<boolean>("canClaim", [poolId, contributionId]),
          vaultRead<bigint>("claimable", [poolId, contributionId]),
          vaultRead<bigint>("owedScaled", [poolId, contributionId]),
        ]);
        return { id, poolId, contributionId, position, accrued, escrow, canClaim, claimable, owedScaled };
      }),
    ),
    Promise.all(
      [...logs.commitments.values()].map(async (c) => ({
        ...c,
        live: await regRead<number>("commitmentOf", [c.committer, c.commitment]),
      })),
    ),
    readRecords(extraHashes),
    readAnchors(extraRoots),
    readTokens(extraTokens),
    readDeferred(givenAccounts, extraTokens),
  ]);
  const registered = [...records.entries()]
    .filter(([, r]) => r.record.author !== zeroAddress)
    .map(([hash, r]) => ({ hash, record: r.record }));
  const accounts = [...new Set([...givenAccounts, ...registered.map((r) => r.record.author)])];
  const deferredAccounts = [...new Set([...logs.deferredAccounts, ...gqlDeferred.map((d) => lower(d.account))])];
  await readDeferred(
    [...new Set([...accounts, ...deferredAccounts])].filter((a) => !givenAccounts.includes(a)),
    tokens,
  );
  // Through REST: every hash holding a position (its earnings), the others in turn; every wallet that is an author
  // on either side or is owed a deferred payout (every other one reads as none in the author table's rows).
  const holders = new Set(positions.map((p) => p.contributionId));
  const others = [...records.keys()].filter((hash) => !holders.has(hash)).sort();
  const sample = parameters.restSample ?? others.length;
  const start = others.length === 0 ? 0 : ((parameters.round ?? 0) * sample) % others.length;
  const sampled = new Set([...others, ...others].slice(start, start + Math.min(sample, others.length)));
  const owed = (account: Hex) => tokens.some((token) => (deferredOwed.get(`${token}-${account}`) ?? 0n) !== 0n);
  const restAccounts = [
    ...new Set([
      ...registered.map((r) => r.record.author),
      ...gqlAuthors.filter((a) => a.contributionCount !== 0).map((a) => lower(a.id)),
      ...[...new Set([...accounts, ...deferredAccounts])].filter(owed),
      ...gqlDeferred.filter((d) => BigInt(d.amount) !== 0n).map((d) => lower(d.account)),
    ]),
  ];
  // Paged REST lists, small pages so that cursors cross blocks and log indexes: one pool's ledgers and one
  // author's contributions a comparison, in turn.
  const round = parameters.round ?? 0;
  const ledgerPool = pools.length === 0 ? undefined : pools[round % pools.length]!.poolId;
  const pagedAuthor = restAccounts.length === 0 ? undefined : [...restAccounts].sort()[round % restAccounts.length];
  const pagedLedgers = new Map<string, { items: any[]; status: number }>();
  const readPaged = async (key: string, route: string, limit: number) => {
    const items: any[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 1_000; page++) {
      const { status, body } = await getJson(
        api,
        `${route}${route.includes("?") ? "&" : "?"}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`,
      );
      if (status !== 200) return void pagedLedgers.set(key, { items, status });
      items.push(...body.items);
      cursor = body.nextCursor;
      if (cursor === null) break;
    }
    pagedLedgers.set(key, { items, status: 200 });
  };
  await Promise.all([
    ...(ledgerPool === undefined
      ? []
      : (["deposits", "claims", "units"] as const).map((list) => {
          const names = LEDGER_EVENTS[list];
          const count = vaultLogs.filter(
            (log: any) => log.args.poolId === ledgerPool && (names as readonly string[]).includes(log.eventName),
          ).length;
          // About ten pages, of at least 7 rows and at most the API's 100.
          return readPaged(list, `/pools/${ledgerPool}/${list}`, Math.min(100, Math.max(7, Math.ceil(count / 10))));
        })),
    pagedAuthor === undefined ? undefined : readPaged("author", `/authors/${pagedAuthor}/contributions`, 3),
    readContributionAnswers([...records.keys()].filter((hash) => holders.has(hash) || sampled.has(hash))),
    readAccountAnswers(restAccounts),
    // A hash's history: the sampled ones, and always those with two events of a kind in one block (the order
    // "newest first" must then follow the log index too).
    readHistories([...logs.history.keys()].filter((hash) => sampled.has(hash) || logs.tiedHistory.has(hash))),
  ]);
  lap("read again");

  /*---------------------------- the comparisons ----------------------------*/

  // The indexer's own cross-check: every row is an event whose stated values its arithmetic does not reproduce.
  for (const row of gqlMismatches) {
    for (const [field, value] of Object.entries(row.fields as Record<string, any>)) {
      mismatches.push({
        entity: `mismatch_event ${row.event} pool ${row.poolId}${row.contributionId ? ` ${row.contributionId}` : ""} block ${row.blockNumber}`,
        field,
        api: typeof value === "object" ? `replayed ${value.replayed}` : String(value),
        chain: typeof value === "object" ? `stated ${value.stated}` : "",
      });
    }
  }

  // Every append-only table against the logs of the canonical chain: no row missing, none left from an orphaned
  // block, every value as the event states it.
  if (ledgers) {
    for (const [i, { table, expected }] of ledgersOf(registryLogs, vaultLogs).entries()) {
      const seen = new Set<string>();
      for (const row of ledgerRows[i]!) {
        const key = `${row.blockNumber}:${row.logIndex}`;
        const entity = `${table} block ${row.blockNumber} log ${row.logIndex}`;
        seen.add(key);
        const want = expected.get(key);
        if (want === undefined) {
          check(entity, "exists", "row present", "no such log on the chain");
          continue;
        }
        for (const [column, value] of Object.entries(want)) check(entity, column, row[column], value);
      }
      for (const key of expected.keys())
        if (!seen.has(key))
          check(`${table} block ${key.replace(":", " log ")}`, "exists", "absent", "log on the chain");
    }
  }

  /*//////////////////////////////////////////////////////////////////////////
                                   REGISTRY
  //////////////////////////////////////////////////////////////////////////*/

  const gqlContributionById = new Map(gqlContributions.map((c) => [lower(c.id), c]));
  const childCount = new Map<Hex, number>();
  const childrenOf = new Map<Hex, Hex[]>();
  for (const { hash } of registered)
    for (const parent of logs.parents.get(hash) ?? []) {
      childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
      childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), hash]);
    }
  const positionsOf = new Map<Hex, typeof positions>();
  for (const p of positions) positionsOf.set(p.contributionId, [...(positionsOf.get(p.contributionId) ?? []), p]);
  const poolById = new Map(pools.map((p) => [p.poolId, p]));

  // Contributions: every hash's row (GraphQL), then the ones read through REST.
  for (const [hash, { record, pending }] of records) {
    const entity = `contribution ${hash}`;
    const row = gqlContributionById.get(hash);
    if (record.author === zeroAddress) {
      if (row !== undefined) check(entity, "row in contribution table", "present", "absent");
      continue;
    }
    if (row === undefined) {
      check(entity, "row in contribution table", "absent", "present");
      continue;
    }
    check(entity, "row author", row.author, record.author);
    check(entity, "row kind", row.kind, KINDS[record.kind]);
    check(entity, "row registeredAt", row.registeredAt, record.registeredAt);
    check(entity, "row trainingConsent", row.trainingConsent, record.trainingConsent);
    check(entity, "row nonce", row.nonce, record.nonce);
    check(entity, "row pendingAuthor", row.pendingAuthor, pending === zeroAddress ? null : pending);
    check(entity, "row parentCount", row.parentCount, (logs.parents.get(hash) ?? []).length);
    check(entity, "row childCount", row.childCount, childCount.get(hash) ?? 0);
    check(entity, "row supersededCount", row.supersededCount, logs.superseded.get(hash) ?? 0);
    check(entity, "row materializedRoot", row.materializedRoot, logs.roots.get(hash) ?? null);
  }
  const countOf = new Map<Hex, number>();
  for (const r of registered) countOf.set(r.record.author, (countOf.get(r.record.author) ?? 0) + 1);
  for (const row of gqlAuthors)
    check(`author ${lower(row.id)}`, "row contributionCount", row.contributionCount, countOf.get(lower(row.id)) ?? 0);
  for (const [account, n] of countOf)
    if (!gqlAuthors.some((row) => lower(row.id) === account))
      check(`author ${account}`, "row", "absent", `${n} contributions`);

  // Contributions through REST.
  for (const [hash, { main, earnings }] of contributionAnswers) {
    const { record, pending } = records.get(hash)!;
    const entity = `contribution ${hash}`;
    if (record.author === zeroAddress) {
      check(entity, "registered (HTTP status)", main.status, 404);
    } else {
      check(entity, "registered (HTTP status)", main.status, 200);
      if (main.status === 200) {
        const body = main.body;
        const made = logs.current.get(hash);
        check(entity, "contributionId", body.contributionId, hash);
        check(entity, "author", body.author, record.author);
        check(entity, "kind", body.kind, KINDS[record.kind]);
        check(entity, "registeredAt", body.registeredAt, record.registeredAt);
        check(entity, "trainingConsent", body.trainingConsent, record.trainingConsent);
        check(entity, "nonce", body.nonce, record.nonce);
        check(entity, "pendingAuthor", body.pendingAuthor, pending === zeroAddress ? null : pending);
        check(entity, "parentCount", body.parentCount, (logs.parents.get(hash) ?? []).length);
        check(entity, "childCount", body.childCount, childCount.get(hash) ?? 0);
        check(entity, "supersededCount", body.supersededCount, logs.superseded.get(hash) ?? 0);
        check(entity, "materializedRoot", body.materializedRoot, logs.roots.get(hash) ?? null);
        check(entity, "uri", body.uri, made?.uri);
        check(entity, "blockNumber", body.blockNumber, made?.blockNumber);
        check(entity, "transactionHash", body.transactionHash, made?.transactionHash);
        check(entity, "logIndex", body.logIndex, made?.logIndex);
        check(
          entity,
          "parents",
          (body.parents as { contributionId: string }[]).map((p) => lower(p.contributionId)).join(","),
          (logs.parents.get(hash) ?? []).join(","),
        );
        const children = (childrenOf.get(hash) ?? []).sort();
        check(
          entity,
          "children (first 100 by hash)",
          (body.children as { contributionId: string }[]).map((c) => lower(c.contributionId)).join(","),
          children.slice(0, 100).join(","),
        );
        check(entity, "childrenTruncated", body.childrenTruncated, children.length > 100);
      }
    }
    // Earnings, from the record's answer or (for an unregistered hash) from /earnings.
    const answer = main.status === 200 ? main.body.earnings : earnings?.body;
    if (answer === undefined) continue;
    check(entity, "earnings.atBlock", answer.atBlock, blockNumber);
    const apiPositions = new Map<string, any>((answer.pools ?? []).map((p: any) => [String(p.poolId), p]));
    for (const p of positionsOf.get(hash) ?? []) {
      const e = `position ${p.poolId}/${hash}`;
      const a = apiPositions.get(String(p.poolId));
      if (a === undefined) {
        check(e, "in the contribution's earnings", "absent", "present");
        continue;
      }
      const claimed = logs.claimed.get(p.id) ?? 0n;
      const poolState = poolById.get(p.poolId)!.state;
      check(e, "units", a.units, p.position.units);
      check(e, "claimable", a.claimable, p.claimable);
      check(e, "claimed", a.claimed, claimed);
      check(e, "accrued (claimed + claimable)", a.accrued, claimed + p.claimable);
      check(e, "accPerUnit (pool, at the block)", a.accPerUnit, poolState.accPerUnit);
      check(e, "escrowed", a.escrowed, p.position.escrowed);
      check(e, "exposedAt", a.exposedAt, p.escrow.exposedAt === 0 ? null : p.escrow.exposedAt);
      check(e, "confirmedAt", a.confirmedAt, p.escrow.confirmedAt === 0 ? null : p.escrow.confirmedAt);
      check(e, "canClaim", a.canClaim, p.canClaim);
      check(e, "token", a.token, poolState.token);
      apiPositions.delete(String(p.poolId));
    }
    for (const poolId of apiPositions.keys()) check(`position ${poolId}/${hash}`, "exists", "present", "absent");
  }

  // Stored positions (GraphQL): the contract's slot, its accrued balance and its escrow, exactly.
  const gqlPositionById = new Map(gqlPositions.map((p) => [`${p.poolId}-${lower(p.contributionId)}`, p]));
  for (const p of positions) {
    const e = `position ${p.poolId}/${p.contributionId}`;
    const row = gqlPositionById.get(p.id);
    if (row === undefined) {
      check(e, "row in position table", "absent", "present");
      continue;
    }
    if (!logs.pairs.has(p.id)) check(e, "exists", "row present", "no unit change or escrow on chain");
    check(e, "stored units", row.units, p.position.units);
    check(e, "stored accPerUnitPaid", row.accPerUnitPaid, p.position.accPerUnitPaid);
    check(e, "stored fraction", row.fraction, p.position.fraction);
    check(e, "stored accrued", row.accrued, p.accrued);
    check(e, "stored escrowed", row.escrowed, p.position.escrowed);
    check(e, "stored exposedAt", row.exposedAt, p.escrow.exposedAt === 0 ? null : p.escrow.exposedAt);
    check(e, "stored confirmedAt", row.confirmedAt, p.escrow.confirmedAt === 0 ? null : p.escrow.confirmedAt);
    check(e, "stored claimed", row.claimed, logs.claimed.get(p.id) ?? 0n);
  }

  // Commitments: the row holds the latest commit of the pair; the chain forgets a revealed one (then only the logs
  // tell its date).
  const gqlCommitmentById = new Map(gqlCommitments.map((c) => [lower(c.id), c]));
  for (const c of commitmentDates) {
    const e = `commitment ${c.committer}-${c.commitment}`;
    const row = gqlCommitmentById.get(`${c.committer}-${c.commitment}`);
    if (row === undefined) {
      check(e, "row in commitment table", "absent", "present");
      continue;
    }
    check(e, "committedAt", row.committedAt, c.live !== 0 ? c.live : c.committedAt);
    check(e, "commitCount", row.commitCount, c.count);
    gqlCommitmentById.delete(`${c.committer}-${c.commitment}`);
  }
  for (const id of gqlCommitmentById.keys()) check(`commitment ${id}`, "exists", "row present", "never committed");

  // The same rows over SQL.
  const [sqlContributions, sqlPositions, sqlPools, sqlDeferred] = sql as [Rows, Rows, Rows, Rows];
  check("sql contribution", "rows", sqlContributions.length, registered.length);
  for (const row of sqlContributions) {
    const e = `contribution ${lower(row.id as string)} (SQL)`;
    const r = records.get(lower(row.id as string))?.record;
    if (r === undefined || r.author === zeroAddress) {
      check(e, "exists", "row present", "not registered");
      continue;
    }
    check(e, "author", row.author, r.author);
    check(e, "registered_at", row.registered_at, r.registeredAt);
    check(e, "training_consent", row.training_consent, r.trainingConsent);
    check(e, "nonce", row.nonce, r.nonce);
  }
  const positionById = new Map(positions.map((p) => [p.id, p]));
  check("sql position", "rows", sqlPositions.length, positions.length);
  for (const row of sqlPositions) {
    const id = `${row.pool_id}-${lower(row.contribution_id as string)}`;
    const e = `position ${row.pool_id}/${lower(row.contribution_id as string)} (SQL)`;
    const p = positionById.get(id);
    if (p === undefined) {
      check(e, "exists", "row present", "absent");
      continue;
    }
    check(e, "units", row.units, p.position.units);
    check(e, "acc_per_unit_paid", row.acc_per_unit_paid, p.position.accPerUnitPaid);
    check(e, "fraction", row.fraction, p.position.fraction);
    check(e, "accrued", row.accrued, p.accrued);
  }
  check("sql pool", "rows", sqlPools.length, pools.length);
  for (const row of sqlPools) {
    const e = `pool ${row.id} (SQL)`;
    const p = poolById.get(BigInt(row.id as string));
    if (p === undefined) {
      check(e, "exists", "row present", "absent");
      continue;
    }
    check(e, "total_units", row.total_units, p.state.totalUnits);
    check(e, "acc_per_unit", row.acc_per_unit, p.stored.accPerUnit);
    check(e, "carry", row.carry, p.stored.carry);
    check(e, "last_update", row.last_update, p.stored.lastUpdate);
    check(e, "stream_end", row.stream_end, p.stored.streamEnd);
    check(e, "rate_per_second", row.rate_per_second, p.stored.ratePerSecond);
  }
  for (const row of sqlDeferred)
    check(`deferred ${row.id} (SQL)`, "amount", row.amount, deferredOwed.get(lower(row.id as string)) ?? 0n);

  // Anchors.
  for (const [root, { chain, answer }] of anchors) {
    const e = `anchor ${root}`;
    if (chain.attester === zeroAddress) {
      check(e, "anchored (HTTP status)", answer.status, 404);
      continue;
    }
    check(e, "anchored (HTTP status)", answer.status, 200);
    if (answer.status !== 200) continue;
    check(e, "attester", answer.body.attester, chain.attester);
    check(e, "anchoredAt", answer.body.anchoredAt, chain.anchoredAt);
    check(e, "root", answer.body.root, root);
    check(e, "materializedCount", answer.body.materializedCount, logs.materialized.get(root) ?? 0);
  }

  // One author's contributions, page by page: by registration date, then hash.
  const authorPages = pagedLedgers.get("author");
  if (pagedAuthor !== undefined && authorPages !== undefined) {
    const want = registered
      .filter((r) => r.record.author === pagedAuthor)
      .sort((a, b) =>
        a.record.registeredAt !== b.record.registeredAt
          ? a.record.registeredAt - b.record.registeredAt
          : a.hash < b.hash
            ? -1
            : 1,
      )
      .map((r) => r.hash);
    check(
      `author ${pagedAuthor}`,
      "contributions, pages of 3 (by registeredAt, hash)",
      authorPages.status === 200
        ? authorPages.items.map((item) => lower(item.contributionId)).join(" ")
        : `HTTP ${authorPages.status}`,
      want.join(" "),
    );
  }
  // One pool's ledgers, page by page, in chain order.
  if (ledgerPool !== undefined) {
    const inPool = vaultLogs.filter((log: any) => log.args.poolId === ledgerPool);
    for (const [list, field] of [
      ["deposits", "amountReceived"],
      ["claims", "amount"],
      ["units", "previousUnits"],
    ] as const) {
      const names = LEDGER_EVENTS[list];
      const got = pagedLedgers.get(list);
      const want = inPool.filter((log: any) => (names as readonly string[]).includes(log.eventName));
      check(
        `pool ${ledgerPool} /${list}`,
        `block:log:${field}, in small pages`,
        got === undefined || got.status !== 200
          ? `HTTP ${got?.status}`
          : got.items.map((item) => `${item.blockNumber}:${item.logIndex}:${item[field]}`).join(" "),
        want.map((log: any) => `${log.blockNumber}:${log.logIndex}:${log.args[field]}`).join(" "),
      );
    }
  }

  // Histories: every event about the hash, newest first.
  for (const [hash, answer] of histories) {
    const e = `history ${hash}`;
    const want = logs.history.get(hash)!;
    check(e, "HTTP status", answer.status, 200);
    if (answer.status !== 200) continue;
    for (const list of ["registrations", "consent", "transfers", "superseded"] as const)
      check(
        e,
        `${list} (block:log, newest first)`,
        (answer.body[list] as { blockNumber: string; logIndex: number }[])
          .map((row) => `${row.blockNumber}:${row.logIndex}`)
          .join(" "),
        [...want[list]].reverse().join(" "),
      );
  }

  /*//////////////////////////////////////////////////////////////////////////
                                    VAULT
  //////////////////////////////////////////////////////////////////////////*/

  // Pools, through REST.
  check("pools", "count", apiPools.length, pools.length);
  const contributionCount = new Map<bigint, number>();
  for (const p of positions)
    if (p.position.units !== 0) contributionCount.set(p.poolId, (contributionCount.get(p.poolId) ?? 0) + 1);
  for (const a of apiPools) {
    const chainPool = poolById.get(BigInt(a.poolId));
    const e = `pool ${a.poolId}`;
    if (chainPool === undefined) {
      check(e, "exists", "present", "absent");
      continue;
    }
    const { state, stored, pendingAdmin } = chainPool;
    const sums = logs.pools.get(chainPool.poolId) ?? { deposited: 0n, fees: 0n, claimed: 0n, deposits: 0, claims: 0 };
    check(e, "stream.at", a.stream.at, block.timestamp);
    check(e, "token", a.token, state.token);
    check(e, "admin", a.admin, state.admin);
    check(e, "pendingAdmin", a.pendingAdmin, pendingAdmin === zeroAddress ? null : pendingAdmin);
    check(e, "attributor", a.attributor, state.attributor === zeroAddress ? null : state.attributor);
    check(e, "duration", a.duration, state.duration);
    check(e, "totalUnits", a.totalUnits, state.totalUnits);
    check(e, "ratePerSecond", a.ratePerSecond, state.ratePerSecond);
    check(e, "stream.streamEnd", a.stream.streamEnd, state.streamEnd);
    check(e, "stream.notYetStreamedScaled", a.stream.notYetStreamedScaled, state.notYetStreamed);
    check(e, "stream.carriedRemainderScaled", a.stream.carriedRemainderScaled, state.carriedRemainder);
    // The checkpoint the indexer stored from the events, against the vault's storage slots.
    check(e, "stored accPerUnit", a.accPerUnit, stored.accPerUnit);
    check(e, "stored carry", a.carry, stored.carry);
    check(e, "stored lastUpdate", a.lastUpdate, stored.lastUpdate);
    check(e, "stored streamEnd", a.streamEnd, stored.streamEnd);
    check(e, "deposited", a.deposited, sums.deposited);
    check(e, "fees", a.fees, sums.fees);
    check(e, "claimed", a.claimed, sums.claimed);
    check(e, "depositCount", a.depositCount, sums.deposits);
    check(e, "claimCount", a.claimCount, sums.claims);
    check(e, "contributionCount", a.contributionCount, contributionCount.get(chainPool.poolId) ?? 0);
    check(e, "replayMismatches", a.replayMismatches, 0);
  }

  // Tokens: the vault's totals view and its balances, against token_total and the solvency report. A pool owes
  // exactly (its positions' owed amounts + what has not streamed + the carry) / SCALE: the vault's accounting
  // identity, from views alone.
  const poolLiability = new Map<bigint, bigint>();
  for (const { poolId, state } of pools) {
    let scaled = state.notYetStreamed + state.carriedRemainder;
    for (const p of positions) if (p.poolId === poolId) scaled += p.owedScaled;
    if (scaled % SCALE !== 0n)
      check(`pool ${poolId}`, "owed + unstreamed + carry (scaled) divisible by SCALE", "", scaled);
    poolLiability.set(poolId, scaled / SCALE);
  }
  const gqlTotalById = new Map(gqlTokenTotals.map((t) => [lower(t.id), t]));
  check("solvency", "at.blockNumber", solvency.body.at?.blockNumber, blockNumber);
  const solvencyToken = new Map<string, any>((solvency.body.tokens ?? []).map((t: any) => [lower(t.token), t]));
  let allSolvent = true;
  for (const [token, { totals, balance }] of tokenChain) {
    const e = `token ${token === zeroAddress ? "ETH" : token}`;
    const row = gqlTotalById.get(token);
    const sums = logs.tokens.get(token) ?? { deposited: 0n, fees: 0n, claimed: 0n, deferred: 0n, withdrawn: 0n };
    let liabilities = totals.feesOwed + totals.deferredOwed;
    for (const { poolId, state } of pools) if (lower(state.token) === token) liabilities += poolLiability.get(poolId)!;
    if (balance < liabilities) allSolvent = false;
    if (totals.pools === 0n && row === undefined) continue;
    if (row === undefined) {
      check(e, "row in token_total", "absent", "present");
      continue;
    }
    check(e, "poolCount", row.poolCount, totals.pools);
    check(e, "deposited", row.deposited, sums.deposited);
    check(e, "fees", row.fees, sums.fees);
    check(e, "fees - feesCollected (feesOwed)", BigInt(row.fees) - BigInt(row.feesCollected), totals.feesOwed);
    check(e, "feesCollected", row.feesCollected, totals.feesCollected);
    check(e, "claimed", row.claimed, sums.claimed);
    check(e, "deferred", row.deferred, sums.deferred);
    check(
      e,
      "deferred - deferredWithdrawn (deferredOwed)",
      BigInt(row.deferred) - BigInt(row.deferredWithdrawn),
      totals.deferredOwed,
    );
    const report = solvencyToken.get(token);
    if (report === undefined) {
      check(e, "in the solvency report", "absent", "present");
      continue;
    }
    check(e, "solvency balance", report.balance, balance);
    check(e, "solvency liabilities", report.liabilities, liabilities);
    check(e, "solvency difference", report.difference, balance - liabilities);
    check(e, "solvency solvent", report.solvent, balance >= liabilities);
    check(e, "solvency breakdown.feesOwed", report.breakdown?.feesOwed, totals.feesOwed);
    check(e, "solvency breakdown.deferredOwed", report.breakdown?.deferredOwed, totals.deferredOwed);
  }
  check("solvency", "solvent", solvency.body.solvent, allSolvent);
  const solvencyPool = new Map<string, any>((solvency.body.pools ?? []).map((p: any) => [String(p.poolId), p]));
  for (const { poolId, state } of pools) {
    const e = `pool ${poolId} (solvency)`;
    const report = solvencyPool.get(String(poolId));
    if (report === undefined) {
      check(e, "in the solvency report", "absent", "present");
      continue;
    }
    check(e, "liabilities", report.liabilities, poolLiability.get(poolId));
    check(e, "notYetStreamedScaled", report.notYetStreamedScaled, state.notYetStreamed);
    check(e, "carriedRemainderScaled", report.carriedRemainderScaled, state.carriedRemainder);
    check(e, "replayMismatches", report.replayMismatches, 0);
  }

  // Deferred payouts per (token, account): the table, then each author's earnings.
  const gqlDeferredById = new Map<string, Record<string, any>>(gqlDeferred.map((d) => [lower(d.id), d]));
  for (const [id, owed] of deferredOwed) {
    const row = gqlDeferredById.get(id);
    if (owed === 0n && (row === undefined || BigInt(row.amount) === 0n)) continue;
    check(`deferred ${id}`, "amount", row?.amount ?? "absent", owed);
  }
  for (const id of gqlDeferredById.keys())
    if (!deferredOwed.has(id)) check(`deferred ${id}`, "exists", "row present", "never deferred");

  // Per account: its contributions' count and its earnings per pool, from the views of its current contributions.
  for (const [account, { contributions, earnings }] of accountAnswers) {
    const e = `author ${account}`;
    const mine = registered.filter((r) => r.record.author === account).map((r) => r.hash);
    check(e, "contributions total", contributions.body.total, mine.length);
    check(e, "earnings.atBlock", earnings.body.atBlock, blockNumber);
    check(e, "earnings.contributions", earnings.body.contributions, mine.length);
    const expected = new Map<string, { claimed: bigint; claimable: bigint; held: bigint; count: number }>();
    for (const hash of mine)
      for (const p of positionsOf.get(hash) ?? []) {
        const entry = expected.get(String(p.poolId)) ?? { claimed: 0n, claimable: 0n, held: 0n, count: 0 };
        entry.claimed += logs.claimed.get(p.id) ?? 0n;
        entry.claimable += p.claimable;
        if (!p.canClaim) entry.held += p.claimable;
        entry.count++;
        expected.set(String(p.poolId), entry);
      }
    for (const a of earnings.body.pools ?? []) {
      const pe = `${e} pool ${a.poolId}`;
      const x = expected.get(String(a.poolId));
      if (x === undefined) {
        check(pe, "in earnings", "present", "absent");
        continue;
      }
      check(pe, "claimed", a.claimed, x.claimed);
      check(pe, "claimable", a.claimable, x.claimable);
      check(pe, "escrowHeld", a.escrowHeld, x.held);
      check(pe, "accrued", a.accrued, x.claimed + x.claimable);
      check(pe, "contributions", a.contributions, x.count);
      expected.delete(String(a.poolId));
    }
    for (const poolId of expected.keys()) check(`${e} pool ${poolId}`, "in earnings", "absent", "present");
    const apiDeferred = new Map<string, string>(
      (earnings.body.deferred ?? []).map((d: any) => [lower(d.token), d.amount]),
    );
    for (const token of tokens) {
      const owed = deferredOwed.get(`${token}-${account}`) ?? 0n;
      const listed = apiDeferred.get(token);
      if (owed === 0n && (listed === undefined || listed === "0")) continue;
      check(`${e} deferred ${token === zeroAddress ? "ETH" : token}`, "amount", listed ?? "absent", owed);
    }
  }

  // Totals and who controls the contracts.
  const [config, registryOwner, registryPending, vaultOwner, vaultPending, attesters] = owners;
  const authorsNow = new Set(registered.map((r) => r.record.author));
  check("stats", "at.blockNumber", stats.body.at?.blockNumber, blockNumber);
  check("stats", "contributions", stats.body.contributions, registered.length);
  check("stats", "authors", stats.body.authors, authorsNow.size);
  check("stats", "pools", stats.body.pools, pools.length);
  const byName = new Map<string, any>((contracts.body.contracts ?? []).map((c: any) => [c.contract, c]));
  const pendingOrNull = (pending: Hex, owner: Hex) =>
    pending === zeroAddress || lower(pending) === lower(owner) ? null : pending;
  const reg = byName.get("AuthorshipRegistry");
  const vlt = byName.get("RoyaltyVault");
  check("AuthorshipRegistry", "owner", reg?.owner, registryOwner);
  check("AuthorshipRegistry", "pendingOwner", reg?.pendingOwner, pendingOrNull(registryPending, registryOwner));
  check(
    "AuthorshipRegistry",
    "approvedAttesters",
    [...(reg?.approvedAttesters ?? [])].map(lower).sort().join(","),
    attesters
      .filter((a) => a !== undefined)
      .sort()
      .join(","),
  );
  check("RoyaltyVault", "owner", vlt?.owner, vaultOwner);
  check("RoyaltyVault", "pendingOwner", vlt?.pendingOwner, pendingOrNull(vaultPending, vaultOwner));
  check("RoyaltyVault", "feeBps", vlt?.feeBps, config.feeBps);
  check("RoyaltyVault", "feeRecipient", vlt?.feeRecipient, config.feeRecipient);
  check("RoyaltyVault", "paused", vlt?.paused, config.paused);

  lap("compare");
  if (process.env.TRIBUTARY_DIFF_PROFILE === "1") console.log(`  compare ms: ${laps.join(", ")}`);
  return {
    mismatches,
    compared: {
      contributions: records.size,
      positions: positions.length,
      pools: pools.length,
      accounts: accountAnswers.size,
      fields,
    },
  };
}

/** Mismatches as lines a person reads: entity, field, what the API said and what the chain said. */
export function formatMismatches(mismatches: readonly Mismatch[], max = 50): string {
  const lines = mismatches.slice(0, max).map((m) => `  ${m.entity} · ${m.field}: API ${m.api}, chain ${m.chain}`);
  if (mismatches.length > max) lines.push(`  … and ${mismatches.length - max} more`);
  return lines.join("\n");
}
