// REST routes over the registry's tables: a contribution with its lineage, and an author's contributions.
import { db } from "ponder:api";
import schema from "ponder:schema";
import type { Hono } from "hono";
import { and, asc, desc, eq, gt, inArray, or } from "ponder";

import { contributionEarnings } from "./vault";
import { decodeCursor, encodeCursor, parseAddress, parseHash, parseLimit, toJson, type Hex } from "../http";

const LINEAGE_LIMIT = 100;

async function summaries(ids: Hex[]) {
  if (ids.length === 0) return new Map<string, { author: Hex; kind: string; registeredAt: bigint }>();
  const rows = await db
    .select({
      id: schema.contribution.id,
      author: schema.contribution.author,
      kind: schema.contribution.kind,
      registeredAt: schema.contribution.registeredAt,
    })
    .from(schema.contribution)
    .where(inArray(schema.contribution.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

export function registryRoutes(app: Hono) {
  app.get("/contributions/:hash", async (c) => {
    const id = parseHash(c.req.param("hash"), "hash");
    const [record] = await db.select().from(schema.contribution).where(eq(schema.contribution.id, id)).limit(1);
    if (record === undefined) return c.json({ error: `no contribution registered with hash ${id}` }, 404);

    // The record decides 404; the rest is independent and read at once.
    const [parentEdges, childEdges, earnings] = await Promise.all([
      db
        .select()
        .from(schema.contributionParent)
        .where(eq(schema.contributionParent.child, id))
        .orderBy(asc(schema.contributionParent.position)),
      db
        .select()
        .from(schema.contributionParent)
        .where(eq(schema.contributionParent.parent, id))
        .orderBy(asc(schema.contributionParent.child))
        .limit(LINEAGE_LIMIT),
      contributionEarnings(id),
    ]);
    const known = await summaries([...parentEdges.map((e) => e.parent), ...childEdges.map((e) => e.child)]);

    return c.json(
      toJson({
        ...record,
        parents: parentEdges.map((edge) => ({ hash: edge.parent, position: edge.position, ...known.get(edge.parent) })),
        children: childEdges.map((edge) => ({ hash: edge.child, ...known.get(edge.child) })),
        childrenTruncated: record.childCount > childEdges.length,
        earnings,
      }),
    );
  });

  app.get("/authors/:address/contributions", async (c) => {
    const wallet = parseAddress(c.req.param("address"), "address");
    const limit = parseLimit(c.req.query("limit"));
    const cursor = decodeCursor(c.req.query("cursor"), ["uint", "hash"]);
    const { contribution } = schema;

    const after = cursor
      ? or(
          gt(contribution.registeredAt, BigInt(cursor[0]!)),
          and(eq(contribution.registeredAt, BigInt(cursor[0]!)), gt(contribution.id, cursor[1] as Hex)),
        )
      : undefined;
    const [rows, [account]] = await Promise.all([
      db
        .select()
        .from(contribution)
        .where(and(eq(contribution.author, wallet), after))
        .orderBy(asc(contribution.registeredAt), asc(contribution.id))
        .limit(limit + 1),
      db.select().from(schema.author).where(eq(schema.author.id, wallet)).limit(1),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];

    return c.json(
      toJson({
        author: wallet,
        total: account?.contributionCount ?? 0,
        items: page,
        nextCursor: rows.length > limit && last ? encodeCursor([last.registeredAt, last.id]) : null,
      }),
    );
  });

  app.get("/anchors/:root", async (c) => {
    const root = parseHash(c.req.param("root"), "root");
    const [row] = await db.select().from(schema.anchor).where(eq(schema.anchor.id, root)).limit(1);
    if (row === undefined) return c.json({ error: `no anchor with root ${root}` }, 404);
    return c.json(toJson(row));
  });

  app.get("/contributions/:hash/history", async (c) => {
    const id = parseHash(c.req.param("hash"), "hash");
    const [registrations, consent, transfers, superseded] = await Promise.all([
      db
        .select()
        .from(schema.registrationEvent)
        .where(eq(schema.registrationEvent.contributionId, id))
        .orderBy(desc(schema.registrationEvent.blockNumber), desc(schema.registrationEvent.logIndex)),
      db
        .select()
        .from(schema.consentEvent)
        .where(eq(schema.consentEvent.contributionId, id))
        .orderBy(desc(schema.consentEvent.blockNumber), desc(schema.consentEvent.logIndex)),
      db
        .select()
        .from(schema.transferEvent)
        .where(eq(schema.transferEvent.contributionId, id))
        .orderBy(desc(schema.transferEvent.blockNumber), desc(schema.transferEvent.logIndex)),
      db
        .select()
        .from(schema.supersededEvent)
        .where(eq(schema.supersededEvent.contributionId, id))
        .orderBy(desc(schema.supersededEvent.blockNumber), desc(schema.supersededEvent.logIndex)),
    ]);
    if (registrations.length === 0) return c.json({ error: `no contribution registered with hash ${id}` }, 404);
    return c.json(toJson({ contributionId: id, registrations, consent, transfers, superseded }));
  });
}
