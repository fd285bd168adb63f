// The leaf store's memory settings: how many top levels of each tree are kept whole and served from memory, and how
// many bytes of such tops the API keeps at once. Each bad value is refused with the variable's name.
import { expect } from "chai";

import { loadLeafFileSettings } from "../../indexer/config.ts";
import { restoreEnvAfterEach } from "../lib/env.ts";

describe("loadLeafFileSettings: tree tops", () => {
  const NAMES = ["TRIBUTARY_LEAF_TOP_LEVELS", "TRIBUTARY_LEAF_CACHE_MB"] as const;
  restoreEnvAfterEach(NAMES);

  it("keeps 17 levels (4 MB a tree) and 64 MB of tops by default", () => {
    for (const name of NAMES) delete process.env[name];
    const settings = loadLeafFileSettings();
    expect(settings.topLevels).to.equal(17);
    expect(settings.topCacheBytes).to.equal(64 * 2 ** 20);
  });

  it("takes levels from 1 to 20 and a cache in MB", () => {
    process.env.TRIBUTARY_LEAF_TOP_LEVELS = "20";
    process.env.TRIBUTARY_LEAF_CACHE_MB = "8";
    expect(loadLeafFileSettings()).to.include({ topLevels: 20, topCacheBytes: 8 * 2 ** 20 });
    process.env.TRIBUTARY_LEAF_TOP_LEVELS = "1";
    expect(loadLeafFileSettings().topLevels).to.equal(1);
  });

  for (const [name, value, message] of [
    ["TRIBUTARY_LEAF_TOP_LEVELS", "0", /TRIBUTARY_LEAF_TOP_LEVELS must be at least 1, got 0/],
    ["TRIBUTARY_LEAF_TOP_LEVELS", "21", /TRIBUTARY_LEAF_TOP_LEVELS is at most 20 \(32 MB a file in memory\), got 21/],
    ["TRIBUTARY_LEAF_TOP_LEVELS", "many", /TRIBUTARY_LEAF_TOP_LEVELS must be a whole number, got "many"/],
    ["TRIBUTARY_LEAF_CACHE_MB", "0", /TRIBUTARY_LEAF_CACHE_MB must be at least 1, got 0/],
    ["TRIBUTARY_LEAF_CACHE_MB", "-4", /TRIBUTARY_LEAF_CACHE_MB must be a whole number, got "-4"/],
  ] as const) {
    it(`refuses ${name}=${value}`, () => {
      process.env[name] = value;
      expect(() => loadLeafFileSettings()).to.throw(message);
    });
  }
});

describe("loadLeafFileSettings: the upload rate floor", () => {
  restoreEnvAfterEach(["TRIBUTARY_LEAF_UPLOAD_MIN_KBPS"]);

  it("holds uploads to 16 KB/s by default, reads KB/s, and 0 turns the floor off", () => {
    delete process.env.TRIBUTARY_LEAF_UPLOAD_MIN_KBPS;
    expect(loadLeafFileSettings().minUploadBytesPerSecond).to.equal(16 * 1024);
    process.env.TRIBUTARY_LEAF_UPLOAD_MIN_KBPS = "256";
    expect(loadLeafFileSettings().minUploadBytesPerSecond).to.equal(256 * 1024);
    process.env.TRIBUTARY_LEAF_UPLOAD_MIN_KBPS = "0";
    expect(loadLeafFileSettings().minUploadBytesPerSecond).to.equal(0);
  });

  it("refuses a floor that is not a whole number, naming the variable", () => {
    process.env.TRIBUTARY_LEAF_UPLOAD_MIN_KBPS = "fast";
    expect(() => loadLeafFileSettings()).to.throw(/TRIBUTARY_LEAF_UPLOAD_MIN_KBPS must be a whole number, got "fast"/);
  });
});
