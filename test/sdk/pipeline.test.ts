// The SDK's one write path against Hardhat's in-process chain, through viem's custom transport: a simulated revert
// becomes the contract error's class with its message and nothing is sent; an account that cannot pay is refused
// before sending; a write's result is decoded from the ABI; the connection checks its chain and deployment.
import { expect } from "chai";
import { network } from "hardhat";
import { custom, parseEther, type Address, type EIP1193Provider } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getTransactionCount } from "viem/actions";

import {
  ContractRevertError,
  claim,
  connect,
  createPool,
  deposit,
  ETH,
  getPool,
  getRecord,
  hashText,
  InsufficientFundsError,
  KeyError,
  prepareClaim,
  register,
  relay,
  setUnits,
  signRegistration,
  TributaryError,
  withAccount,
  WrongNetworkError,
  type Deployment,
  type TributaryClient,
} from "../../sdk/index.ts";

// Hardhat's first development accounts.
const OWNER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const AUTHOR_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

async function stack() {
  const { ethers, networkHelpers, provider } = await network.create();
  const [owner] = await ethers.getSigners();
  const registry = await ethers.deployContract("AuthorshipRegistry", [owner!.address]);
  const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner!.address]);
  const startBlock = await ethers.provider.getBlockNumber();
  const deployment: Deployment = {
    chainId: 31337,
    deployedAt: new Date(0).toISOString(),
    contracts: {
      AuthorshipRegistry: { address: (await registry.getAddress()) as Address, startBlock },
      RoyaltyVault: { address: (await vault.getAddress()) as Address, startBlock },
    },
  };
  const transport = custom(provider as EIP1193Provider);
  const reader = await connect({ transport, deployment });
  const as = (key: `0x${string}`) => withAccount(reader, privateKeyToAccount(key), transport);
  const nonce = (client: TributaryClient) =>
    getTransactionCount(client.publicClient, { address: client.account!.address });
  return { reader, transport, deployment, as, nonce, networkHelpers };
}

describe("SDK: one client, one write path", () => {
  it("decodes a simulated revert into the contract error's class, and sends nothing", async () => {
    const { as, nonce } = await stack();
    const author = as(AUTHOR_KEY);
    const other = as(OWNER_KEY);
    const contributionId = hashText("a prompt registered twice");
    await register(author, { contributionId, kind: "prompt", direct: true });
    const before = await nonce(other);
    let caught: unknown;
    try {
      await register(other, { contributionId, kind: "prompt", direct: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(ContractRevertError);
    const error = caught as ContractRevertError;
    expect(error).to.be.instanceOf(TributaryError);
    expect(error.name).to.equal("AlreadyRegisteredError");
    expect(error.errorName).to.equal("AuthorshipRegistry_AlreadyRegistered");
    expect(error.parameter).to.equal("contributionId");
    expect(error.shortMessage).to.equal(
      `the hash ${contributionId} is already registered to ${author.account!.address}`,
    );
    expect(error.message).to.equal(`${error.shortMessage}; ${error.hint}`);
    // walk() follows the causes down to viem's error, and finds a named one on the way.
    expect(error.walk((e) => (e as Error).name === "CallExecutionError")).to.not.equal(null);
    expect(error.walk()).to.not.equal(error);
    expect(error.details).to.be.a("string");
    expect(await nonce(other)).to.equal(before);
  });

  it("refuses, before sending, an account that cannot pay the gas", async () => {
    const { as, nonce } = await stack();
    const broke = as(generatePrivateKey());
    let caught: unknown;
    try {
      await register(broke, { contributionId: hashText("no ether"), kind: "prompt", direct: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(InsufficientFundsError);
    expect((caught as InsufficientFundsError).balance).to.equal(0n);
    expect((caught as InsufficientFundsError).parameter).to.equal("account");
    expect(await nonce(broke)).to.equal(0);
  });

  it("needs an account to write, and names the parameter", async () => {
    const { reader } = await stack();
    let caught: unknown;
    try {
      await register(reader, { contributionId: hashText("who"), kind: "prompt", direct: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(KeyError);
    expect((caught as KeyError).parameter).to.equal("account");
  });

  it("checks the chain and the deployment at connect", async () => {
    const { transport, deployment } = await stack();
    const wrongChain = await connect({ transport, deployment, chainId: 1 }).catch((error: unknown) => error);
    expect(wrongChain).to.be.instanceOf(WrongNetworkError);
    expect((wrongChain as WrongNetworkError).parameter).to.equal("chainId");
    const nowhere = `0x${"12".repeat(20)}` as Address;
    const noCode = await connect({
      transport,
      deployment: { ...deployment, contracts: { AuthorshipRegistry: { address: nowhere, startBlock: 0 } } },
    }).catch((error: unknown) => error);
    expect(noCode).to.be.instanceOf(WrongNetworkError);
    expect((noCode as WrongNetworkError).shortMessage).to.match(/no AuthorshipRegistry at 0x1212/);
  });

  it("commits and reveals by default, returning the record's date", async () => {
    const { as, reader } = await stack();
    const author = as(AUTHOR_KEY);
    const contributionId = hashText("a secret prompt");
    const result = await register(author, { contributionId, kind: "model_output", wait: { fastForward: true } });
    expect(result.method).to.equal("commit-reveal");
    const record = await getRecord(reader, contributionId);
    expect(record?.kind).to.equal("model_output");
    expect(record?.registeredAt).to.equal(result.registeredAt);
  });

  it("relays a signed registration paid by another account", async () => {
    const { as, reader } = await stack();
    const signed = await signRegistration(as(AUTHOR_KEY), {
      registration: { contributionId: hashText("relayed"), kind: "feedback" },
      deadline: 2n ** 40n,
    });
    const relayed = await relay(as(OWNER_KEY), { signed });
    expect(relayed.registered).to.equal(true);
    expect((await getRecord(reader, signed.registration.contributionId))?.author).to.equal(signed.author);
  });

  it("decodes what a write returns and reads the pool it made, then pays it out", async () => {
    const { as, reader, networkHelpers } = await stack();
    const provider = as(OWNER_KEY);
    const author = as(AUTHOR_KEY);
    const { poolId } = await createPool(provider, { token: ETH, duration: 3600 });
    expect(poolId).to.equal(1n);
    expect((await getPool(reader, poolId)).duration).to.equal(3600);
    const contributionId = hashText("paid");
    await register(author, { contributionId, kind: "prompt", direct: true });
    await setUnits(provider, { poolId, entries: [{ contributionId, units: 1n }] });
    const paid = await deposit(provider, { poolId, amount: parseEther("1") });
    expect(paid.token.symbol).to.equal("ETH");
    await networkHelpers.time.increase(1800);
    const claimed = await claim(author, { poolIds: [poolId], contributionIds: [contributionId] });
    expect(claimed.claimed).to.have.length(1);
    expect(claimed.claimed[0]!.amount > 0n).to.equal(true);
  });

  it("prepares a claim (pairs, gas) without sending it, then sends it once; one that owes nothing is refused by name", async () => {
    const { as, nonce, networkHelpers } = await stack();
    const provider = as(OWNER_KEY);
    const author = as(AUTHOR_KEY);
    const { poolId } = await createPool(provider, { token: ETH, duration: 3600 });
    const [owed, idle] = [hashText("owed"), hashText("holds no units")];
    await register(author, { contributionId: owed, kind: "prompt", direct: true });
    await register(author, { contributionId: idle, kind: "prompt", direct: true });
    await setUnits(provider, { poolId, entries: [{ contributionId: owed, units: 1n }] });
    await deposit(provider, { poolId, amount: parseEther("1") });
    await networkHelpers.time.increase(1800);

    const before = await nonce(author);
    const prepared = await prepareClaim(author, { poolIds: [poolId], contributionIds: [owed, idle] });
    expect(prepared.gas > 21_000n).to.equal(true);
    expect(prepared.claiming).to.deep.equal([{ poolId, contributionId: owed }]);
    expect(prepared.skipped).to.deep.equal([{ poolId, contributionId: idle, reason: "nothing owed" }]);
    expect(await nonce(author)).to.equal(before, "nothing is sent before `send`");
    const sent = await prepared.send();
    expect(sent.claimed.map((c) => c.contributionId)).to.deep.equal([owed]);
    expect(await nonce(author)).to.equal(before + 1);

    const error = await prepareClaim(author, { poolIds: [poolId], contributionIds: [idle] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ContractRevertError);
    expect((error as ContractRevertError).code).to.equal("RoyaltyVault_NothingToClaim");
    expect(await nonce(author)).to.equal(before + 1);
  });
});
