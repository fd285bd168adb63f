// The web app in Chromium against the local stack: the JavaScript it ships (gzip -9 of every script of the build),
// its first contentful paint (the explorer, no wallet, a fresh browser context each time so nothing is cached), and
// a contributor's claim from pressing "Connect" to the page saying the claim is confirmed (the injected test wallet
// signs at once; the local node mines each transaction at once).
import { readdir, readFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { WEB_DIST } from "../../scripts/lib/web.ts";
import { launchChromium } from "../../test/web/lib/browser.ts";
import { KEYS, startWebStack } from "../../test/web/lib/stack.ts";
import { injectWallet } from "../../test/web/lib/wallet.ts";
import { record } from "../lib/record.ts";

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const stack = await startWebStack();
const browser = await launchChromium();
try {
  const assets = path.join(WEB_DIST, "assets");
  const scripts = (await readdir(assets)).filter((file) => file.endsWith(".js"));
  let gzipBytes = 0;
  for (const file of scripts) gzipBytes += gzipSync(await readFile(path.join(assets, file)), { level: 9 }).length;

  const paints: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.web.url}#/explorer`);
    await page.getByTestId("pools").waitFor({ timeout: 60_000 });
    const fcp = await page.evaluate(
      () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
    );
    paints.push(fcp);
    await context.close();
  }

  const claims: number[] = [];
  for (let run = 0; run < 3; run++) {
    const context = await browser.newContext();
    await injectWallet(context, { key: KEYS.contributor, rpcUrl: stack.node.url, chainId: 31337 });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(`${stack.web.url}#/contributor`);
    const connectButton = page.getByRole("button", { name: "Connect Test Wallet" });
    await connectButton.waitFor();
    const started = performance.now();
    await connectButton.click();
    await page.getByRole("button", { name: /Claim everything owed/ }).click();
    await page.getByRole("button", { name: "Sign and claim" }).click();
    await page.locator("#claim-status", { hasText: "Claim confirmed" }).waitFor();
    claims.push(performance.now() - started);
    await context.close();
  }

  // The 1-minute load average as the figures were taken: on a shared 2-core machine it moves them a lot.
  const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  await record("web", {
    "web.js.gzipKb": {
      value: Math.round(gzipBytes / 102.4) / 10,
      unit: "KB",
      note: `${scripts.length} scripts of web/dist, gzip -9; budget 250 KB`,
    },
    "web.firstContentfulPaint.ms": {
      value: Math.round(median(paints)),
      unit: "ms",
      note: `median of ${RUNS} loads of the explorer in headless Chromium, fresh context, served from 127.0.0.1, ${load} (${paints.map((p) => Math.round(p)).join(", ")})`,
    },
    "web.claimFlow.ms": {
      value: Math.round(median(claims)),
      unit: "ms",
      note: `median of ${claims.length}: "Connect" pressed to "Claim confirmed" shown (accounts, earnings from the API, simulation and gas, sign, receipt), local node, ${load} (${claims.map((c) => Math.round(c)).join(", ")})`,
    },
  });
} finally {
  await browser.close();
  await stack.stop();
}
