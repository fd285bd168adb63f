// The model provider's page: open a pool, deposit revenue into one, and see their pools' state. Units and epochs are
// set from the CLI or the SDK, where a provider's files are.
import { useEffect, useState } from "preact/hooks";
import type { Address } from "viem";

import {
  ETH,
  createPool,
  deposit,
  getPool,
  getTokenInfo,
  parseAmount,
  parseDuration,
  parsePoolId,
  parseToken,
  type ApiPool,
  type TributaryApi,
  type TributaryClient,
} from "../../../sdk/index.ts";
import type { AppContext } from "../main.tsx";
import {
  ErrorBox,
  Section,
  StatusLine,
  amountText,
  tokenLabel,
  useTokens,
  type Status,
  Table,
  Field,
  waitForIndexer,
} from "../ui.tsx";
import { signingClient } from "../wallet.ts";

async function poolsOf(api: TributaryApi, admin: Address): Promise<ApiPool[]> {
  const mine: ApiPool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const answer = await api.getPools({ limit: 100, cursor });
    mine.push(...answer.items.filter((p) => p.admin.toLowerCase() === admin.toLowerCase()));
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  return mine;
}

export function ProviderPage({ context }: { context: AppContext }) {
  const { wallet, walletReady, network } = context;
  if (!wallet || !walletReady || !network) {
    return (
      <Section title="Royalty pools" id="provider">
        <p>
          {!wallet
            ? "Connect the wallet of a model provider to open a pool and deposit revenue."
            : !walletReady
              ? `Switch your wallet to chain ${context.config.chainId} to continue.`
              : "Connecting to the node…"}
        </p>
        {context.networkError ? <ErrorBox error={context.networkError} what="The node" /> : null}
      </Section>
    );
  }
  return <Provider context={context} client={signingClient(network, wallet)} admin={wallet.account} />;
}

function Provider({ context, client, admin }: { context: AppContext; client: TributaryClient; admin: Address }) {
  const [pools, setPools] = useState<{ items?: ApiPool[]; error?: unknown }>({});
  const [version, setVersion] = useState(0);
  useEffect(() => {
    poolsOf(context.api, admin).then(
      (items) => setPools({ items }),
      (error: unknown) => setPools({ error }),
    );
  }, [context.api, admin, version]);
  const tokens = useTokens(client, pools.items?.map((p) => p.token) ?? []);
  const refresh = (block: bigint) => void waitForIndexer(context.api, block).then(() => setVersion((v) => v + 1));
  return (
    <>
      <Section title="Your pools" id="my-pools">
        {pools.error ? <ErrorBox error={pools.error} what="Your pools" /> : null}
        {pools.items?.length === 0 ? <p>You administer no pool yet.</p> : null}
        {pools.items?.length ? (
          <Table testId="my-pools" headers={["Pool", "Token", "Deposited", "Claimed", "Owes", "Units", "Stream"]}>
            {pools.items.map((p) => (
              <tr key={p.poolId}>
                <td>#{p.poolId}</td>
                <td>{tokenLabel(p.token, tokens)}</td>
                <td>{amountText(p.deposited, p.token, tokens)}</td>
                <td>{amountText(p.claimed, p.token, tokens)}</td>
                <td>{amountText(p.liabilities, p.token, tokens)}</td>
                <td>
                  {p.totalUnits} over {p.contributionCount}
                </td>
                <td>{p.stream.streaming ? "streaming" : "idle"}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Section>
      <OpenPool client={client} onDone={refresh} />
      <Deposit client={client} onDone={refresh} />
    </>
  );
}

function OpenPool({ client, onDone }: { client: TributaryClient; onDone: (block: bigint) => void }) {
  const [token, setToken] = useState("");
  const [duration, setDuration] = useState("1d");
  const [uri, setUri] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const seconds = parseDuration(duration, "duration");
      const parsedToken = token.trim() ? parseToken(token.trim(), "token") : ETH;
      setStatus({ state: "working", text: "Opening the pool: sign in your wallet…" });
      const created = await createPool(client, { token: parsedToken, duration: seconds, uri: uri.trim() });
      setStatus({ state: "done", text: `Pool #${created.poolId} opened in block ${created.blockNumber}.` });
      onDone(created.blockNumber);
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };
  return (
    <Section title="Open a pool" id="open-pool">
      <form onSubmit={submit}>
        <Field
          label="Token (an ERC-20's address; empty for ETH)"
          name="token"
          value={token}
          placeholder="ETH"
          onValue={setToken}
        />
        <Field
          label="Each deposit streams over (1h to 10 years: 1h, 30d, 52w)"
          name="duration"
          value={duration}
          onValue={setDuration}
        />
        <Field label="Metadata URI (optional)" name="uri" value={uri} onValue={setUri} />
        <button type="submit" class="primary">
          Open the pool
        </button>
      </form>
      <StatusLine status={status} id="open-pool-status" />
    </Section>
  );
}

function Deposit({ client, onDone }: { client: TributaryClient; onDone: (block: bigint) => void }) {
  const [poolId, setPoolId] = useState("");
  const [amount, setAmount] = useState("");
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const id = parsePoolId(poolId.trim(), "poolId");
      const pool = await getPool(client, id);
      const info = await getTokenInfo(client, pool.token);
      const value = parseAmount(amount.trim(), info.decimals, "amount");
      setStatus({ state: "working", text: `Depositing into pool #${id}: sign in your wallet…` });
      const sent = await deposit(client, { poolId: id, amount: value });
      setStatus({
        state: "done",
        text: `Deposited ${amountText(sent.amount, info.address, new Map([[info.address.toLowerCase(), info]]))} into pool #${id} in block ${sent.blockNumber}.`,
      });
      onDone(sent.blockNumber);
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };
  return (
    <Section title="Deposit revenue" id="deposit">
      <form onSubmit={submit}>
        <Field label="Pool id" name="poolId" inputMode="numeric" value={poolId} onValue={setPoolId} />
        <Field
          label="Amount (in whole tokens, e.g. 0.5)"
          name="amount"
          inputMode="decimal"
          value={amount}
          onValue={setAmount}
        />
        <button type="submit" class="primary">
          Deposit
        </button>
      </form>
      <StatusLine status={status} id="deposit-status" />
      <p class="muted">
        Units and epochs are set from the CLI (<code>tributary units set</code>) or the SDK.
      </p>
    </Section>
  );
}
