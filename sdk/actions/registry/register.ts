// Registering contributions with the account as their author: by default commit, wait, reveal (safe from a copier
// watching pending transactions); directly, or many at once, for content already public.
import { encodeFunctionData, type Hex } from "viem";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { requireAccount, type TributaryClient } from "../../client.ts";
import { send, type TransactionResult } from "../../prepare.ts";
import { toOnChain, type Registration } from "../../registration.ts";
import { blockTime, registryRequest } from "../internal.ts";
import { checkFastForward, commit, reveal, waitUntilRevealable, type RevealWaitOptions } from "./commit.ts";

export interface RegisterParameters extends Registration {
  /**
   * Registers in one transaction (`registerContribution`), for content that is already public: the pending
   * transaction shows the hash, and whoever watches the mempool can copy it into a registration of their own that
   * lands first. Default false: commit, wait until the reveal is allowed (`MIN_REVEAL_DELAY` of chain time), reveal.
   */
  direct?: boolean;
  /** The commitment's 32-byte secret; a random one when omitted. */
  salt?: Hex;
  /** How to wait between the commit and the reveal. */
  wait?: RevealWaitOptions;
}
export interface RegisterReturnType extends TransactionResult {
  contributionId: Hex;
  /** "commit-reveal" (two transactions, the default) or "direct" (one). The transaction fields are the registering one's. */
  method: "commit-reveal" | "direct";
  /** Unix seconds the record is dated at: the commitment's block for a commit and reveal. */
  registeredAt: number;
  /** The commitment and the transaction that stored it; undefined for a direct registration. */
  commit: { commitment: Hex; committedAt: number; transaction: TransactionResult } | undefined;
}

/**
 * Registers one contribution with the account as its author. By default in two transactions that nobody watching
 * pending transactions can take advantage of: a commitment that hides the whole registration, then, once
 * `MIN_REVEAL_DELAY` (60 s) of chain time has passed, its reveal, which dates the record at the commitment (a copy
 * registered in between is superseded). `direct: true` sends one `registerContribution` instead.
 *
 * Everything the reveal checks (hash, kind, parents, an existing record) and the gas of both transactions are
 * checked before the commit is sent.
 */
export async function register(client: TributaryClient, parameters: RegisterParameters): Promise<RegisterReturnType> {
  requireAccount(client);
  const registration = toOnChain(parameters);
  if (parameters.direct) {
    const { transaction } = await send(
      client,
      registryRequest(
        client,
        encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "registerContribution", args: [registration] }),
      ),
    );
    return {
      contributionId: registration.contributionId,
      method: "direct",
      registeredAt: await blockTime(client, transaction.blockNumber),
      commit: undefined,
      ...transaction,
    };
  }
  checkFastForward(client, parameters.wait);
  const committed = await commit(client, { registration: parameters, salt: parameters.salt });
  const { transactionHash, blockNumber, gasUsed, from, commitment, committedAt, revealableAt, salt } = committed;
  await waitUntilRevealable(client, revealableAt, parameters.wait);
  const revealed = await reveal(client, { registration: parameters, salt });
  return {
    ...revealed,
    method: "commit-reveal",
    registeredAt: committedAt,
    commit: { commitment, committedAt, transaction: { transactionHash, blockNumber, gasUsed, from } },
  };
}

export interface RegisterBatchParameters {
  registrations: readonly Registration[];
}
export interface RegisterBatchReturnType extends TransactionResult {
  contributionIds: Hex[];
}

/**
 * Registers many contributions in one transaction, all or nothing. Like a direct `register`, the pending
 * transaction shows every hash: for content that is already public.
 */
export async function registerBatch(
  client: TributaryClient,
  parameters: RegisterBatchParameters,
): Promise<RegisterBatchReturnType> {
  const registrations = parameters.registrations.map(toOnChain);
  const { transaction } = await send(
    client,
    registryRequest(
      client,
      encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "registerBatch", args: [registrations] }),
    ),
  );
  return { contributionIds: registrations.map((r) => r.contributionId), ...transaction };
}
