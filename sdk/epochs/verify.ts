// The open verifier (docs/epochs.md, "the open challenger"): given what the chain published for an epoch (its
// manifest), the epoch's leaf file, the previous epoch's leaf file, a consent lookup at the snapshot block and,
// optionally, the usage log, says check by check whether the epoch is what its manifest claims. Pure and browser-safe:
// the caller reads the files (sources.ts in Node, fetch in a page) and the chain. Leaf files are streamed; what is
// kept per leaf is the previous epoch's leaves and the leaves this epoch pays more (for the consent lookup), so a
// million-leaf epoch stays within the memory of one build.
import type { Hex } from "viem";

import { InvalidInputError } from "../errors.ts";
import { buildEpoch, methodHash, USAGE_SHARE_V1_ID, type EpochManifest, type PreviousEpoch } from "./build.ts";
import { checkDomain, type EpochDomain, type EpochLeaf } from "./leaf.ts";
import { formatLeafLine, readLeafFile, type LeafFileHeader } from "./leaf-file.ts";
import type { ByteChunks } from "./lines.ts";
import type { AttributionInput, AttributionWeights } from "./usage-log.ts";

/** The checks, in the order they are reported. */
export const EPOCH_CHECKS = ["leaf-file", "total", "previous", "first-epochs", "consent", "method"] as const;
export type EpochCheck = (typeof EPOCH_CHECKS)[number];

/** One check's outcome: `skip` only when an optional input (the usage log) was not given. */
export interface EpochFinding {
  check: EpochCheck;
  status: "pass" | "fail" | "skip";
  /** One line a person reads. */
  reason: string;
}

/** A leaf file's bytes and its name in findings. */
export interface LeafFileSource {
  chunks: ByteChunks;
  source: string;
}

export interface VerifyEpochParameters {
  /** The pool's domain (chain, AttributionEpochs contract, pool) and the epoch, as the chain names them. */
  domain: EpochDomain;
  epochId: number;
  /** The manifest the chain published (the EpochPublished event). */
  manifest: EpochManifest;
  leaves: LeafFileSource;
  /** The previous epoch (manifest.previousEpoch, when not 0): its published manifest and its leaf file. */
  previous?: { manifest: Pick<EpochManifest, "root" | "leafFileHash" | "total">; leaves: LeafFileSource };
  /**
   * Of the given contributions, those registered with consent revoked at manifest.snapshotBlock (readRevokedConsent
   * in Node). Called at most twice: with the usage log's contributions, then with the leaves paid more this epoch
   * that the log does not name.
   */
  revokedAt: (contributionIds: readonly Hex[]) => Promise<ReadonlySet<Hex>>;
  /** With the usage log: reads it (or a scores file) as usage-share-v1 takes it, and the method's source bytes. */
  usage?: {
    read: (input: AttributionInput) => Promise<AttributionWeights>;
    methodSource: Uint8Array;
  };
}

export interface VerifyEpochReturnType {
  findings: EpochFinding[];
  /** Whether no finding failed. */
  ok: boolean;
  /** The leaf file's header, when it could be read. */
  header: LeafFileHeader | undefined;
}

const short = (id: Hex) => `${id.slice(0, 10)}…`;
const plural = (n: number, word: string, words = `${word}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? word : words}`;

/**
 * Reads a leaf file for the verifier: content errors (InvalidInputError, LineError) become the returned `problem`;
 * anything else (the source is unavailable) is thrown, since it says nothing about the epoch.
 */
async function readChecked(
  source: LeafFileSource,
  onLeaf?: (leaf: EpochLeaf, index: number) => void,
): Promise<{ header: LeafFileHeader; leafFileHash: Hex; root: Hex } | { problem: string }> {
  try {
    const read = await readLeafFile({ chunks: source.chunks, source: source.source, onLeaf });
    return { header: read.header, leafFileHash: read.leafFileHash, root: read.tree.root };
  } catch (error) {
    if (error instanceof InvalidInputError) return { problem: error.shortMessage };
    throw error;
  }
}

/** The first field of the domain, epoch or previous epoch where a header differs from what the chain says. */
function headerMismatch(
  header: LeafFileHeader,
  domain: EpochDomain,
  epochId: number,
  previousEpoch: number,
): string | undefined {
  const want: [string, unknown, unknown][] = [
    ["chainId", header.chainId, domain.chainId],
    ["contract", header.contract, domain.contract],
    ["poolId", header.poolId, domain.poolId],
    ["epochId", header.epochId, epochId],
    ["previousEpoch", header.previousEpoch, previousEpoch],
  ];
  const wrong = want.find(([, got, expected]) => got !== expected);
  return wrong && `its header names ${wrong[0]} ${String(wrong[1])}, the chain's epoch has ${String(wrong[2])}`;
}

/** Verifies one published epoch. Throws only when a source cannot be read (FileError, UnreachableError...). */
export async function verifyEpoch(parameters: VerifyEpochParameters): Promise<VerifyEpochReturnType> {
  const { epochId, manifest, leaves, previous, revokedAt, usage } = parameters;
  const domain = checkDomain(parameters.domain);
  const found = new Map<EpochCheck, EpochFinding>();
  const pass = (check: EpochCheck, reason: string) => found.set(check, { check, status: "pass", reason });
  const fail = (check: EpochCheck, reason: string) => found.set(check, { check, status: "fail", reason });
  const unchecked = (check: EpochCheck, why: string) => fail(check, `cannot be checked: ${why}`);

  // 1. The previous epoch's leaves, checked against its published root and hash.
  let before: PreviousEpoch | undefined;
  let previousProblem: string | undefined;
  if (manifest.previousEpoch !== 0) {
    if (previous === undefined) {
      previousProblem = `no leaf file of the previous epoch ${manifest.previousEpoch} was given`;
    } else {
      const kept: EpochLeaf[] = [];
      const read = await readChecked(previous.leaves, (leaf) => kept.push(leaf));
      if ("problem" in read) previousProblem = `the previous leaf file is unreadable: ${read.problem}`;
      else {
        const mismatch = headerMismatch(read.header, domain, manifest.previousEpoch, read.header.previousEpoch);
        if (mismatch !== undefined) previousProblem = `${previous.leaves.source}: ${mismatch}`;
        else if (read.root !== previous.manifest.root || read.leafFileHash !== previous.manifest.leafFileHash) {
          previousProblem = `${previous.leaves.source} is not epoch ${manifest.previousEpoch}'s published leaf file (root ${read.root}, hash ${read.leafFileHash})`;
        } else before = { header: read.header, leaves: kept };
      }
    }
  }
  const previousTotal = before?.header.total ?? 0n;

  // 2. With the usage log: the method run again on the same inputs. Its leaf file's bytes are kept to compare line by
  // line with the published file as that is streamed below.
  let expected: { bytes: Uint8Array; at: number; firstDifference?: string } | undefined;
  let methodChecked: Map<Hex, boolean> | undefined;
  const revoked = new Set<Hex>();
  if (usage === undefined) {
    found.set("method", { check: "method", status: "skip", reason: "not checked: no usage log given" });
  } else if (manifest.methodId !== USAGE_SHARE_V1_ID) {
    fail("method", `methodId ${manifest.methodId} is not usage-share-v1's: this verifier cannot run it again`);
  } else {
    const input: AttributionInput | undefined = (["usage", "scores"] as const).find(
      (kind) => methodHash(kind, usage.methodSource) === manifest.methodHash,
    );
    if (input === undefined) {
      fail("method", `methodHash ${manifest.methodHash} is not usage-share-v1's as this verifier's source gives it`);
    } else if (manifest.previousEpoch !== 0 && before === undefined) {
      unchecked("method", previousProblem!);
    } else {
      let attribution: AttributionWeights | undefined;
      try {
        attribution = await usage.read(input);
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        fail("method", `the ${input === "usage" ? "usage log" : "scores file"} is unreadable: ${error.shortMessage}`);
      }
      if (attribution === undefined) {
        // Reported above.
      } else if (attribution.inputHash !== manifest.usageLogHash) {
        fail(
          "method",
          `the usage log given hashes to ${attribution.inputHash}, the manifest's is ${manifest.usageLogHash}`,
        );
      } else if (manifest.total <= previousTotal) {
        fail("method", `the total ${manifest.total} attributes nothing over the previous epoch's ${previousTotal}`);
      } else {
        const ids = [...attribution.weights.keys()];
        for (const id of await revokedAt(ids)) revoked.add(id);
        methodChecked = new Map(ids.map((id) => [id, true]));
        try {
          const rebuilt = buildEpoch({
            domain,
            epochId,
            amount: manifest.total - previousTotal,
            attribution,
            previous: before,
            snapshotBlock: manifest.snapshotBlock,
            isEligible: (id) => !revoked.has(id),
            methodSource: usage.methodSource,
            modelHash: manifest.modelHash,
            leafFileUri: manifest.leafFileUri,
          });
          const m = rebuilt.manifest;
          const differs = (["eligibleHash", "root", "leafFileHash"] as const).find((key) => m[key] !== manifest[key]);
          if (differs === undefined) {
            pass(
              "method",
              `usage-share-v1 over the usage log (${plural(attribution.lines, "line")}) gives the same leaf file byte for byte`,
            );
          } else {
            expected = { bytes: rebuilt.leafFile, at: rebuilt.leafFile.indexOf(10) + 1 };
            fail(
              "method",
              `usage-share-v1 over the usage log gives ${differs} ${m[differs]}, the manifest's is ${manifest[differs]}`,
            );
          }
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          fail("method", `usage-share-v1 cannot run on these inputs: ${error.shortMessage}`);
        }
      }
    }
  }

  // 3. The published leaf file, streamed once: merged with the previous leaves (both sorted by contributionId).
  const old = before?.leaves ?? [];
  let p = 0;
  let sum = 0n;
  let count = 0;
  let fresh = 0;
  const decreased: string[] = [];
  const vanished: string[] = [];
  const wrongFirst: string[] = [];
  let decreasedCount = 0;
  let vanishedCount = 0;
  let wrongFirstCount = 0;
  const paidMore: Hex[] = [];
  const note = (list: string[], text: string) => list.length < 3 && list.push(text);
  const decoder = new TextDecoder();
  const read = await readChecked(leaves, (leaf) => {
    count++;
    sum += leaf.cumulativeAmount;
    while (p < old.length && old[p]!.contributionId < leaf.contributionId) {
      vanishedCount++;
      note(vanished, short(old[p]!.contributionId));
      p++;
    }
    const prior = old[p];
    if (prior !== undefined && prior.contributionId === leaf.contributionId) {
      p++;
      if (leaf.cumulativeAmount < prior.cumulativeAmount) {
        decreasedCount++;
        note(decreased, `${short(leaf.contributionId)} ${prior.cumulativeAmount} -> ${leaf.cumulativeAmount}`);
      } else if (leaf.cumulativeAmount > prior.cumulativeAmount) paidMore.push(leaf.contributionId);
      if (leaf.firstEpoch !== prior.firstEpoch) {
        wrongFirstCount++;
        note(wrongFirst, `${short(leaf.contributionId)} ${leaf.firstEpoch}, was ${prior.firstEpoch}`);
      }
    } else {
      fresh++;
      paidMore.push(leaf.contributionId);
      if (leaf.firstEpoch !== epochId) {
        wrongFirstCount++;
        note(wrongFirst, `${short(leaf.contributionId)} ${leaf.firstEpoch}, new in epoch ${epochId}`);
      }
    }
    if (expected !== undefined && expected.firstDifference === undefined) {
      const end = expected.bytes.indexOf(10, expected.at);
      const line = end === -1 ? undefined : decoder.decode(expected.bytes.subarray(expected.at, end));
      expected.at = end + 1;
      if (line !== formatLeafLine(leaf)) {
        expected.firstDifference =
          line === undefined
            ? `${short(leaf.contributionId)} is a leaf the method does not give`
            : `the method gives ${short(line.slice(0, 66) as Hex)} ${line.split(",")[1]} where the file has ${short(leaf.contributionId)} ${leaf.cumulativeAmount}`;
      }
    }
  });
  if (expected?.firstDifference !== undefined) {
    const f = found.get("method")!;
    found.set("method", { ...f, reason: `${f.reason}; first difference: ${expected.firstDifference}` });
  }

  if ("problem" in read) {
    fail("leaf-file", read.problem);
    unchecked("total", "the leaf file is unreadable");
    unchecked("previous", "the leaf file is unreadable");
    unchecked("first-epochs", "the leaf file is unreadable");
    unchecked("consent", "the leaf file is unreadable");
  } else {
    const header = read.header;
    const mismatch = headerMismatch(header, domain, epochId, manifest.previousEpoch);
    if (mismatch !== undefined) fail("leaf-file", `${leaves.source}: ${mismatch}`);
    else if (read.root !== manifest.root) {
      fail("leaf-file", `${leaves.source} gives the root ${read.root}, the chain's is ${manifest.root}`);
    } else if (read.leafFileHash !== manifest.leafFileHash) {
      fail(
        "leaf-file",
        `${leaves.source} hashes to ${read.leafFileHash}, the manifest's leafFileHash is ${manifest.leafFileHash}`,
      );
    } else
      pass(
        "leaf-file",
        `${leaves.source} gives the root and the leafFileHash published (${plural(count, "leaf", "leaves")})`,
      );

    if (sum === manifest.total)
      pass("total", `the ${plural(count, "leaf", "leaves")} add up to ${sum}, the manifest's total`);
    else
      fail(
        "total",
        `the ${plural(count, "leaf", "leaves")} add up to ${sum}, the manifest's total is ${manifest.total}`,
      );

    while (p < old.length) {
      vanishedCount++;
      note(vanished, short(old[p]!.contributionId));
      p++;
    }
    if (previousProblem !== undefined) {
      unchecked("previous", previousProblem);
      unchecked("first-epochs", previousProblem);
    } else {
      const after = `epoch ${manifest.previousEpoch}`;
      if (manifest.previousEpoch === 0) {
        pass("previous", `extends no epoch (previousEpoch 0): ${plural(fresh, "leaf", "leaves")}, all new`);
      } else if (decreasedCount + vanishedCount === 0) {
        pass(
          "previous",
          `no cumulative amount is lower than in ${after}, none vanished (${plural(fresh, "new leaf", "new leaves")})`,
        );
      } else {
        const parts = [];
        if (decreasedCount > 0)
          parts.push(`${plural(decreasedCount, "leaf", "leaves")} lower (${decreased.join(", ")})`);
        if (vanishedCount > 0)
          parts.push(`${plural(vanishedCount, "leaf", "leaves")} of ${after} missing (${vanished.join(", ")})`);
        fail("previous", `${parts.join("; ")} than in ${after}`);
      }
      if (wrongFirstCount === 0)
        pass("first-epochs", `every firstEpoch is the first epoch that named its contribution`);
      else
        fail(
          "first-epochs",
          `${plural(wrongFirstCount, "leaf", "leaves")} with a wrong firstEpoch (${wrongFirst.join(", ")})`,
        );
    }

    // Consent: only what this epoch adds is checked; a leaf carried unchanged stays claimable after a revocation.
    const unknown = methodChecked === undefined ? paidMore : paidMore.filter((id) => !methodChecked!.has(id));
    if (unknown.length > 0) for (const id of await revokedAt(unknown)) revoked.add(id);
    const paidRevoked = paidMore.filter((id) => revoked.has(id));
    const at = `at block ${manifest.snapshotBlock}`;
    if (paidRevoked.length === 0) {
      pass(
        "consent",
        `none of the ${plural(paidMore.length, "leaf", "leaves")} this epoch pays more is of a contribution revoked ${at}`,
      );
    } else {
      fail(
        "consent",
        `${plural(paidRevoked.length, "leaf", "leaves")} ${paidRevoked.length === 1 ? "pays a contribution" : "pay contributions"} whose author had revoked consent ${at} (${paidRevoked.slice(0, 3).map(short).join(", ")})`,
      );
    }
  }

  const findings = EPOCH_CHECKS.map((check) => found.get(check)!);
  return {
    findings,
    ok: findings.every((f) => f.status !== "fail"),
    header: "problem" in read ? undefined : read.header,
  };
}
