-- The people directory: people, teams and conference bridges, synced in the `directory` stream so
-- every replica can reach people when chat and SSO are down. Projections of `set` ops; `clocks`
-- holds the winning (hlc, opId) of each field. Rows may be created by any partial op, hence the
-- defaults; lists are JSON text.
CREATE TABLE people (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  handle      TEXT,                          -- Holdfast user name, if they have one
  email       TEXT NOT NULL DEFAULT '',
  phones      TEXT NOT NULL DEFAULT '[]',    -- JSON array of {label, number}
  team_id     TEXT,
  time_zone   TEXT NOT NULL DEFAULT '',      -- IANA name
  title       TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE teams (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL DEFAULT '',
  description      TEXT NOT NULL DEFAULT '',
  escalation_phone TEXT NOT NULL DEFAULT '',
  pager            TEXT NOT NULL DEFAULT '',
  deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  clocks           TEXT NOT NULL DEFAULT '{}',
  updated_at       INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE bridges (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL DEFAULT '',
  dial_in     TEXT NOT NULL DEFAULT '[]',    -- JSON array of {label, number}
  meeting_url TEXT NOT NULL DEFAULT '',
  pin         TEXT NOT NULL DEFAULT '',
  notes       TEXT NOT NULL DEFAULT '',
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
