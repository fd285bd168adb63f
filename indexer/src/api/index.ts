import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";

import { loadApiSettings } from "../../config.ts";
import { AnswerCache, cacheAnswers } from "./cache.ts";
import { watchIndexedState } from "./changes.ts";
import { graphqlLimits } from "./graphqlLimits.ts";
import { BadRequest, badRequest, errorBody } from "./http.ts";
import { corsOrigins, identifyClients, rateLimit } from "./limits.ts";
import { livenessRoutes } from "./liveness.ts";
import { leafRoutes, startLeafFiles } from "./routes/leaves.ts";
import { ponderProcess } from "./ponderAdapter.ts";
import { contractRoutes } from "./routes/contracts.ts";
import { earningsHistoryRoutes } from "./routes/earningsHistory.ts";
import { epochRoutes } from "./routes/epochs.ts";
import { registryRoutes } from "./routes/registry.ts";
import { vaultRoutes } from "./routes/vault.ts";
import { HalfShare } from "./share.ts";
import { sqlRoutes } from "./sql.ts";

const settings = loadApiSettings();
const app = new Hono();

app.use("*", corsOrigins(settings.corsOrigins));
// Who the client is, which the rate limit, the live-query slots and the uploads count by: behind a trusted proxy, the
// address its X-Forwarded-For names (docs/operations.md).
app.use("*", identifyClients(settings.trustedProxies));
app.use("*", rateLimit(settings.rateLimit, settings.rateWindowMs));
// Every REST answer depends only on its URL and the indexed state, except the solvency report, which reads the
// vault's balances from the chain, and `/head`, which reads the node's latest block; SQL over HTTP and GraphQL have
// their own paths. A new route that reads the chain must be added here.
// The leaf-file routes read each epoch's status from the chain.
const UNCACHED = /^\/(?:sql|graphql|audit\/solvency|head|claims|epochs\/[^/]+\/[^/]+\/(?:leaves|proofs))(?:\/|$)/;
// Routes whose answers read tables only, never the indexed head's time or number: kept across blocks that write no
// row. Every other route (stream amounts, `at`, stats) is computed again after each indexed block.
const TABLES_ONLY = /^\/(?:authors\/[^/]+\/contributions|anchors\/[^/]+|contributions\/[^/]+\/history|contracts)$/;
const answers = new AnswerCache({
  maxEntries: settings.cacheEntries,
  maxBodyChars: 256 * 1024,
  maxTotalChars: 64 * 1024 * 1024,
  version: watchIndexedState(),
});
app.use(
  "*",
  cacheAnswers(
    answers,
    (path) => UNCACHED.test(path),
    (path) => TABLES_ONLY.test(path),
  ),
);

// SQL over HTTP and GraphQL within their cost limits (docs/api.md#limits); on PGlite, both in one share of its thread,
// at most half of it, so the indexer and the REST routes keep the other half (share.ts).
const pgliteShare = ponderProcess()?.database.dialect === "pglite" ? new HalfShare(16) : undefined;
sqlRoutes(
  app,
  {
    maxCost: settings.sqlMaxCost,
    maxRows: settings.sqlMaxRows,
    maxBytes: settings.sqlMaxBytes,
    timeoutMs: settings.sqlTimeoutMs,
    maxLiveQueries: settings.sqlMaxLiveQueries,
    maxLiveQueriesPerClient: settings.sqlMaxLiveQueriesPerClient,
  },
  pgliteShare,
);
app.use(
  "/graphql",
  graphqlLimits({ maxCost: settings.graphqlMaxCost, maxTokens: settings.graphqlMaxTokens, share: pgliteShare }),
);
app.use(
  "/graphql",
  graphql(
    { db, schema },
    {
      maxOperationDepth: settings.graphqlMaxDepth,
      maxOperationAliases: settings.graphqlMaxAliases,
      maxOperationTokens: settings.graphqlMaxTokens,
    },
  ),
);

// Chained, so that every route's answer type is in `ApiRoutes`, which the SDK's client (sdk/api.ts) reads.
const routes = app
  .route("/", registryRoutes)
  .route("/", vaultRoutes)
  .route("/", contractRoutes)
  .route("/", epochRoutes)
  .route("/", earningsHistoryRoutes(settings.historyMaxClaims))
  .route("/", livenessRoutes(settings))
  .route("/", leafRoutes);
startLeafFiles();

/** The REST routes with their parameters and answers, for `hono/client`'s `hc<ApiRoutes>` (sdk/api.ts). */
export type ApiRoutes = typeof routes;

// Last: what no route answered. Ponder's own routes (/status, /ready, /health, /metrics) are matched before the app.
app.all("*", (c) => c.json(errorBody(`no route ${c.req.method} ${c.req.path}; see docs/api.md`), 404));

app.onError((error, c) => {
  if (error instanceof BadRequest) return badRequest(c, error);
  // Never a stack trace in an answer: the details stay in the indexer's log.
  console.error(error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
