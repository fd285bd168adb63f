// Small pieces every page uses: how a failure is worded (the SDK's own messages), amounts in a token's symbol and
// decimals, dates, short hashes, and a notice that screen readers announce.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

import {
  ETH_INFO,
  TributaryError,
  UserRejectedError,
  formatAmount,
  getTokenInfo,
  toTributaryError,
  type TokenInfo,
  type TributaryApi,
  type TributaryClient,
} from "../../sdk/index.ts";
import { walletErrorCode } from "./wallet.ts";

export interface Described {
  /** A refusal by the wallet's owner: nothing happened, nothing to fix. */
  calm: boolean;
  text: string;
}

/** A failure as a person reads it: the SDK's message and hint; a declined request as a calm sentence. */
export function describeError(error: unknown): Described {
  if (error instanceof UserRejectedError || walletErrorCode(error) === 4001) {
    return { calm: true, text: "You declined the request in your wallet. Nothing was sent and nothing changed." };
  }
  const wrapped = error instanceof TributaryError ? error : toTributaryError(error);
  if (wrapped instanceof UserRejectedError) return describeError(wrapped);
  const text = wrapped.hint ? `${wrapped.shortMessage}. ${capitalize(wrapped.hint)}.` : `${wrapped.shortMessage}.`;
  return { calm: false, text: capitalize(text) };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export type Status =
  | { state: "idle" }
  | { state: "working"; text: string }
  | { state: "done"; text: string }
  | { state: "failed"; error: unknown };

/** A status line: working, done, failed (the error worded by describeError), announced to screen readers. */
export function StatusLine({ status, id }: { status: Status; id?: string }) {
  if (status.state === "idle") return <p class="status" id={id} role="status" aria-live="polite" />;
  if (status.state === "failed") {
    const { calm, text } = describeError(status.error);
    return (
      <p class={calm ? "status calm" : "status error"} id={id} role={calm ? "status" : "alert"} aria-live="polite">
        {text}
      </p>
    );
  }
  return (
    <p class={`status ${status.state}`} id={id} role="status" aria-live="polite">
      {status.text}
    </p>
  );
}

/** A failed load: the message in place of the section's content. */
export function ErrorBox({ error, what }: { error: unknown; what: string }) {
  return (
    <div class="notice error" role="alert">
      <strong>{what} could not be loaded.</strong> {describeError(error).text}
    </div>
  );
}

export function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export const shortHex = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex);

export function formatDate(unixSeconds: string | number | bigint): string {
  const date = new Date(Number(unixSeconds) * 1000);
  return Number.isNaN(date.getTime())
    ? String(unixSeconds)
    : date.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}

/**
 * Token metadata read once per token through the SDK (symbol and decimals from the chain; ETH without a read). A page's
 * tokens grow as its parts load: only tokens not read yet are read, and what was read stays, so a shown symbol never
 * turns back into raw units. A token whose read fails is read again when the page names a new token.
 */
export function useTokens(network: TributaryClient | undefined, tokens: readonly string[]) {
  const [known, setKnown] = useState<{ network?: TributaryClient; tokens: Map<string, TokenInfo> }>({
    tokens: new Map(),
  });
  const key = [...new Set(tokens.map((t) => t.toLowerCase()))].sort().join(",");
  const current = known.network === network ? known.tokens : new Map<string, TokenInfo>();
  const missing = key ? key.split(",").filter((token) => BigInt(token) !== 0n && !current.has(token)) : [];
  const wanted = missing.join(",");
  useEffect(() => {
    if (!network || !wanted) return;
    let live = true;
    void Promise.all(
      wanted.split(",").map(async (token) => {
        try {
          return [token, await getTokenInfo(network, token as `0x${string}`)] as const;
        } catch {
          return [token, undefined] as const;
        }
      }),
    ).then((entries) => {
      if (!live) return;
      setKnown((previous) => {
        const next = new Map(previous.network === network ? previous.tokens : undefined);
        for (const [token, info] of entries) if (info) next.set(token, info);
        return { network, tokens: next };
      });
    });
    return () => {
      live = false;
    };
  }, [network, wanted]);
  return current;
}

/** An amount in the token's smallest unit, shown in whole tokens with its symbol (raw units until metadata is read). */
export function amountText(amount: string | bigint, token: string, tokens: Map<string, TokenInfo>): string {
  const info = BigInt(token) === 0n ? ETH_INFO : tokens.get(token.toLowerCase());
  if (!info) return `${amount} (smallest units of ${shortHex(token)})`;
  return formatAmount(BigInt(amount), info);
}

export function tokenLabel(token: string, tokens: Map<string, TokenInfo>): string {
  if (BigInt(token) === 0n) return "ETH";
  return tokens.get(token.toLowerCase())?.symbol ?? shortHex(token);
}

/** A table that scrolls sideways on a narrow screen, its column headers given as a list. */
export function Table({
  headers,
  testId,
  caption,
  children,
}: {
  headers: string[];
  testId?: string;
  caption?: ComponentChildren;
  children: ComponentChildren;
}) {
  return (
    <div class="scroll">
      <table data-testid={testId}>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {headers.map((header) => (
              <th scope="col" key={header}>
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A labelled one-line text input. */
export function Field({
  label,
  onValue,
  ...input
}: {
  label: string;
  name?: string;
  value: string;
  placeholder?: string;
  inputMode?: "numeric" | "decimal" | "text";
  onValue: (value: string) => void;
}) {
  return (
    <label class="block">
      {label}
      <input {...input} onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)} />
    </label>
  );
}

/** Waits (bounded) until the API has indexed `block`, so that what a page reloads next includes it. */
export async function waitForIndexer(api: TributaryApi, block: bigint, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const head = await api.getHead().catch(() => undefined);
    if (head && BigInt(head.indexed.blockNumber) >= block) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
