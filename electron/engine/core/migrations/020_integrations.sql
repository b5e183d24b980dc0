-- Integrations (issue 23): targets teams are paged through, incidents mirrored to and action items
-- filed in; each send to a target with its delivery state; an incident's opt-in chat mirrors; and the
-- paging targets each directory team carries.
CREATE TABLE integration_targets (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  config      TEXT,                          -- JSON target configuration, secrets shown as '••••'
  secret_id   TEXT,
  is_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_by  TEXT,
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE integration_sends (
  id               TEXT PRIMARY KEY,         -- incidentId/sendId/targetId
  incident_id      TEXT NOT NULL DEFAULT '',
  send_id          TEXT NOT NULL DEFAULT '',
  target_id        TEXT NOT NULL DEFAULT '',
  target_name      TEXT NOT NULL DEFAULT '',
  kind             TEXT NOT NULL DEFAULT '',
  purpose          TEXT NOT NULL DEFAULT '',
  title            TEXT NOT NULL DEFAULT '',
  text             TEXT NOT NULL DEFAULT '',
  link             TEXT NOT NULL DEFAULT '',
  dedup_key        TEXT,
  team_id          TEXT,
  source_id        TEXT,
  requested_by     TEXT NOT NULL DEFAULT '',
  requested_at     INTEGER NOT NULL DEFAULT 0,
  state            TEXT NOT NULL DEFAULT 'queued',
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  next_attempt_at  INTEGER,
  delivered_at     INTEGER,
  detail           TEXT NOT NULL DEFAULT '',
  remote_id        TEXT,
  remote_url       TEXT,
  sent_digest      TEXT,
  by               TEXT NOT NULL DEFAULT '',
  clocks           TEXT NOT NULL DEFAULT '{}',
  updated_at       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX integration_sends_incident ON integration_sends (incident_id, send_id);
CREATE INDEX integration_sends_pending ON integration_sends (state, next_attempt_at);
CREATE INDEX integration_sends_source ON integration_sends (source_id);

CREATE TABLE incident_mirrors (
  id                TEXT PRIMARY KEY,        -- incidentId/targetId
  incident_id       TEXT NOT NULL DEFAULT '',
  target_id         TEXT NOT NULL DEFAULT '',
  kinds             TEXT NOT NULL DEFAULT '[]',
  internal_updates  INTEGER NOT NULL DEFAULT 0 CHECK (internal_updates IN (0, 1)),
  is_enabled        INTEGER NOT NULL DEFAULT 0 CHECK (is_enabled IN (0, 1)),
  since             INTEGER NOT NULL DEFAULT 0,
  updated_by        TEXT NOT NULL DEFAULT '',
  clocks            TEXT NOT NULL DEFAULT '{}',
  updated_at        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX incident_mirrors_incident ON incident_mirrors (incident_id);

ALTER TABLE teams ADD COLUMN paging_target_ids TEXT NOT NULL DEFAULT '[]';
ALTER TABLE action_items ADD COLUMN tracker_url TEXT NOT NULL DEFAULT '';
