// Keys come from an encrypted JSON keystore (Web3 Secret Storage, as geth, ethers and foundry write them) or from
// TRIBUTARY_PRIVATE_KEY (Node entry only). A key is never printed, logged or put in an error message.
import { readFile, writeFile } from "node:fs/promises";

import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";

import { FileError, KeyError, WrongPasswordError } from "./errors.ts";
import { parsePrivateKey } from "./parse.ts";

export interface LoadAccountParameters {
  /** Path of an encrypted JSON keystore; default TRIBUTARY_KEYSTORE. */
  keystore?: string;
  /** The keystore's password; default TRIBUTARY_KEYSTORE_PASSWORD, then `askPassword`. */
  password?: string;
  /** Asks for the password when none is configured (the CLI prompts on a terminal). */
  askPassword?: (file: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
}

export type LoadAccountReturnType = PrivateKeyAccount;

/**
 * The account that signs: the keystore when one is named (option or TRIBUTARY_KEYSTORE), otherwise
 * TRIBUTARY_PRIVATE_KEY. Throws KeyError when neither is configured and WrongPasswordError on a wrong password.
 */
export async function loadAccount(parameters: LoadAccountParameters = {}): Promise<LoadAccountReturnType> {
  const env = parameters.env ?? process.env;
  const keystore = parameters.keystore ?? env.TRIBUTARY_KEYSTORE;
  if (keystore) {
    let json: string;
    try {
      json = await readFile(keystore, "utf8");
    } catch {
      throw new FileError(keystore, `cannot read the keystore ${keystore}`, "check the `keystore` path", {
        parameter: "keystore",
      });
    }
    let password = parameters.password ?? env.TRIBUTARY_KEYSTORE_PASSWORD;
    if (password === undefined) {
      if (!parameters.askPassword) {
        throw new KeyError(
          `no password for the keystore ${keystore}`,
          "give `password` or set TRIBUTARY_KEYSTORE_PASSWORD",
          {
            parameter: "password",
          },
        );
      }
      password = await parameters.askPassword(keystore);
    }
    return privateKeyToAccount(await decryptKeystore(json, password, keystore));
  }
  const key = env.TRIBUTARY_PRIVATE_KEY;
  if (key) return privateKeyToAccount(parsePrivateKey(key, "TRIBUTARY_PRIVATE_KEY"));
  throw new KeyError(
    "no key is configured to sign with",
    "give a `keystore` (`createKeystore` makes one) or set TRIBUTARY_PRIVATE_KEY",
    { parameter: "keystore" },
  );
}

/** Decrypts a JSON keystore and returns its private key. */
export async function decryptKeystore(json: string, password: string, file = "keystore"): Promise<Hex> {
  const { Wallet, isKeystoreJson } = await import("ethers");
  if (!isKeystoreJson(json)) {
    throw new KeyError(`${file} is not an encrypted JSON keystore`, "give a keystore made by `createKeystore`");
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return wallet.privateKey as Hex;
  } catch (error) {
    const { code, argument } = error as { code?: string; argument?: string };
    if (code === "INVALID_ARGUMENT" && argument === "password") throw new WrongPasswordError(file);
    throw new KeyError(`cannot decrypt the keystore ${file}`, "check that the file is a complete keystore");
  }
}

export interface CreateKeystoreParameters {
  /** The key to encrypt; a new random key when omitted. */
  privateKey?: Hex;
  password: string;
  /** Where to write the keystore; it must not exist. */
  file: string;
  /** scrypt cost (N); the default 131072 is the standard; tests use a smaller one. */
  scryptN?: number;
}

export interface CreateKeystoreReturnType {
  address: Hex;
  file: string;
}

/** Encrypts a key (or a new random one) into a JSON keystore file, readable only by its owner. */
export async function createKeystore(parameters: CreateKeystoreParameters): Promise<CreateKeystoreReturnType> {
  if (parameters.password.length === 0) throw new KeyError("the password is empty", "choose a password");
  const { Wallet, encryptKeystoreJson } = await import("ethers");
  const wallet = parameters.privateKey ? new Wallet(parameters.privateKey) : Wallet.createRandom();
  const json = await encryptKeystoreJson(
    { address: wallet.address, privateKey: wallet.privateKey },
    parameters.password,
    parameters.scryptN ? { scrypt: { N: parameters.scryptN } } : {},
  );
  try {
    await writeFile(parameters.file, `${json}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    const exists = (error as NodeJS.ErrnoException).code === "EEXIST";
    throw new FileError(
      parameters.file,
      exists ? `${parameters.file} already exists` : `cannot write ${parameters.file}`,
      exists ? "choose another path; a keystore is never overwritten" : "check the folder",
    );
  }
  return { address: wallet.address as Hex, file: parameters.file };
}
