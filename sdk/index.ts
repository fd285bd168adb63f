// The Tributary SDK's main entry, for a browser as much as for Node: one client (`connect`), every action of the
// registry, the vault and the attribution epochs, the hashing rules, EIP-712 types, kinds, the deployment file's type, errors with their
// messages, and the indexer's API client. It imports no Node built-in (a test bundles it for the browser); key
// files, file and folder hashing and the deployments folder are in the Node entry, sdk/node.ts.
export * from "./actions/epochs/claim.ts";
export * from "./actions/epochs/deferred.ts";
export * from "./actions/epochs/fund.ts";
export * from "./actions/epochs/pool.ts";
export * from "./actions/epochs/proofs.ts";
export * from "./actions/epochs/publish.ts";
export * from "./actions/epochs/read.ts";
export * from "./actions/registry/anchor.ts";
export * from "./actions/registry/author.ts";
export * from "./actions/registry/commit.ts";
export * from "./actions/registry/read.ts";
export * from "./actions/registry/register.ts";
export * from "./actions/registry/relay.ts";
export * from "./actions/registry/sign.ts";
export * from "./actions/vault/claim.ts";
export * from "./actions/vault/deferred.ts";
export * from "./actions/vault/deposit.ts";
export * from "./actions/vault/escrow.ts";
export * from "./actions/vault/pool.ts";
export * from "./actions/vault/units.ts";
export * from "./api.ts";
export * from "./client.ts";
export * from "./contractErrors.ts";
export * from "./csv.ts";
export * from "./deployment.ts";
export * from "./eip712.ts";
export * from "./epochs/manifest-file.ts";
export * from "./errors.ts";
export * from "./hashing.ts";
export * from "./kinds.ts";
export * from "./merkle.ts";
export * from "./parse.ts";
export * from "./prepare.ts";
export * from "./registration.ts";
export * from "./signed.ts";
export * from "./tokens.ts";
