/**
 * The gateway's process and its composition root: {@link fr.passerelle.server.Gateway} starts the
 * {@code CoreServices}, the {@code DeliveryService}, housekeeping, the {@code Listeners} and the
 * {@code ReferralServices} in that order, each registering with one lifecycle that closes them in reverse. The
 * listener itself is in {@code server.net}, the endpoints in {@code server.api} and {@code server.receipts}, the
 * command line in {@code server.cli}; the demo and the bench are in gateway-tools (docs/ARCHITECTURE.md).
 */
package fr.passerelle.server;
