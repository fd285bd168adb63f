// Escrow: royalties of a hash the pool made public before anyone registered it wait until a record old enough, or
// one the pool's admin confirmed, may claim them.
import { encodeFunctionData, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { royaltyVaultAbi } from "../../../abis/RoyaltyVault.ts";
import { requireVault, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { parseAddress, parseHash } from "../../parse.ts";
import { prepare, type TransactionResult } from "../../prepare.ts";
import { getClaimable } from "./claim.ts";
import { getPool } from "./pool.ts";

/** A contribution's escrow in a pool, and whether its registered author may claim now. */
export interface EscrowState {
  poolId: bigint;
  contributionId: Hex;
  /** Whether the pool gave the hash units while nobody had registered it: its claims follow the escrow rule. */
  escrowed: boolean;
  /** Unix seconds at which the pool made the unregistered hash public; 0 when not escrowed. */
  exposedAt: number;
  /** The date (`registeredAt`) of the record the pool's admin confirmed; 0 when none. */
  confirmedAt: number;
  /** The registered author now; null when nobody has registered the hash. */
  author: Address | null;
  /** The date of the author's record, in Unix seconds; null when unregistered. */
  registeredAt: number | null;
  /**
   * Whether the registered author may claim under the escrow rule: true when not escrowed, or when the record is
   * dated before the exposure or is the one the admin confirmed.
   */
  canClaim: boolean;
  /** What the contribution can claim from the pool now, in the token's smallest unit. */
  claimable: bigint;
}

/**
 * Whether the contribution's registered author may claim from the pool now under the escrow rule (the vault's
 * canClaim): false for an escrowed position whose record is newer than the pool's exposure and unconfirmed, or
 * whose hash nobody registered.
 */
export async function canClaim(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<boolean> {
  const args = [poolId, parseHash(contributionId, "contributionId")] as const;
  return attempt(() =>
    readContract(client.publicClient, {
      address: requireVault(client),
      abi: royaltyVaultAbi,
      functionName: "canClaim",
      args,
    }),
  );
}

/** A contribution's escrow in a pool, read from the chain. Throws PoolNotFoundError for an unknown pool. */
export async function getEscrow(client: TributaryClient, poolId: bigint, contributionId: Hex): Promise<EscrowState> {
  const id = parseHash(contributionId, "contributionId");
  await getPool(client, poolId);
  const vault = { address: requireVault(client), abi: royaltyVaultAbi, args: [poolId, id] } as const;
  const [[position], escrow, allowed, claimable, record] = await Promise.all([
    attempt(() => readContract(client.publicClient, { ...vault, functionName: "positionOf" })),
    attempt(() => readContract(client.publicClient, { ...vault, functionName: "escrowOf" })),
    canClaim(client, poolId, id),
    getClaimable(client, poolId, id),
    attempt(() =>
      readContract(client.publicClient, {
        address: client.registry,
        abi: authorshipRegistryAbi,
        functionName: "getRecord",
        args: [id],
      }),
    ),
  ]);
  const registered = record.author !== zeroAddress;
  return {
    poolId,
    contributionId: id,
    escrowed: position.escrowed,
    exposedAt: Number(escrow.exposedAt),
    confirmedAt: Number(escrow.confirmedAt),
    author: registered ? record.author : null,
    registeredAt: registered ? Number(record.registeredAt) : null,
    canClaim: allowed,
    claimable,
  };
}

export interface ConfirmAuthorParameters {
  poolId: bigint;
  /** The escrowed contribution. */
  contributionId: Hex;
  /** The wallet the admin checked: it must be the registered author now. */
  author: Address;
}
export interface ConfirmAuthorReturnType {
  poolId: bigint;
  contributionId: Hex;
  author: Address;
  /** The date of the record confirmed, in Unix seconds: a transfer of authorship keeps it, a supersession does not. */
  registeredAt: number;
  /** False when the admin had confirmed this very record already: nothing was sent. */
  confirmed: boolean;
  transaction: TransactionResult | undefined;
}

/**
 * Confirms, as the pool's admin, that the registered record of an escrowed contribution is its true author's, so
 * that it can claim the royalties that waited in escrow although its record is newer than the pool's exposure of the
 * hash. Check who the author is before confirming: anyone who read the hash in the pool's events could have
 * registered it. Refused (nothing sent) for someone else's pool (NotPoolAdmin), a position that holds no escrow
 * (NotEscrowed) or a wallet that is not the registered author (AuthorMismatch).
 */
export async function confirmAuthor(
  client: TributaryClient,
  parameters: ConfirmAuthorParameters,
): Promise<ConfirmAuthorReturnType> {
  const { poolId } = parameters;
  const contributionId = parseHash(parameters.contributionId, "contributionId");
  const author = parseAddress(parameters.author, "author");
  const prepared = await prepare(client, {
    to: requireVault(client),
    data: encodeFunctionData({
      abi: royaltyVaultAbi,
      functionName: "confirmAuthor",
      args: [poolId, contributionId, author],
    }),
  });
  const escrow = await getEscrow(client, poolId, contributionId);
  const result = { poolId, contributionId, author, registeredAt: escrow.registeredAt ?? 0 };
  if (escrow.confirmedAt !== 0 && escrow.confirmedAt === escrow.registeredAt) {
    return { ...result, confirmed: false, transaction: undefined };
  }
  const { transaction, logs } = await prepared.send();
  const [confirmed] = parseEventLogs({ abi: royaltyVaultAbi, logs, eventName: "AuthorConfirmed" });
  return {
    ...result,
    registeredAt: confirmed ? Number(confirmed.args.registeredAt) : result.registeredAt,
    confirmed: true,
    transaction,
  };
}
