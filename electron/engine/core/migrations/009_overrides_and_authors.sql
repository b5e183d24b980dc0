-- Why a recovery step went ahead while required evidence was missing (the evidence gate): kept on
-- the step so the review lists it among the run's deviations, not only on the timeline.
ALTER TABLE runbook_steps ADD COLUMN override TEXT NOT NULL DEFAULT '';

-- Who last saved a checklist template.
ALTER TABLE checklist_templates ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
