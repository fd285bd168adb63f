// The end-to-end scenario shared by the PGlite and PostgreSQL tiers: a real node, a real deployment, real
// transactions, the indexer as a child process, and its REST, GraphQL and SQL answers.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, it } from "node:test";

import { createClient } from "@ponder/client";
import { keccak256, toHex, type Hex } from "viem";

import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Deployment,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { teardown } from "./lib/tx.ts";
import * as schema from "../../indexer/ponder.schema.ts";

const ALICE: Hex = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const BOB: Hex = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

export interface ScenarioOptions {
  /** PostgreSQL connection string; PGlite when absent. */
  databaseUrl?: () => string;
}

/** Declares the scenario's tests inside the caller's `describe`. */
export function endToEndScenario(options: ScenarioOptions = {}) {
  let node: LocalNode;
  let indexer: Indexer;
  let deployment: Deployment;
  let deploymentsDir: string;
  let clients: ReturnType<typeof localClients>;
  const prompt = keccak256(toHex("Explain royalties to a five-year-old."));
  const dataset = keccak256(toHex("dataset root: 3 files"));
  let live: Hex;

  before(async () => {
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-deployments-"));
    deployment = await deploy(node.url, deploymentsDir);
    clients = localClients(node.url);
    const registry = deployment.contracts.AuthorshipRegistry.address;
    // Registered before the indexer starts: it finds these in its backfill.
    await registerContribution(clients, registry, ALICE, prompt, KIND.prompt, "ipfs://prompt-metadata");
    await registerContribution(clients, registry, BOB, dataset, KIND.dataset, "");
    indexer = await startIndexer({
      rpcUrl: node.url,
      deploymentsDir,
      databaseUrl: options.databaseUrl?.(),
      schema: `e2e_${process.pid}`,
    });
    // Registered while it runs: it must pick this one up live.
    live = keccak256(toHex(`a correction made at ${Date.now()}`));
    const receipt = await registerContribution(clients, registry, BOB, live, KIND.correction, "ar://live");
    await waitForIndexedBlock(indexer.url, receipt.blockNumber);
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  it("serves a registered contribution over REST with every field of its event", async () => {
    const response = await fetch(`${indexer.url}/contributions/${prompt}`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.contributionId, prompt);
    assert.equal(body.id, undefined);
    assert.equal(body.author, ALICE.toLowerCase());
    assert.equal(body.kind, "prompt");
    assert.equal(body.uri, "ipfs://prompt-metadata");
    assert.equal(body.trainingConsent, true);
    assert.match(String(body.registeredAt), /^\d+$/);
    assert.match(String(body.transactionHash), /^0x[0-9a-f]{64}$/);
  });

  it("indexes a contribution registered while the indexer runs", async () => {
    const body = (await (await fetch(`${indexer.url}/contributions/${live}`)).json()) as Record<string, unknown>;
    assert.equal(body.author, BOB.toLowerCase());
    assert.equal(body.kind, "correction");
    assert.equal(body.uri, "ar://live");
  });

  it("accepts a hash in upper-case hex", async () => {
    const response = await fetch(`${indexer.url}/contributions/0x${dataset.slice(2).toUpperCase()}`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { kind: string }).kind, "dataset");
  });

  it("answers 400 with a message for a malformed hash", async () => {
    for (const bad of ["0x1234", "not-a-hash", `0x${"g".repeat(64)}`, `${"a".repeat(64)}`]) {
      const response = await fetch(`${indexer.url}/contributions/${bad}`);
      assert.equal(response.status, 400, bad);
      const body = (await response.json()) as { error: string; parameter: string };
      assert.equal(body.parameter, "contributionId");
      assert.match(body.error, /64 hexadecimal/);
    }
  });

  it("answers 404 for a hash nobody registered", async () => {
    const unknown = keccak256(toHex("never registered"));
    const response = await fetch(`${indexer.url}/contributions/${unknown}`);
    assert.equal(response.status, 404);
    assert.match(((await response.json()) as { error: string }).error, /no contribution/);
  });

  it("answers GraphQL queries filtered by author", async () => {
    const response = await fetch(`${indexer.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query ($author: String!) {
          contributions(where: { author: $author }, orderBy: "registeredAt") { items { id kind uri } totalCount }
        }`,
        variables: { author: BOB.toLowerCase() },
      }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      data: { contributions: { totalCount: number; items: { id: string; kind: string }[] } };
    };
    assert.equal(body.data.contributions.totalCount, 2);
    assert.deepEqual(body.data.contributions.items.map((item) => item.kind).sort(), ["correction", "dataset"]);
  });

  it("answers SQL over HTTP through the Ponder client", async () => {
    const client = createClient(`${indexer.url}/sql`, { schema });
    const rows = await client.db.select().from(schema.contribution);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows.map((row) => row.id).sort(), [prompt, dataset, live].sort());
  });
}
