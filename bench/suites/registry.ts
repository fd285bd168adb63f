// Gas of the AuthorshipRegistry's ways in, side by side in the same run with the Ethereum Attestation Service
// (EAS 1.9.0 from its npm package, deployed by bytecode: its sources pin solc 0.8.29 and this project compiles with
// the one solc the `solc` package ships). Every figure is `gasUsed` from a receipt, in steady state (a warm-up call
// of each kind runs first), on Hardhat's in-process network.
//
//   npx hardhat run bench/suites/registry.ts
//
// The "EVM floor" of a transaction is what no implementation of the same behaviour can avoid:
//   21,000 (intrinsic) + its calldata (4 gas per zero byte, 16 per non-zero byte)
//   + 22,100 per storage slot that must go from zero to non-zero (cold access 2,100 + set 20,000)
//   + its logs (375 + 375 per topic + 8 per data byte), for the events the indexer needs,
//   + 3,000 for the ecrecover precompile where a signature must be checked.
// Everything above it is execution: dispatch, ABI decoding, checks, hashing and memory.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import { createRequire } from "node:module";
import type { ContractTransactionResponse, TransactionReceipt } from "ethers";

import { COMMIT_TYPES, REGISTER_TYPES, registryDomain } from "../../sdk/eip712.ts";
import { record, type Metrics } from "../lib/record.js";

const require = createRequire(import.meta.url);
const easArtifact = require("@ethereum-attestation-service/eas-contracts/artifacts/contracts/EAS.sol/EAS.json");
const schemaRegistryArtifact = require("@ethereum-attestation-service/eas-contracts/artifacts/contracts/SchemaRegistry.sol/SchemaRegistry.json");

const { ethers, networkHelpers } = await network.create();
const signers = await ethers.getSigners();
if (signers.length < 4) throw new Error("the bench needs four accounts");
const [owner, author, relayer, attester] = signers as [
  (typeof signers)[number],
  (typeof signers)[number],
  (typeof signers)[number],
  (typeof signers)[number],
];
const coder = ethers.AbiCoder.defaultAbiCoder();

const SSTORE_SET = 22_100;
const ECRECOVER = 3_000;
const KIND_PROMPT = 0;

let counter = 0n;
/** A fresh, realistic (all bytes random) content hash. */
const nextHash = (): string => ethers.keccak256(ethers.toBeHex(++counter, 32));

async function receiptOf(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null || receipt.status !== 1) throw new Error("bench transaction failed");
  return receipt;
}

/** Intrinsic + calldata + the logs the transaction emitted + the given slots set and ecrecovers. */
async function floorOf(receipt: TransactionReceipt, slotsSet: number, ecrecovers = 0): Promise<number> {
  const tx = await ethers.provider.getTransaction(receipt.hash);
  if (tx === null) throw new Error("transaction not found");
  const data = ethers.getBytes(tx.data);
  let calldata = 0;
  for (const byte of data) calldata += byte === 0 ? 4 : 16;
  let logs = 0;
  for (const log of receipt.logs) logs += 375 + 375 * log.topics.length + 8 * ethers.getBytes(log.data).length;
  return 21_000 + calldata + SSTORE_SET * slotsSet + logs + ECRECOVER * ecrecovers;
}

const pct = (value: number, reference: number): string => {
  const delta = ((value - reference) / reference) * 100;
  return `${delta >= 0 ? "+" : ""}${delta.toFixed(1)}%`;
};
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");

// ---------------------------------------------------------------------------------------------------------------
// Deployments
// ---------------------------------------------------------------------------------------------------------------

const registry = await ethers.deployContract("AuthorshipRegistry", [owner.address]);
await registry.waitForDeployment();
await receiptOf(registry.setAttester(attester.address, true));

const schemaRegistry = await new ethers.ContractFactory(
  schemaRegistryArtifact.abi,
  schemaRegistryArtifact.bytecode,
  owner,
).deploy();
await schemaRegistry.waitForDeployment();
const eas = await new ethers.ContractFactory(easArtifact.abi, easArtifact.bytecode, owner).deploy(
  await schemaRegistry.getAddress(),
);
await eas.waitForDeployment();
const schemaTx = await (
  schemaRegistry.getFunction("register") as (
    schema: string,
    resolver: string,
    revocable: boolean,
  ) => Promise<ContractTransactionResponse>
)("bytes32 contributionId", ethers.ZeroAddress, false);
const schemaReceipt = await schemaTx.wait();
const schemaUid = (schemaReceipt!.logs[0] as unknown as { topics: string[] }).topics[1]!;

const registryAs = (signer: typeof owner) => registry.connect(signer);
const emptyRegistration = (contributionId: string) => ({
  contributionId,
  kind: KIND_PROMPT,
  trainingConsent: true,
  parents: [] as string[],
  uri: "",
});

// ---------------------------------------------------------------------------------------------------------------
// AuthorshipRegistry
// ---------------------------------------------------------------------------------------------------------------

// register: one record (author, kind, time, consent in one slot), empty URI.
await receiptOf(registryAs(author).register(nextHash(), KIND_PROMPT, ""));
const registerReceipt = await receiptOf(registryAs(author).register(nextHash(), KIND_PROMPT, ""));
const registerGas = Number(registerReceipt.gasUsed);
const registerFloor = await floorOf(registerReceipt, 1);

// registerBatch of 100.
const batchOf = (n: number) => Array.from({ length: n }, () => emptyRegistration(nextHash()));
await receiptOf(registryAs(author).registerBatch(batchOf(100)));
const batchReceipt = await receiptOf(registryAs(author).registerBatch(batchOf(100)));
const batchPerItem = Number(batchReceipt.gasUsed) / 100;
const batchFloorPerItem = (await floorOf(batchReceipt, 100)) / 100;

// registerBySig: the author signs, a relayer submits and pays.
const { chainId } = await ethers.provider.getNetwork();
const domain = registryDomain(Number(chainId), (await registry.getAddress()) as `0x${string}`);
const registerTypes = { Register: [...REGISTER_TYPES.Register] };
async function registerBySig(): Promise<TransactionReceipt> {
  const registration = emptyRegistration(nextHash());
  const deadline = BigInt(await networkHelpers.time.latest()) + 3_600n;
  const signature = await author.signTypedData(domain, registerTypes, {
    ...registration,
    author: author.address,
    deadline,
  });
  return receiptOf(registryAs(relayer).registerBySig(registration, author.address, deadline, signature));
}
await registerBySig();
const bySigReceipt = await registerBySig();
const bySigGas = Number(bySigReceipt.gasUsed);
const bySigFloor = await floorOf(bySigReceipt, 1, 1);

// commit, then reveal. The commitment binds the whole registration (computeCommitment, a view: not broadcast).
const commitmentOf = (registration: ReturnType<typeof emptyRegistration>, salt: string) =>
  registry.computeCommitment(registration, author.address, salt);
async function commitReveal(): Promise<TransactionReceipt> {
  const registration = emptyRegistration(nextHash());
  const salt = ethers.hexlify(ethers.randomBytes(32));
  await receiptOf(registryAs(author).commit(await commitmentOf(registration, salt)));
  await networkHelpers.time.increase(60);
  return receiptOf(registryAs(author).reveal(registration, salt));
}
await commitReveal();
const revealReceipt = await commitReveal();
const revealGas = Number(revealReceipt.gasUsed);
// The reveal sets one slot and clears the commitment (a refund the floor leaves out).
const revealFloor = await floorOf(revealReceipt, 1);

// Relayed: the author signs Commit(commitment, author, deadline), a relayer sends commitBySig, then revealFor.
const commitTypes = { Commit: [...COMMIT_TYPES.Commit] };
async function relayedCommitReveal(): Promise<[TransactionReceipt, TransactionReceipt]> {
  const registration = emptyRegistration(nextHash());
  const salt = ethers.hexlify(ethers.randomBytes(32));
  const commitment = await commitmentOf(registration, salt);
  const deadline = BigInt(await networkHelpers.time.latest()) + 3_600n;
  const signature = await author.signTypedData(domain, commitTypes, { commitment, author: author.address, deadline });
  const commitReceipt = await receiptOf(
    registryAs(relayer).commitBySig(author.address, commitment, deadline, signature),
  );
  await networkHelpers.time.increase(60);
  return [commitReceipt, await receiptOf(registryAs(relayer).revealFor(registration, author.address, salt))];
}
await relayedCommitReveal();
const [commitBySigReceipt, revealForReceipt] = await relayedCommitReveal();
const commitBySigGas = Number(commitBySigReceipt.gasUsed);
const commitBySigFloor = await floorOf(commitBySigReceipt, 1, 1);
const revealForGas = Number(revealForReceipt.gasUsed);
const revealForFloor = await floorOf(revealForReceipt, 1);

// anchor one root over 10,000 contributions, then materialize a leaf.
const leaves: [string, string, number][] = Array.from({ length: 10_000 }, (_, i) => [
  nextHash(),
  ethers.getAddress(ethers.dataSlice(ethers.keccak256(ethers.toBeHex(i + 1, 32)), 12)),
  i % 6,
]);
const tree = StandardMerkleTree.of(leaves, ["bytes32", "address", "uint8"]);
const leafUri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
await receiptOf(
  registryAs(attester).anchor(
    StandardMerkleTree.of([leaves[0]!, leaves[1]!], ["bytes32", "address", "uint8"]).root,
    leafUri,
  ),
);
const anchorReceipt = await receiptOf(registryAs(attester).anchor(tree.root, leafUri));
const anchorGas = Number(anchorReceipt.gasUsed);
const anchorFloor = await floorOf(anchorReceipt, 1);

async function materialize(index: number): Promise<TransactionReceipt> {
  const [contributionId, leafAuthor, kind] = leaves[index]!;
  return receiptOf(registryAs(relayer).materialize(tree.root, contributionId, leafAuthor, kind, tree.getProof(index)));
}
await materialize(1);
const materializeReceipt = await materialize(4_242);
const materializeGas = Number(materializeReceipt.gasUsed);
const materializeFloor = await floorOf(materializeReceipt, 1);

// ---------------------------------------------------------------------------------------------------------------
// EAS, same network, same run: an attestation with a bytes32 schema, a timestamp, a multi-attestation of 100.
// ---------------------------------------------------------------------------------------------------------------

const easAs = (signer: typeof owner) => eas.connect(signer) as typeof eas;
const attestationData = (contributionId: string) => ({
  recipient: author.address,
  expirationTime: 0n,
  revocable: false,
  refUID: ethers.ZeroHash,
  data: coder.encode(["bytes32"], [contributionId]),
  value: 0n,
});
async function easAttest(): Promise<TransactionReceipt> {
  return receiptOf(easAs(author).getFunction("attest")({ schema: schemaUid, data: attestationData(nextHash()) }));
}
await easAttest();
const easAttestReceipt = await easAttest();
const easAttestGas = Number(easAttestReceipt.gasUsed);
// EAS stores its attestation over several slots; its floor counts the one slot a record strictly needs, as ours.
const easAttestFloor = await floorOf(easAttestReceipt, 1);

async function easTimestamp(): Promise<TransactionReceipt> {
  return receiptOf(easAs(author).getFunction("timestamp")(nextHash()));
}
await easTimestamp();
const easTimestampReceipt = await easTimestamp();
const easTimestampGas = Number(easTimestampReceipt.gasUsed);
const easTimestampFloor = await floorOf(easTimestampReceipt, 1);

async function easMultiAttest(): Promise<TransactionReceipt> {
  const data = Array.from({ length: 100 }, () => attestationData(nextHash()));
  return receiptOf(easAs(author).getFunction("multiAttest")([{ schema: schemaUid, data }]));
}
await easMultiAttest();
const easMultiReceipt = await easMultiAttest();
const easMultiPerItem = Number(easMultiReceipt.gasUsed) / 100;
const easMultiFloorPerItem = (await floorOf(easMultiReceipt, 100)) / 100;

// ---------------------------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------------------------

const vsFloor = (value: number, floor: number) => `floor ${fmt(floor)} (${pct(value, floor)} above it)`;
const vsEas = (value: number, peer: number, what: string) =>
  `EAS ${what} ${fmt(peer)} (we are ${pct(value, peer)} vs EAS)`;

const metrics: Metrics = {
  "registry.register.gas": {
    value: registerGas,
    unit: "gas",
    note: `target <= 50,000; ${vsFloor(registerGas, registerFloor)}; ${vsEas(registerGas, easAttestGas, "attest")}`,
  },
  "registry.batch100.perItem.gas": {
    value: Math.round(batchPerItem),
    unit: "gas",
    note:
      `target <= 25,000 not reachable with one ContributionRegistered (3 topics, 160 data bytes) per item: ` +
      `22,100 SSTORE + 2,780 LOG3 + 512 for the hash's calldata + 210 of intrinsic = 25,602 under any encoding; ` +
      `${vsFloor(batchPerItem, batchFloorPerItem)} of this encoding; ` +
      `${vsEas(batchPerItem, easMultiPerItem, "multiAttest100/item")}`,
  },
  "registry.registerBySig.gas": {
    value: bySigGas,
    unit: "gas",
    note: `target <= 62,000; ${vsFloor(bySigGas, bySigFloor)} incl. ecrecover; its pending transaction shows the hash; ${vsEas(bySigGas, easAttestGas, "attest")}`,
  },
  "registry.reveal.gas": {
    value: revealGas,
    unit: "gas",
    note: `${vsFloor(revealGas, revealFloor)}; commit costs a further transaction; ${vsEas(revealGas, easAttestGas, "attest")}`,
  },
  "registry.commitBySig.gas": {
    value: commitBySigGas,
    unit: "gas",
    note: `a relayer stores the author's signed commitment; ${vsFloor(commitBySigGas, commitBySigFloor)} incl. ecrecover; with revealFor ${fmt(commitBySigGas + revealForGas)} for a relayed registration nobody can front-run, against ${fmt(bySigGas)} for one registerBySig (${pct(commitBySigGas + revealForGas, bySigGas)})`,
  },
  "registry.revealFor.gas": {
    value: revealForGas,
    unit: "gas",
    note: `anyone reveals the author's commitment a minute later; ${vsFloor(revealForGas, revealForFloor)} (clearing the commitment is refunded); reveal by the author ${fmt(revealGas)}`,
  },
  "registry.anchorLeaf.materialize.gas": {
    value: materializeGas,
    unit: "gas",
    note: `14-level proof; ${vsFloor(materializeGas, materializeFloor)}; ${vsEas(materializeGas, easAttestGas, "attest")}`,
  },
  "registry.anchor10k.perContribution.gas": {
    value: Math.round((anchorGas / 10_000) * 100) / 100,
    unit: "gas",
    note:
      `target <= 10; one anchor ${fmt(anchorGas)} / 10,000; ${vsFloor(anchorGas, anchorFloor)}; ` +
      `EAS timestamp of one root ${fmt(easTimestampGas)} (${pct(anchorGas, easTimestampGas)})`,
  },
  "peer.eas.attest.gas": {
    value: easAttestGas,
    unit: "gas",
    note: `bytes32 schema, no resolver; ${vsFloor(easAttestGas, easAttestFloor)}; registry.register is ${pct(registerGas, easAttestGas)}`,
  },
  "peer.eas.timestamp.gas": {
    value: easTimestampGas,
    unit: "gas",
    note: `${vsFloor(easTimestampGas, easTimestampFloor)}; registry.anchor is ${pct(anchorGas, easTimestampGas)}`,
  },
  "peer.eas.multiAttest100.perItem.gas": {
    value: Math.round(easMultiPerItem),
    unit: "gas",
    note:
      `${vsFloor(easMultiPerItem, easMultiFloorPerItem)}; ` +
      `registry.batch100 is ${pct(batchPerItem, easMultiPerItem)}`,
  },
};

await record("registry", metrics);
