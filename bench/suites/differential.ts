// The differential run at length: the random walk of test/e2e/differential.test.ts (every registry and vault entry
// point, hostile sequences, reorgs) for many more steps, the API compared with the contracts' views at the indexed
// block along the way. Records how many transactions it drove and how many (entity, field) pairs disagreed; a
// mismatch is named in the note and fails the suite.
//
//   TRIBUTARY_DIFF_SEED=<n> TRIBUTARY_DIFF_STEPS=<n> npm run bench -- differential
import { formatMismatches } from "../../test/e2e/lib/differential-compare.ts";
import { parseSeed, runDifferential, startDifferentialStack, summarize } from "../../test/e2e/lib/differential.ts";
import { record } from "../lib/record.ts";

/** Not the test's seed: the bench walks another part of the space. */
const SEED = parseSeed(process.env.TRIBUTARY_DIFF_SEED, 7_340_033);
const STEPS = Number(process.env.TRIBUTARY_DIFF_STEPS || 1_200);
const CHECK_EVERY = Number(process.env.TRIBUTARY_DIFF_CHECK_EVERY || 3);

const stack = await startDifferentialStack();
let failed = false;
try {
  console.log(`differential seed ${SEED}, ${STEPS} steps, a comparison every ${CHECK_EVERY}`);
  const run = await runDifferential(stack, {
    seed: SEED,
    steps: STEPS,
    checkEvery: CHECK_EVERY,
    stopOnMismatch: false,
    log: (line) => {
      if (line.startsWith("check ") && Number(line.split(" ")[1]) % 50 === 0) console.log(line);
    },
  });
  console.log(summarize(run));
  if (run.mismatches.length > 0) {
    failed = true;
    console.error(`the API differs from the chain:\n${formatMismatches(run.mismatches, 200)}`);
  }
  const named = run.mismatches
    .slice(0, 5)
    .map((m) => `${m.entity} ${m.field} (API ${m.api}, chain ${m.chain}, step ${m.step})`)
    .join("; ");
  const context =
    `seed ${run.seed}, ${run.steps} steps, ${run.reorgs} reorgs, ${run.checks} comparisons of ` +
    `${run.fieldsCompared.toLocaleString("en-US")} fields at the indexed block, ${Math.round(run.durationMs / 1000)} s`;
  await record("differential", {
    "indexer.differential.transactions": {
      value: run.transactions,
      unit: "transactions",
      note: `${context}; mismatches ${run.mismatches.length}${named ? `: ${named}` : ""}`,
    },
    "indexer.differential.mismatches": {
      value: run.mismatches.length,
      unit: "mismatches",
      note: run.mismatches.length === 0 ? "API equal to the contracts' views at every comparison" : named,
    },
  });
} finally {
  await stack.stop();
}
process.exit(failed ? 1 : 0);
