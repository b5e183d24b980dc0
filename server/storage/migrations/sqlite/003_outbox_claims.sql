-- Delivery coordination (POST /v1/outbox/claim, /v1/outbox/settle): one row per delivery of a
-- published stakeholder update to a channel (key incidentId/updateId/channelId), naming the one
-- replica that may send it. Rows are kept once done, so a delivered update is never sent again.
CREATE TABLE outbox_claims (
  key             TEXT PRIMARY KEY,
  -- The device holding the lease (held), the last one (released), or the one that delivered (done).
  holder          TEXT NOT NULL,
  lease_until     INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('held', 'released', 'done')),
  -- Whose lease ran out unsettled when `holder` took over: that device may have sent already.
  previous_holder TEXT,
  updated_at      INTEGER NOT NULL
) STRICT;
