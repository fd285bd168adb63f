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

// `npm test` passes --browser: the web app's tests drive Debian's Chromium, installed here when it is absent and this
// is a Debian machine run as root (as .ci/run does); anywhere else one line says how, and the web tests name it too.
if (process.argv.includes("--browser") && !process.env.TRIBUTARY_CHROMIUM && !existsSync("/usr/bin/chromium")) {
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canInstall) {
    console.log("First run: installing Chromium for the web app's tests (apt-get install -y chromium)...");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", {
      stdio: "inherit",
    });
  } else {
    console.log(
      "The web app's tests need Chromium at /usr/bin/chromium: install Debian's `chromium`, or set TRIBUTARY_CHROMIUM.",
    );
  }
}
