// The SDK's pieces that need no chain: each parser's refusals (named errors carrying the parameter), the kinds'
// one spelling, the dataset root against @openzeppelin/merkle-tree, the revert-message table, the error base class.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { BaseError, toHex, UserRejectedRequestError, type Abi, type Hex } from "viem";

import {
  ConfigError,
  contractError,
  datasetRoot,
  DATASET_LEAF_TYPES,
  ERROR_ABIS,
  hashText,
  InvalidInputError,
  KeyError,
  KINDS,
  kindIndex,
  kindName,
  parseAddress,
  parseAmount,
  parseDeadline,
  parseDeployment,
  parseDuration,
  parseHash,
  parseKind,
  parsePoolId,
  parsePrivateKey,
  parseSigned,
  parseToken,
  parseYesNo,
  REVERT_MESSAGES,
  standardMerkleRoot,
  toTributaryError,
  TributaryError,
  UserRejectedError,
} from "../../sdk/index.ts";

/** Runs `fn`, which must throw; returns what it threw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("it did not throw");
}

function refuses(fn: () => unknown, parameter: string, message: RegExp): InvalidInputError {
  const error = thrown(fn);
  expect(error).to.be.instanceOf(InvalidInputError);
  expect(error).to.be.instanceOf(TributaryError);
  const e = error as InvalidInputError;
  expect(e.parameter).to.equal(parameter);
  expect(e.message).to.match(message);
  expect(e.message.split("\n")).to.have.length(1);
  return e;
}

describe("SDK: parsers", () => {
  it("refuses a malformed address, a mistyped checksum, and returns addresses checksummed", () => {
    refuses(() => parseAddress("0x7099"), "address", /"0x7099" is not an address/);
    refuses(() => parseAddress(42, "to"), "to", /^to "42" is not an address/);
    refuses(() => parseAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79c8", "author"), "author", /fails its checksum/);
    expect(parseAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8")).to.equal(
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    );
  });

  it("refuses a hash that is not 32 bytes of hex", () => {
    refuses(() => parseHash("0x1234", "contributionId"), "contributionId", /is not a content hash/);
    refuses(() => parseHash(`0x${"g".repeat(64)}`), "hash", /is not a content hash/);
    expect(parseHash(`0x${"AB".repeat(32)}`)).to.equal(`0x${"ab".repeat(32)}`);
  });

  it("refuses pool ids, durations, tokens, deadlines and yes/no that are not", () => {
    refuses(() => parsePoolId("0"), "poolId", /"0" is not a pool id/);
    refuses(() => parsePoolId("one", "pool-id"), "pool-id", /^pool-id "one" is not a pool id/);
    expect(parsePoolId(" 7 ")).to.equal(7n);
    refuses(() => parseDuration("an hour"), "duration", /is not a duration/);
    expect(parseDuration("2w")).to.equal(1_209_600);
    refuses(() => parseToken("dollars"), "token", /"dollars" is not an address/);
    expect(parseToken("Eth")).to.equal("0x0000000000000000000000000000000000000000");
    refuses(() => parseDeadline("soon"), "deadline", /"soon" is not a deadline/);
    expect(parseDeadline("30m", 100)).to.equal(1900n);
    refuses(() => parseYesNo("maybe", "trainingConsent"), "trainingConsent", /neither yes nor no/);
  });

  it("refuses amounts in whole tokens that are malformed, too precise or zero", () => {
    refuses(() => parseAmount("1,5", 18), "amount", /"1,5" is not an amount; give a positive number of whole tokens/);
    refuses(() => parseAmount("1.1234567", 6), "amount", /more than the token's 6 decimals/);
    refuses(() => parseAmount("0.0", 6), "amount", /is zero/);
    expect(parseAmount("1.5", 6)).to.equal(1_500_000n);
  });

  it("refuses a malformed private key without repeating it", () => {
    const key = `0x${"z".repeat(64)}`;
    const error = thrown(() => parsePrivateKey(key, "the key"));
    expect(error).to.be.instanceOf(KeyError);
    expect((error as KeyError).message).to.not.include(key);
    expect(parsePrivateKey("AB".repeat(32), "the key")).to.equal(`0x${"ab".repeat(32)}`);
  });

  it("refuses a deployment file without a registry, a chain id or addresses", () => {
    const registry = { address: "0x5fbdb2315678afecb367f032d93f642f64180aa3", startBlock: 1 };
    const cases: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [{ contracts: { AuthorshipRegistry: registry } }, /no chainId/],
      [{ chainId: 1, contracts: {} }, /no AuthorshipRegistry/],
      [{ chainId: 1, contracts: { AuthorshipRegistry: { ...registry, address: "0x12" } } }, /has no address/],
      [{ chainId: 1, contracts: { AuthorshipRegistry: { address: registry.address } } }, /has no startBlock/],
    ];
    for (const [json, message] of cases) {
      const error = thrown(() => parseDeployment(json, "deployments/1.json"));
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).message).to.match(message);
      expect((error as ConfigError).parameter).to.equal("deployment");
    }
    const parsed = parseDeployment({ chainId: 1, deployedAt: "x", contracts: { AuthorshipRegistry: registry } });
    expect(parsed.contracts.AuthorshipRegistry.address).to.equal("0x5FbDB2315678afecb367f032d93F642f64180aa3");
  });

  it("refuses a signed file that is not one", () => {
    refuses(() => parseSigned({ type: "something else" }), "signed", /neither a signed commitment nor/);
    refuses(() => parseSigned({ type: "tributary/signed-registration" }), "signed", /has no registration/);
  });
});

describe("SDK: kinds", () => {
  it("spells kinds as the API does, in the contract's order", () => {
    expect(KINDS).to.deep.equal(["prompt", "correction", "feedback", "dataset", "model_output", "other"]);
    expect(kindIndex("model_output")).to.equal(4);
    expect(kindName(4)).to.equal("model_output");
    expect(parseKind(" Model_Output ")).to.equal("model_output");
    expect(parseKind("3")).to.equal("dataset");
  });

  it("refuses model-output, naming the right spelling, and an unknown kind, naming them all", () => {
    refuses(
      () => parseKind("model-output"),
      "kind",
      /^"model-output" is not a contribution kind; write it model_output$/,
    );
    refuses(
      () => parseKind("poem", "--kind"),
      "--kind",
      /use one of prompt, correction, feedback, dataset, model_output, other/,
    );
    expect(() => kindName(6)).to.throw(InvalidInputError, /unknown contribution kind 6/);
  });
});

describe("SDK: dataset root", () => {
  it("equals @openzeppelin/merkle-tree's StandardMerkleTree root for 1 to 9 files", () => {
    for (let n = 1; n <= 9; n++) {
      const files = Array.from({ length: n }, (_, i) => ({
        path: i % 3 === 0 ? `données/é${i}.txt` : `f${i}.csv`,
        contributionId: hashText(`file ${i}`),
      }));
      const expected = StandardMerkleTree.of(
        files.map((f) => [f.path, f.contributionId]),
        [...DATASET_LEAF_TYPES],
      ).root;
      expect(datasetRoot(files), `${n} files`).to.equal(expected);
    }
  });

  it("equals it for the attester's leaf types too", () => {
    const leaves = [0, 1, 2, 3, 4].map((i) => [toHex(i + 1, { size: 32 }), `0x${"1".repeat(39)}${i}`, i]);
    expect(standardMerkleRoot(["bytes32", "address", "uint8"], leaves)).to.equal(
      StandardMerkleTree.of(leaves, ["bytes32", "address", "uint8"]).root,
    );
  });

  it("refuses a dataset of no file", () => {
    refuses(() => datasetRoot([]), "files", /holds no file/);
  });
});

describe("SDK: errors", () => {
  it("has a message for every custom error of the protocol's ABIs, whose hint names no CLI flag or command", () => {
    const names = ERROR_ABIS.flatMap((abi: Abi) =>
      abi.filter((item) => item.type === "error").map((item) => item.name),
    );
    expect(names.length).to.be.greaterThan(50);
    const missing = names.filter((name) => !(name in REVERT_MESSAGES));
    expect(missing).to.deep.equal([]);
    for (const name of names) {
      const error = contractError(name, {});
      expect(error.hint, name).to.not.match(/--[a-z]|\btributary [a-z]/);
      expect(error.name, name).to.match(/Error$/);
    }
  });

  it("walks its causes like viem's BaseError", () => {
    const root = new Error("socket closed");
    const viem = new BaseError("HTTP request failed", { cause: root });
    const error = new TributaryError("CHAIN", "the node failed", "retry", { cause: viem, parameter: "rpcUrl" });
    expect(error.walk()).to.equal(root);
    expect(error.walk((e) => e instanceof BaseError)).to.equal(viem);
    expect(error.walk((e) => e instanceof TypeError)).to.equal(null);
    expect(error.details).to.equal(viem.shortMessage);
    expect(error.message).to.equal("the node failed; retry");
    expect(error.parameter).to.equal("rpcUrl");
  });

  it("names a request the wallet's owner declined (EIP-1193 code 4001)", () => {
    const declined = new UserRejectedRequestError(new Error("User denied transaction signature."));
    const error = toTributaryError(new BaseError("sending failed", { cause: declined }));
    expect(error).to.be.instanceOf(UserRejectedError);
    expect(error.message).to.equal(
      "the wallet's owner declined the request; nothing was sent; ask again when they are ready",
    );
    expect(error.walk((e) => e instanceof UserRejectedRequestError)).to.equal(declined);
  });

  it("keeps a TributaryError as it is and wraps anything else", () => {
    const error = new InvalidInputError("amount", "bad", "fix it");
    expect(toTributaryError(error)).to.equal(error);
    const wrapped = toTributaryError(new Error("boom"));
    expect(wrapped.code).to.equal("UNEXPECTED");
    expect(wrapped.walk()).to.be.instanceOf(Error);
    const data = "0x" as Hex;
    expect(toTributaryError(new BaseError("x", { details: data })).code).to.equal("CHAIN");
  });
});
