-- A generated review draft is kept apart from what people write: two people generating the draft
-- while apart can never overwrite each other's edits, whatever order their ops arrive in.
ALTER TABLE reviews ADD COLUMN generated_body TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN is_edited INTEGER NOT NULL DEFAULT 0 CHECK (is_edited IN (0, 1));
