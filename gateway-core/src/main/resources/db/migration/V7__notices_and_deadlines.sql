-- Passerelle schema, version 7: notices, and the deadlines that raise them.
--
-- A notice tells a partner something about a referral without carrying the referral: that it was not acknowledged
-- in time (escalated), that nobody accepted it before it expired (expired), or that an administrator cancelled it
-- (cancelled). It travels like a copy of the referral, through the partner's own transport (inbox, HTTPS push,
-- secure mail), so it is one more row of the outbox: notice names it, and NULL marks the referral's own copy.
-- A notice holds no personal data: ids, codes, times and states only.
ALTER TABLE delivery
    ADD COLUMN notice text NULL
        CONSTRAINT delivery_notice_known CHECK (notice IN ('escalated', 'expired', 'cancelled'));

-- One copy of a referral per recipient, and at most one notice of each kind per recipient.
ALTER TABLE delivery DROP CONSTRAINT delivery_one_per_recipient;
CREATE UNIQUE INDEX delivery_one_per_recipient ON delivery (referral_id, recipient, COALESCE(notice, ''));

-- When a referral was escalated for want of an acknowledgment: once only, whatever the instances.
ALTER TABLE referral ADD COLUMN escalated_at timestamptz NULL;

-- The deadline watch looks for open referrals by age.
CREATE INDEX referral_open ON referral (type, submitted_at) WHERE status IN ('routed', 'delivered', 'received');
