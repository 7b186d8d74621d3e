/**
 * HTTPS push: the transport {@code https} POSTs each sealed delivery to the partner's endpoint with the gateway's
 * client certificate, checks the partner's server certificate against the configured trust anchors and its host
 * name, and turns the answer into a delivery outcome (2xx delivered; 408, 429, 5xx and network failures
 * retryable; other answers permanent). The partner ignores duplicates by the {@code Passerelle-Delivery-Id}
 * header, which stays the same across attempts.
 */
package fr.passerelle.adapters.https;
