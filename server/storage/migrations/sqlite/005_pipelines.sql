-- Pipelines (docs/pipelines.md). A `pipeline` role for CI/CD tokens: SQLite cannot change a CHECK
-- constraint, so the users table is rebuilt with the same rows.
CREATE TABLE users_new (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'commander', 'comms', 'responder', 'viewer', 'pipeline')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
INSERT INTO users_new (id, name, role, token_hash, created_at, revoked_at)
  SELECT id, name, role, token_hash, created_at, revoked_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_active_name ON users (name) WHERE revoked_at IS NULL;

-- GET /v1/freeze and event routing read only the freeze and incident ops.
CREATE INDEX ops_by_entity ON ops (entity, stream_id, seq);

-- The service's own device, under which it writes pipeline events into incident streams: one row,
-- made when the store is first opened. last_hlc is the newest clock value it issued.
CREATE TABLE service_identity (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  device_id TEXT NOT NULL,
  last_hlc  TEXT
) STRICT;

-- Where the service device's hash chain ends in each stream: its next op there chains to `hash`.
CREATE TABLE service_chain_heads (
  stream_id TEXT PRIMARY KEY,
  hash      TEXT NOT NULL
) STRICT;

-- Idempotency keys of event posts, per user: the request's fingerprint and the reply given, so a
-- retry gets the same reply and writes nothing, and another request under the key is refused.
CREATE TABLE idempotency_keys (
  user_name   TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status      INTEGER NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (user_name, key)
) STRICT;
