// The auditor's explorer, no wallet needed: pools with the solvency report, a pool's deposits, claims and unit
// history page by page, a contribution looked up by its hash or by pasting its text (hashed here), who controls each
// contract, and attribution epochs when the API serves them.
import { useEffect, useState } from "preact/hooks";
import type { Hex } from "viem";

import {
  hashText,
  type ApiPool,
  type GetContractsReturnType,
  type GetContributionReturnType,
  type GetPoolsReturnType,
  type GetSolvencyReturnType,
  type PoolLedger,
  type TributaryApi,
} from "../../../sdk/index.ts";
import type { AppContext } from "../main.tsx";
import {
  ErrorBox,
  Section,
  StatusLine,
  amountText,
  formatDate,
  shortHex,
  tokenLabel,
  useTokens,
  type Status,
  Table,
} from "../ui.tsx";
import { Epochs } from "./epochs.tsx";

/** Runs `load` when its key changes; gives the answer or the failure. */
function useLoad<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<{ value?: T; error?: unknown; loading: boolean }>({ loading: true });
  useEffect(() => {
    let live = true;
    setState({ loading: true });
    load().then(
      (value) => live && setState({ value, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

export function ExplorerPage({ context }: { context: AppContext }) {
  const { api } = context;
  const [poolId, setPoolId] = useState<string>();
  const [cursor, setCursor] = useState<string>();
  const pools = useLoad<GetPoolsReturnType>(() => api.getPools({ limit: 25, cursor }), `pools-${cursor ?? ""}`);
  const solvency = useLoad<GetSolvencyReturnType>(() => api.getSolvency(), "solvency");
  const tokens = useTokens(context.network, pools.value?.items.map((p) => p.token) ?? []);
  return (
    <>
      <Section title="Solvency" id="solvency">
        {solvency.error ? <ErrorBox error={solvency.error} what="The solvency report" /> : null}
        {solvency.loading ? <p class="loading">Loading the solvency report…</p> : null}
        {solvency.value ? <SolvencyTable report={solvency.value} tokens={tokens} /> : null}
      </Section>
      <Section title="Pools" id="pools">
        {pools.error ? <ErrorBox error={pools.error} what="The pools" /> : null}
        {pools.loading ? <p class="loading">Loading pools…</p> : null}
        {pools.value ? (
          <>
            <PoolsTable pools={pools.value.items} tokens={tokens} onOpen={setPoolId} solvency={solvency.value} />
            <div class="pager">
              <button type="button" disabled={!cursor} onClick={() => setCursor(undefined)}>
                First page
              </button>
              <button
                type="button"
                disabled={!pools.value.nextCursor}
                onClick={() => setCursor(pools.value?.nextCursor ?? undefined)}
              >
                Next page
              </button>
            </div>
          </>
        ) : null}
      </Section>
      {poolId ? <PoolDetail api={api} poolId={poolId} tokens={tokens} /> : null}
      <Lookup api={api} tokens={tokens} />
      <Contracts api={api} />
      <Epochs context={context} />
    </>
  );
}

function SolvencyTable({ report, tokens }: { report: GetSolvencyReturnType; tokens: ReturnType<typeof useTokens> }) {
  return (
    <>
      <p data-testid="solvency-status" class={report.solvent ? "ok" : "bad"}>
        {report.solvent ? "Solvent" : "NOT solvent"}: the vault's balances against what it owes, at block{" "}
        {report.at.blockNumber}.
      </p>
      <Table headers={["Token", "Balance", "Liabilities", "Status"]}>
        {report.tokens.map((t) => (
          <tr key={t.token}>
            <td>{tokenLabel(t.token, tokens)}</td>
            <td>{t.balance === null ? "could not be read" : amountText(t.balance, t.token, tokens)}</td>
            <td>{amountText(t.liabilities, t.token, tokens)}</td>
            <td>{t.solvent ? "solvent" : "short"}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function PoolsTable({
  pools,
  tokens,
  onOpen,
  solvency,
}: {
  pools: ApiPool[];
  tokens: ReturnType<typeof useTokens>;
  onOpen: (poolId: string) => void;
  solvency: GetSolvencyReturnType | undefined;
}) {
  if (pools.length === 0) return <p>No pool has been opened yet.</p>;
  const tokenSolvent = (token: string) => solvency?.tokens.find((t) => t.token === token)?.solvent;
  return (
    <Table testId="pools" headers={["Pool", "Token", "Admin", "Deposited", "Claimed", "Owes", "Solvency", "Ledger"]}>
      {pools.map((p) => (
        <tr key={p.poolId}>
          <td>#{p.poolId}</td>
          <td>{tokenLabel(p.token, tokens)}</td>
          <td>
            <code title={p.admin}>{shortHex(p.admin)}</code>
          </td>
          <td>{amountText(p.deposited, p.token, tokens)}</td>
          <td>{amountText(p.claimed, p.token, tokens)}</td>
          <td>{amountText(p.liabilities, p.token, tokens)}</td>
          <td>
            {tokenSolvent(p.token) === undefined ? "…" : tokenSolvent(p.token) ? "solvent" : "short"}
            {p.replayMismatches > 0 ? `, ${p.replayMismatches} mismatches` : ""}
          </td>
          <td>
            <button type="button" onClick={() => onOpen(p.poolId)} aria-label={`Open pool ${p.poolId}'s ledger`}>
              Open
            </button>
          </td>
        </tr>
      ))}
    </Table>
  );
}

const LEDGERS: { ledger: PoolLedger; label: string }[] = [
  { ledger: "deposits", label: "Deposits" },
  { ledger: "claims", label: "Claims" },
  { ledger: "units", label: "Unit history" },
];

function PoolDetail({
  api,
  poolId,
  tokens,
}: {
  api: TributaryApi;
  poolId: string;
  tokens: ReturnType<typeof useTokens>;
}) {
  const [ledger, setLedger] = useState<PoolLedger>("deposits");
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const pool = useLoad(() => api.getPool(poolId), `pool-${poolId}`);
  const page = useLoad(
    () => api.getPoolLedger({ poolId, ledger, limit: 10, cursor }),
    `ledger-${poolId}-${ledger}-${cursor ?? ""}`,
  );
  const token = pool.value?.token ?? "0x0000000000000000000000000000000000000000";
  const rows = (page.value?.items ?? []) as Record<string, unknown>[];
  return (
    <Section title={`Pool #${poolId}`} id="pool">
      {pool.error ? <ErrorBox error={pool.error} what={`Pool #${poolId}`} /> : null}
      {pool.value ? (
        <p>
          {tokenLabel(pool.value.token, tokens)} pool of <code>{shortHex(pool.value.admin)}</code>, streaming each
          deposit over {Number(pool.value.duration) / 3600} h; {pool.value.totalUnits} units over{" "}
          {pool.value.contributionCount} contributions;{" "}
          {pool.value.stream.streaming ? "streaming now" : "not streaming"}.
        </p>
      ) : null}
      <div role="tablist" aria-label="Ledger" class="tabs">
        {LEDGERS.map((l) => (
          <button
            type="button"
            role="tab"
            key={l.ledger}
            aria-selected={l.ledger === ledger}
            onClick={() => {
              setLedger(l.ledger);
              setCursors([]);
            }}
          >
            {l.label}
          </button>
        ))}
      </div>
      {page.error ? <ErrorBox error={page.error} what="The ledger" /> : null}
      {page.loading ? <p class="loading">Loading…</p> : null}
      {page.value ? (
        rows.length === 0 ? (
          <p>Nothing yet.</p>
        ) : (
          <Table
            testId="ledger"
            headers={[
              "Block",
              "Time",
              ledger === "deposits" ? "Depositor" : "Contribution",
              ledger === "units" ? "Units" : "Amount",
            ]}
          >
            {rows.map((row) => (
              <tr key={String(row.id ?? `${String(row.blockNumber)}-${String(row.logIndex)}`)}>
                <td>{String(row.blockNumber)}</td>
                <td>{formatDate(String(row.timestamp))}</td>
                <td>
                  <code>{shortHex(String(ledger === "deposits" ? row.depositor : row.contributionId))}</code>
                </td>
                <td>
                  {ledger === "units"
                    ? `${String(row.previousUnits)} → ${String(row.units)}`
                    : amountText(String(ledger === "deposits" ? row.amountReceived : row.amount), token, tokens)}
                </td>
              </tr>
            ))}
          </Table>
        )
      ) : null}
      <div class="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!page.value?.nextCursor}
          onClick={() => page.value?.nextCursor && setCursors([...cursors, page.value.nextCursor])}
        >
          Next page
        </button>
      </div>
    </Section>
  );
}

function Lookup({ api, tokens }: { api: TributaryApi; tokens: ReturnType<typeof useTokens> }) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [found, setFound] = useState<GetContributionReturnType>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setFound(undefined);
    const value = query.trim();
    let hash: Hex;
    try {
      // A 32-byte hex value is a content hash; anything else is the text itself, hashed here.
      hash = /^0x[0-9a-fA-F]{64}$/.test(value) ? (value as Hex) : hashText(query);
    } catch (error) {
      setStatus({ state: "failed", error });
      return;
    }
    setStatus({ state: "working", text: `Looking up ${shortHex(hash)}…` });
    try {
      setFound(await api.getContribution(hash));
      setStatus({ state: "idle" });
    } catch (error) {
      if ((error as { status?: number }).status === 404) {
        setStatus({ state: "done", text: `Nobody has registered ${hash}.` });
      } else setStatus({ state: "failed", error });
    }
  };
  return (
    <Section title="Look up a contribution" id="lookup">
      <form onSubmit={submit}>
        <label class="block">
          Content hash, or the text itself (hashed in this browser)
          <textarea
            name="lookup"
            rows={2}
            value={query}
            onInput={(e) => setQuery((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </label>
        <button type="submit">Look up</button>
      </form>
      <StatusLine status={status} id="lookup-status" />
      {found ? (
        <dl class="record" data-testid="lookup-result">
          <dt>Contribution</dt>
          <dd>
            <code>{found.contributionId}</code>
          </dd>
          <dt>Author</dt>
          <dd>
            <code>{found.author}</code>
          </dd>
          <dt>Kind</dt>
          <dd>{found.kind.replace("_", " ")}</dd>
          <dt>Registered</dt>
          <dd>{formatDate(found.registeredAt)}</dd>
          <dt>Training consent</dt>
          <dd>{found.trainingConsent ? "given" : "revoked"}</dd>
          <dt>Parents</dt>
          <dd>{found.parents.length ? found.parents.map((p) => shortHex(p.contributionId)).join(", ") : "none"}</dd>
          <dt>Children</dt>
          <dd>{found.children.length ? found.children.map((c) => shortHex(c.contributionId)).join(", ") : "none"}</dd>
          <dt>Earnings</dt>
          <dd>
            {found.earnings.pools.length
              ? found.earnings.pools
                  .map(
                    (p) =>
                      `pool #${p.poolId}: ${amountText(p.accrued, p.token, tokens)} accrued, ${amountText(p.claimable, p.token, tokens)} claimable`,
                  )
                  .join("; ")
              : "holds no units"}
          </dd>
        </dl>
      ) : null}
    </Section>
  );
}

function Contracts({ api }: { api: TributaryApi }) {
  const contracts = useLoad<GetContractsReturnType>(() => api.getContracts(), "contracts");
  return (
    <Section title="Who controls each contract" id="contracts">
      {contracts.error ? <ErrorBox error={contracts.error} what="The contracts' owners" /> : null}
      {contracts.loading ? <p class="loading">Loading…</p> : null}
      {contracts.value ? (
        <Table testId="contracts" headers={["Contract", "Address", "Owner", "Pending owner", "Settings"]}>
          {contracts.value.contracts.map((c) => (
            <tr key={c.address}>
              <td>{c.contract}</td>
              <td>
                <code title={c.address}>{shortHex(c.address)}</code>
              </td>
              <td>
                <code title={c.owner}>{shortHex(c.owner)}</code>
              </td>
              <td>{c.pendingOwner ? <code>{shortHex(c.pendingOwner)}</code> : "none"}</td>
              <td>
                {"approvedAttesters" in c
                  ? `${c.approvedAttesters.length} approved attester${c.approvedAttesters.length === 1 ? "" : "s"}`
                  : "feeBps" in c
                    ? `fee ${c.feeBps / 100}%${c.paused ? ", paused" : ""}`
                    : ""}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </Section>
  );
}
