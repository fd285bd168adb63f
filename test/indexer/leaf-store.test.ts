// The leaf store on an in-memory PGlite, without an indexer: every leaf's proof from a stored file (its row's lower
// siblings, then the tree's top kept in memory) equals the SDK's proof from the file, for trees smaller and larger
// than the top, asked one at a time and many at once (read together); and the tops kept in memory stay within their
// byte budget, the least recently used dropped first.
import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import type { Hex } from "viem";

import { pgliteDatabase } from "../../indexer/src/api/leaves/db.ts";
import type { PgliteInstance } from "../../indexer/src/api/ponderAdapter.ts";
import { LeafStore, type EpochKey } from "../../indexer/src/api/leaves/store.ts";
import { readLeafFile, treeProof } from "../../sdk/epochs/index.ts";
import { buildLeafFile, randomWeights, type LeafFile } from "../e2e/lib/epochs.ts";

const CONTRACT: Hex = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Builds a file of `leaves` leaves for pool `poolId`, stores it, and answers its key, file and tree. */
async function storeFile(store: LeafStore, poolId: bigint, leaves: number) {
  const key: EpochKey = { chainId: 31337, contract: CONTRACT, poolId, epochId: 1 };
  const file = await buildLeafFile({
    domain: { chainId: 31337, contract: CONTRACT, poolId },
    epochId: 1,
    amount: 10n ** 15n,
    weights: randomWeights(leaves, Number(poolId) * 7 + leaves),
  });
  const { header, tree, leafFileHash } = await readLeafFile({ chunks: [file.bytes], source: "test" });
  expect(
    await store.store({
      key,
      header,
      tree,
      leafFileHash,
      bytes: file.bytes.length,
      chunks: () => chunksOf(file.bytes),
    }),
  ).to.equal(true);
  const stored = (await store.stored(key))!;
  return { key, file, tree, fileId: stored.fileId };
}

async function expectProofs(store: LeafStore, fileId: number, file: LeafFile, tree: Parameters<typeof treeProof>[0]) {
  const served = await Promise.all(file.leaves.map((leaf) => store.proof(fileId, leaf.contributionId)));
  file.leaves.forEach((leaf, i) => {
    expect(served[i], leaf.contributionId).to.deep.equal({
      cumulativeAmount: leaf.cumulativeAmount,
      firstEpoch: leaf.firstEpoch,
      proof: treeProof(tree, i),
    });
  });
}

describe("leaf store: proofs from leaf rows and the tree's top", function () {
  this.timeout(120_000);
  let db: PGlite;
  beforeEach(async function () {
    db = await PGlite.create();
  });
  afterEach(async function () {
    await db.close();
  });

  for (const [levels, leaves] of [
    [1, 1],
    [1, 37],
    [3, 2],
    [3, 300],
    [17, 300],
  ] as const) {
    it(`serves every leaf's proof of a ${leaves}-leaf tree with ${levels} top level(s), all asked at once`, async function () {
      const store = new LeafStore(pgliteDatabase(db as unknown as PgliteInstance, "public"), "leaves_test", {
        topLevels: levels,
        topCacheBytes: 2 ** 20,
      });
      const { file, tree, fileId } = await storeFile(store, 1n, leaves);
      await expectProofs(store, fileId, file, tree);
      // One at a time too: a batch of one.
      const last = file.leaves.length - 1;
      expect((await store.proof(fileId, file.leaves[last]!.contributionId))!.proof).to.deep.equal(
        treeProof(tree, last),
      );
    });
  }

  it("answers no proof for a leaf the file does not hold, a malformed id, or another file's leaf", async function () {
    const store = new LeafStore(pgliteDatabase(db as unknown as PgliteInstance, "public"), "leaves_test", {
      topLevels: 3,
      topCacheBytes: 2 ** 20,
    });
    const first = await storeFile(store, 1n, 20);
    const second = await storeFile(store, 2n, 20);
    const [unknown, malformed, other] = await Promise.all([
      store.proof(first.fileId, `0x${"ab".repeat(32)}`),
      store.proof(first.fileId, "0x1234" as Hex),
      store.proof(first.fileId, second.file.leaves[0]!.contributionId),
    ]);
    expect([unknown, malformed, other]).to.deep.equal([undefined, undefined, undefined]);
  });

  it("keeps the tops within their budget, the least recently used dropped first", async function () {
    // Three top levels: 7 nodes, 224 bytes a file; room for two.
    const store = new LeafStore(pgliteDatabase(db as unknown as PgliteInstance, "public"), "leaves_test", {
      topLevels: 3,
      topCacheBytes: 2 * 224 + 100,
    });
    const files: Awaited<ReturnType<typeof storeFile>>[] = [];
    for (const poolId of [1n, 2n, 3n]) files.push(await storeFile(store, poolId, 50));
    const ask = async (i: number) => {
      const { fileId, file, tree } = files[i]!;
      expect((await store.proof(fileId, file.leaves[3]!.contributionId))!.proof).to.deep.equal(treeProof(tree, 3));
    };
    const ids = files.map((file) => file.fileId);
    await ask(0);
    await ask(1);
    expect(store.cachedTops).to.deep.equal([ids[0], ids[1]]);
    await ask(2);
    expect(store.cachedTops).to.deep.equal([ids[1], ids[2]]);
    await ask(1);
    expect(store.cachedTops).to.deep.equal([ids[2], ids[1]]);
    await ask(0);
    expect(store.cachedTops).to.deep.equal([ids[1], ids[0]]);
    // A dropped top is read again, with the same proofs.
    await expectProofs(store, files[2]!.fileId, files[2]!.file, files[2]!.tree);
    expect(store.cachedTops).to.deep.equal([ids[0], ids[2]]);
  });
});
