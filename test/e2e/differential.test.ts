// Differential test: a seeded random sequence of every registry and vault entry point, hostile ones included
// (repeated commitments, copies of committed hashes and of published leaves, supersession by reveal and by
// materialize, escrowed hashes registered late and confirmed, unit batches that lower a pool's units to its carried
// remainder or below, dust deposits, payouts refused and deferred, fee-on-transfer and blocklisting tokens, pauses,
// fee changes, admin hand-overs, several transactions in one block, reorgs), then of every AttributionEpochs entry
// point (fundings, honest and dishonest publications, vetoes, windows passing, claims by authors and keepers, payouts
// refused and deferred, withdrawals, confirmations, role changes, fees, reorgs), against a Hardhat node the indexer
// follows. After every few steps the test waits until the indexer's /status shows the chain's head and compares what
// the API answers with the contracts' own views at that block; any difference fails the test with the entity, the
// field, the API's value and the chain's, and the seed that reproduces it.
//
//   TRIBUTARY_DIFF_SEED=<n> TRIBUTARY_DIFF_STEPS=<n> TRIBUTARY_DIFF_EPOCH_STEPS=<n> node --test test/e2e/differential.test.ts
//
// TRIBUTARY_DIFF_SEED=random draws a seed and prints it with the line that reproduces the run.
// TRIBUTARY_DIFF_CHECK_EVERY (default 2) compares after every that many steps; TRIBUTARY_DIFF_VERBOSE=1 prints
// every step. The same seed and step count drive the same transactions, whatever the check interval.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { formatMismatches } from "./lib/differential-compare.ts";
import {
  parseSeed,
  runDifferential,
  startDifferentialStack,
  summarize,
  type DifferentialStack,
} from "./lib/differential.ts";

/**
 * The seed CI runs, chosen because its walk reaches every behaviour asserted at the end of the test within
 * DEFAULT_STEPS; any other seed is printed and reproducible the same way.
 */
const DEFAULT_SEED = 13;
/** Sized so that the whole file (node, deployment, indexer, steps, checks) takes about a minute here. */
const DEFAULT_STEPS = 150;
/** The epoch phase's steps (after the registry and vault walk). */
const DEFAULT_EPOCH_STEPS = 40;

const seed = parseSeed(process.env.TRIBUTARY_DIFF_SEED, DEFAULT_SEED);
const steps = Number(process.env.TRIBUTARY_DIFF_STEPS || DEFAULT_STEPS);
const epochSteps = Number(process.env.TRIBUTARY_DIFF_EPOCH_STEPS || DEFAULT_EPOCH_STEPS);
const checkEvery = Number(process.env.TRIBUTARY_DIFF_CHECK_EVERY || 2);
const verbose = process.env.TRIBUTARY_DIFF_VERBOSE === "1";
const reproduce =
  `TRIBUTARY_DIFF_SEED=${seed} TRIBUTARY_DIFF_STEPS=${steps} TRIBUTARY_DIFF_EPOCH_STEPS=${epochSteps} ` +
  `node --test test/e2e/differential.test.ts`;

describe("differential: random operations on the chain, the API compared with the contracts' views", () => {
  let stack: DifferentialStack;

  before(async () => {
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`TRIBUTARY_DIFF_STEPS must be a positive whole number`);
    if (!Number.isInteger(epochSteps) || epochSteps < 0)
      throw new Error(`TRIBUTARY_DIFF_EPOCH_STEPS must be a whole number`);
    stack = await startDifferentialStack();
  });

  after(() => stack?.stop());

  it("answers every record, position, escrow, pool, epoch, token total and deferred balance as the contracts do", async () => {
    console.log(`differential seed ${seed}, ${steps} + ${epochSteps} steps; to reproduce: ${reproduce}`);
    const run = await runDifferential(stack, {
      seed,
      steps,
      epochSteps,
      checkEvery,
      stopOnMismatch: true,
      log: verbose ? (line) => console.log(line) : undefined,
    });
    console.log(summarize(run));
    assert.equal(
      run.mismatches.length,
      0,
      `the API differs from the chain (first seen after step ${run.mismatches[0]?.step}, block ${run.mismatches[0]?.block}):\n` +
        `${formatMismatches(run.mismatches)}\nreproduce: ${reproduce}\nthe steps before it:\n${run.trail.join("\n")}`,
    );
    assert.ok(run.checks > steps / checkEvery / 2, `${run.checks} comparisons`);
    if (seed === DEFAULT_SEED && steps === DEFAULT_STEPS && epochSteps === DEFAULT_EPOCH_STEPS) {
      // The fixed run reaches what it is for: a walk that stopped exercising these would pass for nothing.
      for (const name of ["commitBySig", "revealFor", "registerBySig", "claimBatch", "claimFor", "setUnits"])
        assert.ok((run.operations[name] ?? 0) > 0, `the fixed run sent no ${name}: ${JSON.stringify(run.operations)}`);
      for (const name of [
        "RegistrationSuperseded",
        "ContributionMaterialized",
        "AuthorshipTransferred",
        "TrainingConsentChanged",
        "EscrowOpened",
        "AuthorConfirmed",
        "ContributionRemoved",
        "RoyaltiesClaimed",
        "PayoutDeferred",
        "DeferredWithdrawn",
        "FeesCollected",
        "Paused",
        "AttributionEpochs.EpochPoolFunded",
        "AttributionEpochs.EpochPublished",
        "AttributionEpochs.EpochClaimed",
      ])
        assert.ok((run.events[name] ?? 0) > 0, `the fixed run's chain has no ${name}: ${JSON.stringify(run.events)}`);
      assert.ok(run.reorgs >= 2, `${run.reorgs} reorgs`);
    }
  });
});
