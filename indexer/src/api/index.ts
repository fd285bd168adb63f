import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

import { loadApiSettings } from "../../config";
import { AnswerCache, cacheAnswers } from "./cache";
import { watchIndexedState } from "./changes";
import { BadRequest, badRequest } from "./http";
import { corsOrigins, rateLimit, sqlErrorsAsBadRequest } from "./limits";
import { livenessRoutes } from "./liveness";
import { dropShadowingTables } from "./pglite";
import { contractRoutes } from "./routes/contracts";
import { registryRoutes } from "./routes/registry";
import { vaultRoutes } from "./routes/vault";

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

app.use("/sql/*", sqlErrorsAsBadRequest());
app.use("/sql/*", dropShadowingTables());
app.use("/sql/*", client({ db, schema }));
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

app.onError((error, c) => {
  if (error instanceof BadRequest) return badRequest(c, error);
  // Never a stack trace in an answer: the details stay in the indexer's log.
  console.error(error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
