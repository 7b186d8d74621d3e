/**
 * Reading the deployment's configuration: {@link fr.passerelle.core.config.ConfigLoader} reads {@code gateway.yaml},
 * {@code partners/*.yaml} and {@code routes.yaml}, applies the environment overrides and checks everything at once,
 * so that an administrator sees every problem with its file, line and fix before the gateway starts. A configuration
 * is read once, validated completely, then frozen in a {@link fr.passerelle.core.config.model.Deployment}; the
 * records themselves live in {@link fr.passerelle.core.config.model}, apart from their reading.
 */
package fr.passerelle.core.config;
