-- Passerelle schema, version 6: a dead letter that an administrator replays starts a new retry budget.
--
-- The retry policy limits the age of a delivery; a replayed delivery counts its age from the replay, not from
-- when the referral was sealed, or it would die again at its first failure.
ALTER TABLE delivery ADD COLUMN retry_since timestamptz NULL;   -- NULL: since created_at
-- attempts counts every claim ever made (it fences a claim whose lease ended: only the latest may record a
-- failure); a replay starts a new count of attempts for the retry policy by moving this base up to it.
ALTER TABLE delivery ADD COLUMN attempt_base integer NOT NULL DEFAULT 0;

-- Administrators list deliveries by state and recipient.
CREATE INDEX delivery_state_recipient ON delivery (state, recipient, id);
