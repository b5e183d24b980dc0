-- Timeline text is indexed for search in batches instead of row by row: new entries queue in
-- fts_backlog, and the engine drains the queue right after local writes, in the background after
-- large syncs, and always before a search, so search results stay complete.
DROP TRIGGER timeline_fts_insert;
DROP TRIGGER timeline_fts_delete;

CREATE TABLE fts_backlog (
  entry_rowid INTEGER PRIMARY KEY
) STRICT;

CREATE TRIGGER timeline_fts_enqueue AFTER INSERT ON timeline_entries BEGIN
  INSERT INTO fts_backlog (entry_rowid) VALUES (new.rowid);
END;

-- Only rows already in the index may be deleted from it (external-content FTS5 needs the old text).
CREATE TRIGGER timeline_fts_delete AFTER DELETE ON timeline_entries BEGIN
  INSERT INTO timeline_fts (timeline_fts, rowid, text)
    SELECT 'delete', old.rowid, old.text WHERE NOT EXISTS (SELECT 1 FROM fts_backlog WHERE entry_rowid = old.rowid);
  DELETE FROM fts_backlog WHERE entry_rowid = old.rowid;
END;
