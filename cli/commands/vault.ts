// The RoyaltyVault's commands. The vault contract is being built in parallel (issue 5); until its interface is
// committed, deployed and exported to abis/, these commands are declared with their final names and arguments and
// answer with one line saying the vault is not available yet. Nothing is ever sent by them.
import type { Command } from "commander";

import { TributaryError } from "../../sdk/index.ts";

export class VaultUnavailableError extends TributaryError {
  constructor(command: string) {
    super(
      "VAULT_UNAVAILABLE",
      `tributary ${command} needs the RoyaltyVault, which this version of the CLI does not support yet`,
      "use the registry commands for now (tributary --help lists them)",
    );
    this.name = "VaultUnavailableError";
  }
}

const unavailable = (name: string) => () => {
  throw new VaultUnavailableError(name);
};

export function vaultContributorCommands(program: Command): void {
  program
    .command("earnings")
    .description("[vault, not yet available] what your contributions have earned and can claim")
    .argument("[address]", "the author (default: your key's address)")
    .action(unavailable("earnings"));
  program
    .command("claim")
    .description("[vault, not yet available] claim royalties of your contributions")
    .option("--to <address>", "send them to this wallet")
    .action(unavailable("claim"));
}

export function vaultProviderCommands(program: Command): void {
  const pool = program.command("pool").description("royalty pools [vault, not yet available]");
  pool
    .command("create")
    .description("[vault, not yet available] open a royalty pool")
    .option("--token <address>", "an ERC-20 (default: ETH)")
    .option("--duration <seconds>", "how long each deposit streams")
    .option("--uri <uri>", "the pool's metadata")
    .action(unavailable("pool create"));
  pool
    .command("show")
    .description("[vault, not yet available] show a pool (the auditor's view)")
    .argument("<pool-id>")
    .action(unavailable("pool show"));
  const units = program.command("units").description("contribution units [vault, not yet available]");
  units
    .command("set")
    .description("[vault, not yet available] set units from a CSV (contentHash,units)")
    .argument("<pool-id>")
    .argument("<csv>")
    .action(unavailable("units set"));
  program
    .command("deposit")
    .description("[vault, not yet available] pay revenue into a pool")
    .argument("<pool-id>")
    .argument("<amount>")
    .action(unavailable("deposit"));
  program
    .command("solvency")
    .description("[vault, not yet available] compare the vault's balances with what it owes (from the indexer)")
    .action(unavailable("solvency"));
}
