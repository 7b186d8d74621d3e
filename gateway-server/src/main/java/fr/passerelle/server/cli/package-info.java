/**
 * The command line ({@code scripts/gateway COMMAND}): demo, serve, pki init, config check, routes explain.
 * Errors print as one clear paragraph with their code, never a stack trace.
 */
package fr.passerelle.server.cli;
