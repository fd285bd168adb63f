// Attribution epochs in the explorer, through the SDK's typed API client: epoch pools, each pool's epochs with their
// manifest and status, and a proof lookup (pool, epoch, contribution -> amount and proof, or the API's 404/410 message).
// When the API at config.json's URL does not serve the epoch routes (404 "no route" on the list route), the section
// says they are not available instead of failing.
import { useEffect, useState } from "preact/hooks";

import {
  ApiError,
  parseHash,
  type ApiEpoch,
  type GetEpochPoolsReturnType,
  type GetEpochProofReturnType,
  type GetLeafFileReturnType,
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
  Field,
} from "../ui.tsx";

type EpochPoolItem = GetEpochPoolsReturnType["items"][number];

/** An API older than the epoch routes answers their paths with its catch-all 404 "no route …". */
const notServed = (error: unknown) =>
  error instanceof ApiError && error.status === 404 && /no route /.test(error.shortMessage);

const show = (value: unknown): string =>
  value === null || value === undefined
    ? "—"
    : typeof value === "object"
      ? JSON.stringify(value)
      : /^0x[0-9a-f]{40,}$/i.test(String(value))
        ? shortHex(String(value))
        : String(value);

export function Epochs({ context }: { context: AppContext }) {
  const { api } = context;
  const [state, setState] = useState<{ pools?: EpochPoolItem[]; error?: unknown; notServed?: boolean }>({});
  const [poolId, setPoolId] = useState<string>();
  useEffect(() => {
    api.getEpochPools({ limit: 25 }).then(
      (answer) => setState({ pools: answer.items }),
      (error: unknown) => setState(notServed(error) ? { notServed: true } : { error }),
    );
  }, [api]);
  const tokens = useTokens(context.network, state.pools?.map((p) => p.token) ?? []);
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
        <Table
          testId="epoch-pools"
          headers={["Epoch pool", "Token", "Admin", "Funded", "Claimed", "Payable epoch", "Epochs"]}
        >
          {state.pools.map((p) => (
            <tr key={p.poolId}>
              <td>#{p.poolId}</td>
              <td>{tokenLabel(p.token, tokens)}</td>
              <td>{show(p.admin)}</td>
              <td>{amountText(p.funded, p.token, tokens)}</td>
              <td>{amountText(p.claimed, p.token, tokens)}</td>
              <td>{p.payableEpoch || "none"}</td>
              <td>
                <button
                  type="button"
                  onClick={() => setPoolId(p.poolId)}
                  aria-label={`Show epoch pool ${p.poolId}'s epochs`}
                >
                  Show
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {poolId ? (
        <EpochList
          context={context}
          poolId={poolId}
          token={state.pools?.find((p) => p.poolId === poolId)?.token ?? "0x0"}
          tokens={tokens}
        />
      ) : null}
      {state.pools && state.pools.length > 0 ? <ProofLookup context={context} pools={state.pools} /> : null}
    </Section>
  );
}

type Tokens = ReturnType<typeof useTokens>;

/**
 * What the indexer checked of an epoch: a leaf file it stores reproduced the chain's root and leaf-file hash (it keeps
 * no other), and its leaves' total is set against the manifest's. Without a stored file nothing is checked here.
 */
function Verification(props: { context: AppContext; epoch: ApiEpoch; token: string; tokens: Tokens }) {
  const { context, epoch, token, tokens } = props;
  const [file, setFile] = useState<{ summary?: GetLeafFileReturnType; error?: unknown }>({});
  useEffect(() => {
    context.api.getLeafFile(epoch.poolId, epoch.epochId).then(
      (summary) => setFile({ summary }),
      (error: unknown) => setFile({ error }),
    );
  }, [context.api, epoch.poolId, epoch.epochId]);
  if (file.error instanceof ApiError && file.error.status === 404) {
    return (
      <p class="notice" data-testid="epoch-verification">
        Not verified here: the indexer holds no leaf file of this epoch. <code>tributary epoch verify</code> checks the
        file at its URI.
      </p>
    );
  }
  if (file.error) return <ErrorBox error={file.error} what={`Epoch ${epoch.epochId}'s leaf file`} />;
  if (!file.summary) return <p class="loading">Checking the leaf file…</p>;
  const { leafCount, total } = file.summary;
  const totalsAgree = BigInt(total) === BigInt(epoch.manifest.total);
  return (
    <p class={totalsAgree ? "notice" : "notice error"} data-testid="epoch-verification">
      {totalsAgree ? "Verified: " : "Does not add up: "}
      the indexer's leaf file of {leafCount} leaves reproduces the root and the leaf-file hash on chain; its leaves
      total {amountText(total, token, tokens)}
      {totalsAgree
        ? ", the manifest's total."
        : `, and the manifest says ${amountText(epoch.manifest.total, token, tokens)}.`}
    </p>
  );
}

function EpochList(props: { context: AppContext; poolId: string; token: string; tokens: Tokens }) {
  const { context, poolId, token, tokens } = props;
  const [epochs, setEpochs] = useState<{ items?: ApiEpoch[]; error?: unknown }>({});
  // The epochs opened so far: only their leaf files are asked for, not one request per epoch listed.
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());
  useEffect(() => {
    context.api.getEpochs({ poolId, limit: 25 }).then(
      (answer) => setEpochs({ items: answer.items }),
      (error: unknown) => setEpochs({ error }),
    );
  }, [context.api, poolId]);
  if (epochs.error) return <ErrorBox error={epochs.error} what={`Epoch pool #${poolId}'s epochs`} />;
  if (!epochs.items) return <p class="loading">Loading epochs…</p>;
  return (
    <div data-testid="epoch-list">
      <h3>Epoch pool #{poolId}</h3>
      {epochs.items.length === 0 ? <p>No epoch published yet.</p> : null}
      {epochs.items.map((epoch) => (
        <details
          key={epoch.epochId}
          onToggle={(event) => {
            if ((event.currentTarget as HTMLDetailsElement).open) setOpened((ids) => new Set(ids).add(epoch.epochId));
          }}
        >
          <summary>
            Epoch {epoch.epochId}: {epoch.status}
            {epoch.acceptableAt ? `, payable from ${formatDate(epoch.acceptableAt)}` : ""}
          </summary>
          <dl class="record">
            {Object.entries({ ...epoch.manifest, claimCount: epoch.claimCount, claimed: epoch.claimed }).map(
              ([key, value]) => (
                <>
                  <dt key={`${key}-k`}>{key}</dt>
                  <dd key={`${key}-v`}>{show(value)}</dd>
                </>
              ),
            )}
            {epoch.vetoReason ? (
              <>
                <dt>vetoReason</dt>
                <dd>{epoch.vetoReason}</dd>
              </>
            ) : null}
          </dl>
          {opened.has(epoch.epochId) ? (
            <Verification context={context} epoch={epoch} token={token} tokens={tokens} />
          ) : null}
        </details>
      ))}
    </div>
  );
}

/** Pool, epoch and contribution hash in; the leaf's amount and proof out, or the API's refusal. */
function ProofLookup({ context, pools }: { context: AppContext; pools: EpochPoolItem[] }) {
  const [poolId, setPoolId] = useState(pools[0]?.poolId ?? "");
  const [epochId, setEpochId] = useState(String(pools[0]?.payableEpoch || 1));
  const [contribution, setContribution] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [proof, setProof] = useState<GetEpochProofReturnType>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setProof(undefined);
    try {
      const id = parseHash(contribution.trim(), "contributionId");
      if (!/^[1-9]\d{0,9}$/.test(epochId.trim())) throw new Error("The epoch is a whole number from 1");
      setStatus({ state: "working", text: "Looking up the proof…" });
      setProof(await context.api.getEpochProof(poolId, Number(epochId.trim()), id));
      setStatus({ state: "idle" });
    } catch (error) {
      if (notServed(error)) setStatus({ state: "done", text: "Proofs are not available from this API." });
      else setStatus({ state: "failed", error });
    }
  };
  return (
    <form onSubmit={submit} data-testid="proof-lookup">
      <h3>Proof lookup</h3>
      <label class="block">
        Epoch pool
        <select
          name="proof-pool"
          value={poolId}
          onChange={(e) => setPoolId((e.currentTarget as HTMLSelectElement).value)}
        >
          {pools.map((p) => (
            <option key={p.poolId} value={p.poolId}>
              #{p.poolId}
            </option>
          ))}
        </select>
      </label>
      <Field label="Epoch" name="proof-epoch" value={epochId} onValue={setEpochId} />
      <Field
        label="Contribution (content hash)"
        name="proof-contribution"
        value={contribution}
        placeholder="0x…"
        onValue={setContribution}
      />
      <button type="submit">Look up the proof</button>
      <StatusLine status={status} id="proof-status" />
      {proof ? (
        <div data-testid="proof-result">
          <p>
            Epoch {proof.epochId} of pool #{proof.poolId} ({proof.status}) pays{" "}
            <code>{shortHex(proof.contributionId)}</code> a cumulative <strong>{proof.cumulativeAmount}</strong> (the
            token's smallest unit), first in epoch {proof.firstEpoch}.
          </p>
          <pre class="proof">{JSON.stringify(proof.proof, null, 2)}</pre>
        </div>
      ) : null}
    </form>
  );
}
