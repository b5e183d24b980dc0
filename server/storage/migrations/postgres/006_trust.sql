-- Signed ops and the organisation's key (docs: server/README.md, "Org key"). An op keeps the
-- certificate it was written under and its device's signature; both are NULL on legacy ops.
ALTER TABLE ops ADD COLUMN cert_id text COLLATE "C";
ALTER TABLE ops ADD COLUMN sig text;

-- The public halves of the organisation's keys; the private key stays in its 0600 file and never
-- enters the database. Every service node on this database must hold the file of one of these.
-- The primary key settles two nodes creating a key at once: the second one's insert does nothing.
CREATE TABLE org_keys (
  key_id     text COLLATE "C" PRIMARY KEY,
  public_key text NOT NULL UNIQUE,
  created_at bigint NOT NULL
);
