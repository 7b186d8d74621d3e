/**
 * The deployment's configuration: the records of the gateway settings, partner registry and routing table, and
 * {@link fr.passerelle.core.config.ConfigLoader}, which reads {@code gateway.yaml}, {@code partners/*.yaml} and
 * {@code routes.yaml}, applies the environment overrides and checks everything at once, so that an administrator
 * sees every problem with its file, line and fix before the gateway starts. A configuration is read once,
 * validated completely, then frozen in a {@link fr.passerelle.core.config.Deployment}.
 */
package fr.passerelle.core.config;
