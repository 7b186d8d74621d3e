-- Passerelle schema, version 17: the audit log's sequencing taken off the hot path (issue 22, docs/AUDIT.md).
--
-- Until now every transaction that appended to the log took the one row of audit_counter and held it until its
-- commit had flushed: appenders of every instance queued behind one another, and adding instances added no
-- throughput. Now, as certificate-transparency logs do (RFC 9162, the Trillian design):
--
-- * a transaction appends its entries to audit_queue, with no shared lock: each row carries the entry, its leaf
--   hash (computed by the gateway, canonical encoding version 2, which holds the time and the promise but no
--   sequence number) and the merge delay promised for it;
-- * one sequencer per database (any instance, elected with a session advisory lock) moves the queued rows, in
--   arrival order, into audit_entry in batches: numbers 1..n without gaps, chain hash, and a signed tree head over
--   each batch. Every entry is covered by a signed head within its promise (max_merge_delay_ms).
--
-- Entries written before this version stay in audit_entry as they are (encoding version 1, queue_id NULL); they
-- are not copied into the queue. Both tables are append-only: the database refuses any UPDATE, DELETE or TRUNCATE.
--
-- xid is the writing transaction's id: every transaction whose id is below the oldest one still running has
-- ended, so the sequencer needs to look again only at the rows whose xid is at or above the oldest transaction
-- that was running at its previous batch (an index scan of the last instants, not an anti-join over the queue).
-- A restore gives the restored rows the restoring transaction's id, since ids belong to the cluster that wrote them.
CREATE TABLE audit_queue (
    id                 bigserial   PRIMARY KEY,                 -- the queue position, in arrival order
    at                 timestamptz NOT NULL,                    -- when the entry was appended (in the leaf)
    max_merge_delay_ms integer     NOT NULL                     -- the promise given for it (in the leaf)
        CONSTRAINT audit_queue_promise_positive CHECK (max_merge_delay_ms > 0),
    actor              text        NOT NULL,
    action             text        NOT NULL,
    referral_id        uuid        NULL,
    detail             jsonb       NOT NULL
        CONSTRAINT audit_queue_detail_is_object CHECK (jsonb_typeof(detail) = 'object'),
    leaf_hash          bytea       NOT NULL
        CONSTRAINT audit_queue_leaf_hash_sha256 CHECK (octet_length(leaf_hash) = 32),
    xid                xid8        NOT NULL DEFAULT pg_current_xact_id()
);

CREATE INDEX audit_queue_xid ON audit_queue (xid);
CREATE INDEX audit_queue_referral ON audit_queue (referral_id, id);
CREATE INDEX audit_queue_verified ON audit_queue (id) WHERE action = 'audit.verified';

CREATE TRIGGER audit_queue_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_queue
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_change();

-- The queued row each numbered entry comes from: at most once (the sequencer relies on it as much as verify).
ALTER TABLE audit_entry
    ADD COLUMN queue_id bigint NULL CONSTRAINT audit_entry_queue_id_once UNIQUE;

COMMENT ON COLUMN audit_entry.seq IS '1..n without gaps, given by the sequencer in arrival order of the queue';
COMMENT ON COLUMN audit_entry.queue_id IS 'the audit_queue row of this entry; NULL for entries written before V17';
COMMENT ON COLUMN audit_entry.leaf_hash IS
    'SHA-256(0x00 || canonical encoding): version 1 when queue_id is NULL, version 2 otherwise';

-- The counter that serialised appenders is no longer used: the sequencer numbers entries alone.
DROP TRIGGER audit_counter_one_by_one ON audit_counter;
DROP TRIGGER audit_counter_no_delete ON audit_counter;
DROP TABLE audit_counter;
DROP FUNCTION audit_counter_only_up();
