/**
 * The gateway's process: the Netty HTTPS server (bootstrap, pipeline initializer, API handlers), the wiring of
 * the core services, the CLI and the demo. {@link fr.passerelle.server.Gateway} is the composition root: it starts
 * the {@code CoreServices}, the {@code DeliveryService}, housekeeping, the {@code Listeners} and the
 * {@code ReferralServices} in that order, each registering with one lifecycle that closes them in reverse.
 */
package fr.passerelle.server;
