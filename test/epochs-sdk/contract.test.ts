// The SDK's epochs against AttributionEpochs itself: a leaf file built by buildEpoch is published with its manifest,
// and every leaf is claimed with the proof getProof cuts from the file; a second epoch over the first pays the
// difference of the cumulative amounts.
import { expect } from "chai";
import { keccak256, stringToHex, type Address, type Hex } from "viem";

import {
  buildEpoch,
  getProof,
  readAttribution,
  readLeafFile,
  type EpochLeaf,
  type EpochManifest,
} from "../../sdk/epochs/index.ts";
import { methodSourceBytes } from "../../sdk/epochs/files.ts";
import { deployEpochs } from "../epochs/fixtures.ts";

const WINDOW = 3 * 86_400;
const id = (name: string) => keccak256(stringToHex(name));
const use = (contributionId: Hex, weight: number) =>
  `${JSON.stringify({ contributionId, weight, time: 1764590400 })}\n`;

describe("epochs SDK: leaf files that AttributionEpochs pays", function () {
  this.timeout(120_000);

  it("pays every leaf of a built epoch with its proof, then the difference of a second epoch", async function () {
    const { ethers, networkHelpers, owner, provider, author, challenger, registry, vault, epochs, usdc } =
      await deployEpochs();
    const contract = (await epochs.getAddress()) as Address;
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    await epochs.connect(provider).createPool({
      token: await usdc.getAddress(),
      admin: provider.address,
      publisher: provider.address,
      challenger: challenger.address,
      challengeWindow: WINDOW,
      reclaimDelay: 0,
      metadataUri: "",
    });
    const names = Array.from({ length: 11 }, (_, i) => `prompt ${i}`);
    await registry
      .connect(author)
      .registerBatch(
        names.map((name) => ({ contributionId: id(name), kind: 0, trainingConsent: true, parents: [], uri: "" })),
      );
    const encoder = new TextEncoder();
    const methodSource = await methodSourceBytes();

    const publish = async (manifest: EpochManifest, amount: bigint) => {
      await epochs.connect(provider).fund(1n, amount);
      await networkHelpers.time.increase(1);
      await epochs.connect(provider).publish(1n, { ...manifest });
      await networkHelpers.time.increase(WINDOW + 1);
    };
    const claimAll = async (epochId: number, leafFile: Uint8Array, claimed: readonly string[]) => {
      for (const name of claimed) {
        const proof = await getProof({ chunks: [leafFile], source: "leaves", contributionId: id(name) });
        const claim = {
          poolId: 1n,
          epochId,
          contributionId: proof.contributionId,
          cumulativeAmount: proof.cumulativeAmount,
          firstEpoch: proof.firstEpoch,
          proof: proof.proof,
        };
        await epochs.connect(author).claim(claim, author.address);
      }
    };

    const firstLog = names.map((name, i) => use(id(name), i + 1)).join("");
    const first = buildEpoch({
      domain: { chainId, contract, poolId: 1n },
      epochId: 1,
      amount: 1_000_003n,
      attribution: await readAttribution({ input: "usage", chunks: [encoder.encode(firstLog)], source: "log" }),
      snapshotBlock: BigInt(await ethers.provider.getBlockNumber()),
      isEligible: () => true,
      methodSource,
    });
    await publish(first.manifest, 1_000_003n);
    await claimAll(1, first.leafFile, names);
    expect(await usdc.balanceOf(author.address)).to.equal(1_000_003n);

    const leaves: EpochLeaf[] = [];
    const { header } = await readLeafFile({
      chunks: [first.leafFile],
      source: "leaves",
      onLeaf: (leaf) => leaves.push(leaf),
    });
    const secondLog = names
      .slice(0, 5)
      .map((name) => use(id(name), 7))
      .join("");
    const second = buildEpoch({
      domain: { chainId, contract, poolId: 1n },
      epochId: 2,
      amount: 500_000n,
      attribution: await readAttribution({ input: "usage", chunks: [encoder.encode(secondLog)], source: "log" }),
      previous: { header, leaves },
      snapshotBlock: BigInt(await ethers.provider.getBlockNumber()),
      isEligible: () => true,
      methodSource,
    });
    await publish(second.manifest, 500_000n);
    // Only the five contributions this epoch attributed have more to claim; the others' leaves carry over.
    await claimAll(2, second.leafFile, names.slice(0, 5));
    expect(await usdc.balanceOf(author.address)).to.equal(1_500_003n);
  });
});
