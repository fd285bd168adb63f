import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, eq, graphql } from "ponder";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** Serializes a row for JSON: bigints become decimal strings, so no amount or time loses precision. */
function toJson<T extends Record<string, unknown>>(row: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}

app.get("/contributions/:hash", async (c) => {
  const hash = c.req.param("hash");
  if (!HASH.test(hash)) {
    return c.json({ error: "hash must be 0x followed by 64 hexadecimal characters", parameter: "hash" }, 400);
  }
  const id = hash.toLowerCase() as `0x${string}`;
  const rows = await db.select().from(schema.contribution).where(eq(schema.contribution.id, id)).limit(1);
  const row = rows[0];
  if (row === undefined) return c.json({ error: `no contribution registered with hash ${id}` }, 404);
  return c.json(toJson(row));
});

export default app;
