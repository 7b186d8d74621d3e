-- Passerelle schema, version 14: the certificates that signed the audit log's tree heads, kept with them (issue 20).
--
-- Each head names its signer since V4 (audit_tree_head.signer_fingerprint); the certificate itself is kept here,
-- once, so that audit verify checks every head with the certificate that signed it and a signing-key rotation does
-- not break the verification of older heads. The gateway adds its certificate in the transaction that signs a head;
-- `gateway keys rotate --signing` adds the outgoing one. Heads signed before this version name a certificate that
-- may not be here: audit verify checks those with the current signing certificate, as before.
--
-- No foreign key from audit_tree_head: the heads of a database from before this version, restored from a backup,
-- would not satisfy it.
CREATE TABLE audit_signer_certificate (
    fingerprint text        PRIMARY KEY,   -- SHA-256 of the DER, 3F:A0:…, as audit_tree_head.signer_fingerprint
    certificate bytea       NOT NULL,      -- the X.509 certificate, DER
    kept_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER audit_signer_certificate_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_signer_certificate
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_change();
