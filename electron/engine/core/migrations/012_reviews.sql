-- After the incident: when its impact started, legal holds, the post-incident review, action items
-- tracked across incidents, and the record of incidents purged under the retention setting. All
-- projections of ops.
ALTER TABLE incidents ADD COLUMN started_at INTEGER;
ALTER TABLE incidents ADD COLUMN is_legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (is_legal_hold IN (0, 1));
ALTER TABLE incidents ADD COLUMN legal_hold_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE reviews (
  id            TEXT PRIMARY KEY,             -- incidentId/review
  incident_id   TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL DEFAULT '',
  factors       TEXT NOT NULL DEFAULT '[]',
  state         TEXT NOT NULL DEFAULT 'draft',
  due_at        INTEGER,
  generated_at  INTEGER NOT NULL DEFAULT 0,
  updated_by    TEXT NOT NULL DEFAULT '',
  published_at  INTEGER,
  clocks        TEXT NOT NULL DEFAULT '{}',
  updated_at    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX reviews_incident ON reviews (incident_id);

CREATE TABLE action_items (
  id          TEXT PRIMARY KEY,               -- incidentId/itemId
  incident_id TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  owner_id    TEXT,
  due_at      INTEGER,
  priority    TEXT NOT NULL DEFAULT 'P2',
  type        TEXT NOT NULL DEFAULT 'prevent',
  status      TEXT NOT NULL DEFAULT 'open',
  note        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL DEFAULT 0,
  created_by  TEXT NOT NULL DEFAULT '',
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX action_items_open ON action_items (status, due_at);
CREATE INDEX action_items_incident ON action_items (incident_id);

CREATE TABLE purge_records (
  id           TEXT PRIMARY KEY,              -- the op id
  incident_id  TEXT NOT NULL,
  title        TEXT NOT NULL,
  severity     TEXT NOT NULL,
  closed_at    INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  purged_at    INTEGER NOT NULL,
  purged_by    TEXT NOT NULL
) STRICT;
CREATE INDEX purge_records_incident ON purge_records (incident_id);
