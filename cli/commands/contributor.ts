// The contributor's commands: hash, register, commit / reveal, sign, transfer / accept, consent, keystore; and in
// the vault: earnings, claim, withdraw-deferred, escrow show. Writes go through the SDK, which simulates each
// transaction and checks the account's balances before anything is sent.
import { rm, writeFile } from "node:fs/promises";

import { Option, type Command } from "commander";
import { zeroAddress, type Address, type Hex } from "viem";

import {
  acceptAuthorship,
  claim,
  claimAll,
  getAuthors,
  commit,
  createKeystore,
  formatAmount,
  getEscrow,
  getPool,
  getTokenInfo,
  InvalidInputError,
  KeyError,
  loadAccount,
  parseAddress,
  parseDeadline,
  parseHash,
  parseKind,
  parsePoolId,
  parsePrivateKey,
  parseToken,
  parseYesNo,
  register,
  reveal,
  setTrainingConsent,
  signCommitment,
  signRegistration,
  transferAuthorship,
  waitUntilRevealable,
  withdrawDeferred,
  withdrawEpochDeferred,
  WrongNetworkError,
  type EscrowState,
  type Registration,
} from "../../sdk/node.ts";
import { claimNotes, claimSources, epochClaimNotes, fromIndexer } from "../claims.ts";
import { epochClaimsOf, epochEarnings, epochStanding, filesToClaim, leafFilesOf } from "../epochs.ts";
import { contentOptions, resolveContent, type ContentOptions } from "../content.ts";
import {
  api,
  askPassword,
  checkPrivateKeyEnv,
  client,
  config,
  globals,
  group,
  output,
  revealWait,
  toJson,
} from "../context.ts";
import { readJsonFile, writeNew } from "../files.ts";
import { checksum, collect, date, escrowLines, labelsFromChain, plural, tokenBook } from "../format.ts";

interface RegistrationOptions extends ContentOptions {
  consent: boolean;
  parent: string[];
  uri?: string;
}

function registrationOptions(command: Command): Command {
  return command
    .option("--no-consent", "withhold consent to training use (default: consent)")
    .option("--parent <hash>", "a registered contribution this one derives from (repeatable)", collect, [])
    .option("--uri <uri>", "where the contribution's metadata lives", "");
}

async function registrationFrom(command: Command, options: RegistrationOptions): Promise<Registration> {
  const content = await resolveContent(command, options);
  return {
    contributionId: content.contributionId,
    kind: content.kind,
    trainingConsent: options.consent,
    parents: options.parent.map((p) => parseHash(p, "--parent")),
    uri: options.uri ?? "",
  };
}

export function contributorCommands(program: Command): void {
  registryCommands(program);
  vaultCommands(program);
}

function registryCommands(program: Command): void {
  contentOptions(
    program
      .command("hash")
      .description("compute a contribution's content hash (nothing is sent)")
      .action(async (options: ContentOptions, command: Command) => {
        const content = await resolveContent(command, options);
        const { files, ...rest } = content;
        output(command, { ...rest, fileCount: files?.length }, content.contributionId);
      }),
  );

  const registerCommand = program
    .command("register")
    .description(
      "register a contribution with your key as its author: commit, wait 60 s of chain time, reveal (--direct: one transaction, for content already public)",
    )
    .option(
      "--direct",
      "register in one transaction: its pending transaction shows the hash, which anyone watching can copy and register first",
    )
    .action(async (options: RegistrationOptions & { direct?: boolean }, command: Command) => {
      const registration = await registrationFrom(command, options);
      const result = await register(await client(command, { signer: true }), {
        ...registration,
        direct: options.direct,
        wait: revealWait(command),
      });
      const { commit: committed, ...sent } = result;
      output(
        command,
        {
          ...registration,
          ...sent,
          commitment: committed?.commitment,
          commitTransaction: committed?.transaction,
        },
        [
          `registered ${result.contributionId} (${registration.kind}) to ${result.from}, dated ${date(result.registeredAt)}`,
          ...(committed
            ? [
                `  commit ${committed.transaction.transactionHash} in block ${committed.transaction.blockNumber}`,
                `  reveal ${result.transactionHash} in block ${result.blockNumber}`,
              ]
            : [`transaction ${result.transactionHash} in block ${result.blockNumber}`]),
        ],
      );
    });
  registrationOptions(contentOptions(registerCommand));

  const commitCommand = program
    .command("commit")
    .description("commit to a contribution without revealing it (reveal it after 60 s with tributary reveal)")
    .requiredOption("--out <file>", "where to write the commitment file (keep it secret until you reveal)")
    .action(async (options: RegistrationOptions & { out: string }, command: Command) => {
      const registration = await registrationFrom(command, options);
      const tributary = await client(command, { signer: true });
      // The file is reserved before sending, so a commitment is never made without its secret written down.
      await writeNew(options.out, "");
      const result = await commit(tributary, { registration }).catch(async (error: unknown) => {
        await rm(options.out, { force: true });
        throw error;
      });
      const file = { type: "tributary/commitment", version: 1, ...result };
      await writeFile(options.out, `${toJson(file)}\n`);
      output(command, { ...result, file: options.out }, [
        `committed ${result.commitment} for ${registration.contributionId}`,
        `reveal it from ${date(result.revealableAt)} with: tributary reveal ${options.out}`,
      ]);
    });
  registrationOptions(contentOptions(commitCommand));

  program
    .command("reveal")
    .description("reveal a commitment and register the contribution, dated at the commitment")
    .argument("<commitment-file>", "the file tributary commit wrote")
    .option("--wait", "wait until the reveal is allowed instead of failing when it is too early")
    .action(async (file: string, options: { wait?: boolean }, command: Command) => {
      const json = (await readJsonFile(file, "the commitment file")) as Record<string, unknown>;
      if (json.type !== "tributary/commitment") {
        throw new InvalidInputError(
          "commitment-file",
          `${file} is not a commitment file`,
          "give the file tributary commit wrote",
        );
      }
      const r = json.registration as Record<string, unknown>;
      const registration: Registration = {
        contributionId: parseHash(r.contributionId, "contributionId"),
        kind: parseKind(String(r.kind), "the commitment file's kind"),
        trainingConsent: r.trainingConsent !== false,
        parents: Array.isArray(r.parents) ? r.parents.map((p) => parseHash(p, "parent")) : [],
        uri: typeof r.uri === "string" ? r.uri : "",
      };
      const salt = parseHash(json.salt, "salt");
      const tributary = await client(command, { signer: true });
      if (Number(json.chainId) !== tributary.chainId) {
        throw new WrongNetworkError(
          `${file} commits on chain ${json.chainId}, and the node is on chain ${tributary.chainId}`,
          "reveal on the network you committed on",
        );
      }
      if (options.wait && typeof json.revealableAt === "number") {
        await waitUntilRevealable(tributary, json.revealableAt, revealWait(command));
      }
      const result = await reveal(tributary, { registration, salt });
      output(command, result, [
        `revealed and registered ${result.contributionId} to ${result.from}`,
        `transaction ${result.transactionHash} in block ${result.blockNumber}`,
      ]);
    });

  const signCommand = program
    .command("sign")
    .description(
      "sign a commitment to a registration (EIP-712) for a relayer to commit, then reveal, and pay for; nothing is sent",
    )
    .option("--deadline <when>", "until when the signature is valid: 1h, 7d, an ISO date or Unix seconds", "7d")
    .option("--out <file>", "write the signed file here (default: print it)")
    .option(
      "--direct",
      "sign the registration itself, relayed in one transaction (registerBySig): for content already public, its pending transaction shows the hash",
    )
    .action(
      async (options: RegistrationOptions & { deadline: string; out?: string; direct?: boolean }, command: Command) => {
        const registration = await registrationFrom(command, options);
        const deadline = parseDeadline(options.deadline);
        const tributary = await client(command, { signer: true });
        const signed = options.direct
          ? await signRegistration(tributary, { registration, deadline })
          : await signCommitment(tributary, { registration, deadline });
        const what = options.direct ? "the registration" : "a commitment to the registration";
        if (options.out) {
          await writeNew(options.out, `${toJson(signed)}\n`);
          output(command, { ...signed, file: options.out }, [
            `signed ${what} of ${registration.contributionId} by ${signed.author}`,
            `wrote ${options.out}${options.direct ? "" : " (it holds the salt: keep it private until it is relayed)"}; a relayer submits it with: tributary relay ${options.out}`,
          ]);
        } else {
          process.stdout.write(`${toJson(signed)}\n`);
        }
      },
    );
  registrationOptions(contentOptions(signCommand));

  program
    .command("transfer")
    .description("start transferring authorship of a contribution (the new author accepts with tributary accept)")
    .argument("<hash>", "the contribution's content hash")
    .argument("<new-author>", "the wallet that may accept it")
    .action(async (hash: string, newAuthor: string, _options: object, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      const to = parseAddress(newAuthor, "new-author");
      if (to === zeroAddress) {
        throw new InvalidInputError(
          "new-author",
          "new-author is the zero address, which nobody can accept from",
          "give the wallet that is to accept authorship",
        );
      }
      const result = await transferAuthorship(await client(command, { signer: true }), {
        contributionId,
        newAuthor: to,
      });
      output(command, { contributionId, pendingAuthor: to, ...result }, [
        `${to} may now accept authorship of ${contributionId} (tributary accept ${contributionId})`,
        `transaction ${result.transactionHash}`,
      ]);
    });

  program
    .command("accept")
    .description("accept authorship of a contribution transferred to you")
    .argument("<hash>", "the contribution's content hash")
    .action(async (hash: string, _options: object, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      const result = await acceptAuthorship(await client(command, { signer: true }), { contributionId });
      output(command, { contributionId, author: result.from, ...result }, [
        `${result.from} is now the author of ${contributionId}`,
        `transaction ${result.transactionHash}`,
      ]);
    });

  program
    .command("consent")
    .description("grant or revoke consent to training use of your contribution")
    .argument("<hash>", "the contribution's content hash")
    .argument("<yes|no>", "yes to consent, no to revoke")
    .action(async (hash: string, answer: string, _options: object, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      const trainingConsent = parseYesNo(answer, "consent");
      const result = await setTrainingConsent(await client(command, { signer: true }), {
        contributionId,
        trainingConsent,
      });
      output(command, { contributionId, trainingConsent, ...result }, [
        `${trainingConsent ? "granted" : "revoked"} consent to training use of ${contributionId}`,
        `transaction ${result.transactionHash}`,
      ]);
    });

  const keystore = program.command("keystore").description("manage encrypted key files");
  keystore
    .command("create")
    .description("encrypt a new random key (or TRIBUTARY_PRIVATE_KEY with --import-env) into a keystore file")
    .requiredOption("--out <file>", "where to write the keystore")
    .option("--import-env", "encrypt the key in TRIBUTARY_PRIVATE_KEY instead of a new one")
    .addOption(new Option("--scrypt-n <n>", "scrypt cost (tests only)").hideHelp().argParser(Number))
    .action(async (options: { out: string; importEnv?: boolean; scryptN?: number }, command: Command) => {
      let privateKey;
      if (options.importEnv) {
        if (!process.env.TRIBUTARY_PRIVATE_KEY) {
          throw new KeyError("TRIBUTARY_PRIVATE_KEY is not set", "set it, or leave out --import-env for a new key");
        }
        checkPrivateKeyEnv();
        privateKey = parsePrivateKey(process.env.TRIBUTARY_PRIVATE_KEY, "TRIBUTARY_PRIVATE_KEY");
      }
      let password = process.env.TRIBUTARY_KEYSTORE_PASSWORD;
      if (password === undefined) {
        password = await askPassword(options.out);
        const again = await askPassword(`${options.out} (again)`);
        if (again !== password) throw new KeyError("the two passwords differ", "run the command again");
      }
      const result = await createKeystore({ privateKey, password, file: options.out, scryptN: options.scryptN });
      output(command, result, `wrote ${result.file} for ${result.address}`);
    });
}

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

/** The pools whose payable epoch's leaf file the indexer does not hold: their amounts are not in its answer. */
function withoutFileLines(epochs: readonly { poolId: string; epochId: number }[]): string[] {
  return epochs.map(
    (e) =>
      `  epoch pool ${e.poolId} pays epoch ${e.epochId}, whose leaf file the indexer does not hold: not counted here (tributary earnings --leaves <file>)`,
  );
}

/** `earnings --leaves`: what the leaf files' epochs owe a contribution, or an author's contributions they name. */
async function epochEarningsCommand(command: Command, who: string | undefined, leaves: readonly string[]) {
  const tributary = await client(command, { signer: false });
  const read = await leafFilesOf(tributary, leaves);
  const isHash = who !== undefined && /^0x[0-9a-fA-F]{64}$/.test(who.trim());
  let ids: Hex[];
  let author: Address | undefined;
  if (isHash) ids = [parseHash(who, "hash")];
  else {
    author = who === undefined ? await ownAddress(command, "address") : parseAddress(who, "address");
    const named = [...new Set(read.files.flatMap((f) => [...f.leaves.keys()]))];
    const authors = await getAuthors(tributary, named);
    ids = named.filter((id) => authors.get(id)?.toLowerCase() === author!.toLowerCase());
  }
  const rows = await epochEarnings(tributary, read.files, ids);
  const label = await labelsFromChain(tributary, rows);
  const totals = new Map<Address, bigint>();
  for (const row of rows) totals.set(row.token, (totals.get(row.token) ?? 0n) + row.claimable);
  output(
    command,
    {
      author,
      contributionIds: ids,
      epochs: rows,
      totals: [...totals].map(([token, claimable]) => ({ token, claimable })),
    },
    [
      `${isHash ? ids[0] : `${author}: ${plural(ids.length, "contribution")} named`} in ${leaves.join(", ")} (from the node)`,
      ...(rows.length === 0 ? ["  no leaf in these files"] : []),
      ...rows.map(
        (r) =>
          `  epoch pool ${r.poolId}, epoch ${r.epochId}: ${r.contributionId} attributed ${label(r.cumulativeAmount, r.token)}, claimed ${label(r.claimed, r.token)}, claimable ${label(r.claimable, r.token)}${epochStanding(r)}`,
      ),
      ...[...totals].map(([token, claimable]) => `  total claimable ${label(claimable, token)}`),
      ...(rows.some((r) => r.claimable > 0n)
        ? [`claim with: tributary claim <hash...> ${leaves.map((l) => `--leaves ${l}`).join(" ")}`]
        : []),
    ],
  );
}

function vaultCommands(program: Command): void {
  program
    .command("earnings")
    .description("what an author's contributions (or one contribution) have earned, claimed and can claim (indexer)")
    .argument("[address-or-hash]", "an author's wallet or a contribution's hash (default: your key's address)")
    .option(
      "--leaves <file>",
      "an epoch's leaf file: what its leaves owe, held against the chain (repeatable; the vault's part needs --api)",
      collect,
      [],
    )
    .action(async (who: string | undefined, options: { leaves: string[] }, command: Command) => {
      if (options.leaves.length > 0) {
        await epochEarningsCommand(command, who, options.leaves);
        return;
      }
      if (config(command).apiUrl === undefined) {
        throw new InvalidInputError(
          "api",
          "no indexer API is configured to read earnings from",
          "give --api <url> (or set TRIBUTARY_API_URL), or --leaves <file> to read an epoch's leaf file against the node",
        );
      }
      const reader = api(command);
      if (who !== undefined && /^0x[0-9a-fA-F]{64}$/.test(who.trim())) {
        const earnings = await fromIndexer(() => reader.getContributionEarnings(parseHash(who, "hash")));
        const tokens = await tokenBook(command, [
          ...earnings.pools.map((p) => p.token),
          ...earnings.epochs.map((e) => e.token),
        ]);
        const label = tokens.amount;
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
            `  pool ${p.poolId}: ${plural(p.units, "unit")}${p.removedForConsent ? " (removed: consent revoked)" : ""}, accrued ${label(p.accrued, p.token)}, claimed ${label(p.claimed, p.token)}, claimable ${label(p.claimable, p.token)}`,
            ...escrowLines(escrows.get(p.poolId), "    "),
          ]),
          ...earnings.epochs.map(
            (e) =>
              `  epoch pool ${e.poolId}, epoch ${e.epochId}: attributed ${label(e.cumulativeAmount, e.token)}, claimed ${label(e.claimed, e.token)}, claimable ${label(e.claimable, e.token)}${epochStanding(e)}`,
          ),
          ...withoutFileLines(earnings.epochsWithoutFile),
          ...(earnings.pools.some((p) => p.claimable !== "0") || earnings.epochs.some((e) => e.claimable !== "0")
            ? [`claim with: tributary claim ${earnings.contributionId}`]
            : []),
        ]);
        return;
      }
      const author = who === undefined ? await ownAddress(command, "address") : parseAddress(who, "address");
      const earnings = await fromIndexer(() => reader.getAuthorEarnings(author));
      const tokens = await tokenBook(command, [
        ...earnings.pools.map((p) => p.token),
        ...earnings.epochs.map((e) => e.token),
      ]);
      const label = tokens.amount;
      output(command, earnings, [
        `${checksum(earnings.author)}: ${plural(earnings.contributions, "contribution")}, as of block ${earnings.atBlock} (${date(earnings.at)})`,
        ...(earnings.pools.length === 0 ? ["  no units in any pool yet"] : []),
        ...earnings.pools.map(
          (p) =>
            `  pool ${p.poolId}: ${plural(p.contributions, "contribution")}, accrued ${label(p.accrued, p.token)}, claimed ${label(p.claimed, p.token)}, claimable ${label(p.claimable, p.token)}`,
        ),
        ...earnings.epochs.map(
          (e) =>
            `  epoch pool ${e.poolId}, epoch ${e.epochId}: ${plural(e.contributions, "contribution")}, attributed ${label(e.cumulativeAmount, e.token)}, claimed ${label(e.claimed, e.token)}, claimable ${label(e.claimable, e.token)}${epochStanding(e)}`,
        ),
        ...withoutFileLines(earnings.epochsWithoutFile),
        ...earnings.tokens.map((t) => `  total claimable from vault pools ${label(t.claimable, t.token)}`),
        ...earnings.epochTokens.map(
          (t) =>
            `  total claimable from epoch pools ${label(t.claimable, t.token)}${t.pending !== "0" ? ` (${label(t.pending, t.token)} more once a window ends)` : ""}`,
        ),
        ...(earnings.pools.some((p) => p.claimable !== "0") || earnings.epochs.some((e) => e.claimable !== "0")
          ? ["claim with: tributary claim <hash...> (tributary author lists your hashes)"]
          : []),
      ]);
    });

  program
    .command("claim")
    .description(
      "claim the royalties of your contributions, across vault pools and epoch pools, in one transaction (proofs from the indexer, or --leaves offline)",
    )
    .argument("<hashes...>", "the contributions' content hashes")
    .option(
      "--pool <id>",
      "a vault pool to claim from (repeatable; default without --leaves: every pool the indexer says owes them)",
      collect,
      [],
    )
    .option(
      "--leaves <file>",
      "an epoch's leaf file: claim its leaves of these contributions from it, offline (repeatable; default: the indexer's stored files)",
      collect,
      [],
    )
    .option("--to <address>", "pay this wallet instead of yours (the epoch part; vault royalties pay you)")
    .action(async (hashes: string[], options: { pool: string[]; leaves: string[]; to?: string }, command: Command) => {
      const contributionIds = hashes.map((h) => parseHash(h, "hash"));
      const to = options.to === undefined ? undefined : parseAddress(options.to, "--to");
      const tributary = await client(command, { signer: true });
      const { epochClaims, proofs, vaultPoolIds } = await claimSources(command, tributary, options, contributionIds);
      if (epochClaims.length > 0) {
        const result = await claimAll(tributary, {
          epochClaims,
          proofs,
          vaultPoolIds,
          vaultContributionIds: vaultPoolIds.length > 0 ? contributionIds : [],
          to,
        });
        const label = await labelsFromChain(tributary, [
          ...result.claimed,
          ...result.deferred,
          ...result.vault.claimed,
          ...result.vault.deferred,
        ]);
        output(command, result, [
          ...result.claimed.map(
            (c) =>
              `claimed ${label(c.amount, c.token)} for ${c.contributionId} from epoch ${c.epochId} of epoch pool ${c.poolId}`,
          ),
          ...result.vault.claimed.map(
            (c) => `claimed ${label(c.amount, c.token)} for ${c.contributionId} from vault pool ${c.poolId}`,
          ),
          `paid to ${result.to}${result.vault.claimed.length > 0 ? ` (vault royalties to their author ${result.from})` : ""} in one transaction ${result.transactionHash}`,
          ...epochClaimNotes(result, label),
          ...claimNotes(result.vault, label),
        ]);
        return;
      }
      const result = await claim(tributary, { poolIds: vaultPoolIds, contributionIds, to });
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
      "withdraw your deferred payouts of a token: claims whose transfer to you failed, credited in the vault (--epochs: in the epochs contract)",
    )
    .option("--token <eth|address>", "ETH, or an ERC-20's address", "eth")
    .option("--to <address>", "pay this wallet instead of yours")
    .option("--epochs", "withdraw what epoch pools deferred instead of the vault's")
    .action(async (options: { token: string; to?: string; epochs?: boolean }, command: Command) => {
      const token = parseToken(options.token, "--token");
      const to = options.to === undefined ? undefined : parseAddress(options.to, "--to");
      const tributary = await client(command, { signer: true });
      const result = options.epochs
        ? await withdrawEpochDeferred(tributary, { token, to })
        : await withdrawDeferred(tributary, { token, to });
      const label = await labelsFromChain(tributary, [result]);
      output(command, result, [
        `withdrew ${label(result.amount, token)} of deferred payouts to ${result.to}`,
        `  deferred to ${result.account}: ${label(result.deferredBefore, token)} before, ${label(result.deferredAfter, token)} now`,
        `transaction ${result.transactionHash} in block ${result.blockNumber}`,
      ]);
    });

  const escrow = group(
    program,
    "escrow",
    "royalties of hashes a pool gave units before anyone registered them: show (contributors), confirm (providers)",
  );
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
}
