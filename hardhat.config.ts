import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package: Hardhat never downloads one. Its `version` must equal the
// package's version, which is read here rather than typed so the two cannot drift apart.
const solcPath = require.resolve("solc/soljson.js");
const solcVersion: string = require("solc/package.json").version;

const compiler = (runs: number) => ({
  version: solcVersion,
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs },
    evmVersion: "cancun",
  },
});

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: compiler(10_000),
      production: compiler(10_000),
    },
  },
  paths: {
    tests: {
      solidity: "./test",
      mocha: "./test",
    },
  },
  test: {
    solidity: {
      profiles: {
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 50, failOnRevert: false },
        },
        ci: {
          fuzz: { runs: 10_000 },
          invariant: { runs: 256, depth: 100, failOnRevert: false },
        },
      },
    },
  },
  // `npx hardhat verify --network remote <address> <constructor args...>` publishes a deployed contract's source on
  // Etherscan (and Sourcify, which needs no key). The key is read only when verifying: from the environment or the
  // Hardhat keystore (`npx hardhat keystore set TRIBUTARY_ETHERSCAN_API_KEY`). See docs/deploy.md.
  verify: {
    etherscan: { apiKey: configVariable("TRIBUTARY_ETHERSCAN_API_KEY") },
  },
  networks: {
    // A node on this machine: `npm start` and the end-to-end tests point it at their own port.
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.TRIBUTARY_RPC_URL ?? "http://127.0.0.1:8545",
    },
    // Any other network: RPC URL from the environment, deployer key from the Hardhat keystore.
    remote: {
      type: "http",
      chainType: "l1",
      url: configVariable("TRIBUTARY_REMOTE_RPC_URL"),
      accounts: [configVariable("TRIBUTARY_DEPLOYER_KEY")],
    },
  },
});
