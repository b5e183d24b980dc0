-- Forensic evidence: checklist templates (library), the artifacts of each incident with their
-- collection record, and the chain of custody of each artifact (append-only; each event carries
-- the hash of the artifact's previous event and its own). All projections of ops.
CREATE TABLE checklist_templates (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL DEFAULT '',
  incident_types TEXT NOT NULL DEFAULT '[]',
  items          TEXT NOT NULL DEFAULT '[]',   -- JSON array of template items
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  clocks         TEXT NOT NULL DEFAULT '{}',
  updated_at     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE artifacts (
  id                  TEXT PRIMARY KEY,      -- incidentId/artifactId
  incident_id         TEXT NOT NULL DEFAULT '',
  template_id         TEXT,
  item_key            TEXT,
  artifact_type       TEXT NOT NULL DEFAULT 'other',
  asset               TEXT NOT NULL DEFAULT '',
  what                TEXT NOT NULL DEFAULT '',
  how                 TEXT NOT NULL DEFAULT '',
  is_required         INTEGER NOT NULL DEFAULT 0 CHECK (is_required IN (0, 1)),
  volatility          INTEGER NOT NULL DEFAULT 9,
  state               TEXT NOT NULL DEFAULT 'planned',
  reason              TEXT NOT NULL DEFAULT '',
  approved_by         TEXT,
  collector           TEXT,                   -- JSON {name, role, contact}
  host_ids            TEXT NOT NULL DEFAULT '[]',
  acquisition_start   INTEGER,
  acquisition_end     INTEGER,
  collector_time_zone TEXT NOT NULL DEFAULT '',
  tool                TEXT NOT NULL DEFAULT '',
  command             TEXT NOT NULL DEFAULT '',
  storage_location    TEXT NOT NULL DEFAULT '',
  file_name           TEXT NOT NULL DEFAULT '',
  size                INTEGER,
  sha256              TEXT,
  md5                 TEXT,
  sha1                TEXT,
  hash_source         TEXT,
  hash_warning        TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL DEFAULT 0,
  created_by          TEXT NOT NULL DEFAULT '',
  clocks              TEXT NOT NULL DEFAULT '{}',
  updated_at          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX artifacts_incident ON artifacts (incident_id, volatility, created_at);

CREATE TABLE custody_events (
  id           TEXT PRIMARY KEY,              -- the op id
  event_id     TEXT NOT NULL,                 -- the event's id in its hashed record
  incident_id  TEXT NOT NULL,
  artifact_id  TEXT NOT NULL,
  action       TEXT NOT NULL,
  from_party   TEXT NOT NULL DEFAULT '',
  to_party     TEXT NOT NULL DEFAULT '',
  purpose      TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT '',
  sha256       TEXT,
  result       TEXT,
  corrects     TEXT,
  at           INTEGER NOT NULL,
  actor_id     TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL,
  hlc          TEXT NOT NULL
) STRICT;
CREATE INDEX custody_events_incident ON custody_events (incident_id, hlc);
CREATE INDEX custody_events_artifact ON custody_events (artifact_id, hlc);
