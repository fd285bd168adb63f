// The SDK's main entry as a web page ships it: bundled by esbuild for the browser, minified, gzipped (level 9).
// The test (test/sdk/browser.test.ts) fails above the budget; this records the figure.
import { record } from "../lib/record.ts";
import { bundleSdk, SDK_BUNDLE_BUDGET_GZIP_KB } from "../../test/sdk/lib/bundle.ts";

const bundle = await bundleSdk();
if (bundle.status !== 0) throw new Error(`the SDK does not bundle for the browser:\n${bundle.log}`);
const viem = bundle.inputs.filter((input) => input.includes("node_modules/viem/")).length;
await record("sdk", {
  "sdk.bundle.gzipKb": {
    value: Math.round(bundle.gzipKb * 10) / 10,
    unit: "KB",
    note: `sdk/index.ts, esbuild --platform=browser --minify, gzip -9; budget ${SDK_BUNDLE_BUDGET_GZIP_KB} KB; ${bundle.inputs.length} modules, ${viem} of them viem's`,
  },
  "sdk.bundle.minifiedKb": {
    value: Math.round(bundle.code.length / 102.4) / 10,
    unit: "KB",
    note: "the same bundle before gzip",
  },
});
