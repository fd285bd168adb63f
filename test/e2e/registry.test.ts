// Every way into the registry and every author-only change, through a real node and the indexer: the API must
// mirror each event (lineage, consent, transfers, commitments, anchors, signed registrations).
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toHex, zeroAddress, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import { KIND, localClients, registerContribution } from "../../scripts/lib/chain.ts";
import { EIP712_DOMAIN_NAME, EIP712_DOMAIN_VERSION, REGISTER_TYPES } from "../../sdk/eip712.ts";
import { graphqlData } from "./lib/digest.ts";
import { transactor, teardown } from "./lib/tx.ts";
import {
  deploy,
  rpc,
  startIndexer,
  startNode,
  waitFor,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";

const h = (text: string) => keccak256(toHex(text));

/** The EIP-712 type of a relayed commitment (the registry's COMMIT_TYPEHASH). */
const COMMIT_TYPES = {
  Commit: [
    { name: "commitment", type: "bytes32" },
    { name: "author", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

describe("end to end: every registry event reaches the API", () => {
  let node: LocalNode;
  let indexer: Indexer;
  let deploymentsDir: string;
  let api: string;
  let accounts: Hex[];
  let registry: Hex;
  const prompt = h("a prompt");
  const derived = h("a correction of that prompt");
  const signed = h("a rating signed by its author");
  const revealed = h("a dataset revealed after a commitment");
  const twice = h("a correction naming its parent twice");
  const leaves: [Hex, Hex, number][] = [];
  let root: Hex;
  let hidden: Hex;

  before(async () => {
    node = await startNode();
    deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-registry-e2e-"));
    const deployment = await deploy(node.url, deploymentsDir);
    registry = deployment.contracts.AuthorshipRegistry.address;
    indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, schema: `registry_${process.pid}` });
    api = indexer.url;
    const { walletClient, publicClient } = localClients(node.url);
    accounts = (await walletClient.getAddresses()) as Hex[];
    const [owner, bob, carol, attesterAccount, erin, frank] = accounts as [Hex, Hex, Hex, Hex, Hex, Hex];

    const tx = transactor(localClients(node.url), node.url);
    const send = (account: Hex, functionName: string, args: readonly unknown[]) =>
      tx.send(account, registry, authorshipRegistryAbi, functionName, args);
    const registration = (contributionId: Hex, kind: number, parents: Hex[], uri: string, consent = true) => ({
      contributionId,
      kind,
      trainingConsent: consent,
      parents,
      uri,
    });

    // Direct, with lineage.
    await send(owner, "register", [prompt, KIND.prompt, "ipfs://prompt"]);
    await send(bob, "registerContribution", [registration(derived, KIND.correction, [prompt], "ipfs://fix")]);
    // The registry does not refuse a parent named twice.
    await send(bob, "registerContribution", [registration(twice, KIND.correction, [derived, derived], "")]);
    // Author-only changes: consent, then a two-step transfer to carol.
    await send(owner, "setTrainingConsent", [prompt, false]);
    await send(owner, "transferAuthorship", [prompt, carol]);
    await send(carol, "acceptAuthorship", [prompt]);
    // Signed by frank, relayed by the owner.
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const signedRegistration = registration(signed, KIND.feedback, [], "", true);
    const signature = await walletClient.signTypedData({
      account: frank,
      domain: {
        name: EIP712_DOMAIN_NAME,
        version: EIP712_DOMAIN_VERSION,
        chainId: 31337,
        verifyingContract: registry,
      },
      types: REGISTER_TYPES,
      primaryType: "Register",
      message: { ...signedRegistration, author: frank, deadline },
    });
    await send(owner, "registerBySig", [signedRegistration, frank, deadline, signature]);
    // Commit, wait the minimum delay, reveal; then the same commitment again, relayed: the chain emits the same
    // (committer, commitment) twice.
    const salt = h("erin's salt");
    const revealedRegistration = registration(revealed, KIND.dataset, [], "ipfs://dataset");
    hidden = await publicClient.readContract({
      address: registry,
      abi: authorshipRegistryAbi,
      functionName: "computeCommitment",
      args: [revealedRegistration, erin, salt],
    });
    await send(erin, "commit", [hidden]);
    await tx.tick(61);
    await send(erin, "reveal", [revealedRegistration, salt]);
    const commitSignature = await walletClient.signTypedData({
      account: erin,
      domain: { name: EIP712_DOMAIN_NAME, version: EIP712_DOMAIN_VERSION, chainId: 31337, verifyingContract: registry },
      types: COMMIT_TYPES,
      primaryType: "Commit",
      message: { commitment: hidden, author: erin, deadline },
    });
    await send(owner, "commitBySig", [erin, hidden, deadline, commitSignature]);
    // An attester anchors three leaves; one is materialized.
    await send(owner, "setAttester", [attesterAccount, true]);
    for (let i = 0; i < 3; i++) leaves.push([h(`witnessed ${i}`), accounts[6 + i]!, KIND.feedback]);
    const tree = StandardMerkleTree.of(leaves, ["bytes32", "address", "uint8"]);
    root = tree.root as Hex;
    await send(attesterAccount, "anchor", [root, "ipfs://leaf-file"]);
    const [contributionId, leafAuthor, kind] = leaves[1]!;
    await send(bob, "materialize", [root, contributionId, leafAuthor, kind, tree.getProof(1)]);

    await waitForIndexedBlock(api, tx.lastBlock);
  });

  after(() => teardown({ indexer, node, deploymentsDir }));

  const get = async (route: string) => {
    const response = await fetch(`${api}${route}`);
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it("shows a contribution's parents and children", async () => {
    const child = await get(`/contributions/${derived}`);
    assert.equal(child.status, 200);
    assert.equal(child.body.parentCount, 1);
    assert.deepEqual(
      child.body.parents.map((p: { contributionId: string; position: number }) => [p.contributionId, p.position]),
      [[prompt, 0]],
    );
    const parent = await get(`/contributions/${prompt}`);
    assert.equal(parent.body.childCount, 1);
    assert.deepEqual(
      parent.body.children.map((c: { contributionId: string }) => c.contributionId),
      [derived],
    );
    assert.equal(parent.body.children[0].kind, "correction");
  });

  it("stores a parent named twice as one edge, at its first position", async () => {
    const child = await get(`/contributions/${twice}`);
    assert.equal(child.status, 200);
    assert.equal(child.body.parentCount, 1);
    assert.deepEqual(
      child.body.parents.map((p: { contributionId: string; position: number }) => [p.contributionId, p.position]),
      [[derived, 0]],
    );
    const parent = await get(`/contributions/${derived}`);
    assert.equal(parent.body.childCount, 1);
    assert.deepEqual(
      parent.body.children.map((c: { contributionId: string }) => c.contributionId),
      [twice],
    );
  });

  it("indexes a commitment committed again after its reveal, relayed, as one row with both commits", async () => {
    const erin = accounts[4]!;
    const { commitments, commitmentEvents } = await graphqlData<{
      commitments: { items: Record<string, any>[] };
      commitmentEvents: { items: Record<string, any>[] };
    }>(
      api,
      `query ($hidden: String) {
        commitments(where: { commitment: $hidden }) { items { committer committedAt commitCount } }
        commitmentEvents(where: { commitment: $hidden }, orderBy: "id") { items { committer committedAt sender } }
      }`,
      { hidden },
    );
    const committedAt = await localClients(node.url).publicClient.readContract({
      address: registry,
      abi: authorshipRegistryAbi,
      functionName: "commitmentOf",
      args: [erin, hidden],
    });
    assert.deepEqual(commitments.items, [
      { committer: erin.toLowerCase(), committedAt: String(committedAt), commitCount: 2 },
    ]);
    assert.deepEqual(
      commitmentEvents.items.map((e) => [e.committer, e.sender]),
      [
        [erin.toLowerCase(), erin.toLowerCase()],
        [erin.toLowerCase(), accounts[0]!.toLowerCase()],
      ],
    );
    assert.equal(commitmentEvents.items[1]!.committedAt, String(committedAt));
    assert.ok(BigInt(commitmentEvents.items[0]!.committedAt) < BigInt(committedAt));
    // The reveal between the two made the record, dated at the first commit.
    const { body } = await get(`/contributions/${revealed}`);
    assert.equal(body.registeredAt, commitmentEvents.items[0]!.committedAt);
  });

  it("mirrors a consent change and a completed transfer, with the record's nonce", async () => {
    const { body } = await get(`/contributions/${prompt}`);
    assert.equal(body.trainingConsent, false);
    assert.equal(body.author, accounts[2]!.toLowerCase());
    assert.equal(body.pendingAuthor, null);
    assert.equal(body.nonce, 2);
    const history = await get(`/contributions/${prompt}/history`);
    assert.equal(history.body.consent.length, 1);
    assert.deepEqual(history.body.transfers.map((t: { stage: string }) => t.stage).sort(), ["accepted", "started"]);
  });

  it("lists an author's contributions with running totals that follow transfers", async () => {
    const owner = await get(`/authors/${accounts[0]}/contributions`);
    assert.equal(owner.body.total, 0);
    assert.deepEqual(owner.body.items, []);
    const carol = await get(`/authors/${accounts[2]}/contributions`);
    assert.equal(carol.body.total, 1);
    assert.equal(carol.body.items[0].contributionId, prompt);
    assert.equal(carol.body.items[0].id, undefined);
  });

  it("pages an author's contributions with a cursor", async () => {
    const bob = accounts[1]!;
    // bob registered two contributions directly; give the page size 1 and walk.
    const first = await get(`/authors/${bob}/contributions?limit=1`);
    assert.equal(first.body.items.length, 1);
    assert.ok(first.body.nextCursor);
    const second = await get(`/authors/${bob}/contributions?limit=1&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.items.length, 1);
    assert.equal(second.body.nextCursor, null);
    assert.deepEqual(
      [first.body.items[0].contributionId, second.body.items[0].contributionId].sort(),
      [derived, twice].sort(),
    );
    const leafAuthor = leaves[1]![1];
    const all = await get(`/authors/${leafAuthor}/contributions?limit=1`);
    assert.equal(all.body.total, 1);
  });

  it("records signed, revealed and materialized registrations like direct ones", async () => {
    const bySig = await get(`/contributions/${signed}`);
    assert.equal(bySig.body.author, accounts[5]!.toLowerCase());
    assert.equal(bySig.body.kind, "feedback");
    const reveal = await get(`/contributions/${revealed}`);
    assert.equal(reveal.body.author, accounts[4]!.toLowerCase());
    assert.equal(reveal.body.uri, "ipfs://dataset");
    const leaf = await get(`/contributions/${leaves[1]![0]}`);
    assert.equal(leaf.body.author, leaves[1]![1].toLowerCase());
    assert.equal(leaf.body.materializedRoot, root);
    assert.deepEqual([bySig.body.materializedRoot, reveal.body.materializedRoot], [null, null]);
    const unmaterialized = await get(`/contributions/${leaves[0]![0]}`);
    assert.equal(unmaterialized.status, 404);
  });

  it("serves anchors and attesters", async () => {
    const anchored = await get(`/anchors/${root}`);
    assert.equal(anchored.status, 200);
    assert.equal(anchored.body.root, root);
    assert.equal(anchored.body.attester, accounts[3]!.toLowerCase());
    assert.equal(anchored.body.uri, "ipfs://leaf-file");
    assert.equal(anchored.body.materializedCount, 1);
    const response = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ attesters { items { id approved rootCount } } commitments { totalCount } }" }),
    });
    const { data } = (await response.json()) as any;
    assert.deepEqual(data.attesters.items, [{ id: accounts[3]!.toLowerCase(), approved: true, rootCount: 1 }]);
    assert.equal(data.commitments.totalCount, 1);
  });

  it("answers 400 naming the parameter for a malformed address, limit or cursor", async () => {
    const cases: [string, string][] = [
      [`/authors/0x1234/contributions`, "address"],
      [`/authors/${zeroAddress}/contributions?limit=0`, "limit"],
      [`/authors/${zeroAddress}/contributions?limit=101`, "limit"],
      [`/authors/${zeroAddress}/contributions?limit=ten`, "limit"],
      [`/authors/${zeroAddress}/contributions?cursor=%%%`, "cursor"],
      [`/authors/${zeroAddress}/contributions?cursor=${Buffer.from("1:zz").toString("base64url")}`, "cursor"],
      [`/anchors/0xabc`, "root"],
      [`/contributions/0xabc/history`, "contributionId"],
    ];
    for (const [route, parameter] of cases) {
      const { status, body } = await get(route);
      assert.equal(status, 400, route);
      assert.equal(body.parameter, parameter, route);
      assert.equal(typeof body.error, "string");
    }
  });

  it("answers 404 for an unknown anchor, history or route", async () => {
    assert.equal((await get(`/anchors/${h("no such root")}`)).status, 404);
    assert.equal((await get(`/contributions/${h("nothing")}/history`)).status, 404);
    assert.equal((await fetch(`${api}/no/such/route`)).status, 404);
  });

  it("serves kept answers until the indexer indexes a new block, then the new state", async () => {
    // No empty blocks meanwhile: only the registration below moves the indexed head.
    await rpc(node.url, "evm_setIntervalMining", [0]);
    try {
      await waitForIndexedBlock(api, BigInt(await rpc<string>(node.url, "eth_blockNumber")));
      const bob = accounts[1]!;
      const fresh = h("registered after its 404 was kept");
      const list = `${api}/authors/${bob}/contributions?limit=50`;
      const listed = await fetch(list);
      const etag = listed.headers.get("etag")!;
      const { total } = (await listed.json()) as { total: number };
      assert.match(etag, /^W\/"/);
      assert.equal((await fetch(list, { headers: { "if-none-match": etag } })).status, 304);
      assert.equal((await fetch(`${api}/contributions/${fresh}`)).status, 404);
      assert.equal((await fetch(`${api}/contributions/${fresh}`)).status, 404);

      // Blocks that write no row leave a tables-only answer and its ETag as they are; /stats reads the head, so its
      // answer is computed again.
      const statsEtag = (await fetch(`${api}/stats`)).headers.get("etag");
      for (let i = 0; i < 2; i++) await rpc(node.url, "evm_mine");
      await waitForIndexedBlock(api, BigInt(await rpc<string>(node.url, "eth_blockNumber")));
      await waitFor("/stats to be computed at the new head", async () =>
        (await fetch(`${api}/stats`)).headers.get("etag") !== statsEtag ? true : undefined,
      );
      assert.equal((await fetch(list, { headers: { "if-none-match": etag } })).status, 304);

      const receipt = await registerContribution(localClients(node.url), registry, bob, fresh, KIND.prompt, "");
      await waitForIndexedBlock(api, receipt.blockNumber);

      const after = await fetch(list, { headers: { "if-none-match": etag } });
      assert.equal(after.status, 200);
      assert.notEqual(after.headers.get("etag"), etag);
      const body = (await after.json()) as { total: number; items: { contributionId: string }[] };
      assert.equal(body.total, total + 1);
      assert.ok(body.items.some((item) => item.contributionId === fresh));
      assert.equal((await fetch(`${api}/contributions/${fresh}`)).status, 200);
    } finally {
      await rpc(node.url, "evm_setIntervalMining", [1000]);
    }
  });
});
