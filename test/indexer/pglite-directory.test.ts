// The indexer refuses, at start, a PGlite data directory that another PostgreSQL major version wrote (indexer/config.ts):
// PGlite itself would abort on it with a bare WebAssembly error.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";

import { checkPgliteDirectory, PGLITE_POSTGRES_MAJOR } from "../../indexer/config.ts";

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
