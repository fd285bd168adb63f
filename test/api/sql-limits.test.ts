// The bounds of SQL over HTTP that need no database (indexer/src/api/sqlLimits.ts), and Ponder's SQL parser reached
// through the adapter (indexer/src/api/ponderAdapter.ts): this fails when a Ponder upgrade moves it. And the share of
// PGlite's thread that SQL and GraphQL requests take (indexer/src/api/share.ts).
import { expect } from "chai";
import superjson from "superjson";

import { ponderSqlParser } from "../../indexer/src/api/ponderAdapter.ts";
import { Busy, HalfShare, isBusy } from "../../indexer/src/api/share.ts";
import {
  LiveQuerySlots,
  SqlRefused,
  checkCost,
  checkRelations,
  namedRelations,
  parseSqlParameter,
  planRelations,
  refusalOf,
  rootPlan,
  serializeAnswer,
  type PlanNode,
} from "../../indexer/src/api/sqlLimits.ts";

const TABLES = new Set(["contribution", "pool"]);

describe("SQL over HTTP limits", () => {
  it("reads the superjson `@ponder/client` sends, and names the parameter when it is missing or malformed", () => {
    const raw = superjson.stringify({ sql: "select 1 from pool where id = $1", params: [1n] });
    expect(parseSqlParameter(raw)).to.deep.equal({ sql: "select 1 from pool where id = $1", params: [1n] });
    for (const bad of [
      undefined,
      "",
      "{not json",
      JSON.stringify({ json: { sql: 1 } }),
      JSON.stringify({ json: null }),
    ]) {
      let refused: unknown;
      try {
        parseSqlParameter(bad);
      } catch (error) {
        refused = error;
      }
      expect(refused, String(bad)).to.have.property("parameter", "sql");
    }
  });

  it("finds the tables a query names and the names its WITH defines, through Ponder's parser", async () => {
    const parser = await ponderSqlParser();
    const tree = await parser.parseSQLQuery(
      "with p as (select * from pool) select * from p join contribution c on true where exists (select 1 from _ponder_meta)",
    );
    const { relations, ctes } = namedRelations(tree);
    expect([...relations].sort()).to.deep.equal(["_ponder_meta", "contribution", "p", "pool"]);
    expect([...ctes]).to.deep.equal(["p"]);
  });

  it("keeps Ponder's allow-list: a read passes, a write, a schema name or pg_sleep does not", async () => {
    const parser = await ponderSqlParser();
    await parser.validateAllowableSQLQuery("select count(*) from contribution");
    for (const sql of ["delete from pool", "select * from pg_catalog.pg_class", "select pg_sleep(1)"]) {
      let refused = false;
      await parser.validateAllowableSQLQuery(sql).catch(() => (refused = true));
      expect(refused, sql).to.equal(true);
    }
  });

  it("refuses a relation that is not one of the project's tables, naming it", () => {
    checkRelations(["pool", "contribution"], TABLES);
    expect(() => checkRelations(["pool", "_reorg__pool"], TABLES)).to.throw(
      SqlRefused,
      'query refused: "_reorg__pool" is not one of the indexer\'s tables (contribution, pool)',
    );
  });

  it("reads the tables a plan scans at every depth, and refuses a plan over the cost bound", () => {
    const plan: PlanNode = {
      "Node Type": "Nested Loop",
      "Total Cost": 250_000.5,
      Plans: [
        { "Node Type": "Seq Scan", "Relation Name": "pool", "Total Cost": 1 },
        { "Node Type": "Subquery Scan", Plans: [{ "Node Type": "Seq Scan", "Relation Name": "_ponder_checkpoint" }] },
      ],
    };
    expect(rootPlan({ "QUERY PLAN": [{ Plan: plan }] })).to.equal(plan);
    expect([...planRelations(plan)].sort()).to.deep.equal(["_ponder_checkpoint", "pool"]);
    checkCost(plan, 300_000);
    checkCost(plan, 0);
    expect(() => checkCost(plan, 100_000)).to.throw(
      SqlRefused,
      "its estimated cost 250001 is above the limit of 100000",
    );
  });

  it("caps an answer's rows and bytes, and writes large integers as strings", () => {
    const answer = (rows: Record<string, unknown>[]) => ({
      rows,
      fields: [{ name: "n", dataTypeID: 20 }],
      affectedRows: 0 as const,
    });
    expect(serializeAnswer(answer([{ n: 2n ** 60n }]), { maxRows: 1, maxBytes: 1000 })).to.equal(
      '{"rows":[{"n":"1152921504606846976"}],"fields":[{"name":"n","dataTypeID":20}],"affectedRows":0}',
    );
    expect(() => serializeAnswer(answer([{ n: 1 }, { n: 2 }]), { maxRows: 1, maxBytes: 1000 })).to.throw(
      "more than 1 rows",
    );
    expect(() => serializeAnswer(answer([{ n: "x".repeat(100) }]), { maxRows: 1, maxBytes: 100 })).to.throw(
      "larger than 100 bytes",
    );
  });

  it("says which limit a cancelled statement hit, refuses the query's own errors and passes the others on", () => {
    const timeout = refusalOf(
      Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }),
      {
        timeoutMs: 300,
      },
    );
    expect(timeout).to.be.instanceOf(SqlRefused);
    expect((timeout as Error).message).to.match(/ran longer than 300 ms/);
    const divide = refusalOf(Object.assign(new Error("division by zero"), { code: "22012" }), { timeoutMs: 300 });
    expect((divide as Error).message).to.equal("query refused: division by zero");
    const down = Object.assign(new Error("connection terminated"), { code: "08006" });
    expect(refusalOf(down, { timeoutMs: 300 })).to.equal(down);
  });

  it("frees a live query's slot once however often it is released", () => {
    const slots = new LiveQuerySlots(2);
    const first = slots.acquire("a") as () => void;
    const second = slots.acquire("a") as () => void;
    expect(slots.acquire("a")).to.equal("all");
    first();
    first();
    expect(slots.open).to.equal(1);
    const third = slots.acquire("b") as () => void;
    expect(slots.acquire("c")).to.equal("all");
    second();
    third();
    expect(slots.open).to.equal(0);
  });

  it("keeps one client to its share of the live queries, leaving the rest to others", () => {
    const slots = new LiveQuerySlots(5, 2);
    const greedy = [slots.acquire("10.0.0.1"), slots.acquire("10.0.0.1")] as (() => void)[];
    expect(slots.acquire("10.0.0.1")).to.equal("client");
    expect(slots.open).to.equal(2);
    const other = slots.acquire("10.0.0.2");
    expect(other).to.be.a("function");
    greedy[0]!();
    greedy[0]!();
    expect(slots.heldBy("10.0.0.1")).to.equal(1);
    expect(slots.acquire("10.0.0.1")).to.be.a("function");
    expect(slots.acquire("10.0.0.1")).to.equal("client");
  });
});

describe("HalfShare", () => {
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  it("runs one task at a time and rests as long as each ran before the next", async () => {
    const share = new HalfShare(10);
    const starts: number[] = [];
    const t0 = performance.now();
    const task = async () => {
      starts.push(performance.now() - t0);
      await sleep(50);
    };
    await Promise.all([share.run(task), share.run(task), share.run(task)]);
    // Each starts after the previous ran 50 ms and rested 50 ms.
    expect(starts[1]! - starts[0]!).to.be.at.least(95);
    expect(starts[2]! - starts[1]!).to.be.at.least(95);
  });

  it("refuses a task beyond the waiting ones allowed, and runs the next after a failed one", async () => {
    const share = new HalfShare(1);
    const first = share.run(() => sleep(20));
    await sleep(1); // the first has started: nothing waits
    const second = share.run(async () => "second");
    let busy: unknown;
    await share.run(async () => "third").catch((error: unknown) => (busy = error));
    expect(busy).to.be.instanceOf(Busy);
    expect(isBusy(busy)).to.equal(true);
    expect(isBusy(new Error("other"))).to.equal(false);
    await first;
    expect(await second).to.equal("second");
    const failed = await share.run(async () => Promise.reject(new Error("refused"))).catch((error: Error) => error);
    expect((failed as Error).message).to.equal("refused");
    expect(await share.run(async () => "after")).to.equal("after");
  });
});
