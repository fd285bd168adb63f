// The indexer indexes AttributionEpochs exactly when the deployment file names it: a deployment from before the
// epochs contract (registry and vault only) still starts, with the epoch routes answering from empty tables.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { loadSettings } from "../../indexer/config.ts";
import { restoreEnvAfterEach } from "../lib/env.ts";

const REGISTRY = { address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", startBlock: 1 };
const VAULT = { address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", startBlock: 1 };
const EPOCHS = { address: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", startBlock: 2 };

describe("loadSettings: the epochs contract", () => {
  const NAMES = ["TRIBUTARY_DEPLOYMENTS_DIR", "TRIBUTARY_CHAIN_ID", "TRIBUTARY_PGLITE_DIR"] as const;
  restoreEnvAfterEach(NAMES);
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tributary-epochs-config-"));
    process.env.TRIBUTARY_DEPLOYMENTS_DIR = dir;
    process.env.TRIBUTARY_CHAIN_ID = "31337";
    process.env.TRIBUTARY_PGLITE_DIR = path.join(dir, "pglite");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = (contracts: Record<string, unknown>) =>
    writeFile(path.join(dir, "31337.json"), JSON.stringify({ chainId: 31337, deployedAt: "", contracts }));

  it("names the epochs contract and its start block when the deployment has it", async () => {
    await write({ AuthorshipRegistry: REGISTRY, RoyaltyVault: VAULT, AttributionEpochs: EPOCHS });
    expect(loadSettings().epochs).to.deep.equal(EPOCHS);
  });

  it("has none for a deployment from before the epochs contract", async () => {
    await write({ AuthorshipRegistry: REGISTRY, RoyaltyVault: VAULT });
    expect(loadSettings().epochs).to.equal(undefined);
  });

  it("refuses an AttributionEpochs entry without a start block, naming the file and the contract", async () => {
    await write({ AuthorshipRegistry: REGISTRY, RoyaltyVault: VAULT, AttributionEpochs: { address: EPOCHS.address } });
    expect(() => loadSettings()).to.throw(/31337\.json is malformed: AttributionEpochs has no startBlock/);
  });
});
