-- A smaller op log (issue 22: storage per op). Hashes are kept as their 32 bytes instead of 64 hex
-- digits, and the genesis link (64 zeros) as NULL: about 100 bytes less per op. The engine reads
-- and writes them as hex as before (shared/node/op-rows.ts). Two indexes go:
-- - ops_by_cert: a revocation's ops are found through ops_chain by the certificate's device.
-- - timeline_page: newest-first timeline pages read timeline_order backwards (event time, then
--   clock), the same order the war room's windows use.
ALTER TABLE ops RENAME TO ops_before_023;

CREATE TABLE ops (
  seq         INTEGER PRIMARY KEY,          -- local arrival order
  op_id       TEXT NOT NULL UNIQUE,
  hlc         TEXT NOT NULL,
  stream_id   TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  entity      TEXT NOT NULL,
  row_id      TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('set', 'append')),
  fields      TEXT NOT NULL,                -- canonical JSON
  prev_hash   BLOB CHECK (length(prev_hash) = 32), -- NULL: the first op of its chain (the genesis hash)
  hash        BLOB NOT NULL CHECK (length(hash) = 32),
  received_at INTEGER NOT NULL,
  source      TEXT,
  cert_id     TEXT,
  sig         TEXT,
  refusal     TEXT
) STRICT;

INSERT INTO ops (seq, op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, source, cert_id, sig, refusal)
  SELECT seq, op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields,
    CASE WHEN prev_hash = '0000000000000000000000000000000000000000000000000000000000000000' THEN NULL ELSE unhex(prev_hash) END,
    unhex(hash), received_at, source, cert_id, sig, refusal
  FROM ops_before_023 ORDER BY seq;

DROP TABLE ops_before_023;
CREATE INDEX ops_chain ON ops (device_id, stream_id, hlc);
CREATE INDEX ops_stream_seq ON ops (stream_id, seq);
CREATE INDEX ops_refused ON ops (seq) WHERE refusal IS NOT NULL;

DROP INDEX timeline_page;
