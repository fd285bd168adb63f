// What the leaf store relies on in PGlite (indexer/src/api/ponderAdapter.ts, reach 12): a statement sent on its own
// waits for an open transaction to end, so it never runs inside one of the indexer's transactions, and it commits
// alone.
import { PGlite } from "@electric-sql/pglite";
import { expect } from "chai";

import { pgliteStatement, type PgliteInstance } from "../../indexer/src/api/ponderAdapter.ts";

describe("PGlite: a statement on its own and the indexer's transactions", () => {
  let db: PGlite;
  before(async () => {
    db = await PGlite.create();
    await db.exec("CREATE TABLE t (n int)");
  });
  after(async () => {
    await db.close();
  });

  it("waits for an open transaction to end, and does not see or join its writes", async () => {
    const statement = pgliteStatement(db as unknown as PgliteInstance);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES (1)");
      order.push("transaction wrote");
      await held;
      await tx.rollback();
      order.push("transaction rolled back");
    });
    // Let the transaction begin and write before the statement is sent.
    while (order.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const counted = statement("SELECT count(*)::int AS n FROM t").then((result) => {
      order.push("statement answered");
      return result.rows[0]!.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).to.deep.equal(["transaction wrote"]);
    release();
    await transaction;
    expect(await counted).to.equal(0);
    expect(order).to.deep.equal(["transaction wrote", "transaction rolled back", "statement answered"]);
  });

  it("commits a statement alone", async () => {
    const statement = pgliteStatement(db as unknown as PgliteInstance);
    await statement("INSERT INTO t VALUES (2)");
    const rows = await db.transaction((tx) => tx.query<{ n: number }>("SELECT count(*)::int AS n FROM t"));
    expect(rows.rows[0]!.n).to.equal(1);
  });
});
