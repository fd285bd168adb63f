// A dependency the install patches (patches/<name>+<version>.patch, applied by patch-package): where it is
// installed, its version, and the patch files that name it. Shared by the checks that the copy that runs is patched.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.join(import.meta.dirname, "..", "..");

export function patchedPackage(name: string) {
  const dir = path.join(root, "node_modules", name);
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string };
  const patches = readdirSync(path.join(root, "patches")).filter((file) => file.startsWith(`${name}+`));
  return { dir, version, patches };
}
