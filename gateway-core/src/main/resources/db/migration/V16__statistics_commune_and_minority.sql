-- Passerelle schema, version 16: what the statistics count by commune and for minors (issue 21, docs/ADMIN.md).
--
-- The INSEE code of the commune the referral is about (place.inseeCode or establishment.inseeCode of the document),
-- when it names one: a code, never a name or an address. NULL: the document names none, or it came before V16.
ALTER TABLE referral ADD COLUMN commune text NULL
    CONSTRAINT referral_commune_is_insee_code CHECK (commune ~ '^[0-9][0-9AB][0-9]{3}$');

-- The gateway's own judgement at submission (fr.passerelle.core.referral.Minority): true when it treats the person
-- as a minor (minor or presumed minor), false for an adult. NULL: the document is about no one person, or it came
-- before V16.
ALTER TABLE referral ADD COLUMN minor boolean NULL;
