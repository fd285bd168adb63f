// `npm start` as a user runs it: the whole stack comes up, the API answers, Ctrl-C stops every process it started,
// and a second start works right after.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";

import { ROOT, childEnv, freePort, waitFor } from "../../scripts/lib/stack.ts";

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
});
