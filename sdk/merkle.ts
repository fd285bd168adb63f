// The root of an @openzeppelin/merkle-tree StandardMerkleTree, computed without that library (whose ABI coder
// would triple the browser bundle): leaves are keccak256(keccak256(abi.encode(values))), sorted, and each pair
// hashed in sorted order, the tree laid out as the library lays it (a test compares the two).
import { concat, encodeAbiParameters, keccak256, type Hex } from "viem";

const compareHex = (a: Hex, b: Hex) => (a < b ? -1 : a > b ? 1 : 0);

/** A StandardMerkleTree leaf's hash. */
export function standardLeafHash(types: readonly string[], values: readonly unknown[]): Hex {
  return keccak256(
    keccak256(
      encodeAbiParameters(
        types.map((type) => ({ type })),
        values,
      ),
    ),
  );
}

/** The root StandardMerkleTree.of(values, types).root returns. Needs at least one leaf. */
export function standardMerkleRoot(types: readonly string[], leaves: readonly (readonly unknown[])[]): Hex {
  if (leaves.length === 0) throw new RangeError("a Merkle tree needs at least one leaf");
  // Lower-case hex compares like the bytes it spells.
  const hashes = leaves.map((values) => standardLeafHash(types, values)).sort(compareHex);
  const tree = new Array<Hex>(2 * hashes.length - 1);
  hashes.forEach((hash, i) => (tree[tree.length - 1 - i] = hash));
  for (let i = tree.length - 1 - hashes.length; i >= 0; i--) {
    const [a, b] = [tree[2 * i + 1]!, tree[2 * i + 2]!].sort(compareHex);
    tree[i] = keccak256(concat([a!, b!]));
  }
  return tree[0]!;
}
