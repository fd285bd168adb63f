// The epoch pipeline's pure modules run in a browser (a provider's dashboard, an auditor's page rebuilding a root):
// esbuild bundles sdk/epochs/index.ts for the browser platform, where no Node built-in resolves.
import { expect } from "chai";

import { bundleSdk, type SdkBundle } from "../sdk/lib/bundle.ts";

describe("epochs SDK: the browser bundle", function () {
  this.timeout(120_000);
  let bundle: SdkBundle;
  before(async function () {
    bundle = await bundleSdk("sdk/epochs/index.ts");
  });

  it("bundles sdk/epochs/index.ts for the browser, importing no Node built-in", function () {
    expect(bundle.status, bundle.log).to.equal(0);
    const node = bundle.inputs.filter((input) =>
      /^node:|(^|\/)sdk\/(node|files|keys|config)\.ts$|epochs\/files\.ts$/.test(input),
    );
    expect(node, "Node-only modules in the browser bundle").to.deep.equal([]);
    expect(bundle.inputs).to.include("sdk/epochs/keccak.ts");
  });

  it("reads none of Node's globals", function () {
    expect(bundle.code).to.not.match(/\bprocess\.(env|cwd|argv|pid)\b/);
    expect(bundle.code).to.not.match(/\bBuffer\.(from|alloc|concat|compare)\(/);
  });

  it("fails the build for sdk/epochs/files.ts, the Node side", async function () {
    const files = await bundleSdk("sdk/epochs/files.ts");
    expect(files.status).to.not.equal(0);
    expect(files.log).to.match(/node:(fs|path)/);
  });
});
