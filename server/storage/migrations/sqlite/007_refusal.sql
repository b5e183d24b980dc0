-- Every pushed op is judged (shared/trust/judge.ts). An authentic op its signer was not allowed to
-- write is kept, so its author's chain stays whole, with the reason here (NULL: valid). Refused
-- ops are pulled like any other but never counted by freezes, legal holds or event routing.
ALTER TABLE ops ADD COLUMN refusal TEXT;

-- A revocation re-judges the ops of its certificate from its effective time on.
CREATE INDEX ops_by_cert ON ops (cert_id, hlc) WHERE cert_id IS NOT NULL;
