-- Passerelle schema, version 5: deliveries that the gateway pushes (HTTPS, secure mail) beside those that partners
-- pull, and the single-use receipt links that secure mail carries.
--
-- transport is the id of the transport chosen when the referral was sealed ('inbox' for the pull inbox): the
-- payload was packaged for it (a CMS envelope, or an S/MIME entity for mail), so a later change of the partner's
-- entry does not change how an already sealed copy travels.
ALTER TABLE delivery
    ADD COLUMN transport       text        NOT NULL DEFAULT 'inbox',
    ADD COLUMN attempts        integer     NOT NULL DEFAULT 0,
    -- When a worker may next try a pushed delivery; NULL for the pull inbox.
    ADD COLUMN next_attempt_at timestamptz NULL,
    -- A worker that claimed the delivery holds it until then; after that, another may take it over.
    ADD COLUMN lease_until     timestamptz NULL,
    -- What the last failed attempt said: an HTTP status or a network error's kind, never personal data.
    ADD COLUMN last_error      text        NULL;

-- Delivery workers look for "pushed, pending, due", most urgent first.
CREATE INDEX delivery_due ON delivery (next_attempt_at)
    WHERE state = 'pending' AND transport <> 'inbox';

-- A single-use link in a secure mail: the recipient records one receipt (received, accepted or declined) by
-- opening it. Only the SHA-256 of the token is kept: a copy of the database cannot forge a receipt.
CREATE TABLE receipt_link (
    token_sha256 bytea       PRIMARY KEY,
    delivery_id  bigint      NOT NULL REFERENCES delivery (id),
    status       text        NOT NULL
        CONSTRAINT receipt_link_status_known CHECK (status IN ('received', 'accepted', 'declined')),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz NULL
);

CREATE INDEX receipt_link_delivery ON receipt_link (delivery_id);
