// Attribution epochs, off-chain: the leaf encoding and tree AttributionEpochs checks, the method usage-share-v1,
// the usage log, scores and leaf file formats (docs/epoch-files.md), proofs, and the consent snapshot. Every module
// here is pure and browser-safe; reading and writing files lives in ./files.ts (Node only), imported separately.
export * from "./build.ts";
export * from "./consent.ts";
export * from "./keccak.ts";
export * from "./leaf.ts";
export * from "./leaf-file.ts";
export * from "./lines.ts";
export * from "./manifest-file.ts";
export * from "./proof.ts";
export * from "./proof-source.ts";
export * from "./tree.ts";
export * from "./usage-log.ts";
export * from "./usage-share.ts";
export * from "./verify.ts";
export * from "./published.ts";
