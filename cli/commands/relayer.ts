// The commands of those who act for others: a relayer's relay (signed commitments: commit, wait, reveal; or signed
// registrations), an attester's anchor, anyone's materialize, the registry owner's attester approve / revoke, and
// a keeper's claim-for.
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Command } from "commander";
import type { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";

import {
  anchor,
  buildAnchorTree,
  claimEpochFor,
  claimFor,
  FileError,
  parsePoolId,
  InvalidInputError,
  materialize,
  parseCsv,
  parseHash,
  parseSigned,
  relay,
  setAttester,
  parseAddress,
  kindName,
  type AnchorLeaf,
  type Kind,
} from "../../sdk/node.ts";
import { claimNotes, claimSources, epochClaimNotes } from "../claims.ts";
import { client, output, revealWait } from "../context.ts";
import { readJsonFile } from "../files.ts";
import { checksum, collect, labelsFromChain, plural } from "../format.ts";

/** Reads the contributions to anchor from a CSV (columns contributionId, author, kind) or a JSON array of objects. */
export async function readAnchorLeaves(file: string): Promise<AnchorLeaf[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new FileError(file, `cannot read ${file}`, "check the path");
  }
  const leaf = (values: Record<string, unknown>, where: string): AnchorLeaf => {
    // parseCsv gives the header's names in lower case; a JSON item keeps its keys as written.
    const hash = values.contributionid ?? values.contributionId ?? values.hash;
    try {
      return {
        contributionId: parseHash(hash, "contributionId"),
        author: parseAddress(values.author, "author"),
        kind: String(values.kind ?? "prompt") as Kind,
      };
    } catch (error) {
      const e = error as InvalidInputError;
      throw new InvalidInputError(e.parameter, `${file} ${where}: ${e.shortMessage}`, e.hint);
    }
  };
  if (file.toLowerCase().endsWith(".json")) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FileError(file, `${file} is not JSON`, "give a JSON array of {contributionId, author, kind}");
    }
    if (!Array.isArray(json))
      throw new FileError(file, `${file} is not a JSON array`, "give an array of {contributionId, author, kind}");
    return json.map((item, i) => leaf(item as Record<string, unknown>, `item ${i}`));
  }
  return parseCsv({ text, required: ["contributionId", "author"], source: file }).map((row) =>
    leaf(row.values, `line ${row.line}`),
  );
}

export function relayerCommands(program: Command): void {
  program
    .command("relay")
    .description(
      "submit files authors signed (tributary sign): commit, wait 60 s of chain time, reveal; or one registerBySig for a --direct file. Your key pays the gas",
    )
    .argument("<files...>", "signed commitment or signed registration files")
    .action(async (files: string[], _options: object, command: Command) => {
      const signed = await Promise.all(
        files.map(async (file) => parseSigned(await readJsonFile(file, "the signed file"), file)),
      );
      const tributary = await client(command, { signer: true });
      const wait = revealWait(command);
      const results = [];
      for (const one of signed) results.push(await relay(tributary, { signed: one, wait }));
      output(
        command,
        results,
        results.map((r) =>
          r.registered
            ? `registered ${r.contributionId} to ${checksum(r.author)} (${r.commitTransaction ? `commit ${r.commitTransaction.transactionHash}, ` : ""}${r.method === "commit-reveal" ? "reveal" : "transaction"} ${r.transaction!.transactionHash})`
            : `${r.contributionId} is already registered to ${checksum(r.author)}: nothing sent`,
        ),
      );
    });

  program
    .command("anchor")
    .description(
      "build the Merkle tree of witnessed contributions, write the leaf file and publish the root (attesters)",
    )
    .argument("<contributions>", "a CSV with columns contributionId,author,kind or a JSON array of them")
    .requiredOption("--out <leaf-file>", "where to write the leaf file (the tree's dump, with every proof's data)")
    .option("--uri <uri>", "where the leaf file will be published (default: file:// URL of --out)")
    .option("--dry-run", "build the tree and write the leaf file, send nothing")
    .action(async (file: string, options: { out: string; uri?: string; dryRun?: boolean }, command: Command) => {
      const leaves = await readAnchorLeaves(file);
      const { root, dump } = buildAnchorTree(leaves);
      const uri = options.uri ?? `file://${path.resolve(options.out)}`;
      const tributary = options.dryRun ? undefined : await client(command, { signer: true });
      try {
        await writeFile(options.out, `${JSON.stringify(dump, null, 2)}\n`, { flag: "wx" });
      } catch (error) {
        const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
        throw new FileError(
          options.out,
          exists ? `${options.out} already exists` : `cannot write ${options.out}`,
          "choose another --out path",
        );
      }
      if (!tributary) {
        output(command, { root, leafCount: leaves.length, leafFile: options.out, uri, sent: false }, [
          `root ${root} over ${plural(leaves.length, "contribution")}`,
          `wrote ${options.out}; nothing sent (--dry-run)`,
        ]);
        return;
      }
      let result;
      try {
        result = await anchor(tributary, { root, uri });
      } catch (error) {
        // Nothing was anchored: the leaf file would only mislead.
        await rm(options.out, { force: true });
        throw error;
      }
      output(command, { root, leafCount: leaves.length, leafFile: options.out, uri, ...result }, [
        `anchored ${root} over ${plural(leaves.length, "contribution")} (transaction ${result.transactionHash})`,
        `wrote ${options.out}; publish it at ${uri}`,
      ]);
    });

  program
    .command("materialize")
    .description("turn leaves of an anchored root into full records; anyone may submit them")
    .argument("<leaf-file>", "the leaf file tributary anchor wrote")
    .option(
      "--hash <hash>",
      "only this contribution (repeatable; default: every leaf)",
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .action(async (file: string, options: { hash: string[] }, command: Command) => {
      const dump = (await readJsonFile(file, "the leaf file")) as {
        format?: string;
        tree?: string[];
        values?: { value: [string, string, number] }[];
      };
      if (dump.format !== "standard-v1" || !Array.isArray(dump.tree) || !Array.isArray(dump.values)) {
        throw new FileError(file, `${file} is not a leaf file`, "give the file tributary anchor wrote");
      }
      const { StandardMerkleTree } = await import("@openzeppelin/merkle-tree");
      let tree: StandardMerkleTree<[string, string, number]>;
      try {
        tree = StandardMerkleTree.load(dump as never);
        tree.validate();
      } catch {
        throw new FileError(
          file,
          `${file} is a damaged leaf file`,
          "get the file again from where the attester published it",
        );
      }
      const wanted = new Set(options.hash.map((h) => parseHash(h, "--hash")));
      const leaves = [...tree.entries()].filter(
        ([, [hash]]) => wanted.size === 0 || wanted.has(hash.toLowerCase() as Hex),
      );
      if (leaves.length < wanted.size) {
        throw new InvalidInputError(
          "hash",
          `${file} lacks some of the hashes given`,
          "check --hash against the leaf file",
        );
      }
      const tributary = await client(command, { signer: true });
      const results = [];
      for (const [i, [contributionId, author, kind]] of leaves) {
        const result = await materialize(tributary, {
          root: tree.root as Hex,
          contributionId: contributionId as Hex,
          author: parseAddress(author),
          kind: kindName(Number(kind)),
          proof: tree.getProof(i) as Hex[],
        });
        results.push({ contributionId, author, ...result });
      }
      output(
        command,
        results,
        results.map(
          (r) => `materialized ${r.contributionId} to ${checksum(r.author)} (transaction ${r.transactionHash})`,
        ),
      );
    });

  const attester = program.command("attester").description("approve or revoke attesters (the registry's owner)");
  for (const [name, approved] of [
    ["approve", true],
    ["revoke", false],
  ] as const) {
    attester
      .command(name)
      .description(`${name} an attester that anchors roots of witnessed contributions`)
      .argument("<address>", "the attester's wallet")
      .action(async (address: string, _options: object, command: Command) => {
        const account = parseAddress(address, "address");
        const result = await setAttester(await client(command, { signer: true }), { attester: account, approved });
        output(
          command,
          { attester: account, approved, ...result },
          `${name}d attester ${account} (transaction ${result.transactionHash})`,
        );
      });
  }

  program
    .command("claim-for")
    .description(
      "claim contributions' royalties for their authors, each author paid directly; anyone may, paying the gas",
    )
    .argument("<hashes...>", "the contributions' content hashes, any author's")
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
    .action(async (hashes: string[], options: { pool: string[]; leaves: string[] }, command: Command) => {
      const contributionIds = hashes.map((h) => parseHash(h, "hash"));
      const tributary = await client(command, { signer: true });
      const sources = await claimSources(command, tributary, options, contributionIds);
      if (sources.epochClaims.length > 0) {
        const vaultPools = sources.vaultPoolIds;
        const result = await claimEpochFor(tributary, { claims: sources.epochClaims, proofs: sources.proofs });
        const vault =
          vaultPools.length > 0 ? await claimFor(tributary, { poolIds: vaultPools, contributionIds }) : undefined;
        const label = await labelsFromChain(tributary, [
          ...result.claimed,
          ...result.deferred,
          ...(vault ? [...vault.claimed, ...vault.deferred] : []),
        ]);
        output(command, { ...result, vault }, [
          ...result.claimed.map(
            (c) =>
              `claimed ${label(c.amount, c.token)} for ${c.contributionId} from epoch ${c.epochId} of epoch pool ${c.poolId}, paid to its author ${c.recipient}`,
          ),
          `transaction ${result.transactionHash}, sent and paid for by ${result.from}`,
          ...epochClaimNotes(result, label),
          ...(vault
            ? [
                ...vault.claimed.map(
                  (c) =>
                    `claimed ${label(c.amount, c.token)} for ${c.contributionId} from vault pool ${c.poolId}, paid to its author ${c.recipient}`,
                ),
                `transaction ${vault.transactionHash}`,
                ...claimNotes(vault, label),
              ]
            : []),
        ]);
        return;
      }
      const result = await claimFor(tributary, { poolIds: sources.vaultPoolIds, contributionIds });
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
