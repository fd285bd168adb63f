// The leaf store on an in-memory PGlite, without an indexer: every leaf's proof from a stored file (its row's lower
// siblings, then the tree's top kept in memory) equals the SDK's proof from the file, for trees smaller and larger
// than the top, asked one at a time and many at once (read together); and the tops kept in memory stay within their
// byte budget: a top that does not fit is served by reading a proof's siblings alone until its file is asked often,
// then read whole, the least recently used dropped first.
import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";
import pg from "pg";
import type { Hex } from "viem";

import { pgliteDatabase, postgresDatabase, type LeafDatabase } from "../../indexer/src/api/leaves/db.ts";
import type { PgliteInstance } from "../../indexer/src/api/ponderAdapter.ts";
import { LeafStore, TOP_ADMIT_AFTER, type EpochKey } from "../../indexer/src/api/leaves/store.ts";
import { readLeafFile, treeProof } from "../../sdk/epochs/index.ts";
import { buildLeafFile, randomWeights, type LeafFile } from "../e2e/lib/epochs.ts";
import { createTestDatabase, postgresRequired, postgresUnreachable, type TestDatabase } from "../e2e/lib/postgres.ts";

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
});

/** The tops' cache on one database: within its budget, and read whole only for files asked often. */
function topCacheTests(database: () => LeafDatabase, schema: () => string) {
  /** A store whose statements are counted: whole-top reads and sibling reads of tree_top. */
  function countingStore(topLevels: number, topCacheBytes: number) {
    const inner = database();
    const reads = { whole: 0, siblings: 0 };
    const counted = {
      ...inner,
      query: (sql: string, params?: unknown[]) => {
        if (/encode\(nodes, 'hex'\) AS nodes/.test(sql)) reads.whole++;
        return inner.query(sql, params);
      },
      repeated: (sql: string, params: (number | string)[]) => {
        if (/substring\(t\.nodes/.test(sql)) reads.siblings++;
        return inner.repeated(sql, params);
      },
    };
    return { store: new LeafStore(counted, schema(), { topLevels, topCacheBytes }), reads };
  }

  it("keeps the tops within their budget; a top that does not fit is read whole only once its file is asked often", async function () {
    // Three top levels: 7 nodes, 224 bytes a file; room for two.
    const { store, reads } = countingStore(3, 2 * 224 + 100);
    const files: Awaited<ReturnType<typeof storeFile>>[] = [];
    for (const poolId of [1n, 2n, 3n]) files.push(await storeFile(store, poolId, 50));
    const ask = async (i: number, leaf = 3) => {
      const { fileId, file, tree } = files[i]!;
      expect((await store.proof(fileId, file.leaves[leaf]!.contributionId))!.proof).to.deep.equal(
        treeProof(tree, leaf),
      );
    };
    const ids = files.map((file) => file.fileId);
    await ask(0);
    await ask(1);
    expect(store.cachedTops).to.deep.equal([ids[0], ids[1]]);
    expect(reads).to.deep.equal({ whole: 2, siblings: 0 });
    // The third file's top does not fit: its proofs read their siblings, and the kept tops stay.
    for (let i = 0; i < TOP_ADMIT_AFTER; i++) await ask(2, i % 50);
    expect(store.cachedTops).to.deep.equal([ids[0], ids[1]]);
    expect(reads).to.deep.equal({ whole: 2, siblings: TOP_ADMIT_AFTER });
    await ask(1);
    // Asked once more, it is read whole, and the least recently used top (the first file's) is dropped.
    await ask(2);
    expect(store.cachedTops).to.deep.equal([ids[1], ids[2]]);
    expect(reads).to.deep.equal({ whole: 3, siblings: TOP_ADMIT_AFTER });
    // A dropped top counts again from zero: its file's 50 proofs, asked at once, are the same; the first 32 read their
    // siblings, then the top is read whole and the least recently used (the second file's) dropped.
    await expectProofs(store, files[0]!.fileId, files[0]!.file, files[0]!.tree);
    expect(store.cachedTops).to.deep.equal([ids[2], ids[0]]);
    expect(reads).to.deep.equal({ whole: 4, siblings: 2 * TOP_ADMIT_AFTER });
  });

  it("serves proofs asked round robin over more files than the cache holds with few whole-top reads", async function () {
    // Room for one top of 7 nodes; four files asked in turn, as a client spreading its requests would.
    const { store, reads } = countingStore(3, 300);
    const files: Awaited<ReturnType<typeof storeFile>>[] = [];
    for (const poolId of [1n, 2n, 3n, 4n]) files.push(await storeFile(store, poolId, 40));
    const rounds = 3 * TOP_ADMIT_AFTER;
    for (let round = 0; round < rounds; round++) {
      const asked = await Promise.all(
        files.map((f) => store.proof(f.fileId, f.file.leaves[round % 40]!.contributionId)),
      );
      asked.forEach((served, i) => expect(served!.proof).to.deep.equal(treeProof(files[i]!.tree, round % 40)));
    }
    // Without the admission rule every proof but the cached file's would read a top whole (some 300 reads).
    expect(reads.whole).to.be.at.most(files.length * 3 + 1);
    expect(reads.siblings).to.be.at.least(rounds * files.length - reads.whole * TOP_ADMIT_AFTER - rounds);
    expect(store.cachedTops).to.have.length(1);
  });
}

describe("leaf store: the tops' cache on PGlite", function () {
  this.timeout(120_000);
  let db: PGlite;
  let store = 0;
  beforeEach(async function () {
    db = await PGlite.create();
    store++;
  });
  afterEach(async function () {
    await db.close();
  });
  topCacheTests(
    () => pgliteDatabase(db as unknown as PgliteInstance, "public"),
    () => `leaves_cache_${store}`,
  );
});

describe("leaf store: the tops' cache on PostgreSQL", function () {
  this.timeout(120_000);
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let store = 0;
  before(async function () {
    const unreachable = await postgresUnreachable();
    if (unreachable !== undefined) {
      if (postgresRequired) throw new Error(`PostgreSQL is required (TRIBUTARY_REQUIRE_POSTGRES=1): ${unreachable}`);
      this.skip();
    }
    database = await createTestDatabase("tributary_leaf_cache");
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  after(async function () {
    await pool?.end();
    await database?.drop();
  });
  beforeEach(() => store++);
  topCacheTests(
    () => postgresDatabase(pool!, "public"),
    () => `leaves_cache_${store}`,
  );
});
