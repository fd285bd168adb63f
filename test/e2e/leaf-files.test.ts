// Leaf files through the indexer's API, on PGlite and on PostgreSQL: a node with AttributionEpochs, a payable epoch,
// a vetoed one and an unpublished one; every bad upload refused with nothing stored; the good one stored, its proofs
// paying on chain, an author's claims; a kill -9 in the middle of a store leaves no partial epoch, and what was
// stored survives restarts. On PostgreSQL, `ponder serve` with a read-only role serves the same proofs.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { PGlite } from "@electric-sql/pglite";
import { keccak256, toHex, type Hex } from "viem";

import { attributionEpochsAbi } from "../../abis/AttributionEpochs.ts";
import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import {
  deploy,
  killHard,
  launchIndexer,
  serveIndexer,
  startNode,
  waitFor,
  waitReady,
  type Indexer,
  type IndexerOptions,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { apiProofSource, TributaryApi } from "../../sdk/api.ts";
import { getProof } from "../../sdk/epochs/index.ts";
import { ApiError } from "../../sdk/errors.ts";
import {
  buildLeafFile,
  createEpochPool,
  passWindow,
  publishLeafFile,
  randomWeights,
  vetoEpoch,
  type LeafFile,
} from "./lib/epochs.ts";
import {
  adminUrl,
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresRows,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";

const ALICE: Hex = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const SCHEMA = "tributary_leaves";
/** The upload limit the indexer runs with here, so that an oversized upload stays small. */
const MAX_MB = 16;
/** Leaves of the epoch the kill -9 interrupts: enough that its store takes a while. */
const BIG = 120_000;

const unreachable = await postgresUnreachable();

interface Stack {
  node: LocalNode;
  deploymentsDir: string;
  epochs: Hex;
  clients: ReturnType<typeof localClients>;
  /** Pool 1: epoch 1 payable (its file `good`), epoch 2 vetoed. Pool 2: epoch 1 pending, a big file. */
  good: LeafFile;
  vetoed: LeafFile;
  big: LeafFile;
  alice: Hex[];
}

async function setUpChain(): Promise<Stack> {
  const node = await startNode();
  const deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-leaves-"));
  const deployment = (await deploy(node.url, deploymentsDir)) as unknown as {
    contracts: { AuthorshipRegistry: { address: Hex }; AttributionEpochs: { address: Hex } };
  };
  const registry = deployment.contracts.AuthorshipRegistry.address;
  const epochs = deployment.contracts.AttributionEpochs.address;
  const clients = localClients(node.url);
  const alice = [1, 2, 3].map((i) => keccak256(toHex(`leaf files: alice's prompt ${i}`)));
  for (const id of alice) await registerContribution(clients, registry, ALICE, id, KIND.prompt, "");

  const pool = await createEpochPool(clients, epochs, ALICE, 10n ** 18n);
  const domain = { chainId: 31337, contract: epochs, poolId: pool };
  const weights = randomWeights(40, 7);
  for (const id of alice) weights.set(id, 500n);
  const good = await buildLeafFile({ domain, epochId: 1, amount: 1_000_003n, weights });
  await publishLeafFile(clients, epochs, ALICE, good);
  await passWindow(node.url);
  const vetoed = await buildLeafFile({ domain, epochId: 2, amount: 500n, weights, previous: good });
  await publishLeafFile(clients, epochs, ALICE, vetoed);
  await vetoEpoch(clients, epochs, ALICE, pool, 2);

  const second = await createEpochPool(clients, epochs, ALICE, 10n ** 18n);
  const bigDomain = { ...domain, poolId: second };
  const big = await buildLeafFile({
    domain: bigDomain,
    epochId: 1,
    amount: 10n ** 12n,
    weights: randomWeights(BIG, 11),
  });
  await publishLeafFile(clients, epochs, ALICE, big);
  return { node, deploymentsDir, epochs, clients, good, vetoed, big, alice };
}

/** UPLOAD_GRACE_MS of indexer/src/api/leaves/ingest.ts (not imported: its class syntax needs more than type stripping). */
const UPLOAD_GRACE_MS = 10_000;

const upload = (api: string, poolId: bigint, epochId: number, body: Uint8Array | string) =>
  fetch(`${api}/epochs/${poolId}/${epochId}/leaves`, {
    method: "POST",
    body: body as Uint8Array<ArrayBuffer> | string,
    headers: { "content-type": "text/plain" },
  });

async function refused(response: Response, status: number, pattern: RegExp) {
  const body = (await response.json()) as { error?: string };
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(body.error ?? "", pattern);
}

/**
 * POSTs `body` with node:http, reading the answer even when the server answers before taking the whole body (then
 * it closes the connection, and writing the rest fails: that failure is ignored here).
 */
function postRaw(target: string, body: Uint8Array, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(target, {
      method: "POST",
      headers: chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(body.length) },
    });
    request.on("response", (response) => {
      answered = true;
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body: text });
        request.destroy();
      });
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    // With a Content-Length over the limit the answer comes before the body is read: only the headers are sent.
    if (!chunked) return void request.flushHeaders();
    request.end(body);
  });
}

/** POSTs `body` from the local address `from` (another client, to the API), answering its status, body and headers. */
function postFrom(
  from: string,
  target: string,
  body: Uint8Array,
): Promise<{ status: number; body: string; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(target, {
      method: "POST",
      localAddress: from,
      headers: { "content-length": String(body.length) },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: text,
          retryAfter: response.headers["retry-after"] as string | undefined,
        }),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Starts a chunked POST of `body` and sends only its first kilobyte, so that the upload stays in flight (being
 * received) until `finish` sends the rest; `finish` answers the status, body and Location.
 */
function slowPost(target: string, body: Uint8Array) {
  const request = http.request(target, { method: "POST", headers: { "transfer-encoding": "chunked" } });
  const answer = new Promise<{ status: number; body: string; location: string | undefined }>((resolve, reject) => {
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: text, location: response.headers.location }),
      );
    });
    request.on("error", reject);
  });
  request.write(body.subarray(0, 1024));
  return {
    finish: () => {
      request.end(body.subarray(1024));
      return answer;
    },
    /** The answer if the server gives one before the body is all sent. */
    answer,
    /** Stops sending: the request is dropped. */
    abandon: () => request.destroy(),
  };
}

/** `file` with its last leaf's amount raised by one: it no longer adds up to its header's total. */
function unbalanced(file: LeafFile): Uint8Array {
  const lines = text(file).split("\n");
  const last = lines.length - 2;
  const [id, amount, first] = lines[last]!.split(",");
  lines[last] = `${id},${BigInt(amount!) + 1n},${first}`;
  return new TextEncoder().encode(lines.join("\n"));
}

/** `ponder start` and its /ready, allowed longer than the default: the machine running the tiers may be loaded. */
async function startLoaded(options: IndexerOptions): Promise<Indexer> {
  const indexer = await launchIndexer(options);
  await waitReady(indexer, indexer.url, 600_000);
  return indexer;
}

const text = (file: LeafFile) => new TextDecoder().decode(file.bytes);

function leafFileScenario(options: {
  stack: () => Stack;
  start: () => Promise<Indexer>;
  /** Rows of the store's tables, read beside the indexer (PostgreSQL) or with it stopped (PGlite). */
  rows: (table: string) => Promise<number>;
  /** Whether `rows` needs the indexer stopped. */
  rowsNeedStop: boolean;
  /** Whether the database held a store of an earlier layout (one file) before the first start. */
  earlierLayout?: boolean;
  /** Whether to hold an upload under the rate floor until it is cut (some 10 s; one tier is enough). */
  trickle?: boolean;
}) {
  let api: Indexer;
  const stack = () => options.stack();
  const url = () => api.url;
  const pool = () => stack().good.header.poolId;

  before(async () => {
    api = await options.start();
  });
  after(async () => {
    await api?.stop();
  });

  const assertNothingStored = async () => {
    const status = await fetch(`${url()}/epochs/${pool()}/1/leaves`);
    await refused(status, 404, /no leaf file is stored/);
    if (!options.rowsNeedStop) {
      for (const table of ["leaf_file", "leaf", "tree_top"]) assert.equal(await options.rows(table), 0, table);
    }
  };

  if (options.earlierLayout) {
    it("drops a store of the earlier layout at its first start, saying how many files to upload again", async () => {
      await waitFor("the store's first start", async () =>
        /has an earlier layout; its 1 stored file\(s\) were removed: upload them again/.test(api.output())
          ? true
          : undefined,
      );
      await assertNothingStored();
    });
  }

  if (options.trickle) {
    it("cuts an upload that trickles in under the rate floor (408) and frees its slot, with nothing stored", async () => {
      const { good } = stack();
      // One kilobyte, then nothing: the floor (16 KB/s on average) holds from UPLOAD_GRACE_MS on.
      const held = slowPost(`${url()}/epochs/${pool()}/1/leaves`, good.bytes);
      const started = Date.now();
      const answer = await held.answer;
      const waited = Date.now() - started;
      assert.equal(answer.status, 408, answer.body);
      assert.match(
        answer.body,
        /the upload arrived at 0 KB\/s over 1\d s, slower than the 16 KB\/s an upload may take/,
      );
      assert.ok(waited >= UPLOAD_GRACE_MS - 500 && waited < UPLOAD_GRACE_MS + 5_000, `cut after ${waited} ms`);
      held.abandon();
      await assertNothingStored();
      // The slot is free again: the same client's next upload is read (and refused for what it is, not 429).
      await refused(await upload(url(), pool(), 1, "not a leaf file"), 422, /.+/);
    });
  }

  it("refuses an upload that is not a leaf file (non-JSON), with nothing stored", async () => {
    await refused(
      await upload(url(), pool(), 1, "contributionId,amount\n0x12,3\n"),
      422,
      /line 1: is not a leaf file's JSON header/,
    );
    await refused(await upload(url(), pool(), 1, ""), 422, /empty/);
    await assertNothingStored();
  });

  it("refuses a truncated upload, with nothing stored", async () => {
    const bytes = stack().good.bytes;
    await refused(
      await upload(url(), pool(), 1, bytes.subarray(0, bytes.length - 40)),
      422,
      /leaves where its header says|does not end with a line feed|is not <contributionId>/,
    );
    await assertNothingStored();
  });

  it("refuses a duplicated leaf, with nothing stored", async () => {
    const lines = text(stack().good).split("\n");
    lines.splice(2, 0, lines[2]!);
    await refused(
      await upload(url(), pool(), 1, lines.join("\n")),
      422,
      /line 4: 0x[0-9a-f]{64} is not after the line before it/,
    );
    await assertNothingStored();
  });

  it("refuses a file whose root is not the chain's, naming both roots, with nothing stored", async () => {
    const { good } = stack();
    const other = await buildLeafFile({
      domain: { chainId: 31337, contract: stack().epochs, poolId: pool() },
      epochId: 1,
      amount: 1_000_004n,
      weights: new Map(good.leaves.map((leaf) => [leaf.contributionId, 1n])),
    });
    const response = await upload(url(), pool(), 1, other.bytes);
    await refused(
      response,
      422,
      new RegExp(`root is ${other.header.root}, not the root the chain holds .*${good.header.root}`),
    );
    await assertNothingStored();
  });

  it("refuses a file of another epoch than the route's, and an oversized upload (413)", async () => {
    await refused(await upload(url(), pool(), 2, stack().good.bytes), 410, /vetoed/);
    await refused(await upload(url(), pool(), 3, stack().good.bytes), 404, /has no epoch 3 on chain/);
    const oversized = new Uint8Array(MAX_MB * 2 ** 20 + 1).fill(0x61);
    // Declared by its Content-Length, refused before it is read; sent in chunks, refused once past the limit.
    for (const chunked of [false, true]) {
      const answer = await postRaw(`${url()}/epochs/${pool()}/1/leaves`, oversized, chunked);
      assert.equal(answer.status, 413, answer.body);
      assert.match(answer.body, chunked ? /is over \d+ bytes/ : /a leaf file may be at most \d+/);
    }
    await refused(await upload(url(), 0n, 1, stack().good.bytes), 400, /poolId must be/);
    await refused(await upload(url(), pool(), 0, stack().good.bytes), 400, /epochId must be/);
    await assertNothingStored();
  });

  it("stores the epoch's file, once: 201, then 200 with stored false", async () => {
    const { good } = stack();
    const first = await upload(url(), pool(), 1, good.bytes);
    const body = (await first.json()) as Record<string, unknown>;
    assert.equal(first.status, 201, JSON.stringify(body));
    assert.equal(body.stored, true);
    assert.equal(body.root, good.header.root);
    assert.equal(body.leafFileHash, good.manifest.leafFileHash);
    assert.equal(body.leafCount, good.leaves.length);
    const again = await upload(url(), pool(), 1, good.bytes);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { stored: boolean }).stored, false);
    const status = (await (await fetch(`${url()}/epochs/${pool()}/1/leaves`)).json()) as Record<string, unknown>;
    assert.equal(status.status, "payable");
    assert.equal(status.total, good.header.total.toString());
  });

  it("serves every leaf's proof, equal to the SDK's from the file, and each pays on chain", async () => {
    const { good, clients, epochs } = stack();
    for (const leaf of good.leaves) {
      const response = await fetch(
        `${url()}/epochs/${pool()}/1/proofs/${leaf.contributionId.toUpperCase().replace("0X", "0x")}`,
      );
      const served = (await response.json()) as {
        cumulativeAmount: string;
        firstEpoch: number;
        proof: Hex[];
        root: Hex;
      };
      assert.equal(response.status, 200, JSON.stringify(served));
      const offline = await getProof({ chunks: [good.bytes], source: "file", contributionId: leaf.contributionId });
      assert.deepEqual(served.proof, offline.proof);
      assert.equal(served.cumulativeAmount, leaf.cumulativeAmount.toString());
      assert.equal(served.firstEpoch, leaf.firstEpoch);
    }
    const leaf = good.leaves[5]!;
    const served = (await (await fetch(`${url()}/epochs/${pool()}/1/proofs/${leaf.contributionId}`)).json()) as {
      proof: Hex[];
    };
    const claimable = await clients.publicClient.readContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName: "claimable",
      args: [
        {
          poolId: pool(),
          epochId: 1,
          contributionId: leaf.contributionId,
          cumulativeAmount: leaf.cumulativeAmount,
          firstEpoch: 1,
          proof: served.proof,
        },
      ],
    });
    assert.equal(claimable, leaf.cumulativeAmount);
  });

  it("gives the SDK's proof source the same proofs, and its errors for a vetoed or unknown epoch, and no proof for an unknown leaf", async () => {
    const { good } = stack();
    const source = apiProofSource(url());
    const leaf = good.leaves[1]!;
    const offline = await getProof({ chunks: [good.bytes], source: "file", contributionId: leaf.contributionId });
    assert.deepEqual(await source({ poolId: pool(), epochId: 1, contributionId: leaf.contributionId }), {
      cumulativeAmount: offline.cumulativeAmount,
      firstEpoch: offline.firstEpoch,
      proof: offline.proof,
    });
    await assert.rejects(
      source({ poolId: pool(), epochId: 2, contributionId: leaf.contributionId }),
      (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 410);
        return true;
      },
    );
    await assert.rejects(
      source({ poolId: pool(), epochId: 9, contributionId: leaf.contributionId }),
      (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 404);
        assert.match(error.shortMessage, /has no epoch 9/);
        return true;
      },
    );
    assert.equal(await source({ poolId: pool(), epochId: 1, contributionId: keccak256(toHex("nobody")) }), undefined);
  });

  it("answers 404 for an unknown epoch or leaf, 410 for a vetoed epoch, 400 for a malformed hash", async () => {
    const id = stack().good.leaves[0]!.contributionId;
    await refused(await fetch(`${url()}/epochs/${pool()}/9/proofs/${id}`), 404, /has no epoch 9 on chain/);
    await refused(await fetch(`${url()}/epochs/${pool()}/2/proofs/${id}`), 410, /vetoed/);
    await refused(
      await fetch(`${url()}/epochs/${pool()}/1/proofs/${keccak256(toHex("nobody"))}`),
      404,
      /has no leaf for/,
    );
    await refused(
      await fetch(`${url()}/epochs/${pool()}/1/proofs/0x1234`),
      400,
      /contributionId must be 0x followed by 64/,
    );
    await refused(
      await fetch(`${url()}/epochs/${stack().big.header.poolId}/1/proofs/${id}`),
      404,
      /no leaf file is stored/,
    );
    await refused(await fetch(`${url()}/claims/0x12`), 400, /author must be an address/);
  });

  it("lists an author's claims of the payable epochs with proofs the contract accepts", async () => {
    const response = await fetch(`${url()}/claims/${ALICE}?limit=2`);
    const page = (await response.json()) as {
      items: { contributionId: Hex; claimable: string; cumulativeAmount: string }[];
      nextCursor: string | null;
    };
    assert.equal(response.status, 200, JSON.stringify(page));
    assert.equal(page.items.length, 2);
    const rest = (await (await fetch(`${url()}/claims/${ALICE}?cursor=${page.nextCursor}`)).json()) as typeof page;
    const items = [...page.items, ...rest.items];
    assert.deepEqual(
      items.map((item) => item.contributionId),
      [...stack().alice].sort(),
    );
    for (const item of items) assert.equal(item.claimable, item.cumulativeAmount);
    assert.equal(rest.nextCursor, null);
  });

  it("answers a large upload 202 with its status URL, whose answer is the check's refusal; one upload per client and the global cap answer 429 with Retry-After", async () => {
    const { big } = stack();
    const poolId = big.header.poolId;
    const bad = unbalanced(big);
    // An upload held in flight (its body not all sent): the same client may not start another, and another client
    // finds the global cap (1) full.
    const held = slowPost(`${url()}/epochs/${poolId}/1/leaves`, bad);
    // A second upload comes once the held one has surely reached the caps (its route reads the chain first). Refused
    // before a byte of its body is read: a small body stands for any.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const again = await upload(url(), poolId, 1, "x");
    assert.equal(again.headers.get("retry-after"), "5");
    await refused(again, 429, /an upload from .* is in flight \(epoch 1 of pool \d+\): one at a time per client/);
    const other = await postFrom("127.0.0.2", `${url()}/epochs/${poolId}/1/leaves`, new TextEncoder().encode("x"));
    assert.equal(other.status, 429, other.body);
    assert.equal(other.retryAfter, "5");
    assert.match(other.body, /1 uploads are being received or checked, the most at once; retry in 5 s/);
    // Once received, a file over TRIBUTARY_LEAF_SYNC_KB is answered 202 and checked in the background.
    const accepted = await held.finish();
    const statusUrl = `/epochs/${poolId}/1/leaves/status`;
    assert.equal(accepted.status, 202, accepted.body);
    assert.deepEqual(JSON.parse(accepted.body), {
      state: "checking",
      poolId: String(poolId),
      epochId: 1,
      bytes: bad.length,
      statusUrl,
    });
    assert.equal(accepted.location, statusUrl);
    const outcome = await waitFor(
      "the upload's check to end",
      async () => {
        const response = await fetch(`${url()}${statusUrl}`);
        const answer = (await response.json()) as { state: string; error?: string };
        return answer.state === "checking" ? undefined : { status: response.status, answer };
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    assert.equal(outcome.status, 422, JSON.stringify(outcome.answer));
    assert.equal(outcome.answer.state, "refused");
    assert.match(outcome.answer.error ?? "", /adds up to \d+ where its header says \d+/);
    await refused(await fetch(`${url()}/epochs/${poolId}/1/leaves`), 404, /no leaf file is stored/);
    // The SDK follows the status to the end: the refusal is its error.
    await assert.rejects(new TributaryApi(url()).uploadLeafFile(poolId, 1, bad), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 422);
      assert.match(error.shortMessage, /adds up to/);
      return true;
    });
    await refused(await fetch(`${url()}/epochs/${poolId}/3/leaves/status`), 404, /has no epoch 3|no upload of epoch 3/);
  });

  it("leaves no partial epoch after a kill -9 in the middle of a store, and stores it after the restart", async () => {
    const { big } = stack();
    const poolId = big.header.poolId;
    const started = upload(url(), poolId, 1, big.bytes).catch(() => undefined);
    // The second pass writes the leaves in batches and logs its progress: kill at its first progress line.
    const progress = new RegExp(`storing epoch 1 of pool ${poolId} [^]*leaf files: 50000 of ${BIG} leaves written`);
    await waitFor("the store to write leaves", async () => (progress.test(api.output()) ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 5,
    });
    await killHard(api);
    await started;
    const goodLeaves = stack().good.leaves.length;
    assert.ok((await options.rows("leaf")) >= goodLeaves + 50_000, "the kill came after leaves were written");
    assert.equal(await options.rows("leaf_file"), 1, "only the first epoch's file is stored");

    api = await options.start();
    await refused(await fetch(`${url()}/epochs/${poolId}/1/leaves`), 404, /no leaf file is stored/);
    await waitFor("the unfinished rows removed", async () => {
      if (options.rowsNeedStop) return true;
      return (await options.rows("leaf")) === goodLeaves ? true : undefined;
    });
    // The SDK uploads and follows the 202 to the stored file.
    const stored = await new TributaryApi(url()).uploadLeafFile(poolId, 1, big.bytes);
    assert.equal(stored.stored, true);
    assert.equal(stored.leafCount, BIG);
    const status = await fetch(`${url()}/epochs/${poolId}/1/leaves/status`);
    assert.equal(status.status, 200);
    assert.equal(((await status.json()) as { state: string }).state, "stored");
    const leaf = big.leaves[BIG - 1]!;
    const proof = (await (await fetch(`${url()}/epochs/${poolId}/1/proofs/${leaf.contributionId}`)).json()) as {
      proof: Hex[];
    };
    const offline = await getProof({ chunks: [big.bytes], source: "file", contributionId: leaf.contributionId });
    assert.deepEqual(proof.proof, offline.proof);
  });

  it("keeps the stored files across a restart", async () => {
    await api.stop();
    if (options.rowsNeedStop) {
      assert.equal(await options.rows("leaf"), stack().good.leaves.length + BIG, "no row of the killed store is left");
    }
    api = await options.start();
    const leaf = stack().good.leaves[0]!;
    const response = await fetch(`${url()}/epochs/${pool()}/1/proofs/${leaf.contributionId}`);
    assert.equal(response.status, 200);
  });
}

describe("leaf files on embedded PGlite", () => {
  let stack: Stack;
  let pgliteDir: string;
  before(async () => {
    stack = await setUpChain();
    pgliteDir = await mkdtemp(path.join(tmpdir(), "tributary-leaves-pglite-"));
    // A store as an earlier version wrote it: every internal node in node_pair, no tree_top.
    const db = await PGlite.create(pgliteDir);
    try {
      await db.exec(`CREATE SCHEMA "${SCHEMA}";
        CREATE TABLE "${SCHEMA}".leaf_file (file_id integer PRIMARY KEY, root text NOT NULL);
        CREATE TABLE "${SCHEMA}".leaf (file_id integer NOT NULL, contribution_id bytea NOT NULL, tree_index integer NOT NULL);
        CREATE TABLE "${SCHEMA}".node_pair (file_id integer NOT NULL, parent integer NOT NULL, children bytea NOT NULL);
        INSERT INTO "${SCHEMA}".leaf_file VALUES (1, '0x01');`);
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await stack?.node.stop();
    if (stack) await rm(stack.deploymentsDir, { recursive: true, force: true });
    if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
  });
  const options = () => ({
    rpcUrl: stack.node.url,
    deploymentsDir: stack.deploymentsDir,
    pgliteDir,
    // Three levels in memory: every proof is part leaf row, part tree top (the default keeps these small trees whole).
    extraEnv: {
      TRIBUTARY_LEAF_FILE_MAX_MB: String(MAX_MB),
      TRIBUTARY_LEAF_MAX_UPLOADS: "1",
      TRIBUTARY_LEAF_TOP_LEVELS: "3",
    },
  });
  leafFileScenario({
    stack: () => stack,
    start: () => startLoaded(options()),
    rowsNeedStop: true,
    earlierLayout: true,
    trickle: true,
    rows: async (table) => {
      const db = await PGlite.create(pgliteDir);
      try {
        const [row] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${SCHEMA}".${table}`)).rows;
        return row!.n;
      } finally {
        await db.close();
      }
    },
  });
});

describePostgres("leaf files on PostgreSQL, and from a ponder serve replica", unreachable, () => {
  let stack: Stack;
  let database: TestDatabase;
  const READER = `tributary_leaf_reader_${process.pid}`;
  before(async () => {
    assertPostgres(unreachable);
    stack = await setUpChain();
    database = await createTestDatabase("tributary_leaves");
  });
  after(async () => {
    await stack?.node.stop();
    if (stack) await rm(stack.deploymentsDir, { recursive: true, force: true });
    await database?.drop();
    await postgresRows(adminUrl, `DROP ROLE IF EXISTS "${READER}"`).catch(() => {});
  });
  const options = () => ({
    rpcUrl: stack.node.url,
    deploymentsDir: stack.deploymentsDir,
    databaseUrl: database.url,
    schema: "tributary_writer",
    extraEnv: {
      TRIBUTARY_LEAF_FILE_MAX_MB: String(MAX_MB),
      TRIBUTARY_LEAF_MAX_UPLOADS: "1",
      TRIBUTARY_LEAF_TOP_LEVELS: "5",
    },
  });
  describe("the writer", () => {
    leafFileScenario({
      stack: () => stack,
      start: () => startLoaded(options()),
      rowsNeedStop: false,
      rows: async (table) => {
        const [row] = await postgresRows(database.url, `SELECT count(*)::int AS n FROM "${SCHEMA}".${table}`);
        return Number(row!.n);
      },
    });
  });

  it("serves the same proofs from ponder serve with a read-only role, and refuses uploads there (503)", async () => {
    const writer = await startLoaded(options());
    let replica: Indexer | undefined;
    try {
      await postgresRows(adminUrl, `CREATE ROLE "${READER}" LOGIN`);
      await postgresRows(
        database.url,
        [
          `GRANT CONNECT ON DATABASE "${database.name}" TO "${READER}"`,
          `GRANT USAGE ON SCHEMA "tributary_writer", "${SCHEMA}" TO "${READER}"`,
          `GRANT SELECT ON ALL TABLES IN SCHEMA "tributary_writer" TO "${READER}"`,
          `GRANT SELECT ON ALL TABLES IN SCHEMA "${SCHEMA}" TO "${READER}"`,
          `ALTER ROLE "${READER}" SET default_transaction_read_only = on`,
        ].join("; "),
      );
      const readerUrl = new URL(database.url);
      readerUrl.username = READER;
      replica = await serveIndexer({
        rpcUrl: stack.node.url,
        deploymentsDir: stack.deploymentsDir,
        databaseUrl: readerUrl.toString(),
        schema: "tributary_writer",
      });
      const leaf = stack.good.leaves[3]!;
      const route = `/epochs/${stack.good.header.poolId}/1/proofs/${leaf.contributionId}`;
      const [fromWriter, fromReplica] = await Promise.all(
        [writer.url, replica.url].map(async (base) => {
          const response = await fetch(`${base}${route}`);
          assert.equal(response.status, 200, `${base}${route}`);
          return response.json();
        }),
      );
      assert.deepEqual(fromReplica, fromWriter);
      const claims = await fetch(`${replica.url}/claims/${ALICE}`);
      assert.equal(claims.status, 200);
      assert.equal(((await claims.json()) as { items: unknown[] }).items.length, 3);
      // A published epoch nobody stored yet: the replica cannot store it.
      await passWindow(stack.node.url);
      const next = await buildLeafFile({
        domain: { chainId: 31337, contract: stack.epochs, poolId: stack.big.header.poolId },
        epochId: 2,
        amount: 1_000n,
        weights: new Map([[keccak256(toHex("leaf files: a later epoch")), 1n]]),
        previous: stack.big,
      });
      await publishLeafFile(stack.clients, stack.epochs, ALICE, next);
      // The file is large (it carries every leaf of the big epoch): answered 202, its store refused in the background.
      const accepted = await upload(replica.url, stack.big.header.poolId, 2, next.bytes);
      assert.equal(accepted.status, 202, await accepted.text());
      const statusUrl = `${replica.url}/epochs/${stack.big.header.poolId}/2/leaves/status`;
      const outcome = await waitFor(
        "the replica's store to be refused",
        async () => {
          const response = await fetch(statusUrl);
          const answer = (await response.clone().json()) as { state: string };
          return answer.state === "checking" ? undefined : response;
        },
        { timeoutMs: 120_000, intervalMs: 50 },
      );
      await refused(outcome, 503, /read-only replica/);
    } finally {
      await replica?.stop();
      await writer.stop();
    }
  });
});
