// The version of the indexed state for the answer cache, without a query per request once the indexer is live.
//
// When the indexer is live, Ponder keeps a trigger on its checkpoint table that notifies the channel
// `<schema>_live_query` in the transaction of every indexed block, with the names of the tables the block wrote as
// its payload (`[]` for a block that wrote none); the notification arrives once that transaction is committed. A
// reorg's revert writes no checkpoint, and the project's patch to Ponder (docs/operations.md) notifies the tables it
// rolled back instead. This module listens on that channel, in PGlite's one session or on a PostgreSQL connection of
// its own, and counts notifications: every one moves the head version, and one that names a table moves the data
// version too. Answers that read only tables keep their data version across blocks that write nothing.
//
// Until the first notification (during the backfill there is no trigger) and whenever the PostgreSQL connection is
// lost, notifications could be missing, so both versions are read from the checkpoint table on each request instead
// (`indexedVersion`), as they would be without this module. The first notification after (re)connecting switches
// back, and moves the data version, since writes may have gone unnoticed in between.
import pg from "pg";

import type { IndexedVersion } from "./cache.ts";
import { indexedVersion } from "./head.ts";
import { liveQueryChannel, ponderProcess } from "./ponderAdapter.ts";

const RECONNECT_MS = 250;

/**
 * Called with the tables each notified block (or reorg) wrote; `undefined` when writes may have gone unnoticed (the
 * first notification, and the first after the PostgreSQL connection came back), so anything may have changed.
 */
export type ChangeListener = (tables: string[] | undefined) => void;

const listeners = new Set<ChangeListener>();

/** Calls `listener` on every change `watchIndexedState` is notified of; returns the function that stops it. */
export function onIndexedChange(listener: ChangeListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The tables a notification names; undefined when its payload is not the JSON list Ponder's trigger sends. */
function tablesOf(payload: string | undefined): string[] | undefined {
  try {
    const tables: unknown = JSON.parse(payload ?? "");
    return Array.isArray(tables) && tables.every((table) => typeof table === "string") ? tables : undefined;
  } catch {
    return undefined;
  }
}

/** Returns the cache's version function; falls back to reading the checkpoint when it cannot listen. */
export function watchIndexedState(): () => Promise<IndexedVersion | string> {
  const ponder = ponderProcess();
  if (ponder === undefined) return indexedVersion;
  const { schema, database } = ponder;
  const channel = liveQueryChannel(schema);

  /** Notifications received: every indexed block (and reorg) moves it. */
  let notified = 0;
  /** Notifications that named a table, plus one per switch to listening. */
  let written = 0;
  /** Whether every change since the last switch will be notified. */
  let live = false;
  const onNotification = (payload: string | undefined) => {
    notified++;
    if (!live || payload !== "[]") written++;
    const tables = live ? tablesOf(payload) : undefined;
    live = true;
    for (const listener of listeners) {
      try {
        listener(tables);
      } catch (error) {
        console.error(error);
      }
    }
  };

  if (database.dialect === "pglite") {
    void database.instance
      .listen(channel, (payload) => onNotification(payload))
      .catch(() => {
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
        if (message.channel === channel) onNotification(message.payload);
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

  return async () => (live ? { data: `d${written}`, head: `n${notified}` } : indexedVersion());
}
