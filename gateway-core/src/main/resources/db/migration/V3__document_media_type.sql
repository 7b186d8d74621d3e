-- What a referral's stored document is: the submission exactly as the partner sent it, kept as evidence. A
-- signed submission is its CMS SignedData (application/pkcs7-mime), a bare one its JSON (application/json).
-- The media type is routing metadata: it holds no personal data.
ALTER TABLE referral ADD COLUMN document_media_type text NOT NULL DEFAULT 'application/json';
ALTER TABLE referral ALTER COLUMN document_media_type DROP DEFAULT;
