/**
 * The audit log: an append-only PostgreSQL table with one entry per step of a referral's life (submitted, routed,
 * pulled, receipts) and per administrative change, made tamper-evident. Entries are written inside the transaction
 * of the change they record, numbered 1..n without gaps, and each is a leaf of an RFC 9162 Merkle tree
 * ({@link fr.passerelle.core.audit.AuditEncoding}, {@link fr.passerelle.core.audit.MerkleTree}); the gateway signs
 * tree heads ({@link fr.passerelle.core.audit.TreeHeads}), serves proofs ({@link fr.passerelle.core.audit.AuditProofs})
 * and anyone with an export, the gateway's certificate and its CA can verify it
 * ({@link fr.passerelle.core.audit.AuditVerifier}), each head with the certificate that signed it, kept with the
 * heads ({@link fr.passerelle.core.audit.SignerCertificates}). The database refuses any UPDATE, DELETE or TRUNCATE of the
 * tables. Entries hold identifiers and codes only, never personal data. See {@code docs/AUDIT.md}.
 */
package fr.passerelle.core.audit;
