-- Passerelle schema, version 12: a receipt link remembers the partner certificate its mail was encrypted to
-- (issue 16), so that the link dies once that certificate is rotated out of the partner's entry.
--
-- The SHA-256 fingerprint as the partner registry pins it: upper-case hex pairs joined by colons. NULL for the
-- links issued before this version: their certificate is not known, and they are not killed on this ground.
ALTER TABLE receipt_link ADD COLUMN certificate_sha256 text NULL
    CONSTRAINT receipt_link_certificate_fingerprint CHECK (certificate_sha256 ~ '^([0-9A-F]{2}:){31}[0-9A-F]{2}$');
