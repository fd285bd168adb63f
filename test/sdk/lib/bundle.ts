// Bundles the SDK's main entry for a browser with esbuild (minified ESM, as a web page's build would) and measures
// it. A Node built-in anywhere in what it imports fails the build: esbuild cannot resolve one for the browser.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const ESBUILD = path.join(ROOT, "node_modules", ".bin", "esbuild");

/**
 * The most the SDK may weigh in a web page, gzipped. The web app may ship 250 KB of JavaScript in all; the SDK
 * measured 87.5 KB (viem's client and actions about 60, the three ABIs about 13, the error table and actions the rest),
 * which leaves the page's components, charts and wallet discovery about 150 KB. The budget holds 12 KB of headroom
 * for new actions; more means something heavy came in (a second ABI coder, a whole viem client).
 */
export const SDK_BUNDLE_BUDGET_GZIP_KB = 100;

export interface SdkBundle {
  /** esbuild's exit status and what it printed (the unresolvable import and the file that imports it). */
  status: number | null;
  log: string;
  code: string;
  gzipKb: number;
  /** Every file the bundle holds, relative to the repository. */
  inputs: string[];
}

export async function bundleSdk(entry = "sdk/index.ts"): Promise<SdkBundle> {
  const dir = await mkdtemp(path.join(tmpdir(), "tributary-sdk-bundle-"));
  try {
    const outfile = path.join(dir, "sdk.js");
    const metafile = path.join(dir, "meta.json");
    const run = spawnSync(
      ESBUILD,
      [
        entry,
        "--bundle",
        "--platform=browser",
        "--format=esm",
        "--minify",
        "--log-level=error",
        `--outfile=${outfile}`,
        `--metafile=${metafile}`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    const log = `${run.stdout}${run.stderr}`;
    if (run.status !== 0) return { status: run.status, log, code: "", gzipKb: Number.NaN, inputs: [] };
    const code = await readFile(outfile, "utf8");
    const meta = JSON.parse(await readFile(metafile, "utf8")) as { inputs: Record<string, unknown> };
    return {
      status: run.status,
      log,
      code,
      gzipKb: gzipSync(code, { level: 9 }).length / 1024,
      inputs: Object.keys(meta.inputs),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
