// The version of the indexed state for the answer cache, without a query per request once the indexer is live.
//
// When the indexer is live, Ponder keeps a trigger on its checkpoint table that notifies the channel
// `<schema>_live_query` in the transaction of every indexed block (and of every reorg's revert, which rewrites the
// rows it rolls back before the next block is committed); the notification arrives once that transaction is
// committed. This module listens on that channel, in PGlite's one session or on a PostgreSQL connection of its
// own, and counts notifications: the count is the version, read without touching the database.
//
// Until the first notification (during the backfill there is no trigger) and whenever the PostgreSQL connection is
// lost, notifications could be missing, so the version is read from the checkpoint table on each request instead
// (`indexedVersion`), as it would be without this module. The first notification after (re)connecting switches back.
import pg from "pg";

import { indexedVersion } from "./head";

interface PgliteInstance {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

interface PonderGlobals {
  PONDER_DATABASE?: { driver?: { dialect?: string; instance?: PgliteInstance } };
  PONDER_NAMESPACE_BUILD?: { schema?: string };
  PONDER_PRE_BUILD?: { databaseConfig?: { kind?: string; poolConfig?: pg.ClientConfig & { max?: number } } };
}

const RECONNECT_MS = 250;

/** Returns the cache's version function; falls back to reading the checkpoint when it cannot listen. */
export function watchIndexedState(): () => Promise<string> {
  const globals = globalThis as unknown as PonderGlobals;
  const schema = globals.PONDER_NAMESPACE_BUILD?.schema;
  const driver = globals.PONDER_DATABASE?.driver;
  if (schema === undefined || driver === undefined) return indexedVersion;
  const channel = `${schema}_live_query`;

  let notified = 0;
  /** Whether every change since the last switch will be notified. */
  let live = false;
  const onNotification = () => {
    notified++;
    live = true;
  };

  if (driver.dialect === "pglite" && driver.instance !== undefined) {
    const instance = driver.instance;
    void instance.listen(channel, onNotification).catch(() => {
      live = false;
    });
  } else if (driver.dialect === "postgres") {
    const { max: _max, ...config } = globals.PONDER_PRE_BUILD?.databaseConfig?.poolConfig ?? {};
    const connect = async () => {
      const client = new pg.Client({ ...config, application_name: `${schema}_answer_cache` });
      let gone = false;
      const lost = () => {
        live = false;
        if (gone) return;
        gone = true;
        client.removeAllListeners();
        void client.end().catch(() => {});
        setTimeout(() => void connect(), RECONNECT_MS).unref();
      };
      client.on("error", lost);
      client.on("end", lost);
      client.on("notification", (message) => {
        if (message.channel === channel) onNotification();
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      } catch {
        lost();
      }
    };
    void connect();
  } else {
    return indexedVersion;
  }

  return async () => (live ? `n${notified}` : indexedVersion());
}
