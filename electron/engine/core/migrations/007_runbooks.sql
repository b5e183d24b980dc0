-- Runbooks: the library's immutable versions (with their parents, so sibling edits show as several
-- heads) and each runbook's own state, and inside incidents the executions pinned to a version and
-- the state of each of their steps. All projections of ops; `clocks` holds the winning (hlc, opId)
-- of each field of a `set` row. The front-matter columns of a version are read from its source
-- when it is projected, so the library lists without parsing every runbook.
CREATE TABLE runbook_versions (
  id             TEXT PRIMARY KEY,
  runbook_id     TEXT NOT NULL,
  parents        TEXT NOT NULL DEFAULT '[]',   -- JSON array of version ids
  source         TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  author_id      TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  hlc            TEXT NOT NULL,
  title          TEXT NOT NULL DEFAULT '',
  services       TEXT NOT NULL DEFAULT '[]',
  incident_types TEXT NOT NULL DEFAULT '[]',
  tags           TEXT NOT NULL DEFAULT '[]',
  owner          TEXT NOT NULL DEFAULT '',
  review_by      TEXT,
  step_count     INTEGER NOT NULL DEFAULT 0,
  is_readable    INTEGER NOT NULL DEFAULT 1 CHECK (is_readable IN (0, 1))
) STRICT;
CREATE INDEX runbook_versions_runbook ON runbook_versions (runbook_id, hlc);

-- Which version was edited from which: a version some other version names as parent is not a head.
CREATE TABLE runbook_parents (
  version_id  TEXT NOT NULL,
  parent_id   TEXT NOT NULL,
  PRIMARY KEY (version_id, parent_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX runbook_parents_parent ON runbook_parents (parent_id);

CREATE TABLE runbooks (
  id          TEXT PRIMARY KEY,
  is_archived INTEGER NOT NULL DEFAULT 0 CHECK (is_archived IN (0, 1)),
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The current version of each runbook (its newest head), searchable.
-- `meta`: services, incident types, tags and owner; `body`: the Markdown after the front matter.
CREATE VIRTUAL TABLE runbook_fts USING fts5(runbook_id UNINDEXED, title, meta, body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE runbook_runs (
  id           TEXT PRIMARY KEY,          -- incidentId/runId
  incident_id  TEXT NOT NULL DEFAULT '',
  runbook_id   TEXT NOT NULL DEFAULT '',
  version_id   TEXT NOT NULL DEFAULT '',
  title        TEXT NOT NULL DEFAULT '',
  started_at   INTEGER NOT NULL DEFAULT 0,
  started_by   TEXT NOT NULL DEFAULT '',
  assignees    TEXT NOT NULL DEFAULT '[]',  -- JSON array of user names
  status       TEXT NOT NULL DEFAULT 'active',
  stop_reason  TEXT NOT NULL DEFAULT '',
  clocks       TEXT NOT NULL DEFAULT '{}',
  updated_at   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runbook_runs_incident ON runbook_runs (incident_id, started_at);

CREATE TABLE runbook_steps (
  id          TEXT PRIMARY KEY,           -- incidentId/runId/step
  incident_id TEXT NOT NULL DEFAULT '',
  run_id      TEXT NOT NULL DEFAULT '',
  step        INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL DEFAULT 'pending',
  note        TEXT NOT NULL DEFAULT '',
  branch      TEXT,
  by          TEXT,
  at          INTEGER,
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX runbook_steps_run ON runbook_steps (run_id, step);
