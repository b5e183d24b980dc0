-- Purging an incident (a purge record, under the retention setting) deletes its rows from every
-- projection by incident id: these tables had no index that leads with it.
CREATE INDEX runbook_steps_incident ON runbook_steps (incident_id);
CREATE INDEX timeline_pins_all ON timeline_pins (incident_id);
