// Who the client is (indexer/src/api/limits.ts): the connection's address, or behind a trusted reverse proxy the
// address its X-Forwarded-For names. A client that is not a trusted proxy cannot choose its own name with the header,
// so it cannot step around the rate limit, the live-query slots or the one-upload-per-client rule.
import { expect } from "chai";
import { Hono } from "hono";

import { loadApiSettings } from "../../indexer/config.ts";
import {
  MAX_FORWARDED_HOPS,
  clientAddress,
  clientFrom,
  identifyClients,
  normalizeAddress,
  rateLimit,
  trustedProxyList,
} from "../../indexer/src/api/limits.ts";
import { restoreEnvAfterEach } from "../lib/env.ts";

/** A request as the Node adapter hands it over: from `peer`, with an X-Forwarded-For when given. */
function from(app: Hono, peer: string, forwardedFor?: string) {
  const headers: Record<string, string> = forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor };
  return app.request("/who", { headers }, { incoming: { socket: { remoteAddress: peer, remotePort: 40_000 } } });
}

function appWith(trustedProxies: string[], limit = 0) {
  const app = new Hono();
  app.use("*", identifyClients(trustedProxies));
  app.use("*", rateLimit(limit, 60_000));
  app.get("/who", (c) => c.json({ client: clientAddress(c) }));
  return app;
}

const clientOf = async (response: Response) => ((await response.json()) as { client: string }).client;

describe("the client's address", () => {
  it("is the connection's address, whatever X-Forwarded-For says, when no proxy is trusted", async () => {
    const app = appWith([]);
    expect(await clientOf(await from(app, "198.51.100.7"))).to.equal("198.51.100.7");
    expect(await clientOf(await from(app, "198.51.100.7", "203.0.113.1"))).to.equal("198.51.100.7");
    expect(await clientOf(await from(app, "::ffff:127.0.0.1"))).to.equal("127.0.0.1");
  });

  it("ignores X-Forwarded-For from a connection that is not a trusted proxy", async () => {
    const app = appWith(["10.0.0.1"]);
    expect(await clientOf(await from(app, "198.51.100.7", "203.0.113.1"))).to.equal("198.51.100.7");
  });

  it("behind a trusted proxy, is the rightmost address that no trusted proxy holds", async () => {
    const app = appWith(["10.0.0.1", "172.16.0.0/12"]);
    // The client wrote a false first hop; the edge proxy appended what it saw, then an inner proxy its own.
    const response = await from(app, "10.0.0.1", "1.2.3.4, 203.0.113.9, 172.20.0.5");
    expect(await clientOf(response)).to.equal("203.0.113.9");
    expect(await clientOf(await from(app, "10.0.0.1", "203.0.113.9"))).to.equal("203.0.113.9");
    // No header: the proxy's own request.
    expect(await clientOf(await from(app, "10.0.0.1"))).to.equal("10.0.0.1");
    // Every hop a trusted proxy: the leftmost of them.
    expect(await clientOf(await from(app, "10.0.0.1", "172.16.0.3, 172.16.0.4"))).to.equal("172.16.0.3");
  });

  it("stops at the last trusted hop when a hop is not an address", async () => {
    const trusted = trustedProxyList(["10.0.0.1", "10.0.0.2"]);
    expect(clientFrom("10.0.0.1", "203.0.113.9, not-an-address, 10.0.0.2", trusted)).to.equal("10.0.0.2");
    expect(clientFrom("10.0.0.1", "unknown", trusted)).to.equal("10.0.0.1");
    expect(clientFrom("10.0.0.1", "", trusted)).to.equal("10.0.0.1");
  });

  it("reads at most MAX_FORWARDED_HOPS hops of a long header", () => {
    const trusted = trustedProxyList(["10.0.0.0/8"]);
    const inner = Array.from({ length: MAX_FORWARDED_HOPS + 4 }, (_, i) => `10.0.${i >> 8}.${i & 0xff}`);
    const header = ["203.0.113.9", ...inner].join(", ");
    // The walk gives up among trusted hops; it never reaches the client's (or a forger's) address on the far left.
    expect(clientFrom("10.0.0.1", header, trusted)).to.equal(inner[inner.length - MAX_FORWARDED_HOPS]);
    const short = ["203.0.113.9", ...inner.slice(0, MAX_FORWARDED_HOPS - 1)].join(", ");
    expect(clientFrom("10.0.0.1", short, trusted)).to.equal("203.0.113.9");
  });

  it("reads hops with ports, brackets and IPv4-mapped IPv6, and IPv6 ranges", () => {
    expect(normalizeAddress(" 203.0.113.9:8443 ")).to.equal("203.0.113.9");
    expect(normalizeAddress("[2001:DB8::1]:443")).to.equal("2001:db8::1");
    expect(normalizeAddress("::FFFF:192.0.2.1")).to.equal("192.0.2.1");
    expect(normalizeAddress("2001:db8::1")).to.equal("2001:db8::1");
    expect(normalizeAddress("example.org")).to.equal(undefined);
    const trusted = trustedProxyList(["2001:db8::/32"]);
    expect(clientFrom("2001:db8::5", "[2001:db9::7]:1234, 2001:db8::6", trusted)).to.equal("2001:db9::7");
  });

  it("gives two clients behind one trusted proxy their own rate limit, and a direct client none by forging", async () => {
    const app = appWith(["10.0.0.1"], 2);
    for (let i = 0; i < 2; i++) expect((await from(app, "10.0.0.1", "203.0.113.1")).status).to.equal(200);
    expect((await from(app, "10.0.0.1", "203.0.113.1")).status).to.equal(429);
    expect((await from(app, "10.0.0.1", "203.0.113.2")).status).to.equal(200);
    // A client connected directly changes its header on every request: still one client, still limited.
    for (let i = 0; i < 2; i++) expect((await from(app, "198.51.100.7", `203.0.113.${10 + i}`)).status).to.equal(200);
    expect((await from(app, "198.51.100.7", "203.0.113.99")).status).to.equal(429);
  });
});

describe("loadApiSettings: TRIBUTARY_API_TRUSTED_PROXIES", () => {
  restoreEnvAfterEach(["TRIBUTARY_API_TRUSTED_PROXIES"]);

  it("trusts no proxy by default, and reads addresses and ranges", () => {
    delete process.env.TRIBUTARY_API_TRUSTED_PROXIES;
    expect(loadApiSettings().trustedProxies).to.deep.equal([]);
    process.env.TRIBUTARY_API_TRUSTED_PROXIES = " 127.0.0.1, 10.0.0.0/8 ,::1,2001:db8::/32";
    expect(loadApiSettings().trustedProxies).to.deep.equal(["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"]);
  });

  it("refuses an entry that is not an address or a range, on one line naming it", () => {
    for (const bad of ["proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0.1/8/1", "10.0.0/8", "10.0.0.0/x"]) {
      process.env.TRIBUTARY_API_TRUSTED_PROXIES = `127.0.0.1,${bad}`;
      expect(() => loadApiSettings(), bad).to.throw(
        `Tributary indexer: TRIBUTARY_API_TRUSTED_PROXIES must list IP addresses or CIDR ranges like 10.0.0.1 or 10.0.0.0/8, got "${bad}"`,
      );
    }
  });
});
