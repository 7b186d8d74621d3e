-- Passerelle schema, version 1: referrals, one delivery per recipient (the outbox and the pull inbox), the
-- receipts recipients send back, and the append-only audit log.
--
-- No column in clear holds personal data. The person a referral is about lives only inside opaque bytes
-- (referral.document, delivery.payload); every other column is routing metadata: identifiers, codes and times.

-- A referral as the gateway accepted it.
CREATE TABLE referral (
    id              uuid        PRIMARY KEY,                 -- random, chosen by the gateway: reveals nothing
    type            text        NOT NULL,                    -- wire code of the message type, e.g. shelter.request
    sender          text        NOT NULL,                    -- partner id of the sender, e.g. police-75-brp
    department      text        NOT NULL,                    -- INSEE department code, drives routing
    urgency         text        NOT NULL
        CONSTRAINT referral_urgency_known CHECK (urgency IN ('routine', 'urgent', 'immediate')),
    -- Aggregate of the deliveries' states, recomputed in the transaction that changes a delivery.
    status          text        NOT NULL
        CONSTRAINT referral_status_known CHECK (status IN ('routed', 'delivered', 'received', 'accepted',
                                                            'declined', 'completed', 'failed', 'expired',
                                                            'cancelled')),
    idempotency_key text        NULL,                        -- the sender's Idempotency-Key header, if any
    request_digest  bytea       NOT NULL,                    -- digest of the request, to tell a replay from a reuse
    submitted_at    timestamptz NOT NULL,
    document        bytea       NOT NULL,                    -- the canonical JSON (encrypted at rest in a later version)
    -- A sender's key names one referral. NULL keys never collide: a submission without a key is always new.
    CONSTRAINT referral_idempotency UNIQUE (sender, idempotency_key)
);

-- One recipient's copy of a referral. Its id is also the recipient's inbox cursor: it only grows.
CREATE TABLE delivery (
    id             bigserial   PRIMARY KEY,
    referral_id    uuid        NOT NULL REFERENCES referral (id),
    recipient      text        NOT NULL,                     -- partner id of the recipient
    route_ids      text[]      NOT NULL,                     -- the routes that chose this recipient
    -- The codes of fr.passerelle.core.referral.DeliveryState.
    state          text        NOT NULL
        CONSTRAINT delivery_state_known CHECK (state IN ('pending', 'delivered', 'received', 'accepted',
                                                          'declined', 'completed', 'failed', 'expired',
                                                          'cancelled')),
    media_type     text        NOT NULL,                     -- of the payload, e.g. application/pkcs7-mime
    payload        bytea       NOT NULL,                     -- the minimised, rendered, sealed copy
    -- A code of fr.passerelle.core.referral.DeclineReason, never free text; set only on a declined copy.
    decline_reason text        NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    delivered_at   timestamptz NULL,                         -- first time the recipient got it
    CONSTRAINT delivery_one_per_recipient UNIQUE (referral_id, recipient),
    CONSTRAINT delivery_reason_only_when_declined CHECK ((decline_reason IS NULL) = (state <> 'declined'))
);

-- The pull inbox reads "this recipient's deliveries after cursor N, in order".
CREATE INDEX delivery_inbox ON delivery (recipient, id);

-- Each receipt a recipient recorded, in order; the delivery keeps only the latest state.
CREATE TABLE receipt (
    id          bigserial   PRIMARY KEY,
    delivery_id bigint      NOT NULL REFERENCES delivery (id),
    status      text        NOT NULL
        CONSTRAINT receipt_status_known CHECK (status IN ('received', 'accepted', 'declined', 'completed')),
    reason      text        NULL,                            -- a DeclineReason code, for a declined receipt only
    recorded_at timestamptz NOT NULL
);

CREATE INDEX receipt_delivery ON receipt (delivery_id, id);

-- The audit log: one row per step of a referral's life and per administrative change. Append-only: the
-- triggers below refuse UPDATE, DELETE and TRUNCATE for every role, the owner included. referral_id has no
-- foreign key on purpose: the audit outlives any purge of referral rows and must never block a write.
-- detail holds identifiers and codes only, never personal data.
CREATE TABLE audit_entry (
    seq         bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,                        -- partner id, 'gateway' or an administrator's id
    action      text        NOT NULL,                        -- e.g. referral.submitted, delivery.pulled
    referral_id uuid        NULL,
    detail      jsonb       NOT NULL
        CONSTRAINT audit_entry_detail_is_object CHECK (jsonb_typeof(detail) = 'object')
);

CREATE INDEX audit_entry_referral ON audit_entry (referral_id, seq);

CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries are never changed or removed; append a new entry instead';
END;
$$;

-- Statement-level, so that even an UPDATE or DELETE matching no row is refused.
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();
