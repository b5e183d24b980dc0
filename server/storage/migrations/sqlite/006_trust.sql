-- Signed ops and the organisation's key (docs: server/README.md, "Org key"). An op keeps the
-- certificate it was written under and its device's signature; both are NULL on legacy ops.
ALTER TABLE ops ADD COLUMN cert_id TEXT;
ALTER TABLE ops ADD COLUMN sig TEXT;

-- The public halves of the organisation's keys; the private key stays in its 0600 file and never
-- enters the database. Every service node on this database must hold the file of one of these.
CREATE TABLE org_keys (
  key_id     TEXT PRIMARY KEY,
  public_key TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;
