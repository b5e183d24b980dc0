-- The service catalog (library): each service's tier, owner team, recovery objectives, what it
-- depends on, and its runbooks and evidence checklists. A projection of ops.
CREATE TABLE services (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL DEFAULT '',
  description    TEXT NOT NULL DEFAULT '',
  tier           INTEGER NOT NULL DEFAULT 3,
  owner_team_id  TEXT,
  rto_min        INTEGER,
  rpo_min        INTEGER,
  depends_on     TEXT NOT NULL DEFAULT '[]',
  runbook_ids    TEXT NOT NULL DEFAULT '[]',
  checklist_ids  TEXT NOT NULL DEFAULT '[]',
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  updated_by     TEXT NOT NULL DEFAULT '',
  clocks         TEXT NOT NULL DEFAULT '{}',
  updated_at     INTEGER NOT NULL DEFAULT 0
) STRICT;
