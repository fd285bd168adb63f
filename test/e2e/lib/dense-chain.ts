// A dense local chain for backfill tests and benchmarks: thousands of registry events in few blocks, through
// `registerBatch` (256 registrations a transaction), from several authors at once.
import { keccak256, toHex, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import type { LocalClients } from "../../../scripts/lib/chain.ts";
import { rpc } from "../../../scripts/lib/stack.ts";

const BATCH_SIZE = 256;
/** Far above what a batch of 256 uses, and under the 15M gas a transaction may use here. */
const BATCH_GAS = 14_000_000n;

export interface Registration {
  contentHash: Hex;
  kind: number;
  trainingConsent: boolean;
  parents: readonly Hex[];
  uri: string;
}

export interface DenseChainParameters {
  /** How many registry events (ContributionRegistered + ContributionDerived) to emit in total. */
  events: number;
  /** Distinct text mixed into every content hash, so two runs on one chain never collide. */
  label: string;
  /** How many of the node's unlocked accounts register (each one is an author); 1 to 20. */
  authors?: number;
}

export interface DenseChainReturnType {
  events: number;
  registrations: number;
  transactions: number;
  firstBlock: bigint;
  lastBlock: bigint;
  authors: Hex[];
  gasUsedMax: bigint;
}

/**
 * The registrations of one author's batches: one in eight names the registration just before it (in the same
 * batch) as its parent, which adds a ContributionDerived event; kinds, consent and URIs vary.
 */
function plan(events: number, label: string, authorCount: number): Registration[][][] {
  const batches: Registration[][] = [];
  let emitted = 0;
  let current: Registration[] = [];
  let n = 0;
  while (emitted < events) {
    const contentHash = keccak256(toHex(`${label} ${n}`));
    const previous = current[current.length - 1];
    const derive = current.length % 8 === 7 && previous !== undefined && events - emitted >= 2;
    current.push({
      contentHash,
      kind: n % 6,
      trainingConsent: n % 3 !== 0,
      parents: derive ? [previous.contentHash] : [],
      uri: n % 4 === 0 ? `ipfs://bafy${n.toString(36)}` : "",
    });
    emitted += derive ? 2 : 1;
    n++;
    if (current.length === BATCH_SIZE) {
      batches.push(current);
      current = [];
    }
  }
  if (current.length > 0) batches.push(current);
  const perAuthor: Registration[][][] = Array.from({ length: authorCount }, () => []);
  batches.forEach((batch, i) => perAuthor[i % authorCount]!.push(batch));
  return perAuthor;
}

/** Emits `events` registry events in batches of 256 registrations, each author sending its batches in turn. */
export async function registerDense(
  clients: LocalClients,
  registry: Hex,
  { events, label, authors: authorCount = 10 }: DenseChainParameters,
): Promise<DenseChainReturnType> {
  const accounts = ((await clients.walletClient.getAddresses()) as Hex[]).slice(0, authorCount);
  const perAuthor = plan(events, label, accounts.length);
  let firstBlock: bigint | undefined;
  let lastBlock = 0n;
  let transactions = 0;
  let registrations = 0;
  let gasUsedMax = 0n;

  await Promise.all(
    accounts.map(async (account, a) => {
      for (const batch of perAuthor[a]!) {
        const hash = await clients.walletClient.writeContract({
          address: registry,
          abi: authorshipRegistryAbi,
          functionName: "registerBatch",
          args: [batch],
          account,
          chain: clients.chain,
          gas: BATCH_GAS,
        });
        const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
        if (receipt.status !== "success") throw new Error(`registerBatch from ${account} reverted in ${hash}`);
        if (firstBlock === undefined || receipt.blockNumber < firstBlock) firstBlock = receipt.blockNumber;
        if (receipt.blockNumber > lastBlock) lastBlock = receipt.blockNumber;
        if (receipt.gasUsed > gasUsedMax) gasUsedMax = receipt.gasUsed;
        transactions++;
        registrations += batch.length;
      }
    }),
  );
  return {
    events,
    registrations,
    transactions,
    firstBlock: firstBlock ?? 0n,
    lastBlock,
    authors: accounts,
    gasUsedMax,
  };
}

/**
 * Mines `count` empty blocks one `evm_mine` at a time, so each block chains onto the one before (`hardhat_mine`
 * with a large count does not, and Ponder then sees an unrecoverable reorg). Ponder treats chain 31337 as final 30
 * blocks behind the head: mining 31 or more puts everything before them in its backfill.
 */
export async function mineBlocks(rpcUrl: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await rpc(rpcUrl, "evm_mine");
}

/** The block the node is at now. */
export async function headBlock(rpcUrl: string): Promise<bigint> {
  return BigInt(await rpc<string>(rpcUrl, "eth_blockNumber"));
}
