// The indexer runs Ponder with patches/ponder+<version>.patch applied (docs/operations.md, "A patch to Ponder"): the
// install applies it after every `npm install`, and these checks fail if the Ponder that runs is not the patched one.
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import { patchedPackage } from "./patched.ts";

/**
 * The code a speed hunk runs unless the benchmark's switch (TRIBUTARY_PONDER_UNPATCHED) asks for Ponder's own: the
 * text after the switch's `else` or `:`, up to the end of the patched statement.
 */
function patchedBranch(source: string, hunk: string): string {
  const at = source.indexOf(`UNPATCHED.has("${hunk}")`);
  expect(at, `the switch of the ${hunk} hunk`).to.be.greaterThan(-1);
  return source.slice(at, at + 2_000);
}

describe("the patched Ponder", () => {
  const { dir: ponderDir, version, patches } = patchedPackage("ponder");

  it("has a patch for the installed Ponder version", () => {
    expect(patches).to.deep.equal([`ponder+${version}.patch`]);
  });

  it("stamps reorg rows only for the tables a block wrote, in the live loop Ponder runs", () => {
    const live = readFileSync(path.join(ponderDir, "dist", "esm", "runtime", "multichain.js"), "utf8");
    expect(live).to.include("Tributary patch");
    // Ponder's stamping of every table is left only behind the benchmark's switch.
    const stamping = "await Promise.all(tables.map((table) => commitBlock(";
    expect(live.split(stamping)).to.have.length(2);
    const branch = patchedBranch(live, "reorgStamping");
    expect(branch.indexOf(stamping)).to.be.lessThan(branch.indexOf("else {"));
    expect(branch.slice(branch.indexOf("else {"))).to.include('label: "select_written_tables"');
    expect(branch).to.include(".filter((table) => writtenNames.has(getTableName(table)))");
  });

  it("notifies the live-query channel of the tables a reorg rolled back", () => {
    const live = readFileSync(path.join(ponderDir, "dist", "esm", "runtime", "multichain.js"), "utf8");
    expect(live).to.include("SELECT pg_notify(${getLiveQueryChannelName(schema)}, ${reverted})");
    expect(live).to.include("import { getLiveQueryChannelName, getLiveQueryTempTableName }");
  });

  it("runs every speed hunk unless the benchmark's switch names it", () => {
    for (const file of [
      ["runtime", "multichain.js"],
      ["sync-historical", "index.js"],
    ]) {
      const source = readFileSync(path.join(ponderDir, "dist", "esm", ...file), "utf8");
      expect(source).to.include(
        'const UNPATCHED = new Set((process.env.TRIBUTARY_PONDER_UNPATCHED ?? "").split(","));',
      );
    }
  });

  it("inserts the backfill's blocks, transactions and logs in batches, not three statements per block", () => {
    const historical = readFileSync(path.join(ponderDir, "dist", "esm", "sync-historical", "index.js"), "utf8");
    expect(historical).to.include("const INSERT_BATCH_BLOCKS = 100;");
    expect(historical).to.include("await flushPending();");
    // Ponder's per-block inserts are left only behind the benchmark's switch, which returns before the batching.
    const perBlock = "syncStore.insertBlocks({ blocks: [block], chainId: args.chain.id })";
    expect(historical.split(perBlock)).to.have.length(2);
    const branch = patchedBranch(historical, "backfillInserts");
    expect(branch.indexOf(perBlock)).to.be.lessThan(branch.indexOf("return;"));
    expect(branch.indexOf("return;")).to.be.lessThan(branch.indexOf("pendingBlocks.push(block);"));
  });

  it("watches the WebSocket head subscription, with the timeout the config passes through", () => {
    const rpc = readFileSync(path.join(ponderDir, "dist", "esm", "rpc", "index.js"), "utf8");
    expect(rpc).to.include("const startWatchdog = (onBlock, onError) => {");
    expect(rpc).to.include("startWatchdog(onBlock, onError);");
    expect(rpc).to.include('"Detected a dead WebSocket subscription, subscribing again"');
    const config = readFileSync(path.join(ponderDir, "dist", "esm", "build", "config.js"), "utf8");
    expect(config).to.include("wsHeadTimeout: chain.wsHeadTimeout,");
  });

  it("lets the app refuse readiness once the backfill is done", () => {
    const server = readFileSync(path.join(ponderDir, "dist", "esm", "server", "index.js"), "utf8");
    expect(server).to.include("await globalThis.TRIBUTARY_READY_CHECK?.()");
  });

  it("answers the refusals of Ponder's own routes in the app's JSON shape, not as text", () => {
    const server = readFileSync(path.join(ponderDir, "dist", "esm", "server", "index.js"), "utf8");
    expect(server).to.include('return c.json({ error: "Historical indexing is not complete." }, 503);');
    expect(server).to.include("return c.json({ error: refusal }, 503);");
    expect(server).to.include('return c.json({ error: "internal error" }, 500);');
    expect(server).not.to.include("c.text(refusal, 503)");
    expect(server).not.to.include("return c.json(error, 500);");
  });

  it("finalizes only the tables that hold reorg rows of final blocks", () => {
    const live = readFileSync(path.join(ponderDir, "dist", "esm", "runtime", "multichain.js"), "utf8");
    expect(live).to.include("tables: finalizable,");
    expect(live).not.to.match(/finalizeMultichain\(database\.userQB, \{\s*checkpoint: event\.checkpoint,\s*tables,/);
    // Every table only behind the benchmark's switch; otherwise those holding final reorg rows.
    expect(patchedBranch(live, "finalize")).to.match(/^UNPATCHED\.has\("finalize"\) \? tables : tables\.filter\(/);
  });
});
