// The auditor's commands: contribution, author, contracts, root, pool show / list, solvency. They read the
// indexer's API (or, for a single record or pool, the chain itself with --chain).
import type { Command } from "commander";
import type { Address } from "viem";

import {
  ApiError,
  ETH,
  formatAmount,
  getPool,
  getRecord,
  getTokenInfo,
  InvalidInputError,
  parseAddress,
  parseHash,
  parsePoolId,
  type PoolLedger,
} from "../../sdk/node.ts";
import { api, client, config, group, output, setExitCode } from "../context.ts";
import { checksum, date, plural, tokenBook, type TokenBook } from "../format.ts";

/** The exit code of `solvency` when the vault holds less of some token than it owes. */
export const EXIT_INSOLVENT = 3;

export function auditorCommands(program: Command): void {
  program
    .command("contribution")
    .description("show a contribution: author, kind, date, consent, lineage (from the indexer; --chain reads the node)")
    .argument("<hash>", "the contribution's content hash")
    .option("--history", "also list every registration, consent change and transfer")
    .option("--chain", "read the record from the node instead of the indexer")
    .action(async (hash: string, options: { history?: boolean; chain?: boolean }, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      if (options.chain || config(command).apiUrl === undefined) {
        const record = await getRecord(await client(command, { signer: false }), contributionId);
        if (!record) {
          throw new ApiError(
            404,
            `no contribution registered with hash ${contributionId}`,
            "check the hash, or register it with tributary register",
          );
        }
        output(command, record, [
          `${record.contributionId}`,
          `  author    ${checksum(record.author)}${record.pendingAuthor ? ` (transfer pending to ${checksum(record.pendingAuthor)})` : ""}`,
          `  kind      ${record.kind}`,
          `  since     ${date(record.registeredAt)}`,
          `  consent   ${record.trainingConsent ? "yes" : "no"}`,
        ]);
        return;
      }
      const client_ = api(command);
      const record = await client_.getContribution(contributionId);
      const history = options.history ? await client_.getContributionHistory(contributionId) : undefined;
      const lines = [
        `${record.contributionId}`,
        `  author    ${checksum(record.author)}${record.pendingAuthor ? ` (transfer pending to ${checksum(record.pendingAuthor)})` : ""}`,
        `  kind      ${record.kind}`,
        `  since     ${date(record.registeredAt)} (block ${record.blockNumber}, transaction ${record.transactionHash})`,
        `  consent   ${record.trainingConsent ? "yes" : "no"}`,
        ...(record.uri ? [`  uri       ${record.uri}`] : []),
        `  parents   ${record.parentCount}${record.parents.map((p) => `\n    ${p.contributionId}`).join("")}`,
        `  children  ${record.childCount}${record.children.map((c) => `\n    ${c.contributionId}`).join("")}`,
      ];
      if (history) {
        lines.push(
          `  history   ${plural(history.registrations.length, "registration")}, ${plural(history.consent.length, "consent change")}, ${plural(history.transfers.length, "transfer step")}`,
        );
      }
      output(command, history ? { ...record, history } : record, lines);
    });

  program
    .command("author")
    .description("list an author's contributions (from the indexer)")
    .argument("<address>", "the author's wallet")
    .option("--limit <n>", "contributions per page, 1 to 100", "25")
    .option("--cursor <cursor>", "the next page's cursor, as printed by the previous page")
    .option("--all", "follow the cursor through every page")
    .action(async (address: string, options: { limit: string; cursor?: string; all?: boolean }, command: Command) => {
      const author = parseAddress(address, "address");
      const client_ = api(command);
      const page = options.all
        ? await client_.getAllAuthorContributions(author)
        : await client_.getAuthorContributions({ author, limit: Number(options.limit), cursor: options.cursor });
      output(command, page, [
        `${checksum(page.author)}: ${plural(page.total, "contribution")}`,
        ...page.items.map(
          (c) =>
            `  ${c.contributionId}  ${c.kind.padEnd(12)} ${date(c.registeredAt)}  consent ${c.trainingConsent ? "yes" : "no"}`,
        ),
        ...(page.nextCursor ? [`more: tributary author ${author} --cursor ${page.nextCursor}`] : []),
      ]);
    });

  program
    .command("contracts")
    .description("show who controls each contract: owner, pending owner, attesters, the vault's fee and pause")
    .action(async (_options: object, command: Command) => {
      const answer = await api(command).getContracts();
      const lines: string[] = [];
      for (const c of answer.contracts) {
        const [last] = c.ownershipHistory;
        lines.push(
          `${c.contract} ${checksum(c.address)}`,
          `  owner      ${checksum(c.owner)}${c.pendingOwner ? ` (transfer proposed to ${checksum(c.pendingOwner)})` : ""}`,
        );
        if (c.contract === "AuthorshipRegistry") {
          lines.push(
            `  attesters  ${c.approvedAttesters.length}${c.approvedAttestersTruncated ? "+" : ""}${c.approvedAttesters.map((a) => `\n    ${checksum(a)}`).join("")}`,
          );
        } else {
          lines.push(
            `  fee        ${c.feeBps} bps${c.feeBps > 0 ? ` to ${checksum(c.feeRecipient)}` : ""}`,
            `  paused     ${c.paused ? "yes: deposits and unit changes stopped, claims still work" : "no"}`,
          );
        }
        if (last) {
          const what = last.stage === "started" ? "proposed to" : "transferred to";
          lines.push(`  last       ownership ${what} ${checksum(last.newOwner)} in block ${last.blockNumber}`);
        }
      }
      output(command, answer, lines);
    });

  program
    .command("root")
    .description("show an anchored Merkle root: its attester, date and leaf file (from the indexer)")
    .argument("<root>", "the root")
    .action(async (root: string, _options: object, command: Command) => {
      const anchor = await api(command).getAnchor(parseHash(root, "root"));
      output(command, anchor, [
        `${anchor.root}`,
        `  attester  ${checksum(anchor.attester)}`,
        `  anchored  ${date(anchor.anchoredAt)} (block ${anchor.blockNumber})`,
        `  leaves    ${anchor.uri}`,
      ]);
    });

  const pool = group(program, "pool", "royalty pools: create (providers), show and list (auditors)");
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
            `  token            ${info.symbol}${state.token === ETH ? "" : ` ${checksum(state.token)}`}`,
            `  admin            ${checksum(state.admin)}${state.attributor ? `, attributor ${checksum(state.attributor)}` : ""}`,
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
          const [page, { token }] = await Promise.all([
            reader.getPoolLedger({
              poolId,
              ledger: options.ledger as PoolLedger,
              limit: Number(options.limit),
              cursor: options.cursor,
            }),
            reader.getPool(poolId),
          ]);
          const tokens = await tokenBook(command, [token]);
          output(command, page, [
            `pool ${poolId} ${options.ledger}: ${page.items.length} shown`,
            ...page.items.map((item) => `  ${describeLedgerItem(options.ledger as PoolLedger, item, token, tokens)}`),
            ...(page.nextCursor
              ? [`more: tributary pool show ${poolId} --ledger ${options.ledger} --cursor ${page.nextCursor}`]
              : []),
          ]);
          return;
        }
        const row = await reader.getPool(poolId);
        const tokens = await tokenBook(command, [row.token]);
        const amount = (n: string) => tokens.amount(n, row.token);
        output(command, row, [
          `pool ${row.poolId}${row.metadataUri ? ` (${row.metadataUri})` : ""}`,
          `  token            ${tokens.name(row.token)}${row.token === ETH ? "" : ` ${checksum(row.token)}`}`,
          `  admin            ${checksum(row.admin)}${row.attributor ? `, attributor ${checksum(row.attributor)}` : ""}`,
          `  duration         ${row.duration} s`,
          `  units            ${row.totalUnits} over ${plural(row.contributionCount, "contribution")}`,
          `  deposited        ${amount(row.deposited)} in ${plural(row.depositCount, "deposit")} (fees ${amount(row.fees)})`,
          `  claimed          ${amount(row.claimed)} in ${plural(row.claimCount, "claim")}`,
          `  owed             ${amount(row.liabilities)}`,
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
      const tokens = await tokenBook(
        command,
        page.items.map((p) => p.token),
      );
      output(command, page, [
        ...(page.items.length === 0 ? ["no pools yet (tributary pool create opens one)"] : []),
        ...page.items.map(
          (p) =>
            `pool ${p.poolId}: ${tokens.name(p.token)}, ${plural(p.contributionCount, "contribution")}, deposited ${tokens.amount(p.deposited, p.token)}, owed ${tokens.amount(p.liabilities, p.token)}`,
        ),
        ...(page.nextCursor ? [`more: tributary pool list --cursor ${page.nextCursor}`] : []),
      ]);
    });

  program
    .command("solvency")
    .description(
      `compare the vault's balance of each token with what it owes, recomputed from events (indexer); exits with ${EXIT_INSOLVENT} when it is short`,
    )
    .action(async (_options: object, command: Command) => {
      const report = await api(command).getSolvency();
      const tokens = await tokenBook(
        command,
        report.tokens.map((t) => t.token),
      );
      const label = (amount: string, token: Address) => tokens.amount(amount, token);
      output(command, report, [
        `vault ${checksum(report.vault)} at block ${report.at.blockNumber}: ${report.solvent ? "SOLVENT" : "NOT SOLVENT"}`,
        ...(report.tokens.length === 0 ? ["  no deposits yet"] : []),
        ...report.tokens.map((t) =>
          t.balance === null
            ? `  ${tokens.name(t.token)}: owes ${label(t.liabilities, t.token)}; ${t.error ?? "balance unknown"}`
            : `  ${tokens.name(t.token)}: holds ${label(t.balance, t.token)}, owes ${label(t.liabilities, t.token)} (pools ${label(t.breakdown.pools, t.token)}, fees ${label(t.breakdown.feesOwed, t.token)}, deferred ${label(t.breakdown.deferredOwed, t.token)}): ${t.solvent ? "ok" : "SHORT"}`,
        ),
      ]);
      // The report is the answer either way; the exit code lets a script or a monitor act on it.
      if (!report.solvent) setExitCode(command, EXIT_INSOLVENT);
    });
}

/** One event of a pool's ledger in words: amounts in whole tokens of the pool's `token`, addresses checksummed. */
function describeLedgerItem(
  ledger: PoolLedger,
  item: Record<string, string | number | boolean | null>,
  token: Address,
  tokens: TokenBook,
): string {
  const where = `block ${item.blockNumber}`;
  const amount = (value: unknown) => tokens.amount(String(value), token);
  const who = (value: unknown) => checksum(String(value));
  if (ledger === "deposits") {
    return `${who(item.depositor)} deposited ${amount(item.amountReceived)} (fee ${amount(item.fee)}) in ${where}`;
  }
  if (ledger === "claims") {
    return `${who(item.author)} claimed ${amount(item.amount)} for ${item.contributionId} to ${who(item.recipient)} in ${where}`;
  }
  return `${item.contributionId}: ${item.previousUnits} -> ${plural(String(item.units), "unit")} (${item.change}) in ${where}`;
}
