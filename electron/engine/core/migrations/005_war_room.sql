-- The war room: incident details and milestone times, role seats with handoffs, deployment
-- freezes, tasks, pinned and corrected timeline entries, organisation settings. All projections
-- of ops; `clocks` holds the winning (hlc, opId) of each field of a `set` row.
ALTER TABLE incidents ADD COLUMN type TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN services TEXT NOT NULL DEFAULT '[]';  -- JSON array of names
ALTER TABLE incidents ADD COLUMN is_drill INTEGER NOT NULL DEFAULT 0 CHECK (is_drill IN (0, 1));
ALTER TABLE incidents ADD COLUMN detected_at INTEGER;
ALTER TABLE incidents ADD COLUMN acknowledged_at INTEGER;
ALTER TABLE incidents ADD COLUMN mitigated_at INTEGER;
ALTER TABLE incidents ADD COLUMN resolved_at INTEGER;
ALTER TABLE incidents ADD COLUMN closed_at INTEGER;

ALTER TABLE timeline_entries ADD COLUMN corrects TEXT;
ALTER TABLE timeline_entries ADD COLUMN source TEXT;
CREATE INDEX timeline_corrects ON timeline_entries (corrects) WHERE corrects IS NOT NULL;
-- The war room reads the timeline oldest first by position, and filters by kind or author. Entries
-- with the same event time keep the order they were written in (their HLC, unique per op).
CREATE INDEX timeline_order ON timeline_entries (incident_id, event_at, hlc);
CREATE INDEX timeline_kind ON timeline_entries (incident_id, kind, event_at, hlc);
CREATE INDEX timeline_author ON timeline_entries (incident_id, author_id, event_at, hlc);

CREATE TABLE timeline_pins (
  id          TEXT PRIMARY KEY,          -- incidentId/entryId
  incident_id TEXT NOT NULL DEFAULT '',
  is_pinned   INTEGER NOT NULL DEFAULT 0 CHECK (is_pinned IN (0, 1)),
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX timeline_pins_incident ON timeline_pins (incident_id) WHERE is_pinned = 1;

CREATE TABLE incident_roles (
  id          TEXT PRIMARY KEY,          -- incidentId/role, or incidentId/sme-<id>
  incident_id TEXT NOT NULL DEFAULT '',
  role        TEXT NOT NULL DEFAULT 'sme',
  label       TEXT NOT NULL DEFAULT '',
  holder_id   TEXT,
  since       INTEGER,
  offered_to  TEXT,
  offered_by  TEXT,
  offered_at  INTEGER,
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX incident_roles_incident ON incident_roles (incident_id);

-- Mutable rows of an incident have ids `incidentId/…`: the id fixes which incident they belong to.
CREATE TABLE freezes (
  id          TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL DEFAULT '',
  scope       TEXT NOT NULL DEFAULT '',
  reason      TEXT NOT NULL DEFAULT '',
  since       INTEGER NOT NULL DEFAULT 0,
  until       INTEGER,
  declared_by TEXT NOT NULL DEFAULT '',
  lifted_at   INTEGER,
  lifted_by   TEXT,
  lift_reason TEXT NOT NULL DEFAULT '',
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX freezes_incident ON freezes (incident_id);

CREATE TABLE tasks (
  id          TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  owner_id    TEXT,
  due_at      INTEGER,
  status      TEXT NOT NULL DEFAULT 'open',
  created_at  INTEGER NOT NULL DEFAULT 0,
  created_by  TEXT NOT NULL DEFAULT '',
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX tasks_incident ON tasks (incident_id);

CREATE TABLE org_settings (
  id         TEXT PRIMARY KEY,
  value      TEXT NOT NULL DEFAULT '',
  clocks     TEXT NOT NULL DEFAULT '{}',
  updated_at INTEGER NOT NULL DEFAULT 0
) STRICT;
