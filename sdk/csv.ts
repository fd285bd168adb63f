// A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes ("" is a quote inside one),
// CRLF or LF line endings, a header row naming the columns. Errors name the line, so a provider can fix the file.
// Also the units file a provider gives `setUnits`.
import type { Hex } from "viem";

import type { UnitsEntry } from "./actions/vault/units.ts";
import { InvalidInputError } from "./errors.ts";
import { hashText } from "./hashing.ts";
import { parseHash } from "./parse.ts";

export interface CsvRow {
  /** The 1-based line on which the row starts. */
  line: number;
  values: Record<string, string>;
}

export interface ParseCsvParameters {
  text: string;
  /** Columns every row must have (matched case-insensitively against the header). */
  required?: readonly string[];
  /** The file's name, for error messages. */
  source?: string;
}

/** Splits CSV text into records of strings (no header row: use parseCsv for that). */
export function parseCsvRecords(text: string, source = "the CSV"): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (input.length > 0 && !input.endsWith("\n")) input += "\n";
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  while (i < input.length) {
    const c = input[i]!;
    if (c === '"' && field.length === 0 && !quotedField) {
      // A quoted field: read up to the closing quote.
      quotedField = true;
      i++;
      for (;;) {
        if (i >= input.length) {
          throw new InvalidInputError(
            "csv",
            `${source} has an unclosed quote starting on line ${recordLine}`,
            "close the quote",
          );
        }
        const q = input[i]!;
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n") line++;
        field += q;
        i++;
      }
      const next = input[i];
      if (next !== "," && next !== "\n" && next !== "\r") {
        throw new InvalidInputError(
          "csv",
          `${source} line ${line}: unexpected text after a closing quote`,
          'quote the whole field and write a quote inside it as ""',
        );
      }
      continue;
    }
    if (c === ",") {
      fields.push(field);
      field = "";
      quotedField = false;
      i++;
    } else if (c === "\r" || c === "\n") {
      fields.push(field);
      field = "";
      quotedField = false;
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1;
      // Blank lines are skipped.
      if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
      fields = [];
      line++;
      recordLine = line;
    } else if (c === '"') {
      throw new InvalidInputError(
        "csv",
        `${source} line ${line}: a quote in the middle of an unquoted field`,
        'quote the whole field and write a quote inside it as ""',
      );
    } else {
      field += c;
      i++;
    }
  }
  return records;
}

/** Parses CSV with a header row into records keyed by the (trimmed, lower-cased) column names. */
export function parseCsv({ text, required = [], source = "the CSV" }: ParseCsvParameters): CsvRow[] {
  const records = parseCsvRecords(text, source);
  const header = records.shift();
  if (!header) throw new InvalidInputError("csv", `${source} is empty`, "give a header row and at least one row");
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  for (const column of required) {
    if (!columns.includes(column.toLowerCase())) {
      throw new InvalidInputError(
        "csv",
        `${source} has no "${column}" column (its header is: ${header.fields.join(",")})`,
        `add a header row naming the columns ${required.join(",")}`,
      );
    }
  }
  return records.map(({ line, fields }) => {
    if (fields.length !== columns.length) {
      throw new InvalidInputError(
        "csv",
        `${source} line ${line} has ${fields.length} fields, the header has ${columns.length}`,
        "give every row one value per column",
      );
    }
    const values: Record<string, string> = {};
    columns.forEach((column, i) => (values[column] = fields[i]!.trim()));
    return { line, values };
  });
}

export interface ParseUnitsCsvParameters {
  /** The CSV's text: a header naming the columns `contribution,units`. */
  text: string;
  /** The file's name, for error messages. */
  source?: string;
  /**
   * Hashes a `file:` path as a text file (the Node entry's `textFileHasher(baseDir)`); without it, `file:` rows are
   * refused.
   */
  hashFile?: (path: string) => Promise<Hex>;
}

/**
 * Reads units from a CSV with the columns `contribution,units` (`contributionId` or `hash` may name the first). A
 * contribution is a content hash (0x + 64 hex), `file:<path>` (a text file, hashed as canonical text by `hashFile`),
 * or otherwise the text of a prompt itself, hashed as canonical text (`hashText`). Units are whole numbers; errors
 * name the line.
 */
export async function parseUnitsCsv(parameters: ParseUnitsCsvParameters): Promise<UnitsEntry[]> {
  const source = parameters.source ?? "the CSV";
  const rows = parseCsv({ text: parameters.text, required: ["units"], source });
  const entries: UnitsEntry[] = [];
  for (const { line, values } of rows) {
    const contribution = values.contribution ?? values.contributionid ?? values.hash;
    if (contribution === undefined) {
      throw new InvalidInputError(
        "csv",
        `${source} has no "contribution" column`,
        "add a header row naming the columns contribution,units",
      );
    }
    if (contribution === "") {
      throw new InvalidInputError("csv", `${source} line ${line} has no contribution`, "give a hash, file: or text");
    }
    let contributionId: Hex;
    if (contribution.startsWith("0x")) {
      try {
        contributionId = parseHash(contribution, "contribution");
      } catch (error) {
        const e = error as InvalidInputError;
        throw new InvalidInputError("csv", `${source} line ${line}: ${e.shortMessage}`, e.hint);
      }
    } else if (contribution.startsWith("file:")) {
      if (!parameters.hashFile) {
        throw new InvalidInputError(
          "csv",
          `${source} line ${line} names a file, and no \`hashFile\` was given to read it`,
          "give the contribution's hash instead, or `hashFile`",
        );
      }
      contributionId = await parameters.hashFile(contribution.slice(5));
    } else {
      contributionId = hashText(contribution);
    }
    if (!/^\d+$/.test(values.units ?? "")) {
      throw new InvalidInputError(
        "csv",
        `${source} line ${line}: units "${values.units}" is not a whole number`,
        "give units as a whole number such as 100",
      );
    }
    entries.push({ contributionId, units: BigInt(values.units!) });
  }
  if (entries.length === 0) {
    throw new InvalidInputError("csv", `${source} lists no contribution`, "add one row per contribution");
  }
  return entries;
}
