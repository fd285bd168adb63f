// REST routes over the registry's tables: a contribution with its lineage, and an author's contributions.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { and, asc, desc, eq, gt, inArray, or } from "ponder";

import { contributionEarnings } from "./vault.ts";
import { errorBody, page, pageParameters, pageQuery, parseAddress, parseHash, toJson, type Hex } from "../http.ts";

type ContributionRow = typeof schema.contribution.$inferSelect;

const LINEAGE_LIMIT = 100;

async function summaries(ids: Hex[]) {
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({
            id: schema.contribution.id,
            author: schema.contribution.author,
            kind: schema.contribution.kind,
            registeredAt: schema.contribution.registeredAt,
          })
          .from(schema.contribution)
          .where(inArray(schema.contribution.id, ids));
  return new Map(rows.map(({ id, ...summary }) => [id, summary]));
}

/** A contribution's record as the API serves it: its id as `contributionId`, like every other answer. */
function record({ id, ...row }: ContributionRow) {
  return { contributionId: id, ...row };
}

/** The routes over the registry's tables; chained so that their answer types reach `ApiRoutes` (index.ts). */
export const registryRoutes = new Hono()
  .get("/contributions/:contributionId", async (c) => {
    const id = parseHash(c.req.param("contributionId"), "contributionId");
    const [row] = await db.select().from(schema.contribution).where(eq(schema.contribution.id, id)).limit(1);
    if (row === undefined) return c.json(errorBody(`no contribution registered with hash ${id}`), 404);

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
    const summary = (contributionId: Hex) => ({ contributionId, ...known.get(contributionId) });

    return c.json(
      toJson({
        ...record(row),
        parents: parentEdges.map((edge) => ({ ...summary(edge.parent), position: edge.position })),
        children: childEdges.map((edge) => summary(edge.child)),
        childrenTruncated: row.childCount > childEdges.length,
        earnings,
      }),
      200,
    );
  })
  .get("/authors/:address/contributions", pageQuery, async (c) => {
    const wallet = parseAddress(c.req.param("address"), "address");
    const { limit, cursor } = pageParameters(c, ["uint", "hash"]);
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
    const { items, nextCursor } = page(rows, limit, (row) => [row.registeredAt, row.id]);
    return c.json(
      toJson({ author: wallet, total: account?.contributionCount ?? 0, items: items.map(record), nextCursor }),
      200,
    );
  })
  .get("/anchors/:root", async (c) => {
    const root = parseHash(c.req.param("root"), "root");
    const [row] = await db.select().from(schema.anchor).where(eq(schema.anchor.id, root)).limit(1);
    if (row === undefined) return c.json(errorBody(`no anchor with root ${root}`), 404);
    const { id: _id, ...anchor } = row;
    return c.json(toJson({ root: row.id, ...anchor }), 200);
  })
  .get("/contributions/:contributionId/history", async (c) => {
    const id = parseHash(c.req.param("contributionId"), "contributionId");
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
    if (registrations.length === 0) return c.json(errorBody(`no contribution registered with hash ${id}`), 404);
    return c.json(toJson({ contributionId: id, registrations, consent, transfers, superseded }), 200);
  });
