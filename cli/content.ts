// Turns the content options shared by hash, register, commit and sign (--text, --file [--raw], --dir, --hash)
// into a content hash and a default kind, using the SDK's hashing rules only.
import { writeFile } from "node:fs/promises";

import { Option, type Command } from "commander";
import type { Hex } from "viem";

import {
  hashDataset,
  hashFileBytes,
  hashText,
  hashTextFile,
  InvalidInputError,
  parseHash,
  parseKind,
  FileError,
  type DatasetFile,
  type Kind,
} from "../sdk/node.ts";
import { progressBar } from "./context.ts";

export interface ContentOptions {
  text?: string;
  file?: string;
  raw?: boolean;
  dir?: string;
  hash?: string;
  kind?: string;
  manifest?: string;
}

export interface Content {
  contributionId: Hex;
  /** How it was hashed: "text", "text-file", "file", "dataset", "given". */
  source: "text" | "text-file" | "file" | "dataset" | "given";
  kind: Kind;
  files?: DatasetFile[];
  totalBytes?: number;
}

/** Adds the content options to a command: --text, --file [--raw], --dir [--manifest], --hash, --kind. */
export function contentOptions(command: Command): Command {
  command
    .option("--text <text>", "a prompt, correction or rating given inline (hashed as canonical text)")
    .option("--file <path>", "a UTF-8 text file (hashed as canonical text, like --text)")
    .option("--raw", "with --file: hash the file's exact bytes instead (any file, streamed)")
    .option("--dir <folder>", "a dataset folder: the Merkle root over its files (streamed, with a progress bar)")
    .option("--manifest <out.json>", "with --dir: also write every file's path and hash to this file");
  command.option("--hash <hash>", "an already computed content hash (0x + 64 hex)");
  command.addOption(
    new Option(
      "--kind <kind>",
      "prompt, correction, feedback, dataset, model_output or other (default: prompt, dataset for --dir, other for --raw)",
    ),
  );
  return command;
}

export async function resolveContent(command: Command, options: ContentOptions): Promise<Content> {
  const given = (["text", "file", "dir", "hash"] as const).filter((key) => options[key] !== undefined);
  if (given.length !== 1) {
    throw new InvalidInputError(
      "content",
      given.length === 0 ? "no content given" : `give one content, not ${given.map((g) => `--${g}`).join(" and ")}`,
      "give exactly one of --text, --file, --dir or --hash",
    );
  }
  if (options.raw && options.file === undefined) {
    throw new InvalidInputError("raw", "--raw applies to --file only", "remove --raw or give --file");
  }
  if (options.manifest && options.dir === undefined) {
    throw new InvalidInputError("manifest", "--manifest applies to --dir only", "remove --manifest or give --dir");
  }
  const kind = (fallback: Kind) => (options.kind ? parseKind(options.kind) : fallback);
  if (options.text !== undefined)
    return { contributionId: hashText(options.text), source: "text", kind: kind("prompt") };
  if (options.hash !== undefined) {
    return { contributionId: parseHash(options.hash, "--hash"), source: "given", kind: kind("prompt") };
  }
  if (options.file !== undefined) {
    if (options.raw) {
      const bar = await progressBar(command, "hashing");
      const { stat } = await import("node:fs/promises");
      const size = await stat(options.file).then(
        (s) => s.size,
        () => 0,
      );
      bar.start(size);
      try {
        return {
          contributionId: await hashFileBytes(options.file, bar.increment),
          source: "file",
          kind: kind("other"),
        };
      } finally {
        bar.stop();
      }
    }
    return { contributionId: await hashTextFile(options.file), source: "text-file", kind: kind("prompt") };
  }
  const bar = await progressBar(command, "hashing dataset");
  let started = false;
  try {
    const dataset = await hashDataset({
      dir: options.dir!,
      onStart: ({ files, bytes }) => {
        started = true;
        bar.start(bytes, files);
      },
      onBytes: bar.increment,
    });
    if (options.manifest) {
      const manifest = { type: "tributary/dataset-manifest", version: 1, root: dataset.root, files: dataset.files };
      try {
        await writeFile(options.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
      } catch {
        throw new FileError(options.manifest, `cannot write ${options.manifest}`, "check the folder");
      }
    }
    return {
      contributionId: dataset.root,
      source: "dataset",
      kind: kind("dataset"),
      files: dataset.files,
      totalBytes: dataset.totalBytes,
    };
  } finally {
    if (started) bar.stop();
  }
}
