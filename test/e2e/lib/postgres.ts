// The PostgreSQL server the end-to-end tiers use, and a database per run on it.
//
// TRIBUTARY_TEST_POSTGRES_URL names the server (default: postgresql://postgres@127.0.0.1:5432/postgres). Without a
// reachable server a PostgreSQL tier is skipped and says so, unless TRIBUTARY_REQUIRE_POSTGRES=1 (set by CI) makes
// it fail.
import { after, before, describe, it } from "node:test";

import pg from "pg";

export const adminUrl = process.env.TRIBUTARY_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const postgresRequired = process.env.TRIBUTARY_REQUIRE_POSTGRES === "1";

/** Why the server cannot be used, or undefined when it answers. */
export async function postgresUnreachable(): Promise<string | undefined> {
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

/** Runs `statement` on the database at `url` on a connection of its own, and returns its rows. */
export async function postgresRows(url: string, statement: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** Runs one statement on the server's admin database. */
async function admin(statement: string): Promise<void> {
  await postgresRows(adminUrl, statement);
}

/** A database created for one test run; `url` connects to it, `drop` removes it (connections included). */
export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE "${name}"`);
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * Declares a PostgreSQL tier: `declare` when the server answers (or is required, and the tier's `before` then
 * fails), otherwise one skipped test that says why and how to run it.
 */
export function describePostgres(title: string, unreachable: string | undefined, declare: () => void): void {
  if (unreachable !== undefined && !postgresRequired) {
    describe(title, () => {
      it(
        `SKIPPED: no PostgreSQL server at ${adminUrl} (${unreachable}); set TRIBUTARY_TEST_POSTGRES_URL to run this tier`,
        { skip: true },
      );
    });
    return;
  }
  describe(title, declare);
}

/** Throws when PostgreSQL is required but `unreachable` says it is not there; call it first in a tier's `before`. */
export function assertPostgres(unreachable: string | undefined): void {
  if (unreachable !== undefined)
    throw new Error(`PostgreSQL is required but unreachable at ${adminUrl}: ${unreachable}`);
}

/**
 * A PostgreSQL tier of a scenario: a database created for the run (named from `prefix`) and dropped after it, its
 * URL handed to `declare`, which declares the scenario's tests; skipped as {describePostgres} says.
 */
export async function describeOnTestDatabase(
  title: string,
  prefix: string,
  declare: (databaseUrl: () => string) => void,
): Promise<void> {
  const unreachable = await postgresUnreachable();
  describePostgres(title, unreachable, () => {
    let database: TestDatabase | undefined;
    before(async () => {
      assertPostgres(unreachable);
      database = await createTestDatabase(prefix);
    });
    declare(() => database!.url);
    after(async () => {
      await database?.drop();
    });
  });
}
