/**
 * Backup and restore of the gateway's database without {@code pg_dump}: a consistent snapshot of every table of
 * the schema copied with {@code COPY ... (FORMAT binary)} into one gzip file per table, a manifest of counts and
 * SHA-256 digests ({@link fr.passerelle.core.backup.BackupManifest}), and the restore that checks the files, migrates
 * an empty database to the backup's schema version and copies the tables back in foreign-key order. Identifiers and
 * counts only reach the output; the rows are copied as stored (encrypted at rest where the store encrypts).
 */
package fr.passerelle.core.backup;
