import { createConfig } from "ponder";

import { attributionEpochsAbi } from "../abis/AttributionEpochs.ts";
import { authorshipRegistryAbi } from "../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../abis/RoyaltyVault.ts";
import { checkPgliteStorage, loadSettings } from "./config.ts";
import { headWatchdogOption } from "./src/api/ponderAdapter.ts";

const settings = loadSettings();
// Here, not in loadSettings: the API's modules read the settings too, and must not fail on a disk that filled later.
if (settings.database.kind === "pglite") checkPgliteStorage(settings.database.directory, settings.pgliteMinFreeBytes);

export default createConfig({
  // Ponder's default, named because patches/ponder+0.17.7.patch changes this ordering's live loop (docs/operations.md).
  ordering: "multichain",
  database: settings.database,
  chains: {
    tributary: {
      id: settings.chainId,
      rpc:
        settings.rpcLanes === 1
          ? settings.rpcUrl
          : Array.from({ length: settings.rpcLanes }, (_, lane) => `${settings.rpcUrl}#lane-${lane}`),
      ws: settings.wsUrl,
      // The watchdog over the WebSocket head subscription that patches/ponder+0.17.7.patch adds (ponderAdapter.ts).
      ...headWatchdogOption(settings.wsHeadTimeoutMs),
      pollingInterval: settings.pollingIntervalMs,
      // A local dev chain is new on every start, so caching its RPC answers would only serve stale blocks.
      disableCache: !settings.rpcCache,
    },
  },
  contracts: {
    AuthorshipRegistry: {
      chain: "tributary",
      abi: authorshipRegistryAbi,
      address: settings.registry.address,
      startBlock: settings.registry.startBlock,
    },
    RoyaltyVault: {
      chain: "tributary",
      abi: royaltyVaultAbi,
      address: settings.vault.address,
      startBlock: settings.vault.startBlock,
    },
    // Only when the deployment has it (one from before the epochs contract has not): src/AttributionEpochs.ts then
    // registers no handler, and the API's epoch routes answer from empty tables. Typed as always present, so that
    // the handlers' event names and arguments are typed; at run time the key is absent without a deployment.
    ...((settings.epochs
      ? {
          AttributionEpochs: {
            chain: "tributary",
            abi: attributionEpochsAbi,
            address: settings.epochs.address,
            startBlock: settings.epochs.startBlock,
          },
        }
      : {}) as {
      AttributionEpochs: {
        chain: "tributary";
        abi: typeof attributionEpochsAbi;
        address: `0x${string}`;
        startBlock: number;
      };
    }),
  },
});
