// A relayer submits an author's signed file and pays its gas.
import { decodeFunctionResult, encodeFunctionData, verifyTypedData, type Address, type Hex } from "viem";
import { getCode, readContract } from "viem/actions";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { requireAccount, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { commitTypedData, registerTypedData } from "../../eip712.ts";
import { InvalidInputError, WrongNetworkError } from "../../errors.ts";
import { send, simulate, type TransactionResult } from "../../prepare.ts";
import { computeCommitment, toOnChain } from "../../registration.ts";
import type { SignedCommitment, SignedRegistration } from "../../signed.ts";
import { blockTime, checkRegistrable, registryRequest } from "../internal.ts";
import {
  checkFastForward,
  commitBySig,
  commitmentLifetime,
  getChainTime,
  getCommitment,
  minRevealDelay,
  revealFor,
  waitUntilRevealable,
  type RevealWaitOptions,
} from "./commit.ts";

export interface RelayParameters {
  signed: SignedRegistration | SignedCommitment;
  /** For a signed commitment: how to wait between the commit and the reveal. */
  wait?: RevealWaitOptions;
}
export interface RelayReturnType {
  contributionId: Hex;
  author: Address;
  /** False when the author already had the record: nothing was sent. */
  registered: boolean;
  /** "commit-reveal" for a signed commitment, "direct" for a signed registration. */
  method: "commit-reveal" | "direct";
  /** The transaction that registered (the reveal, or registerBySig); undefined when nothing was sent. */
  transaction: TransactionResult | undefined;
  /** For a signed commitment: the commitBySig sent; undefined when the commitment was live already. */
  commitTransaction: TransactionResult | undefined;
}

/**
 * Checks an account's signature locally: one that does not verify is refused before anything is simulated. A smart
 * wallet's (ERC-1271) does not verify locally and is left to the simulation, which asks the wallet.
 */
async function checkSignature(
  client: TributaryClient,
  author: Address,
  valid: () => Promise<boolean>,
  what: string,
): Promise<void> {
  if (await valid().catch(() => false)) return;
  const code = await attempt(() => getCode(client.publicClient, { address: author }));
  if (code !== undefined && code !== "0x") return;
  throw new InvalidInputError(
    "signature",
    `the signature in the ${what} was not made by ${author}`,
    "ask the author to sign it again",
  );
}

/**
 * Submits an author's signed file, paid by the account (the relayer). A signed commitment is committed
 * (`commitBySig`), then revealed (`revealFor`) once `MIN_REVEAL_DELAY` of chain time has passed: the relay waits
 * for it. Idempotent: a commitment already live is not sent again, and a record the author already has sends
 * nothing. A signed registration is one `registerBySig`.
 */
export async function relay(client: TributaryClient, { signed, wait }: RelayParameters): Promise<RelayReturnType> {
  if (signed.chainId !== client.chainId || signed.registry.toLowerCase() !== client.registry.toLowerCase()) {
    throw new WrongNetworkError(
      `the registration of ${signed.registration.contributionId} was signed for the registry ${signed.registry} on chain ${signed.chainId}, not ${client.registry} on chain ${client.chainId}`,
      "submit it to the network it was signed for, or ask the author to sign it again",
      { parameter: "signed" },
    );
  }
  requireAccount(client);
  const registration = toOnChain(signed.registration);
  const { chainId, registry, author, deadline, signature } = signed;
  const base = { contributionId: registration.contributionId, author };
  if (signed.type === "tributary/signed-registration") {
    await checkSignature(
      client,
      author,
      () =>
        verifyTypedData({
          address: author,
          signature,
          ...registerTypedData({ chainId, registry, registration, author, deadline }),
        }),
      `registration of ${registration.contributionId}`,
    );
    const request = registryRequest(
      client,
      encodeFunctionData({
        abi: authorshipRegistryAbi,
        functionName: "registerBySig",
        args: [registration, author, deadline, signature],
      }),
    );
    const registered = decodeFunctionResult({
      abi: authorshipRegistryAbi,
      functionName: "registerBySig",
      data: await simulate(client, request),
    });
    const transaction = registered ? (await send(client, request)).transaction : undefined;
    return { ...base, registered, method: "direct", transaction, commitTransaction: undefined };
  }

  checkFastForward(client, wait);
  if (computeCommitment(registration, author, signed.salt) !== signed.commitment) {
    throw new InvalidInputError(
      "signed",
      `the signed commitment of ${registration.contributionId} does not hide its registration, author and salt`,
      "ask the author to sign again (`signCommitment`)",
    );
  }
  await checkSignature(
    client,
    author,
    () =>
      verifyTypedData({
        address: author,
        signature,
        ...commitTypedData({ chainId, registry, commitment: signed.commitment, author, deadline }),
      }),
    `commitment to ${registration.contributionId}`,
  );
  const done = { ...base, registered: false, method: "commit-reveal" as const, transaction: undefined };
  const current = await attempt(() =>
    readContract(client.publicClient, {
      address: client.registry,
      abi: authorshipRegistryAbi,
      functionName: "authorOf",
      args: [registration.contributionId],
    }),
  );
  if (current.toLowerCase() === author.toLowerCase()) return { ...done, commitTransaction: undefined };

  let committedAt = await getCommitment(client, author, signed.commitment);
  let commitTransaction: TransactionResult | undefined;
  if (committedAt === 0 || (await getChainTime(client)) > committedAt + (await commitmentLifetime(client))) {
    // Nothing is committed yet: everything the reveal checks is checked first, and the relayer's funds for both.
    const laterGas = await checkRegistrable(client, registration, author);
    commitTransaction = (
      await commitBySig(client, { author, commitment: signed.commitment, deadline, signature, laterGas })
    ).transaction;
    if (commitTransaction) committedAt = await blockTime(client, commitTransaction.blockNumber);
  }
  await waitUntilRevealable(client, committedAt + (await minRevealDelay(client)), wait);
  const revealed = await revealFor(client, { registration: signed.registration, author, salt: signed.salt });
  return {
    ...base,
    registered: revealed.registered,
    method: "commit-reveal",
    transaction: revealed.transaction,
    commitTransaction,
  };
}
