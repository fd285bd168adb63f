// `tributary`: the command line of the Tributary protocol, for contributors, model providers and auditors.
// Every failure ends in one line on stderr, `error: <what happened>; <what to do>`, and exit code 1 (2 for a
// usage error); nothing is sent on-chain when a command fails before its transaction. `solvency` exits with 3 when
// the vault it reports on cannot pay what it owes.
import { readFileSync } from "node:fs";
import path from "node:path";

import { Command, CommanderError, Option } from "commander";

import { oneLine, toTributaryError } from "../sdk/node.ts";
import { auditorCommands } from "./commands/auditor.ts";
import { contributorCommands } from "./commands/contributor.ts";
import { epochCommands } from "./commands/epoch.ts";
import { providerCommands } from "./commands/provider.ts";
import { relayerCommands } from "./commands/relayer.ts";
import { exitCode, warnIfApiLagged } from "./context.ts";
import { nonUtf8NameMessage } from "./files.ts";

const { version } = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package.json"), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command("tributary")
    .description("Register AI contributions on-chain, open royalty pools, and audit the ledger.")
    .version(version, "-V, --version")
    .option("--json", "print the result as JSON")
    .option("--rpc <url>", "the node's JSON-RPC URL (env TRIBUTARY_RPC_URL; default http://127.0.0.1:8545)")
    .option("--api <url>", "the indexer's API URL (env TRIBUTARY_API_URL)")
    .option("--chain-id <id>", "the chain you mean to use; refused if the node is on another (env TRIBUTARY_CHAIN_ID)")
    .option(
      "--keystore <file>",
      "encrypted JSON keystore to sign with (env TRIBUTARY_KEYSTORE; or TRIBUTARY_PRIVATE_KEY)",
    )
    .addOption(
      new Option("--deployments <folder>", "folder of deployments/<chainId>.json (env TRIBUTARY_DEPLOYMENTS_DIR)"),
    )
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .exitOverride();

  // One file per user, in the order of the help's groups. `pool` and `escrow` hold subcommands of two users each:
  // a group is listed where its first subcommand is added.
  program.commandsGroup("Contributor:");
  contributorCommands(program);
  program.commandsGroup("Model provider:");
  providerCommands(program);
  epochCommands(program);
  program.commandsGroup("Relayer, attester and keeper:");
  relayerCommands(program);
  program.commandsGroup("Auditor:");
  auditorCommands(program);

  // Usage errors are reported by main() on one line, with exit code 2.
  const silence = (command: Command) => {
    command.exitOverride().configureOutput({ outputError: () => {} });
    command.commands.forEach(silence);
  };
  silence(program);
  return program;
}

/**
 * The SDK's hints name its own parameters and actions in backticks (`amount`, `signCommitment`); at the terminal
 * they become the flag, variable or command that does the same. A name without a CLI counterpart loses its
 * backticks only.
 */
const CLI_WORDS: Record<string, string> = {
  // Parameters.
  admin: "--admin",
  amount: "<amount>",
  baseUrl: "--api (or TRIBUTARY_API_URL)",
  batchSize: "--batch-size",
  chainId: "--chain-id",
  challengeWindow: "--window",
  deadline: "--deadline",
  decimals: "--decimals",
  deploymentsDir: "--deployments",
  duration: "--duration",
  fastForward: "TRIBUTARY_FAST_FORWARD",
  fund: "--fund",
  keystore: "--keystore",
  leafFile: "--leaves",
  leaves: "--leaves",
  manifest: "--manifest",
  newAuthor: "<new-author>",
  parents: "--parent",
  password: "TRIBUTARY_KEYSTORE_PASSWORD (or the password typed)",
  proofs: "--leaves",
  reason: "--reason",
  reclaimDelay: "--reclaim-delay",
  rpcUrl: "--rpc",
  to: "--to",
  token: "--token",
  // Actions.
  canClaim: "tributary escrow show",
  commit: "tributary commit",
  confirmAuthor: "tributary escrow confirm",
  createKeystore: "tributary keystore create",
  getClaimable: "tributary earnings",
  getEscrow: "tributary escrow show",
  getPool: "tributary pool show",
  getRecord: "tributary contribution",
  hashDataset: "--dir",
  hashFile: "tributary hash --file",
  hashFileBytes: "--raw",
  hashText: "tributary hash",
  register: "tributary register",
  reveal: "tributary reveal",
  setAttester: "tributary attester approve",
  signCommitment: "tributary sign",
  signRegistration: "tributary sign --direct",
  transferAuthorship: "tributary transfer",
  withdrawDeferred: "tributary withdraw-deferred",
};

/** SDK phrases that name an action with its arguments, as the command a person types. */
const CLI_PHRASES: [RegExp, string][] = [
  [/`confirmAuthor` with pool (\d+), (0x[0-9a-fA-F]+), (0x[0-9a-fA-F]+)/g, "tributary escrow confirm $1 $2 $3"],
];

/** An SDK error's line in the CLI's words: every `name` the SDK's hint gives, as the CLI spells it. */
function inCliWords(message: string): string {
  const phrased = CLI_PHRASES.reduce((text, [pattern, command]) => text.replace(pattern, command), message);
  return phrased.replace(/`([^`]+)`/g, (_match, name: string) => CLI_WORDS[name] ?? name);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    await warnIfApiLagged(program);
    return exitCode(program);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) {
        return 0;
      }
      if (error.code === "commander.help") return 0;
      const message = oneLine(error.message.replace(/^error:\s*/i, ""));
      process.stderr.write(`error: ${message}; run tributary --help for usage\n`);
      return 2;
    }
    const failure = toTributaryError(error);
    process.stderr.write(`error: ${nonUtf8NameMessage(failure) ?? inCliWords(failure.message)}\n`);
    if (process.env.TRIBUTARY_DEBUG) console.error(error);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
