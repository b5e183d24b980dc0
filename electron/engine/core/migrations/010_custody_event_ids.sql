-- A custody event id names one record: when two ops carry the same event id (a replayed or forged
-- record), every replica keeps the one written first by clock, whatever order they arrive in.
DELETE FROM custody_events WHERE EXISTS (
  SELECT 1 FROM custody_events o
  WHERE o.event_id = custody_events.event_id AND (o.hlc < custody_events.hlc OR (o.hlc = custody_events.hlc AND o.id < custody_events.id))
);
CREATE UNIQUE INDEX custody_events_event ON custody_events (event_id);
