/**
 * The management listener: plain HTTP, without TLS or client certificate, for the load balancer, the orchestrator
 * and the operator's Prometheus. {@code GET /livez} (the process and its event loops answer), {@code GET /readyz}
 * (the database answers, the configuration is current, the keys are loaded; else 503 naming the failing checks)
 * and {@code GET /metrics} (the gateway's metrics and the process's, Prometheus text format). Answers name checks,
 * never a host, a version, a setting or a stack trace: the listener belongs on the loopback or a private interface.
 */
package fr.passerelle.server.management;
