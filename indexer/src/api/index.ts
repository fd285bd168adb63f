import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

import { BadRequest, badRequest } from "./http";
import { registryRoutes } from "./routes/registry";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

registryRoutes(app);

app.onError((error, c) => {
  if (error instanceof BadRequest) return badRequest(c, error);
  // Never a stack trace in an answer: the details stay in the indexer's log.
  console.error(error);
  return c.json({ error: "internal error" }, 500);
});

export default app;
