-- Passerelle schema, version 4: a tamper-evident audit log (docs/AUDIT.md).
--
-- Each audit entry becomes a leaf of an RFC 9162 Merkle tree. Its leaf hash is SHA-256(0x00 || encoding), where
-- encoding is the canonical entry encoding version 1 of fr.passerelle.core.audit.AuditEncoding; its chain hash is
-- SHA-256(previous chain hash || leaf hash), the first entry chaining from 32 zero bytes. The gateway computes both
-- when it appends; the chain lets a verifier name the first entry whose row was edited.
--
-- Sequence numbers are now 1..n with no gap, even with several gateways on one database: audit_counter holds the
-- last number given; an appender takes the next one with UPDATE ... RETURNING, whose row lock serialises appenders
-- until commit, and a rollback gives the number back. The bigserial sequence is no longer used.
--
-- Existing entries (written by versions 1-3) are kept: this migration numbers them 1..n in their order (a
-- sequence leaves gaps after rollbacks) and computes their leaf and chain hashes here, in SQL, with the same
-- encoding as the Java code (AuditMigrationIT checks that both agree). It runs once, before any tree head exists,
-- so renumbering breaks no signature.
--
-- Archiving: entries are never deleted. An operator who must move old entries out of the live database exports
-- the log (audit export), keeps the export with the signed tree heads, and starts a new database only if it must;
-- deleting rows would make every later verification fail, which is the point.

-- The encoding of one entry, version 1: byte 1, then each field as a 4-byte big-endian length and its UTF-8 bytes:
-- seq (decimal), time (ISO-8601 UTC, microseconds), actor, action, referral id (or empty), then the detail's
-- key/value pairs sorted by key.
CREATE OR REPLACE FUNCTION pg_temp.audit_field(value text) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS
$$ SELECT int4send(octet_length(convert_to(value, 'UTF8'))) || convert_to(value, 'UTF8') $$;

CREATE OR REPLACE FUNCTION pg_temp.audit_encoding(seq bigint, at timestamptz, actor text, action text, referral_id uuid,
                                       detail jsonb) RETURNS bytea
    LANGUAGE sql STABLE AS
$$
SELECT '\x01'::bytea
           || pg_temp.audit_field(seq::text)
           || pg_temp.audit_field(to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
           || pg_temp.audit_field(actor)
           || pg_temp.audit_field(action)
           || pg_temp.audit_field(coalesce(referral_id::text, ''))
           || coalesce((SELECT string_agg(pg_temp.audit_field(d.key) || pg_temp.audit_field(d.value), ''::bytea
                                          ORDER BY d.key COLLATE "C")
                        FROM jsonb_each_text(detail) AS d), ''::bytea)
$$;

ALTER TABLE audit_entry
    ADD COLUMN leaf_hash  bytea NULL,
    ADD COLUMN chain_hash bytea NULL;

-- The only UPDATE ever made on the audit table, inside this migration's transaction.
ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only;

UPDATE audit_entry SET seq = -seq;
UPDATE audit_entry e SET seq = n.rn
FROM (SELECT seq, row_number() OVER (ORDER BY seq DESC) AS rn FROM audit_entry) n
WHERE e.seq = n.seq;

DO $$
DECLARE
    entry audit_entry%ROWTYPE;
    leaf  bytea;
    chain bytea := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
BEGIN
    FOR entry IN SELECT * FROM audit_entry ORDER BY seq LOOP
        leaf := sha256('\x00'::bytea || pg_temp.audit_encoding(entry.seq, entry.at, entry.actor, entry.action,
                                                               entry.referral_id, entry.detail));
        chain := sha256(chain || leaf);
        UPDATE audit_entry SET leaf_hash = leaf, chain_hash = chain WHERE seq = entry.seq;
    END LOOP;
END;
$$;

ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only;

DROP FUNCTION pg_temp.audit_encoding(bigint, timestamptz, text, text, uuid, jsonb);
DROP FUNCTION pg_temp.audit_field(text);

ALTER TABLE audit_entry
    ALTER COLUMN seq DROP DEFAULT,
    ALTER COLUMN at DROP DEFAULT,
    ALTER COLUMN leaf_hash SET NOT NULL,
    ALTER COLUMN chain_hash SET NOT NULL,
    ADD CONSTRAINT audit_entry_seq_positive CHECK (seq >= 1),
    ADD CONSTRAINT audit_entry_leaf_hash_sha256 CHECK (octet_length(leaf_hash) = 32),
    ADD CONSTRAINT audit_entry_chain_hash_sha256 CHECK (octet_length(chain_hash) = 32);
DROP SEQUENCE IF EXISTS audit_entry_seq_seq;

COMMENT ON COLUMN audit_entry.seq IS '1..n without gaps, taken from audit_counter in the appending transaction';
COMMENT ON COLUMN audit_entry.leaf_hash IS 'SHA-256(0x00 || canonical encoding v1), the RFC 9162 leaf hash';
COMMENT ON COLUMN audit_entry.chain_hash IS 'SHA-256(previous chain_hash || leaf_hash); 32 zero bytes before 1';

-- The last sequence number given. One row, never deleted; UPDATE is its only use.
CREATE TABLE audit_counter (
    id       boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_counter_one_row CHECK (id),
    last_seq bigint  NOT NULL CONSTRAINT audit_counter_not_negative CHECK (last_seq >= 0)
);
INSERT INTO audit_counter (id, last_seq) SELECT true, count(*) FROM audit_entry;

-- Refuses a change to an append-only audit table, naming the table.
CREATE FUNCTION audit_table_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'the audit tables are never changed or removed; append instead';
END;
$$;

CREATE TRIGGER audit_counter_no_delete
    BEFORE DELETE OR TRUNCATE ON audit_counter
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_change();

CREATE FUNCTION audit_counter_only_up() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.last_seq <> OLD.last_seq + 1 THEN
        RAISE EXCEPTION 'audit_counter only counts up by one: % to % refused', OLD.last_seq, NEW.last_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_counter_one_by_one
    BEFORE UPDATE ON audit_counter
    FOR EACH ROW EXECUTE FUNCTION audit_counter_only_up();

-- Signed tree heads: the size of the log, the Merkle root over its first size entries, when and by whom it was
-- signed. One head per size: concurrent signers insert with ON CONFLICT DO NOTHING. Append-only like the log.
CREATE TABLE audit_tree_head (
    size               bigint      PRIMARY KEY CONSTRAINT audit_tree_head_size_positive CHECK (size >= 1),
    root               bytea       NOT NULL CONSTRAINT audit_tree_head_root_sha256 CHECK (octet_length(root) = 32),
    signed_at          timestamptz NOT NULL,
    signature          bytea       NOT NULL,
    signer_fingerprint text        NOT NULL                  -- SHA-256 of the signing certificate, 3F:A0:…
);

CREATE TRIGGER audit_tree_head_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_tree_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_change();
