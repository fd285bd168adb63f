// The same scenario against a PostgreSQL server, in a database created for this run and dropped after it.
// TRIBUTARY_TEST_POSTGRES_URL names the server (default: postgresql://postgres@127.0.0.1:5432/postgres). Without a
// reachable server the tier is skipped and says so, unless TRIBUTARY_REQUIRE_POSTGRES=1 (set by CI) makes it fail.
import { after, before, describe, it } from "node:test";

import pg from "pg";

import { endToEndScenario } from "./scenario.ts";

const adminUrl = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const required = process.env.TRIBUTARY_REQUIRE_POSTGRES === "1";

async function reachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const unreachable = await reachable();

if (unreachable !== undefined && !required) {
  describe("end to end on PostgreSQL", () => {
    it(
      `SKIPPED: no PostgreSQL server at ${adminUrl} (${unreachable}); set TRIBUTARY_TEST_POSTGRES_URL to run this tier`,
      {
        skip: true,
      },
    );
  });
} else {
  describe("end to end on PostgreSQL: node -> deploy -> indexer -> API", () => {
    const database = `tributary_e2e_${process.pid}_${Date.now()}`;
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;

    before(async () => {
      if (unreachable !== undefined)
        throw new Error(`PostgreSQL is required but unreachable at ${adminUrl}: ${unreachable}`);
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      await admin.end();
    });

    endToEndScenario({ databaseUrl: () => url.toString() });

    after(async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    });
  });
}
