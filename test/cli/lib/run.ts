// Runs the real `tributary` process for the CLI journeys, with a stack's network in its environment, and fails the
// test if any of the given private keys appears in what it printed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";

import type { Hex } from "viem";

import { ROOT } from "../../../scripts/lib/stack.ts";

export const CLI = path.join(ROOT, "cli", "tributary.ts");

/** What one CLI process printed and how it exited. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliContext {
  cwd: string;
  rpcUrl: string;
  apiUrl: string;
  deploymentsDir: string;
  /** Every key the test knows: none may ever be printed. */
  secrets: readonly Hex[];
}

/** Runs `tributary args` signing with `key` (or with no key), `env` on top of the stack's network. */
export function runCli(context: CliContext, args: string[], key?: Hex, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: context.cwd,
      env: {
        ...process.env,
        TRIBUTARY_RPC_URL: context.rpcUrl,
        TRIBUTARY_API_URL: context.apiUrl,
        TRIBUTARY_DEPLOYMENTS_DIR: context.deploymentsDir,
        TRIBUTARY_PRIVATE_KEY: key ?? "",
        TRIBUTARY_KEYSTORE: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => {
      for (const secret of context.secrets) {
        assert.ok(!`${stdout}${stderr}`.includes(secret.slice(2)), "a private key was printed");
      }
      resolve({ code, stdout, stderr });
    });
  });
}
