-- The op log becomes the record; incidents and timeline entries are projections of it.
-- Incidents written before this migration are turned into ops by the engine on open
-- (legacy_incidents), then that table is dropped.
ALTER TABLE incidents RENAME TO legacy_incidents;
DROP INDEX incidents_declared_at;

-- This replica's identity: device id (chain and clock owner) and the acting user.
CREATE TABLE replica_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE ops (
  seq         INTEGER PRIMARY KEY,          -- local arrival order
  op_id       TEXT NOT NULL UNIQUE,
  hlc         TEXT NOT NULL,
  stream_id   TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  entity      TEXT NOT NULL,
  row_id      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('set', 'append')),
  fields      TEXT NOT NULL,                -- canonical JSON
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ops_chain ON ops (device_id, stream_id, hlc);

-- Projection of `incident` set ops. `clocks` holds the winning (hlc, opId) of each field.
CREATE TABLE incidents (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL DEFAULT '',
  severity    TEXT CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
  status      TEXT NOT NULL DEFAULT 'investigating'
              CHECK (status IN ('investigating', 'identified', 'mitigated', 'resolved', 'closed')),
  summary     TEXT NOT NULL DEFAULT '',
  declared_at INTEGER,
  updated_at  INTEGER NOT NULL DEFAULT 0,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  clocks      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX incidents_list ON incidents (deleted, declared_at DESC, id DESC);

-- Projection of `timeline_entry` append ops: immutable rows.
CREATE TABLE timeline_entries (
  id          TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL,
  kind        TEXT NOT NULL,
  text        TEXT NOT NULL,
  event_at    INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  author_id   TEXT NOT NULL,
  hlc         TEXT NOT NULL
) STRICT;
CREATE INDEX timeline_page ON timeline_entries (incident_id, event_at DESC, id DESC);

-- Full-text search over incident and timeline text, kept in step by triggers.
CREATE VIRTUAL TABLE incidents_fts USING fts5(
  title, summary, content = 'incidents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE timeline_fts USING fts5(
  text, content = 'timeline_entries', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_fts (rowid, title, summary) VALUES (new.rowid, new.title, new.summary);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF title, summary ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, title, summary) VALUES ('delete', old.rowid, old.title, old.summary);
  INSERT INTO incidents_fts (rowid, title, summary) VALUES (new.rowid, new.title, new.summary);
END;
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, title, summary) VALUES ('delete', old.rowid, old.title, old.summary);
END;
CREATE TRIGGER timeline_fts_insert AFTER INSERT ON timeline_entries BEGIN
  INSERT INTO timeline_fts (rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER timeline_fts_delete AFTER DELETE ON timeline_entries BEGIN
  INSERT INTO timeline_fts (timeline_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
