// The same scenario against a PostgreSQL server, in a database created for this run and dropped after it.
// TRIBUTARY_TEST_POSTGRES_URL names the server (default: postgresql://postgres@127.0.0.1:5432/postgres). Without a
// reachable server the tier is skipped and says so, unless TRIBUTARY_REQUIRE_POSTGRES=1 (set by CI) makes it fail.
import { after, before } from "node:test";

import {
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";
import { endToEndScenario } from "./scenario.ts";

const unreachable = await postgresUnreachable();

describePostgres("end to end on PostgreSQL: node -> deploy -> indexer -> API", unreachable, () => {
  let database: TestDatabase | undefined;

  before(async () => {
    assertPostgres(unreachable);
    database = await createTestDatabase("tributary_e2e");
  });

  endToEndScenario({ databaseUrl: () => database!.url });

  after(async () => {
    await database?.drop();
  });
});
