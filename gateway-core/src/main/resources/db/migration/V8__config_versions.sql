-- Passerelle schema, version 8: partners, certificates, routes and administrators as numbered configuration
-- versions, the one source of truth of every running instance (issue 7).
--
-- A version holds the whole set of versioned files (partners/*.yaml, partners/*.pem, routes.yaml, admins/*.yaml)
-- as text; gateway.yaml stays a file of each machine (ports, database, keys). History only grows: a rollback
-- stores an earlier version's files as the next number, with restored_from naming the earlier one. Versions are
-- never changed nor deleted; the database refuses it.
CREATE TABLE config_version (
    number        integer PRIMARY KEY CHECK (number >= 1),
    parent        integer NULL REFERENCES config_version (number),
    files         jsonb NOT NULL,                 -- {"routes.yaml": "...", "partners/siao-75.yaml": "...", ...}
    digest        text NOT NULL,                  -- SHA-256 of the file set, to tell "no change" cheaply
    applied_by    text NOT NULL,                  -- cli:<user>, admin:<id> or gateway (first start)
    applied_at    timestamptz NOT NULL DEFAULT now(),
    comment       text NOT NULL DEFAULT '',       -- why; identifiers and words, never personal data
    restored_from integer NULL REFERENCES config_version (number),
    CHECK (parent IS NULL AND number = 1 OR parent = number - 1)
);

-- The current version: one row, moved only forward by the transaction that stores the next version. Every
-- instance polls it (a primary-key read) and swaps its deployment when it moves.
CREATE TABLE config_current (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    number    integer NOT NULL REFERENCES config_version (number)
);

CREATE FUNCTION config_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'config_version is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER config_version_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON config_version
    FOR EACH STATEMENT EXECUTE FUNCTION config_version_append_only();
