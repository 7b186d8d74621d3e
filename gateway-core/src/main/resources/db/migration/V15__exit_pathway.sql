-- Passerelle schema, version 15: the exit pathway's chain of terms (CASF L.121-9), and its reminder (issue 21).
--
-- The prefect authorises the pathway for six months at a time, renewable up to 24 months in all. To check a
-- renewal against the term it renews and the 24 months, the gateway keeps, for each application and each decision,
-- ids, codes and dates only: no name, no birth date, nothing that identifies the person without the referrals,
-- whose content is purged at the end of their retention while these rows stay (a renewal may come 18 months after
-- the first decision).

-- One application: who presented it (the approved association), and for a renewal the decision it renews.
CREATE TABLE exit_pathway_application (
    application     uuid        PRIMARY KEY,          -- no foreign key: the chain outlives a purge of referrals
    association     text        NOT NULL,
    department      text        NOT NULL,
    kind            text        NOT NULL CONSTRAINT exit_pathway_application_kind CHECK (kind IN ('initial', 'renewal')),
    renews_decision uuid        NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT exit_pathway_renewal_names_decision CHECK ((kind = 'renewal') = (renews_decision IS NOT NULL))
);

-- One decision of the prefect that opens, renews or ends a term: the chain's first decision and the pathway's
-- first day, against which the 24 months are counted.
CREATE TABLE exit_pathway_term (
    decision          uuid        PRIMARY KEY,
    application       uuid        NOT NULL,
    outcome           text        NOT NULL
        CONSTRAINT exit_pathway_term_outcome CHECK (outcome IN ('granted', 'renewed', 'ended')),
    first_decision    uuid        NOT NULL,
    pathway_starts_on date        NOT NULL,
    starts_on         date        NULL,
    ends_on           date        NOT NULL,
    -- A reminder to the partners that received the decision, once, so that the association applies for renewal;
    -- cleared when the term is renewed or ended first.
    remind_on         date        NULL,
    reminded_at       timestamptz NULL,
    recorded_at       timestamptz NOT NULL
);

CREATE INDEX exit_pathway_reminders ON exit_pathway_term (remind_on) WHERE reminded_at IS NULL AND remind_on IS NOT NULL;

-- An application gets one term: a second decision that grants or renews it is refused.
CREATE UNIQUE INDEX exit_pathway_one_term_per_application ON exit_pathway_term (application)
    WHERE outcome IN ('granted', 'renewed');
CREATE INDEX exit_pathway_renewals ON exit_pathway_application (renews_decision) WHERE renews_decision IS NOT NULL;

-- The reminder's notice.
ALTER TABLE delivery DROP CONSTRAINT delivery_notice_known;
ALTER TABLE delivery ADD CONSTRAINT delivery_notice_known CHECK (notice IN ('escalated', 'expired', 'cancelled',
    'held', 'released', 'reflection-period-ending', 'permit-expiring', 'consent-withdrawn', 'exit-pathway-ending'));
