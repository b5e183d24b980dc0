-- Signed ops (issue 17). An op may carry the certificate it was written under (cert_id, inside its
-- hash) and its device's signature (sig, outside it); legacy ops keep both NULL. `refusal` is NULL
-- for a valid op; an authentic op its signer was not allowed to write is kept with the reason, so
-- every device's chain stays whole, and is never projected.
ALTER TABLE ops ADD COLUMN cert_id TEXT;
ALTER TABLE ops ADD COLUMN sig TEXT;
ALTER TABLE ops ADD COLUMN refusal TEXT;
CREATE INDEX ops_by_cert ON ops (cert_id, hlc) WHERE cert_id IS NOT NULL;
CREATE INDEX ops_refused ON ops (seq) WHERE refusal IS NOT NULL;

-- Not a projection: authentic-looking ops that cannot be judged yet (their certificate or org key
-- has not arrived). Outside the op log; judged again when trust records arrive.
CREATE TABLE ops_held (
  op_id       TEXT PRIMARY KEY,
  op          TEXT NOT NULL,                -- the op as received (JSON)
  reason      TEXT NOT NULL,
  source      TEXT,
  received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ops_held_by_source ON ops_held (source, received_at);

-- Projections of the trust stream, one row per natural key whatever order the ops arrive in.
CREATE TABLE trust_org_keys (
  key_id      TEXT PRIMARY KEY,
  public_key  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  endorsed_by TEXT,
  endorsement TEXT
) STRICT;

CREATE TABLE trust_certs (
  cert_id     TEXT PRIMARY KEY,
  org         TEXT NOT NULL,
  user_name   TEXT NOT NULL,
  role        TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  not_before  INTEGER NOT NULL,
  not_after   INTEGER NOT NULL,
  adopts      INTEGER NOT NULL,
  body        TEXT NOT NULL,                -- canonical JSON of the certificate body
  sig         TEXT NOT NULL
) STRICT;
CREATE INDEX trust_certs_by_device ON trust_certs (device_id) WHERE adopts = 1;

-- id: the first 32 hex digits of the SHA-256 of the canonical revocation body.
CREATE TABLE trust_revocations (
  id           TEXT PRIMARY KEY,
  cert_id      TEXT NOT NULL,
  effective_at INTEGER NOT NULL,
  body         TEXT NOT NULL,
  sig          TEXT NOT NULL
) STRICT;
CREATE INDEX trust_revocations_by_cert ON trust_revocations (cert_id);
