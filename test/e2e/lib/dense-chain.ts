// A dense local chain for backfill tests and benchmarks: thousands of registry events in few blocks, through
// `registerBatch` (256 registrations a transaction), from several authors at once.
import { keccak256, toHex, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import type { LocalClients } from "../../../scripts/lib/chain.ts";
import { rpc } from "../../../scripts/lib/stack.ts";

const BATCH_SIZE = 256;
const ZERO_ADDRESS: Hex = "0x0000000000000000000000000000000000000000";
/** Far above what a batch of 256 uses, and under the 15M gas a transaction may use here. */
const BATCH_GAS = 14_000_000n;
/** Unit changes a setUnits transaction carries (the vault takes up to 512; this keeps it under 15M gas). */
const UNITS_BATCH = 200;
const POOL_DURATION = 30 * 24 * 3600;

export interface Registration {
  contributionId: Hex;
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
  /**
   * Of `events`, how many come from the royalty vault: each author opens an ETH pool (PoolCreated), gives units to
   * its own contributions in batches (UnitsSet each) and pays revenue in between (RevenueDeposited).
   */
  vault?: { address: Hex; events: number };
}

export interface DenseChainReturnType {
  events: number;
  registrations: number;
  transactions: number;
  firstBlock: bigint;
  lastBlock: bigint;
  authors: Hex[];
  gasUsedMax: bigint;
  /** Events from the registry and from the vault. */
  registryEvents: number;
  vaultEvents: number;
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
    const contributionId = keccak256(toHex(`${label} ${n}`));
    const previous = current[current.length - 1];
    const derive = current.length % 8 === 7 && previous !== undefined && events - emitted >= 2;
    current.push({
      contributionId,
      kind: n % 6,
      trainingConsent: n % 3 !== 0,
      parents: derive ? [previous.contributionId] : [],
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

/**
 * Emits `events` events: registry events in batches of 256 registrations, then (with `vault`) pools, units and
 * deposits; each author sends its transactions in turn, authors in parallel.
 */
export async function registerDense(
  clients: LocalClients,
  registry: Hex,
  { events, label, authors: authorCount = 10, vault }: DenseChainParameters,
): Promise<DenseChainReturnType> {
  const accounts = ((await clients.walletClient.getAddresses()) as Hex[]).slice(0, authorCount);
  const vaultEvents = vault?.events ?? 0;
  const perAuthor = plan(events - vaultEvents, label, accounts.length);
  let firstBlock: bigint | undefined;
  let lastBlock = 0n;
  let transactions = 0;
  let registrations = 0;
  let gasUsedMax = 0n;

  type WriteRequest = Parameters<LocalClients["walletClient"]["writeContract"]>[0];
  const send = async (request: Omit<WriteRequest, "chain" | "value"> & { value?: bigint }) => {
    const full = { chain: clients.chain, gas: BATCH_GAS, ...request } as WriteRequest;
    const hash = await clients.walletClient.writeContract(full);
    const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success")
      throw new Error(`${request.functionName} from ${request.account} reverted in ${hash}`);
    if (firstBlock === undefined || receipt.blockNumber < firstBlock) firstBlock = receipt.blockNumber;
    if (receipt.blockNumber > lastBlock) lastBlock = receipt.blockNumber;
    if (receipt.gasUsed > gasUsedMax) gasUsedMax = receipt.gasUsed;
    transactions++;
    return receipt;
  };

  await Promise.all(
    accounts.map(async (account, a) => {
      for (const batch of perAuthor[a]!) {
        await send({
          address: registry,
          abi: authorshipRegistryAbi,
          functionName: "registerBatch",
          args: [batch],
          account,
        });
        registrations += batch.length;
      }
    }),
  );

  if (vault !== undefined && vaultEvents > 0) {
    await Promise.all(
      accounts.map(async (account, a) => {
        const share = Math.floor(vaultEvents / accounts.length) + (a < vaultEvents % accounts.length ? 1 : 0);
        if (share === 0) return;
        const deposits = share >= 3 ? Math.max(1, Math.round(share * 0.05)) : 0;
        // The vault refuses units for a contribution whose author withheld training consent.
        const ids = perAuthor[a]!.flat()
          .filter((registration) => registration.trainingConsent)
          .map((registration) => registration.contributionId);
        const unitChanges = share - 1 - deposits;
        if (unitChanges > ids.length)
          throw new Error(`author ${a} has ${ids.length} contributions, needs ${unitChanges}`);
        const created = await send({
          address: vault.address,
          abi: royaltyVaultAbi,
          functionName: "createPool",
          args: [ZERO_ADDRESS, account, POOL_DURATION, `ipfs://pool-${label}-${a}`],
          account,
        });
        const poolId = BigInt(created.logs[0]!.topics[1]!);
        const chunks: Hex[][] = [];
        for (let i = 0; i < unitChanges; i += UNITS_BATCH)
          chunks.push(ids.slice(i, Math.min(unitChanges, i + UNITS_BATCH)));
        // Deposits spread between the unit batches, so the stream moves while units change.
        const depositsAfter = chunks.map(
          (_, i) => Math.floor(((i + 1) * deposits) / chunks.length) - Math.floor((i * deposits) / chunks.length),
        );
        let paid = 0;
        const deposit = async () => {
          await send({
            address: vault.address,
            abi: royaltyVaultAbi,
            functionName: "deposit",
            args: [poolId, 10n ** 15n],
            value: 10n ** 15n,
            account,
          });
          paid++;
        };
        for (const [i, chunk] of chunks.entries()) {
          await send({
            address: vault.address,
            abi: royaltyVaultAbi,
            functionName: "setUnits",
            args: [poolId, chunk, chunk.map((_, j) => BigInt(1 + ((i * UNITS_BATCH + j) % 100)))],
            account,
          });
          for (let d = 0; d < depositsAfter[i]!; d++) await deposit();
        }
        while (paid < deposits) await deposit();
      }),
    );
  }

  return {
    events,
    registrations,
    transactions,
    firstBlock: firstBlock ?? 0n,
    lastBlock,
    authors: accounts,
    gasUsedMax,
    registryEvents: events - vaultEvents,
    vaultEvents,
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
