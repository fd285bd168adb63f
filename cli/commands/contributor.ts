// The contributor's commands: hash, register, commit / reveal, sign, transfer / accept, consent, keystore.
import { readFile, rm, writeFile } from "node:fs/promises";

import { Option, type Command } from "commander";

import {
  acceptAuthorship,
  commit,
  createKeystore,
  FileError,
  InvalidInputError,
  KeyError,
  parseAddress,
  parseDeadline,
  parseHash,
  parseKind,
  parsePrivateKey,
  parseYesNo,
  register,
  reveal,
  setTrainingConsent,
  signCommitment,
  signRegistration,
  transferAuthorship,
  waitUntilRevealable,
  WrongNetworkError,
  type Registration,
} from "../../sdk/index.ts";
import { contentOptions, resolveContent, type ContentOptions } from "../content.ts";
import { askPassword, client, output, revealWait, toJson } from "../context.ts";

const collect = (value: string, previous: string[]) => [...previous, value];
const date = (seconds: number) => new Date(seconds * 1000).toISOString();

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

/** Writes a new file readable by its owner only; never overwrites. */
async function writeNew(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, { flag: "wx", mode: 0o600 });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
    throw new FileError(
      file,
      exists ? `${file} already exists` : `cannot write ${file}`,
      exists ? "choose another --out path" : "check the folder",
    );
  }
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new FileError(file, `cannot read ${what} ${file}`, "check the path");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new FileError(file, `${file} is not JSON`, `give ${what} written by tributary`);
  }
}

export function contributorCommands(program: Command): void {
  contentOptions(
    program
      .command("hash")
      .description("compute a contribution's content hash (nothing is sent)")
      .action(async (options: ContentOptions, command: Command) => {
        const content = await resolveContent(command, options);
        const { files, ...rest } = content;
        output(command, { ...rest, fileCount: files?.length }, content.contributionId);
      }),
    { allowHash: false },
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
  registrationOptions(contentOptions(registerCommand, { allowHash: true }));

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
  registrationOptions(contentOptions(commitCommand, { allowHash: true }));

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
        kind: parseKind(String(r.kind)),
        trainingConsent: r.trainingConsent !== false,
        parents: Array.isArray(r.parents) ? r.parents.map((p) => parseHash(p, "parent")) : [],
        uri: typeof r.uri === "string" ? r.uri : "",
      };
      const salt = parseHash(json.salt, "salt");
      const tributary = await client(command, { signer: true });
      if (Number(json.chainId) !== tributary.network.chainId) {
        throw new WrongNetworkError(
          `${file} commits on chain ${json.chainId}, and the node is on chain ${tributary.network.chainId}`,
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
  registrationOptions(contentOptions(signCommand, { allowHash: true }));

  program
    .command("transfer")
    .description("start transferring authorship of a contribution (the new author accepts with tributary accept)")
    .argument("<hash>", "the contribution's content hash")
    .argument("<new-author>", "the wallet that may accept it")
    .action(async (hash: string, newAuthor: string, _options: object, command: Command) => {
      const contributionId = parseHash(hash, "hash");
      const to = parseAddress(newAuthor, "new-author");
      const result = await transferAuthorship(await client(command, { signer: true }), { contributionId, newAuthor: to });
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
