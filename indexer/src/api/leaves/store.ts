// Where verified leaf files live: three tables in a schema of their own (docs/architecture.md, "Leaf files"), the
// same on PGlite and PostgreSQL.
//
//   leaf_file  one row per stored epoch: its header, hash and size. Its insert is what makes an epoch visible.
//   leaf       one row per leaf: contributionId -> cumulativeAmount, firstEpoch, the leaf's index in the tree, and the
//              lower part of its proof (the siblings below the tree's top levels, 32 bytes each).
//   tree_top   one row per file: the tree's top levels (TRIBUTARY_LEAF_TOP_LEVELS, 17 by default: 2^17 - 1 nodes,
//              4 MB), the first nodes of its flat array. For a million leaves (depth 20) a leaf's row then holds 4
//              siblings, 128 bytes.
//
// A proof is then one leaf row read by its key and the top of its file, which is read once and kept in memory (a
// bounded cache): no walk through the database. A top that does not fit the cache is served by reading a proof's
// siblings from it alone, until its file is asked often enough to be read whole (TOP_ADMIT_AFTER).
//
// A file is checked whole before anything is written (the SDK's readLeafFile: one streaming pass, 32 bytes a leaf
// kept). Its rows are then written in batches under a file id that no leaf_file row names yet, so readers never see
// them; the one insert into leaf_file makes the epoch appear, whole. A process killed meanwhile leaves only rows of an
// unnamed file id, which the next start deletes (`removeUnfinished`).
import type { Hex } from "viem";

import { eachLine } from "../../../../sdk/epochs/lines.ts";
import type { LeafFileHeader } from "../../../../sdk/epochs/leaf-file.ts";
import { toHex32 } from "../../../../sdk/epochs/leaf.ts";
import { siblingIndex, type EpochTree } from "../../../../sdk/epochs/tree.ts";
import { isReadOnlyError, type LeafDatabase, type Rows } from "./db.ts";

/** Rows per INSERT statement while a file is stored: small enough that one statement holds PGlite's thread briefly. */
const BATCH = 2_000;
/** Leaf rows one proof read may look up at once. */
const READ_BATCH = 100;

/**
 * Proofs a file's top is asked for, served by reading only their siblings from tree_top, before the top is read whole
 * into a full cache (dropping the least recently used). A top that fits without dropping one is read whole at once.
 * Requests spread over more files than the cache holds then cost a read of 17 siblings each, not a 4 MB top each.
 */
export const TOP_ADMIT_AFTER = 32;

/** A progress line in the log every this many leaves. */
const PROGRESS = 50_000;

export interface EpochKey {
  chainId: number;
  /** The AttributionEpochs contract, lower case. */
  contract: Hex;
  poolId: bigint;
  epochId: number;
}

export interface StoredLeafFile {
  fileId: number;
  root: Hex;
  leafFileHash: Hex;
  count: number;
  total: bigint;
  previousEpoch: number;
  bytes: number;
  storedAt: string;
}

export class LeafStore {
  readonly #db: LeafDatabase;
  readonly #schema: string;
  /** The first 2^levels - 1 nodes of a tree written to tree_top when a file is stored (TRIBUTARY_LEAF_TOP_LEVELS). */
  readonly #topNodes: number;
  readonly #topCacheBytes: number;
  #ready: Promise<void> | undefined;
  /** Stored files by epoch: a leaf_file row never changes once written, so a file found is kept. */
  readonly #files = new Map<string, StoredLeafFile>();
  /** Tree tops by file id, most recently used last. */
  readonly #tops = new Map<number, { loading: Promise<Uint8Array>; nodes?: Uint8Array }>();
  #topBytes = 0;
  /** Proofs served from partial reads of a top not in memory, by file id, since it was last dropped. */
  readonly #topMisses = new Map<number, number>();
  /** Whether a top is being read whole into a full cache (one at a time). */
  #admitting = false;
  /** Leaf rows asked for and not yet read; reads running, and how many may run at once. */
  readonly #asked: {
    fileId: number;
    id: string;
    resolve: (row: Rows[number] | undefined) => void;
    reject: (error: unknown) => void;
  }[] = [];
  #reading = 0;
  readonly #readers: number;

  /** Proofs served from sibling reads before a top that does not fit is read whole (TOP_ADMIT_AFTER). */
  readonly #admitAfter: number;

  constructor(
    db: LeafDatabase,
    schema: string,
    options: { topLevels: number; topCacheBytes: number; admitAfter?: number },
  ) {
    this.#db = db;
    this.#schema = schema;
    this.#topNodes = 2 ** options.topLevels - 1;
    this.#topCacheBytes = options.topCacheBytes;
    this.#admitAfter = options.admitAfter ?? TOP_ADMIT_AFTER;
    // PGlite runs one statement at a time; PostgreSQL's pool has four connections.
    this.#readers = db.dialect === "pglite" ? 1 : 4;
  }

  get db(): LeafDatabase {
    return this.#db;
  }

  #t(table: string): string {
    return `"${this.#schema}".${table}`;
  }

  /**
   * Creates the schema and tables when absent (a writer; a read-only replica finds them made by its writer), then
   * deletes what an interrupted store left. Idempotent; runs once per process.
   */
  ready(): Promise<void> {
    this.#ready ??= this.#prepare().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #prepare(): Promise<void> {
    const [exists] = await this.#db.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'leaf_file'",
      [this.#schema],
    );
    if (Number(exists?.n) === 0) {
      await this.#db.transaction(async (tx) => {
        await tx.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
        await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${this.#t("file_id")}`);
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${this.#t("leaf_file")} (
            file_id integer PRIMARY KEY,
            chain_id bigint NOT NULL,
            contract text NOT NULL,
            pool_id numeric(78) NOT NULL,
            epoch_id bigint NOT NULL,
            root text NOT NULL,
            leaf_file_hash text NOT NULL,
            leaf_count integer NOT NULL,
            total numeric(78) NOT NULL,
            previous_epoch bigint NOT NULL,
            bytes bigint NOT NULL,
            stored_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (chain_id, contract, pool_id, epoch_id)
          )`,
        );
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${this.#t("leaf")} (
            file_id integer NOT NULL,
            contribution_id bytea NOT NULL,
            cumulative_amount numeric(78) NOT NULL,
            first_epoch bigint NOT NULL,
            tree_index integer NOT NULL,
            path bytea NOT NULL,
            PRIMARY KEY (file_id, contribution_id)
          )`,
        );
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${this.#t("tree_top")} (
            file_id integer PRIMARY KEY,
            nodes bytea NOT NULL
          )`,
        );
      });
      return;
    }
    if (await this.#earlierLayout()) return this.#prepare();
    await this.removeUnfinished().catch((error: unknown) => {
      // A read-only replica cannot delete; its writer does.
      if (!isReadOnlyError(error)) throw error;
    });
  }

  /**
   * A store written by an earlier version (every internal node in a `node_pair` table, no `tree_top`) is dropped
   * whole, with one line in the log: its files must be uploaded again. Answers whether it dropped one.
   */
  async #earlierLayout(): Promise<boolean> {
    const [top] = await this.#db.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'tree_top'",
      [this.#schema],
    );
    if (Number(top?.n) > 0) return false;
    const [files] = await this.#db.query(`SELECT count(*)::int AS n FROM ${this.#t("leaf_file")}`);
    await this.#db.query(`DROP SCHEMA "${this.#schema}" CASCADE`);
    console.log(
      `leaf files: the store in schema ${this.#schema} has an earlier layout; its ${Number(files?.n)} stored file(s) were removed: upload them again (or list them in TRIBUTARY_LEAF_FILE_SOURCES)`,
    );
    return true;
  }

  /** Deletes the rows of files whose store never finished (a crash, a kill -9 mid-store). */
  async removeUnfinished(): Promise<void> {
    for (const table of ["leaf", "tree_top"]) {
      await this.#db.query(
        `DELETE FROM ${this.#t(table)} WHERE file_id NOT IN (SELECT file_id FROM ${this.#t("leaf_file")})`,
      );
    }
  }

  async stored(key: EpochKey): Promise<StoredLeafFile | undefined> {
    const id = `${key.chainId}:${key.contract}:${key.poolId}:${key.epochId}`;
    const known = this.#files.get(id);
    if (known !== undefined) return known;
    await this.ready();
    const [row] = await this.#db.query(
      `SELECT file_id, root, leaf_file_hash, leaf_count, total::text AS total, previous_epoch, bytes,
              to_char(stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS stored_at
         FROM ${this.#t("leaf_file")} WHERE chain_id = $1 AND contract = $2 AND pool_id = $3 AND epoch_id = $4`,
      [key.chainId, key.contract, key.poolId.toString(), key.epochId],
    );
    if (row === undefined) return undefined;
    const file = storedOf(row);
    this.#files.set(id, file);
    return file;
  }

  /** The pools of this contract with at least one stored epoch, and those epochs. */
  async storedEpochs(chainId: number, contract: Hex): Promise<{ poolId: bigint; epochId: number; fileId: number }[]> {
    await this.ready();
    const rows = await this.#db.query(
      `SELECT pool_id::text AS pool_id, epoch_id, file_id FROM ${this.#t("leaf_file")}
        WHERE chain_id = $1 AND contract = $2 ORDER BY pool_id, epoch_id`,
      [chainId, contract],
    );
    return rows.map((row) => ({
      poolId: BigInt(String(row.pool_id)),
      epochId: Number(row.epoch_id),
      fileId: Number(row.file_id),
    }));
  }

  /**
   * Stores a leaf file already checked by readLeafFile (`header`, `tree`) and against the chain: a second pass over
   * its lines writes the leaves with the lower part of their proofs, then the tree's top, then the leaf_file row.
   * Answers false, and leaves nothing, when the epoch was stored meanwhile.
   */
  async store(parameters: {
    key: EpochKey;
    header: LeafFileHeader;
    tree: EpochTree;
    leafFileHash: Hex;
    bytes: number;
    chunks: () => AsyncIterable<Uint8Array>;
  }): Promise<boolean> {
    const { key, header, tree, leafFileHash, bytes } = parameters;
    await this.ready();
    const [reserved] = await this.#db.query(`SELECT nextval('${this.#t("file_id")}')::int AS id`);
    const fileId = Number(reserved!.id);
    try {
      let values: string[] = [];
      let index = 0;
      const flush = async () => {
        if (values.length === 0) return;
        const sql = `INSERT INTO ${this.#t("leaf")} (file_id, contribution_id, cumulative_amount, first_epoch, tree_index, path) VALUES ${values.join(",")}`;
        values = [];
        await this.#db.query(sql);
        if (index % PROGRESS === 0)
          console.log(`leaf files: ${index} of ${tree.count} leaves written (file ${fileId})`);
      };
      // The lines were checked in the first pass (shape, order, amounts): here they are only split.
      await eachLine(parameters.chunks(), "leaves", async (text, line) => {
        if (line === 1) return;
        const [id, amount, firstEpoch] = text.split(",");
        const position = tree.positions[index]!;
        values.push(
          `(${fileId},'\\x${id!.slice(2)}',${amount},${firstEpoch},${position},'\\x${lowerPath(tree.nodes, position, this.#topNodes)}')`,
        );
        index++;
        if (values.length >= BATCH) await flush();
      });
      await flush();
      if (index !== tree.count) throw new Error(`the second pass read ${index} leaves, the first ${tree.count}`);

      // The flat array is level by level from the root: its first nodes are the top levels.
      const top = tree.nodes.subarray(0, Math.min(2 * tree.count - 1, this.#topNodes) * 32);
      // As hex text both ways: PGlite converts a 4 MB bytea byte by byte in JavaScript, Buffer's hex in native code.
      await this.#db.query(`INSERT INTO ${this.#t("tree_top")} (file_id, nodes) VALUES ($1, decode($2, 'hex'))`, [
        fileId,
        Buffer.from(top.buffer, top.byteOffset, top.byteLength).toString("hex"),
      ]);

      const inserted = await this.#db.query(
        `INSERT INTO ${this.#t("leaf_file")}
           (file_id, chain_id, contract, pool_id, epoch_id, root, leaf_file_hash, leaf_count, total, previous_epoch, bytes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (chain_id, contract, pool_id, epoch_id) DO NOTHING RETURNING file_id`,
        [
          fileId,
          key.chainId,
          key.contract,
          key.poolId.toString(),
          key.epochId,
          tree.root,
          leafFileHash,
          tree.count,
          header.total.toString(),
          header.previousEpoch,
          bytes,
        ],
      );
      if (inserted.length === 0) {
        await this.#removeFile(fileId);
        return false;
      }
      return true;
    } catch (error) {
      await this.#removeFile(fileId).catch(() => {});
      throw error;
    }
  }

  async #removeFile(fileId: number): Promise<void> {
    for (const table of ["leaf", "tree_top"]) {
      await this.#db.query(`DELETE FROM ${this.#t(table)} WHERE file_id = $1`, [fileId]);
    }
  }

  /**
   * A contribution's leaf in a stored file and its proof: the leaf row by its key (its amount, index and the siblings
   * below the top levels), then the siblings above from the file's top, kept in memory. Rows asked for while a read
   * is running are read together by the next one (`#drain`), so that under load a statement serves many proofs.
   */
  async proof(fileId: number, contributionId: Hex): Promise<LeafProof | undefined> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(contributionId)) return undefined;
    const row = await new Promise<Rows[number] | undefined>((resolve, reject) => {
      this.#asked.push({ fileId, id: contributionId.slice(2).toLowerCase(), resolve, reject });
      if (this.#reading < this.#readers) {
        this.#reading++;
        setImmediate(() => void this.#drain());
      }
    });
    if (row === undefined) return undefined;
    const proof = hexWords(String(row.path));
    let index = Number(row.tree_index);
    // Up from the first node of the top levels the path reached (or from the leaf itself in a small tree).
    for (let i = 0; i < proof.length; i++) index = (index - 1) >> 1;
    if (index > 0) {
      const top = this.#topFor(fileId);
      if (top !== undefined) {
        const nodes = await top;
        for (; index > 0; index = (index - 1) >> 1) proof.push(toHex32(nodes, siblingIndex(index) * 32));
      } else {
        const siblings: number[] = [];
        for (; index > 0; index = (index - 1) >> 1) siblings.push(siblingIndex(index));
        proof.push(...hexWords(await this.#topSiblings(fileId, siblings)));
      }
    }
    return { cumulativeAmount: BigInt(String(row.cumulative_amount)), firstEpoch: Number(row.first_epoch), proof };
  }

  /** Reads the leaf rows asked for, up to READ_BATCH a statement, until none is waiting. */
  async #drain(): Promise<void> {
    try {
      while (this.#asked.length > 0) {
        const batch = this.#asked.splice(0, READ_BATCH);
        try {
          const rows = await this.#db.repeated(
            // Each asked leaf by the primary key, whatever the table's statistics (none until the table is analyzed).
            `SELECT q.file_id, q.id, l.cumulative_amount::text AS cumulative_amount, l.first_epoch, l.tree_index,
                    encode(l.path, 'hex') AS path
               FROM unnest($1::int[], $2::text[]) AS q(file_id, id)
               CROSS JOIN LATERAL (
                 SELECT cumulative_amount, first_epoch, tree_index, path FROM ${this.#t("leaf")}
                  WHERE file_id = q.file_id AND contribution_id = decode(q.id, 'hex')
               ) l`,
            [`{${batch.map((ask) => ask.fileId).join(",")}}`, `{${batch.map((ask) => ask.id).join(",")}}`],
          );
          const found = new Map(rows.map((row) => [`${row.file_id}:${row.id}`, row]));
          for (const ask of batch) ask.resolve(found.get(`${ask.fileId}:${ask.id}`));
        } catch (error) {
          for (const ask of batch) ask.reject(error);
        }
      }
    } finally {
      this.#reading--;
    }
  }

  /**
   * A file's top levels when they are in memory or being read, or when they may be read whole now: when they fit
   * beside the kept tops, or once the file was asked for `admitAfter` (TOP_ADMIT_AFTER) proofs without them (one
   * such read at a time). Undefined: read the siblings a proof needs instead ({@link LeafStore.#topSiblings}).
   */
  #topFor(fileId: number): Promise<Uint8Array> | undefined {
    const cached = this.#tops.get(fileId);
    if (cached !== undefined) {
      this.#tops.delete(fileId);
      this.#tops.set(fileId, cached);
      return cached.loading;
    }
    if (this.#topBytes + this.#topNodes * 32 <= this.#topCacheBytes) return this.#readTop(fileId);
    const misses = (this.#topMisses.get(fileId) ?? 0) + 1;
    if (misses <= this.#admitAfter || this.#admitting) {
      this.#topMisses.set(fileId, Math.min(misses, this.#admitAfter + 1));
      return undefined;
    }
    this.#admitting = true;
    const loading = this.#readTop(fileId);
    void loading.then(
      () => (this.#admitting = false),
      () => (this.#admitting = false),
    );
    return loading;
  }

  /** The siblings at `indices` of a file's top, read from tree_top without reading the rest, as hex. */
  async #topSiblings(fileId: number, indices: number[]): Promise<string> {
    const [row] = await this.#db.repeated(
      `SELECT string_agg(encode(substring(t.nodes FROM u.at FOR 32), 'hex'), '' ORDER BY u.n) AS path
         FROM ${this.#t("tree_top")} t, unnest($2::int[]) WITH ORDINALITY AS u(at, n)
        WHERE t.file_id = $1`,
      [fileId, `{${indices.map((index) => index * 32 + 1).join(",")}}`],
    );
    const path = row?.path;
    if (typeof path !== "string" || path.length !== indices.length * 64) {
      throw new Error(`leaf file ${fileId} has no stored tree top holding node ${Math.max(...indices)}`);
    }
    return path;
  }

  /** Reads a file's top whole and keeps it, dropping the least recently used tops beyond the budget. */
  #readTop(fileId: number): Promise<Uint8Array> {
    this.#topMisses.delete(fileId);
    const entry: { loading: Promise<Uint8Array>; nodes?: Uint8Array } = {
      loading: this.#db
        .query(`SELECT encode(nodes, 'hex') AS nodes FROM ${this.#t("tree_top")} WHERE file_id = $1`, [fileId])
        .then(([row]) => {
          if (row === undefined) throw new Error(`leaf file ${fileId} has no stored tree top`);
          const nodes = new Uint8Array(Buffer.from(String(row.nodes), "hex"));
          if (this.#tops.get(fileId) === entry) {
            entry.nodes = nodes;
            this.#topBytes += nodes.length;
            this.#evictTops(fileId);
          }
          return nodes;
        }),
    };
    entry.loading.catch(() => {
      if (this.#tops.get(fileId) === entry) this.#tops.delete(fileId);
    });
    this.#tops.set(fileId, entry);
    return entry.loading;
  }

  /** Drops the least recently used tops, never `keep`, until the kept ones fit TRIBUTARY_LEAF_CACHE_MB. */
  #evictTops(keep: number): void {
    for (const [fileId, entry] of this.#tops) {
      if (this.#topBytes <= this.#topCacheBytes) return;
      if (fileId === keep || entry.nodes === undefined) continue;
      this.#tops.delete(fileId);
      this.#topBytes -= entry.nodes.length;
    }
  }

  /** The file ids whose tops are in memory now, least recently used first (for tests). */
  get cachedTops(): number[] {
    return [...this.#tops].filter(([, entry]) => entry.nodes !== undefined).map(([fileId]) => fileId);
  }

  /** The stored leaves of an author's contributions in the given files, with the registry's indexed `contribution`. */
  async authorLeaves(
    fileIds: number[],
    author: Hex,
    after: Hex | undefined,
    limit: number,
  ): Promise<{ fileId: number; contributionId: Hex }[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.#db.query(
      `SELECT l.file_id, c.id AS contribution_id
         FROM "${this.#db.ponderSchema}".contribution c
         JOIN ${this.#t("leaf")} l ON l.contribution_id = decode(substr(c.id, 3), 'hex')
        WHERE c.author = $1 AND l.file_id = ANY($2::int[]) AND c.id > $3
        ORDER BY c.id, l.file_id LIMIT $4`,
      [author, `{${fileIds.join(",")}}`, after ?? "0x", limit],
    );
    return rows.map((row) => ({ fileId: Number(row.file_id), contributionId: String(row.contribution_id) as Hex }));
  }

  /** A contribution's leaves in the given files, each by its key. */
  async contributionLeaves(
    fileIds: number[],
    contributionId: Hex,
  ): Promise<{ fileId: number; cumulativeAmount: bigint }[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.#db.query(
      `SELECT file_id, cumulative_amount::text AS cumulative_amount FROM ${this.#t("leaf")}
        WHERE file_id = ANY($1::int[]) AND contribution_id = decode($2, 'hex') ORDER BY file_id`,
      [`{${fileIds.join(",")}}`, contributionId.slice(2)],
    );
    return rows.map((row) => ({
      fileId: Number(row.file_id),
      cumulativeAmount: BigInt(String(row.cumulative_amount)),
    }));
  }

  /**
   * Per given file, an author's leaves added up: how many, their cumulative amounts, what the indexed
   * `epoch_position` says each claimed from the file's pool, and what is still owed (each leaf's cumulative amount
   * less its claimed, never below zero). One statement; each of the author's contributions is looked up by key.
   */
  async authorLeafTotals(
    fileIds: number[],
    author: Hex,
  ): Promise<{ fileId: number; contributions: number; attributed: bigint; claimed: bigint; owed: bigint }[]> {
    if (fileIds.length === 0) return [];
    const ponder = `"${this.#db.ponderSchema}"`;
    const rows = await this.#db.query(
      `SELECT l.file_id, count(*)::int AS contributions, sum(l.cumulative_amount)::text AS attributed,
              sum(least(coalesce(p.claimed, 0), l.cumulative_amount))::text AS claimed,
              sum(greatest(l.cumulative_amount - coalesce(p.claimed, 0), 0))::text AS owed
         FROM ${ponder}.contribution c
         JOIN ${this.#t("leaf")} l ON l.contribution_id = decode(substr(c.id, 3), 'hex') AND l.file_id = ANY($2::int[])
         JOIN ${this.#t("leaf_file")} f ON f.file_id = l.file_id
         LEFT JOIN ${ponder}.epoch_position p ON p.pool_id = f.pool_id AND p.contribution_id = c.id
        WHERE c.author = $1
        GROUP BY l.file_id ORDER BY l.file_id`,
      [author, `{${fileIds.join(",")}}`],
    );
    return rows.map((row) => ({
      fileId: Number(row.file_id),
      contributions: Number(row.contributions),
      attributed: BigInt(String(row.attributed)),
      claimed: BigInt(String(row.claimed)),
      owed: BigInt(String(row.owed)),
    }));
  }

  /** Bytes the three tables and their indexes take, and the leaves they hold: the bench's bytes per leaf. */
  async size(): Promise<{ bytes: number; leaves: number }> {
    const [row] = await this.#db.query(
      `SELECT (pg_total_relation_size('${this.#t("leaf")}') + pg_total_relation_size('${this.#t("tree_top")}')
              + pg_total_relation_size('${this.#t("leaf_file")}'))::bigint AS bytes,
              (SELECT coalesce(sum(leaf_count), 0) FROM ${this.#t("leaf_file")})::bigint AS leaves`,
    );
    return { bytes: Number(row!.bytes), leaves: Number(row!.leaves) };
  }
}

export interface LeafProof {
  cumulativeAmount: bigint;
  firstEpoch: number;
  proof: Hex[];
}

function storedOf(row: Rows[number]): StoredLeafFile {
  return {
    fileId: Number(row.file_id),
    root: String(row.root) as Hex,
    leafFileHash: String(row.leaf_file_hash) as Hex,
    count: Number(row.leaf_count),
    total: BigInt(String(row.total)),
    previousEpoch: Number(row.previous_epoch),
    bytes: Number(row.bytes),
    storedAt: String(row.stored_at),
  };
}

/** 32-byte words written one after another in hex (no 0x), each as a 0x-prefixed hash. */
function hexWords(hex: string): Hex[] {
  const words: Hex[] = [];
  for (let at = 0; at < hex.length; at += 64) words.push(`0x${hex.slice(at, at + 64)}`);
  return words;
}

/** The siblings of a leaf's path while it is below the top levels, from the leaf up, as hex (the leaf row's `path`). */
function lowerPath(nodes: Uint8Array, leafIndex: number, topNodes: number): string {
  let out = "";
  for (let index = leafIndex; index >= topNodes; index = (index - 1) >> 1) {
    const at = siblingIndex(index) * 32;
    out += Buffer.from(nodes.buffer, nodes.byteOffset + at, 32).toString("hex");
  }
  return out;
}
