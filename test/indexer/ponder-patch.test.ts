// The indexer runs Ponder with patches/ponder+<version>.patch applied (docs/operations.md, "A patch to Ponder"): the
// install applies it after every `npm install`, and these checks fail if the Ponder that runs is not the patched one.
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import { patchedPackage } from "./patched.ts";

describe("the patched Ponder", () => {
  const { dir: ponderDir, version, patches } = patchedPackage("ponder");

  it("has a patch for the installed Ponder version", () => {
    expect(patches).to.deep.equal([`ponder+${version}.patch`]);
  });

  it("stamps reorg rows only for the tables a block wrote, in the live loop Ponder runs", () => {
    const live = readFileSync(path.join(ponderDir, "dist", "esm", "runtime", "multichain.js"), "utf8");
    expect(live).to.include("Tributary patch");
    expect(live).to.include('label: "select_written_tables"');
    expect(live).not.to.include("await Promise.all(tables.map((table) => commitBlock(");
  });

  it("inserts the backfill's blocks, transactions and logs in batches, not three statements per block", () => {
    const historical = readFileSync(path.join(ponderDir, "dist", "esm", "sync-historical", "index.js"), "utf8");
    expect(historical).to.include("const INSERT_BATCH_BLOCKS = 100;");
    expect(historical).to.include("await flushPending();");
    expect(historical).not.to.include("syncStore.insertBlocks({ blocks: [block], chainId: args.chain.id })");
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
  });
});
