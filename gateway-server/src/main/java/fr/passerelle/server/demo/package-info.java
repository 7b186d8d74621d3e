/**
 * The demo: the example deployment played end to end by real HTTPS clients holding the partners' certificates,
 * and the client and shipped-configuration helpers it needs (the integration tests use them too).
 */
package fr.passerelle.server.demo;
