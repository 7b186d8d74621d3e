-- Passerelle schema, version 2: payloads encrypted at rest.
--
-- referral.document and delivery.payload now hold AES-256-GCM ciphertext (12-byte nonce, ciphertext, 16-byte tag)
-- under a data key of their own, bound to their row by the associated data. Each row stores that data key wrapped
-- (AES Key Wrap, RFC 3394) under a master key, and the master key's id. Master keys live in the gateway's key
-- file, never here (fr.passerelle.core.keys.MasterKeys).
--
-- referral.idempotency_key now holds the lowercase hex SHA-256 of the sender's Idempotency-Key, never the key
-- itself: a partner may have put anything in it.
--
-- A version 1 database holding referrals cannot be migrated: its documents and payloads are in clear and no
-- master key is known here to encrypt them. Version 1 only ever ran in development, so this migration refuses to
-- run rather than keep clear data or guess a key: start from an empty database (remove the development data
-- folder's postgres/ directory, or drop and re-create the database).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM referral) THEN
        RAISE EXCEPTION 'the database holds referrals stored in clear by schema version 1; they cannot be encrypted'
            USING HINT = 'version 1 data is development data: remove the data folder''s postgres directory, or'
                         ' drop and re-create the database, then start the gateway again';
    END IF;
END;
$$;

ALTER TABLE referral
    ADD COLUMN key_id      text  NOT NULL
        CONSTRAINT referral_key_id_form CHECK (key_id ~ '^mk-[0-9]{8}-[0-9a-f]{6}$'),
    ADD COLUMN wrapped_key bytea NOT NULL,
    ADD CONSTRAINT referral_idempotency_key_digest CHECK (idempotency_key ~ '^[0-9a-f]{64}$');

ALTER TABLE delivery
    ADD COLUMN key_id      text  NOT NULL
        CONSTRAINT delivery_key_id_form CHECK (key_id ~ '^mk-[0-9]{8}-[0-9a-f]{6}$'),
    ADD COLUMN wrapped_key bytea NOT NULL;

COMMENT ON COLUMN referral.document IS 'canonical JSON, AES-256-GCM under the data key in wrapped_key';
COMMENT ON COLUMN referral.key_id IS 'id of the master key that wraps wrapped_key';
COMMENT ON COLUMN referral.wrapped_key IS 'the data key of document, AES-KW wrapped under master key key_id';
COMMENT ON COLUMN referral.idempotency_key IS 'hex SHA-256 of the sender''s Idempotency-Key, never the key';
COMMENT ON COLUMN delivery.payload IS 'the sealed copy, AES-256-GCM under the data key in wrapped_key';
COMMENT ON COLUMN delivery.key_id IS 'id of the master key that wraps wrapped_key';
COMMENT ON COLUMN delivery.wrapped_key IS 'the data key of payload, AES-KW wrapped under master key key_id';

-- A rotation finds the rows still under an old master key.
CREATE INDEX referral_key ON referral (key_id);
CREATE INDEX delivery_key ON delivery (key_id);
