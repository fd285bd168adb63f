// Builds the web app (web/) into web/dist: static files any web server can host, beside a config.json that names
// the API, the node and the deployment (scripts/lib/web.ts writes it for `npm start` and the tests).
import path from "node:path";

import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  // The SDK's modules are imported by path from ../sdk: the build may read the whole project.
  server: { fs: { allow: [path.join(import.meta.dirname, "..")] } },
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: path.join(import.meta.dirname, "dist"),
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  logLevel: "warn",
});
