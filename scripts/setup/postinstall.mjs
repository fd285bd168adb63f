// Completes an install started under Node 20. Runs before `patch-package` (package.json "postinstall"), so the
// patches in patches/ apply to the tree as this step leaves it.
//
// Hardhat's native runtime (EDR) ships as a platform package that declares node >= 22, so npm running under an
// older Node skips it. Node 22 arrives with the `node` devDependency; this step installs the missing platform
// package with that Node, so a plain `npm install` always ends in a working tree.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = process.cwd();

function platformPackage() {
  const libc = process.report?.getReport()?.header?.glibcVersionRuntime ? "gnu" : "musl";
  const suffix =
    process.platform === "linux"
      ? `${process.platform}-${process.arch}-${libc}`
      : `${process.platform}-${process.arch}`;
  return `@nomicfoundation/edr-${suffix}`;
}

const edrDir = path.join(root, "node_modules", "@nomicfoundation", "edr");
// Hardhat is not installed (e.g. a production install): nothing to complete.
if (!existsSync(path.join(edrDir, "package.json"))) process.exit(0);
const edrVersion = JSON.parse(readFileSync(path.join(edrDir, "package.json"), "utf8")).version;
const native = platformPackage();
const candidates = [path.join(root, "node_modules", native), path.join(edrDir, "node_modules", native)];
if (candidates.some((dir) => existsSync(path.join(dir, "package.json")))) process.exit(0);

const node22 = path.join(root, "node_modules", ".bin");
console.log(`postinstall: adding ${native}@${edrVersion} (npm skips it when installing under Node < 22)`);
execFileSync(
  "npm",
  ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", "--force", `${native}@${edrVersion}`],
  { stdio: "inherit", env: { ...process.env, PATH: `${node22}${path.delimiter}${process.env.PATH}` } },
);
