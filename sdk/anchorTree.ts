// An attester's tree: the @openzeppelin/merkle-tree StandardMerkleTree over (contributionId, author, kind) leaves,
// with the dump to publish as its leaf file and the proofs to materialize. In the Node entry: the library's ABI
// coder is heavy for a web page, which needs only a root (`standardMerkleRoot`).
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";

import { ANCHOR_LEAF_TYPES, type AnchorLeaf } from "./actions/registry/anchor.ts";
import { InvalidInputError } from "./errors.ts";
import { kindIndex } from "./kinds.ts";
import { parseAddress, parseHash, parseKind } from "./parse.ts";

export interface BuildAnchorTreeReturnType {
  root: Hex;
  /** The StandardMerkleTree dump: the leaf file to publish. */
  dump: ReturnType<StandardMerkleTree<[string, string, number]>["dump"]>;
  tree: StandardMerkleTree<[string, string, number]>;
}

/** Builds the tree over (contributionId, author, kind) leaves; a hash given twice is refused. */
export function buildAnchorTree(leaves: readonly AnchorLeaf[]): BuildAnchorTreeReturnType {
  if (leaves.length === 0) {
    throw new InvalidInputError("leaves", "there are no contributions to anchor", "give at least one");
  }
  const seen = new Set<string>();
  const values = leaves.map((leaf): [string, string, number] => {
    const hash = parseHash(leaf.contributionId, "contributionId");
    if (seen.has(hash)) {
      throw new InvalidInputError("leaves", `the hash ${hash} appears twice`, "keep one leaf per contribution");
    }
    seen.add(hash);
    return [hash, parseAddress(leaf.author, "author"), kindIndex(parseKind(leaf.kind))];
  });
  const tree = StandardMerkleTree.of(values, [...ANCHOR_LEAF_TYPES]);
  return { root: tree.root as Hex, dump: tree.dump(), tree };
}
