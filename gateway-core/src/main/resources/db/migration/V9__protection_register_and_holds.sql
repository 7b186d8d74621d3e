-- Passerelle schema, version 9: the protection register, and removal objectives held because of it (issue 13).
--
-- The register records, for each person whom a referral the gateway carried showed to be protected from removal,
-- what protects her and until when. The person is known only by HMAC-SHA-256 tokens of normalised identity keys
-- (docs/PROTECTION.md), under a register key kept in a file beside the master keys, never in the database: a
-- token reveals nothing without that key, and no column here holds a name, a birth date or an alias.

-- One protection: its basis, the referral that carried it, and its validity in days (Europe/Paris calendar days,
-- as the prefectures count them). ends_on NULL: open, no end known yet (a reflection period whose récépissé was
-- not handed over, a permit not yet decided).
CREATE TABLE protection (
    id              bigserial   PRIMARY KEY,
    basis           text        NOT NULL
        CONSTRAINT protection_basis_known CHECK (basis IN ('reflection-period', 'permit', 'exit-pathway', 'minor')),
    source_referral uuid        NOT NULL,             -- no foreign key: the register outlives a purge of referrals
    carrier         text        NOT NULL,             -- partner id that carried it: told when a removal is held
    department      text        NOT NULL,
    starts_on       date        NULL,
    ends_on         date        NULL,
    -- A reminder due to the partners that received remind_referral (a prefecture's decision), once.
    remind_on       date        NULL,
    remind_notice   text        NULL
        CONSTRAINT protection_remind_known CHECK (remind_notice IN ('reflection-period-ending', 'permit-expiring')),
    remind_referral uuid        NULL,
    reminded_at     timestamptz NULL,
    recorded_at     timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT protection_one_per_source UNIQUE (source_referral, basis),
    CONSTRAINT protection_remind_complete CHECK ((remind_on IS NULL) = (remind_notice IS NULL)
                                                 AND (remind_on IS NULL) = (remind_referral IS NULL))
);

CREATE INDEX protection_reminders ON protection (remind_on) WHERE reminded_at IS NULL AND remind_on IS NOT NULL;

-- The person's tokens: HMAC-SHA-256(register key, identity key), under the key named by key_id.
CREATE TABLE protection_token (
    protection_id bigint NOT NULL REFERENCES protection (id) ON DELETE CASCADE,
    key_id        text   NOT NULL,
    token         bytea  NOT NULL CONSTRAINT protection_token_length CHECK (octet_length(token) = 32),
    PRIMARY KEY (protection_id, key_id, token)
);

CREATE INDEX protection_token_lookup ON protection_token (token);

-- A held referral: a removal objective about a protected person. Its copies wait in held_copy, never in the
-- outbox or an inbox, until an administrator releases it (they then enter the outbox as new rows, so that a
-- pulling recipient's cursor finds them) or cancels it (they are deleted: nobody ever had them).
ALTER TABLE referral DROP CONSTRAINT referral_status_known;
ALTER TABLE referral ADD CONSTRAINT referral_status_known CHECK (status IN ('held', 'routed', 'delivered', 'received',
    'accepted', 'declined', 'completed', 'failed', 'expired', 'cancelled'));

CREATE TABLE referral_hold (
    referral_id      uuid        PRIMARY KEY REFERENCES referral (id),
    reason           text        NOT NULL
        CONSTRAINT referral_hold_reason_known CHECK (reason IN ('protected:reflection-period', 'protected:permit',
                                                                'protected:exit-pathway', 'protected:minor')),
    protections      bigint[]    NOT NULL,            -- the protections it matched
    held_at          timestamptz NOT NULL,
    released_at      timestamptz NULL,
    released_by      text        NULL,                -- admin:<id>
    justification    text        NULL
        CONSTRAINT referral_hold_justification_known CHECK (justification IN ('period-ended-early',
                                                          'not-the-same-person', 'protection-ended',
                                                          'decision-annulled')),
    decided_on       date        NULL,                -- the date of the prefect's decision that ended the protection
    -- The administrator's comment, encrypted at rest like a payload: free text may name the person.
    comment          bytea       NULL,
    comment_key_id   text        NULL,
    comment_wrapped  bytea       NULL,
    CONSTRAINT referral_hold_release_complete CHECK ((released_at IS NULL) = (justification IS NULL)
                                                     AND (released_at IS NULL) = (released_by IS NULL))
);

CREATE TABLE held_copy (
    id          bigserial PRIMARY KEY,                -- named by the key rotation's batches
    referral_id uuid   NOT NULL REFERENCES referral (id),
    recipient   text   NOT NULL,
    position    int    NOT NULL,                      -- the routing order, kept at release
    route_ids   text[] NOT NULL,
    media_type  text   NOT NULL,
    payload     bytea  NOT NULL,                      -- sealed for the recipient, encrypted at rest as a delivery
    key_id      text   NOT NULL,
    wrapped_key bytea  NOT NULL,
    transport   text   NOT NULL,
    links       jsonb  NOT NULL DEFAULT '[]',         -- [{"sha256": hex, "status": code, "expiresAt": iso}]
    CONSTRAINT held_copy_one_per_recipient UNIQUE (referral_id, recipient)
);

-- Notices about holds and the register's reminders.
ALTER TABLE delivery DROP CONSTRAINT delivery_notice_known;
ALTER TABLE delivery ADD CONSTRAINT delivery_notice_known CHECK (notice IN ('escalated', 'expired', 'cancelled',
    'held', 'released', 'reflection-period-ending', 'permit-expiring'));
