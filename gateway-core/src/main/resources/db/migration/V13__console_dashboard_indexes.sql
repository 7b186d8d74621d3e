-- Passerelle schema, version 13: what the console's dashboard reads at each view stays small to find (issue 18).
--
-- The escalations of the last days: only the escalated referrals are in the index.
CREATE INDEX referral_escalated ON referral (escalated_at) WHERE escalated_at IS NOT NULL;

-- The last verification of the audit log that an administrator ran: without it, a log never verified would be read
-- whole, backwards, at each view.
CREATE INDEX audit_entry_verified ON audit_entry (seq) WHERE action = 'audit.verified';
