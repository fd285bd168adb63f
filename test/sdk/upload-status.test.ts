// The SDK's uploadLeafFile follows a 202 through its status route; a connection the indexer drops while it is busy
// storing is asked again, and only five unanswered polls in a row end the upload with UnreachableError.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "chai";

import { TributaryApi } from "../../sdk/api.ts";
import { UnreachableError } from "../../sdk/errors.ts";

const STORED = {
  state: "stored",
  stored: true,
  poolId: "1",
  epochId: 1,
  root: `0x${"11".repeat(32)}`,
  leafFileHash: `0x${"22".repeat(32)}`,
  leafCount: 3,
  total: "10",
  previousEpoch: 0,
  bytes: 100,
  storedAt: "2026-12-02T00:00:00Z",
};

describe("sdk: uploadLeafFile through a 202", function () {
  let server: Server;
  let url: string;
  /** How each status poll is answered, in order: "drop" closes the connection unanswered. */
  let answers: ("drop" | "checking" | "stored")[];
  let polls: number;

  before(async function () {
    server = createServer((request, response) => {
      if (request.method === "POST") {
        request.resume();
        request.on("end", () => {
          response.writeHead(202, { "content-type": "application/json" });
          response.end(JSON.stringify({ state: "checking", poolId: "1", epochId: 1, bytes: 100, statusUrl: "/s" }));
        });
        return;
      }
      const answer = answers[polls++] ?? "drop";
      if (answer === "drop") return void request.socket.destroy();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(answer === "stored" ? STORED : { state: "checking", since: "now", bytes: 100 }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async function () {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(function () {
    polls = 0;
  });

  it("asks again after dropped connections and returns the stored file", async function () {
    answers = ["checking", "drop", "drop", "checking", "drop", "stored"];
    const stored = await new TributaryApi(url).uploadLeafFile(1n, 1, new Uint8Array([1, 2, 3]), { intervalMs: 5 });
    expect(stored.state).to.equal("stored");
    expect(stored.leafCount).to.equal(3);
    expect(polls).to.equal(6);
  });

  it("ends with UnreachableError after five unanswered polls in a row", async function () {
    answers = ["checking", "drop", "drop", "drop", "drop", "drop", "stored"];
    const error = await new TributaryApi(url)
      .uploadLeafFile(1n, 1, new Uint8Array([1, 2, 3]), { intervalMs: 5 })
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(UnreachableError);
    expect((error as UnreachableError).shortMessage).to.match(/did not answer/);
    expect(polls).to.equal(6);
  });
});
