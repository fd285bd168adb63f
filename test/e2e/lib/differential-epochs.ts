// The differential test's epoch part: a seeded random walk over every entry point of AttributionEpochs (pools of ETH,
// a plain and a fee-on-transfer ERC-20; fundings, publications honest and dishonest, vetoes, windows passing, claims
// by authors and keepers, payouts refused and deferred, withdrawals, confirmations, role changes, fees collected),
// and its oracle: at one block, the API's epoch pools, epochs, positions, deferred balances and the epochs part of the
// solvency report against the contract's views at that block. It draws from a PRNG of its own, so the registry and
// vault walk of a seed is drawn the same with or without it.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { erc20Abi, zeroAddress, type Abi, type Hex, type PublicClient } from "viem";

import { attributionEpochsAbi } from "../../../abis/AttributionEpochs.ts";
import type { Mismatch } from "./differential-compare.ts";
import type { Call, Prng } from "./differential.ts";
import { graphqlData } from "./digest.ts";

const ETH: Hex = zeroAddress;
const LEAF_TYPES = ["uint256", "address", "uint256", "bytes32", "uint256", "uint32"];
const STATUS = ["none", "pending", "payable", "superseded", "vetoed"] as const;
const WINDOW = 3600;
const lower = (value: string) => value.toLowerCase() as Hex;
const str = (value: unknown): string =>
  value === null || value === undefined ? "null" : typeof value === "string" ? value : String(value);

export interface EpochDriverParameters {
  epochs: Hex;
  chainId: number;
  reader: PublicClient;
  /** The epoch walk's own PRNG. */
  rng: Prng;
  /** Sends a plan's calls, one block each, skipping one whose simulation reverts; returns how many were mined. */
  execute: (plan: { label: string; calls: Call[] }) => Promise<number>;
  /** Mines an empty block `seconds` after the last. */
  mineEmpty: (seconds: bigint) => Promise<void>;
  /** Every hash the run named (registered or not): the candidates of a leaf. */
  hashes: readonly Hex[];
  /** The registered author of a hash, the zero address when none. */
  authorOf: (hash: Hex) => Promise<Hex>;
  isEoa: (account: Hex) => boolean;
  admins: readonly Hex[];
  publishers: readonly Hex[];
  challengers: readonly Hex[];
  depositors: readonly Hex[];
  keepers: readonly Hex[];
  /** Where a claim may pay: contracts that refuse ETH among them (the payout is then deferred). */
  payees: readonly Hex[];
  /** Contracts that refuse ETH. */
  refusers: readonly Hex[];
  /** The vault's fee recipient now. */
  feeRecipient: () => Promise<Hex>;
  /** The ERC-20 tokens of the walk, each with the ABI its `mint` and `approve` are called through. */
  erc20s: { token: Hex; abi: Abi }[];
  /** Mints to and approves for every depositor; called once by the setup. */
  owner: Hex;
}

interface EpochTree {
  root: Hex;
  tree: StandardMerkleTree<string[]>;
  /** contributionId -> [cumulativeAmount, firstEpoch]. */
  leaves: Map<Hex, [bigint, number]>;
}

interface PoolView {
  token: Hex;
  admin: Hex;
  publisher: Hex;
  challenger: Hex;
  challengeWindow: number;
  reclaimDelay: number;
  createdAt: number;
  closed: boolean;
  epochCount: number;
  payableEpoch: number;
  pendingEpoch: number;
  payableTotal: bigint;
  funded: bigint;
  claimed: bigint;
}

export function epochDriver(p: EpochDriverParameters) {
  const { epochs, reader, rng } = p;
  const read = <T>(functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
    reader.readContract({
      address: epochs,
      abi: attributionEpochsAbi,
      functionName,
      args,
      ...(blockNumber === undefined ? {} : { blockNumber }),
    } as never) as Promise<T>;
  const call = (from: Hex, functionName: string, args: readonly unknown[], value?: bigint): Call => ({
    from,
    to: epochs,
    abi: attributionEpochsAbi as Abi,
    functionName,
    args,
    value,
  });
  const poolOf = async (poolId: bigint, blockNumber?: bigint) => {
    const v = await read<PoolView>("getPool", [poolId], blockNumber);
    return {
      ...v,
      token: lower(v.token),
      admin: lower(v.admin),
      publisher: lower(v.publisher),
      challenger: lower(v.challenger),
    };
  };
  const poolIds = async () => {
    const n = await read<bigint>("poolCount");
    return Array.from({ length: Number(n) }, (_, i) => BigInt(i + 1));
  };
  /** Every tree the walk published, by `poolId-epochId` (a reorg may orphan one: its claims then fail to simulate). */
  const trees = new Map<string, EpochTree>();
  /** Every (pool, contribution) a leaf ever named, for the comparison. */
  const named = new Set<string>();
  const tokens = [ETH, ...p.erc20s.map((t) => t.token)];

  const setupCalls: { label: string; calls: Call[] }[] = [];
  for (const { token, abi } of p.erc20s)
    for (const depositor of p.depositors)
      setupCalls.push({
        label: `setup approve epochs`,
        calls: [
          { from: p.owner, to: token, abi, functionName: "mint", args: [depositor, 10n ** 30n] },
          { from: depositor, to: token, abi, functionName: "approve", args: [epochs, 2n ** 256n - 1n] },
        ],
      });
  for (const [i, token] of tokens.entries())
    setupCalls.push({
      label: `setup epoch pool of ${token.slice(0, 8)}`,
      calls: [
        call(p.admins[i % p.admins.length]!, "createPool", [
          {
            token,
            admin: p.admins[i % p.admins.length]!,
            publisher: p.publishers[0]!,
            challenger: p.challengers[0]!,
            challengeWindow: WINDOW,
            reclaimDelay: i === 1 ? 90 * 86_400 : 0,
            metadataUri: `ipfs://diff-epochs-${i}`,
          },
        ]),
      ],
    });

  async function setup() {
    for (const plan of setupCalls) {
      if ((await p.execute(plan)) !== plan.calls.length)
        throw new Error(`the epoch setup could not send ${plan.label}`);
    }
    // Every pool funded once, so that the first publications have something to attribute.
    for (const [i, token] of tokens.entries()) {
      const amount = token === ETH ? 10n ** 18n : 10n ** 12n;
      const from = p.depositors[i % p.depositors.length]!;
      const funding = {
        label: `setup fund epoch pool ${i + 1}`,
        calls: [call(from, "fund", [BigInt(i + 1), amount], token === ETH ? amount : 0n)],
      };
      if ((await p.execute(funding)) !== 1) throw new Error(`the epoch setup could not send ${funding.label}`);
    }
  }

  /** A publication extending the payable epoch: honest (no cumulative amount lowered) or, sometimes, not. */
  async function publishPlan(poolId: bigint) {
    const pool = await poolOf(poolId);
    if (pool.closed || pool.pendingEpoch !== 0) return null;
    const base = trees.get(`${poolId}-${pool.payableEpoch}`);
    const epochId = pool.epochCount + 1;
    const leaves = new Map(base?.leaves ?? []);
    const budget = pool.funded - pool.payableTotal;
    for (const id of rng.sample(p.hashes, rng.int(1, 3))) {
      const [amount, first] = leaves.get(id) ?? [0n, epochId];
      const step = budget > 4n ? rng.big(0n, budget / 4n) : 0n;
      leaves.set(id, [amount + step, first]);
    }
    if (rng.chance(0.1) && leaves.size > 1) {
      // Dishonest: one contribution's cumulative amount lowered; the contract allows it (only the total is bound) and
      // its pool books keep claims within the funding.
      const [id, [amount, first]] = rng.pick([...leaves.entries()]);
      leaves.set(id, [amount / 2n, first]);
    }
    let total = 0n;
    for (const [amount] of leaves.values()) total += amount;
    if (total < pool.payableTotal) total = pool.payableTotal;
    if (total > pool.funded) return null;
    const values = [...leaves.entries()].map(([id, [amount, first]]) => [
      String(p.chainId),
      epochs,
      poolId.toString(),
      id,
      amount.toString(),
      String(first),
    ]);
    const tree = StandardMerkleTree.of(values, LEAF_TYPES);
    const root = tree.root as Hex;
    trees.set(`${poolId}-${epochId}`, { root, tree, leaves });
    for (const id of leaves.keys()) named.add(`${poolId}-${id}`);
    const tag = (text: string) =>
      `0x${Buffer.from(`${text}-${poolId}-${epochId}`).toString("hex").padEnd(64, "0").slice(0, 64)}` as Hex;
    return {
      label: `publish epoch ${poolId}/${epochId} (${leaves.size} leaves, total ${total})`,
      calls: [
        call(pool.publisher, "publish", [
          poolId,
          {
            root,
            total,
            methodId: tag("method"),
            methodHash: tag("code"),
            modelHash: tag("model"),
            snapshotBlock: BigInt(rng.int(0, 1000)),
            eligibleHash: tag("eligible"),
            usageLogHash: tag("usage"),
            leafFileHash: tag("file"),
            leafFileUri: rng.pick(["", "ipfs://leaves", `https://example.org/${"l".repeat(80)}`]),
            previousEpoch: pool.payableEpoch,
          },
        ]),
      ],
    };
  }

  /** The claims a payable epoch's leaves owe now, with the proofs of its tree. */
  async function owedClaims(poolId: bigint) {
    const pool = await poolOf(poolId);
    const tree = trees.get(`${poolId}-${pool.payableEpoch}`);
    if (pool.payableEpoch === 0 || tree === undefined || pool.closed) return [];
    const owed = [];
    for (const [i, value] of [...tree.tree.entries()]) {
      const id = value[3] as Hex;
      const [amount, first] = tree.leaves.get(id)!;
      const position = await read<{ claimed: bigint }>("positionOf", [poolId, id]);
      if (amount <= position.claimed) continue;
      owed.push({
        author: await p.authorOf(id),
        claim: {
          poolId,
          epochId: pool.payableEpoch,
          contributionId: id,
          cumulativeAmount: amount,
          firstEpoch: first,
          proof: tree.tree.getProof(i) as Hex[],
        },
      });
    }
    return owed.filter((o) => o.author !== zeroAddress);
  }

  type Op = { name: string; weight: number; plan: () => Promise<{ label: string; calls: Call[] } | null> };
  const ops: Op[] = [
    {
      name: "fund",
      weight: 3,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const { token } = await poolOf(poolId);
        const amount = token === ETH ? rng.big(10n ** 12n, 10n ** 18n) : rng.big(1_000n, 10n ** 12n);
        const from = rng.pick(p.depositors);
        return {
          label: `fund epoch pool ${poolId} with ${amount}`,
          calls: [call(from, "fund", [poolId, amount], token === ETH ? amount : 0n)],
        };
      },
    },
    { name: "publish", weight: 3, plan: async () => publishPlan(rng.pick(await poolIds())) },
    {
      name: "veto",
      weight: 1,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const pool = await poolOf(poolId);
        if (pool.pendingEpoch === 0) return null;
        return {
          label: `veto epoch ${poolId}/${pool.pendingEpoch}`,
          calls: [
            call(pool.challenger, "veto", [poolId, pool.pendingEpoch, rng.pick(["inflated leaf", "wrong total", ""])]),
          ],
        };
      },
    },
    {
      name: "wait for the window",
      weight: 2,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const pool = await poolOf(poolId);
        if (pool.pendingEpoch === 0) return null;
        await p.mineEmpty(BigInt(WINDOW + rng.int(0, 30)));
        // The epoch pays now: one of its leaves claimed at once, as its author would.
        const owed = (await owedClaims(poolId)).filter((o) => p.isEoa(o.author));
        if (owed.length === 0) return null;
        const { author, claim } = rng.pick(owed);
        return {
          label: `epoch claim ${poolId}/${claim.contributionId.slice(0, 10)} after the window`,
          calls: [call(author, "claim", [claim, rng.chance(0.4) ? rng.pick(p.refusers) : author])],
        };
      },
    },
    {
      name: "claim",
      weight: 3,
      plan: async () => {
        const owed = (await owedClaims(rng.pick(await poolIds()))).filter((o) => p.isEoa(o.author));
        if (owed.length === 0) return null;
        const { author, claim } = rng.pick(owed);
        // Often a contract that refuses ETH: the payout is then deferred to the author.
        const to = rng.chance(0.4) ? rng.pick(p.refusers) : rng.pick(p.payees);
        return {
          label: `epoch claim ${claim.poolId}/${claim.contributionId.slice(0, 10)} to ${to.slice(0, 8)}`,
          calls: [call(author, "claim", [claim, to])],
        };
      },
    },
    {
      name: "claimFor",
      weight: 2,
      plan: async () => {
        const owed = await owedClaims(rng.pick(await poolIds()));
        if (owed.length === 0) return null;
        const picked = rng.sample(owed, rng.int(1, 3));
        return {
          label: `epoch claimFor of ${picked.length}`,
          calls: [call(rng.pick(p.keepers), "claimFor", [picked.map((o) => o.claim)])],
        };
      },
    },
    {
      name: "withdrawDeferred",
      weight: 1,
      plan: async () => {
        const owed = [];
        for (const account of p.payees.filter(p.isEoa))
          for (const token of tokens)
            if ((await read<bigint>("deferredOf", [account, token])) > 0n) owed.push({ account, token });
        if (owed.length === 0) return null;
        const { account, token } = rng.pick(owed);
        return {
          label: `withdrawDeferred ${token.slice(0, 8)} of ${account.slice(0, 8)}`,
          calls: [call(account, "withdrawDeferred", [token, account])],
        };
      },
    },
    {
      name: "confirmAuthor",
      weight: 1,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const ids = [...named].filter((key) => key.startsWith(`${poolId}-`)).map((key) => key.split("-")[1] as Hex);
        if (ids.length === 0) return null;
        const id = rng.pick(ids);
        const author = await p.authorOf(id);
        if (author === zeroAddress) return null;
        const { admin } = await poolOf(poolId);
        return {
          label: `confirmAuthor ${poolId}/${id.slice(0, 10)}`,
          calls: [call(admin, "confirmAuthor", [poolId, id, author])],
        };
      },
    },
    {
      name: "set role",
      weight: 0.7,
      plan: async () => {
        const poolId = rng.pick(await poolIds());
        const { admin } = await poolOf(poolId);
        return rng.chance(0.5)
          ? {
              label: `setPublisher of ${poolId}`,
              calls: [call(admin, "setPublisher", [poolId, rng.pick(p.publishers)])],
            }
          : {
              label: `setChallenger of ${poolId}`,
              calls: [call(admin, "setChallenger", [poolId, rng.pick(p.challengers)])],
            };
      },
    },
    {
      name: "collectFees",
      weight: 0.5,
      plan: async () => {
        const token = rng.pick(tokens);
        const recipient = await p.feeRecipient();
        if (recipient === zeroAddress) return null;
        return {
          label: `epochs collectFees ${token.slice(0, 8)}`,
          calls: [call(recipient, "collectFees", [token, recipient])],
        };
      },
    },
  ];
  const totalWeight = ops.reduce((sum, op) => sum + op.weight, 0);

  /** One epoch operation: drawn until one applies and is sent (a few tries). */
  async function operate(): Promise<void> {
    for (let tries = 0; tries < 6; tries++) {
      let x = rng.next() * totalWeight;
      const op = ops.find((o) => (x -= o.weight) < 0) ?? ops[0]!;
      const plan = await op.plan();
      if (plan !== null && (await p.execute(plan)) > 0) return;
    }
  }

  /** The API's epoch state against the contract's views at `block`. */
  async function compare(api: string, block: { number: bigint }): Promise<{ mismatches: Mismatch[]; fields: number }> {
    const mismatches: Mismatch[] = [];
    let fields = 0;
    const check = (entity: string, field: string, apiValue: unknown, chainValue: unknown) => {
      fields++;
      if (str(apiValue) !== str(chainValue))
        mismatches.push({ entity, field, api: str(apiValue), chain: str(chainValue) });
    };
    const at = block.number;
    const get = async (route: string) => (await (await fetch(`${api}${route}`)).json()) as Record<string, any>;
    const count = Number(await read<bigint>("poolCount", [], at));
    const list = await get("/epoch-pools?limit=100");
    check("epoch pools", "count", (list.items ?? []).length, count);
    check("epoch pools", "at.blockNumber", list.at?.blockNumber, at);
    const solvency = await get("/audit/solvency");
    const owedByToken = new Map<Hex, bigint>();
    for (let i = 1; i <= count; i++) {
      const poolId = BigInt(i);
      const e = `epoch pool ${poolId}`;
      const chain = await poolOf(poolId, at);
      const mirror = (list.items as Record<string, any>[]).find((row) => row.poolId === String(poolId)) ?? {};
      for (const field of Object.keys(chain) as (keyof PoolView)[]) check(e, field, mirror[field], chain[field]);
      check(e, "replayMismatches", mirror.replayMismatches, 0);
      owedByToken.set(chain.token, (owedByToken.get(chain.token) ?? 0n) + chain.funded - chain.claimed);
      const epochsPage = await get(`/epochs/${poolId}?limit=100`);
      check(e, "epochs listed", (epochsPage.items ?? []).length, Math.min(chain.epochCount, 100));
      for (const item of (epochsPage.items ?? []) as Record<string, any>[]) {
        const [root, publishedAt, status] = await read<[Hex, number, number]>("epochOf", [poolId, item.epochId], at);
        const ee = `epoch ${poolId}/${item.epochId}`;
        check(ee, "root", item.manifest?.root, root);
        check(ee, "publishedAt", item.publishedAt, publishedAt);
        check(ee, "status", item.status, STATUS[status]);
      }
    }

    // Positions of every (pool, contribution) a leaf named, and every deferred balance, through GraphQL.
    const data = await graphqlData<{
      epochPositions: { items: { id: string; claimed: string; confirmedAt: string | null }[] };
      epochDeferredBalances: { items: { token: string; account: string; amount: string }[] };
    }>(
      api,
      `{ epochPositions(limit: 1000) { items { id claimed confirmedAt } }
         epochDeferredBalances(limit: 1000) { items { token account amount } } }`,
    );
    const positions = new Map(data.epochPositions.items.map((row) => [row.id, row]));
    for (const key of named) {
      const [poolId, id] = key.split("-") as [string, Hex];
      if (BigInt(poolId) > BigInt(count)) continue;
      const chain = await read<{ claimed: bigint; confirmedAt: number }>("positionOf", [BigInt(poolId), id], at);
      const row = positions.get(key);
      check(`epoch position ${key}`, "claimed", row?.claimed ?? "0", chain.claimed);
      check(`epoch position ${key}`, "confirmedAt", row?.confirmedAt ?? "0", chain.confirmedAt);
    }
    const deferred = new Map(
      data.epochDeferredBalances.items.map((row) => [`${row.token}-${row.account}`, row.amount]),
    );
    for (const account of p.payees)
      for (const token of tokens) {
        const chain = await read<bigint>("deferredOf", [account, token], at);
        check(`epoch deferred ${token}-${account}`, "amount", deferred.get(`${token}-${account}`) ?? "0", chain);
      }

    // The solvency report's epochs part, per token, against the contract's totals and balances at the block.
    check("solvency", "epochs.at.blockNumber", solvency.at?.blockNumber, at);
    const reported = new Map<string, any>(((solvency.epochs?.tokens ?? []) as any[]).map((t) => [lower(t.token), t]));
    for (const token of tokens) {
      const [deferredOwed, feesOwed] = await read<[bigint, bigint]>("tokenTotals", [token], at);
      const owed = owedByToken.get(token) ?? 0n;
      const report = reported.get(token);
      if (report === undefined) {
        if (owed + deferredOwed + feesOwed > 0n)
          check(`epochs token ${token}`, "in the solvency report", "absent", "present");
        continue;
      }
      const balance =
        token === ETH
          ? await reader.getBalance({ address: epochs, blockNumber: at })
          : await reader.readContract({
              address: token,
              abi: erc20Abi,
              functionName: "balanceOf",
              args: [epochs],
              blockNumber: at,
            });
      const e = `epochs token ${token}`;
      check(e, "balance", report.balance, balance);
      check(e, "breakdown.pools", report.breakdown?.pools, owed);
      check(e, "breakdown.deferredOwed", report.breakdown?.deferredOwed, deferredOwed);
      check(e, "breakdown.feesOwed", report.breakdown?.feesOwed, feesOwed);
      check(e, "solvent", report.solvent, balance >= owed + deferredOwed + feesOwed);
    }
    return { mismatches, fields };
  }

  return { setup, operate, compare };
}
