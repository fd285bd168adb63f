// The provider's epoch commands: `epoch build` turns a usage log (or an attribution method's scores) into a leaf file
// and the manifest to publish; `epoch proof` cuts a claim's proof from a leaf file, offline. docs/epoch-files.md
// says what each file holds.
import { existsSync } from "node:fs";

import type { Command } from "commander";
import type { Hex } from "viem";
import { getBlockNumber } from "viem/actions";

import { FileError, InvalidInputError, parseAddress, parseAmount, parseHash, parsePoolId } from "../../sdk/node.ts";
import { buildEpoch, MAX_UINT32, readRevokedConsent, type AttributionInput } from "../../sdk/epochs/index.ts";
import {
  getProofFromFile,
  methodSourceBytes,
  readAttributionFile,
  readPreviousEpoch,
  writeLeafFile,
} from "../../sdk/epochs/files.ts";
import { globals, network, output } from "../context.ts";
import { epochAuditCommands } from "./epochAudit.ts";

interface BuildOptions {
  usage?: string;
  scores?: string;
  amount: string;
  previous?: string;
  pool: string;
  epoch: string;
  contract: string;
  snapshotBlock?: string;
  modelHash?: string;
  uri: string;
  out: string;
  progress?: boolean;
}

function parseEpochId(value: string, parameter: string): number {
  const text = value.trim();
  if (!/^[1-9]\d{0,9}$/.test(text) || Number(text) > MAX_UINT32) {
    throw new InvalidInputError(parameter, `${parameter} "${value}" is not an epoch`, "epochs count from 1 per pool");
  }
  return Number(text);
}

function parseBlock(value: string, parameter: string): bigint {
  const text = value.trim();
  if (!/^(0|[1-9]\d{0,19})$/.test(text) || BigInt(text) >= 2n ** 64n) {
    throw new InvalidInputError(parameter, `${parameter} "${value}" is not a block number`, "give a whole number");
  }
  return BigInt(text);
}

/** Progress on stderr: on a terminal, or everywhere with --progress; never with --json unless asked. */
function progress(command: Command, asked: boolean | undefined) {
  const on = asked === true || (!globals(command).json && process.stderr.isTTY);
  const terminal = process.stderr.isTTY;
  let last = 0;
  return (line: string, force = false) => {
    if (!on) return;
    const now = Date.now();
    if (!force && now - last < 250) return;
    last = now;
    process.stderr.write(terminal ? `\r\u001b[2K${line}${force ? "\n" : ""}` : `${line}\n`);
  };
}

export function epochCommands(program: Command): void {
  const epoch = program
    .command("epoch")
    .description("attribution epochs: build a leaf file and manifest from usage (providers), proofs (contributors)");
  epochAuditCommands(epoch);

  epoch
    .command("build")
    .description("share an epoch's amount by usage (usage-share-v1) and write its leaf file; prints the manifest")
    .option("--usage <log>", "the usage log: JSON Lines of {contributionId|text|file, weight, time}")
    .option("--scores <file>", "instead of --usage: an attribution method's JSON Lines of {contributionId, score}")
    .requiredOption("--amount <n>", "what the epoch attributes, after the protocol fee, in the token's smallest unit")
    .option("--previous <leaf file>", "the previous epoch's leaf file, whose cumulative amounts this one extends")
    .requiredOption("--pool <id>", "the epoch pool's id")
    .requiredOption("--epoch <n>", "this epoch's number in the pool")
    .requiredOption("--contract <address>", "the AttributionEpochs contract's address")
    .option("--snapshot-block <n>", "the registry block consent is read at (default: the latest)")
    .option("--model-hash <hash>", "the model version's hash for the manifest (default: zero)")
    .option("--uri <uri>", "where the leaf file will be published, for the manifest", "")
    .requiredOption("--out <file>", "where to write the leaf file (never overwritten)")
    .option("--progress", "print progress lines on stderr even when it is not a terminal")
    .action(async (options: BuildOptions, command: Command) => {
      // Checks first: nothing is read from the chain and nothing is written while an input is malformed.
      if ((options.usage === undefined) === (options.scores === undefined)) {
        throw new InvalidInputError("--usage", "give exactly one of --usage and --scores", "name the usage log");
      }
      const input: AttributionInput = options.usage !== undefined ? "usage" : "scores";
      const file = (options.usage ?? options.scores)!;
      const amount = parseAmount(options.amount, 0, "--amount");
      const poolId = parsePoolId(options.pool, "--pool");
      const epochId = parseEpochId(options.epoch, "--epoch");
      const contract = parseAddress(options.contract, "--contract");
      const snapshot =
        options.snapshotBlock === undefined ? undefined : parseBlock(options.snapshotBlock, "--snapshot-block");
      const modelHash = options.modelHash === undefined ? undefined : parseHash(options.modelHash, "--model-hash");
      if (existsSync(options.out)) {
        throw new FileError(
          options.out,
          `${options.out} already exists`,
          "choose another --out path: a leaf file is never overwritten",
        );
      }
      const say = progress(command, options.progress);
      const attribution = await readAttributionFile({
        file,
        input,
        onProgress: ({ lines, bytes }) =>
          say(`reading ${file}: ${lines.toLocaleString("en-US")} lines, ${(bytes / 1e6).toFixed(1)} MB`),
      });
      say(
        `read ${file}: ${attribution.lines.toLocaleString("en-US")} lines, ${attribution.weights.size.toLocaleString("en-US")} contributions`,
        true,
      );
      const previous = options.previous === undefined ? undefined : await readPreviousEpoch(options.previous);
      if (previous === undefined && epochId > 1) {
        process.stderr.write(
          `warning: epoch ${epochId} has no --previous leaf file: its cumulative amounts start from zero\n`,
        );
      }

      const { publicClient, chainId, registry } = await network(command);
      const latest = await getBlockNumber(publicClient);
      const snapshotBlock = snapshot ?? latest;
      if (snapshotBlock > latest) {
        throw new InvalidInputError(
          "--snapshot-block",
          `the snapshot block ${snapshotBlock} is after the latest block ${latest}`,
          "give a block the chain has mined",
        );
      }
      const ids = [...attribution.weights.keys()];
      const revoked = await readRevokedConsent({
        publicClient,
        registry,
        contributionIds: ids,
        blockNumber: snapshotBlock,
        onProgress: ({ read, total }) => say(`reading consent at block ${snapshotBlock}: ${read}/${total}`),
      });
      say(`read consent at block ${snapshotBlock}: ${revoked.size} revoked`, true);

      const result = buildEpoch({
        domain: { chainId, contract, poolId },
        epochId,
        amount,
        attribution,
        previous,
        snapshotBlock,
        isEligible: (id: Hex) => !revoked.has(id),
        methodSource: await methodSourceBytes(),
        modelHash,
        leafFileUri: options.uri,
        onStage: (stage) => say(`building: ${stage}`, true),
      });
      await writeLeafFile(options.out, result.leafFile);
      const { manifest, header } = result;
      output(
        command,
        {
          manifest,
          chainId,
          contract,
          poolId,
          epochId,
          count: header.count,
          out: options.out,
          input,
          lines: attribution.lines,
          attributed: result.attributed,
          excluded: result.excluded,
          zeroShare: result.zeroShare,
          carried: result.carried,
        },
        [
          `wrote ${options.out}: epoch ${epochId} of pool ${poolId}, ${header.count} leaves, total ${manifest.total}`,
          `  ${result.attributed} contributions attributed, ${result.excluded} left out (consent revoked at block ${snapshotBlock}), ${result.zeroShare} rounded to zero, ${result.carried} carried from epoch ${manifest.previousEpoch}`,
          `  root           ${manifest.root}`,
          `  total          ${manifest.total}`,
          `  methodId       ${manifest.methodId} (usage-share-v1)`,
          `  methodHash     ${manifest.methodHash}`,
          `  modelHash      ${manifest.modelHash}`,
          `  snapshotBlock  ${manifest.snapshotBlock}`,
          `  eligibleHash   ${manifest.eligibleHash}`,
          `  usageLogHash   ${manifest.usageLogHash}`,
          `  leafFileHash   ${manifest.leafFileHash}`,
          `  leafFileUri    ${manifest.leafFileUri || "(none)"}`,
          `  previousEpoch  ${manifest.previousEpoch}`,
        ],
      );
    });

  epoch
    .command("proof")
    .description("a contribution's cumulative amount, first epoch and proof from a leaf file (offline)")
    .requiredOption("--leaves <file>", "the epoch's leaf file")
    .argument("<contributionId>")
    .action(async (id: string, options: { leaves: string }, command: Command) => {
      const contributionId = parseHash(id, "contributionId");
      const result = await getProofFromFile(options.leaves, contributionId);
      const { header } = result;
      output(
        command,
        {
          contributionId,
          cumulativeAmount: result.cumulativeAmount,
          firstEpoch: result.firstEpoch,
          proof: result.proof,
          root: result.root,
          chainId: header.chainId,
          contract: header.contract,
          poolId: header.poolId,
          epochId: header.epochId,
          leafFileHash: result.leafFileHash,
        },
        [
          `${contributionId} in epoch ${header.epochId} of pool ${header.poolId} (contract ${header.contract}, chain ${header.chainId})`,
          `  cumulativeAmount  ${result.cumulativeAmount}`,
          `  firstEpoch        ${result.firstEpoch}`,
          `  root              ${result.root}`,
          `  proof             ${result.proof.length === 0 ? "(empty: the only leaf)" : result.proof.join(",")}`,
        ],
      );
    });
}
