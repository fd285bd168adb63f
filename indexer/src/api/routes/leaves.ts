// REST routes over the stored leaf files of attribution epochs (docs/api.md, "Leaf files and proofs"): anyone uploads
// a published epoch's leaf file, which is kept only when it reproduces the chain's root and leaf-file hash; then any
// contribution's proof, and everything an author can claim, are served from the database alone.
import { Hono, type Context } from "hono";

import { loadLeafFileSettings, loadSettings } from "../../../config.ts";
import {
  decodeCursor,
  encodeCursor,
  errorBody,
  pageQuery,
  parseAddress,
  parseEpochId,
  parseHash,
  parseLimit,
  parsePoolId,
  toJson,
  type Hex,
} from "../http.ts";
import { EpochsReader } from "../leaves/chain.ts";
import { clientAddress } from "../limits.ts";
import { isReadOnlyError, leafDatabase } from "../leaves/db.ts";
import { LeafFileRefused, LeafIngest, READ_ONLY_MESSAGE } from "../leaves/ingest.ts";
import { LeafStore, type StoredLeafFile } from "../leaves/store.ts";

export interface Leaves {
  store: LeafStore;
  ingest: LeafIngest;
  chain: EpochsReader;
}

let leaves: Leaves | undefined | null;

/** The store, the chain reader and the ingest, made on first use; null without AttributionEpochs or a database. */
function open(): Leaves | null {
  if (leaves !== undefined) return leaves;
  const settings = loadSettings();
  const fileSettings = loadLeafFileSettings();
  const db = leafDatabase();
  if (settings.epochs === undefined || db === undefined) return (leaves = null);
  const chain = new EpochsReader({
    rpcUrl: settings.rpcUrl.replace(/^ws/, "http"),
    chainId: settings.chainId,
    contract: settings.epochs.address,
    startBlock: settings.epochs.startBlock,
  });
  const store = new LeafStore(db, fileSettings.schema, fileSettings);
  const ingest = new LeafIngest({
    store,
    chain,
    maxBytes: fileSettings.maxBytes,
    uploadDir: fileSettings.uploadDir,
    maxConcurrentUploads: fileSettings.maxConcurrentUploads,
    syncBytes: fileSettings.syncBytes,
    minBytesPerSecond: fileSettings.minUploadBytesPerSecond,
  });
  ingest.watchSources(fileSettings.sources);
  return (leaves = { store, ingest, chain });
}

/** Starts the store at the API's start: its tables, the cleanup after a crash, the operator's sources. */
export function startLeafFiles(): void {
  const opened = open();
  void opened?.store.ready().catch((error: Error) => console.error(`leaf files: ${error.message}`));
}

/** The leaf store, its ingest and chain reader; null without AttributionEpochs or a database. */
export function leafFiles(): Leaves | null {
  return open();
}

function required(c: Context): Leaves {
  const opened = open();
  if (opened === null) throw new LeafFileRefused(404, "this deployment has no AttributionEpochs contract", "poolId");
  return opened;
}

function refused(c: Context, error: LeafFileRefused) {
  if (error.retryAfterSeconds !== undefined) c.header("Retry-After", String(error.retryAfterSeconds));
  return c.json(errorBody(error.message, error.parameter), error.status);
}

const statusPath = (poolId: bigint, epochId: number) => `/epochs/${poolId}/${epochId}/leaves/status`;

function fileSummary(poolId: bigint, epochId: number, file: StoredLeafFile) {
  return {
    poolId,
    epochId,
    root: file.root,
    leafFileHash: file.leafFileHash,
    leafCount: file.count,
    total: file.total,
    previousEpoch: file.previousEpoch,
    bytes: file.bytes,
    storedAt: file.storedAt,
  };
}

/** The stored file of an epoch that the chain says was published and not vetoed, or the refusal why not. */
async function servable(opened: Leaves, poolId: bigint, epochId: number) {
  const epoch = await opened.chain.epoch(poolId, epochId);
  if (epoch.status === "none")
    throw new LeafFileRefused(404, `pool ${poolId} has no epoch ${epochId} on chain`, "epochId");
  if (epoch.status === "vetoed") {
    throw new LeafFileRefused(410, `epoch ${epochId} of pool ${poolId} was vetoed: it never pays`, "epochId");
  }
  const file = await opened.store.stored(opened.ingest.key(poolId, epochId));
  if (file === undefined) {
    throw new LeafFileRefused(
      404,
      `no leaf file is stored for epoch ${epochId} of pool ${poolId}; upload it (POST /epochs/${poolId}/${epochId}/leaves)`,
      "epochId",
    );
  }
  // A reorg that replaced the publication leaves a stored file whose root the contract no longer holds.
  if (file.root !== epoch.root) {
    throw new LeafFileRefused(
      409,
      `the stored leaf file's root ${file.root} is no longer epoch ${epochId}'s root ${epoch.root}`,
      "epochId",
    );
  }
  return { epoch, file };
}

export const CLAIMS_PAGE_SIZE = 25;

/** The routes over stored leaf files; chained so that their answer types reach `ApiRoutes` (index.ts). */
export const leafRoutes = new Hono()
  .post("/epochs/:poolId/:epochId/leaves", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const epochId = parseEpochId(c.req.param("epochId"));
    try {
      const opened = required(c);
      const taken = await opened.ingest.upload(
        opened.ingest.key(poolId, epochId),
        c.req.raw.body,
        c.req.header("content-length"),
        clientAddress(c),
      );
      if (taken.accepted) {
        const statusUrl = statusPath(poolId, epochId);
        c.header("Location", statusUrl);
        return c.json(toJson({ state: "checking" as const, poolId, epochId, bytes: taken.bytes, statusUrl }), 202);
      }
      const { stored, file } = taken;
      return c.json(
        toJson({ state: "stored" as const, stored, ...fileSummary(poolId, epochId, file) }),
        stored ? 201 : 200,
      );
    } catch (error) {
      if (error instanceof LeafFileRefused) return refused(c, error);
      if (isReadOnlyError(error)) {
        return c.json(errorBody(READ_ONLY_MESSAGE), 503);
      }
      throw error;
    }
  })
  .get("/epochs/:poolId/:epochId/leaves/status", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const epochId = parseEpochId(c.req.param("epochId"));
    try {
      const opened = required(c);
      const key = opened.ingest.key(poolId, epochId);
      const status = opened.ingest.status(key);
      if (status?.state === "refused") {
        const { refusal } = status;
        if (refusal.retryAfterSeconds !== undefined) c.header("Retry-After", String(refusal.retryAfterSeconds));
        return c.json({ state: "refused" as const, ...errorBody(refusal.message, refusal.parameter) }, refusal.status);
      }
      if (status?.state === "checking") {
        return c.json(
          toJson({ state: "checking" as const, poolId, epochId, bytes: status.bytes, since: status.since }),
          200,
        );
      }
      const file = status?.state === "stored" ? status.file : await opened.store.stored(key);
      if (file === undefined) {
        throw new LeafFileRefused(
          404,
          `no upload of epoch ${epochId} of pool ${poolId} is being checked, and no leaf file of it is stored`,
          "epochId",
        );
      }
      return c.json(toJson({ state: "stored" as const, stored: true, ...fileSummary(poolId, epochId, file) }), 200);
    } catch (error) {
      if (error instanceof LeafFileRefused) return refused(c, error);
      throw error;
    }
  })
  .get("/epochs/:poolId/:epochId/leaves", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const epochId = parseEpochId(c.req.param("epochId"));
    try {
      const opened = required(c);
      const { epoch, file } = await servable(opened, poolId, epochId);
      return c.json(toJson({ ...fileSummary(poolId, epochId, file), status: epoch.status }), 200);
    } catch (error) {
      if (error instanceof LeafFileRefused) return refused(c, error);
      throw error;
    }
  })
  .get("/epochs/:poolId/:epochId/proofs/:contributionId", async (c) => {
    const poolId = parsePoolId(c.req.param("poolId"));
    const epochId = parseEpochId(c.req.param("epochId"));
    const contributionId = parseHash(c.req.param("contributionId"), "contributionId");
    try {
      const opened = required(c);
      const { epoch, file } = await servable(opened, poolId, epochId);
      const leaf = await opened.store.proof(file.fileId, contributionId);
      if (leaf === undefined) {
        throw new LeafFileRefused(
          404,
          `epoch ${epochId} of pool ${poolId} has no leaf for ${contributionId}`,
          "contributionId",
        );
      }
      return c.json(toJson({ poolId, epochId, contributionId, ...leaf, root: file.root, status: epoch.status }), 200);
    } catch (error) {
      if (error instanceof LeafFileRefused) return refused(c, error);
      throw error;
    }
  })
  .get("/claims/:author", pageQuery, async (c) => {
    const author = parseAddress(c.req.param("author"), "author");
    const limit = parseLimit(c.req.query("limit"));
    const after = decodeCursor(c.req.query("cursor"), ["hash"])?.[0] as Hex | undefined;
    try {
      const opened = required(c);
      // Claims prove against each pool's payable epoch: only those epochs' stored files can pay now.
      const epochs = await opened.store.storedEpochs(opened.chain.chainId, opened.chain.contract);
      const pools = [...new Set(epochs.map((epoch) => epoch.poolId))];
      const payable = new Map<bigint, number>();
      await Promise.all(pools.map(async (poolId) => payable.set(poolId, await opened.chain.payableEpoch(poolId))));
      const files = epochs.filter((epoch) => payable.get(epoch.poolId) === epoch.epochId);
      const byFile = new Map(files.map((file) => [file.fileId, file]));
      const rows = await opened.store.authorLeaves([...byFile.keys()], author, after, limit + 1);
      // A page ends between contributions, so that the cursor (the last contributionId) skips none of its pools.
      let page = rows.slice(0, limit);
      const next = rows[limit];
      const cut = page.filter((row) => row.contributionId !== next?.contributionId);
      if (next !== undefined && cut.length > 0) page = cut;
      const items = await Promise.all(
        page.map(async ({ fileId, contributionId }) => {
          const { poolId, epochId } = byFile.get(fileId)!;
          const leaf = (await opened.store.proof(fileId, contributionId))!;
          const claim = { poolId, epochId, contributionId, ...leaf };
          return { ...claim, claimable: await opened.chain.claimable(claim) };
        }),
      );
      const last = page.at(-1);
      return c.json(
        toJson({
          author,
          items,
          nextCursor: rows.length > limit && last !== undefined ? encodeCursor([last.contributionId]) : null,
        }),
        200,
      );
    } catch (error) {
      if (error instanceof LeafFileRefused) return refused(c, error);
      throw error;
    }
  });
