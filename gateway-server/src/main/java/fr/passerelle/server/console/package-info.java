/**
 * The administrators' web console, {@code /console/}: server-rendered French pages on the State's design system
 * (DSFR, served by the gateway itself from {@code /console/static/}), for the same administrators and with the
 * same pinned client certificates as the admin API (role auditor reads; role admin will change). The templates,
 * {@code src/main/jte/}, are compiled to classes at build time and escape HTML. Every page carries a strict
 * Content-Security-Policy (no inline script or style) and works without JavaScript; every form posts a token that
 * {@link fr.passerelle.server.console.CsrfTokens} checks.
 */
package fr.passerelle.server.console;
