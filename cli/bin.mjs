#!/usr/bin/env node
// Launcher of `tributary` (package.json "bin"). The CLI is TypeScript run natively, which needs Node >= 22.18
// (type stripping on by default). On an older Node this re-runs the CLI with the repository's own Node 22
// (the `node` package in node_modules), passing arguments, standard streams and the exit code through.
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(realpathSync(fileURLToPath(import.meta.url)));
const entry = path.join(here, "tributary.ts");
const [major, minor] = process.versions.node.split(".").map(Number);

if (major > 22 || (major === 22 && minor >= 18)) {
  await import(pathToFileURL(entry).href);
} else {
  const root = path.join(here, "..");
  const candidates = [
    path.join(root, "node_modules", "node", "bin", "node"),
    path.join(root, "node_modules", ".bin", "node"),
  ];
  const node22 = candidates.find((file) => existsSync(file));
  if (!node22) {
    process.stderr.write(
      `error: tributary needs Node 22.18 or later and this is Node ${process.versions.node}; run npm install in ${root} or install Node 22\n`,
    );
    process.exit(1);
  }
  const result = spawnSync(node22, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
  if (result.error) {
    process.stderr.write(
      `error: could not start ${node22} (${result.error.code ?? result.error.message}); run npm install again\n`,
    );
    process.exit(1);
  }
  process.exit(result.status ?? (result.signal ? 1 : 0));
}
