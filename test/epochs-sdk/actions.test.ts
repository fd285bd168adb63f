// The SDK's typed actions for AttributionEpochs against Hardhat's in-process chain, through viem's custom transport:
// a pool opened, an epoch built, funded and published with its leaf file checked first, claims from a leaf file's
// proofs (one, a keeper's, and claimAll with a vault pool in one transaction), a veto, the reads, and each refusal:
// a named error and nothing sent.
import { expect } from "chai";
import { network } from "hardhat";
import { custom, parseEther, type Address, type EIP1193Provider } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { getBlockNumber, getTransactionCount } from "viem/actions";

import {
  claimAll,
  claimEpoch,
  claimEpochFor,
  ConfigError,
  connect,
  ContractRevertError,
  createEpochPool,
  createPool,
  deposit,
  ETH,
  getEpoch,
  getEpochClaimable,
  getEpochPool,
  getEpochPosition,
  getEpochPublication,
  fundEpochPool,
  getPayableEpoch,
  hashText,
  InsufficientFundsError,
  InvalidInputError,
  publishEpoch,
  reclaimUnclaimed,
  register,
  setUnits,
  vetoEpoch,
  withAccount,
  withdrawEpochDeferred,
  type Deployment,
  type TributaryClient,
} from "../../sdk/index.ts";
import {
  buildEpoch,
  leafFileProofs,
  readAttribution,
  readLeafFile,
  type BuildEpochReturnType,
} from "../../sdk/epochs/index.ts";
import { methodSourceBytes } from "../../sdk/epochs/files.ts";

const KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  alice: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bob: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  provider: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  challenger: "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
} as const;
type Who = keyof typeof KEYS;
const WINDOW = 3600;

async function stack() {
  const { ethers, networkHelpers, provider } = await network.create();
  const [owner] = await ethers.getSigners();
  const registry = await ethers.deployContract("AuthorshipRegistry", [owner!.address]);
  const vault = await ethers.deployContract("RoyaltyVault", [await registry.getAddress(), owner!.address]);
  const epochs = await ethers.deployContract("AttributionEpochs", [
    await registry.getAddress(),
    await vault.getAddress(),
  ]);
  const startBlock = await ethers.provider.getBlockNumber();
  const at = async (c: { getAddress(): Promise<string> }) => ({
    address: (await c.getAddress()) as Address,
    startBlock,
  });
  const deployment: Deployment = {
    chainId: 31337,
    deployedAt: new Date(0).toISOString(),
    contracts: {
      AuthorshipRegistry: await at(registry),
      RoyaltyVault: await at(vault),
      AttributionEpochs: await at(epochs),
    },
  };
  const transport = custom(provider as EIP1193Provider);
  const reader = await connect({ transport, deployment });
  const as = (who: Who) => withAccount(reader, privateKeyToAccount(KEYS[who]), transport);
  const nonce = (who: Who) =>
    getTransactionCount(reader.publicClient, { address: privateKeyToAccount(KEYS[who]).address });
  return { reader, transport, deployment, as, nonce, networkHelpers, ethers };
}

async function rejects(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("it did not throw");
}

const alicePrompt = hashText("alice's prompt, used three times");
const bobCorrection = hashText("bob's correction, used once");

/** A leaf file read as publishEpoch takes it. */
const readFile = async (bytes: Uint8Array, source: string) => ({
  ...(await readLeafFile({ chunks: [bytes], source })),
  source,
});

async function epoch(client: TributaryClient, epochId: number, previous?: BuildEpochReturnType) {
  const log = [alicePrompt, alicePrompt, alicePrompt, bobCorrection]
    .map((contributionId) => `${JSON.stringify({ contributionId, weight: 1, time: 1764583200 })}\n`)
    .join("");
  return buildEpoch({
    domain: { chainId: client.chainId, contract: client.epochs!, poolId: 1n },
    epochId,
    amount: parseEther("1"),
    attribution: await readAttribution({ input: "usage", chunks: [new TextEncoder().encode(log)], source: "log" }),
    previous: previous && { header: previous.header, leaves: [] },
    snapshotBlock: 1n,
    isEligible: () => true,
    methodSource: await methodSourceBytes(),
  });
}

describe("SDK: attribution epochs' actions", function () {
  this.timeout(120_000);

  it("finds a publication mined just after the client last read the block number", async () => {
    // viem keeps a client's block number for its polling interval; a publication read must not stop at a kept one.
    const { as, transport, deployment } = await stack();
    const reader = await connect({ transport, deployment, pollingInterval: 60_000 });
    const provider = as("provider");
    await createEpochPool(provider, {
      token: ETH,
      challenger: privateKeyToAccount(KEYS.challenger).address,
      challengeWindow: WINDOW,
    });
    const built = await epoch(provider, 1);
    const kept = await getBlockNumber(reader.publicClient);
    const published = await publishEpoch(provider, {
      poolId: 1n,
      manifest: built.manifest,
      leafFile: await readFile(built.leafFile, "epoch-1.txt"),
      fund: parseEther("1"),
    });
    expect(published.blockNumber > kept).to.equal(true);
    const publication = await getEpochPublication(reader, 1n, 1);
    expect(publication?.manifest).to.deep.equal(built.manifest);
  });

  it("publishes a funded epoch, pays it after its window from a leaf file's proofs, and claims it with a vault pool in one transaction", async () => {
    const { as, nonce, networkHelpers } = await stack();
    await register(as("alice"), { contributionId: alicePrompt, kind: "prompt", direct: true });
    await register(as("bob"), { contributionId: bobCorrection, kind: "correction", direct: true });
    const provider = as("provider");
    const pool = await createEpochPool(provider, {
      token: ETH,
      challenger: privateKeyToAccount(KEYS.challenger).address,
      challengeWindow: WINDOW,
    });
    expect(pool.poolId).to.equal(1n);
    expect(pool.publisher).to.equal(provider.account!.address);

    const first = await epoch(provider, 1);
    const leafFile = { bytes: first.leafFile, source: "epoch-1.txt" };
    const published = await publishEpoch(provider, {
      poolId: 1n,
      manifest: first.manifest,
      leafFile: await readFile(first.leafFile, "epoch-1.txt"),
      fund: parseEther("1"),
    });
    expect(published.epochId).to.equal(1);
    expect(published.funding?.funded).to.equal(parseEther("1"));
    expect((await getEpoch(provider, 1n, 1)).status).to.equal("pending");
    const publication = await getEpochPublication(provider, 1n, 1);
    expect(publication?.manifest).to.deep.equal(first.manifest);
    expect(publication?.acceptableAt).to.equal(published.acceptableAt);

    const { proofs } = await leafFileProofs({ files: [leafFile] });
    const alice = as("alice");
    const before = await nonce("alice");
    const early = await rejects(() => claimEpoch(alice, { poolId: 1n, contributionId: alicePrompt, proofs }));
    expect(early).to.be.instanceOf(ContractRevertError);
    expect((early as ContractRevertError).errorName).to.equal("AttributionEpochs_ChallengeWindowOpen");
    expect(await nonce("alice")).to.equal(before);

    await networkHelpers.time.increase(WINDOW + 1);
    expect(await getPayableEpoch(provider, 1n)).to.equal(1);
    const leaf = (await proofs({ poolId: 1n, epochId: 1, contributionId: alicePrompt }))!;
    expect(
      await getEpochClaimable(provider, { poolId: 1n, epochId: 1, contributionId: alicePrompt, ...leaf }),
    ).to.equal(parseEther("0.75"));

    // A vault pool that owes alice too: one transaction claims both.
    const vaultPool = await createPool(provider, { token: ETH, duration: 3600 });
    await setUnits(provider, { poolId: vaultPool.poolId, entries: [{ contributionId: alicePrompt, units: 1n }] });
    await deposit(provider, { poolId: vaultPool.poolId, amount: parseEther("1") });
    await networkHelpers.time.increase(600);
    const all = await claimAll(alice, {
      epochClaims: [{ poolId: 1n, contributionId: alicePrompt }],
      proofs,
      vaultPoolIds: [vaultPool.poolId],
      vaultContributionIds: [alicePrompt],
    });
    expect(all.claimed.map((c) => c.amount)).to.deep.equal([parseEther("0.75")]);
    expect(all.vault.claimed).to.have.length(1);
    expect(all.vault.claimed[0]!.amount > 0n).to.equal(true);
    expect((await getEpochPosition(alice, 1n, alicePrompt)).claimed).to.equal(parseEther("0.75"));

    // Claimed already: the simulation's refusal, nothing sent.
    const sent = await nonce("alice");
    const again = await rejects(() => claimEpoch(alice, { poolId: 1n, contributionId: alicePrompt, proofs }));
    expect((again as ContractRevertError).errorName).to.equal("AttributionEpochs_NothingToClaim");
    expect(await nonce("alice")).to.equal(sent);

    // A keeper pays bob's leaf to bob.
    const kept = await claimEpochFor(as("owner"), { claims: [{ poolId: 1n, contributionId: bobCorrection }], proofs });
    expect(kept.claimed[0]!.recipient).to.equal(privateKeyToAccount(KEYS.bob).address);
    expect(kept.claimed[0]!.amount).to.equal(parseEther("0.25"));
  });

  it("refuses a publication before sending: not the publisher, underfunded, a mismatched manifest or leaf file", async () => {
    const { as, nonce } = await stack();
    const provider = as("provider");
    await createEpochPool(provider, { token: ETH, challenger: provider.account!.address, challengeWindow: WINDOW });
    const built = await epoch(provider, 1);
    const before = await Promise.all([nonce("alice"), nonce("provider")]);
    const stranger = await rejects(() =>
      publishEpoch(as("alice"), { poolId: 1n, manifest: built.manifest, fund: parseEther("1") }),
    );
    expect((stranger as ContractRevertError).errorName).to.equal("AttributionEpochs_NotPublisher");
    const short = await rejects(() => publishEpoch(provider, { poolId: 1n, manifest: built.manifest }));
    expect((short as ContractRevertError).errorName).to.equal("AttributionEpochs_Underfunded");
    const builtFile = await readFile(built.leafFile, "epoch-1.txt");
    const edited = await rejects(() =>
      publishEpoch(provider, {
        poolId: 1n,
        manifest: { ...built.manifest, total: 1n },
        leafFile: builtFile,
        fund: parseEther("1"),
      }),
    );
    expect(edited).to.be.instanceOf(InvalidInputError);
    expect((edited as InvalidInputError).message).to.match(/was not built with this leaf file: its total 1/);
    const unknown = await rejects(() => publishEpoch(provider, { poolId: 7n, manifest: built.manifest }));
    expect((unknown as ContractRevertError).errorName).to.equal("AttributionEpochs_PoolNotFound");
    const other = buildEpoch({
      domain: { chainId: 31337, contract: `0x${"12".repeat(20)}`, poolId: 1n },
      epochId: 1,
      amount: 5n,
      attribution: await readAttribution({
        input: "usage",
        chunks: [new TextEncoder().encode(`${JSON.stringify({ contributionId: alicePrompt, weight: 1, time: 0 })}\n`)],
        source: "log",
      }),
      snapshotBlock: 1n,
      isEligible: () => true,
      methodSource: await methodSourceBytes(),
    });
    const otherFile = await readFile(other.leafFile, "other.txt");
    const foreign = await rejects(() =>
      publishEpoch(provider, {
        poolId: 1n,
        manifest: other.manifest,
        leafFile: otherFile,
        fund: 5n,
      }),
    );
    expect((foreign as InvalidInputError).parameter).to.equal("leafFile");
    const foreignProofs = await rejects(() =>
      leafFileProofs({
        files: [{ bytes: other.leafFile, source: "other.txt" }],
        domain: { chainId: 31337, contract: provider.epochs! },
      }),
    );
    expect((foreignProofs as InvalidInputError).parameter).to.equal("leaves");
    expect(await Promise.all([nonce("alice"), nonce("provider")])).to.deep.equal(before);
  });

  it("vetoes a pending epoch, which never pays; refuses a stranger's veto, an empty reason, and the epoch pools' other refusals", async () => {
    const { as, nonce } = await stack();
    await register(as("alice"), { contributionId: alicePrompt, kind: "prompt", direct: true });
    const provider = as("provider");
    const challenger = as("challenger");
    await createEpochPool(provider, {
      token: ETH,
      challenger: challenger.account!.address,
      challengeWindow: WINDOW,
    });
    const built = await epoch(provider, 1);
    await publishEpoch(provider, { poolId: 1n, manifest: built.manifest, fund: parseEther("1") });
    const stranger = await rejects(() => vetoEpoch(as("alice"), { poolId: 1n, epochId: 1, reason: "no" }));
    expect((stranger as ContractRevertError).errorName).to.equal("AttributionEpochs_NotChallenger");
    const empty = await rejects(() => vetoEpoch(challenger, { poolId: 1n, epochId: 1, reason: "  " }));
    expect((empty as InvalidInputError).parameter).to.equal("reason");
    const veto = await vetoEpoch(challenger, { poolId: 1n, epochId: 1, reason: "double-counted usage" });
    expect(veto.acceptedEpoch).to.equal(0);
    expect((await getEpoch(provider, 1n, 1)).status).to.equal("vetoed");
    expect((await getEpochPool(provider, 1n)).payableEpoch).to.equal(0);
    const { proofs } = await leafFileProofs({ files: [{ bytes: built.leafFile, source: "epoch-1.txt" }] });
    const vetoed = await rejects(() =>
      claimEpoch(as("alice"), { poolId: 1n, epochId: 1, contributionId: alicePrompt, proofs }),
    );
    expect((vetoed as ContractRevertError).errorName).to.equal("AttributionEpochs_EpochVetoed");
    const none = await rejects(() => claimEpoch(as("alice"), { poolId: 1n, contributionId: alicePrompt, proofs }));
    expect((none as InvalidInputError).parameter).to.equal("poolId");
    const noDeferred = await rejects(() => withdrawEpochDeferred(as("alice"), { token: ETH }));
    expect((noDeferred as ContractRevertError).errorName).to.equal("Payouts_NoDeferred");
    const reclaim = await rejects(() => reclaimUnclaimed(provider, { poolId: 1n }));
    expect((reclaim as ContractRevertError).errorName).to.equal("AttributionEpochs_ReclaimDisabled");
    expect(await nonce("alice")).to.equal(1);
  });

  it("funds an ERC-20 epoch pool and deposits into an ERC-20 vault pool, approving exactly the amount when short", async () => {
    const { as, ethers } = await stack();
    const provider = as("provider");
    const usdc = await ethers.deployContract("DemoToken", ["USD Coin", "USDC", 6]);
    const token = (await usdc.getAddress()) as Address;
    await usdc.mint(provider.account!.address, 5_000_000n);
    await createEpochPool(provider, { token, challenger: provider.account!.address, challengeWindow: WINDOW });
    const funded = await fundEpochPool(provider, { poolId: 1n, amount: 2_000_000n });
    expect(funded.approval).to.not.equal(undefined);
    expect(funded.funded).to.equal(2_000_000n);
    expect(funded.token.symbol).to.equal("USDC");
    const vaultPool = await createPool(provider, { token, duration: 3600 });
    const deposited = await deposit(provider, { poolId: vaultPool.poolId, amount: 1_000_000n });
    expect(deposited.approval).to.not.equal(undefined);
    const short = await rejects(() => fundEpochPool(provider, { poolId: 1n, amount: 10_000_000n }));
    expect(short).to.be.instanceOf(InsufficientFundsError);
    expect((short as InsufficientFundsError).message).to.match(/USDC to fund epoch pool 1/);
    expect((await getEpochPool(provider, 1n)).funded).to.equal(2_000_000n);
  });

  it("needs AttributionEpochs in the deployment: a ConfigError naming it", async () => {
    const { transport, deployment } = await stack();
    const { AttributionEpochs: _, ...contracts } = deployment.contracts;
    const reader = await connect({ transport, deployment: { ...deployment, contracts } });
    const client = withAccount(reader, privateKeyToAccount(KEYS.provider), transport);
    const error = await rejects(() => createEpochPool(client, { token: ETH, challengeWindow: WINDOW }));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).message).to.match(/has no AttributionEpochs contract/);
    expect((error as ConfigError).parameter).to.equal("deployment");
  });
});
