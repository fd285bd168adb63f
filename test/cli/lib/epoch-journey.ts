// What the epoch CLI journeys share: Hardhat's development keys by role, and the real `tributary` process run as one
// of them, with the helpers that check a command's JSON answer, or its one-line refusal with no transaction sent.
import assert from "node:assert/strict";

import { parseEther, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { rpc } from "../../../scripts/lib/stack.ts";
import { runCli, type Run } from "./run.ts";

// Hardhat's well-known development accounts.
export const KEYS = {
  provider: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  challenger: "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bob: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  keeper: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
} as const satisfies Record<string, Hex>;
export type Who = keyof typeof KEYS;
export const address = (who: Who) => privateKeyToAccount(KEYS[who]).address;
/** The challenge window of the journeys' epoch pool, in seconds. */
export const WINDOW = 3600;

export interface JourneyContext {
  work: string;
  rpcUrl: string;
  /** The API URL a command gets unless it names another; "" for none. */
  apiUrl: string;
  deploymentsDir: string;
  /** The AttributionEpochs contract, for `epoch build --contract`. */
  epochs: Hex;
  env?: Record<string, string>;
}

/** The journey's commands over a context read when each runs (its stack is made in `before`). */
export function epochJourney(context: () => JourneyContext) {
  const cli = (args: string[], who?: Who, apiUrl?: string): Promise<Run> => {
    const c = context();
    return runCli(
      {
        cwd: c.work,
        rpcUrl: c.rpcUrl,
        apiUrl: apiUrl ?? c.apiUrl,
        deploymentsDir: c.deploymentsDir,
        secrets: Object.values(KEYS),
      },
      args,
      who ? KEYS[who] : undefined,
      c.env,
    );
  };
  const ok = async (args: string[], who?: Who, apiUrl?: string) => {
    const run = await cli([...args, "--json"], who, apiUrl);
    assert.equal(run.code, 0, `tributary ${args.join(" ")} failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  const nonces = () =>
    Promise.all(
      (Object.keys(KEYS) as Who[]).map((who) =>
        rpc<string>(context().rpcUrl, "eth_getTransactionCount", [address(who), "latest"]),
      ),
    );
  /** Runs a command that must fail: one line on stderr matching `message`, exit 1, no transaction sent. */
  const refused = async (args: string[], who: Who | undefined, message: RegExp, apiUrl?: string) => {
    const before = await nonces();
    const run = await cli(args, who, apiUrl);
    assert.equal(run.code, 1, `tributary ${args.join(" ")} should fail: ${run.stdout}`);
    assert.equal(run.stdout, "");
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /^error: /);
    assert.match(lines[0]!, message);
    assert.deepEqual(await nonces(), before, "a transaction was sent");
    return lines[0]!;
  };
  /** `epoch build` of pool 1's epoch `epoch` from usage.jsonl, sharing 1 ETH, into `out`. */
  const build = (epoch: number, out: string, extra: string[] = []) =>
    ok([
      "epoch",
      "build",
      "--usage",
      "usage.jsonl",
      "--amount",
      String(parseEther("1")),
      "--pool",
      "1",
      "--epoch",
      String(epoch),
      "--contract",
      context().epochs,
      "--out",
      out,
      ...extra,
    ]);
  return { cli, ok, nonces, refused, build };
}
