// The web app's shell: reads config.json, connects to the node for reads (a node that does not answer leaves the
// API-backed pages working, with the failure shown), keeps the connected wallet, and routes by the URL's hash to the
// contributor's page, the auditor's explorer and the provider's page.
import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";

import { TributaryApi, connect, type TributaryClient } from "../../sdk/index.ts";
import { loadConfig, type AppConfig } from "./config.ts";
import { ContributorPage } from "./pages/contributor.tsx";
import { ExplorerPage } from "./pages/explorer.tsx";
import { ProviderPage } from "./pages/provider.tsx";
import { ErrorBox, StatusLine, shortHex, type Status } from "./ui.tsx";
import { connectWallet, switchChain, walletStore, type ConnectedWallet, type WalletDetail } from "./wallet.ts";
import "./style.css";

export interface AppContext {
  config: AppConfig;
  api: TributaryApi;
  /** The read-only connection to the node; undefined while connecting or when the node does not answer. */
  network: TributaryClient | undefined;
  networkError: unknown;
  wallet: ConnectedWallet | undefined;
  /** The wallet is connected and on the app's chain. */
  walletReady: boolean;
}

const ROUTES = [
  { hash: "#/contributor", label: "Contributor" },
  { hash: "#/explorer", label: "Explorer" },
  { hash: "#/provider", label: "Provider" },
] as const;

function useHash(): string {
  const [hash, setHash] = useState(location.hash || "#/contributor");
  useEffect(() => {
    const onChange = () => setHash(location.hash || "#/contributor");
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

function useWallets(): readonly WalletDetail[] {
  const [wallets, setWallets] = useState<readonly WalletDetail[]>(walletStore?.getProviders() ?? []);
  useEffect(() => walletStore?.subscribe((providers) => setWallets([...providers]), { emitImmediately: true }), []);
  return wallets;
}

function WalletBar({
  config,
  wallet,
  setWallet,
}: {
  config: AppConfig;
  wallet: ConnectedWallet | undefined;
  setWallet: (wallet: ConnectedWallet | undefined) => void;
}) {
  const wallets = useWallets();
  const [status, setStatus] = useState<Status>({ state: "idle" });

  // The wallet's owner may switch accounts or chains from the wallet itself.
  useEffect(() => {
    if (!wallet) return;
    const provider = wallet.detail.provider;
    const onAccounts = (accounts: readonly string[]) =>
      setWallet(accounts[0] ? { ...wallet, account: accounts[0] as `0x${string}` } : undefined);
    const onChain = (chainId: string) => setWallet({ ...wallet, chainId: Number(chainId) });
    provider.on("accountsChanged", onAccounts as never);
    provider.on("chainChanged", onChain as never);
    return () => {
      provider.removeListener("accountsChanged", onAccounts as never);
      provider.removeListener("chainChanged", onChain as never);
    };
  }, [wallet, setWallet]);

  const connectTo = async (detail: WalletDetail) => {
    setStatus({ state: "working", text: `Asking ${detail.info.name} for an account…` });
    try {
      setWallet(await connectWallet(detail));
      setStatus({ state: "idle" });
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };
  const switchNetwork = async () => {
    if (!wallet) return;
    setStatus({ state: "working", text: `Asking ${wallet.detail.info.name} to switch to chain ${config.chainId}…` });
    try {
      await switchChain(wallet.detail.provider, config.chainId, config.rpcUrl);
      const chainId = Number(await wallet.detail.provider.request({ method: "eth_chainId" }));
      setWallet({ ...wallet, chainId });
      setStatus({ state: "idle" });
    } catch (error) {
      setStatus({ state: "failed", error });
    }
  };

  return (
    <div class="wallet" aria-label="Wallet">
      {wallet ? (
        <>
          <span class="account" data-testid="account" title={wallet.account}>
            {wallet.detail.info.name}: {shortHex(wallet.account)}
          </span>
          {wallet.chainId !== config.chainId ? (
            <span class="notice warn" role="alert" data-testid="wrong-chain">
              Your wallet is on chain {wallet.chainId}; this app uses chain {config.chainId}.{" "}
              <button type="button" onClick={switchNetwork}>
                Switch to chain {config.chainId}
              </button>
            </span>
          ) : null}
          <button type="button" onClick={() => setWallet(undefined)}>
            Disconnect
          </button>
        </>
      ) : wallets.length === 0 ? (
        <span class="muted" data-testid="no-wallet">
          No browser wallet found: the explorer works without one.
        </span>
      ) : (
        wallets.map((detail) => (
          <button type="button" key={detail.info.uuid} onClick={() => connectTo(detail)}>
            <img src={detail.info.icon} alt="" width={16} height={16} /> Connect {detail.info.name}
          </button>
        ))
      )}
      <StatusLine status={status} />
    </div>
  );
}

function App() {
  const [config, setConfig] = useState<AppConfig>();
  const [configError, setConfigError] = useState<unknown>();
  const [network, setNetwork] = useState<TributaryClient>();
  const [networkError, setNetworkError] = useState<unknown>();
  const [wallet, setWalletState] = useState<ConnectedWallet>();
  const setWallet = useCallback((next: ConnectedWallet | undefined) => setWalletState(next), []);
  const hash = useHash();

  useEffect(() => {
    loadConfig().then(setConfig, setConfigError);
  }, []);
  useEffect(() => {
    if (!config) return;
    connect({ rpcUrl: config.rpcUrl, chainId: config.chainId, deployment: config.deployment }).then(
      setNetwork,
      setNetworkError,
    );
  }, [config]);

  if (configError) return <ErrorBox error={configError} what="The app's configuration" />;
  if (!config) return <p class="loading">Loading Tributary…</p>;
  const context: AppContext = {
    config,
    api: new TributaryApi(config.apiUrl),
    network,
    networkError,
    wallet,
    walletReady: wallet !== undefined && wallet.chainId === config.chainId,
  };
  const route = ROUTES.find((r) => r.hash === hash) ?? ROUTES[0];
  return (
    <>
      <header>
        <h1>Tributary</h1>
        <nav aria-label="Pages">
          {ROUTES.map((r) => (
            <a key={r.hash} href={r.hash} aria-current={r === route ? "page" : undefined}>
              {r.label}
            </a>
          ))}
        </nav>
        <WalletBar config={config} wallet={wallet} setWallet={setWallet} />
      </header>
      {networkError ? (
        <div class="notice error" role="alert" data-testid="rpc-error">
          The node at {config.rpcUrl} could not be reached, so on-chain reads and transactions are unavailable:{" "}
          {(networkError as Error).message}
        </div>
      ) : null}
      <main>
        {route.hash === "#/explorer" ? (
          <ExplorerPage context={context} />
        ) : route.hash === "#/provider" ? (
          <ProviderPage context={context} />
        ) : (
          <ContributorPage context={context} />
        )}
      </main>
      <footer>
        Chain {config.chainId} · API {config.apiUrl} · node {config.rpcUrl}
      </footer>
    </>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
