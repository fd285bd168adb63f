// Reading and writing the files commands take and produce, each failure a FileError naming the file.
import { readFile, writeFile } from "node:fs/promises";

import { FileError } from "../sdk/index.ts";

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
