// The API's settings (indexer/config.ts loadApiSettings): read from the environment once, a bad value refused at start
// with a message that names the variable.
import { expect } from "chai";

import { loadApiSettings } from "../../indexer/config.ts";
import { restoreEnvAfterEach } from "../lib/env.ts";

describe("loadApiSettings", () => {
  const saved = process.env.TRIBUTARY_API_CACHE_ENTRIES;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRIBUTARY_API_CACHE_ENTRIES;
    else process.env.TRIBUTARY_API_CACHE_ENTRIES = saved;
  });

  it("keeps 1000 REST answers by default, and none with TRIBUTARY_API_CACHE_ENTRIES=0", () => {
    delete process.env.TRIBUTARY_API_CACHE_ENTRIES;
    expect(loadApiSettings().cacheEntries).to.equal(1000);
    process.env.TRIBUTARY_API_CACHE_ENTRIES = "0";
    expect(loadApiSettings().cacheEntries).to.equal(0);
  });

  it("refuses a TRIBUTARY_API_CACHE_ENTRIES that is not a whole number, on one line naming it", () => {
    for (const bad of ["many", "-1", "1.5", "1e3"]) {
      process.env.TRIBUTARY_API_CACHE_ENTRIES = bad;
      expect(() => loadApiSettings(), bad).to.throw(
        `Tributary indexer: TRIBUTARY_API_CACHE_ENTRIES must be a whole number, got "${bad}"`,
      );
    }
  });
});

describe("loadApiSettings: the limits of one request", () => {
  const NAMES = [
    "TRIBUTARY_GRAPHQL_MAX_COST",
    "TRIBUTARY_SQL_MAX_COST",
    "TRIBUTARY_SQL_MAX_ROWS",
    "TRIBUTARY_SQL_MAX_BYTES",
    "TRIBUTARY_SQL_TIMEOUT_MS",
    "TRIBUTARY_SQL_MAX_LIVE_QUERIES",
    "TRIBUTARY_SQL_MAX_LIVE_QUERIES_PER_CLIENT",
    "TRIBUTARY_API_HISTORY_MAX_CLAIMS",
  ];
  restoreEnvAfterEach(NAMES);

  it("has defaults that suit a public deployment on PGlite", () => {
    for (const name of NAMES) delete process.env[name];
    const settings = loadApiSettings();
    expect(settings.graphqlMaxCost).to.equal(500);
    expect(settings.sqlMaxCost).to.equal(2_000);
    expect(settings.sqlMaxRows).to.equal(5_000);
    expect(settings.sqlMaxBytes).to.equal(512 * 2 ** 10);
    expect(settings.sqlTimeoutMs).to.equal(5_000);
    expect(settings.sqlMaxLiveQueries).to.equal(100);
    expect(settings.sqlMaxLiveQueriesPerClient).to.equal(10);
    expect(settings.historyMaxClaims).to.equal(200_000);
  });

  it("reads the earnings history's claim cap, and refuses 0 naming the variable", () => {
    process.env.TRIBUTARY_API_HISTORY_MAX_CLAIMS = "3";
    expect(loadApiSettings().historyMaxClaims).to.equal(3);
    process.env.TRIBUTARY_API_HISTORY_MAX_CLAIMS = "0";
    expect(() => loadApiSettings()).to.throw(
      "Tributary indexer: TRIBUTARY_API_HISTORY_MAX_CLAIMS must be at least 1, got 0",
    );
  });

  it("reads each from the environment, 0 turning the cost checks, the timeout and live queries off", () => {
    process.env.TRIBUTARY_GRAPHQL_MAX_COST = "0";
    process.env.TRIBUTARY_SQL_MAX_COST = "0";
    process.env.TRIBUTARY_SQL_TIMEOUT_MS = "0";
    process.env.TRIBUTARY_SQL_MAX_LIVE_QUERIES = "0";
    process.env.TRIBUTARY_SQL_MAX_ROWS = "500";
    const settings = loadApiSettings();
    expect([
      settings.graphqlMaxCost,
      settings.sqlMaxCost,
      settings.sqlTimeoutMs,
      settings.sqlMaxLiveQueries,
    ]).to.deep.equal([0, 0, 0, 0]);
    expect(settings.sqlMaxRows).to.equal(500);
  });

  it("refuses a row or byte cap of 0 and a value that is not a whole number, naming the variable", () => {
    process.env.TRIBUTARY_SQL_MAX_ROWS = "0";
    expect(() => loadApiSettings()).to.throw("Tributary indexer: TRIBUTARY_SQL_MAX_ROWS must be at least 1, got 0");
    delete process.env.TRIBUTARY_SQL_MAX_ROWS;
    process.env.TRIBUTARY_SQL_MAX_BYTES = "4MB";
    expect(() => loadApiSettings()).to.throw(
      'Tributary indexer: TRIBUTARY_SQL_MAX_BYTES must be a whole number, got "4MB"',
    );
  });
});
