// The open verifier, finding by finding: a correct epoch passes every check; each way an epoch can be wrong (root,
// leaf file hash, header, total, a lower or vanished cumulative amount, a wrong firstEpoch, a revoked contribution
// paid, a method that does not give the leaves, a usage log that is not the epoch's) fails exactly its check with a
// reason; a source that cannot be read throws instead of passing.
import { expect } from "chai";
import { keccak256, stringToHex, type Hex } from "viem";

import { FileError } from "../../sdk/errors.ts";
import {
  buildEpoch,
  readAttribution,
  readLeafFile,
  verifyEpoch,
  type EpochCheck,
  type EpochDomain,
  type EpochLeaf,
  type EpochManifest,
  type PreviousEpoch,
  type VerifyEpochParameters,
} from "../../sdk/epochs/index.ts";
import { methodSourceBytes } from "../../sdk/epochs/files.ts";
import { craftLeafFile, leavesOfFile } from "./craft.ts";

const encoder = new TextEncoder();
const DOMAIN: EpochDomain = { chainId: 31337, contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", poolId: 1n };
const id = (name: string) => keccak256(stringToHex(name));
const use = (contributionId: Hex, weight: number) =>
  `${JSON.stringify({ contributionId, weight, time: 1764590400 })}\n`;
const [A, B, C, D] = ["a", "b", "c", "d"].map(id).sort() as [Hex, Hex, Hex, Hex];
const LOG_1 = `${use(A, 3)}${use(B, 1)}${use(C, 1)}`;
const LOG_2 = `${use(A, 1)}${use(D, 1)}`;

const attribution = (log: string) =>
  readAttribution({ input: "usage", chunks: [encoder.encode(log)], source: "usage.jsonl" });

interface Built {
  manifest: EpochManifest;
  leafFile: Uint8Array;
  log: string;
}

async function build(epochId: number, log: string, amount: bigint, previous?: Built, revoked: Hex[] = []) {
  let before: PreviousEpoch | undefined;
  if (previous !== undefined) {
    const leaves: EpochLeaf[] = [];
    const read = await readLeafFile({ chunks: [previous.leafFile], source: "previous", onLeaf: (l) => leaves.push(l) });
    before = { header: read.header, leaves };
  }
  const result = buildEpoch({
    domain: DOMAIN,
    epochId,
    amount,
    attribution: await attribution(log),
    previous: before,
    snapshotBlock: 7n,
    isEligible: (contributionId) => !revoked.includes(contributionId),
    methodSource: await methodSourceBytes(),
  });
  return { manifest: result.manifest, leafFile: result.leafFile, log };
}

/** A self-consistent leaf file of any leaves, and the manifest that publishes it. */
function craft(base: EpochManifest, epochId: number, leaves: EpochLeaf[]): Built {
  const { root, total, leafFile } = craftLeafFile(DOMAIN, epochId, base.previousEpoch, leaves);
  return { manifest: { ...base, root, total, leafFileHash: keccak256(leafFile) }, leafFile, log: "" };
}

const leavesOf = (built: Built) => leavesOfFile(built.leafFile);

async function verify(
  epochId: number,
  epoch: Built,
  options: { previous?: Built; revoked?: Hex[]; log?: string; parameters?: Partial<VerifyEpochParameters> } = {},
) {
  const revoked = new Set(options.revoked ?? []);
  const calls: Hex[][] = [];
  const result = await verifyEpoch({
    domain: DOMAIN,
    epochId,
    manifest: epoch.manifest,
    leaves: { chunks: [epoch.leafFile], source: "leaves.txt" },
    previous:
      options.previous === undefined
        ? undefined
        : { manifest: options.previous.manifest, leaves: { chunks: [options.previous.leafFile], source: "prev.txt" } },
    revokedAt: async (ids) => {
      calls.push([...ids]);
      return new Set(ids.filter((i) => revoked.has(i)));
    },
    usage:
      options.log === undefined
        ? undefined
        : { read: () => attribution(options.log!), methodSource: await methodSourceBytes() },
    ...options.parameters,
  });
  const status = Object.fromEntries(result.findings.map((f) => [f.check, f.status])) as Record<EpochCheck, string>;
  const reason = Object.fromEntries(result.findings.map((f) => [f.check, f.reason])) as Record<EpochCheck, string>;
  return { ...result, status, reason, calls };
}

const failsOnly = (status: Record<EpochCheck, string>, failing: EpochCheck[], skipped: EpochCheck[] = []) => {
  for (const [check, s] of Object.entries(status)) {
    const want = failing.includes(check as EpochCheck)
      ? "fail"
      : skipped.includes(check as EpochCheck)
        ? "skip"
        : "pass";
    expect(s, check).to.equal(want);
  }
};

describe("epoch verify: the open verifier's findings", function () {
  let first: Built;
  let second: Built;

  before(async function () {
    first = await build(1, LOG_1, 1000n);
    second = await build(2, LOG_2, 500n, first);
  });

  it("passes a correct first epoch on every check, the method skipped without a usage log", async function () {
    const result = await verify(1, first);
    expect(result.ok).to.equal(true);
    failsOnly(result.status, [], ["method"]);
    expect(result.reason.method).to.equal("not checked: no usage log given");
    expect(result.reason.total).to.equal("the 3 leaves add up to 1000, the manifest's total");
  });

  it("passes a correct second epoch with its previous file and the usage log run again", async function () {
    const result = await verify(2, second, { previous: first, log: LOG_2 });
    expect(result.ok).to.equal(true);
    failsOnly(result.status, []);
    expect(result.reason.method).to.match(/gives the same leaf file byte for byte/);
  });

  it("fails the leaf file when the chain's root differs from the file's", async function () {
    const result = await verify(1, { ...first, manifest: { ...first.manifest, root: id("other root") } });
    expect(result.ok).to.equal(false);
    failsOnly(result.status, ["leaf-file"], ["method"]);
    expect(result.reason["leaf-file"]).to.match(/gives the root 0x[0-9a-f]{64}, the chain's is/);
  });

  it("fails the leaf file when its bytes do not hash to the manifest's leafFileHash", async function () {
    const result = await verify(1, { ...first, manifest: { ...first.manifest, leafFileHash: id("x") } });
    failsOnly(result.status, ["leaf-file"], ["method"]);
    expect(result.reason["leaf-file"]).to.match(/hashes to .* the manifest's leafFileHash is/);
  });

  it("fails the leaf file when its header names another epoch", async function () {
    const result = await verify(3, first);
    expect(result.status["leaf-file"]).to.equal("fail");
    expect(result.reason["leaf-file"]).to.equal("leaves.txt: its header names epochId 1, the chain's epoch has 3");
  });

  it("fails a malformed leaf file, and every check that needs it cannot be checked", async function () {
    const result = await verify(1, { ...first, leafFile: encoder.encode("not a leaf file\n") });
    expect(result.ok).to.equal(false);
    failsOnly(result.status, ["leaf-file", "total", "previous", "first-epochs", "consent"], ["method"]);
    expect(result.reason["leaf-file"]).to.match(/^leaves.txt line 1: is not a leaf file's JSON header/);
    expect(result.reason.total).to.equal("cannot be checked: the leaf file is unreadable");
  });

  it("fails the total when the manifest's total is not the sum of the leaves", async function () {
    const result = await verify(1, { ...first, manifest: { ...first.manifest, total: 1100n } });
    failsOnly(result.status, ["total"], ["method"]);
    expect(result.reason.total).to.equal("the 3 leaves add up to 1000, the manifest's total is 1100");
  });

  it("fails the previous check when a cumulative amount is lower than in the previous epoch", async function () {
    const leaves = leavesOf(second).map((l) => (l.contributionId === B ? { ...l, cumulativeAmount: 1n } : l));
    const result = await verify(2, craft(second.manifest, 2, leaves), { previous: first });
    failsOnly(result.status, ["previous"], ["method"]);
    expect(result.reason.previous).to.match(/^1 leaf lower \(0x[0-9a-f]{8}… 200 -> 1\) than in epoch 1$/);
  });

  it("fails the previous check when a contribution of the previous epoch vanished", async function () {
    const leaves = leavesOf(second).filter((l) => l.contributionId !== C);
    const result = await verify(2, craft(second.manifest, 2, leaves), { previous: first });
    failsOnly(result.status, ["previous"], ["method"]);
    expect(result.reason.previous).to.match(/^1 leaf of epoch 1 missing/);
  });

  it("cannot check the previous epoch without its file, or with a file that is not the published one", async function () {
    const missing = await verify(2, second);
    failsOnly(missing.status, ["previous", "first-epochs"], ["method"]);
    expect(missing.reason.previous).to.equal("cannot be checked: no leaf file of the previous epoch 1 was given");
    const other = await build(1, LOG_2, 1000n);
    const wrong = await verify(2, second, { previous: { ...other, manifest: first.manifest } });
    expect(wrong.status.previous).to.equal("fail");
    expect(wrong.reason.previous).to.match(/prev.txt is not epoch 1's published leaf file/);
  });

  it("fails first epochs that are not the first epoch naming the contribution", async function () {
    const leaves = leavesOf(second).map((l) => (l.contributionId === D ? { ...l, firstEpoch: 1 } : l));
    const result = await verify(2, craft(second.manifest, 2, leaves), { previous: first });
    failsOnly(result.status, ["first-epochs"], ["method"]);
    expect(result.reason["first-epochs"]).to.match(
      /^1 leaf with a wrong firstEpoch \(0x[0-9a-f]{8}… 1, new in epoch 2\)$/,
    );
  });

  it("fails consent when a leaf pays more to a contribution revoked at the snapshot block", async function () {
    const result = await verify(2, second, { previous: first, revoked: [D] });
    failsOnly(result.status, ["consent"], ["method"]);
    expect(result.reason.consent).to.match(/^1 leaf pays a contribution whose author had revoked consent at block 7/);
  });

  it("passes consent for a revoked contribution carried unchanged from the previous epoch", async function () {
    const result = await verify(2, second, { previous: first, revoked: [B] });
    expect(result.status.consent).to.equal("pass");
    // Only the leaves paid more this epoch (a and d) were looked up.
    expect(result.calls).to.deep.equal([[A, D].sort()]);
  });

  it("fails the method when the usage log gives other leaves (an inflated leaf), naming the first difference", async function () {
    const leaves = leavesOf(second).map((l) =>
      l.contributionId === A ? { ...l, cumulativeAmount: l.cumulativeAmount + 50n } : l,
    );
    const inflated = craft(second.manifest, 2, leaves);
    const result = await verify(2, inflated, { previous: first, log: LOG_2 });
    expect(result.ok).to.equal(false);
    failsOnly(result.status, ["method"]);
    expect(result.reason.method).to.match(/usage-share-v1 over the usage log gives eligibleHash|gives root/);
    expect(result.reason.method).to.match(
      /first difference: the method gives 0x[0-9a-f]{8}… \d+ where the file has 0x[0-9a-f]{8}… \d+$/,
    );
  });

  it("fails the method when the leaves leave out an eligible contribution as if revoked", async function () {
    // Published as if b had revoked consent: the method, with b's consent as the chain has it, gives other leaves.
    const published = await build(1, LOG_1, 1000n, undefined, [B]);
    const result = await verify(1, published, { log: LOG_1 });
    failsOnly(result.status, ["method"]);
    expect(result.reason.method).to.match(/gives eligibleHash/);
  });

  it("fails the method when the usage log given is not the epoch's", async function () {
    const result = await verify(2, second, { previous: first, log: LOG_1 });
    failsOnly(result.status, ["method"]);
    expect(result.reason.method).to.match(/^the usage log given hashes to 0x[0-9a-f]{64}, the manifest's is/);
  });

  it("fails the method when the usage log is malformed, or the method is not usage-share-v1", async function () {
    const malformed = await verify(1, first, { log: "{}\n" });
    expect(malformed.status.method).to.equal("fail");
    expect(malformed.reason.method).to.match(/^the usage log is unreadable: usage.jsonl line 1:/);
    const other = await verify(
      1,
      { ...first, manifest: { ...first.manifest, methodId: id("shapley-v9") } },
      { log: LOG_1 },
    );
    expect(other.reason.method).to.match(/is not usage-share-v1's: this verifier cannot run it again$/);
    const hash = await verify(1, { ...first, manifest: { ...first.manifest, methodHash: id("x") } }, { log: LOG_1 });
    expect(hash.reason.method).to.match(/^methodHash 0x[0-9a-f]{64} is not usage-share-v1's/);
  });

  it("throws, passing nothing, when a leaf file cannot be read at all", async function () {
    async function* unavailable(): AsyncGenerator<Uint8Array> {
      yield encoder.encode("{");
      throw new FileError("leaves.txt", "cannot read leaves.txt (EIO)", "check the path");
    }
    let thrown: unknown;
    try {
      await verify(1, first, { parameters: { leaves: { chunks: unavailable(), source: "leaves.txt" } } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(FileError);
  });
});
