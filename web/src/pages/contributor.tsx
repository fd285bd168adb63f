// The contributor's page: their contributions (kind, date, consent, lineage), what each pool owes them in its
// token, a chart of their earnings over time from the indexer's ledgers, one claim of everything owed (gas shown
// before they sign), registration of a text or a file hashed here by the SDK's rules (the content never leaves the
// browser), a gasless registration signed for a relayer, and consent changes.
import { useCallback, useEffect, useState } from "preact/hooks";
import { formatEther, type Address, type Hex } from "viem";
import { estimateFeesPerGas, getBalance } from "viem/actions";

import {
  KINDS,
  hashText,
  keccakBytes,
  parseHash,
  apiProofSource,
  prepareClaim,
  prepareClaimAll,
  register,
  setTrainingConsent,
  signCommitment,
  signRegistration,
  type ApiClaim,
  type ApiContribution,
  type EpochProofSource,
  type GetAuthorEarningsReturnType,
  type GetEarningsHistoryReturnType,
  type Kind,
  type PreparedClaim,
  type PreparedClaimAll,
  type TributaryApi,
  type TributaryClient,
} from "../../../sdk/index.ts";
import { StepChart, type Series } from "../chart.tsx";
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
  waitForIndexer,
  Field,
} from "../ui.tsx";
import { signingClient } from "../wallet.ts";

interface AuthorData {
  earnings: GetAuthorEarningsReturnType;
  contributions: ApiContribution[];
  /** What the author's contributions can claim from epoch pools' payable epochs, each leaf with its proof. */
  epochClaims: ApiClaim[];
  /** The token of each epoch pool the claims name, by poolId. */
  epochTokens: Map<string, string>;
  /** Why the epoch claims could not be read (the rest of the page works without them). */
  epochError?: unknown;
  /** What the author's contributions were paid over time, per token, from the indexer's history route. */
  history?: GetEarningsHistoryReturnType;
  historyError?: unknown;
}

/** Every epoch leaf the author can claim, following the cursor (20 pages of 100 at most). */
async function allEpochClaims(api: TributaryApi, author: Address): Promise<ApiClaim[]> {
  const items: ApiClaim[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const answer = await api.getClaims({ author, limit: 100, cursor });
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return items;
}

async function loadAuthor(api: TributaryApi, author: Address, withEpochs: boolean): Promise<AuthorData> {
  let epochError: unknown;
  const [earnings, contributions, epochClaims] = await Promise.all([
    api.getAuthorEarnings(author),
    api.getAllAuthorContributions(author),
    withEpochs
      ? allEpochClaims(api, author).catch((error: unknown) => {
          epochError = error;
          return [];
        })
      : Promise.resolve([]),
  ]);
  // The chart starts at the first registration (not the first payment), when that is before the indexed head.
  const first = contributions.items.reduce(
    (t, c) => (t === undefined || BigInt(c.registeredAt) < t ? BigInt(c.registeredAt) : t),
    undefined as bigint | undefined,
  );
  const from = first !== undefined && first < BigInt(earnings.at) ? first : undefined;
  let historyError: unknown;
  const history = await api
    .getEarningsHistory(author, { points: 60, contributions: 5, from })
    .catch((error: unknown) => {
      historyError = error;
      return undefined;
    });
  const poolIds = [...new Set(epochClaims.map((c) => c.poolId))];
  const pools = await Promise.all(poolIds.map((poolId) => api.getEpochPool(poolId)));
  const epochTokens = new Map(pools.map((pool) => [pool.poolId, pool.token as string]));
  return {
    earnings,
    contributions: contributions.items,
    epochClaims,
    epochTokens,
    history,
    ...(epochError === undefined ? {} : { epochError }),
    ...(historyError === undefined ? {} : { historyError }),
  };
}

export function ContributorPage({ context }: { context: AppContext }) {
  const { wallet, walletReady, network, config } = context;
  if (!wallet) {
    return (
      <Section title="Your contributions and royalties" id="connect">
        <p>
          Connect the wallet you registered your contributions with to see what they earn, claim it and register new
          ones. Without a wallet, the <a href="#/explorer">explorer</a> shows every pool and contribution.
        </p>
      </Section>
    );
  }
  if (!walletReady) {
    return (
      <Section title="Your contributions and royalties" id="connect">
        <p>Switch your wallet to chain {config.chainId} (the button above) to continue.</p>
      </Section>
    );
  }
  if (!network) {
    return (
      <Section title="Your contributions and royalties" id="connect">
        {context.networkError ? (
          <ErrorBox error={context.networkError} what="The node" />
        ) : (
          <p class="loading">Connecting to the node…</p>
        )}
      </Section>
    );
  }
  return <Contributor context={context} client={signingClient(network, wallet)} author={wallet.account} />;
}

function Contributor({ context, client, author }: { context: AppContext; client: TributaryClient; author: Address }) {
  const { api } = context;
  const [data, setData] = useState<AuthorData>();
  const [error, setError] = useState<unknown>();
  const [balance, setBalance] = useState<bigint>();
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    setError(undefined);
    loadAuthor(api, author, client.epochs !== undefined).then(
      (next) => live && setData(next),
      (failure: unknown) => live && setError(failure),
    );
    getBalance(client.publicClient, { address: author }).then(
      (next) => live && setBalance(next),
      () => live && setBalance(undefined),
    );
    return () => {
      live = false;
    };
  }, [api, author, client, version]);

  const tokens = useTokens(client, [
    ...(data?.earnings.pools.map((p) => p.token) ?? []),
    ...(data ? [...data.epochTokens.values()] : []),
    ...(data?.history?.tokens.map((t) => t.token) ?? []),
  ]);

  return (
    <>
      <Section title="Earnings" id="earnings">
        <p>
          Wallet balance:{" "}
          <strong data-testid="eth-balance">{balance === undefined ? "…" : `${formatEther(balance)} ETH`}</strong>
        </p>
        {error ? <ErrorBox error={error} what="Your earnings" /> : null}
        {!data && !error ? <p class="loading">Loading your earnings from the indexer…</p> : null}
        {data ? <EarningsTable data={data} tokens={tokens} /> : null}
        {data ? <EpochTable data={data} tokens={tokens} /> : null}
        {data ? <Claim context={context} client={client} data={data} tokens={tokens} onDone={reload} /> : null}
        {data ? <EarningsChart data={data} tokens={tokens} /> : null}
      </Section>
      <Section title="Your contributions" id="contributions">
        {data ? <ContributionsTable client={client} data={data} onChanged={reload} api={api} /> : null}
      </Section>
      <Register context={context} client={client} onRegistered={reload} />
    </>
  );
}

function EarningsTable({ data, tokens }: { data: AuthorData; tokens: ReturnType<typeof useTokens> }) {
  if (data.earnings.pools.length === 0) return <p>None of your contributions holds units in a pool yet.</p>;
  return (
    <Table
      testId="earnings"
      caption={<>Per pool, at the indexed block {data.earnings.atBlock}</>}
      headers={["Pool", "Token", "Accrued", "Claimed", "Claimable"]}
    >
      {data.earnings.pools.map((pool) => (
        <tr key={pool.poolId}>
          <td>#{pool.poolId}</td>
          <td>{tokenLabel(pool.token, tokens)}</td>
          <td>{amountText(pool.accrued, pool.token, tokens)}</td>
          <td>{amountText(pool.claimed, pool.token, tokens)}</td>
          <td data-testid={`claimable-${pool.poolId}`}>
            {amountText(pool.claimable, pool.token, tokens)}
            {BigInt(pool.escrowHeld) > 0n ? (
              <span class="muted"> ({amountText(pool.escrowHeld, pool.token, tokens)} waits in escrow)</span>
            ) : null}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** Per epoch pool and payable epoch, each of the author's leaves: its cumulative amount, what was claimed, what is left. */
function EpochTable({ data, tokens }: { data: AuthorData; tokens: ReturnType<typeof useTokens> }) {
  if (data.epochError) return <ErrorBox error={data.epochError} what="Your epoch pools' claims" />;
  if (data.epochClaims.length === 0) return null;
  return (
    <Table
      testId="epoch-earnings"
      caption={<>Per epoch pool and epoch (the epoch each pool pays now), from the indexer's stored leaf files</>}
      headers={["Epoch pool", "Epoch", "Contribution", "Token", "Earned (cumulative)", "Claimed", "Claimable"]}
    >
      {data.epochClaims.map((claim) => {
        const token = data.epochTokens.get(claim.poolId) ?? "0x0000000000000000000000000000000000000000";
        const claimed = BigInt(claim.cumulativeAmount) - BigInt(claim.claimable);
        const key = `${claim.poolId}-${claim.epochId}-${claim.contributionId}`;
        return (
          <tr key={key}>
            <td>#{claim.poolId}</td>
            <td>{claim.epochId}</td>
            <td>
              <code title={claim.contributionId}>{shortHex(claim.contributionId)}</code>
            </td>
            <td>{tokenLabel(token, tokens)}</td>
            <td>{amountText(claim.cumulativeAmount, token, tokens)}</td>
            <td data-testid={`epoch-claimed-${key}`}>{amountText(claimed, token, tokens)}</td>
            <td data-testid={`epoch-claimable-${key}`}>{amountText(claim.claimable, token, tokens)}</td>
          </tr>
        );
      })}
    </Table>
  );
}

type Prepared = { kind: "all"; prepared: PreparedClaimAll } | { kind: "vault"; prepared: PreparedClaim };

type ClaimState =
  | { step: "idle" }
  | { step: "estimating" }
  | { step: "review"; prepared: Prepared; fee: bigint | undefined }
  | { step: "pending" }
  | { step: "confirmed"; text: string }
  | { step: "failed"; error: unknown };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Prepares the claim of everything owed: with an epochs contract, its claimAll (the epoch leaves and, through the
 * vault's claimFor, the vault pools, in one transaction); without one, the vault's own claim. Simulated and its gas
 * estimated; nothing is sent.
 */
async function prepareEverything(
  client: TributaryClient,
  api: TributaryApi,
  data: AuthorData,
  vaultPools: readonly bigint[],
): Promise<Prepared> {
  const contributionIds = data.contributions.map((c) => c.contributionId as Hex);
  if (client.epochs === undefined) {
    return { kind: "vault", prepared: await prepareClaim(client, { poolIds: vaultPools, contributionIds }) };
  }
  const owed = data.epochClaims.filter((c) => BigInt(c.claimable) > 0n);
  // The proofs came with the claims; the API's proof route answers any other.
  const fallback = apiProofSource(api);
  const proofs: EpochProofSource = async (query) => {
    const found = owed.find(
      (c) =>
        BigInt(c.poolId) === query.poolId &&
        c.epochId === query.epochId &&
        c.contributionId.toLowerCase() === query.contributionId.toLowerCase(),
    );
    if (!found) return fallback(query);
    return {
      cumulativeAmount: BigInt(found.cumulativeAmount),
      firstEpoch: found.firstEpoch,
      proof: found.proof as Hex[],
    };
  };
  const prepared = await prepareClaimAll(client, {
    epochClaims: owed.map((c) => ({
      poolId: BigInt(c.poolId),
      epochId: c.epochId,
      contributionId: c.contributionId as Hex,
    })),
    proofs,
    vaultPoolIds: vaultPools,
    vaultContributionIds: vaultPools.length > 0 ? contributionIds : [],
  });
  return { kind: "all", prepared };
}

function Claim({
  context,
  client,
  data,
  tokens,
  onDone,
}: {
  context: AppContext;
  client: TributaryClient;
  data: AuthorData;
  tokens: ReturnType<typeof useTokens>;
  onDone: () => void;
}) {
  const [state, setState] = useState<ClaimState>({ step: "idle" });
  const owed = data.earnings.pools.filter((p) => BigInt(p.claimable) - BigInt(p.escrowHeld) > 0n);
  const epochOwed = data.epochClaims.filter((c) => BigInt(c.claimable) > 0n);
  const epochPools = new Set(epochOwed.map((c) => c.poolId)).size;
  const review = async () => {
    setState({ step: "estimating" });
    try {
      const prepared = await prepareEverything(
        client,
        context.api,
        data,
        owed.map((p) => BigInt(p.poolId)),
      );
      const fees = await estimateFeesPerGas(client.publicClient).catch(() => undefined);
      const price = fees?.maxFeePerGas ?? fees?.gasPrice;
      const gas = prepared.prepared.gas;
      setState({ step: "review", prepared, fee: price === undefined ? undefined : price * gas });
    } catch (error) {
      setState({ step: "failed", error });
    }
  };
  const send = async (prepared: Prepared) => {
    setState({ step: "pending" });
    try {
      let text: string;
      let blockNumber: bigint;
      if (prepared.kind === "vault") {
        const result = await prepared.prepared.send();
        const paid = result.claimed.map((c) => `${amountText(c.amount, c.token, tokens)} (pool #${c.poolId})`);
        blockNumber = result.blockNumber;
        text = `Claim confirmed in block ${result.blockNumber} (${shortHex(result.transactionHash)}): ${paid.join(", ") || "nothing"} paid to ${shortHex(result.to)}.`;
      } else {
        const result = await prepared.prepared.send();
        const paid = [
          ...result.vault.claimed.map((c) => `${amountText(c.amount, c.token, tokens)} (pool #${c.poolId})`),
          ...result.claimed.map(
            (c) => `${amountText(c.amount, c.token, tokens)} (epoch pool #${c.poolId}, epoch ${c.epochId})`,
          ),
        ];
        const deferred = result.deferred.length + result.vault.deferred.length;
        blockNumber = result.blockNumber;
        text =
          `Claim confirmed in block ${result.blockNumber} (${shortHex(result.transactionHash)}): ${paid.join(", ") || "nothing"} paid to ${shortHex(result.to)}.` +
          (deferred > 0
            ? ` ${plural(deferred, "payout")} credited to you in the contract instead (withdraw them).`
            : "");
      }
      setState({ step: "confirmed", text });
      await waitForIndexer(context.api, blockNumber);
      onDone();
    } catch (error) {
      setState({ step: "failed", error });
    }
  };
  const status: Status =
    state.step === "estimating"
      ? { state: "working", text: "Simulating the claim and estimating its gas…" }
      : state.step === "pending"
        ? { state: "working", text: "Pending: sign in your wallet, then the transaction is mined…" }
        : state.step === "confirmed"
          ? { state: "done", text: state.text }
          : state.step === "failed"
            ? { state: "failed", error: state.error }
            : { state: "idle" };
  const nothing = owed.length === 0 && epochOwed.length === 0;
  const label = nothing
    ? "Nothing to claim"
    : `Claim everything owed (${[
        owed.length ? plural(owed.length, "pool") : "",
        epochPools ? plural(epochPools, "epoch pool") : "",
      ]
        .filter(Boolean)
        .join(" and ")})`;
  return (
    <div class="claim" data-testid="claim">
      <p class="muted" data-testid="claim-how">
        {client.epochs === undefined
          ? "One transaction claims every vault pool (this deployment has no attribution epochs contract)."
          : "One transaction claims everything: the epochs contract's claimAll pays your epoch leaves and has the vault pay your vault pools in the same transaction."}
      </p>
      {state.step === "review" ? (
        <div class="review" role="group" aria-label="Review the claim">
          <p data-testid="gas-estimate">
            {state.prepared.kind === "all"
              ? `One transaction claims ${plural(state.prepared.prepared.vaultClaiming.length, "vault position")} and ${plural(state.prepared.prepared.epochClaiming.length, "epoch leaf")}`.replace(
                  "epoch leafs",
                  "epoch leaves",
                )
              : `One transaction claims ${plural(state.prepared.prepared.claiming.length, "position")}`}
            . Estimated gas: {state.prepared.prepared.gas.toString()}
            {state.fee === undefined ? "" : ` (about ${formatEther(state.fee)} ETH at current fees)`}.
            {skippedCount(state.prepared) > 0
              ? ` ${skippedCount(state.prepared)} left out (nothing owed or in escrow).`
              : ""}
          </p>
          <button type="button" class="primary" onClick={() => send(state.prepared)}>
            Sign and claim
          </button>{" "}
          <button type="button" onClick={() => setState({ step: "idle" })}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          class="primary"
          disabled={nothing || state.step === "estimating" || state.step === "pending"}
          onClick={review}
        >
          {label}
        </button>
      )}
      <StatusLine status={status} id="claim-status" />
    </div>
  );
}

const skippedCount = (prepared: Prepared) =>
  prepared.kind === "all"
    ? prepared.prepared.skipped.length + prepared.prepared.vaultSkipped.length
    : prepared.prepared.skipped.length;

/**
 * Earnings over time, per token, from the indexer's history route (bucketed there): what was paid, in total and per
 * contribution (the ones paid most), as steps at each bucket's end; and what was earned: what was paid, and at the
 * indexed head a step up by what is claimable now (vault pools and epoch leaves).
 */
function EarningsChart({ data, tokens }: { data: AuthorData; tokens: ReturnType<typeof useTokens> }) {
  if (!data.history) return <ErrorBox error={data.historyError} what="Your earnings history" />;
  const history = data.history;
  const at = Number(data.earnings.at);
  const claimableNow = new Map<string, bigint>();
  const add = (token: string, amount: bigint) =>
    claimableNow.set(token.toLowerCase(), (claimableNow.get(token.toLowerCase()) ?? 0n) + amount);
  for (const pool of data.earnings.pools) add(pool.token, BigInt(pool.claimable));
  for (const claim of data.epochClaims) add(data.epochTokens.get(claim.poolId) ?? "0x0", BigInt(claim.claimable));
  const tokenSet = new Set([...history.tokens.map((t) => t.token.toLowerCase()), ...claimableNow.keys()]);
  const charts: { token: string; series: Series[] }[] = [];
  for (const token of tokenSet) {
    const info = BigInt(token) === 0n ? { decimals: 18 } : tokens.get(token);
    if (!info) continue;
    const scale = 10 ** info.decimals;
    const series = history.tokens.find((t) => t.token.toLowerCase() === token);
    const from = Number(history.from);
    const paid = (series?.total ?? []).map((p) => ({ t: Number(p.t), y: Number(p.claimed) / scale }));
    const last = paid.at(-1)?.y ?? 0;
    const drawn: Series[] = [
      {
        // A step at the indexed head: what is claimable now is owed now, whenever it accrued.
        label: "earned (paid + claimable now)",
        points: [
          { t: from, y: 0 },
          ...paid,
          { t: Math.max(at, from + 1), y: last + Number(claimableNow.get(token) ?? 0n) / scale },
        ],
      },
      { label: "paid", points: [{ t: from, y: 0 }, ...paid] },
    ];
    for (const contribution of series?.contributions ?? []) {
      drawn.push({
        label: `paid to ${shortHex(contribution.contributionId)}`,
        points: [
          { t: from, y: 0 },
          ...contribution.points.map((p) => ({ t: Number(p.t), y: Number(p.claimed) / scale })),
        ],
      });
    }
    charts.push({ token, series: drawn });
  }
  if (charts.length === 0) return null;
  return (
    <div data-testid="earnings-chart">
      <h3>Earnings over time</h3>
      <p class="muted">
        {history.points} points of {history.bucketSeconds} s each, from the indexer's earnings history.
      </p>
      {charts.map(({ token, series }) => (
        <StepChart
          key={token}
          series={series}
          unit={tokenLabel(token, tokens)}
          title={`Your earnings in ${tokenLabel(token, tokens)} over time: earned and paid, in total and per contribution`}
        />
      ))}
    </div>
  );
}

function ContributionsTable({
  client,
  data,
  api,
  onChanged,
}: {
  client: TributaryClient;
  data: AuthorData;
  api: TributaryApi;
  onChanged: () => void;
}) {
  const [status, setStatus] = useState<Status>({ state: "idle" });
  if (data.contributions.length === 0) return <p>You have not registered a contribution yet.</p>;
  const toggle = async (contribution: ApiContribution) => {
    const next = !contribution.trainingConsent;
    setStatus({ state: "working", text: `${next ? "Granting" : "Revoking"} consent: sign in your wallet…` });
    try {
      const sent = await setTrainingConsent(client, {
        contributionId: contribution.contributionId as Hex,
        trainingConsent: next,
      });
      setStatus({
        state: "working",
        text: `Consent ${next ? "granted" : "revoked"} on chain; waiting for the indexer…`,
      });
      await waitForIndexer(api, sent.blockNumber);
      setStatus({
        state: "done",
        text: `Consent ${next ? "granted" : "revoked"} for ${shortHex(contribution.contributionId)}.`,
      });
      onChanged();
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };
  return (
    <>
      <Table testId="contributions" headers={["Contribution", "Kind", "Registered", "Training consent", "Lineage"]}>
        {data.contributions.map((c) => (
          <tr key={c.contributionId}>
            <td>
              <code title={c.contributionId}>{shortHex(c.contributionId)}</code>
            </td>
            <td>{c.kind.replace("_", " ")}</td>
            <td>{formatDate(c.registeredAt)}</td>
            <td>
              {c.trainingConsent ? "given" : "revoked"}{" "}
              <button
                type="button"
                onClick={() => toggle(c)}
                aria-label={`${c.trainingConsent ? "Revoke" : "Grant"} consent for ${c.contributionId}`}
              >
                {c.trainingConsent ? "Revoke" : "Grant"}
              </button>
            </td>
            <td>
              {c.parentCount} parent{c.parentCount === 1 ? "" : "s"}, {c.childCount} child
              {c.childCount === 1 ? "" : "ren"}
            </td>
          </tr>
        ))}
      </Table>
      <StatusLine status={status} id="consent-status" />
    </>
  );
}

type Method = "commit-reveal" | "direct" | "signed-commitment" | "signed-registration";

function Register({
  context,
  client,
  onRegistered,
}: {
  context: AppContext;
  client: TributaryClient;
  onRegistered: () => void;
}) {
  const [source, setSource] = useState<"text" | "file">("text");
  const [text, setText] = useState("");
  const [fileHash, setFileHash] = useState<Hex>();
  const [kind, setKind] = useState<Kind>("prompt");
  const [parent, setParent] = useState("");
  const [consent, setConsent] = useState(true);
  const [method, setMethod] = useState<Method>("commit-reveal");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [signed, setSigned] = useState<string>();

  let hash: Hex | undefined;
  let hashError: string | undefined;
  try {
    hash = source === "text" ? (text.trim() ? hashText(text) : undefined) : fileHash;
  } catch (error) {
    hashError = (error as Error).message;
  }

  const onFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    setFileHash(file ? keccakBytes(new Uint8Array(await file.arrayBuffer())) : undefined);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setSigned(undefined);
    if (!hash) {
      setStatus({ state: "failed", error: new Error(hashError ?? "Give a text or choose a file first") });
      return;
    }
    try {
      const parents = parent.trim() ? [parseHash(parent.trim(), "parent")] : [];
      const registration = { contributionId: hash, kind, trainingConsent: consent, parents };
      const deadline = BigInt(Math.floor(Date.now() / 1000) + 24 * 3600);
      if (method === "signed-registration" || method === "signed-commitment") {
        setStatus({ state: "working", text: "Sign the registration in your wallet (no transaction, no gas)…" });
        const file =
          method === "signed-registration"
            ? await signRegistration(client, { registration, deadline })
            : await signCommitment(client, { registration, deadline });
        setSigned(JSON.stringify(file, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2));
        setStatus({ state: "done", text: "Signed. Hand this file to a platform to relay; nothing was sent." });
        return;
      }
      setStatus({
        state: "working",
        text:
          method === "direct"
            ? "Registering: sign the transaction in your wallet…"
            : "Registering: sign the commitment, then the reveal once a minute of chain time has passed…",
      });
      const sent = await register(client, {
        ...registration,
        direct: method === "direct",
        // The local chain's clock is moved to the reveal instead of waiting its minute (chain 31337 only).
        wait: { fastForward: client.chainId === 31337 },
      });
      setStatus({ state: "working", text: `Registered in block ${sent.blockNumber}; waiting for the indexer…` });
      await watchIndexed(context.api, hash, setStatus);
      onRegistered();
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };

  return (
    <Section title="Register a contribution" id="register">
      <p class="muted">
        The content is hashed in this browser by the SDK's rules; only its hash is sent, never the text or the file.
      </p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>What to register</legend>
          <label>
            <input type="radio" name="source" checked={source === "text"} onChange={() => setSource("text")} /> A text
          </label>
          <label>
            <input type="radio" name="source" checked={source === "file"} onChange={() => setSource("file")} /> A file
          </label>
        </fieldset>
        {source === "text" ? (
          <label class="block">
            Text (a prompt, a correction, a rating)
            <textarea
              name="text"
              rows={4}
              value={text}
              onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            />
          </label>
        ) : (
          <label class="block">
            File (hashed as its exact bytes)
            <input type="file" name="file" onChange={onFile} />
          </label>
        )}
        <p>
          Content hash: <code data-testid="content-hash">{hash ?? hashError ?? "—"}</code>
        </p>
        <label class="block">
          Kind
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.replace("_", " ")}
              </option>
            ))}
          </select>
        </label>
        <Field
          label="Parent contribution (optional, a content hash)"
          name="parent"
          value={parent}
          placeholder="0x…"
          onValue={setParent}
        />
        <label>
          <input
            type="checkbox"
            name="consent"
            checked={consent}
            onChange={(e) => setConsent((e.currentTarget as HTMLInputElement).checked)}
          />{" "}
          I consent to training use
        </label>
        <label class="block">
          How
          <select
            name="method"
            value={method}
            onChange={(e) => setMethod((e.currentTarget as HTMLSelectElement).value as Method)}
          >
            <option value="commit-reveal">Commit, then reveal (two transactions; safe from copiers)</option>
            <option value="direct">Directly (one transaction; for content already public)</option>
            <option value="signed-commitment">Sign a commitment for a relayer (gasless; safe from copiers)</option>
            <option value="signed-registration">
              Sign a registration for a relayer (gasless; content already public)
            </option>
          </select>
        </label>
        <button type="submit" class="primary">
          {method.startsWith("signed") ? "Sign" : "Register"}
        </button>
      </form>
      <StatusLine status={status} id="register-status" />
      {signed ? (
        <label class="block">
          Signed file for the relayer
          <textarea readOnly rows={10} data-testid="signed-file" value={signed} />
        </label>
      ) : null}
      {hash && method.startsWith("signed") && signed ? <WatchIndexed api={context.api} hash={hash} /> : null}
    </Section>
  );
}

/** Polls the API every `intervalMs` until the contribution is indexed (its record), or `timeoutMs` has passed. */
async function pollIndexed(
  api: TributaryApi,
  hash: Hex,
  { timeoutMs, intervalMs, live = () => true }: { timeoutMs: number; intervalMs: number; live?: () => boolean },
) {
  const deadline = Date.now() + timeoutMs;
  while (live() && Date.now() < deadline) {
    const found = await api.getContribution(hash).catch(() => undefined);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return undefined;
}

/** Waits (2 minutes at most) until a registration is indexed, and says so. */
async function watchIndexed(api: TributaryApi, hash: Hex, setStatus: (status: Status) => void) {
  const found = await pollIndexed(api, hash, { timeoutMs: 120_000, intervalMs: 500 });
  setStatus({
    state: "done",
    text: found
      ? `Indexed: ${shortHex(hash)} is registered to ${shortHex(found.author)} (block ${found.blockNumber}).`
      : `Registered; the indexer has not shown ${shortHex(hash)} yet. Reload later.`,
  });
}

/** After a signature is handed out: shows when a relayer's registration of `hash` is indexed. */
function WatchIndexed({ api, hash }: { api: TributaryApi; hash: Hex }) {
  const [status, setStatus] = useState<Status>({ state: "working", text: "Waiting for a relayer to submit it…" });
  useEffect(() => {
    let live = true;
    void pollIndexed(api, hash, { timeoutMs: 10 * 60_000, intervalMs: 1000, live: () => live }).then((found) => {
      if (found && live) {
        setStatus({
          state: "done",
          text: `Relayed and indexed: ${shortHex(hash)} is registered to ${shortHex(found.author)} (block ${found.blockNumber}).`,
        });
      }
    });
    return () => {
      live = false;
    };
  }, [api, hash]);
  return <StatusLine status={status} id="relay-status" />;
}
