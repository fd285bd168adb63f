// `npm run rehearse`: a deployment to another chain rehearsed against a local node with that chain's id, through the
// same deploy script and `remote` network configuration; it leaves no deployment file or Ignition journal behind.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { ROOT, childEnv } from "../../scripts/lib/stack.ts";

function rehearse(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "rehearse.ts"), ...args], {
      cwd: ROOT,
      env: childEnv({ TRIBUTARY_DEPLOYER_KEY: undefined, CI: "true" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

const journals = () =>
  existsSync(path.join(ROOT, "ignition", "deployments"))
    ? readdirSync(path.join(ROOT, "ignition", "deployments")).filter((name) => name.startsWith("rehearsal-"))
    : [];

describe("npm run rehearse", () => {
  let out: string;
  after(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it("deploys to a local node reporting Sepolia's chain id, writing the file to the rehearsal folder only", async () => {
    out = await mkdtemp(path.join(tmpdir(), "tributary-rehearse-test-"));
    const realFile = path.join(ROOT, "deployments", "11155111.json");
    const existedBefore = existsSync(realFile);
    const run = await rehearse(["--chain-id", "11155111", "--out", out]);
    assert.equal(run.code, 0, run.output);
    assert.match(
      run.output,
      /rehearsal of chain 11155111 passed: AuthorshipRegistry, RoyaltyVault, AttributionEpochs deployed/,
    );
    const deployment = JSON.parse(await readFile(path.join(out, "11155111.json"), "utf8"));
    assert.equal(deployment.chainId, 11155111);
    assert.match(deployment.contracts.RoyaltyVault.address, /^0x[0-9a-fA-F]{40}$/);
    assert.match(deployment.contracts.AttributionEpochs.address, /^0x[0-9a-fA-F]{40}$/);
    assert.equal(existsSync(realFile), existedBefore, "deployments/ is untouched");
    assert.deepEqual(journals(), [], "no Ignition journal is left");
  });

  it("refuses a malformed chain id and the real deployments folder on one line", async () => {
    const bad = await rehearse(["--chain-id", "sepolia"]);
    assert.equal(bad.code, 1);
    assert.match(bad.output, /^error: --chain-id "sepolia" is not a chain id; /);
    assert.equal(bad.output.trim().split("\n").length, 1);
    const real = await rehearse(["--chain-id", "5", "--out", path.join(ROOT, "deployments")]);
    assert.equal(real.code, 1);
    assert.match(real.output, /^error: --out is the real deployments\/ folder/);
  });
});
