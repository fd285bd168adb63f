// The same scenario against a PostgreSQL server, in a database created for this run and dropped after it.
// TRIBUTARY_TEST_POSTGRES_URL names the server (default: postgresql://postgres@127.0.0.1:5432/postgres). Without a
// reachable server the tier is skipped and says so, unless TRIBUTARY_REQUIRE_POSTGRES=1 (set by CI) makes it fail.
import { describeOnTestDatabase } from "./lib/postgres.ts";
import { endToEndScenario } from "./scenario.ts";

await describeOnTestDatabase(
  "end to end on PostgreSQL: node -> deploy -> indexer -> API",
  "tributary_e2e",
  (databaseUrl) => endToEndScenario({ databaseUrl }),
);
