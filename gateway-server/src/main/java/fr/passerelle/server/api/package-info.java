/**
 * The partner API, one small endpoint per operation of DESIGN.md: submit, status, inbox, receipts, health and
 * metrics. Each runs on a worker thread and calls the core's {@link fr.passerelle.core.exchange.Exchange}.
 */
package fr.passerelle.server.api;
