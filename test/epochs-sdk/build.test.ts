import { readFile } from "node:fs/promises";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { encodeAbiParameters, keccak256, stringToHex, type Hex } from "viem";

import { hashText } from "../../sdk/hashing.ts";
import {
  buildEpoch,
  eligibleHash,
  getProof,
  LEAF_TYPES,
  leafValues,
  LineError,
  MAX_LEAVES,
  methodHash,
  processProof,
  readAttribution,
  readLeafFile,
  usageShares,
  type AttributionInput,
  type BuildEpochParameters,
  type EpochDomain,
  type EpochLeaf,
  type PreviousEpoch,
} from "../../sdk/epochs/index.ts";
import { methodSourceBytes } from "../../sdk/epochs/files.ts";
import { random } from "./random.ts";

interface VectorCase {
  name: string;
  input: AttributionInput;
  epochId: number;
  amount: string;
  snapshotBlock: string;
  revoked: Hex[];
  previous?: string;
  log: string;
  expected: {
    leafFile: string;
    root: Hex;
    total: string;
    eligibleHash: Hex;
    usageLogHash: Hex;
    leafFileHash: Hex;
    previousEpoch: number;
    excluded: number;
    zeroShare: number;
    carried: number;
  };
}

const encoder = new TextEncoder();
const bytes = (text: string) => [encoder.encode(text)];
const id = (name: string) => keccak256(stringToHex(name));
const DOMAIN: EpochDomain = { chainId: 31337, contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", poolId: 1n };

async function previousFrom(text: string): Promise<PreviousEpoch> {
  const leaves: EpochLeaf[] = [];
  const { header } = await readLeafFile({ chunks: bytes(text), source: "previous", onLeaf: (l) => leaves.push(l) });
  return { header, leaves };
}

async function build(log: string, overrides: Partial<BuildEpochParameters> = {}, input: AttributionInput = "usage") {
  const attribution = await readAttribution({ input, chunks: bytes(log), source: "log.jsonl", hashText });
  return buildEpoch({
    domain: DOMAIN,
    epochId: 1,
    amount: 1000n,
    attribution,
    snapshotBlock: 1n,
    isEligible: () => true,
    methodSource: await methodSourceBytes(),
    ...overrides,
  });
}

const use = (contributionId: Hex, weight: number | string, time: number | string = 1764590400) =>
  `${JSON.stringify({ contributionId, weight, time })}\n`;
const leafLines = (file: Uint8Array) => new TextDecoder().decode(file).trimEnd().split("\n").slice(1);

describe("epochs SDK: usage-share-v1", function () {
  it("shares an amount in proportion to weight, exactly, for random weights and amounts", function () {
    const next = random(11);
    for (let round = 0; round < 200; round++) {
      const weights = Array.from({ length: 1 + Math.floor(next() * 40) }, () => BigInt(1 + Math.floor(next() * 1e9)));
      const amount = BigInt(Math.floor(next() * 1e12)) + 1n;
      const shares = usageShares(amount, weights);
      expect(shares.reduce((a, b) => a + b, 0n)).to.equal(amount);
      const total = weights.reduce((a, b) => a + b, 0n);
      shares.forEach((share, i) => {
        const floor = (amount * weights[i]!) / total;
        expect(share === floor || share === floor + 1n, `share ${i} of round ${round}`).to.equal(true);
      });
    }
  });

  it("gives the units left over to the largest remainders, ties to the earlier contributionId", function () {
    // 10 among weights 1, 1, 1: 3 each and one left over, which the first of the tie takes.
    expect(usageShares(10n, [1n, 1n, 1n])).to.deep.equal([4n, 3n, 3n]);
    // 10 among 1, 2, 3 (exact 1.67, 3.33, 5): the largest remainder is the first one's.
    expect(usageShares(10n, [1n, 2n, 3n])).to.deep.equal([2n, 3n, 5n]);
  });

  it("sums every use of a contribution, whatever way the line names it", async function () {
    const text = "Rewrite this paragraph for a ten-year-old.";
    const log = `${use(id("a"), 1)}${JSON.stringify({ text, weight: 2, time: "2026-12-01T00:00:00Z" })}\n${use(hashText(text), "1.5")}${use(id("a"), 2)}`;
    const attribution = await readAttribution({ input: "usage", chunks: bytes(log), source: "log", hashText });
    expect(attribution.lines).to.equal(4);
    expect(attribution.weights.get(id("a"))).to.equal(3n * 10n ** 18n);
    expect(attribution.weights.get(hashText(text))).to.equal(35n * 10n ** 17n);
    expect(attribution.inputHash).to.equal(keccak256(stringToHex(log)));
  });

  it("leaves out ineligible contributions, counts them, and shares the amount among the others", async function () {
    const revoked = id("revoked");
    const result = await build(`${use(id("a"), 1)}${use(revoked, 99)}${use(id("b"), 3)}`, {
      isEligible: new Set([id("a"), id("b")]),
    });
    expect(result.excluded).to.equal(1);
    expect(result.excludedWeight).to.equal(99n * 10n ** 18n);
    expect(result.manifest.total).to.equal(1000n);
    expect(leafLines(result.leafFile).some((line) => line.startsWith(revoked))).to.equal(false);
    expect(result.manifest.eligibleHash).to.equal(eligibleHash([id("a"), id("b")].sort() as Hex[]));
  });

  it("adds to the previous cumulative amounts and keeps firstEpoch; leaves only in the previous file stay", async function () {
    const first = await build(`${use(id("a"), 1)}${use(id("b"), 1)}`);
    const previous = await previousFrom(new TextDecoder().decode(first.leafFile));
    const second = await build(`${use(id("a"), 1)}${use(id("c"), 1)}`, { epochId: 3, amount: 100n, previous });
    const leaves = Object.fromEntries(leafLines(second.leafFile).map((line) => [line.slice(0, 66), line.slice(67)]));
    expect(leaves[id("a")]).to.equal("550,1");
    expect(leaves[id("b")]).to.equal("500,1");
    expect(leaves[id("c")]).to.equal("50,3");
    expect(second.manifest.total).to.equal(1100n);
    expect(second.manifest.previousEpoch).to.equal(1);
    expect(second.carried).to.equal(1);
  });

  it("hashes the method's id, parameters and source file into methodHash", async function () {
    const source = await readFile(path.join(import.meta.dirname, "..", "..", "sdk", "epochs", "usage-share.ts"));
    const result = await build(use(id("a"), 1));
    const expected = keccak256(
      encodeAbiParameters(
        [{ type: "string" }, { type: "string" }, { type: "bytes32" }],
        ["usage-share-v1", '{"input":"usage","weightDecimals":18}', keccak256(source)],
      ),
    );
    expect(result.manifest.methodHash).to.equal(expected);
    expect(result.manifest.methodId).to.equal(keccak256(stringToHex("usage-share-v1")));
    expect(methodHash("scores", source)).to.not.equal(expected);
  });
});

describe("epochs SDK: same inputs, same leaf file and root (test/vectors/epochs.json)", function () {
  it("rebuilds every vector byte for byte", async function () {
    const file = path.join(import.meta.dirname, "..", "vectors", "epochs.json");
    const vectors = JSON.parse(await readFile(file, "utf8")) as { cases: VectorCase[] };
    expect(vectors.cases.length).to.be.greaterThan(3);
    for (const vector of vectors.cases) {
      const revoked = new Set(vector.revoked);
      const result = await build(
        vector.log,
        {
          epochId: vector.epochId,
          amount: BigInt(vector.amount),
          snapshotBlock: BigInt(vector.snapshotBlock),
          previous: vector.previous === undefined ? undefined : await previousFrom(vector.previous),
          isEligible: (contributionId) => !revoked.has(contributionId),
        },
        vector.input,
      );
      const { manifest } = result;
      expect(new TextDecoder().decode(result.leafFile), vector.name).to.equal(vector.expected.leafFile);
      expect(manifest.root, vector.name).to.equal(vector.expected.root);
      expect(manifest.total.toString(), vector.name).to.equal(vector.expected.total);
      expect(manifest.eligibleHash, vector.name).to.equal(vector.expected.eligibleHash);
      expect(manifest.usageLogHash, vector.name).to.equal(vector.expected.usageLogHash);
      expect(manifest.leafFileHash, vector.name).to.equal(vector.expected.leafFileHash);
      expect(manifest.leafFileHash, vector.name).to.equal(keccak256(stringToHex(vector.expected.leafFile)));
      expect(manifest.previousEpoch, vector.name).to.equal(vector.expected.previousEpoch);
      expect([result.excluded, result.zeroShare, result.carried], vector.name).to.deep.equal([
        vector.expected.excluded,
        vector.expected.zeroShare,
        vector.expected.carried,
      ]);
    }
  });
});

describe("epochs SDK: proofs from a leaf file", function () {
  it("gives every leaf's amount, firstEpoch and the library's proof, which leads to the root", async function () {
    const log = Array.from({ length: 37 }, (_, i) => use(id(`c${i}`), i + 1)).join("");
    const result = await build(log);
    const text = new TextDecoder().decode(result.leafFile);
    const leaves = leafLines(result.leafFile).map((line) => {
      const [contributionId, amount, firstEpoch] = line.split(",") as [Hex, string, string];
      return { contributionId, cumulativeAmount: BigInt(amount), firstEpoch: Number(firstEpoch) };
    });
    const reference = StandardMerkleTree.of(
      leaves.map((leaf) => leafValues(DOMAIN, leaf)),
      [...LEAF_TYPES],
    );
    expect(result.manifest.root).to.equal(reference.root);
    for (const [i, leaf] of leaves.entries()) {
      const proof = await getProof({ chunks: bytes(text), source: "leaves", contributionId: leaf.contributionId });
      expect(proof.cumulativeAmount).to.equal(leaf.cumulativeAmount);
      expect(proof.firstEpoch).to.equal(1);
      expect(proof.proof).to.deep.equal(reference.getProof(i));
      expect(processProof(reference.leafHash(leafValues(DOMAIN, leaf)) as Hex, proof.proof)).to.equal(reference.root);
    }
  });

  it("refuses a contribution the file does not name", async function () {
    const result = await build(use(id("a"), 1));
    const text = new TextDecoder().decode(result.leafFile);
    await expectRejection(
      getProof({ chunks: bytes(text), source: "leaves", contributionId: id("b") }),
      /names no leaf/,
    );
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp, line?: number): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    expect((error as Error).message).to.not.include("\n");
    if (line !== undefined) {
      expect(error).to.be.instanceOf(LineError);
      expect((error as LineError).line).to.equal(line);
    }
    return;
  }
  expect.fail(`expected a rejection matching ${message}`);
}

describe("epochs SDK: a malformed usage line is reported with its number", function () {
  const good = use(id("a"), 1);
  const cases: [string, string, RegExp][] = [
    ["bad JSON", "{contributionId:", /line 2: is not JSON/],
    ["a JSON value that is not an object", "[1,2]", /line 2: is not a JSON object/],
    ["no contribution named", JSON.stringify({ weight: 1, time: 0 }), /line 2: names no contribution/],
    [
      "a contribution named twice",
      JSON.stringify({ contributionId: id("b"), text: "x", weight: 1, time: 0 }),
      /line 2: names its contribution twice/,
    ],
    [
      "an unknown contribution (not a hash)",
      JSON.stringify({ contributionId: "0x1234", weight: 1, time: 0 }),
      /line 2: contributionId "0x1234" is not a content hash/,
    ],
    [
      "a zero weight",
      JSON.stringify({ contributionId: id("b"), weight: 0, time: 0 }),
      /line 2: weight 0 is not a positive integer or decimal string/,
    ],
    [
      "a negative weight",
      JSON.stringify({ contributionId: id("b"), weight: -3, time: 0 }),
      /line 2: weight -3 is not a positive integer or decimal string/,
    ],
    [
      "a negative decimal weight",
      JSON.stringify({ contributionId: id("b"), weight: "-0.5", time: 0 }),
      /line 2: weight "-0.5" is not a positive integer or decimal string/,
    ],
    [
      "a fractional JSON number (floats would round)",
      JSON.stringify({ contributionId: id("b"), weight: 0.5, time: 0 }),
      /line 2: weight 0.5 is not a positive integer or decimal string/,
    ],
    [
      "more than 18 decimals",
      JSON.stringify({ contributionId: id("b"), weight: `0.${"1".repeat(19)}`, time: 0 }),
      /line 2: weight/,
    ],
    ["no weight", JSON.stringify({ contributionId: id("b"), time: 0 }), /line 2: has no weight/],
    ["no time", JSON.stringify({ contributionId: id("b"), weight: 1 }), /line 2: has no time/],
    [
      "a bad time",
      JSON.stringify({ contributionId: id("b"), weight: 1, time: "yesterday" }),
      /line 2: time "yesterday"/,
    ],
    [
      "an unknown key",
      JSON.stringify({ contributionId: id("b"), wieght: 1, time: 0 }),
      /line 2: has an unknown key "wieght"/,
    ],
    ["an empty line", "", /line 2: is not JSON/],
    ["empty text", JSON.stringify({ text: "  ", weight: 1, time: 0 }), /line 2: the text is empty/],
  ];
  for (const [what, line, message] of cases) {
    it(`refuses ${what}`, async function () {
      await expectRejection(
        readAttribution({ input: "usage", chunks: bytes(`${good}${line}\n${good}`), source: "log", hashText }),
        message,
        2,
      );
    });
  }

  it("refuses a line that is not UTF-8", async function () {
    const invalid = new Uint8Array([...encoder.encode(good), 0x7b, 0xff, 0xfe, 0x7d, 0x0a]);
    await expectRejection(
      readAttribution({ input: "usage", chunks: [invalid], source: "log" }),
      /line 2: is not valid UTF-8/,
      2,
    );
  });

  it("refuses a line of a file whose name it cannot hash", async function () {
    const line = JSON.stringify({ file: "missing.txt", weight: 1, time: 0 });
    await expectRejection(
      readAttribution({
        input: "usage",
        chunks: bytes(`${good}${line}\n`),
        source: "log",
        hashFile: () => Promise.reject(new Error("ENOENT")),
      }),
      /line 2: the file missing.txt is unknown/,
      2,
    );
  });

  it("refuses a scores file that scores a contribution twice", async function () {
    const score = `${JSON.stringify({ contributionId: id("b"), score: "0.5" })}\n`;
    await expectRejection(
      readAttribution({ input: "scores", chunks: bytes(`${score}${score}`), source: "scores" }),
      /line 2: scores .* a second time/,
      2,
    );
  });

  it("reports progress while reading", async function () {
    const seen: number[] = [];
    const log = use(id("a"), 1).repeat(25_000);
    await readAttribution({ input: "usage", chunks: bytes(log), source: "log", onProgress: (p) => seen.push(p.lines) });
    expect(seen).to.deep.equal([10_000, 20_000, 25_000]);
  });
});

describe("epochs SDK: a leaf file is checked against its header", function () {
  let text: string;
  before(async function () {
    text = new TextDecoder().decode((await build(`${use(id("a"), 1)}${use(id("b"), 2)}${use(id("c"), 3)}`)).leafFile);
  });
  const mutations: [string, (t: string) => string, RegExp][] = [
    ["a changed amount", (t) => t.replace(/,167,1\n/, ",168,1\n"), /adds up to 1001/],
    [
      "a changed amount that keeps the total",
      (t) => t.replace(/,167,1\n/, ",166,1\n").replace(/,500,1\n/, ",501,1\n"),
      /has the root/,
    ],
    ["a missing final line feed", (t) => t.slice(0, -1), /does not end with a line feed/],
    [
      "a line out of order",
      (t) => {
        const [h, ...l] = t.trimEnd().split("\n");
        return `${[h, l[1], l[0], l[2]].join("\n")}\n`;
      },
      /line 3: .* is not after the line before it/,
    ],
    [
      "a duplicate line",
      (t) => {
        const [h, ...l] = t.trimEnd().split("\n");
        return `${[h, l[0], l[0], l[2]].join("\n")}\n`;
      },
      /line 3: .* is not after/,
    ],
    [
      "a CRLF line end",
      (t) => t.replace("\n0x", "\r\n0x"),
      /line 1: is not written as tributary epoch build writes a header/,
    ],
    [
      "an upper-case id",
      (t) => t.replace(/\n0x([0-9a-f]{64})/, (_, hex: string) => `\n0x${hex.toUpperCase()}`),
      /line 2: is not <contributionId>/,
    ],
    ["a zero amount", (t) => t.replace(/,167,1\n/, ",0,1\n"), /line \d: the amount is not a uint256 above 0/],
    ["a firstEpoch after the file's epoch", (t) => t.replace(/,167,1\n/, ",167,2\n"), /firstEpoch 2 is not from 1/],
    [
      "a header with keys out of order",
      (t) =>
        t.replace(
          '{"format":"tributary-epoch-leaves-v1","chainId":31337',
          '{"chainId":31337,"format":"tributary-epoch-leaves-v1"',
        ),
      /line 1: has the keys/,
    ],
    ["a header that is not JSON", (t) => `x${t}`, /line 1: is not a leaf file's JSON header/],
    ["another format", (t) => t.replace("leaves-v1", "leaves-v2"), /line 1: is in format/],
    ["a larger count", (t) => t.replace('"count":3', '"count":4'), /holds 3 leaves where its header says 4/],
    ["a smaller count", (t) => t.replace('"count":3', '"count":2'), /beyond the header's count of 2/],
    ["an empty file", () => "", /is empty/],
  ];
  for (const [what, mutate, message] of mutations) {
    it(`refuses ${what}`, async function () {
      const changed = mutate(text);
      expect(changed).to.not.equal(text);
      await expectRejection(readLeafFile({ chunks: bytes(changed), source: "leaves" }), message);
    });
  }

  it("holds memory for the leaves a file has, not for the count its header claims", async function () {
    const claimed = text.replace('"count":3', `"count":${MAX_LEAVES}`);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
    try {
      await expectRejection(
        readLeafFile({ chunks: bytes(claimed), source: "leaves" }),
        new RegExp(`holds 3 leaves where its header says ${MAX_LEAVES}`),
      );
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    // The claimed count would be 1 GB of hashes; what three leaves need is 2 MB at most.
    expect(peak - before).to.be.below(64 * 2 ** 20);
  });
});

describe("epochs SDK: inputs that cannot make an epoch", function () {
  it("refuses a usage log whose contributions are all ineligible", async function () {
    await expectRejection(build(use(id("a"), 1), { isEligible: () => false }), /all 1 contributions .* are ineligible/);
  });
  it("refuses an empty usage log", async function () {
    await expectRejection(build(""), /names no contribution/);
  });
  it("refuses an amount of zero", async function () {
    await expectRejection(build(use(id("a"), 1), { amount: 0n }), /the amount 0 is not above 0/);
  });
  it("refuses a previous file of another pool", async function () {
    const previous = await previousFrom(new TextDecoder().decode((await build(use(id("a"), 1))).leafFile));
    await expectRejection(
      build(use(id("a"), 1), { epochId: 2, previous, domain: { ...DOMAIN, poolId: 2n } }),
      /previous leaf file is for chain 31337, contract .*, pool 1, not .* pool 2/,
    );
  });
  it("refuses a previous file of the same or a later epoch", async function () {
    const previous = await previousFrom(new TextDecoder().decode((await build(use(id("a"), 1))).leafFile));
    await expectRejection(build(use(id("a"), 1), { epochId: 1, previous }), /is of epoch 1, not before epoch 1/);
  });
});
