// SQL over HTTP on PGlite reads the real tables, not the empty leftovers of the indexer's bulk updates.
//
// PGlite is one database session shared by the indexer and the API. When Ponder updates more than a few rows of a
// table at once, it copies them into a temporary table named like the real one, updates from it and empties it,
// but leaves it in the session. Temporary tables come first in name lookup, so `SELECT count(*) FROM contribution`
// sent over HTTP would read that empty table. sql.ts runs this statement first in the PGlite transaction of each SQL
// request, which runs exclusively of the indexer's own transactions (its bulk updates happen inside one and create
// the table again when they next need it). PostgreSQL is not affected: there the indexer's temporary tables live in
// its own sessions.

/** Drops the session's temporary tables that shadow a permanent table of the same name. */
export const DROP_TEMPORARY_TABLES = `
DO $$
DECLARE leftover record;
BEGIN
  FOR leftover IN
    SELECT temporary.relname FROM pg_class temporary
    WHERE temporary.relnamespace = pg_my_temp_schema() AND temporary.relkind = 'r' AND EXISTS (
      SELECT 1 FROM pg_class permanent
      WHERE permanent.relname = temporary.relname AND permanent.relpersistence = 'p' AND permanent.relkind = 'r'
    )
  LOOP
    EXECUTE format('DROP TABLE pg_temp.%I', leftover.relname);
  END LOOP;
END $$;`;
