-- Pipelines (docs/pipelines.md). A `pipeline` role for CI/CD tokens.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'commander', 'comms', 'responder', 'viewer', 'pipeline'));

-- GET /v1/freeze and event routing read only the freeze and incident ops.
CREATE INDEX ops_by_entity ON ops (entity, stream_id, seq);

-- The service's own device, under which it writes pipeline events into incident streams: one row,
-- made by the first node that opens the database. last_hlc is the newest clock value it issued.
-- A service write locks this row (FOR UPDATE) for its transaction, so the writes of every node
-- take turns and the service's clock and chains never fork.
CREATE TABLE service_identity (
  id        integer PRIMARY KEY CHECK (id = 1),
  device_id text COLLATE "C" NOT NULL,
  last_hlc  text COLLATE "C"
);

-- Where the service device's hash chain ends in each stream: its next op there chains to `hash`.
CREATE TABLE service_chain_heads (
  stream_id text COLLATE "C" PRIMARY KEY,
  hash      text NOT NULL
);

-- Idempotency keys of event posts, per user: the request's fingerprint and the reply given, so a
-- retry gets the same reply and writes nothing, and another request under the key is refused.
CREATE TABLE idempotency_keys (
  user_name   text COLLATE "C" NOT NULL,
  key         text COLLATE "C" NOT NULL,
  fingerprint text NOT NULL,
  status      integer NOT NULL,
  body        text NOT NULL,
  created_at  bigint NOT NULL,
  PRIMARY KEY (user_name, key)
);
