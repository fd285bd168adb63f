// `npm run rehearse -- --chain-id 11155111`: rehearses a deployment to another network, offline. It starts a local
// Hardhat node that reports that chain's id, deploys to it with the same script and the same `remote` network
// configuration a real deployment uses (scripts/deploy.ts --network remote), checks the result, and stops the node.
//
// The deployment file goes to a rehearsal folder (a new temporary folder, or --out <dir>), never to deployments/, and
// the Ignition journal is thrown away, so nothing is left that could pass for a real deployment of that chain.
// The deployer key is TRIBUTARY_DEPLOYER_KEY from the environment when set, else Hardhat's test account #0; with
// --keystore-key it comes from the Hardhat keystore, exactly as the real deployment will read it (the password is
// asked). The rehearsal node funds the deployer itself: no real funds are ever involved.
import { once } from "node:events";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { createPublicClient, http, type Hex } from "viem";

import { ROOT, WaitAborted, childEnv, freePort, launch, rpc, waitFor } from "./lib/stack.ts";

const HARDHAT_CLI = path.join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");
// Hardhat's test account #0: public knowledge, fine for a chain that lives for a minute on this machine.
const TEST_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        "chain-id": { type: "string" },
        out: { type: "string" },
        "keystore-key": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}; run npm run rehearse -- --help`);
  }
})();

if (values.help) {
  console.log(`Rehearse a deployment to another chain against a local node with that chain's id.

  npm run rehearse -- --chain-id <id> [--out <dir>] [--keystore-key]

  --chain-id <id>   the chain to rehearse, e.g. 11155111 (Sepolia), 84532 (Base Sepolia)
  --out <dir>       where to write <id>.json (default: a new temporary folder)
  --keystore-key    sign with TRIBUTARY_DEPLOYER_KEY from the Hardhat keystore, as the real deployment will`);
  process.exit(0);
}

const chainId = Number(values["chain-id"]);
if (!values["chain-id"] || !Number.isSafeInteger(chainId) || chainId <= 0) {
  fail(`--chain-id "${values["chain-id"] ?? ""}" is not a chain id; give a positive whole number such as 11155111`);
}
const out = values.out
  ? path.resolve(values.out)
  : await mkdtemp(path.join(tmpdir(), `tributary-rehearsal-${chainId}-`));
if (path.resolve(out) === path.join(ROOT, "deployments")) {
  fail("--out is the real deployments/ folder; a rehearsal writes elsewhere: choose another --out");
}
await mkdir(out, { recursive: true });

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
console.log(`starting a Hardhat node on ${url} reporting chain ${chainId}`);
const node = launch("hardhat node", [
  HARDHAT_CLI,
  "node",
  "--hostname",
  "127.0.0.1",
  "--port",
  String(port),
  "--chain-id",
  String(chainId),
]);
/** Inside the rehearsal: fails it, stopping the node first (see finally below). */
function abort(message: string): never {
  throw new Error(message);
}

let code = 1;
try {
  const reported = await waitFor(
    `the Hardhat node at ${url}`,
    async () => {
      if (node.child.exitCode !== null) throw new WaitAborted(`the node exited:\n${node.output()}`);
      return Number(await rpc<string>(url, "eth_chainId"));
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  if (reported !== chainId) abort(`the rehearsal node reports chain ${reported}, not ${chainId}`);

  console.log("deploying with scripts/deploy.ts --network remote");
  const deployEnv = childEnv({
    TRIBUTARY_REMOTE_RPC_URL: url,
    TRIBUTARY_REMOTE_CHAIN_ID: String(chainId),
    TRIBUTARY_DEPLOYMENTS_DIR: out,
    TRIBUTARY_REHEARSAL: "true",
  });
  if (!values["keystore-key"]) deployEnv.TRIBUTARY_DEPLOYER_KEY ??= TEST_KEY;
  else delete deployEnv.TRIBUTARY_DEPLOYER_KEY;
  const { spawn } = await import("node:child_process");
  // The contracts are built without the Solidity tests, which a deployment never needs (as deploy() in
  // scripts/lib/stack.ts does); then the deploy script runs without compiling.
  const build = spawn(process.execPath, [HARDHAT_CLI, "build", "--no-tests", "--quiet"], {
    cwd: ROOT,
    env: childEnv(),
    stdio: "inherit",
  });
  const [buildCode] = (await once(build, "exit")) as [number | null];
  if (buildCode !== 0) abort(`the contracts did not compile (exit ${buildCode}); see above`);
  // The terminal is passed through: the keystore may ask for its password.
  const deploy = spawn(
    process.execPath,
    [HARDHAT_CLI, "run", "--no-compile", "--network", "remote", "scripts/deploy.ts"],
    { cwd: ROOT, env: deployEnv, stdio: "inherit" },
  );
  const [deployCode] = (await once(deploy, "exit")) as [number | null];
  if (deployCode !== 0) abort(`the deployment failed (exit ${deployCode}); see above`);

  // Check what a user of that chain would rely on: the file names this chain, and every contract has code.
  const file = path.join(out, `${chainId}.json`);
  const deployment = JSON.parse(await readFile(file, "utf8")) as {
    chainId: number;
    contracts: Record<string, { address: Hex; startBlock: number }>;
  };
  if (deployment.chainId !== chainId) abort(`${file} names chain ${deployment.chainId}`);
  const client = createPublicClient({ transport: http(url) });
  for (const [name, contract] of Object.entries(deployment.contracts)) {
    const bytecode = await client.getCode({ address: contract.address });
    if (!bytecode || bytecode === "0x") abort(`${name} has no code at ${contract.address}`);
  }
  console.log(
    `rehearsal of chain ${chainId} passed: ${Object.keys(deployment.contracts).join(", ")} deployed; wrote ${file}`,
  );
  code = 0;
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
} finally {
  // Never leave the node running, whatever failed.
  await node.stop();
}
process.exit(code);
