// The API's settings (indexer/config.ts loadApiSettings): read from the environment once, a bad value refused at start
// with a message that names the variable.
import { expect } from "chai";

import { loadApiSettings } from "../../indexer/config.ts";

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
