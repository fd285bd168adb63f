// What the leaf store relies on in PGlite (indexer/src/api/ponderAdapter.ts, reach 12): a statement sent on its own
// waits for an open transaction to end, so it never runs inside one of the indexer's transactions, and it commits
// alone.
import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";

import { pglitePrepared, pgliteStatement, type PgliteInstance } from "../../indexer/src/api/ponderAdapter.ts";

describe("PGlite: a statement on its own and the indexer's transactions", () => {
  let db: PGlite;
  before(async () => {
    db = await PGlite.create();
    await db.exec("CREATE TABLE t (n int)");
  });
  after(async () => {
    await db.close();
  });

  /**
   * Opens a transaction that writes `value` into t and is held open, sends `count` (how many rows of t it sees)
   * meanwhile, then rolls the transaction back: the count must answer only after the rollback, and see none of it.
   */
  async function expectWaitsForTransaction(value: number, count: () => Promise<number>) {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query(`INSERT INTO t VALUES (${value})`);
      order.push("transaction wrote");
      await held;
      await tx.rollback();
      order.push("transaction rolled back");
    });
    // Let the transaction begin and write before the statement is sent.
    while (order.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const counted = count().then((n) => {
      order.push("statement answered");
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).to.deep.equal(["transaction wrote"]);
    release();
    await transaction;
    expect(await counted).to.equal(0);
    expect(order).to.deep.equal(["transaction wrote", "transaction rolled back", "statement answered"]);
  }

  it("waits for an open transaction to end, and does not see or join its writes", async () => {
    const statement = pgliteStatement(db as unknown as PgliteInstance);
    await expectWaitsForTransaction(
      1,
      async () => (await statement("SELECT count(*)::int AS n FROM t")).rows[0]!.n as number,
    );
  });

  it("runs a prepared statement (exec) only once an open transaction has ended", async () => {
    const prepared = pglitePrepared(db as unknown as PgliteInstance);
    await expectWaitsForTransaction(
      9,
      async () =>
        (await prepared("count_nines", "SELECT count(*)::int AS n FROM t WHERE n = $1::int", [9]))[0]!.n as number,
    );
  });

  it("prepares a statement once, passes strings with quotes as values, and refuses an unsafe number", async () => {
    const prepared = pglitePrepared(db as unknown as PgliteInstance);
    const sql = "SELECT $1::text AS s, length($1::text)::int AS n, $2::int AS k";
    const tricky = "it's'); DROP TABLE t; --";
    expect(await prepared("echo", sql, [tricky, 7])).to.deep.equal([{ s: tricky, n: tricky.length, k: 7 }]);
    // A second instance of the helper meets the statement already prepared in the session (42P05) and uses it.
    const again = pglitePrepared(db as unknown as PgliteInstance);
    expect(await again("echo", sql, ["b", 8])).to.deep.equal([{ s: "b", n: 1, k: 8 }]);
    const statements = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'echo'",
    );
    expect(statements.rows[0]!.n).to.equal(1);
    const refused = await prepared("echo", sql, ["c", 2 ** 60]).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refused).to.equal(`not a safe integer: ${2 ** 60}`);
    // The quoted value was a value: the table is still there.
    expect((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM t")).rows[0]!.n).to.equal(0);
  });

  it("prepares a statement again when the session no longer holds it", async () => {
    const prepared = pglitePrepared(db as unknown as PgliteInstance);
    const sql = "SELECT $1::int + 1 AS n";
    expect(await prepared("plus_one", sql, [1])).to.deep.equal([{ n: 2 }]);
    await db.exec("DEALLOCATE plus_one");
    expect(await prepared("plus_one", sql, [2])).to.deep.equal([{ n: 3 }]);
  });

  it("commits a statement alone", async () => {
    const statement = pgliteStatement(db as unknown as PgliteInstance);
    await statement("INSERT INTO t VALUES (2)");
    const rows = await db.transaction((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM t"));
    expect(rows.rows[0]!.n).to.equal(1);
  });
});
