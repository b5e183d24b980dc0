-- Stakeholder communications: update templates (library), delivery channels (the comms stream,
-- which only publishers receive), each incident's updates from draft to published, the published
-- record (append-only) and the delivery of each published update to each channel. All projections
-- of ops, except delivery_claims: this replica's own record of which deliveries it coordinates when
-- no sync service or hub is configured.
CREATE TABLE update_templates (
  id          TEXT PRIMARY KEY,
  audience    TEXT NOT NULL DEFAULT 'internal',
  name        TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL DEFAULT '',
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_by  TEXT,
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE comms_channels (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  config      TEXT,                          -- JSON channel configuration, secrets included
  audiences   TEXT NOT NULL DEFAULT '[]',
  is_enabled  INTEGER NOT NULL DEFAULT 1 CHECK (is_enabled IN (0, 1)),
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_by  TEXT,
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE comms_updates (
  id                TEXT PRIMARY KEY,        -- incidentId/updateId
  incident_id       TEXT NOT NULL DEFAULT '',
  audience          TEXT NOT NULL DEFAULT 'internal',
  template_id       TEXT,
  title             TEXT NOT NULL DEFAULT '',
  body              TEXT NOT NULL DEFAULT '',
  "values"          TEXT NOT NULL DEFAULT '{}',
  next_update_at    INTEGER,
  channel_ids       TEXT NOT NULL DEFAULT '[]',
  approver          TEXT,
  author            TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL DEFAULT 0,
  state             TEXT NOT NULL DEFAULT 'draft',
  requested_at      INTEGER,
  approved_digest   TEXT,
  decided_by        TEXT,
  decided_at        INTEGER,
  decision_comment  TEXT NOT NULL DEFAULT '',
  published_at      INTEGER,
  clocks            TEXT NOT NULL DEFAULT '{}',
  updated_at        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX comms_updates_incident ON comms_updates (incident_id, created_at);

CREATE TABLE comms_published (
  id                 TEXT PRIMARY KEY,       -- incidentId/updateId: one record per update
  op_id              TEXT NOT NULL,
  incident_id        TEXT NOT NULL,
  update_id          TEXT NOT NULL,
  audience           TEXT NOT NULL,
  title              TEXT NOT NULL,
  body               TEXT NOT NULL,
  next_update_at     INTEGER,
  channels           TEXT NOT NULL DEFAULT '[]',
  approved_by        TEXT,
  lint_acknowledged  TEXT NOT NULL DEFAULT '[]',
  published_at       INTEGER NOT NULL,
  published_by       TEXT NOT NULL,
  hlc                TEXT NOT NULL
) STRICT;
CREATE INDEX comms_published_incident ON comms_published (incident_id, audience, published_at);

CREATE TABLE comms_deliveries (
  id               TEXT PRIMARY KEY,         -- incidentId/updateId/channelId
  incident_id      TEXT NOT NULL DEFAULT '',
  update_id        TEXT NOT NULL DEFAULT '',
  channel_id       TEXT NOT NULL DEFAULT '',
  channel_name     TEXT NOT NULL DEFAULT '',
  kind             TEXT NOT NULL DEFAULT '',
  state            TEXT NOT NULL DEFAULT 'queued',
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT NOT NULL DEFAULT '',
  next_attempt_at  INTEGER,
  delivered_at     INTEGER,
  detail           TEXT NOT NULL DEFAULT '',
  remote_id        TEXT,
  by               TEXT NOT NULL DEFAULT '',
  clocks           TEXT NOT NULL DEFAULT '{}',
  updated_at       INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX comms_deliveries_update ON comms_deliveries (incident_id, update_id);
CREATE INDEX comms_deliveries_pending ON comms_deliveries (state, next_attempt_at);

-- Not a projection: claims this replica grants itself when it coordinates alone.
CREATE TABLE delivery_claims (
  key              TEXT PRIMARY KEY,
  holder           TEXT NOT NULL,
  lease_until      INTEGER NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('held', 'released', 'done')),
  previous_holder  TEXT,
  updated_at       INTEGER NOT NULL
) STRICT;
