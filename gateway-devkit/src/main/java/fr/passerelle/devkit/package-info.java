/**
 * What development and tests need around a gateway, never the gateway itself: a throw-away deployment (the shipped
 * configuration, a development PKI installed into it, the master keys), and the partner side of an exchange (an
 * HTTPS client holding a partner's certificate, a partner's HTTPS endpoint, a dump of the database). The demo,
 * the benchmark and the server's integration tests share it; the production jar does not contain it.
 */
package fr.passerelle.devkit;
