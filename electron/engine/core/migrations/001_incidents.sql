-- Incidents declared on this replica.
CREATE TABLE incidents (
  id          TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
  status      TEXT NOT NULL DEFAULT 'investigating'
              CHECK (status IN ('investigating', 'identified', 'mitigated', 'resolved', 'closed')),
  summary     TEXT NOT NULL DEFAULT '',
  declared_at INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX incidents_declared_at ON incidents (declared_at DESC, id DESC);
