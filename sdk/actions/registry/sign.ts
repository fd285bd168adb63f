// An author's signatures (EIP-712) for a relayer to submit: nothing is sent and no ether is needed. With a browser
// wallet the wallet signs (eth_signTypedData_v4); with a local account the key signs.
import { encodeFunctionData, type Hex } from "viem";
import { signTypedData } from "viem/actions";

import { authorshipRegistryAbi } from "../../../abis/AuthorshipRegistry.ts";
import { requireAccount, type TributaryClient } from "../../client.ts";
import { attempt } from "../../contractErrors.ts";
import { commitTypedData, registerTypedData } from "../../eip712.ts";
import { parseHash } from "../../parse.ts";
import { simulate } from "../../prepare.ts";
import { computeCommitment, fromOnChain, randomSalt, toOnChain, type Registration } from "../../registration.ts";
import type { SignedCommitment, SignedRegistration } from "../../signed.ts";
import { registryRequest } from "../internal.ts";

export interface SignRegistrationParameters {
  registration: Registration;
  /** Unix seconds after which the signature is void. */
  deadline: bigint;
}
export type SignRegistrationReturnType = SignedRegistration;

/**
 * Signs a registration with the account, for a relayer to submit in one transaction (`registerBySig`). For content
 * already public: `signCommitment` is the way for anything else.
 */
export async function signRegistration(
  client: TributaryClient,
  parameters: SignRegistrationParameters,
): Promise<SignRegistrationReturnType> {
  const { account, walletClient } = requireAccount(client);
  const registration = toOnChain(parameters.registration);
  const signature = await attempt(() =>
    signTypedData(walletClient, {
      account,
      ...registerTypedData({
        chainId: client.chainId,
        registry: client.registry,
        registration,
        author: account.address,
        deadline: parameters.deadline,
      }),
    }),
  );
  return {
    type: "tributary/signed-registration",
    version: 1,
    chainId: client.chainId,
    registry: client.registry,
    author: account.address,
    deadline: parameters.deadline,
    registration: fromOnChain(registration),
    signature,
  };
}

export interface SignCommitmentParameters {
  registration: Registration;
  /** Unix seconds after which the commit signature is void (the reveal follows within a day of the commit). */
  deadline: bigint;
  /** A 32-byte secret; a random one when omitted. */
  salt?: Hex;
}
export type SignCommitmentReturnType = SignedCommitment;

/**
 * Signs (EIP-712 `Commit`) a commitment to a registration with the account, for a relayer to commit and reveal.
 * The registration is checked against the chain first (hash, kind, parents, an existing record), so that a relayer
 * is never handed a registration bound to fail.
 */
export async function signCommitment(
  client: TributaryClient,
  parameters: SignCommitmentParameters,
): Promise<SignCommitmentReturnType> {
  const { account, walletClient } = requireAccount(client);
  const registration = toOnChain(parameters.registration);
  await simulate(
    client,
    registryRequest(
      client,
      encodeFunctionData({ abi: authorshipRegistryAbi, functionName: "registerContribution", args: [registration] }),
    ),
    account.address,
  );
  const salt = parameters.salt ? parseHash(parameters.salt, "salt") : randomSalt();
  const commitment = computeCommitment(registration, account.address, salt);
  const signature = await attempt(() =>
    signTypedData(walletClient, {
      account,
      ...commitTypedData({
        chainId: client.chainId,
        registry: client.registry,
        commitment,
        author: account.address,
        deadline: parameters.deadline,
      }),
    }),
  );
  return {
    type: "tributary/signed-commitment",
    version: 1,
    chainId: client.chainId,
    registry: client.registry,
    author: account.address,
    deadline: parameters.deadline,
    commitment,
    salt,
    registration: fromOnChain(registration),
    signature,
  };
}
