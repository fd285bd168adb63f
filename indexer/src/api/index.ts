import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

import { loadApiSettings } from "../../config";
import { BadRequest, badRequest } from "./http";
import { corsOrigins, rateLimit, sqlErrorsAsBadRequest } from "./limits";
import { registryRoutes } from "./routes/registry";
import { vaultRoutes } from "./routes/vault";

const settings = loadApiSettings();
const app = new Hono();

app.use("*", corsOrigins(settings.corsOrigins));
app.use("*", rateLimit(settings.rateLimit, settings.rateWindowMs));

app.use("/sql/*", sqlErrorsAsBadRequest());
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

app.onError((error, c) => {
  if (error instanceof BadRequest) return badRequest(c, error);
  // Never a stack trace in an answer: the details stay in the indexer's log.
  console.error(error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
