// The version of the indexed state for the answer cache, without a query per request once the indexer is live.
//
// When the indexer is live, Ponder keeps a trigger on its checkpoint table that notifies the channel
// `<schema>_live_query` in the transaction of every indexed block; the notification arrives once that transaction is
// committed. A reorg's revert does not write the checkpoint and so notifies nothing by itself: Ponder indexes the new
// fork's first block right after it, and that block's notification drops the answers of the orphaned rows. This module listens on that channel, in PGlite's one session or on a PostgreSQL connection of its
// own, and counts notifications: the count is the version, read without touching the database.
//
// Until the first notification (during the backfill there is no trigger) and whenever the PostgreSQL connection is
// lost, notifications could be missing, so the version is read from the checkpoint table on each request instead
// (`indexedVersion`), as it would be without this module. The first notification after (re)connecting switches back.
import pg from "pg";

import { indexedVersion } from "./head";
import { ponderProcess } from "./ponderProcess";

const RECONNECT_MS = 250;

/** Returns the cache's version function; falls back to reading the checkpoint when it cannot listen. */
export function watchIndexedState(): () => Promise<string> {
  const ponder = ponderProcess();
  if (ponder === undefined) return indexedVersion;
  const { schema, database } = ponder;
  const channel = `${schema}_live_query`;

  let notified = 0;
  /** Whether every change since the last switch will be notified. */
  let live = false;
  const onNotification = () => {
    notified++;
    live = true;
  };

  if (database.dialect === "pglite") {
    void database.instance.listen(channel, onNotification).catch(() => {
      live = false;
    });
  } else {
    const connect = async () => {
      const client = new pg.Client({ ...database.connection, application_name: `${schema}_answer_cache` });
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
  }

  return async () => (live ? `n${notified}` : indexedVersion());
}
