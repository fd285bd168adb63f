// The Tributary SDK: hashing rules, configuration, keys, every registry action and query, and the auditor's API
// client. Runs natively on Node 22 (erasable TypeScript only), so the CLI and a provider's backend import it as is.
export * from "./api.ts";
export * from "./config.ts";
export * from "./csv.ts";
export * from "./errors.ts";
export * from "./hashing.ts";
export * from "./keys.ts";
export * from "./parse.ts";
export * from "./registry.ts";
export * from "./vault.ts";
