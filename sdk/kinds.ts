// The contribution kinds, spelled as the API, GraphQL and SQL spell them, in the contract's order (Authorship.Kind).
import { InvalidInputError } from "./errors.ts";

export const KINDS = ["prompt", "correction", "feedback", "dataset", "model_output", "other"] as const;
export type Kind = (typeof KINDS)[number];

/** The kind's number in the contract. */
export function kindIndex(kind: Kind): number {
  return KINDS.indexOf(kind);
}

/** The kind of a number the contract stores. */
export function kindName(index: number): Kind {
  const kind = KINDS[index];
  if (kind === undefined) {
    throw new InvalidInputError("kind", `unknown contribution kind ${index}`, "upgrade the SDK to read it");
  }
  return kind;
}
