// The RoyaltyVault's commands. Contributor: earnings, claim, withdraw-deferred. Provider: pool create, units set,
// escrow confirm / show, deposit. Keeper: claim-for. Auditor: pool show / list, solvency (from the indexer's API; `pool show --chain` reads
// the node). Writes go through the SDK, which simulates each transaction and checks the account's balances before
// anything is sent.
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Command } from "commander";
import { formatUnits, type Address, type Hex } from "viem";

import {
  ApiError,
  claim,
  claimFor,
  confirmAuthor,
  createPool,
  deposit,
  ETH,
  FileError,
  formatAmount,
  getEscrow,
  getPool,
  getTokenInfo,
  InvalidInputError,
  loadAccount,
  parseAddress,
  parseAmount,
  parseDuration,
  parseHash,
  parsePoolId,
  parseToken,
  parseUnitsCsv,
  setUnits,
  withdrawDeferred,
  type ClaimForReturnType,
  type EscrowState,
  type PoolLedger,
  type TokenInfo,
  type TributaryClient,
} from "../../sdk/index.ts";
import { api, askPassword, client, config, globals, output, setExitCode, warnIfApiLags } from "../context.ts";

const date = (seconds: string | number) => new Date(Number(seconds) * 1000).toISOString();
const ETH_INFO: TokenInfo = { address: ETH, symbol: "ETH", decimals: 18 };

/**
 * Names and decimals of tokens for human output, read from the node when it answers; a token that cannot be read
 * is shown in its smallest unit with its address. JSON output always carries the raw amounts.
 */
async function tokenLabels(
  command: Command,
  tokens: readonly Address[],
): Promise<(amount: string, token: Address) => string> {
  const known = new Map<string, TokenInfo>([[ETH, ETH_INFO]]);
  const others = [...new Set(tokens.map((t) => t.toLowerCase()))].filter((t) => t !== ETH);
  if (others.length > 0 && !globals(command).json) {
    try {
      const reader = await client(command, { signer: false });
      for (const token of others) known.set(token, await getTokenInfo(reader, token as Address));
    } catch {
      // The node is optional for reading the indexer: fall back to raw amounts.
    }
  }
  return (amount, token) => {
    const info = known.get(token.toLowerCase());
    return info ? formatAmount(BigInt(amount), info) : `${amount} (smallest units of ${token})`;
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The address commands act for by default: the configured key's, without touching the network. */
async function ownAddress(command: Command, what: string): Promise<Address> {
  try {
    return (await loadAccount({ keystore: globals(command).keystore, askPassword })).address;
  } catch (error) {
    throw new InvalidInputError(
      "address",
      `no ${what} given and no key is configured to take it from`,
      `give the address, or pass --keystore / set TRIBUTARY_PRIVATE_KEY (${(error as Error).message.split(";")[0]})`,
    );
  }
}

/**
 * The escrow of a contribution in each pool, read from the node for human output beside the indexer's figures;
 * empty when no node answers (the indexer alone is enough for earnings).
 */
async function escrowsFromChain(
  command: Command,
  contributionId: Hex,
  poolIds: readonly bigint[],
): Promise<Map<string, EscrowState>> {
  const escrows = new Map<string, EscrowState>();
  try {
    const reader = await client(command, { signer: false });
    for (const poolId of poolIds) escrows.set(String(poolId), await getEscrow(reader, poolId, contributionId));
  } catch {
    // The node is optional for reading the indexer.
  }
  return escrows;
}

/** What an escrow means for its claim, in words; nothing for a position that holds no escrow. */
function escrowLines(escrow: EscrowState | undefined, indent: string): string[] {
  if (escrow === undefined || !escrow.escrowed) return [];
  const exposed = `escrow: the pool gave it units at ${date(escrow.exposedAt)}, before anyone registered it`;
  if (escrow.author === null) return [`${indent}${exposed}; it waits for its author to register`];
  if (escrow.canClaim) {
    return [
      `${indent}${exposed}; ${escrow.confirmedAt !== 0 && escrow.confirmedAt === escrow.registeredAt ? "the pool's admin confirmed" : "the record is older than that: it may claim"} ${escrow.author}'s record of ${date(escrow.registeredAt!)}`,
    ];
  }
  return [
    `${indent}${exposed}; ${escrow.author}'s record of ${date(escrow.registeredAt!)} is newer: it claims once the pool's admin confirms it (tributary escrow confirm ${escrow.poolId} ${escrow.contributionId} ${escrow.author})`,
  ];
}

export function vaultContributorCommands(program: Command): void {
  program
    .command("earnings")
    .description("what an author's contributions (or one contribution) have earned, claimed and can claim (indexer)")
    .argument("[address-or-hash]", "an author's wallet or a contribution's hash (default: your key's address)")
    .action(async (who: string | undefined, _options: object, command: Command) => {
      const reader = api(command);
      if (who !== undefined && /^0x[0-9a-fA-F]{64}$/.test(who.trim())) {
        const earnings = await reader.getContributionEarnings(parseHash(who, "hash"));
        const label = await tokenLabels(
          command,
          earnings.pools.map((p) => p.token),
        );
        const escrows = globals(command).json
          ? new Map<string, EscrowState>()
          : await escrowsFromChain(
              command,
              earnings.contributionId,
              earnings.pools.map((p) => BigInt(p.poolId)),
            );
        output(command, earnings, [
          `${earnings.contributionId} as of block ${earnings.atBlock} (${date(earnings.at)})`,
          ...(earnings.pools.length === 0 ? ["  no units in any pool"] : []),
          ...earnings.pools.flatMap((p) => [
            `  pool ${p.poolId}: ${p.units} units${p.removedForConsent ? " (removed: consent revoked)" : ""}, accrued ${label(p.accrued, p.token)}, claimed ${label(p.claimed, p.token)}, claimable ${label(p.claimable, p.token)}`,
            ...escrowLines(escrows.get(p.poolId), "    "),
          ]),
        ]);
        return;
      }
      const author = who === undefined ? await ownAddress(command, "address") : parseAddress(who, "address");
      const earnings = await reader.getAuthorEarnings(author);
      const label = await tokenLabels(
        command,
        earnings.pools.map((p) => p.token),
      );
      output(command, earnings, [
        `${parseAddress(earnings.author)}: ${earnings.contributions} contributions, as of block ${earnings.atBlock} (${date(earnings.at)})`,
        ...(earnings.pools.length === 0 ? ["  no units in any pool yet"] : []),
        ...earnings.pools.map(
          (p) =>
            `  pool ${p.poolId}: ${p.contributions} contributions, accrued ${label(p.accrued, p.token)}, claimed ${label(p.claimed, p.token)}, claimable ${label(p.claimable, p.token)}`,
        ),
        ...earnings.tokens.map((t) => `  total claimable ${label(t.claimable, t.token)}`),
        ...(earnings.pools.some((p) => p.claimable !== "0")
          ? ["claim with: tributary claim <hash...> --pool <id...> (tributary author lists your hashes)"]
          : []),
      ]);
    });

  program
    .command("claim")
    .description("claim the royalties of your contributions, across pools, in one transaction")
    .argument("<hashes...>", "the contributions' content hashes")
    .option(
      "--pool <id>",
      "a pool to claim from (repeatable; default: every pool the indexer says owes them)",
      collect,
      [],
    )
    .option("--to <address>", "pay this wallet instead of yours")
    .action(async (hashes: string[], options: { pool: string[]; to?: string }, command: Command) => {
      const contributionIds = hashes.map((h) => parseHash(h, "hash"));
      const to = options.to === undefined ? undefined : parseAddress(options.to, "--to");
      const poolIds = await poolsToClaim(command, options.pool, contributionIds);
      const tributary = await client(command, { signer: true });
      const result = await claim(tributary, { poolIds, contributionIds, to });
      const label = await labelsFromChain(tributary, [...result.claimed, ...result.deferred]);
      output(command, result, [
        ...result.claimed.map(
          (c) => `claimed ${label(c.amount, c.token)} for ${c.contributionId} from pool ${c.poolId}`,
        ),
        `paid to ${result.to} (transaction ${result.transactionHash})`,
        ...claimNotes(result, label),
      ]);
    });

  program
    .command("withdraw-deferred")
    .description(
      "withdraw your deferred payouts of a token: claims whose transfer to you failed, credited in the vault",
    )
    .option("--token <eth|address>", "ETH, or an ERC-20's address", "eth")
    .option("--to <address>", "pay this wallet instead of yours")
    .action(async (options: { token: string; to?: string }, command: Command) => {
      const token = parseToken(options.token, "--token");
      const to = options.to === undefined ? undefined : parseAddress(options.to, "--to");
      const tributary = await client(command, { signer: true });
      const result = await withdrawDeferred(tributary, { token, to });
      const label = await labelsFromChain(tributary, [result]);
      output(command, result, [
        `withdrew ${label(result.amount, token)} of deferred payouts to ${result.to}`,
        `  deferred to ${result.account}: ${label(result.deferredBefore, token)} before, ${label(result.deferredAfter, token)} now`,
        `transaction ${result.transactionHash} in block ${result.blockNumber}`,
      ]);
    });
}

/**
 * The pools to claim from: the `--pool` options, or without them every pool in which the indexer says one of the
 * contributions can claim something.
 */
async function poolsToClaim(command: Command, given: readonly string[], contributionIds: readonly Hex[]) {
  if (given.length > 0) return given.map((p) => parsePoolId(p, "--pool"));
  if (config(command).apiUrl === undefined) {
    throw new InvalidInputError(
      "pool",
      "no --pool given",
      "name the pools with --pool <id>, or give --api so the indexer finds them",
    );
  }
  const reader = api(command);
  const found = new Set<bigint>();
  for (const id of contributionIds) {
    const earnings = await reader.getContributionEarnings(id);
    for (const p of earnings.pools) if (p.claimable !== "0") found.add(BigInt(p.poolId));
  }
  if (found.size === 0) {
    throw new ApiError(
      404,
      `the indexer knows nothing to claim for ${contributionIds.length === 1 ? contributionIds[0] : "these contributions"}`,
      "check tributary earnings; royalties stream over the pool's duration",
    );
  }
  return [...found];
}

/** A claim's deferred payouts and the pairs it left out, for human output. */
function claimNotes(result: ClaimForReturnType, label: (amount: bigint, token: Address) => string): string[] {
  return [
    ...result.deferred.map(
      (d) =>
        `  the transfer of ${label(d.amount, d.token)} for ${d.contributionId} to ${d.recipient} failed: credited in the vault to its author ${d.account}, who takes it with tributary withdraw-deferred`,
    ),
    ...result.skipped.map((s) =>
      s.reason === "unregistered"
        ? `  ${s.contributionId} is not registered: its royalties in pool ${s.poolId} wait in escrow for its author; left out`
        : s.reason === "escrow-unconfirmed"
          ? `  ${s.contributionId}'s royalties in pool ${s.poolId} wait in escrow: its record is newer than the pool's exposure of the hash, and the pool's admin has not confirmed its author (tributary escrow show ${s.poolId} ${s.contributionId}); left out`
          : `  nothing to claim for ${s.contributionId} in pool ${s.poolId}: left out`,
    ),
  ];
}

async function labelsFromChain(tributary: TributaryClient, items: readonly { token: Address }[]) {
  const known = new Map<string, TokenInfo>();
  for (const token of new Set(items.map((t) => t.token.toLowerCase()))) {
    known.set(
      token,
      await getTokenInfo(tributary, token as Address).catch(() => ({ ...ETH_INFO, symbol: token, decimals: 0 })),
    );
  }
  return (amount: bigint, token: Address) => formatAmount(amount, known.get(token.toLowerCase())!);
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new FileError(file, `cannot read ${what} ${file}`, "check the path");
  }
}

export function vaultProviderCommands(program: Command): void {
  const pool = program.command("pool").description("royalty pools: create (providers), show and list (auditors)");
  pool
    .command("create")
    .description("open a royalty pool that streams each deposit to its contributions over --duration")
    .option("--token <eth|address>", "ETH, or an ERC-20's address", "eth")
    .requiredOption("--duration <time>", "how long each deposit streams: 1h to 10 years, e.g. 3600, 1h, 30d")
    .option("--uri <uri>", "where the pool's metadata lives (model, terms)", "")
    .option("--admin <address>", "the pool's admin (default: your key's address)")
    .action(async (options: { token: string; duration: string; uri: string; admin?: string }, command: Command) => {
      const token = parseToken(options.token, "--token");
      const duration = parseDuration(options.duration, "--duration");
      const admin = options.admin === undefined ? undefined : parseAddress(options.admin, "--admin");
      const tributary = await client(command, { signer: true });
      const info = await getTokenInfo(tributary, token);
      const result = await createPool(tributary, { token, duration, uri: options.uri, admin });
      output(command, { ...result, uri: options.uri, symbol: info.symbol, decimals: info.decimals }, [
        `created pool ${result.poolId} in ${info.symbol} streaming each deposit over ${duration} s, admin ${result.admin}`,
        `transaction ${result.transactionHash}; next: tributary units set ${result.poolId} units.csv`,
      ]);
    });

  pool
    .command("show")
    .description("a pool: token, admin, units, deposited, claimed, owed, stream (indexer; --chain reads the node)")
    .argument("<pool-id>")
    .option("--chain", "read the pool's state from the node instead of the indexer")
    .option("--ledger <deposits|claims|units>", "list the pool's deposits, claims or unit changes instead")
    .option("--limit <n>", "with --ledger: events per page, 1 to 100", "25")
    .option("--cursor <cursor>", "with --ledger: the next page's cursor, as printed by the previous page")
    .action(
      async (
        id: string,
        options: { chain?: boolean; ledger?: string; limit: string; cursor?: string },
        command: Command,
      ) => {
        const poolId = parsePoolId(id, "pool-id");
        if (options.chain || (config(command).apiUrl === undefined && !options.ledger)) {
          const tributary = await client(command, { signer: false });
          const state = await getPool(tributary, poolId);
          const info = await getTokenInfo(tributary, state.token);
          const scaled = (n: bigint) => formatAmount(n / 1_000_000_000n, info);
          output(command, { ...state, symbol: info.symbol, decimals: info.decimals }, [
            `pool ${poolId} (from the node)`,
            `  token            ${info.symbol}${state.token === ETH ? "" : ` ${state.token}`}`,
            `  admin            ${state.admin}${state.attributor ? `, attributor ${state.attributor}` : ""}`,
            `  duration         ${state.duration} s`,
            `  units            ${state.totalUnits}`,
            `  streaming until  ${date(state.streamEnd)}`,
            `  not yet streamed ${scaled(state.notYetStreamedScaled)}`,
          ]);
          return;
        }
        const reader = api(command);
        if (options.ledger) {
          if (!["deposits", "claims", "units"].includes(options.ledger)) {
            throw new InvalidInputError(
              "ledger",
              `"${options.ledger}" is not a ledger`,
              "give deposits, claims or units",
            );
          }
          const page = await reader.getPoolLedger({
            poolId,
            ledger: options.ledger as PoolLedger,
            limit: Number(options.limit),
            cursor: options.cursor,
          });
          output(command, page, [
            `pool ${poolId} ${options.ledger}: ${page.items.length} shown`,
            ...page.items.map((item) => `  ${describeLedgerItem(options.ledger as PoolLedger, item)}`),
            ...(page.nextCursor
              ? [`more: tributary pool show ${poolId} --ledger ${options.ledger} --cursor ${page.nextCursor}`]
              : []),
          ]);
          return;
        }
        const row = await reader.getPool(poolId);
        const label = await tokenLabels(command, [row.token]);
        output(command, row, [
          `pool ${row.id}${row.metadataUri ? ` (${row.metadataUri})` : ""}`,
          `  token            ${row.token === ETH ? "ETH" : row.token}`,
          `  admin            ${row.admin}${row.attributor ? `, attributor ${row.attributor}` : ""}`,
          `  duration         ${row.duration} s`,
          `  units            ${row.totalUnits} over ${row.contributionCount} contributions`,
          `  deposited        ${label(row.deposited, row.token)} in ${row.depositCount} deposits (fees ${label(row.fees, row.token)})`,
          `  claimed          ${label(row.claimed, row.token)} in ${row.claimCount} claims`,
          `  owed             ${label(row.liabilities, row.token)}`,
          `  stream           ${row.stream.streaming ? `streaming until ${date(row.stream.streamEnd)}` : "idle"} (as of ${date(row.stream.at)})`,
        ]);
      },
    );

  pool
    .command("list")
    .description("every pool, by id (indexer)")
    .option("--limit <n>", "pools per page, 1 to 100", "25")
    .option("--cursor <cursor>", "the next page's cursor, as printed by the previous page")
    .action(async (options: { limit: string; cursor?: string }, command: Command) => {
      const page = await api(command).getPools({ limit: Number(options.limit), cursor: options.cursor });
      const label = await tokenLabels(
        command,
        page.items.map((p) => p.token),
      );
      output(command, page, [
        ...(page.items.length === 0 ? ["no pools yet (tributary pool create opens one)"] : []),
        ...page.items.map(
          (p) =>
            `pool ${p.id}: ${p.token === ETH ? "ETH" : p.token}, ${p.contributionCount} contributions, deposited ${label(p.deposited, p.token)}, owed ${label(p.liabilities, p.token)}`,
        ),
        ...(page.nextCursor ? [`more: tributary pool list --cursor ${page.nextCursor}`] : []),
      ]);
    });

  const units = program.command("units").description("contributions' units in a pool (providers)");
  units
    .command("set")
    .description("set contributions' units from a CSV: contribution,units (a hash, file:<path>, or a prompt's text)")
    .argument("<pool-id>")
    .argument("<csv>", "a CSV file with the header contribution,units")
    .option("--batch-size <n>", "contributions per transaction, 1 to 512", "256")
    .action(async (id: string, file: string, options: { batchSize: string }, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const text = await readText(file, "the units file");
      const entries = await parseUnitsCsv({ text, source: file, baseDir: path.dirname(path.resolve(file)) });
      if (!/^\d{1,3}$/.test(options.batchSize)) {
        throw new InvalidInputError(
          "batch-size",
          `--batch-size "${options.batchSize}" is not a number`,
          "give 1 to 512",
        );
      }
      const result = await setUnits(await client(command, { signer: true }), {
        poolId,
        entries,
        batchSize: Number(options.batchSize),
      });
      output(command, { ...result, entries }, [
        `set the units of ${result.count} contributions in pool ${poolId} in ${result.transactions.length} transaction${result.transactions.length === 1 ? "" : "s"}`,
        ...result.transactions.map((t) => `  transaction ${t.transactionHash} in block ${t.blockNumber}`),
      ]);
    });

  const escrow = program
    .command("escrow")
    .description("royalties of hashes a pool gave units before anyone registered them (providers)");
  escrow
    .command("confirm")
    .description(
      "confirm, as the pool's admin, that an escrowed contribution's registered author is its true author, so that it can claim; check who they are first",
    )
    .argument("<pool-id>")
    .argument("<hash>", "the escrowed contribution's content hash")
    .argument("<author>", "the wallet you checked: the contribution's registered author")
    .action(async (id: string, hash: string, who: string, _options: object, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const contributionId = parseHash(hash, "hash");
      const author = parseAddress(who, "author");
      const result = await confirmAuthor(await client(command, { signer: true }), { poolId, contributionId, author });
      output(
        command,
        result,
        result.confirmed
          ? [
              `confirmed ${author} as the author of ${contributionId} in pool ${poolId} (the record of ${date(result.registeredAt)})`,
              `transaction ${result.transaction!.transactionHash}; the author may now claim its escrowed royalties`,
            ]
          : `${author}'s record of ${contributionId} is confirmed in pool ${poolId} already: nothing sent`,
      );
    });
  escrow
    .command("show")
    .description("a contribution's escrow in a pool and whether its author may claim it (node)")
    .argument("<pool-id>")
    .argument("<hash>", "the contribution's content hash")
    .action(async (id: string, hash: string, _options: object, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const contributionId = parseHash(hash, "hash");
      const tributary = await client(command, { signer: false });
      const state = await getEscrow(tributary, poolId, contributionId);
      const info = await getTokenInfo(tributary, (await getPool(tributary, poolId)).token);
      output(command, { ...state, symbol: info.symbol, decimals: info.decimals }, [
        `${contributionId} in pool ${poolId} (from the node)`,
        ...(state.escrowed
          ? escrowLines(state, "  ")
          : ["  escrow: none (registered when the pool gave it units, or never given any)"]),
        `  author     ${state.author ?? "not registered"}${state.registeredAt === null ? "" : `, record of ${date(state.registeredAt)}`}`,
        `  can claim  ${state.canClaim ? "yes" : "no"}; claimable ${formatAmount(state.claimable, info)}`,
      ]);
    });

  program
    .command("deposit")
    .description("pay revenue into a pool; it streams to the pool's contributions over the pool's duration")
    .argument("<pool-id>")
    .argument("<amount>", "in whole tokens, e.g. 1.5 (ETH, or the pool's ERC-20)")
    .option("--decimals <auto|n>", "the token's decimals for <amount>: auto reads them from the token", "auto")
    .action(async (id: string, amountText: string, options: { decimals: string }, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      let decimals: number | undefined;
      if (options.decimals !== "auto") {
        if (!/^\d{1,2}$/.test(options.decimals)) {
          throw new InvalidInputError(
            "decimals",
            `--decimals "${options.decimals}" is not a number of decimals`,
            "give auto, or 0 to 36",
          );
        }
        decimals = Number(options.decimals);
      }
      // A malformed amount fails before the key or the network is touched.
      if (decimals !== undefined) parseAmount(amountText, decimals);
      else parseAmount(amountText, 36);
      const tributary = await client(command, { signer: true });
      const state = await getPool(tributary, poolId);
      const info = await getTokenInfo(tributary, state.token);
      const amount = parseAmount(amountText, decimals ?? info.decimals);
      const result = await deposit(tributary, { poolId, amount });
      output(command, { ...result, amountFormatted: formatUnits(amount, info.decimals) }, [
        ...(result.approval
          ? [
              `approved the vault to take ${formatAmount(amount, info)} (transaction ${result.approval.transactionHash})`,
            ]
          : []),
        `deposited ${formatAmount(amount, info)} into pool ${poolId}; it streams over ${state.duration} s`,
        `transaction ${result.transactionHash} in block ${result.blockNumber}`,
      ]);
    });
}

export function vaultKeeperCommands(program: Command): void {
  program
    .command("claim-for")
    .description(
      "claim contributions' royalties for their authors, each author paid directly; anyone may, paying the gas",
    )
    .argument("<hashes...>", "the contributions' content hashes, any author's")
    .option(
      "--pool <id>",
      "a pool to claim from (repeatable; default: every pool the indexer says owes them)",
      collect,
      [],
    )
    .action(async (hashes: string[], options: { pool: string[] }, command: Command) => {
      const contributionIds = hashes.map((h) => parseHash(h, "hash"));
      const poolIds = await poolsToClaim(command, options.pool, contributionIds);
      const tributary = await client(command, { signer: true });
      const result = await claimFor(tributary, { poolIds, contributionIds });
      const label = await labelsFromChain(tributary, [...result.claimed, ...result.deferred]);
      output(command, result, [
        ...result.claimed.map(
          (c) =>
            `claimed ${label(c.amount, c.token)} for ${c.contributionId} from pool ${c.poolId}, paid to its author ${c.recipient}`,
        ),
        `transaction ${result.transactionHash}, sent and paid for by ${result.from}`,
        ...claimNotes(result, label),
      ]);
    });
}

function describeLedgerItem(ledger: PoolLedger, item: Record<string, string | number | boolean | null>): string {
  const where = `block ${item.blockNumber}`;
  if (ledger === "deposits") return `${item.depositor} deposited ${item.amountReceived} (fee ${item.fee}) in ${where}`;
  if (ledger === "claims")
    return `${item.author} claimed ${item.amount} for ${item.contributionId} to ${item.recipient} in ${where}`;
  return `${item.contributionId}: ${item.previousUnits} -> ${item.units} units (${item.change}) in ${where}`;
}

/** The exit code of `solvency` when the vault holds less of some token than it owes. */
export const EXIT_INSOLVENT = 3;

export function vaultAuditorCommands(program: Command): void {
  program
    .command("solvency")
    .description(
      `compare the vault's balance of each token with what it owes, recomputed from events (indexer); exits with ${EXIT_INSOLVENT} when it is short`,
    )
    .action(async (_options: object, command: Command) => {
      const report = await api(command).getSolvency();
      // The report is of one block, the API's indexed head: balances and liabilities alike.
      await warnIfApiLags(command, report.at.blockNumber);
      const label = await tokenLabels(
        command,
        report.tokens.map((t) => t.token),
      );
      output(command, report, [
        `vault ${report.vault} at block ${report.at.blockNumber}: ${report.solvent ? "SOLVENT" : "NOT SOLVENT"}`,
        ...(report.tokens.length === 0 ? ["  no deposits yet"] : []),
        ...report.tokens.map((t) =>
          t.balance === null
            ? `  ${t.token === ETH ? "ETH" : t.token}: owes ${label(t.liabilities, t.token)}; ${t.error ?? "balance unknown"}`
            : `  ${t.token === ETH ? "ETH" : t.token}: holds ${label(t.balance, t.token)}, owes ${label(t.liabilities, t.token)} (pools ${label(t.breakdown.pools, t.token)}, fees ${label(t.breakdown.feesOwed, t.token)}, deferred ${label(t.breakdown.deferredOwed, t.token)}): ${t.solvent ? "ok" : "SHORT"}`,
        ),
      ]);
      // The report is the answer either way; the exit code lets a script or a monitor act on it.
      if (!report.solvent) setExitCode(command, EXIT_INSOLVENT);
    });
}
