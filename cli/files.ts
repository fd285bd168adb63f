// Reading and writing the files commands take and produce, each failure a FileError naming the file.
import { readdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { FileError } from "../sdk/node.ts";

/** Reads a UTF-8 text file; `what` names it in the error ("the units file"). */
export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new FileError(file, `cannot read ${what} ${file}`, "check the path");
  }
}

/** Reads a JSON file tributary wrote; `what` names it in the error ("the commitment file"). */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new FileError(file, `${file} is not JSON`, `give ${what} written by tributary`);
  }
}

/** Writes a new file readable by its owner only; never overwrites. */
export async function writeNew(file: string, text: string): Promise<void> {
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

const REPLACEMENT = "\uFFFD";

/** Bytes of a file name as text: valid UTF-8 as is, every other byte as \xNN (as `ls -b` shows it). */
function escapeBytes(bytes: Buffer): string {
  const strict = new TextDecoder("utf-8", { fatal: true });
  let text = "";
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
    let char: string | undefined;
    if (length > 0 && i + length <= bytes.length) {
      try {
        char = strict.decode(bytes.subarray(i, i + length));
      } catch {
        char = undefined;
      }
    }
    if (char === undefined || char === REPLACEMENT) {
      text += `\\x${lead.toString(16).padStart(2, "0")}`;
      i += 1;
    } else {
      text += char < " " ? `\\x${lead.toString(16).padStart(2, "0")}` : char;
      i += length;
    }
  }
  return text;
}

/**
 * A path that Node decoded with U+FFFD in place of bytes that are not UTF-8 (from the command line or a folder's
 * listing), written with those bytes escaped: each such segment is looked up among its folder's raw names.
 * A segment that cannot be found keeps its U+FFFD, written \uFFFD.
 */
function escapedPath(lossy: string): string {
  const absolute = path.isAbsolute(lossy);
  let folder: Buffer = Buffer.from(absolute ? "/" : ".");
  const shown: string[] = [];
  for (const segment of lossy.split("/").filter((s, i) => s !== "" || i === 0)) {
    if (segment === "") {
      shown.push("");
      continue;
    }
    let raw: Buffer = Buffer.from(segment);
    if (segment.includes(REPLACEMENT)) {
      let names: Buffer[] = [];
      try {
        names = readdirSync(folder, { encoding: "buffer" });
      } catch {
        // The folder cannot be listed: the segment is shown as Node decoded it.
      }
      raw = names.find((name) => name.toString("utf8") === segment) ?? raw;
    }
    shown.push(segment.includes(REPLACEMENT) ? escapeBytes(raw).replaceAll(REPLACEMENT, "\\uFFFD") : segment);
    folder = Buffer.concat([folder, Buffer.from("/"), raw]);
  }
  return shown.join("/");
}

/**
 * The one line for a file error about a name that is not UTF-8, or undefined for any other error: such a name
 * cannot be read by the name Node gives it, so "no such file" would mislead.
 */
export function nonUtf8NameMessage(error: unknown): string | undefined {
  if (!(error instanceof FileError) || !error.path.includes(REPLACEMENT)) return undefined;
  return `the file name "${escapedPath(error.path)}" is not valid UTF-8, and tributary reads names as UTF-8 only; rename it (for example with convmv -f latin1 -t utf8)`;
}
