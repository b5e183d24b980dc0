-- When each device first held each op of an incident that it did not write (docs/knowledge.md):
-- projected from signed receipts (op_receipt ops in the incident's stream). One row per incident, op
-- and holding device (id: "<incident id>/<op id>/<device id>"): the earliest time any of its
-- receipts gives. An author holds its own ops from their stamp, read from the ops themselves.
CREATE TABLE op_receipts (
  id          TEXT PRIMARY KEY,
  op_id       TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  actor       TEXT NOT NULL,
  held_at     INTEGER NOT NULL,
  incident_id TEXT NOT NULL,
  receipt_id  TEXT NOT NULL              -- the receipt op that gives held_at
) STRICT;
CREATE INDEX op_receipts_incident ON op_receipts (incident_id, actor);
