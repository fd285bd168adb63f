/// <reference lib="dom" />
// The web app in a real browser: Debian's Chromium (playwright-core, headless) against the local stack, with a
// wallet injected into the page (EIP-1193, announced through EIP-6963) that signs with a test key. Each journey is a
// person's: connect and see earnings, claim (the balance moves on chain and on the page), decline a signature,
// start on the wrong chain, register a text, sign a gasless registration that a platform relays, audit without a
// wallet (epochs and a proof lookup included), meet an older API without the epoch-claims and history routes, and
// an API or a node that does not answer. Each saves a screenshot under test/web/.screenshots.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { erc20Abi, formatEther } from "viem";
import { getBalance, getTransactionCount, readContract } from "viem/actions";

import { freePort } from "../../scripts/lib/stack.ts";
import { claimEpochFor, getRecord, hashText, parseSigned, relay } from "../../sdk/index.ts";
import { leafFileProofs } from "../../sdk/epochs/index.ts";
import { launchChromium } from "./lib/browser.ts";
import {
  KEYS,
  OTHER_CONTRIBUTION,
  PROMPT_EPOCH_AMOUNT,
  PROMPT_TEXT,
  startWebStack,
  type WebStack,
} from "./lib/stack.ts";
import { injectWallet, type TestWallet } from "./lib/wallet.ts";

const SHOTS = path.join(import.meta.dirname, ".screenshots");
const TIMEOUT = 60_000;

let stack: WebStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const saved: string[] = [];

async function open(
  url: string,
  { wallet, chainId = 31337, width = 1100 }: { wallet?: boolean; chainId?: number; width?: number } = {},
): Promise<{ page: Page; wallet: TestWallet | undefined; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  context.setDefaultTimeout(TIMEOUT);
  const injected = wallet
    ? await injectWallet(context, { key: KEYS.contributor, rpcUrl: stack.node.url, chainId })
    : undefined;
  const page = await context.newPage();
  // Every request body the page sends, to check that content never leaves the browser.
  const requests: string[] = [];
  page.on("request", (request) => requests.push(`${request.url()} ${request.postData() ?? ""}`));
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  return { page, wallet: injected, requests };
}

async function shot(page: Page, name: string) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  saved.push(file);
}

async function connectWallet(page: Page) {
  // From the keyboard: the wallet's button is focused and pressed with Enter.
  const button = page.getByRole("button", { name: "Connect Test Wallet" });
  await button.focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("account").waitFor();
}

/** Every form control and button on the page has a name a screen reader can say. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("button, input, select, textarea")]
      .filter((element) => {
        const control = element as HTMLInputElement;
        const named =
          (control.labels?.length ?? 0) > 0 ||
          control.getAttribute("aria-label") ||
          (element.tagName === "BUTTON" && element.textContent?.trim());
        return !named;
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
}

const contributorUrl = () => `${stack.web.url}#/contributor`;

describe("web app journeys in Chromium", { timeout: 600_000 }, () => {
  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    const [started, launched] = await Promise.allSettled([startWebStack(), launchChromium()]);
    if (started.status === "fulfilled") stack = started.value;
    if (launched.status === "fulfilled") browser = launched.value;
    if (started.status === "rejected") throw started.reason;
    if (launched.status === "rejected") throw launched.reason;
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await stack?.stop();
    assert.ok(saved.length > 0, "the suite ran no journey");
  });

  it("connects an EIP-6963 wallet and shows the contributions and earnings, in ETH, with a chart", async () => {
    const { page } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    const earnings = page.getByTestId("earnings");
    await earnings.waitFor();
    assert.match(await page.getByTestId(`claimable-${stack.poolId}`).innerText(), /^0\.\d+ ETH/);
    const contributions = await page.getByTestId("contributions").innerText();
    assert.match(contributions, /prompt/);
    assert.match(contributions, /given/);
    await page.getByTestId("earnings-chart").waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, "contributor");
  });

  it("a claim the chain refuses when it is signed is the SDK's message for the revert, and nothing is sent", async () => {
    const { page, wallet } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    await page.getByTestId("epoch-earnings").filter({ hasText: "5 dEUR" }).waitFor();
    await page.getByRole("button", { name: /Claim everything owed \(1 pool and 2 epoch pools\)/ }).click();
    assert.match(await page.getByTestId("gas-estimate").innerText(), /1 vault position and 2 epoch leaves/);
    // Under the review, a keeper claims the dEUR leaf for its author: the page's transaction would now revert.
    const proofs = (await leafFileProofs({ files: [{ bytes: stack.secondEpoch.leafFile.bytes, source: "built" }] }))
      .proofs;
    await claimEpochFor(stack.as("platform"), {
      claims: [{ poolId: stack.secondEpoch.poolId, contributionId: stack.prompt }],
      proofs,
    });
    await page.getByRole("button", { name: "Sign and claim" }).click();
    const failed = page.locator("#claim-status.error");
    await failed.waitFor();
    assert.match(
      await failed.innerText(),
      new RegExp(`${stack.prompt} has nothing to claim in epoch pool ${stack.secondEpoch.poolId}`),
    );
    assert.deepEqual(wallet!.sent, [], "the refusal is found before sending");
    await shot(page, "claim-failed");
  });

  it("claims everything owed, vault pool and epoch pool, in one transaction, with the gas shown first: both balances move on chain and the page shows the epoch leaf claimed", async () => {
    const { page, wallet, requests } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    await page.getByTestId("earnings").waitFor();
    const leaf = `${stack.epochPoolId}-1-${stack.prompt}`;
    const epochTable = page.getByTestId("epoch-earnings");
    // The rows come from the indexer first; the token's symbol and decimals follow from the chain.
    await epochTable.filter({ hasText: "dUSD" }).waitFor();
    assert.equal(await page.getByTestId(`epoch-claimable-${leaf}`).innerText(), "30 dUSD");
    assert.equal(await page.getByTestId(`epoch-claimed-${leaf}`).innerText(), "0 dUSD");
    assert.ok(!(await epochTable.innerText()).includes(OTHER_CONTRIBUTION.slice(0, 8)), "only the wallet's leaves");
    assert.match(await page.getByTestId("claim-how").innerText(), /One transaction claims everything/);
    const balanceOf = () =>
      readContract(stack.network.publicClient, {
        address: stack.token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [wallet!.address],
      });
    const [ethBefore, tokenBefore] = [
      await getBalance(stack.network.publicClient, { address: wallet!.address }),
      await balanceOf(),
    ];
    await page.getByRole("button", { name: /Claim everything owed \(1 pool and 1 epoch pool\)/ }).click();
    assert.match(
      await page.getByTestId("gas-estimate").innerText(),
      /claims 1 vault position and 1 epoch leaf\. Estimated gas: \d+/,
    );
    assert.deepEqual(wallet!.sent, [], "nothing is sent before the owner signs");
    await page.getByRole("button", { name: "Sign and claim" }).click();
    const confirmed = await page.locator("#claim-status", { hasText: "Claim confirmed" }).innerText();
    assert.match(confirmed, /30 dUSD \(epoch pool #\d+, epoch 1\)/);
    assert.equal(wallet!.sent.length, 1, "one transaction");
    const ethAfter = await getBalance(stack.network.publicClient, { address: wallet!.address });
    assert.ok(ethAfter > ethBefore, `the ETH balance grew on chain (${ethBefore} -> ${ethAfter})`);
    assert.equal((await balanceOf()) - tokenBefore, PROMPT_EPOCH_AMOUNT, "the dUSD balance grew by the leaf's amount");
    await page
      .getByTestId("eth-balance")
      .filter({ hasText: `${formatEther(ethAfter)} ETH` })
      .waitFor();
    await page.getByTestId(`epoch-claimed-${leaf}`).filter({ hasText: "30 dUSD" }).waitFor();
    assert.equal(await page.getByTestId(`epoch-claimable-${leaf}`).innerText(), "0 dUSD");
    // The chart draws the claim from the indexer's history route: a dUSD chart, paid in total and to the prompt.
    const chart = page.getByTestId("earnings-chart");
    await chart
      .filter({ hasText: `paid to ${stack.prompt.slice(0, 8)}` })
      .filter({ hasText: "dUSD" })
      .waitFor();
    assert.match(await chart.innerText(), /paid: 30 dUSD/);
    assert.ok(requests.some((r) => r.includes(`/authors/${wallet!.address.toLowerCase()}/earnings/history`)));
    assert.ok(requests.some((r) => r.includes(`/claims/${wallet!.address.toLowerCase()}`)));
    await shot(page, "claim-confirmed");
  });

  it("a declined signature is a calm message, and nothing is sent", async () => {
    // A little more has streamed since the previous claim: there is something to claim again.
    const { page, wallet } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    await page.getByTestId("earnings").waitFor();
    wallet!.mode = "reject";
    const nonce = await getTransactionCount(stack.network.publicClient, { address: wallet!.address });
    await page.getByRole("button", { name: /Claim everything owed/ }).click();
    await page.getByRole("button", { name: "Sign and claim" }).click();
    const status = page.locator("#claim-status.calm");
    await status.waitFor();
    assert.match(await status.innerText(), /declined the request in your wallet\. Nothing was sent/);
    assert.deepEqual(wallet!.sent, []);
    assert.equal(await getTransactionCount(stack.network.publicClient, { address: wallet!.address }), nonce);
    await shot(page, "rejected");
  });

  it("detects a wallet on the wrong chain and switches it", async () => {
    const { page, wallet } = await open(contributorUrl(), { wallet: true, chainId: 1 });
    await connectWallet(page);
    const notice = page.getByTestId("wrong-chain");
    await notice.waitFor();
    assert.match(await notice.innerText(), /on chain 1; this app uses chain 31337/);
    assert.equal(await page.getByTestId("earnings").count(), 0, "nothing is offered on the wrong chain");
    await shot(page, "wrong-chain");
    await page.getByRole("button", { name: "Switch to chain 31337" }).click();
    await page.getByTestId("earnings").waitFor();
    assert.equal(await notice.count(), 0);
    assert.equal(wallet!.chainId, 31337);
  });

  it("registers a text hashed in the browser (the text never leaves it) and shows it once indexed", async () => {
    const { page, wallet, requests } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    const text = `Correction: the Moon raises two tides a day, not one (${Date.now()}).`;
    await page.getByLabel("Text (a prompt, a correction, a rating)").fill(text);
    await page.getByLabel("Kind").selectOption("correction");
    await page.getByLabel("Parent contribution (optional, a content hash)").fill(stack.prompt);
    const hash = hashText(text);
    assert.equal(await page.getByTestId("content-hash").innerText(), hash, "the SDK's hash of the text");
    await page.getByRole("button", { name: "Register" }).click();
    await page.locator("#register-status", { hasText: "Indexed:" }).waitFor({ timeout: 120_000 });
    assert.equal(wallet!.sent.length, 2, "a commitment, then its reveal");
    const record = await getRecord(stack.network, hash);
    assert.equal(record?.author, wallet!.address);
    assert.equal(record?.kind, "correction");
    assert.ok(!requests.some((request) => request.includes(text.slice(0, 30))), "the text was never sent");
    await page.getByTestId("contributions").filter({ hasText: "correction" }).waitFor();
    await shot(page, "registered");
  });

  it("signs a gasless registration (EIP-712) that a platform relays, and shows it once indexed", async () => {
    const { page, wallet } = await open(contributorUrl(), { wallet: true });
    await connectWallet(page);
    const text = `Prompt: a limerick about a lighthouse keeper (${Date.now()}).`;
    await page.getByLabel("Text (a prompt, a correction, a rating)").fill(text);
    await page.getByLabel("How").selectOption("signed-registration");
    await page.getByRole("button", { name: "Sign" }).click();
    const file = await page.getByTestId("signed-file").inputValue();
    assert.deepEqual(wallet!.sent, [], "signing sends nothing");
    const signed = parseSigned(JSON.parse(file));
    assert.equal(signed.author, wallet!.address);
    const relayed = await relay(stack.as("platform"), { signed });
    assert.equal(relayed.registered, true);
    await page.locator("#relay-status", { hasText: "Relayed and indexed" }).waitFor();
    assert.equal((await getRecord(stack.network, hashText(text)))?.author, wallet!.address);
    await shot(page, "relayed");
  });

  it("a provider opens a pool and deposits; a refused input is the SDK's message and sends nothing", async () => {
    const { page, wallet } = await open(`${stack.web.url}#/provider`, { wallet: true });
    await connectWallet(page);
    await page.getByLabel(/Each deposit streams over/).fill("10m");
    await page.getByRole("button", { name: "Open the pool" }).click();
    const opened = page.locator("#open-pool-status");
    await opened.filter({ hasText: /stream duration of 600 s is outside/ }).waitFor();
    assert.deepEqual(wallet!.sent, [], "the contract's refusal is found by simulation: nothing is sent");
    await page.getByLabel(/Each deposit streams over/).fill("2h");
    await page.getByRole("button", { name: "Open the pool" }).click();
    const created = await opened.filter({ hasText: /Pool #\d+ opened/ }).innerText();
    const poolId = created.match(/Pool #(\d+)/)![1]!;
    await page.getByLabel("Pool id").fill(poolId);
    await page.getByLabel(/Amount/).fill("a lot");
    await page.getByRole("button", { name: "Deposit" }).click();
    await page.locator("#deposit-status.error").waitFor();
    assert.equal(wallet!.sent.length, 1, "only the pool's creation was sent");
    await page.getByLabel(/Amount/).fill("0.5");
    await page.getByRole("button", { name: "Deposit" }).click();
    await page.locator("#deposit-status", { hasText: `Deposited 0.5 ETH into pool #${poolId}` }).waitFor();
    await page
      .getByTestId("my-pools")
      .filter({ hasText: `#${poolId}` })
      .waitFor({ timeout: 30_000 });
    await shot(page, "provider");
  });

  it("the auditor explores pools, solvency, ledgers, a pasted text and the contracts' owners without a wallet, at a phone's width", async () => {
    const { page } = await open(`${stack.web.url}#/explorer`, { width: 390 });
    await page.getByTestId("no-wallet").waitFor();
    await page.getByTestId("solvency-status").filter({ hasText: "Solvent" }).waitFor();
    await page.getByTestId("pools").waitFor();
    await page.getByRole("button", { name: `Open pool ${stack.poolId}'s ledger` }).click();
    await page.getByTestId("ledger").waitFor();
    assert.match(await page.getByTestId("ledger").innerText(), /1(\.0)? ETH/);
    await page.getByRole("tab", { name: "Claims" }).click();
    await page.getByTestId("ledger").filter({ hasText: "ETH" }).waitFor();
    await page.getByLabel("Content hash, or the text itself (hashed in this browser)").fill(PROMPT_TEXT);
    await page.getByRole("button", { name: "Look up", exact: true }).click();
    const result = page.getByTestId("lookup-result");
    await result.waitFor();
    assert.match(await result.innerText(), new RegExp(stack.prompt));
    await page.getByTestId("contracts").filter({ hasText: "RoyaltyVault" }).waitFor();
    // Epochs through the typed client: the dUSD pool, its epoch's manifest, a proof lookup and an unknown leaf.
    const epochPools = page.getByTestId("epoch-pools");
    await epochPools.filter({ hasText: "40 dUSD" }).waitFor();
    await page.getByRole("button", { name: `Show epoch pool ${stack.epochPoolId}'s epochs` }).click();
    await page
      .getByTestId("epoch-list")
      .filter({ hasText: /Epoch 1: (claimable|accepted|payable)/ })
      .waitFor();
    // The epoch's verification: the indexer's stored leaf file reproduced the root and hash, and adds up.
    await page
      .getByTestId("epoch-list")
      .getByText(/^Epoch 1: /)
      .click();
    const verification = page.getByTestId("epoch-verification").filter({ hasText: "Verified" });
    await verification.waitFor();
    assert.match(
      await verification.innerText(),
      /^Verified: the indexer's leaf file of \d+ leaves reproduces the root and the leaf-file hash on chain; its leaves total [\d.,]+ dUSD, the manifest's total\.$/,
    );
    const lookup = page.getByTestId("proof-lookup");
    await lookup.getByLabel("Epoch", { exact: true }).fill("1");
    await lookup.getByLabel("Contribution (content hash)").fill(stack.prompt);
    await lookup.getByRole("button", { name: "Look up the proof" }).click();
    const proof = page.getByTestId("proof-result");
    await proof.waitFor();
    assert.match(await proof.innerText(), new RegExp(`cumulative ${PROMPT_EPOCH_AMOUNT}`));
    assert.match(await proof.innerText(), /"0x[0-9a-f]{64}"/, "the proof's siblings");
    await lookup.getByLabel("Contribution (content hash)").fill(`0x${"cd".repeat(32)}`);
    await lookup.getByRole("button", { name: "Look up the proof" }).click();
    await page.locator("#proof-status", { hasText: "has no leaf for" }).waitFor();
    assert.equal(await proof.count(), 0, "no proof is shown for an unknown contribution");
    await lookup.getByLabel("Epoch", { exact: true }).fill("9");
    await lookup.getByLabel("Contribution (content hash)").fill(stack.prompt);
    await lookup.getByRole("button", { name: "Look up the proof" }).click();
    await page
      .locator("#proof-status.error")
      .filter({ hasText: /epoch 9|no epoch/i })
      .waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page fits a phone's width (${overflow} px too wide)`);
    assert.deepEqual(await unlabelledControls(page), []);
    await shot(page, "explorer-phone");
  });

  it("an API without the epoch claims and history routes: the vault's earnings still show, each missing part says so", async () => {
    // An API of an older indexer: the same answers, but its catch-all 404 for the two routes it does not have.
    const missing = /^\/(?:claims\/|authors\/[^/]+\/earnings\/history)/;
    const proxy = http.createServer((request, response) => {
      response.setHeader("access-control-allow-origin", "*");
      if (missing.test(request.url ?? "")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: `no route GET ${request.url?.split("?")[0]}; see docs/api.md` }));
        return;
      }
      const upstream = http.request(`${stack.indexer.url}${request.url}`, { method: request.method }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on("error", () => response.destroy());
      request.pipe(upstream);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
    try {
      const older = await stack.serveWith({ apiUrl: `http://127.0.0.1:${port}` });
      const { page } = await open(`${older.url}#/contributor`, { wallet: true });
      await connectWallet(page);
      await page.getByTestId("earnings").waitFor();
      assert.match(await page.getByTestId(`claimable-${stack.poolId}`).innerText(), /ETH/);
      await page
        .locator("#earnings .notice.error", { hasText: "Your epoch pools' claims could not be loaded" })
        .waitFor();
      await page.locator("#earnings .notice.error", { hasText: "Your earnings history could not be loaded" }).waitFor();
      assert.equal(await page.getByTestId("epoch-earnings").count(), 0);
      await page.getByRole("button", { name: /Claim everything owed \(1 pool\)/ }).waitFor();
      await shot(page, "older-api-contributor");
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("an API that does not answer is a visible message on every page, never a blank one; so is a node", async () => {
    const deadApi = await stack.serveWith({ apiUrl: `http://127.0.0.1:${await freePort()}` });
    const explorer = await open(`${deadApi.url}#/explorer`);
    await explorer.page.locator(".notice.error", { hasText: "could not be loaded" }).first().waitFor();
    assert.match(await explorer.page.locator("#pools").innerText(), /did not answer/);
    await shot(explorer.page, "api-down-explorer");
    const contributor = await open(`${deadApi.url}#/contributor`, { wallet: true });
    await connectWallet(contributor.page);
    await contributor.page.locator("#earnings .notice.error", { hasText: "could not be loaded" }).waitFor();
    await shot(contributor.page, "api-down-contributor");

    const deadNode = await stack.serveWith({ rpcUrl: `http://127.0.0.1:${await freePort()}` });
    const noNode = await open(`${deadNode.url}#/explorer`);
    await noNode.page.getByTestId("rpc-error").waitFor();
    await noNode.page.getByTestId("pools").waitFor();
    await shot(noNode.page, "rpc-down");
  });
});
