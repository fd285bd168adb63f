import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { bytesToHex, type Hex } from "viem";

import { hashPairInto, keccak256Into, Keccak256Stream } from "../../sdk/epochs/keccak.ts";
import { LEAF_TYPES, LeafHasher, leafValues, type EpochDomain, type EpochLeaf } from "../../sdk/epochs/leaf.ts";
import { buildTree, processProof, treeProof } from "../../sdk/epochs/tree.ts";
import { random } from "./random.ts";

const randomBytes = (next: () => number, length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));

const DOMAIN: EpochDomain = {
  chainId: 31337,
  contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  poolId: 7n,
};

function randomLeaves(next: () => number, count: number): EpochLeaf[] {
  return Array.from({ length: count }, () => ({
    contributionId: bytesToHex(randomBytes(next, 32)),
    // Amounts from 1 to far beyond 2^64, so both encodings of writeUint256 are used.
    cumulativeAmount: BigInt(bytesToHex(randomBytes(next, 1 + Math.floor(next() * 20)))) + 1n,
    firstEpoch: 1 + Math.floor(next() * 2 ** 31),
  }));
}

describe("epochs SDK: keccak256", function () {
  it("hashes every length up to three blocks as @noble/hashes does", function () {
    const next = random(1);
    const out = new Uint8Array(32);
    for (let length = 0; length <= 3 * 136 + 1; length++) {
      const input = randomBytes(next, length + 3);
      keccak256Into(input, 3, length, out, 0);
      expect(bytesToHex(out)).to.equal(bytesToHex(keccak_256(input.subarray(3))), `length ${length}`);
    }
  });

  it("hashes a stream given in uneven pieces as one keccak256 of the whole", function () {
    const next = random(2);
    const whole = randomBytes(next, 5000);
    const stream = new Keccak256Stream();
    for (let at = 0; at < whole.length;) {
      const piece = Math.floor(next() * 300);
      stream.update(whole.subarray(at, at + piece));
      at += piece;
    }
    expect(bytesToHex(stream.digest())).to.equal(bytesToHex(keccak_256(whole)));
  });

  it("hashes a pair as the smaller value followed by the larger", function () {
    const next = random(3);
    const nodes = randomBytes(next, 96);
    const a = nodes.slice(0, 32);
    const b = nodes.slice(32, 64);
    const [low, high] = Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0 ? [a, b] : [b, a];
    hashPairInto(nodes, 0, 32, nodes, 64);
    expect(bytesToHex(nodes.subarray(64))).to.equal(bytesToHex(keccak_256(new Uint8Array([...low, ...high]))));
  });
});

describe("epochs SDK: the tree is @openzeppelin/merkle-tree's StandardMerkleTree", function () {
  // The library checks every proof it gives, which takes seconds for a thousand leaves on a busy machine.
  this.timeout(60_000);
  for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 100, 257, 1000]) {
    it(`gives the same leaf hashes, root and proof of every leaf for ${count} random leaves`, function () {
      const leaves = randomLeaves(random(count), count);
      const hasher = new LeafHasher(DOMAIN);
      const hashes = new Uint8Array(count * 32);
      leaves.forEach((leaf, i) => hasher.hashInto(leaf, hashes, i * 32));
      const tree = buildTree(hashes);
      const reference = StandardMerkleTree.of(
        leaves.map((leaf) => leafValues(DOMAIN, leaf)),
        [...LEAF_TYPES],
      );
      expect(tree.root).to.equal(reference.root);
      leaves.forEach((leaf, i) => {
        expect(hasher.hash(leaf)).to.equal(reference.leafHash(leafValues(DOMAIN, leaf)));
        const proof = treeProof(tree, i);
        expect(proof).to.deep.equal(reference.getProof(i));
        expect(processProof(hasher.hash(leaf), proof)).to.equal(tree.root);
      });
    });
  }

  it("separates pools, contracts and chains: the same leaf hashes differently in each", function () {
    const [leaf] = randomLeaves(random(5), 1) as [EpochLeaf];
    const hashes = new Set<Hex>([
      new LeafHasher(DOMAIN).hash(leaf),
      new LeafHasher({ ...DOMAIN, poolId: 8n }).hash(leaf),
      new LeafHasher({ ...DOMAIN, chainId: 1 }).hash(leaf),
      new LeafHasher({ ...DOMAIN, contract: "0x0000000000000000000000000000000000000001" }).hash(leaf),
    ]);
    expect(hashes.size).to.equal(4);
  });
});
