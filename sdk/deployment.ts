// The deployment file `deployments/<chainId>.json`: where the protocol lives on a chain. Scripts write it, the
// indexer, the CLI and a web page read it; this is its one type. Reading it from a folder is the Node entry's
// (`deploymentsFolder`); a web page fetches the JSON and gives it to `connect`.
import type { Address } from "viem";

import { ConfigError } from "./errors.ts";
import { parseAddress } from "./parse.ts";

/** Where one contract of a deployment lives and the first block the indexer reads. */
export interface DeployedContract {
  address: Address;
  startBlock: number;
}

/** deployments/<chainId>.json. Contracts beyond the registry are optional until they are deployed. */
export interface Deployment {
  chainId: number;
  /** ISO date of the deployment. */
  deployedAt: string;
  contracts: {
    AuthorshipRegistry: DeployedContract;
    RoyaltyVault?: DeployedContract;
    AttributionEpochs?: DeployedContract;
  };
}

/** The contracts a deployment file may list, in the order they are deployed. */
export const DEPLOYED_CONTRACTS = [
  "AuthorshipRegistry",
  "RoyaltyVault",
  "AttributionEpochs",
] as const satisfies readonly (keyof Deployment["contracts"])[];

/** Validates parsed JSON as a deployment file (`source` names it in errors); the addresses come back checksummed. */
export function parseDeployment(json: unknown, source = "the deployment"): Deployment {
  const malformed = (what: string) =>
    new ConfigError(`${source} is malformed: ${what}`, "redeploy, or restore the file from version control", {
      parameter: "deployment",
    });
  const value = json as Partial<Deployment> | null;
  if (value === null || typeof value !== "object") throw malformed("not a JSON object");
  if (!Number.isSafeInteger(value.chainId) || (value.chainId ?? 0) <= 0) throw malformed("no chainId");
  const contracts = value.contracts;
  if (contracts === null || typeof contracts !== "object") throw malformed("no contracts");
  const checked: Partial<Record<(typeof DEPLOYED_CONTRACTS)[number], DeployedContract>> = {};
  for (const name of DEPLOYED_CONTRACTS) {
    const c = (contracts as Partial<Record<string, Partial<DeployedContract>>>)[name];
    if (c === undefined) continue;
    let address: Address;
    try {
      address = parseAddress(c.address, `${name}.address`);
    } catch {
      throw malformed(`${name} has no address`);
    }
    if (!Number.isSafeInteger(c.startBlock) || (c.startBlock ?? -1) < 0) throw malformed(`${name} has no startBlock`);
    checked[name] = { address, startBlock: c.startBlock! };
  }
  const registry = checked.AuthorshipRegistry;
  if (!registry) throw malformed("no AuthorshipRegistry");
  return {
    chainId: value.chainId!,
    deployedAt: String(value.deployedAt ?? ""),
    contracts: { ...checked, AuthorshipRegistry: registry },
  };
}
