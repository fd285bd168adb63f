// Shared by the end-to-end suites: sending transactions from the node's unlocked accounts (each one awaited, checked
// successful, the last block remembered so the test can wait for the indexer to reach it), and tearing down.
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";

import type { Abi, Hex } from "viem";

import type { LocalClients } from "../../../scripts/lib/chain.ts";
import { rpc } from "../../../scripts/lib/stack.ts";

export function transactor(clients: LocalClients, rpcUrl: string) {
  let lastBlock = 0n;
  return {
    async send(account: Hex, address: Hex, abi: Abi, functionName: string, args: readonly unknown[], value = 0n) {
      const hash = await clients.walletClient.writeContract({
        address,
        abi,
        functionName,
        args,
        account,
        value,
      } as never);
      const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      assert.equal(receipt.status, "success", `${functionName} succeeded`);
      lastBlock = receipt.blockNumber;
      return receipt;
    },
    /** Moves the chain's clock on by `seconds` and mines a block. */
    async tick(seconds: number) {
      await rpc(rpcUrl, "evm_increaseTime", [seconds]);
      await rpc(rpcUrl, "evm_mine");
    },
    get lastBlock() {
      return lastBlock;
    },
  };
}

/** Stops what a suite started (the indexer before the node it reads) and removes its temporary folders. */
export async function teardown({
  indexer,
  node,
  deploymentsDir,
}: {
  indexer?: { stop(): Promise<void>; pgliteDir: string | undefined };
  node?: { stop(): Promise<void> };
  deploymentsDir?: string;
}) {
  await indexer?.stop();
  await node?.stop();
  if (indexer?.pgliteDir) await rm(indexer.pgliteDir, { recursive: true, force: true });
  if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
}
