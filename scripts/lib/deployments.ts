import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Deployment } from "../../sdk/deployment.ts";

export type { DeployedContract, Deployment } from "../../sdk/deployment.ts";

/** The folder holding `<chainId>.json` files; `TRIBUTARY_DEPLOYMENTS_DIR` moves it (tests use a folder of their own). */
export function deploymentsDir(): string {
  return path.resolve(
    process.env.TRIBUTARY_DEPLOYMENTS_DIR ?? path.join(import.meta.dirname, "..", "..", "deployments"),
  );
}

export function deploymentPath(chainId: number): string {
  return path.join(deploymentsDir(), `${chainId}.json`);
}

/** Writes the deployment file atomically, so a reader never sees half of it. */
export async function writeDeployment(deployment: Deployment): Promise<string> {
  const file = deploymentPath(deployment.chainId);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(deployment, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}

export async function readDeployment(chainId: number): Promise<Deployment> {
  const file = deploymentPath(chainId);
  try {
    return JSON.parse(await readFile(file, "utf8")) as Deployment;
  } catch (error) {
    throw new Error(`No deployment for chain ${chainId} at ${file}: deploy first (npm run deploy).`, { cause: error });
  }
}
