// The model provider's commands: pool create, units set, deposit, escrow confirm. Writes go through the SDK, which
// simulates each transaction and checks the account's balances before anything is sent.
import path from "node:path";

import type { Command } from "commander";
import { formatUnits } from "viem";

import {
  confirmAuthor,
  createPool,
  deposit,
  formatAmount,
  getPool,
  getTokenInfo,
  InvalidInputError,
  parseAddress,
  parseAmount,
  parseDuration,
  parseHash,
  parsePoolId,
  parseToken,
  parseUnitsCsv,
  setUnits,
  textFileHasher,
  type TransactionResult,
} from "../../sdk/node.ts";
import { client, globals, group, output } from "../context.ts";
import { readText } from "../files.ts";
import { checksum, date, plural } from "../format.ts";
import { changedEntries, MAX_UNITS_BATCH_SIZE, parseBatchSize } from "../units.ts";

export function providerCommands(program: Command): void {
  const pool = group(program, "pool", "royalty pools: create (providers), show and list (auditors)");
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
        `created pool ${result.poolId} in ${info.symbol} streaming each deposit over ${duration} s, admin ${checksum(result.admin)}`,
        `transaction ${result.transactionHash}; next: tributary units set ${result.poolId} units.csv`,
      ]);
    });

  const units = program.command("units").description("contributions' units in a pool (providers)");
  units
    .command("set")
    .description(
      "set contributions' units from a CSV: contribution,units (a hash, file:<path>, or a prompt's text); rows that change nothing are left out, so a re-run of an interrupted file sends only the rest",
    )
    .argument("<pool-id>")
    .argument("<csv>", "a CSV file with the header contribution,units")
    .option("--batch-size <n>", `contributions per transaction, 1 to ${MAX_UNITS_BATCH_SIZE}`, "256")
    .action(async (id: string, file: string, options: { batchSize: string }, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const batchSize = parseBatchSize(options.batchSize);
      const text = await readText(file, "the units file");
      const entries = await parseUnitsCsv({
        text,
        source: file,
        hashFile: textFileHasher(path.dirname(path.resolve(file))),
      });
      const tributary = await client(command, { signer: true });
      await getPool(tributary, poolId);
      const { changed, unchanged } = await changedEntries(tributary, poolId, entries, file);
      const batches = Math.ceil(changed.length / batchSize);
      const say = (line: string) => {
        if (!globals(command).json) process.stderr.write(`${line}\n`);
      };
      if (unchanged > 0) {
        say(
          `${plural(unchanged, "row")} of ${file} already hold their units in pool ${poolId}: left out; ${plural(changed.length, "row")} to send in ${plural(batches, "batch", "batches")}`,
        );
      }
      const transactions: TransactionResult[] = [];
      for (let i = 0, batch = 1; i < changed.length; i += batchSize, batch += 1) {
        const slice = changed.slice(i, i + batchSize);
        const result = await setUnits(tributary, { poolId, entries: slice, batchSize });
        transactions.push(...result.transactions);
        const [sent] = result.transactions;
        say(
          `batch ${batch}/${batches}: ${plural(slice.length, "contribution")} (rows ${i + 1} to ${i + slice.length} of ${changed.length}) in transaction ${sent!.transactionHash}, block ${sent!.blockNumber}`,
        );
      }
      output(command, { poolId, count: changed.length, unchanged, transactions, entries }, [
        changed.length === 0
          ? `nothing to send: all ${plural(entries.length, "row")} of ${file} already hold their units in pool ${poolId}`
          : `set the units of ${plural(changed.length, "contribution")} in pool ${poolId} in ${plural(transactions.length, "transaction")}${unchanged > 0 ? ` (${unchanged} unchanged, left out)` : ""}`,
        ...transactions.map((t) => `  transaction ${t.transactionHash} in block ${t.blockNumber}`),
      ]);
    });

  const escrow = group(
    program,
    "escrow",
    "royalties of hashes a pool gave units before anyone registered them: show (contributors), confirm (providers)",
  );
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
              `confirmed ${checksum(author)} as the author of ${contributionId} in pool ${poolId} (the record of ${date(result.registeredAt)})`,
              `transaction ${result.transaction!.transactionHash}; the author may now claim its escrowed royalties`,
            ]
          : `${author}'s record of ${contributionId} is confirmed in pool ${poolId} already: nothing sent`,
      );
    });

  program
    .command("deposit")
    .description("pay revenue into a pool; it streams to the pool's contributions over the pool's duration")
    .argument("<pool-id>")
    .argument("<amount>", "in whole tokens, e.g. 1.5 (ETH, or the pool's ERC-20)")
    .option(
      "--decimals <auto|n>",
      "the decimals you expect <amount> in: auto reads them from the token; a number that is not the token's is refused",
      "auto",
    )
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
      if (decimals !== undefined && decimals !== info.decimals) {
        throw new InvalidInputError(
          "decimals",
          `--decimals ${decimals} disagrees with ${info.symbol}'s own ${plural(info.decimals, "decimal")} (decimals() of ${checksum(state.token)})`,
          `leave out --decimals (the token's are read from it), or give --decimals ${info.decimals}`,
        );
      }
      const amount = parseAmount(amountText, info.decimals);
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
