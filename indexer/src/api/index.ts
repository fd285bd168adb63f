import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { graphql } from "ponder";

import { loadApiSettings } from "../../config";
import { AnswerCache, cacheAnswers } from "./cache";
import { watchIndexedState } from "./changes";
import { graphqlLimits } from "./graphqlLimits";
import { BadRequest, badRequest, errorBody } from "./http";
import { corsOrigins, rateLimit } from "./limits";
import { livenessRoutes } from "./liveness";
import { ponderProcess } from "./ponderAdapter";
import { contractRoutes } from "./routes/contracts";
import { registryRoutes } from "./routes/registry";
import { vaultRoutes } from "./routes/vault";
import { HalfShare } from "./share";
import { sqlRoutes } from "./sql";

const settings = loadApiSettings();
const app = new Hono();

app.use("*", corsOrigins(settings.corsOrigins));
app.use("*", rateLimit(settings.rateLimit, settings.rateWindowMs));
// Every REST answer depends only on its URL and the indexed state, except the solvency report, which reads the
// vault's balances from the chain, and `/head`, which reads the node's latest block; SQL over HTTP and GraphQL have
// their own paths. A new route that reads the chain must be added here.
const UNCACHED = /^\/(?:sql|graphql|audit\/solvency|head)(?:\/|$)/;
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

registryRoutes(app);
vaultRoutes(app);
contractRoutes(app);
livenessRoutes(app, settings);

// Last: what no route answered. Ponder's own routes (/status, /ready, /health, /metrics) are matched before the app.
app.all("*", (c) => c.json(errorBody(`no route ${c.req.method} ${c.req.path}; see docs/api.md`), 404));

app.onError((error, c) => {
  if (error instanceof BadRequest) return badRequest(c, error);
  // Never a stack trace in an answer: the details stay in the indexer's log.
  console.error(error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
