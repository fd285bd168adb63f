// Runs `npm install` first when the tree is not installed yet, so `npm start` and `npm test` work on a fresh clone.
// Plain JavaScript on purpose: on a fresh clone this runs on the machine's Node, which may be 20.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.join(import.meta.dirname, "..", "..");
const needed = [
  path.join(root, "node_modules", ".bin", "node"),
  path.join(root, "node_modules", "hardhat", "package.json"),
  path.join(root, "node_modules", "ponder", "package.json"),
];
if (!needed.every((file) => existsSync(file))) {
  console.log("First run: installing dependencies (npm install)...");
  execSync("npm install --no-audit --no-fund", { cwd: root, stdio: "inherit" });
}
