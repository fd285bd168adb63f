// The epoch commands: `epoch pool create/show` opens and reads an epoch pool; `epoch build` turns a usage log (or an
// attribution method's scores) into a leaf file and the manifest to publish; `epoch publish` funds the pool when
// asked and publishes that manifest after checking it against the leaf file and the pool; `epoch show` says where
// an epoch stands; `epoch veto` is the challenger's; `epoch proof` cuts a claim's proof from a leaf file, offline.
// docs/epoch-files.md says what each file holds; contributors claim through `claim --leaves`.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";

import type { Command } from "commander";
import type { Hex } from "viem";
import { getBlockNumber } from "viem/actions";

import {
  chainTime,
  contractError,
  createEpochPool,
  FileError,
  formatAmount,
  fundEpochPool,
  getEpoch,
  getEpochPool,
  getEpochPublication,
  getTokenInfo,
  InvalidInputError,
  oneLine,
  parseAddress,
  parseAmount,
  parseDuration,
  parseHash,
  parsePoolId,
  parseToken,
  publishEpoch,
  requireEpochs,
  toTributaryError,
  vetoEpoch,
} from "../../sdk/node.ts";
import {
  buildEpoch,
  formatManifestFile,
  MAX_UINT32,
  parseManifestFile,
  readLeafFile,
  readRevokedConsent,
  USAGE_SHARE_V1_ID,
  type AttributionInput,
} from "../../sdk/epochs/index.ts";
import {
  getProofFromFile,
  methodSourceBytes,
  readAttributionFile,
  readPreviousEpoch,
  writeLeafFile,
} from "../../sdk/epochs/files.ts";
import { api, client, config, globals, network, output } from "../context.ts";
import { readBytes } from "../epochs.ts";
import { date } from "../format.ts";
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
  manifest?: string;
  progress?: boolean;
}

/**
 * After a publication, hands the leaf file to the configured indexer, which keeps it once it reproduces the
 * published root and leaf-file hash, so that claims need no local file. Undefined without an API; a refusal or an
 * indexer that does not answer is reported, never fatal: the epoch is published either way.
 */
async function handToIndexer(command: Command, poolId: bigint, epochId: number, bytes: Uint8Array) {
  if (config(command).apiUrl === undefined) return undefined;
  const reader = api(command);
  try {
    const stored = await reader.uploadLeafFile(poolId, epochId, bytes);
    return {
      result: { stored: true as const, leafCount: stored.leafCount, root: stored.root },
      line: `  the indexer at ${reader.baseUrl} keeps its leaf file (${stored.leafCount} leaves): claims need no --leaves`,
    };
  } catch (error) {
    const problem = oneLine(toTributaryError(error).shortMessage);
    return {
      result: { stored: false as const, error: problem },
      line: `  the indexer at ${reader.baseUrl} did not take its leaf file (${problem}): upload it again with POST /epochs/${poolId}/${epochId}/leaves, or claims need --leaves`,
    };
  }
}

/** Where `epoch build` writes the manifest of the leaf file `out` unless told, and where `epoch publish` looks. */
export const manifestPathOf = (leafFile: string) => `${leafFile}.manifest.json`;

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
    .description(
      "attribution epochs: pools, build, publish and veto (providers, challengers), show, proofs, verify and watch (everyone)",
    );
  poolCommands(epoch);
  chainCommands(epoch);
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
    .option("--manifest <file>", "where to write the manifest to publish (default: <out>.manifest.json)")
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
      const manifestFile = options.manifest ?? manifestPathOf(options.out);
      for (const [file, flag] of [
        [options.out, "--out"],
        [manifestFile, "--manifest"],
      ] as const) {
        if (existsSync(file)) {
          throw new FileError(
            file,
            `${file} already exists`,
            `choose another ${flag} path: an epoch's files are never overwritten`,
          );
        }
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
      const latest = await getBlockNumber(publicClient, { cacheTime: 0 });
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
      const { manifest, header } = result;
      await writeLeafFile(options.out, result.leafFile);
      await writeLeafFile(
        manifestFile,
        new TextEncoder().encode(formatManifestFile({ chainId, contract, poolId, epochId, manifest })),
      ).catch(async (error: unknown) => {
        // Both files or neither: a leaf file without its manifest could not be published.
        await rm(options.out, { force: true });
        throw error;
      });
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
          manifestFile,
          input,
          lines: attribution.lines,
          attributed: result.attributed,
          excluded: result.excluded,
          zeroShare: result.zeroShare,
          carried: result.carried,
        },
        [
          `wrote ${options.out}: epoch ${epochId} of pool ${poolId}, ${header.count} leaves, total ${manifest.total}`,
          `wrote ${manifestFile}: the manifest to publish (tributary epoch publish ${poolId} --leaves ${options.out})`,
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

/** Seconds as people read them: "3 d 4 h", "59 min 3 s". */
export function span(seconds: number): string {
  if (seconds <= 0) return "0 s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    if (n > 0) parts.push(`${n} ${unit}`);
  }
  return parts.slice(0, 2).join(" ");
}

function poolCommands(epoch: Command): void {
  const pool = epoch.command("pool").description("epoch pools: create (providers), show (everyone)");
  pool
    .command("create")
    .description("open an epoch pool: a token, who publishes roots, who may veto them, and the window between")
    .option("--token <eth|address>", "ETH, or an ERC-20's address", "eth")
    .option("--publisher <address>", "the wallet that publishes roots (default: your key's address)")
    .requiredOption("--challenger <address>", "the wallet that may veto a root in its challenge window")
    .requiredOption("--window <time>", "how long a root waits before it pays: 1h to 30d, e.g. 3600, 6h, 3d")
    .option(
      "--reclaim-delay <time>",
      "never (default), or how long after the last epoch the admin may take back what is unclaimed: 90d to 3650d",
      "never",
    )
    .option("--uri <uri>", "where the pool's metadata lives (model, terms)", "")
    .option("--admin <address>", "the pool's admin (default: your key's address)")
    .action(
      async (
        options: {
          token: string;
          publisher?: string;
          challenger: string;
          window: string;
          reclaimDelay: string;
          uri: string;
          admin?: string;
        },
        command: Command,
      ) => {
        const token = parseToken(options.token, "--token");
        const challengeWindow = parseDuration(options.window, "--window");
        const reclaimDelay =
          options.reclaimDelay.trim() === "never" ? 0 : parseDuration(options.reclaimDelay, "--reclaim-delay");
        const challenger = parseAddress(options.challenger, "--challenger");
        const publisher = options.publisher === undefined ? undefined : parseAddress(options.publisher, "--publisher");
        const admin = options.admin === undefined ? undefined : parseAddress(options.admin, "--admin");
        const tributary = await client(command, { signer: true });
        const info = await getTokenInfo(tributary, token);
        const result = await createEpochPool(tributary, {
          token,
          publisher,
          challenger,
          admin,
          challengeWindow,
          reclaimDelay,
          metadataUri: options.uri,
        });
        output(command, { ...result, metadataUri: options.uri, symbol: info.symbol, decimals: info.decimals }, [
          `created epoch pool ${result.poolId} in ${info.symbol}: publisher ${result.publisher}, challenger ${result.challenger}, window ${span(challengeWindow)}, ${reclaimDelay === 0 ? "unclaimed funds never reclaimed" : `admin ${result.admin} may reclaim what is unclaimed ${span(reclaimDelay)} after the last epoch`}`,
          `transaction ${result.transactionHash}; next: tributary epoch build --pool ${result.poolId} --contract ${requireEpochs(tributary)} ...`,
        ]);
      },
    );

  pool
    .command("show")
    .description("an epoch pool: token, roles, window, funded and claimed, the epoch that pays (node)")
    .argument("<pool-id>")
    .action(async (id: string, _options: object, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const tributary = await client(command, { signer: false });
      const state = await getEpochPool(tributary, poolId);
      const info = await getTokenInfo(tributary, state.token);
      const amount = (value: bigint) => formatAmount(value, info);
      output(command, { ...state, symbol: info.symbol, decimals: info.decimals }, [
        `epoch pool ${poolId} in ${info.symbol}${state.closed ? " (closed: its admin reclaimed what was unclaimed)" : ""}`,
        `  admin       ${state.admin}`,
        `  publisher   ${state.publisher}`,
        `  challenger  ${state.challenger}`,
        `  window      ${span(state.challengeWindow)}; reclaim ${state.reclaimDelay === 0 ? "never" : `${span(state.reclaimDelay)} after the last epoch`}`,
        `  funded      ${amount(state.funded)}; claimed ${amount(state.claimed)}`,
        `  epochs      ${state.epochCount} published; pays epoch ${state.payableEpoch || "none"} (total ${amount(state.payableTotal)})${state.pendingEpoch ? `; epoch ${state.pendingEpoch} in its window` : ""}`,
      ]);
    });
}

function chainCommands(epoch: Command): void {
  epoch
    .command("fund")
    .description("pay into an epoch pool (anyone); what arrives, net of the protocol fee, is what roots may attribute")
    .argument("<pool-id>")
    .argument("<amount>", "in whole tokens, e.g. 1.5")
    .action(async (id: string, amountText: string, _options: object, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const tributary = await client(command, { signer: true });
      const info = await getTokenInfo(tributary, (await getEpochPool(tributary, poolId)).token);
      const amount = parseAmount(amountText, info.decimals, "amount");
      const result = await fundEpochPool(tributary, { poolId, amount });
      output(command, result, [
        `funded epoch pool ${poolId} with ${formatAmount(result.received, info)} (fee ${formatAmount(result.fee, info)}); it holds ${formatAmount(result.funded, info)} in all`,
        `transaction ${result.transactionHash}`,
      ]);
    });

  epoch
    .command("publish")
    .description(
      "publish the epoch `epoch build` wrote (its manifest, checked against the leaf file and the pool first); --fund pays in first",
    )
    .argument("<pool-id>")
    .requiredOption("--leaves <file>", "the epoch's leaf file")
    .option("--manifest <file>", "its manifest (default: <leaves>.manifest.json, as epoch build wrote it)")
    .option("--fund <amount>", "pay this much into the pool first, in whole tokens")
    .action(async (id: string, options: { leaves: string; manifest?: string; fund?: string }, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const manifestPath = options.manifest ?? manifestPathOf(options.leaves);
      const bytes = await readBytes(options.leaves, "leaf file");
      const manifestText = new TextDecoder().decode(await readBytes(manifestPath, "manifest file"));
      const manifestFile = parseManifestFile(manifestText, manifestPath);
      const tributary = await client(command, { signer: true });
      const state = await getEpochPool(tributary, poolId);
      const info = await getTokenInfo(tributary, state.token);
      const fund = options.fund === undefined ? undefined : parseAmount(options.fund, info.decimals, "--fund");
      const result = await publishEpoch(tributary, {
        poolId,
        manifest: manifestFile,
        leafFile: { ...(await readLeafFile({ chunks: [bytes], source: options.leaves })), source: options.leaves },
        fund,
      });
      const upload = await handToIndexer(command, poolId, result.epochId, bytes);
      output(command, { ...result, symbol: info.symbol, decimals: info.decimals, upload: upload?.result }, [
        ...(result.funding
          ? [
              `funded epoch pool ${poolId} with ${formatAmount(result.funding.received, info)} (fee ${formatAmount(result.funding.fee, info)}; transaction ${result.funding.transactionHash})`,
            ]
          : []),
        `published epoch ${result.epochId} of pool ${poolId}: root ${result.manifest.root}, total ${formatAmount(result.manifest.total, info)}`,
        `  it pays from ${date(result.acceptableAt)} unless the challenger vetoes it (tributary epoch show ${poolId} ${result.epochId})`,
        `transaction ${result.transactionHash}`,
        ...(upload === undefined ? [] : [upload.line]),
      ]);
    });

  epoch
    .command("show")
    .description("an epoch's manifest and where it stands: pending, payable, superseded or vetoed (node)")
    .argument("<pool-id>")
    .argument("[epoch]", "the epoch (default: the pool's latest)")
    .action(async (id: string, epochText: string | undefined, _options: object, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const wanted = epochText === undefined ? undefined : parseEpochId(epochText, "epoch");
      const tributary = await client(command, { signer: false });
      const pool = await getEpochPool(tributary, poolId);
      const epochId = wanted ?? pool.epochCount;
      if (epochId === 0) {
        throw new InvalidInputError(
          "epoch",
          `epoch pool ${poolId} has published no epoch yet`,
          `its publisher publishes with tributary epoch publish ${poolId} --leaves <file>`,
        );
      }
      if (epochId > pool.epochCount) {
        throw contractError("AttributionEpochs_UnknownEpoch", { poolId, epochId });
      }
      const [state, publication, now] = await Promise.all([
        getEpoch(tributary, poolId, epochId),
        getEpochPublication(tributary, poolId, epochId),
        chainTime(tributary),
      ]);
      const info = await getTokenInfo(tributary, pool.token);
      const m = publication?.manifest;
      const acceptableAt = publication?.acceptableAt ?? state.publishedAt + pool.challengeWindow;
      const standing =
        state.status === "pending"
          ? `pending: in its challenge window for ${span(acceptableAt - now)} more, until ${date(acceptableAt)}; the challenger ${pool.challenger} may veto it`
          : state.status === "payable"
            ? `payable: claims prove against it (its window ended ${date(acceptableAt)})`
            : state.status === "superseded"
              ? `superseded: epoch ${pool.payableEpoch} pays now and includes its amounts`
              : state.status === "vetoed"
                ? "vetoed: it never pays"
                : state.status;
      output(
        command,
        {
          ...state,
          acceptableAt,
          secondsLeft: state.status === "pending" ? acceptableAt - now : 0,
          manifest: m,
          publisher: publication?.publisher,
          transactionHash: publication?.transactionHash,
          token: pool.token,
          symbol: info.symbol,
          decimals: info.decimals,
          payableEpoch: pool.payableEpoch,
        },
        [
          `epoch ${epochId} of pool ${poolId}: ${standing}`,
          `  published   ${date(state.publishedAt)} by ${publication?.publisher ?? "?"}`,
          ...(m
            ? [
                `  total       ${formatAmount(m.total, info)}: everything attributed up to this epoch${m.previousEpoch === 0 ? "" : `, extending epoch ${m.previousEpoch}`}`,
                `  root        ${m.root}`,
                `  method      ${m.methodId === USAGE_SHARE_V1_ID ? "usage-share-v1" : m.methodId}, methodHash ${m.methodHash}`,
                `  model       ${m.modelHash}`,
                `  snapshot    block ${m.snapshotBlock}, eligibleHash ${m.eligibleHash}`,
                `  usage log   ${m.usageLogHash}`,
                `  leaf file   ${m.leafFileHash}${m.leafFileUri ? ` at ${m.leafFileUri}` : ""}`,
              ]
            : [`  root        ${state.root}`]),
        ],
      );
    });

  epoch
    .command("veto")
    .description("veto a root in its challenge window, as the pool's challenger: it never pays")
    .argument("<pool-id>")
    .argument("<epoch>")
    .requiredOption("--reason <text>", "why the root is wrong, in words a person reads (published on-chain)")
    .action(async (id: string, epochText: string, options: { reason: string }, command: Command) => {
      const poolId = parsePoolId(id, "pool-id");
      const epochId = parseEpochId(epochText, "epoch");
      if (options.reason.trim() === "") {
        throw new InvalidInputError("--reason", "the reason is empty", "say why the root is wrong with --reason");
      }
      const tributary = await client(command, { signer: true });
      const result = await vetoEpoch(tributary, { poolId, epochId, reason: options.reason });
      output(command, result, [
        `vetoed epoch ${epochId} of pool ${poolId}: ${result.reason}`,
        `  epoch ${result.acceptedEpoch || "none"} keeps paying; the publisher may publish a corrected epoch now`,
        `transaction ${result.transactionHash}`,
      ]);
    });
}
