// What the API reads from the chain rather than from the tables: the indexer's settings (once), and a contract's
// balance of a token at one block, for the solvency report.
import { createPublicClient, erc20Abi, http, type PublicClient } from "viem";

import { loadSettings } from "../../config.ts";
import type { Hex } from "./http.ts";

const ETH: Hex = "0x0000000000000000000000000000000000000000";

// Read once: the deployment file and the environment do not change while the API runs.
let loaded: ReturnType<typeof loadSettings> | undefined;
export const indexerSettings = () => (loaded ??= loadSettings());

let chainClient: PublicClient | undefined;
function chain(): PublicClient {
  chainClient ??= createPublicClient({ transport: http(indexerSettings().rpcUrl) });
  return chainClient;
}

/** `holder`'s balance of `token` (the zero address: ETH) at `blockNumber`, or why it could not be read. */
export async function balanceAt(
  token: Hex,
  holder: Hex,
  blockNumber: bigint,
  who: string,
): Promise<{ balance: bigint; balanceError: null } | { balance: null; balanceError: string }> {
  try {
    const balance =
      token === ETH
        ? await chain().getBalance({ address: holder, blockNumber })
        : await chain().readContract({
            address: token,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [holder],
            blockNumber,
          });
    return { balance, balanceError: null };
  } catch (error) {
    return {
      balance: null,
      balanceError: `could not read the ${who}'s balance from the chain: ${(error as Error).message.split("\n")[0]}`,
    };
  }
}
