// The SDK's main entry runs in a browser: esbuild bundles it for the browser platform (where no Node built-in
// resolves), the bundle reads nothing of Node's globals, and it stays within its size budget.
import { expect } from "chai";

import { bundleSdk, SDK_BUNDLE_BUDGET_GZIP_KB, type SdkBundle } from "./lib/bundle.ts";

describe("SDK: the browser bundle", () => {
  let bundle: SdkBundle;
  before(async function () {
    this.timeout(120_000);
    bundle = await bundleSdk();
  });

  it("bundles sdk/index.ts for the browser, importing no Node built-in", () => {
    expect(bundle.status, bundle.log).to.equal(0);
    const node = bundle.inputs.filter((input) =>
      /^node:|(^|\/)sdk\/(node|files|keys|config|anchorTree)\.ts$/.test(input),
    );
    expect(node, "Node-only modules in the browser bundle").to.deep.equal([]);
    expect(bundle.inputs.some((input) => input.includes("@openzeppelin/merkle-tree"))).to.equal(false);
  });

  it("reads none of Node's globals", () => {
    expect(bundle.code).to.not.match(/\bprocess\.(env|cwd|argv)\b/);
    expect(bundle.code).to.not.match(/\brequire\(["'](fs|path|crypto|url|os|child_process)["']\)/);
    expect(bundle.code).to.not.match(/\bBuffer\.(from|alloc|concat|compare)\(/);
  });

  it(`weighs at most ${SDK_BUNDLE_BUDGET_GZIP_KB} KB gzipped`, () => {
    expect(bundle.gzipKb).to.be.greaterThan(10);
    expect(bundle.gzipKb).to.be.at.most(SDK_BUNDLE_BUDGET_GZIP_KB);
  });

  it("fails the build when the entry reaches a Node built-in", async function () {
    this.timeout(120_000);
    const node = await bundleSdk("sdk/node.ts");
    expect(node.status).to.not.equal(0);
    expect(node.log).to.match(/node:(fs|path)/);
  });
});
