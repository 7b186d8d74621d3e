/**
 * Configuration versions: the partners, their certificates, the routes and the administrators held in the database
 * as numbered, append-only versions of whole file sets ({@link fr.passerelle.core.config.versions.FileSet}), the
 * one source of truth of every running instance. A version becomes current only after the same checks as
 * {@code config check} ({@link fr.passerelle.core.config.versions.VersionedConfig}), in one transaction with its
 * audit entry; a rollback stores an earlier version's files as the next number, so history only grows. Each
 * instance polls the current number and swaps its {@link fr.passerelle.core.config.versions.LiveDeployment}
 * atomically when it moves ({@link fr.passerelle.core.config.versions.ConfigWatcher}).
 */
package fr.passerelle.core.config.versions;
