// End-to-end journeys through the real `tributary` process against a Hardhat node, the deployment and the indexer:
// one per user (contributor, relayer/provider/attester, auditor), then every bad input the issue lists, each of which
// must answer one line on stderr with a non-zero exit and send nothing (the accounts' nonces do not move).
//
// Registrations commit, then reveal once a minute of chain time has passed. The journeys run with
// TRIBUTARY_FAST_FORWARD=true, which moves the local node's clock to the reveal instead of waiting for it; the
// front-running journey runs without it and moves the clock itself, to show that the wait follows the chain's time.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { commitBySig, connect, deploymentsFolder, parseSignedCommitment, withAccount } from "../../sdk/node.ts";

import {
  deploy,
  rpc,
  startIndexer,
  startNode,
  waitForIndexedBlock,
  type Indexer,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { CLI, runCli, type Run } from "./lib/run.ts";

// Hardhat's well-known development accounts.
const KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bob: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  relayer: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  // Holds no ether: signs for a relayer, and proves that a transaction it cannot pay for is never sent.
  penniless: "0x1111111111111111111111111111111111111111111111111111111111111111",
} as const satisfies Record<string, Hex>;
type Who = keyof typeof KEYS;
const address = (who: Who) => privateKeyToAccount(KEYS[who]).address;

describe("tributary CLI end to end: contributor, provider and auditor journeys", () => {
  let node: LocalNode;
  let indexer: Indexer;
  let deploymentsDir: string;
  let work: string;
  let lastBlock = 0n;

  /** Runs the CLI as `who` (or with no key) with the stack's network in the environment; reveals fast-forward. */
  const cli = (args: string[], who?: Who, env: Record<string, string> = {}): Promise<Run> =>
    runCli(
      { cwd: work, rpcUrl: node.url, apiUrl: indexer.url, deploymentsDir, secrets: Object.values(KEYS) },
      args,
      who ? KEYS[who] : undefined,
      { TRIBUTARY_FAST_FORWARD: "true", ...env },
    );

  /** Runs a command that must succeed with --json and returns its parsed output. */
  const ok = async (args: string[], who?: Who, env?: Record<string, string>) => {
    const run = await cli([...args, "--json"], who, env);
    assert.equal(run.code, 0, `tributary ${args.join(" ")} failed: ${run.stderr}`);
    assert.equal(run.stderr, "");
    const result = JSON.parse(run.stdout);
    for (const item of Array.isArray(result) ? result : [result]) {
      if (item?.blockNumber && BigInt(item.blockNumber) > lastBlock) lastBlock = BigInt(item.blockNumber);
    }
    return result;
  };

  const nonces = async () =>
    Promise.all(
      (Object.keys(KEYS) as Who[]).map((who) =>
        rpc<string>(node.url, "eth_getTransactionCount", [address(who), "latest"]),
      ),
    );

  const indexed = () => waitForIndexedBlock(indexer.url, lastBlock);

  const prompt = "Explain photosynthesis to a ten-year-old, in five sentences.";
  let promptHash: Hex;
  let correctionHash: Hex;
  let datasetHash: Hex;
  let revealedHash: Hex;
  let signedHash: Hex;
  let directSignedHash: Hex;
  let frontRunHash: Hex;
  let anchoredRoot: Hex;

  before(async () => {
    work = await mkdtemp(path.join(tmpdir(), "tributary-cli-e2e-"));
    node = await startNode();
    deploymentsDir = path.join(work, "deployments");
    await mkdir(deploymentsDir);
    await deploy(node.url, deploymentsDir);
    indexer = await startIndexer({ rpcUrl: node.url, deploymentsDir, schema: `cli_${process.pid}` });
  });

  after(async () => {
    await indexer?.stop();
    await node?.stop();
    if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("contributor: hashes and registers a prompt, a text file deriving from it, and a dataset folder", async () => {
    promptHash = (await ok(["hash", "--text", prompt])).contributionId;
    const registered = await ok(["register", "--text", prompt, "--uri", "ipfs://prompt"], "alice");
    assert.equal(registered.contributionId, promptHash);
    assert.equal(registered.from, address("alice"));
    assert.equal(registered.kind, "prompt");
    // Two transactions: the commit hides the hash, the reveal a minute of chain time later dates the record at it.
    assert.equal(registered.method, "commit-reveal");
    assert.equal(registered.commitTransaction.from, address("alice"));
    assert.ok(BigInt(registered.commitTransaction.blockNumber) < BigInt(registered.blockNumber));
    const commitBlock = await rpc<{ timestamp: string }>(node.url, "eth_getBlockByNumber", [
      `0x${BigInt(registered.commitTransaction.blockNumber).toString(16)}`,
      false,
    ]);
    assert.equal(registered.registeredAt, Number(commitBlock.timestamp));

    await writeFile(
      path.join(work, "fix.txt"),
      "Explain photosynthesis to a ten-year-old,\r\nin five short sentences.\r\n",
    );
    const correction = await ok(
      ["register", "--file", "fix.txt", "--kind", "correction", "--parent", promptHash, "--no-consent"],
      "alice",
    );
    correctionHash = correction.contributionId;
    assert.equal(correction.trainingConsent, false);
    assert.deepEqual(correction.parents, [promptHash]);

    const dataset = path.join(work, "dataset");
    await mkdir(path.join(dataset, "shards"), { recursive: true });
    await writeFile(path.join(dataset, "README.md"), "# A tiny dataset\n");
    await writeFile(path.join(dataset, "shards", "000.jsonl"), '{"q":"2+2","a":"4"}\n');
    // A dataset already published: one transaction is enough.
    const registeredDataset = await ok(["register", "--dir", dataset, "--direct"], "alice");
    datasetHash = registeredDataset.contributionId;
    assert.equal(registeredDataset.kind, "dataset");
    assert.equal(registeredDataset.method, "direct");
    assert.equal(registeredDataset.commitTransaction, undefined);
    assert.equal((await ok(["hash", "--dir", dataset])).contributionId, datasetHash);
  });

  it("contributor: commits, is told to wait, then reveals after the delay", async () => {
    const committed = await ok(["commit", "--text", "a prompt worth front-running", "--out", "commit.json"], "alice");
    revealedHash = committed.registration.contributionId;
    assert.equal((await stat(path.join(work, "commit.json"))).mode & 0o777, 0o600, "the salt file is private");

    const before = await nonces();
    const early = await cli(["reveal", "commit.json"], "alice");
    assert.equal(early.code, 1);
    assert.match(early.stderr, /^error: the commitment can be revealed from .*; wait \d+ s and reveal again\n$/);
    assert.deepEqual(await nonces(), before, "nothing sent");

    await rpc(node.url, "evm_increaseTime", [61]);
    await rpc(node.url, "evm_mine");
    const revealed = await ok(["reveal", "commit.json"], "alice");
    assert.equal(revealed.contributionId, revealedHash);
    assert.equal(revealed.from, address("alice"));
  });

  it("contributor: register waits for the chain's clock, and beats a copier who registers the hash directly before the reveal", async () => {
    const secret = "a prompt a copier would love to claim";
    const aliceNonce = await rpc<string>(node.url, "eth_getTransactionCount", [address("alice"), "latest"]);
    // No fast-forward: the command waits for the node's clock, which this test moves once the copier is in.
    const registering = cli(["register", "--text", secret, "--json"], "alice", { TRIBUTARY_FAST_FORWARD: "false" });
    const committed = async () =>
      BigInt(await rpc<string>(node.url, "eth_getTransactionCount", [address("alice"), "latest"])) > BigInt(aliceNonce);
    for (let i = 0; i < 200 && !(await committed()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(await committed(), "the commit was sent");

    // The copier learns the hash (from the pending reveal, in the real world) and registers it in one transaction.
    const copied = await ok(["register", "--text", secret, "--direct"], "bob");
    assert.equal((await ok(["contribution", copied.contributionId, "--chain"])).author, address("bob"));
    assert.equal(
      await rpc<string>(node.url, "eth_getTransactionCount", [address("alice"), "latest"]),
      `0x${(BigInt(aliceNonce) + 1n).toString(16)}`,
      "alice has only committed: the reveal waits for the chain's time",
    );

    await rpc(node.url, "evm_increaseTime", [61]);
    await rpc(node.url, "evm_mine");
    const run = await registering;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    const revealed = JSON.parse(run.stdout);
    if (BigInt(revealed.blockNumber) > lastBlock) lastBlock = BigInt(revealed.blockNumber);
    assert.equal(revealed.contributionId, copied.contributionId);
    assert.ok(revealed.registeredAt < copied.registeredAt, "dated at the commitment, before the copy");
    const record = await ok(["contribution", copied.contributionId, "--chain"]);
    assert.equal(record.author, address("alice"), "the reveal superseded the copy");
    frontRunHash = copied.contributionId;
  });

  it("contributor: revokes consent, then transfers authorship to a new wallet that accepts it", async () => {
    const consent = await ok(["consent", promptHash, "no"], "alice");
    assert.equal(consent.trainingConsent, false);
    const started = await ok(["transfer", promptHash, address("bob")], "alice");
    assert.equal(started.pendingAuthor, address("bob"));
    const accepted = await ok(["accept", promptHash], "bob");
    assert.equal(accepted.author, address("bob"));

    const record = await ok(["contribution", promptHash, "--chain"]);
    assert.equal(record.author, address("bob"));
    assert.equal(record.trainingConsent, false);
    assert.equal(record.nonce, 2);
  });

  it("relayer: commits and reveals a commitment signed by an author who holds no ether; a resubmission sends nothing", async () => {
    const signed = await ok(
      ["sign", "--text", "a rating: 4/5", "--kind", "feedback", "--deadline", "1h", "--out", "signed.json"],
      "penniless",
    );
    signedHash = signed.registration.contributionId;
    assert.equal(signed.type, "tributary/signed-commitment");
    assert.equal(signed.author, address("penniless"));
    assert.match(JSON.parse(await readFile(path.join(work, "signed.json"), "utf8")).salt, /^0x[0-9a-f]{64}$/);
    assert.equal((await stat(path.join(work, "signed.json"))).mode & 0o777, 0o600, "the salt file is private");

    const [relayed] = await ok(["relay", "signed.json"], "relayer");
    assert.equal(relayed.registered, true);
    assert.equal(relayed.method, "commit-reveal");
    assert.equal(relayed.author, address("penniless"));
    assert.equal(relayed.commitTransaction.from, address("relayer"));
    assert.equal(relayed.transaction.from, address("relayer"));
    const record = await ok(["contribution", signedHash, "--chain"]);
    assert.equal(record.author, address("penniless"));
    assert.equal(record.kind, "feedback");

    const before = await nonces();
    const [again] = await ok(["relay", "signed.json"], "relayer");
    assert.equal(again.registered, false);
    assert.equal(again.transaction, undefined);
    assert.equal(again.commitTransaction, undefined);
    assert.deepEqual(await nonces(), before, "nothing sent");
  });

  it("relayer: a commitment committed already is only revealed; a signed registration (--direct) is one transaction", async () => {
    await ok(["sign", "--text", "a correction relayed twice", "--out", "half.json"], "penniless");
    const half = parseSignedCommitment(JSON.parse(await readFile(path.join(work, "half.json"), "utf8")));
    // A relayer that crashed after its commit: the commitment is live, the reveal was never sent.
    const network = await connect({ rpcUrl: node.url, deployment: deploymentsFolder(deploymentsDir) });
    const first = await commitBySig(withAccount(network, privateKeyToAccount(KEYS.relayer)), half);
    assert.equal(first.committed, true);
    const [resumed] = await ok(["relay", "half.json"], "relayer");
    assert.equal(resumed.registered, true);
    assert.equal(resumed.commitTransaction, undefined, "the live commitment is not sent again");
    assert.equal(resumed.transaction.from, address("relayer"));

    const direct = await ok(
      ["sign", "--direct", "--text", "a public rating: 5/5", "--kind", "feedback", "--out", "direct.json"],
      "penniless",
    );
    assert.equal(direct.type, "tributary/signed-registration");
    directSignedHash = direct.registration.contributionId;
    const [relayed] = await ok(["relay", "direct.json"], "relayer");
    assert.equal(relayed.method, "direct");
    assert.equal(relayed.registered, true);
    assert.equal(relayed.commitTransaction, undefined);
    const before = await nonces();
    const [again] = await ok(["relay", "direct.json"], "relayer");
    assert.equal(again.registered, false);
    assert.deepEqual(await nonces(), before, "nothing sent");
  });

  it("provider: an approved attester anchors contributions from a CSV, writes the leaf file, and a leaf is materialized", async () => {
    await ok(["attester", "approve", address("relayer")], "owner");
    const leaves = [
      [`0x${"a1".repeat(32)}`, address("alice"), "prompt"],
      [`0x${"b2".repeat(32)}`, address("bob"), "feedback"],
      [`0x${"c3".repeat(32)}`, address("penniless"), "model_output"],
    ];
    await writeFile(
      path.join(work, "witnessed.csv"),
      `contributionId,author,kind\n${leaves.map((leaf) => leaf.join(",")).join("\n")}\n`,
    );
    const anchored = await ok(["anchor", "witnessed.csv", "--out", "leaves.json", "--uri", "ipfs://leaves"], "relayer");
    anchoredRoot = anchored.root;
    assert.equal(anchored.leafCount, 3);
    const dump = JSON.parse(await readFile(path.join(work, "leaves.json"), "utf8"));
    const tree = StandardMerkleTree.load(dump);
    assert.equal(tree.root, anchoredRoot, "the leaf file rebuilds the anchored root");
    assert.equal(tree.length, 3);

    const materialized = await ok(["materialize", "leaves.json", "--hash", leaves[1]![0]!], "alice");
    assert.equal(materialized.length, 1);
    assert.equal(materialized[0].author, address("bob"));
  });

  it("auditor: reads a contribution with its lineage and history, an author's page, and an anchor from the API", async () => {
    await indexed();
    const prompt_ = await ok(["contribution", promptHash, "--history"]);
    assert.equal(prompt_.author, address("bob").toLowerCase());
    assert.equal(prompt_.trainingConsent, false);
    assert.equal(prompt_.uri, "ipfs://prompt");
    assert.deepEqual(
      prompt_.children.map((c: { contributionId: string }) => c.contributionId),
      [correctionHash],
    );
    assert.equal(prompt_.history.transfers.length, 2);

    const alice = await ok(["author", address("alice"), "--limit", "1", "--all"]);
    assert.equal(
      alice.total,
      4,
      "correction, dataset, revealed prompt and the prompt taken back from the copier (the first went to bob)",
    );
    assert.deepEqual(
      alice.items.map((c: { contributionId: string }) => c.contributionId).sort(),
      [correctionHash, datasetHash, revealedHash, frontRunHash].sort(),
    );
    const signed = await ok(["contribution", signedHash]);
    assert.equal(signed.kind, "feedback");
    assert.equal((await ok(["contribution", directSignedHash])).author, address("penniless").toLowerCase());
    const taken = await ok(["contribution", frontRunHash, "--history"]);
    assert.equal(taken.author, address("alice").toLowerCase());
    assert.equal(taken.history.superseded.length, 1, "the copy is in the history, superseded");
    assert.equal(taken.history.superseded[0].previousAuthor, address("bob").toLowerCase());

    const anchor = await ok(["root", anchoredRoot]);
    assert.equal(anchor.attester, address("relayer").toLowerCase());
    assert.equal(anchor.uri, "ipfs://leaves");

    const human = await cli(["contribution", promptHash]);
    assert.equal(human.code, 0);
    // Human output checksums the addresses the API serves in lower case.
    assert.match(human.stdout, new RegExp(`^ {2}author {4}${address("bob")}$`, "m"));

    // Who controls the contracts: the deployer owns both; the attester approved above is listed.
    const contracts = await ok(["contracts"]);
    assert.deepEqual(
      contracts.contracts.map((c: { contract: string; owner: string; pendingOwner: string | null }) => [
        c.contract,
        c.owner,
        c.pendingOwner,
      ]),
      [
        ["AuthorshipRegistry", address("owner").toLowerCase(), null],
        ["RoyaltyVault", address("owner").toLowerCase(), null],
      ],
    );
    assert.deepEqual(contracts.contracts[0].approvedAttesters, [address("relayer").toLowerCase()]);
    const controls = await cli(["contracts"]);
    assert.equal(controls.code, 0, controls.stderr);
    assert.ok(controls.stdout.includes(`  attesters  1\n    ${address("relayer")}\n`), controls.stdout);
    assert.match(controls.stdout, /^ {2}paused {5}no$/m);
  });

  it("keystore: a right password signs, a wrong one fails on one line and sends nothing", async () => {
    const created = await ok(["keystore", "create", "--out", "bob.json", "--import-env", "--scrypt-n", "1024"], "bob", {
      TRIBUTARY_KEYSTORE_PASSWORD: "correct horse",
    });
    assert.equal(created.address, address("bob"));
    const keystoreText = await readFile(path.join(work, "bob.json"), "utf8");
    assert.ok(!keystoreText.includes(KEYS.bob.slice(2)), "the key is encrypted");

    const registered = await ok(["register", "--text", "signed with a keystore", "--keystore", "bob.json"], undefined, {
      TRIBUTARY_KEYSTORE_PASSWORD: "correct horse",
    });
    assert.equal(registered.from, address("bob"));

    const before = await nonces();
    const wrong = await cli(["register", "--text", "never sent", "--keystore", "bob.json"], undefined, {
      TRIBUTARY_KEYSTORE_PASSWORD: "battery staple",
    });
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.stderr,
      "error: wrong password for the keystore bob.json; check TRIBUTARY_KEYSTORE_PASSWORD (or the password typed) and try again\n",
    );
    assert.deepEqual(await nonces(), before);
  });

  it("contributor: every content option of hash, register, commit and sign names the same contribution", async () => {
    await writeFile(path.join(work, "every.txt"), "A prompt given as a file to every command.\r\n");
    await writeFile(path.join(work, "every.bin"), Buffer.from([0, 1, 2, 0xff]));
    await mkdir(path.join(work, "every-dataset"));
    await writeFile(path.join(work, "every-dataset", "a.txt"), "first file\n");
    await writeFile(path.join(work, "every-dataset", "b.csv"), "x,y\n1,2\n");
    const given = `0x${"5a".repeat(32)}`;
    const contents: [string, string[], string][] = [
      ["--text", ["--text", "A prompt given inline to every command."], "prompt"],
      ["--file", ["--file", "every.txt"], "prompt"],
      ["--file --raw", ["--file", "every.bin", "--raw"], "other"],
      ["--dir", ["--dir", "every-dataset"], "dataset"],
      ["--hash", ["--hash", given], "prompt"],
      ["--hash in capitals", ["--hash", `0x${"5B".repeat(32)}`], "prompt"],
    ];
    for (const [i, [name, option, kind]] of contents.entries()) {
      const hashed = await ok(["hash", ...option]);
      if (name === "--hash") assert.equal(hashed.contributionId, given, name);
      assert.match(hashed.contributionId, /^0x[0-9a-f]{64}$/, name);
      assert.equal(hashed.kind, kind, name);
      const signed = await ok(["sign", ...option, "--out", `every-signed-${i}.json`], "alice");
      assert.equal(signed.registration.contributionId, hashed.contributionId, `sign ${name}`);
      const committed = await ok(["commit", ...option, "--out", `every-commit-${i}.json`], "alice");
      const file = JSON.parse(await readFile(path.join(work, `every-commit-${i}.json`), "utf8"));
      assert.equal(file.registration.contributionId, hashed.contributionId, `commit ${name}`);
      assert.ok(committed.commitment, `commit ${name}`);
      // The commitment above is left unrevealed: a direct registration of its hash needs none.
      const registered = await ok(["register", ...option, "--direct"], "alice");
      assert.equal(registered.contributionId, hashed.contributionId, `register ${name}`);
      assert.equal(registered.kind, kind, `register ${name}`);
    }
    // register --hash as documented, by commit and reveal.
    const revealed = await ok(["register", "--hash", `0x${"5c".repeat(32)}`], "alice");
    assert.equal(revealed.contributionId, `0x${"5c".repeat(32)}`);
    assert.ok(revealed.commitTransaction?.transactionHash, "committed first");
  });

  it("contributor: kinds are spelled model_output; model-output is refused with the right spelling", async () => {
    const registered = await ok(
      ["register", "--text", "An answer the model gave.", "--kind", "model_output", "--direct"],
      "alice",
    );
    assert.equal(registered.kind, "model_output");
    await waitForIndexedBlock(indexer.url, BigInt(registered.blockNumber));
    const record = await ok(["contribution", registered.contributionId]);
    assert.equal(record.kind, "model_output");
    const shown = await cli(["contribution", registered.contributionId]);
    assert.match(shown.stdout, /^ {2}kind {6}model_output$/m);
    const refused = await cli(["hash", "--text", "x", "--kind", "model-output"]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^error: "model-output" is not a contribution kind; .*model_output/);
    const help = await cli(["register", "--help"]);
    assert.match(help.stdout, /model_output/);
    assert.doesNotMatch(help.stdout, /model-output/);
  });

  it("bad inputs: a file name that is not UTF-8 is named with its bytes escaped, on one line", async () => {
    const latin1 = (name: string) => Buffer.from(name, "latin1");
    await mkdir(path.join(work, "latin1-dataset"));
    await writeFile(Buffer.concat([latin1(path.join(work, "latin1-dataset")), latin1("/caf\xe9.txt")]), "un caf\xe9\n");
    await writeFile(Buffer.concat([latin1(path.join(work, "r\xe9sum\xe9.txt"))]), "a prompt\n");
    const hint =
      "is not valid UTF-8, and tributary reads names as UTF-8 only; rename it (for example with convmv -f latin1 -t utf8)";
    const before = await nonces();
    for (const args of [
      ["hash", "--dir", "latin1-dataset"],
      ["register", "--dir", "latin1-dataset"],
    ]) {
      const run = await cli(args, "alice");
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stderr, `error: the file name "latin1-dataset/caf\\xe9.txt" ${hint}\n`);
    }
    // A name given on the command line: only a shell can pass its bytes as they are.
    const shell = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${CLI}" hash --file "$(printf 'r\\351sum\\351.txt')"`],
      { cwd: work, encoding: "utf8" },
    );
    assert.equal(shell.status, 1, shell.stderr);
    assert.equal(shell.stdout, "");
    assert.equal(shell.stderr, `error: the file name "r\\xe9sum\\xe9.txt" ${hint}\n`);
    assert.deepEqual(await nonces(), before, "nothing sent");
  });

  it("bad inputs: one line each, a non-zero exit, and nothing sent", async () => {
    const unregistered = `0x${"de".repeat(32)}`;
    // A signed commitment whose registration was changed after signing, one nobody relayed yet, and a JSON file of
    // another kind.
    const signed = JSON.parse(await readFile(path.join(work, "signed.json"), "utf8"));
    await writeFile(
      path.join(work, "tampered.json"),
      JSON.stringify({ ...signed, registration: { ...signed.registration, uri: "ipfs://spam" } }),
    );
    await ok(["sign", "--text", "never relayed", "--out", "unrelayed.json"], "alice");
    const cases: [string, string[], Who | undefined, RegExp, Record<string, string>?][] = [
      [
        "relay: a signed commitment changed after signing",
        ["relay", "tampered.json"],
        "relayer",
        /^error: tampered\.json's commitment does not hide its registration, author and salt \(the file was changed after signing\); ask the author to sign again/,
      ],
      [
        "relay: not a signed file",
        ["relay", "leaves.json"],
        "relayer",
        /^error: leaves\.json is neither a signed commitment nor a signed registration; give a file that tributary sign --direct or tributary sign wrote$/,
      ],
      [
        "relay: a relayer who cannot pay for the commit and the reveal",
        ["relay", "unrelayed.json"],
        "penniless",
        /^error: the account 0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A holds 0 ETH but this transaction needs about .* ETH for gas; /,
      ],
      [
        "sign: an unregistered parent",
        ["sign", "--text", "an orphan", "--parent", unregistered, "--out", "orphan.json"],
        "penniless",
        new RegExp(`^error: the parent ${unregistered} of 0x[0-9a-f]{64} is not registered; register the parent first`),
      ],
      [
        "malformed TRIBUTARY_FAST_FORWARD",
        ["register", "--text", "fast or not"],
        "alice",
        /^error: TRIBUTARY_FAST_FORWARD "soon" is neither true nor false; /,
        { TRIBUTARY_FAST_FORWARD: "soon" },
      ],
      [
        "already registered (direct)",
        ["register", "--text", prompt, "--direct"],
        "alice",
        new RegExp(
          `^error: the hash ${promptHash} is already registered to ${address("bob")}; a hash is registered once`,
        ),
      ],
      [
        "missing file",
        ["register", "--file", "nope.txt"],
        "alice",
        /^error: no such file or folder: nope\.txt; check the path$/,
      ],
      [
        "missing folder",
        ["register", "--dir", "no-such-dataset"],
        "alice",
        /^error: no such file or folder: no-such-dataset; /,
      ],
      [
        "a key without 0x",
        ["register", "--text", "a key written without its prefix"],
        undefined,
        /^error: TRIBUTARY_PRIVATE_KEY does not start with 0x; write the key as 0x followed by its 64 hexadecimal characters$/,
        { TRIBUTARY_PRIVATE_KEY: KEYS.alice.slice(2) },
      ],
      [
        "a key without 0x (keystore create --import-env)",
        ["keystore", "create", "--out", "never-key.json", "--import-env", "--scrypt-n", "1024"],
        undefined,
        /^error: TRIBUTARY_PRIVATE_KEY does not start with 0x; /,
        { TRIBUTARY_PRIVATE_KEY: KEYS.alice.slice(2), TRIBUTARY_KEYSTORE_PASSWORD: "unused" },
      ],
      [
        "transfer to the zero address",
        ["transfer", promptHash, "0x0000000000000000000000000000000000000000"],
        "bob",
        /^error: new-author is the zero address, which nobody can accept from; give the wallet that is to accept authorship$/,
      ],
      [
        "malformed address",
        ["transfer", promptHash, "0x12345"],
        "bob",
        /^error: new-author "0x12345" is not an address; give 0x followed by 40 hexadecimal characters$/,
      ],
      [
        "mistyped checksummed address",
        ["transfer", promptHash, "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"],
        "bob",
        /fails its checksum/,
      ],
      ["malformed hash", ["consent", "0xnothex", "yes"], "alice", /^error: hash "0xnothex" is not a content hash; /],
      [
        "malformed parent",
        ["register", "--text", "x", "--parent", "0x01"],
        "alice",
        /^error: --parent "0x01" is not a content hash/,
      ],
      [
        "insufficient funds",
        ["register", "--text", "I cannot pay for gas"],
        "penniless",
        /^error: the account 0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A holds 0 ETH but this transaction needs about .* ETH for gas; fund the account, or have a relayer submit a signed registration \(tributary sign\)$/,
      ],
      [
        "unregistered hash (on-chain action)",
        ["consent", unregistered, "no"],
        "alice",
        new RegExp(`^error: the hash ${unregistered} is not registered; register it first`),
      ],
      [
        "unregistered hash (API query)",
        ["contribution", unregistered],
        undefined,
        new RegExp(`^error: no contribution registered with hash ${unregistered}; check the value`),
      ],
      [
        "unregistered parent",
        ["register", "--text", "an orphan", "--parent", unregistered],
        "alice",
        new RegExp(`^error: the parent ${unregistered} of 0x[0-9a-f]{64} is not registered; register the parent first`),
      ],
      [
        "already registered",
        ["register", "--text", prompt],
        "alice",
        new RegExp(
          `^error: the hash ${promptHash} is already registered to ${address("bob")}; a hash is registered once`,
        ),
      ],
      [
        "not the author",
        ["consent", correctionHash, "yes"],
        "bob",
        new RegExp(
          `^error: ${address("bob")} is not the author of ${correctionHash} \\(the author is ${address("alice")}\\); use the author's key$`,
        ),
      ],
      [
        "wrong network",
        ["--chain-id", "1", "register", "--text", "on the wrong chain"],
        "alice",
        /^error: the node at http:\/\/127\.0\.0\.1:\d+ is on chain 31337, not chain 1; give the --rpc of a node on chain 1, or change --chain-id$/,
      ],
      [
        "no key configured",
        ["register", "--text", "who am I"],
        undefined,
        /^error: no key is configured to sign with; /,
      ],
      [
        "unknown kind",
        ["register", "--text", "x", "--kind", "poem"],
        "alice",
        /^error: "poem" is not a contribution kind; use one of /,
      ],
      [
        "unreachable node",
        ["--rpc", "http://127.0.0.1:9", "register", "--text", "x"],
        "alice",
        /^error: no node answers at http:\/\/127\.0\.0\.1:9; start one/,
      ],
      [
        "unreachable API",
        ["--api", "http://127.0.0.1:9", "contracts"],
        undefined,
        /^error: the indexer API at http:\/\/127\.0\.0\.1:9 did not answer; check that the indexer is running/,
      ],
      [
        "not an attester",
        ["anchor", "witnessed.csv", "--out", "never.json"],
        "bob",
        /is not an approved attester; ask the registry's owner/,
      ],
    ];
    const before = await nonces();
    const runs = await Promise.all(cases.map(([, args, who, , env]) => cli(args, who, env)));
    for (const [i, [name, , , pattern]] of cases.entries()) {
      const run = runs[i]!;
      assert.equal(run.code, 1, `${name}: exit code (stderr: ${run.stderr})`);
      assert.equal(run.stdout, "", `${name}: nothing on stdout`);
      assert.equal(run.stderr.split("\n").length, 2, `${name}: one line on stderr: ${run.stderr}`);
      assert.match(run.stderr.trim(), pattern, name);
    }
    assert.deepEqual(await nonces(), before, "no account sent anything");
    await assert.rejects(stat(path.join(work, "never.json")), "a refused anchor leaves no leaf file");
    await assert.rejects(stat(path.join(work, "orphan.json")), "a refused signature leaves no file");
    await assert.rejects(stat(path.join(work, "never-key.json")), "a refused key writes no keystore");
  });
});
