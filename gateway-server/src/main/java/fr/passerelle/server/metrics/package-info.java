/**
 * The gateway's Prometheus metrics ({@link fr.passerelle.server.metrics.GatewayMetrics}): counters, gauges and
 * latencies that name partners, transports and reasons, never a person or a referral.
 */
package fr.passerelle.server.metrics;
