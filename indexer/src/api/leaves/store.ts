// Where verified leaf files live: three tables in a schema of their own (docs/architecture.md, "Leaf files"), the
// same on PGlite and PostgreSQL.
//
//   leaf_file  one row per stored epoch: its header, hash and size. Its insert is what makes an epoch visible.
//   leaf       one row per leaf: contributionId -> cumulativeAmount, firstEpoch and the leaf's index in the tree.
//   node_pair  one row per internal node of the tree: the 64 bytes of its two children, so that a proof is the pairs
//              along the leaf's path to the root, read by one indexed query.
//
// A file is checked whole before anything is written (the SDK's readLeafFile: one streaming pass, 32 bytes a leaf
// kept). Its rows are then written in batches under a file id that no leaf_file row names yet, so readers never see
// them; the one insert into leaf_file makes the epoch appear, whole. A process killed meanwhile leaves only rows of
// an unnamed file id, which the next start deletes (`removeUnfinished`).
import type { Hex } from "viem";

import { eachLine } from "../../../../sdk/epochs/lines.ts";
import type { LeafFileHeader } from "../../../../sdk/epochs/leaf-file.ts";
import type { EpochTree } from "../../../../sdk/epochs/tree.ts";
import { isReadOnlyError, type LeafDatabase, type Rows } from "./db.ts";

/** Rows per INSERT statement while a file is stored. */
const BATCH = 5_000;
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
  #ready: Promise<void> | undefined;

  constructor(db: LeafDatabase, schema: string) {
    this.#db = db;
    this.#schema = schema;
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
            PRIMARY KEY (file_id, contribution_id)
          )`,
        );
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${this.#t("node_pair")} (
            file_id integer NOT NULL,
            parent integer NOT NULL,
            children bytea NOT NULL,
            PRIMARY KEY (file_id, parent)
          )`,
        );
      });
      return;
    }
    await this.removeUnfinished().catch((error: unknown) => {
      // A read-only replica cannot delete; its writer does.
      if (!isReadOnlyError(error)) throw error;
    });
  }

  /** Deletes the rows of files whose store never finished (a crash, a kill -9 mid-store). */
  async removeUnfinished(): Promise<void> {
    for (const table of ["leaf", "node_pair"]) {
      await this.#db.query(
        `DELETE FROM ${this.#t(table)} WHERE file_id NOT IN (SELECT file_id FROM ${this.#t("leaf_file")})`,
      );
    }
  }

  async stored(key: EpochKey): Promise<StoredLeafFile | undefined> {
    await this.ready();
    const [row] = await this.#db.query(
      `SELECT file_id, root, leaf_file_hash, leaf_count, total::text AS total, previous_epoch, bytes,
              to_char(stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS stored_at
         FROM ${this.#t("leaf_file")} WHERE chain_id = $1 AND contract = $2 AND pool_id = $3 AND epoch_id = $4`,
      [key.chainId, key.contract, key.poolId.toString(), key.epochId],
    );
    return row === undefined ? undefined : storedOf(row);
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
   * its lines writes the leaves, then the tree's internal nodes, then the leaf_file row. Answers false, and leaves
   * nothing, when the epoch was stored meanwhile.
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
        const sql = `INSERT INTO ${this.#t("leaf")} (file_id, contribution_id, cumulative_amount, first_epoch, tree_index) VALUES ${values.join(",")}`;
        values = [];
        await this.#db.query(sql);
        if (index % PROGRESS === 0)
          console.log(`leaf files: ${index} of ${tree.count} leaves written (file ${fileId})`);
      };
      // The lines were checked in the first pass (shape, order, amounts): here they are only split.
      await eachLine(parameters.chunks(), "leaves", async (text, line) => {
        if (line === 1) return;
        const [id, amount, firstEpoch] = text.split(",");
        values.push(`(${fileId},'\\x${id!.slice(2)}',${amount},${firstEpoch},${tree.positions[index]})`);
        index++;
        if (values.length >= BATCH) await flush();
      });
      await flush();
      if (index !== tree.count) throw new Error(`the second pass read ${index} leaves, the first ${tree.count}`);

      // Internal node p's children are nodes 2p + 1 and 2p + 2: 64 contiguous bytes of the flat tree.
      const internal = tree.count - 1;
      for (let start = 0; start < internal; start += BATCH) {
        const end = Math.min(internal, start + BATCH);
        const rows: string[] = [];
        for (let p = start; p < end; p++) {
          rows.push(
            `(${fileId},${p},'\\x${Buffer.from(tree.nodes.subarray((2 * p + 1) * 32, (2 * p + 3) * 32)).toString("hex")}')`,
          );
        }
        await this.#db.query(
          `INSERT INTO ${this.#t("node_pair")} (file_id, parent, children) VALUES ${rows.join(",")}`,
        );
      }

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
    for (const table of ["leaf", "node_pair"]) {
      await this.#db.query(`DELETE FROM ${this.#t(table)} WHERE file_id = $1`, [fileId]);
    }
  }

  /**
   * A contribution's leaf in a stored file and its proof, in one statement: the leaf by its key, then the node
   * pairs of every ancestor (a recursive walk of the indices up to the root), each by its key.
   */
  async proof(fileId: number, contributionId: Hex): Promise<LeafProof | undefined> {
    const rows = await this.#db.query(
      `WITH RECURSIVE l AS (
         SELECT cumulative_amount::text AS cumulative_amount, first_epoch, tree_index FROM ${this.#t("leaf")}
          WHERE file_id = $1 AND contribution_id = decode($2, 'hex')
       ), up(node, depth) AS (
         SELECT tree_index, 0 FROM l
         UNION ALL SELECT (node - 1) / 2, depth + 1 FROM up WHERE node > 0
       )
       SELECT l.cumulative_amount, l.first_epoch, up.node, encode(p.children, 'hex') AS children
         FROM l JOIN up ON true LEFT JOIN ${this.#t("node_pair")} p ON p.file_id = $1 AND p.parent = (up.node - 1) / 2
        WHERE up.node > 0 OR l.tree_index = 0
        ORDER BY up.depth`,
      [fileId, contributionId.slice(2)],
    );
    return proofOf(rows);
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
      `SELECT (pg_total_relation_size('${this.#t("leaf")}') + pg_total_relation_size('${this.#t("node_pair")}')
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

/** The proof from the walk's rows: at each ancestor, the half of its pair that is not the path's node. */
function proofOf(rows: Rows): LeafProof | undefined {
  const [first] = rows;
  if (first === undefined) return undefined;
  const proof: Hex[] = [];
  for (const row of rows) {
    const node = Number(row.node);
    if (node === 0) continue;
    const children = String(row.children);
    // Node 2p + 1 is its parent's left child (the pair's first 32 bytes): its sibling is the right one.
    proof.push(`0x${node % 2 === 1 ? children.slice(64) : children.slice(0, 64)}`);
  }
  return { cumulativeAmount: BigInt(String(first.cumulative_amount)), firstEpoch: Number(first.first_epoch), proof };
}
