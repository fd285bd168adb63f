// The web app (web/) for `npm start`, the browser tests and the benchmark: builds it with Vite into web/dist, and
// serves the build with a config.json (API URL, node URL, chain id, deployment) from a small static server on
// 127.0.0.1. Production hosts web/dist on any static server with its own config.json (docs/operations.md).
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";

import type { Deployment } from "../../sdk/deployment.ts";
import { ROOT } from "./stack.ts";

export const WEB_DIR = path.join(ROOT, "web");
export const WEB_DIST = path.join(WEB_DIR, "dist");

/** What config.json tells the page (web/src/config.ts reads and checks it). */
export interface WebConfig {
  apiUrl: string;
  rpcUrl: string;
  chainId: number;
  deployment: Deployment;
}

/** Builds web/ into web/dist (Vite, production mode); throws with Vite's message when it does not build. */
export async function buildWeb(): Promise<void> {
  const { build } = await import("vite");
  await build({ configFile: path.join(WEB_DIR, "vite.config.ts"), mode: "production", logLevel: "error" });
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export interface WebServer {
  url: string;
  port: number;
  server: Server;
  stop: () => Promise<void>;
}

/**
 * Serves `dir` (default web/dist) and `config` as /config.json on 127.0.0.1:`port` (0: a free one). Only files
 * inside `dir` are served; anything else is a 404.
 */
export async function serveWeb({
  config,
  port = 0,
  dir = WEB_DIST,
}: {
  config: WebConfig;
  port?: number;
  dir?: string;
}): Promise<WebServer> {
  await stat(path.join(dir, "index.html")).catch(() => {
    throw new Error(`no web build in ${dir}: run buildWeb() first`);
  });
  const configJson = JSON.stringify(config, null, 2);
  const root = path.resolve(dir);
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === "/config.json") {
      response.writeHead(200, { "content-type": TYPES[".json"]!, "cache-control": "no-store" }).end(configJson);
      return;
    }
    const file = path.resolve(root, `.${decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname)}`);
    if (file !== root && !file.startsWith(`${root}${path.sep}`)) {
      response.writeHead(404).end();
      return;
    }
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, {
      "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
      "content-length": found.size,
      // Built assets carry a content hash in their name; the page itself is read afresh.
      "cache-control": file.includes(`${path.sep}assets${path.sep}`)
        ? "public, max-age=31536000, immutable"
        : "no-cache",
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("could not read the web server's port");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    port: address.port,
    server,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The deployment file that scripts/deploy.ts wrote for `chainId` in `deploymentsDir`. */
export async function readDeployment(deploymentsDir: string, chainId = 31337): Promise<Deployment> {
  return JSON.parse(await readFile(path.join(deploymentsDir, `${chainId}.json`), "utf8")) as Deployment;
}
