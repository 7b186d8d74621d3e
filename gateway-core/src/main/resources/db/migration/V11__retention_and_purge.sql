-- Passerelle schema, version 11: storage limitation (issue 15, docs/DATA-PROTECTION.md).
--
-- The submission as received is kept only when the sender signed it (its evidence), and only for a while: a
-- referral's document may be NULL whatever its status. A purge erases a referral's content (its document, every
-- copy's and notice's payload, with their wrapped data keys) once its retention has run out; the row, its copies'
-- states and its audit entries stay.
ALTER TABLE referral DROP CONSTRAINT referral_purged_whole;
ALTER TABLE referral ADD CONSTRAINT referral_document_whole CHECK ((document IS NULL) = (key_id IS NULL)
    AND (document IS NULL) = (wrapped_key IS NULL));
ALTER TABLE referral ADD COLUMN purged_at timestamptz NULL;

-- The purge scans the referrals not yet purged, oldest first.
CREATE INDEX referral_not_purged ON referral (submitted_at) WHERE purged_at IS NULL;
