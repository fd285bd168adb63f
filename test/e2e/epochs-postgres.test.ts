// The epoch scenario against a PostgreSQL server, in a database created for this run and dropped after it (see
// postgres.test.ts for the server it uses, and when the tier is skipped).
import { after, before } from "node:test";

import {
  assertPostgres,
  createTestDatabase,
  describePostgres,
  postgresUnreachable,
  type TestDatabase,
} from "./lib/postgres.ts";
import { epochScenario } from "./epoch-scenario.ts";

const unreachable = await postgresUnreachable();

describePostgres("attribution epochs end to end on PostgreSQL: node -> deploy -> indexer -> API", unreachable, () => {
  let database: TestDatabase | undefined;

  before(async () => {
    assertPostgres(unreachable);
    database = await createTestDatabase("tributary_epochs");
  });

  epochScenario({ databaseUrl: () => database!.url });

  after(async () => {
    await database?.drop();
  });
});
