// Unit tests of the SDK and the CLI that need no chain: hashing against test/vectors/hashing.json (through the SDK
// and through the CLI process), CSV parsing, contract error decoding, key loading, input validation.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import {
  BaseError,
  ContractFunctionRevertedError,
  encodeAbiParameters,
  encodeErrorResult,
  hexToBytes,
  keccak256,
  toHex,
  type Hex,
} from "viem";

import { authorshipRegistryAbi } from "../../abis/AuthorshipRegistry.ts";
import {
  canonicalText,
  computeCommitment,
  ContractRevertError,
  createKeystore,
  decodeRevertData,
  ERROR_ABIS,
  hashDataset,
  hashFileBytes,
  hashText,
  hashTextBytes,
  InvalidInputError,
  KeyError,
  loadAccount,
  parseAddress,
  parseCsv,
  parseDeadline,
  parseHash,
  parseKind,
  parseAmount,
  parseDuration,
  parsePoolId,
  parseSigned,
  parseToken,
  parseUnitsCsv,
  resolveConfig,
  textFileHasher,
  toTributaryError,
  WrongPasswordError,
} from "../../sdk/node.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const CLI = path.join(ROOT, "cli", "tributary.ts");

interface DatasetVector {
  name: string;
  files: { path: string; utf8?: string; hex?: Hex; repeatHex?: Hex; times?: number }[];
  expected: { files: { path: string; contributionId: Hex }[]; root: Hex };
}
const vectors = JSON.parse(await readFile(path.join(ROOT, "test", "vectors", "hashing.json"), "utf8")) as {
  text: { name: string; input: string; canonicalUtf8: Hex; contributionId: Hex }[];
  invalidText: { name: string; input: string }[];
  invalidUtf8: { name: string; hex: Hex }[];
  datasets: DatasetVector[];
};

const fileBytes = (f: DatasetVector["files"][number]) =>
  f.utf8 !== undefined
    ? Buffer.from(f.utf8, "utf8")
    : f.hex !== undefined
      ? Buffer.from(hexToBytes(f.hex))
      : Buffer.concat(Array<Buffer>(f.times!).fill(Buffer.from(hexToBytes(f.repeatHex!))));

/** An independent implementation of the StandardMerkleTree root (docs/hashing.md), to check the library's. */
function referenceRoot(files: { path: string; contributionId: Hex }[]): Hex {
  const leaves = files
    .map((f) =>
      keccak256(keccak256(encodeAbiParameters([{ type: "string" }, { type: "bytes32" }], [f.path, f.contributionId]))),
    )
    .sort((a, b) => Buffer.compare(Buffer.from(hexToBytes(a)), Buffer.from(hexToBytes(b))));
  const tree: Hex[] = new Array(2 * leaves.length - 1);
  leaves.forEach((leaf, i) => (tree[tree.length - 1 - i] = leaf));
  const pair = (a: Hex, b: Hex) => keccak256(a < b ? `${a}${b.slice(2)}` : `${b}${a.slice(2)}`);
  for (let i = tree.length - 1 - leaves.length; i >= 0; i--) tree[i] = pair(tree[2 * i + 1]!, tree[2 * i + 2]!);
  return tree[0]!;
}

function cli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TRIBUTARY_PRIVATE_KEY: "", TRIBUTARY_KEYSTORE: "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let work: string;
const datasetDirs = new Map<string, string>();
before(async () => {
  work = await mkdtemp(path.join(tmpdir(), "tributary-cli-unit-"));
  for (const [i, vector] of vectors.datasets.entries()) {
    const dir = path.join(work, `dataset-${i}`);
    for (const f of vector.files) {
      const file = path.join(dir, ...f.path.split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, fileBytes(f));
    }
    datasetDirs.set(vector.name, dir);
  }
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("hashing rules (SDK) against test/vectors/hashing.json", () => {
  for (const vector of vectors.text) {
    it(`text: ${vector.name}`, () => {
      assert.equal(Buffer.from(canonicalText(vector.input)).toString("hex"), vector.canonicalUtf8.slice(2));
      assert.equal(hashText(vector.input), vector.contributionId);
      assert.equal(keccak256(vector.canonicalUtf8), vector.contributionId);
    });
  }

  it("refuses text that is empty once trailing whitespace is removed", () => {
    for (const vector of vectors.invalidText)
      assert.throws(() => hashText(vector.input), InvalidInputError, vector.name);
  });

  it("refuses bytes that are not valid UTF-8 as text", () => {
    for (const vector of vectors.invalidUtf8) {
      assert.throws(() => hashTextBytes(hexToBytes(vector.hex)), /not valid UTF-8/, vector.name);
    }
  });

  for (const vector of vectors.datasets) {
    it(`dataset: ${vector.name}`, async () => {
      const result = await hashDataset({ dir: datasetDirs.get(vector.name)! });
      assert.deepEqual(
        result.files.map(({ path, contributionId }) => ({ path, contributionId })),
        vector.expected.files,
      );
      assert.equal(result.root, vector.expected.root);
      assert.equal(referenceRoot(vector.expected.files), vector.expected.root, "independent tree agrees");
      for (const f of vector.files) {
        const expected = vector.expected.files.find((e) => e.path === f.path.normalize("NFC"))!;
        assert.equal(keccak256(fileBytes(f)), expected.contributionId, `whole-buffer hash of ${f.path}`);
      }
    });
  }

  it("streams a file in chunks and reports every byte read", async () => {
    const vector = vectors.datasets.find((v) => v.files[0]?.repeatHex)!;
    const file = path.join(datasetDirs.get(vector.name)!, ...vector.files[0]!.path.split("/"));
    let read = 0;
    let chunks = 0;
    const hash = await hashFileBytes(file, (n) => {
      read += n;
      chunks++;
    });
    assert.equal(hash, vector.expected.files[0]!.contributionId);
    assert.equal(read, 16 * vector.files[0]!.times!);
    assert.ok(chunks > 1, "read in more than one chunk");
  });

  it("refuses an empty folder, a missing folder and a symbolic link", async () => {
    const empty = path.join(work, "empty");
    await mkdir(empty);
    await assert.rejects(hashDataset({ dir: empty }), /holds no file/);
    await assert.rejects(hashDataset({ dir: path.join(work, "missing") }), /no such file or folder/);
    const linked = path.join(work, "linked");
    await mkdir(linked);
    await writeFile(path.join(linked, "real.txt"), "x");
    const { symlink } = await import("node:fs/promises");
    await symlink(path.join(linked, "real.txt"), path.join(linked, "link.txt"));
    await assert.rejects(hashDataset({ dir: linked }), /symbolic link/);
  });
});

describe("hashing rules (CLI) agree with the vectors", () => {
  // One process per vector costs about a second on a loaded machine: the CLI is checked on the vectors whose rules
  // differ (the SDK tests above cover every vector).
  const cliVectors = vectors.text.filter((v) => /[\r\uFEFF\u0301\u1161]|\s$/u.test(v.input));

  it("tributary hash --text gives the text vectors' hashes", () => {
    for (const vector of cliVectors.filter((v) => !v.input.includes("\r"))) {
      const { code, stdout, stderr } = cli(["hash", "--text", vector.input]);
      assert.equal(code, 0, stderr);
      assert.equal(stdout.trim(), vector.contributionId, vector.name);
    }
  });

  it("tributary hash --file gives the same hash as the text, whatever its line endings", async () => {
    for (const [i, vector] of cliVectors.entries()) {
      const file = path.join(work, `text-${i}.txt`);
      await writeFile(file, vector.input, "utf8");
      const { code, stdout, stderr } = cli(["hash", "--file", file, "--json"]);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).contributionId, vector.contributionId, vector.name);
    }
  });

  it("tributary hash --dir gives every dataset vector's root", () => {
    for (const vector of vectors.datasets) {
      const { code, stdout, stderr } = cli(["hash", "--dir", datasetDirs.get(vector.name)!, "--json"]);
      assert.equal(code, 0, stderr);
      const out = JSON.parse(stdout);
      assert.equal(out.contributionId, vector.expected.root, vector.name);
      assert.equal(out.kind, "dataset");
      assert.equal(out.fileCount, vector.files.length);
    }
  });

  it("tributary hash --file --raw hashes exact bytes, and --manifest lists a dataset's files", async () => {
    const vector = vectors.datasets[2]!;
    const dir = datasetDirs.get(vector.name)!;
    const raw = cli(["hash", "--file", path.join(dir, "crlf.txt"), "--raw"]);
    assert.equal(raw.stdout.trim(), vector.expected.files.find((f) => f.path === "crlf.txt")!.contributionId);
    const manifest = path.join(work, "manifest.json");
    assert.equal(cli(["hash", "--dir", dir, "--manifest", manifest]).code, 0);
    const written = JSON.parse(await readFile(manifest, "utf8"));
    assert.equal(written.root, vector.expected.root);
    assert.deepEqual(
      written.files.map((f: { path: string }) => f.path),
      vector.expected.files.map((f) => f.path),
    );
  });

  it("refuses a missing file, two contents at once, and binary text, on one line with exit 1", async () => {
    const binary = path.join(work, "binary.txt");
    await writeFile(binary, Buffer.from([0xc3, 0x28]));
    for (const [args, pattern] of [
      [["hash", "--file", path.join(work, "nope.txt")], /^error: no such file or folder: .*nope\.txt; check the path$/],
      [["hash", "--text", "a", "--dir", work], /^error: give one content, not --text and --dir; /],
      [
        ["hash", "--file", binary],
        /^error: .*is not valid UTF-8 text; hash its exact bytes instead \(.*--raw\) or convert it to UTF-8$/,
      ],
      [["hash", "--text", " \n "], /^error: the text is empty/],
    ] as const) {
      const { code, stderr, stdout } = cli([...args]);
      assert.equal(code, 1);
      assert.equal(stdout, "");
      assert.match(stderr.trim(), pattern);
      assert.equal(stderr.trim().split("\n").length, 1, "one line");
    }
  });

  it("runs through the npx launcher, re-running an older Node's call with the repository's Node 22", () => {
    const nodes = [process.execPath, "/usr/bin/node", "/usr/local/bin/node"].filter((node) => existsSync(node));
    for (const node of nodes) {
      const run = spawnSync(node, [path.join(ROOT, "cli", "bin.mjs"), "hash", "--text", vectors.text[0]!.input], {
        encoding: "utf8",
      });
      assert.equal(run.status, 0, `${node}: ${run.stderr}`);
      assert.equal(run.stdout.trim(), vectors.text[0]!.contributionId);
      const failed = spawnSync(node, [path.join(ROOT, "cli", "bin.mjs"), "--bogus"], { encoding: "utf8" });
      assert.equal(failed.status, 2, "the exit code passes through");
    }
  });

  it("answers a usage error with one line and exit code 2", () => {
    const { code, stderr } = cli(["register", "--frobnicate"]);
    assert.equal(code, 2);
    assert.match(stderr, /^error: unknown option '--frobnicate'; run tributary --help for usage\n$/);
    assert.equal(cli(["no-such-command"]).code, 2);
  });
});

describe("CSV parsing", () => {
  it("reads quoted fields, escaped quotes, CRLF, a BOM and blank lines", () => {
    const text = '\uFEFFcontributionId,author,note\r\n0x01,0xab,"a, b"\r\n\r\n0x02,0xcd,"say ""hi""\nnext line"\n';
    const rows = parseCsv({ text, required: ["contributionId", "author"] });
    assert.deepEqual(
      rows.map((r) => [r.line, r.values.contributionid, r.values.author, r.values.note]),
      [
        [2, "0x01", "0xab", "a, b"],
        [4, "0x02", "0xcd", 'say "hi"\nnext line'],
      ],
    );
  });

  it("accepts a last row without a newline and trims spaces around values", () => {
    const rows = parseCsv({ text: "a,b\n 1 , 2" });
    assert.deepEqual(rows[0]!.values, { a: "1", b: "2" });
  });

  it("names the line of a row with the wrong number of fields", () => {
    assert.throws(() => parseCsv({ text: "a,b\n1,2\n3\n", source: "units.csv" }), /units\.csv line 3 has 1 fields/);
  });

  it("refuses an unclosed quote, a stray quote and a missing column", () => {
    assert.throws(() => parseCsv({ text: 'a\n"open\n' }), /unclosed quote starting on line 2/);
    assert.throws(() => parseCsv({ text: 'a\nab"c\n' }), /quote in the middle/);
    assert.throws(() => parseCsv({ text: "hash\n0x01\n", required: ["author"] }), /has no "author" column/);
    assert.throws(() => parseCsv({ text: "" }), /is empty/);
  });
});

describe("contract errors decoded into named errors", () => {
  const author = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const caller = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
  const hash = `0x${"ab".repeat(32)}` as Hex;

  it("decodes raw revert data with its arguments and a sentence a person understands", () => {
    const data = encodeErrorResult({
      abi: authorshipRegistryAbi,
      errorName: "AuthorshipRegistry_NotAuthor",
      args: [hash, caller, author],
    });
    const error = decodeRevertData(data)!;
    assert.ok(error instanceof ContractRevertError);
    assert.equal(error.name, "NotAuthorError");
    assert.equal(error.errorName, "AuthorshipRegistry_NotAuthor");
    assert.equal(error.args.caller, caller);
    assert.equal(
      error.message,
      `${caller} is not the author of ${hash} (the author is ${author}); use the author's key`,
    );
  });

  it("has a message for every custom error of the registry's and the vault's ABIs", () => {
    const items = ERROR_ABIS.flatMap((abi) => abi.filter((x) => x.type === "error"));
    assert.ok(items.some((item) => item.name.startsWith("RoyaltyVault_")));
    for (const item of items) {
      const args = item.inputs.map((input) =>
        input.type === "address"
          ? author
          : input.type === "bytes32"
            ? hash
            : input.type === "bool"
              ? true
              : input.type === "string"
                ? "s"
                : 1n,
      ) as never;
      const error = decodeRevertData(encodeErrorResult({ abi: [item], errorName: item.name, args }))!;
      assert.ok(error, item.name);
      assert.doesNotMatch(error.message, /see docs\/registry\.md/, `${item.name} has its own explanation`);
      assert.doesNotMatch(error.message, /\n/);
    }
  });

  it("unwraps a viem revert error into the same named error", () => {
    const data = encodeErrorResult({
      abi: authorshipRegistryAbi,
      errorName: "AuthorshipRegistry_AlreadyRegistered",
      args: [hash, author],
    });
    const viemError = new BaseError("call failed", {
      cause: new ContractFunctionRevertedError({ abi: authorshipRegistryAbi, data, functionName: "register" }),
    });
    const error = toTributaryError(viemError);
    assert.equal(error.name, "AlreadyRegisteredError");
    assert.match(
      error.message,
      /is already registered to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8; a hash is registered once/,
    );
  });

  it("leaves unknown revert data undecoded", () => {
    assert.equal(decodeRevertData("0xdeadbeef"), undefined);
  });
});

describe("keys", () => {
  const privateKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

  it("decrypts a keystore with the right password", async () => {
    const file = path.join(work, "right.json");
    await createKeystore({ privateKey, password: "correct horse", file, scryptN: 1024 });
    const account = await loadAccount({ keystore: file, password: "correct horse", env: {} });
    assert.equal(account.address, address);
  });

  it("refuses a wrong password with WrongPasswordError that does not hold the key", async () => {
    const file = path.join(work, "wrong.json");
    await createKeystore({ privateKey, password: "correct horse", file, scryptN: 1024 });
    const error = await loadAccount({ keystore: file, password: "battery staple", env: {} }).catch((e: unknown) => e);
    assert.ok(error instanceof WrongPasswordError);
    assert.doesNotMatch((error as Error).message, new RegExp(privateKey.slice(2, 20), "i"));
  });

  it("reads TRIBUTARY_PRIVATE_KEY, and never repeats a malformed one", async () => {
    assert.equal((await loadAccount({ env: { TRIBUTARY_PRIVATE_KEY: privateKey } })).address, address);
    const secret = "0x1234not-a-key-5678";
    const error = await loadAccount({ env: { TRIBUTARY_PRIVATE_KEY: secret } }).catch((e: unknown) => e);
    assert.ok(error instanceof KeyError);
    assert.doesNotMatch((error as Error).message, /1234not/);
  });

  it("says how to configure a key when none is", async () => {
    await assert.rejects(loadAccount({ env: {} }), /no key is configured to sign with; give a `keystore`/);
  });

  it("never overwrites a keystore", async () => {
    const file = path.join(work, "once.json");
    await createKeystore({ password: "p", file, scryptN: 1024 });
    await assert.rejects(createKeystore({ password: "p", file, scryptN: 1024 }), /already exists/);
  });
});

describe("input validation", () => {
  it("parses addresses, checking a mixed-case checksum", () => {
    assert.equal(
      parseAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8"),
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    );
    assert.throws(() => parseAddress("0x7099"), /is not an address/);
    assert.throws(() => parseAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79c8"), /fails its checksum/);
  });

  it("parses hashes, kinds and deadlines", () => {
    assert.equal(parseHash(`0x${"AB".repeat(32)}`), `0x${"ab".repeat(32)}`);
    assert.throws(() => parseHash("0x1234"), /is not a content hash/);
    assert.equal(parseKind("model_output"), "model_output");
    assert.equal(parseKind("3"), "dataset");
    assert.throws(() => parseKind("poem"), /use one of prompt, correction/);
    assert.equal(parseDeadline("2h", 1000), 1000n + 7200n);
    assert.equal(parseDeadline("2030-01-01T00:00:00Z"), 1893456000n);
    assert.throws(() => parseDeadline("soon"), /is not a deadline/);
  });
});

describe("commitments and signed files", () => {
  const author = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const salt = `0x${"5a".repeat(32)}` as Hex;
  const registration = {
    contributionId: `0x${"ab".repeat(32)}` as Hex,
    kind: "dataset" as const,
    trainingConsent: false,
    parents: [`0x${"01".repeat(32)}` as Hex, `0x${"02".repeat(32)}` as Hex],
    uri: "ipfs://meta",
  };

  it("computes the commitment over the whole registration, as the contract's formula says", () => {
    const fields = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "uint8" }, { type: "bool" }, { type: "bytes32" }, { type: "bytes32" }],
        [
          registration.contributionId,
          3,
          false,
          keccak256(`0x${"01".repeat(32)}${"02".repeat(32)}`),
          keccak256(toHex("ipfs://meta")),
        ],
      ),
    );
    const expected = keccak256(
      encodeAbiParameters([{ type: "bytes32" }, { type: "address" }, { type: "bytes32" }], [fields, author, salt]),
    );
    assert.equal(computeCommitment(registration, author, salt), expected);
    // The numeric kind of the contract's struct gives the same commitment.
    assert.equal(computeCommitment({ ...registration, kind: 3 }, author, salt), expected);
    assert.notEqual(computeCommitment({ ...registration, uri: "" }, author, salt), expected);
  });

  it("refuses a signed commitment whose registration changed after signing, and a file of another type", () => {
    const file = {
      type: "tributary/signed-commitment",
      version: 1,
      chainId: 31337,
      registry: author,
      author,
      deadline: "1893456000",
      commitment: computeCommitment(registration, author, salt),
      salt,
      registration,
      signature: `0x${"11".repeat(65)}`,
    };
    assert.equal(parseSigned(file).type, "tributary/signed-commitment");
    assert.throws(
      () => parseSigned({ ...file, registration: { ...registration, trainingConsent: true } }, "s.json"),
      /^InvalidInputError: s\.json's commitment does not hide its registration, author and salt/,
    );
    assert.throws(() => parseSigned({ type: "tributary/commitment" }, "c.json"), /c\.json is neither a signed/);
  });

  it("reads TRIBUTARY_FAST_FORWARD, refusing anything but true or false", () => {
    assert.equal(resolveConfig({ env: {} }).fastForward, false);
    assert.equal(resolveConfig({ env: { TRIBUTARY_FAST_FORWARD: "true" } }).fastForward, true);
    assert.equal(resolveConfig({ env: { TRIBUTARY_FAST_FORWARD: "0" } }).fastForward, false);
    assert.throws(() => resolveConfig({ env: { TRIBUTARY_FAST_FORWARD: "soon" } }), /is neither true nor false/);
  });
});

describe("vault inputs", () => {
  it("parses human amounts with the token's decimals, refusing zero, junk and excess decimals", () => {
    assert.equal(parseAmount("1.5", 18), 1_500_000_000_000_000_000n);
    assert.equal(parseAmount("250.5", 6), 250_500_000n);
    assert.equal(parseAmount(".25", 6), 250_000n);
    assert.throws(() => parseAmount("1.2.3", 18), /^InvalidInputError: amount "1\.2\.3" is not an amount; /);
    assert.throws(() => parseAmount("1,000", 18), /is not an amount/);
    assert.throws(() => parseAmount("-1", 18), /is not an amount/);
    assert.throws(() => parseAmount("0.0", 18), /amount is zero/);
    assert.throws(() => parseAmount("1.0000001", 6), /has more than the token's 6 decimals/);
  });

  it("parses pool ids, durations and tokens", () => {
    assert.equal(parsePoolId("12"), 12n);
    assert.throws(() => parsePoolId("0"), /is not a pool id/);
    assert.throws(() => parsePoolId("pool-1", "pool-id"), /^InvalidInputError: pool-id "pool-1" is not a pool id; /);
    assert.equal(parseDuration("3600"), 3600);
    assert.equal(parseDuration("90m"), 5400);
    assert.equal(parseDuration("1h"), 3600);
    assert.equal(parseDuration("2w"), 1_209_600);
    assert.throws(() => parseDuration("an hour"), /is not a duration/);
    assert.equal(parseToken("ETH"), "0x0000000000000000000000000000000000000000");
    assert.throws(() => parseToken("0xabc", "--token"), /--token "0xabc" is not an address/);
  });

  it("reads units from a CSV of hashes, prompts' texts and text files, naming the line of a bad row", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tributary-units-"));
    try {
      await writeFile(path.join(dir, "fix.txt"), "A correction.\r\n");
      const hash = `0x${"ab".repeat(32)}` as Hex;
      const entries = await parseUnitsCsv({
        text: `contribution,units\n${hash},3\n"Say ""hi"", politely.",2\nfile:fix.txt,1\n`,
        hashFile: textFileHasher(dir),
      });
      assert.deepEqual(entries, [
        { contributionId: hash, units: 3n },
        { contributionId: hashText('Say "hi", politely.'), units: 2n },
        { contributionId: hashText("A correction.\n"), units: 1n },
      ]);
      await assert.rejects(
        parseUnitsCsv({ text: `contributionId,units\n${hash},1\n0x12,2\n`, source: "u.csv" }),
        /u\.csv line 3: contribution "0x12" is not a content hash/,
      );
      await assert.rejects(
        parseUnitsCsv({ text: `contribution,units\n${hash},1.5\n`, source: "u.csv" }),
        /u\.csv line 2: units "1\.5" is not a whole number/,
      );
      await assert.rejects(parseUnitsCsv({ text: `hash,weight\n${hash},1\n` }), /has no "units" column/);
      await assert.rejects(parseUnitsCsv({ text: "contribution,units\n", source: "u.csv" }), /lists no contribution/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
