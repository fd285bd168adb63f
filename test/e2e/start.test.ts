// `npm start` as a user runs it: the whole stack comes up, the API answers, Ctrl-C stops every process it started,
// and a second start works right after; an indexer killed with SIGKILL is started again on the same chain and port
// while the node keeps running, and the CLI keeps working.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import { ROOT, WaitAborted, childEnv, freePort, waitFor, waitForIndexedBlock } from "../../scripts/lib/stack.ts";
import { runCli } from "../cli/lib/run.ts";
import { hashText } from "../../sdk/node.ts";

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function startStack(dir: string, nodePort: number, apiPort: number) {
  const child = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: ROOT,
    env: childEnv({
      TRIBUTARY_NODE_PORT: String(nodePort),
      TRIBUTARY_API_PORT: String(apiPort),
      TRIBUTARY_DEPLOYMENTS_DIR: path.join(dir, "deployments"),
      TRIBUTARY_PGLITE_DIR: path.join(dir, "pglite"),
      DATABASE_URL: undefined,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    "npm start to print that it is ready",
    async () => {
      if (child.exitCode !== null) throw new Error(`start exited early:\n${output}`);
      return output.includes("Press Ctrl-C") ? true : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 200 },
  );
  return { child, output: () => output };
}

/** The pid of the `ponder start` that the process `parent` runs. */
function ponderChild(parent: number): number {
  const children = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(parent)], { encoding: "utf8" });
  const line = children.split("\n").find((entry) => entry.includes("ponder.js") && entry.includes(" start "));
  assert.ok(line, `no ponder start among the children of ${parent}:\n${children}`);
  return Number(line.trim().split(/\s+/)[0]);
}

/** The registry's address from the deployment `npm start` wrote under `dir`. */
function deploymentRegistry(dir: string): Hex {
  const file = path.join(dir, "deployments", "31337.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { contracts: { AuthorshipRegistry: { address: Hex } } }).contracts
    .AuthorshipRegistry.address;
}

describe("npm start", () => {
  let dir: string;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("serves the demo contributions, stops everything on Ctrl-C, and starts again right after", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tributary-start-"));
    const nodePort = await freePort();
    const apiPort = await freePort();

    for (const round of [1, 2]) {
      const stack = await startStack(dir, nodePort, apiPort);
      const curl = stack.output().match(/curl (http:\/\/127\.0\.0\.1:\d+\/contributions\/0x[0-9a-f]{64})/);
      assert.ok(curl, `round ${round}: the example query is printed`);
      const response = await fetch(curl[1]!);
      assert.equal(response.status, 200, `round ${round}: the printed example answers`);
      assert.equal(((await response.json()) as { kind: string }).kind, "prompt");
      assert.equal(await listening(nodePort), true);

      stack.child.kill("SIGINT");
      const [code] = (await once(stack.child, "exit")) as [number | null];
      assert.equal(code, 0, `round ${round}: exits cleanly on SIGINT`);
      assert.equal(await listening(nodePort), false, `round ${round}: the node is stopped`);
      assert.equal(await listening(apiPort), false, `round ${round}: the indexer is stopped`);
    }
  });

  it("restarts an indexer killed with SIGKILL on the same chain and port; the node keeps running, the CLI keeps working", async () => {
    dir ??= await mkdtemp(path.join(tmpdir(), "tributary-start-"));
    const nodePort = await freePort();
    const apiPort = await freePort();
    const stack = await startStack(dir, nodePort, apiPort);
    try {
      const rpcUrl = `http://127.0.0.1:${nodePort}`;
      const apiUrl = `http://127.0.0.1:${apiPort}`;
      const cli = (args: string[]) =>
        runCli({ cwd: dir, rpcUrl, apiUrl, deploymentsDir: path.join(dir, "deployments"), secrets: [] }, args);
      const hash = stack.output().match(/curl http:\/\/127\.0\.0\.1:\d+\/contributions\/(0x[0-9a-f]{64})/)![1]!;
      assert.equal((await cli(["contribution", hash])).code, 0);

      // The demo played one epoch: published, its window passed, bob's share claimed with a proof from its leaf file.
      const played = stack.output().match(/epoch 1 of epoch pool (\d+) paid bob ([\d.]+) ETH; its leaf file: (\S+)/);
      assert.ok(played, "the demo says which epoch it played");
      assert.ok(Number(played[2]) > 0, "bob was paid from the epoch");
      const epoch = await cli(["--json", "epoch", "show", played[1]!, "1"]);
      assert.equal(epoch.code, 0, epoch.stderr);
      assert.equal(JSON.parse(epoch.stdout).status, "payable");
      const bob = hashText("Correction: the capital of Australia is Canberra.");
      const earned = await cli(["--json", "earnings", bob, "--leaves", played[3]!]);
      assert.equal(earned.code, 0, earned.stderr);
      const [row] = JSON.parse(earned.stdout).epochs as { claimed: string; claimable: string }[];
      assert.ok(row && BigInt(row.claimed) > 0n, "the epoch's leaf for bob is claimed on-chain");
      assert.equal(row.claimable, "0");
      assert.match(
        stack.output(),
        /npx tributary claim 0x[0-9a-f]{64} --leaves \S+ --pool \d+/,
        "the banner says how to claim",
      );

      const pid = ponderChild(stack.child.pid!);

      process.kill(pid, "SIGKILL");
      const back = await waitFor(
        "the indexer to be back",
        async () => {
          if (stack.child.exitCode !== null) throw new WaitAborted(`start exited:\n${stack.output()}`);
          return stack.output().match(/the indexer is back \(pid (\d+)\)/)?.[1];
        },
        { timeoutMs: 120_000, intervalMs: 200 },
      );
      assert.notEqual(Number(back), pid);
      assert.equal(Number(back), ponderChild(stack.child.pid!));
      assert.match(stack.output(), new RegExp(`indexer pid ${pid}`), "the banner names the indexer's pid");
      assert.equal(await listening(nodePort), true, "the node kept running");
      assert.match(stack.output(), /stopped unexpectedly \(SIGKILL\)/);

      // The same chain: the demo's contribution is there again, and a new registration reaches the API.
      const shown = await cli(["contribution", hash]);
      assert.equal(shown.code, 0, shown.stderr);
      const clients = localClients(rpcUrl);
      const [author] = (await clients.walletClient.getAddresses()) as Hex[];
      const fresh = keccak256(toHex(`registered after the restart ${Date.now()}`));
      const receipt = await registerContribution(clients, deploymentRegistry(dir), author!, fresh, KIND.prompt, "");
      await waitForIndexedBlock(apiUrl, receipt.blockNumber);
      const after = await cli(["contribution", fresh]);
      assert.equal(after.code, 0, after.stderr);
      const solvency = await cli(["solvency"]);
      assert.equal(solvency.code, 0, `${solvency.stdout}\n${solvency.stderr}`);
      assert.equal(solvency.stderr, "", "no warning: the API keeps up with the node");
    } finally {
      if (stack.child.exitCode === null && stack.child.signalCode === null) {
        stack.child.kill("SIGINT");
        await once(stack.child, "exit");
      }
    }
    assert.equal(await listening(nodePort), false, "Ctrl-C still stops the node");
    assert.equal(await listening(apiPort), false, "and the restarted indexer");
  });
});
