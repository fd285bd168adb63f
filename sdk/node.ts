// The SDK's Node entry: everything of the main entry, plus what needs Node's file system: keys from keystores and
// the environment, text files, files' bytes and dataset folders hashed, the deployments folder, an attester's tree.
export * from "./index.ts";
export * from "./anchorTree.ts";
export * from "./config.ts";
export * from "./files.ts";
export * from "./keys.ts";
