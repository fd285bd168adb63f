// Attribution epochs in the explorer: epoch pools, each pool's epochs with their manifest and status, and a proof
// lookup. These routes are newer than the rest of the API: when the API at config.json's URL does not serve them
// (404 on the list route), the section says they are not available instead of failing.
import { useEffect, useState } from "preact/hooks";

import { ApiError, UnreachableError, parseHash } from "../../../sdk/index.ts";
import type { AppContext } from "../main.tsx";
import { ErrorBox, Section, StatusLine, formatDate, shortHex, type Status, Table, Field } from "../ui.tsx";

type Json = Record<string, unknown>;

class NotServed extends Error {}

async function getJson(base: string, path: string): Promise<Json> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new UnreachableError(
      `the indexer API at ${base} did not answer`,
      "check that the indexer is running and that the API URL points at it",
      { cause: error },
    );
  }
  const body = (await response.json().catch(() => undefined)) as Json | undefined;
  // The API answers a route it does not have with 404 "no route …": an API older than the epoch routes.
  if (response.status === 404 && (!body || /^no route /.test(String(body.error ?? "")))) throw new NotServed(path);
  if (!body) throw new ApiError(response.status, `the API answered ${path} without JSON`, "check the API URL");
  if (!response.ok) {
    throw new ApiError(response.status, String(body.error ?? `HTTP ${response.status}`), "check the value and retry");
  }
  return body;
}

const show = (value: unknown): string =>
  value === null || value === undefined
    ? "—"
    : typeof value === "object"
      ? JSON.stringify(value)
      : /^0x[0-9a-f]{40,}$/i.test(String(value))
        ? shortHex(String(value))
        : String(value);

export function Epochs({ context }: { context: AppContext }) {
  const base = context.config.apiUrl.replace(/\/+$/, "");
  const [state, setState] = useState<{ pools?: Json[]; error?: unknown; notServed?: boolean }>({});
  const [poolId, setPoolId] = useState<string>();
  useEffect(() => {
    getJson(base, "/epoch-pools?limit=25").then(
      (answer) => setState({ pools: (answer.items as Json[] | undefined) ?? [] }),
      (error: unknown) => setState(error instanceof NotServed ? { notServed: true } : { error }),
    );
  }, [base]);
  return (
    <Section title="Attribution epochs" id="epochs">
      {state.notServed ? (
        <p data-testid="epochs-unavailable">Epoch manifests are not available from this API.</p>
      ) : state.error ? (
        <ErrorBox error={state.error} what="The epoch pools" />
      ) : !state.pools ? (
        <p class="loading">Loading epoch pools…</p>
      ) : state.pools.length === 0 ? (
        <p>No epoch pool has been opened yet.</p>
      ) : (
        <Table testId="epoch-pools" headers={["Epoch pool", "Token", "Admin", "Funded", "Claimed", "Epochs"]}>
          {state.pools.map((p) => (
            <tr key={show(p.poolId)}>
              <td>#{show(p.poolId)}</td>
              <td>{show(p.token)}</td>
              <td>{show(p.admin)}</td>
              <td>{show(p.funded)}</td>
              <td>{show(p.claimed)}</td>
              <td>
                <button
                  type="button"
                  onClick={() => setPoolId(String(p.poolId))}
                  aria-label={`Show epoch pool ${show(p.poolId)}'s epochs`}
                >
                  Show
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {poolId ? <EpochList base={base} poolId={poolId} /> : null}
    </Section>
  );
}

function EpochList({ base, poolId }: { base: string; poolId: string }) {
  const [epochs, setEpochs] = useState<{ items?: Json[]; error?: unknown }>({});
  useEffect(() => {
    getJson(base, `/epochs/${poolId}?limit=25`).then(
      (answer) => setEpochs({ items: (answer.items as Json[] | undefined) ?? [] }),
      (error: unknown) => setEpochs({ error }),
    );
  }, [base, poolId]);
  if (epochs.error) return <ErrorBox error={epochs.error} what={`Epoch pool #${poolId}'s epochs`} />;
  if (!epochs.items) return <p class="loading">Loading epochs…</p>;
  return (
    <>
      <h3>Epoch pool #{poolId}</h3>
      {epochs.items.length === 0 ? <p>No epoch published yet.</p> : null}
      {epochs.items.map((epoch) => (
        <details key={show(epoch.epochId)}>
          <summary>
            Epoch {show(epoch.epochId)}: {show(epoch.status)}
            {epoch.acceptableAt ? `, payable from ${formatDate(String(epoch.acceptableAt))}` : ""}
          </summary>
          <dl class="record">
            {Object.entries(epoch).map(([key, value]) => (
              <>
                <dt key={`${key}-k`}>{key}</dt>
                <dd key={`${key}-v`}>{show(value)}</dd>
              </>
            ))}
          </dl>
          <ProofLookup base={base} poolId={poolId} epochId={String(epoch.epochId)} />
        </details>
      ))}
    </>
  );
}

function ProofLookup({ base, poolId, epochId }: { base: string; poolId: string; epochId: string }) {
  const [contribution, setContribution] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [proof, setProof] = useState<Json>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setProof(undefined);
    try {
      const id = parseHash(contribution.trim(), "contributionId");
      setStatus({ state: "working", text: "Looking up the proof…" });
      setProof(await getJson(base, `/epochs/${poolId}/${epochId}/proofs/${id}`));
      setStatus({ state: "idle" });
    } catch (error) {
      if (error instanceof NotServed) setStatus({ state: "done", text: "Proofs are not available from this API." });
      else setStatus({ state: "failed", error });
    }
  };
  return (
    <form onSubmit={submit}>
      <Field label="Proof for a contribution (content hash)" value={contribution} onValue={setContribution} />
      <button type="submit">Look up the proof</button>
      <StatusLine status={status} />
      {proof ? <pre class="proof">{JSON.stringify(proof, null, 2)}</pre> : null}
    </form>
  );
}
