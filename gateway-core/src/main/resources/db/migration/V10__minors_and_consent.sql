-- Passerelle schema, version 10: child-protection alerts the gateway raises, and the withdrawal of consent
-- (issue 14, docs/MINORS.md and docs/CONSENT.md).

-- An alert the gateway raised from another referral (a referral about a minor, an exploitation report with minors
-- suspected) names it. No foreign key: the source may be purged when its consent is withdrawn, the alert not (it
-- rests on a legal obligation, CASF L.226-3).
ALTER TABLE referral ADD COLUMN source_referral uuid NULL;
CREATE INDEX referral_source ON referral (source_referral) WHERE source_referral IS NOT NULL;

-- A referral whose consent was withdrawn keeps its row, its copies' states and its audit entries, but none of its
-- content: the document and every copy's payload are erased with their wrapped data keys.
ALTER TABLE referral DROP CONSTRAINT referral_status_known;
ALTER TABLE referral ADD CONSTRAINT referral_status_known CHECK (status IN ('held', 'routed', 'delivered', 'received',
    'accepted', 'declined', 'completed', 'failed', 'expired', 'cancelled', 'withdrawn'));
ALTER TABLE referral ADD COLUMN withdrawn_at timestamptz NULL;
ALTER TABLE referral ALTER COLUMN document DROP NOT NULL;
ALTER TABLE referral ALTER COLUMN key_id DROP NOT NULL;
ALTER TABLE referral ALTER COLUMN wrapped_key DROP NOT NULL;
ALTER TABLE referral ADD CONSTRAINT referral_purged_whole CHECK ((document IS NULL) = (key_id IS NULL)
    AND (document IS NULL) = (wrapped_key IS NULL) AND (document IS NULL) = (status = 'withdrawn'));

ALTER TABLE delivery ALTER COLUMN payload DROP NOT NULL;
ALTER TABLE delivery ALTER COLUMN key_id DROP NOT NULL;
ALTER TABLE delivery ALTER COLUMN wrapped_key DROP NOT NULL;
ALTER TABLE delivery ADD CONSTRAINT delivery_purged_whole CHECK ((payload IS NULL) = (key_id IS NULL)
    AND (payload IS NULL) = (wrapped_key IS NULL));

ALTER TABLE delivery DROP CONSTRAINT delivery_notice_known;
ALTER TABLE delivery ADD CONSTRAINT delivery_notice_known CHECK (notice IN ('escalated', 'expired', 'cancelled',
    'held', 'released', 'reflection-period-ending', 'permit-expiring', 'consent-withdrawn'));
