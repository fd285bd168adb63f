// The epoch scenario against a PostgreSQL server, in a database created for this run and dropped after it (see
// lib/postgres.ts for the server it uses, and when the tier is skipped).
import { describeOnTestDatabase } from "./lib/postgres.ts";
import { epochScenario } from "./epoch-scenario.ts";

await describeOnTestDatabase(
  "attribution epochs end to end on PostgreSQL: node -> deploy -> indexer -> API",
  "tributary_epochs",
  (databaseUrl) => epochScenario({ databaseUrl }),
);
