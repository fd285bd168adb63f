// Storage the indexer cannot write, on PGlite: a read-only data folder and a full disk are named at start, in one
// line that says what to do, instead of PGlite's bare WebAssembly errors repeated forever; after a crash on a full
// disk in the middle of the backfill, the next start is refused while the disk is full, and once there is space
// and the directory is deleted (as the refusal says: the crash can leave part of a block range on disk), the same
// command ends with the rows of a clean run. Real file systems: small tmpfs mounts (the suite needs root with
// CAP_SYS_ADMIN, as on the CI machine, and skips, saying so, elsewhere).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

import { localClients } from "../../scripts/lib/chain.ts";
import {
  deploy,
  launchIndexer,
  onLogEntry,
  startIndexer,
  startNode,
  waitFor,
  waitReady,
  type Indexer,
  type IndexerOptions,
  type LocalNode,
} from "../../scripts/lib/stack.ts";
import { mineBlocks, registerDense } from "./lib/dense-chain.ts";
import { allRows, digestOf, rowsDiff } from "./lib/digest.ts";

/** Enough events that the backfill writes a few MB beyond a new database's own footprint. */
const EVENTS = 3_000;

const mount = (...args: string[]) => execFileSync("mount", args, { stdio: "pipe" });
const umount = (target: string) => execFileSync("umount", [target], { stdio: "pipe" });
const folderMegabytes = (folder: string) => Number(execFileSync("du", ["-sm", folder]).toString().split("\t")[0]);

/** Why tmpfs mounts are not possible here, or undefined when they are. */
async function cannotMount(): Promise<string | undefined> {
  const probe = await mkdtemp(path.join(tmpdir(), "tributary-mount-probe-"));
  try {
    mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", probe);
    umount(probe);
    return undefined;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
}

const unmountable = await cannotMount();

/** Waits for a Ponder process to exit by itself (bounded), and returns its log's messages with their errors. */
async function exitOf(indexer: Indexer, timeoutMs = 60_000): Promise<{ code: number | null; log: string }> {
  if (indexer.child.exitCode === null && indexer.child.signalCode === null) {
    const timer = setTimeout(() => indexer.child.kill("SIGKILL"), timeoutMs);
    await once(indexer.child, "exit");
    clearTimeout(timer);
  }
  return { code: indexer.child.exitCode, log: indexer.output() };
}

if (unmountable !== undefined) {
  describe("storage: read-only and full data folders", () => {
    it(`SKIPPED: cannot mount a tmpfs here (${unmountable}); run as root with CAP_SYS_ADMIN`, { skip: true });
  });
} else {
  describe("storage: read-only and full data folders", () => {
    let node: LocalNode;
    let deploymentsDir: string;
    let root: string;
    const mounts: string[] = [];
    const running: Indexer[] = [];
    let cleanRows: Record<string, string[]>;
    let cleanMegabytes: number;

    /** A tmpfs of `megabytes` at a new folder under the suite's root. */
    const tmpfs = async (name: string, megabytes: number) => {
      const target = path.join(root, name);
      execFileSync("mkdir", ["-p", target]);
      mount("-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", target);
      mounts.push(target);
      return target;
    };

    const options = (pgliteDir: string, extraEnv: Record<string, string> = {}): IndexerOptions => ({
      rpcUrl: node.url,
      deploymentsDir,
      pgliteDir,
      extraEnv: { TRIBUTARY_API_RATE_LIMIT: "0", ...extraEnv },
    });

    before(async () => {
      node = await startNode({ blockIntervalMs: 0 });
      deploymentsDir = await mkdtemp(path.join(tmpdir(), "tributary-storage-"));
      root = await mkdtemp(path.join(tmpdir(), "tributary-storage-mounts-"));
      const deployment = await deploy(node.url, deploymentsDir);
      await registerDense(localClients(node.url), deployment.contracts.AuthorshipRegistry.address, {
        events: EVENTS,
        label: `storage ${Date.now()}`,
      });
      // Everything above is older than Ponder's 30-block finality on chain 31337: it is backfilled.
      await mineBlocks(node.url, 35);
      const reference = await startIndexer(options(path.join(root, "clean")));
      running.push(reference);
      cleanRows = await allRows(reference.url);
      await reference.stop();
      cleanMegabytes = folderMegabytes(path.join(root, "clean"));
    });

    after(async () => {
      for (const indexer of running) await indexer.stop().catch(() => {});
      for (const target of mounts.reverse()) {
        try {
          umount(target);
        } catch {
          // Already unmounted.
        }
      }
      await node?.stop();
      if (root) await rm(root, { recursive: true, force: true });
      if (deploymentsDir) await rm(deploymentsDir, { recursive: true, force: true });
    });

    it("names a read-only data folder at start and exits", async () => {
      // The clean run's folder, read-only: a root process is refused by the mount, not by file modes.
      const folder = path.join(root, "read-only");
      execFileSync("mkdir", ["-p", folder]);
      mount("--bind", path.join(root, "clean"), folder);
      mounts.push(folder);
      mount("-o", "remount,bind,ro", folder);
      const indexer = await launchIndexer(options(folder));
      running.push(indexer);
      const { code, log } = await exitOf(indexer);
      assert.notEqual(code, 0, log);
      assert.match(log, new RegExp(`the PGlite directory ${folder} is read-only \\(EROFS writing ${folder}\\)`));
      assert.match(log, /set TRIBUTARY_PGLITE_DIR to a writable folder/);
      assert.doesNotMatch(log, /unreachable/);
    });

    it("crashes on a disk that fills during the backfill, names the full disk at the next start, and backfills again into the same folder once there is space", async () => {
      // Less room than a clean run of this chain took: the backfill fills the disk.
      const folder = await tmpfs("full", cleanMegabytes - 6);
      const pgliteDir = path.join(folder, "pglite");
      // The free-space check off for this start only: the tmpfs holds less than its default minimum.
      const crashing = await launchIndexer(options(pgliteDir, { TRIBUTARY_PGLITE_MIN_FREE_MB: "0" }));
      running.push(crashing);
      const messages: string[] = [];
      onLogEntry(crashing, (entry) => {
        if (entry.msg !== undefined) messages.push(entry.msg);
      });
      const crash = await exitOf(crashing, 180_000);
      assert.notEqual(crash.code, 0);
      assert.ok(messages.includes("Started backfill indexing"), "the disk filled during the backfill");
      assert.match(crash.log, /No space left on device/);

      const refused = await launchIndexer(options(pgliteDir));
      running.push(refused);
      const { code, log } = await exitOf(refused);
      assert.notEqual(code, 0, log);
      const line = log.split("\n").find((entry) => entry.includes("is on a full disk"));
      assert.ok(line, log);
      // The disk may have a few MB left or none at all (the 4 KiB write check then fails with ENOSPC): both are full.
      assert.match(
        line,
        new RegExp(`the PGlite directory ${pgliteDir} is on a full disk \\((?:\\d+ MB|no space \\(ENOSPC\\)) free`),
      );
      assert.match(line, /free space, delete the directory and start again \(the indexer backfills from the start\)/);
      assert.match(line, /resuming on them is not safe/);
      assert.doesNotMatch(log, /Aborted\(\)/);

      // What the crash left: rows of a block range on disk without the range's other rows or its checkpoint (the
      // registry's contributions without their registration events, say). The message says not to resume on it.
      // Space freed and the directory deleted, as the message says: the same command backfills to the clean rows.
      mount("-o", `remount,size=${cleanMegabytes + 128}m`, folder);
      await rm(pgliteDir, { recursive: true, force: true });
      const recovered = await launchIndexer(options(pgliteDir));
      running.push(recovered);
      await waitReady(recovered, recovered.url, 300_000);
      const clean = JSON.stringify(digestOf(cleanRows));
      let last: Record<string, string[]> | undefined;
      try {
        await waitFor(
          "the recovered indexer's rows",
          async () => {
            last = await allRows(recovered.url);
            return JSON.stringify(digestOf(last)) === clean ? true : undefined;
          },
          { timeoutMs: 180_000, intervalMs: 2_000 },
        );
      } catch (error) {
        // The rows that differ, per table: what the recovery wrote otherwise than the clean run.
        assert.deepEqual(last && rowsDiff(cleanRows, last), {}, (error as Error).message);
        throw error;
      }
      await recovered.stop();
    });
  });
}
