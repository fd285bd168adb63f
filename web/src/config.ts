// The app's settings, read at start from config.json beside the page: the indexer API's URL, the node's JSON-RPC
// URL, the chain id and the protocol's deployment on that chain (the file scripts/deploy.ts writes). The same
// static build serves any chain: only config.json changes.
import { parseDeployment, type Deployment } from "../../sdk/index.ts";

export interface AppConfig {
  apiUrl: string;
  rpcUrl: string;
  chainId: number;
  deployment: Deployment;
}

/** Reads and checks config.json; throws an Error whose message says what is wrong with it. */
export async function loadConfig(url = "./config.json"): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (error) {
    throw new Error(`the app's configuration (${url}) could not be read: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`the app's configuration (${url}) answered HTTP ${response.status}`);
  let json: Record<string, unknown>;
  try {
    json = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new Error(`the app's configuration (${url}) is not JSON`);
  }
  for (const key of ["apiUrl", "rpcUrl"] as const) {
    if (typeof json[key] !== "string" || !/^https?:\/\//.test(json[key])) {
      throw new Error(`the app's configuration has no valid "${key}" (an http or https URL)`);
    }
  }
  const chainId = json.chainId;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new Error(`the app's configuration has no valid "chainId" (a positive whole number)`);
  }
  const deployment = parseDeployment(json.deployment, "the app's configuration's deployment");
  if (deployment.chainId !== chainId) {
    throw new Error(`the app's deployment is for chain ${deployment.chainId}, and its chainId is ${chainId}`);
  }
  return { apiUrl: json.apiUrl as string, rpcUrl: json.rpcUrl as string, chainId, deployment };
}
