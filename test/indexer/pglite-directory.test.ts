// The indexer refuses, at start, a PGlite data directory that another PostgreSQL major version wrote (indexer/config.ts):
// PGlite itself would abort on it with a bare WebAssembly error.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";

import { checkPgliteDirectory, checkPgliteStorage, PGLITE_POSTGRES_MAJOR } from "../../indexer/config.ts";

describe("checkPgliteDirectory", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tributary-pglite-dir-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts a directory that does not hold a database yet", () => {
    expect(() => checkPgliteDirectory(dir)).not.to.throw();
    expect(() => checkPgliteDirectory(path.join(dir, "not-created"))).not.to.throw();
  });

  it("refuses one written by PostgreSQL 16, naming the directory and what to do", async () => {
    await writeFile(path.join(dir, "PG_VERSION"), "16\n");
    expect(() => checkPgliteDirectory(dir)).to.throw(
      `Tributary indexer: the PGlite directory ${dir} holds PostgreSQL 16 data, and this PGlite runs PostgreSQL ` +
        `${PGLITE_POSTGRES_MAJOR}; delete the directory (the indexer backfills again) or set TRIBUTARY_PGLITE_DIR`,
    );
  });

  it("accepts what the installed PGlite writes, so the pinned major version is the installed one", async function () {
    this.timeout(60_000);
    const db = new PGlite(dir);
    await db.query("SELECT 1");
    await db.close();
    expect((await readFile(path.join(dir, "PG_VERSION"), "utf8")).trim()).to.equal(PGLITE_POSTGRES_MAJOR);
    expect(() => checkPgliteDirectory(dir)).not.to.throw();
  });
});

// Read-only folders and a disk that fills during a backfill are exercised on real mounts in test/e2e/storage.test.ts.
describe("checkPgliteStorage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tributary-pglite-storage-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("accepts a writable folder with room, and one not created yet under it, leaving no file behind", async () => {
    expect(() => checkPgliteStorage(dir, 1)).not.to.throw();
    expect(() => checkPgliteStorage(path.join(dir, "a", "b"), 1)).not.to.throw();
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it("refuses a folder with less free space than the minimum, naming the full disk and how to recover", () => {
    expect(() => checkPgliteStorage(dir, Number.MAX_SAFE_INTEGER)).to.throw(
      new RegExp(
        `^Tributary indexer: the PGlite directory ${dir} is on a full disk \\(\\d+ MB free, the indexer needs`,
      ),
    );
    expect(() => checkPgliteStorage(dir, Number.MAX_SAFE_INTEGER)).to.throw(
      /delete the directory and start again \(the indexer backfills from the start\)/,
    );
  });

  it("does not check the free space when the minimum is 0", () => {
    expect(() => checkPgliteStorage(dir, 0)).not.to.throw();
  });
});
