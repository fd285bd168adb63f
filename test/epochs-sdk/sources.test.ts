// Where the verifier reads leaf files from: a path, a file: URI, an http: URI served on 127.0.0.1. A file that cannot
// be had (missing, an HTTP error, a server that stalls) is a LeafFileUnavailableError, worth trying again; no URI,
// another scheme or too many bytes is an InvalidInputError, which the verifier reports as a failing finding.
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { InvalidInputError } from "../../sdk/errors.ts";
import { leafFileChunks, LeafFileUnavailableError, isUnavailable } from "../../sdk/epochs/sources.ts";

async function drain(location: string, options: Parameters<typeof leafFileChunks>[1] = {}) {
  const parts: Uint8Array[] = [];
  try {
    for await (const chunk of leafFileChunks(location, options)) parts.push(chunk);
  } catch (error) {
    return error;
  }
  return Buffer.concat(parts).toString("utf8");
}

describe("epoch verify: leaf file sources", function () {
  let work: string;
  let server: Server;
  let base: string;
  const BODY = "leaf file bytes\n".repeat(1000);

  before(async function () {
    work = await mkdtemp(path.join(tmpdir(), "tributary-sources-"));
    await writeFile(path.join(work, "leaves.txt"), BODY);
    server = createServer((request, response) => {
      if (request.url === "/leaves.txt") response.end(BODY);
      else if (request.url === "/stall") response.writeHead(200).write("partial");
      else response.writeHead(404).end("not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  it("reads a path, a file: URI and an http: URI to the same bytes", async function () {
    expect(await drain(path.join(work, "leaves.txt"))).to.equal(BODY);
    expect(await drain(pathToFileURL(path.join(work, "leaves.txt")).href)).to.equal(BODY);
    expect(await drain(`${base}/leaves.txt`)).to.equal(BODY);
  });

  it("says a missing file, an HTTP error and a stalled answer are unavailable", async function () {
    const missing = await drain(pathToFileURL(path.join(work, "gone.txt")).href);
    expect(missing).to.be.instanceOf(LeafFileUnavailableError);
    expect((missing as Error).message).to.match(/no such file: .*gone.txt/);
    const notFound = await drain(`${base}/nothing`);
    expect(isUnavailable(notFound)).to.equal(true);
    expect((notFound as Error).message).to.match(/cannot be fetched \(HTTP 404\)/);
    const stalled = await drain(`${base}/stall`, { timeoutMs: 200 });
    expect(isUnavailable(stalled)).to.equal(true);
    expect((stalled as Error).message).to.match(/stalled for 200 ms/);
  });

  it("refuses more bytes than the bound, from a file and over HTTP", async function () {
    for (const location of [path.join(work, "leaves.txt"), `${base}/leaves.txt`]) {
      const error = await drain(location, { maxBytes: 100 });
      expect(error).to.be.instanceOf(InvalidInputError);
      expect(isUnavailable(error)).to.equal(false);
      expect((error as Error).message).to.match(/is larger than 100 bytes/);
    }
  });

  it("refuses no URI and a scheme it cannot fetch", async function () {
    expect(((await drain("")) as Error).message).to.match(/^the manifest names no leaf file URI/);
    const ipfs = await drain("ipfs://bafy/leaves.txt");
    expect(ipfs).to.be.instanceOf(InvalidInputError);
    expect((ipfs as Error).message).to.match(/is neither file: nor http\(s\):/);
  });
});
