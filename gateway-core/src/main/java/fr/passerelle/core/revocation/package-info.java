/**
 * Whether a client certificate was revoked: its OCSP responder (authority information access) is asked first,
 * else its CRL distribution point is read, over plain http as RFC 5280 and RFC 6960 publish them; every answer is
 * verified against the certificate's issuer and kept for a while per certificate. The TLS server decides what an
 * answer means for the handshake. Nothing here logs; the outcomes name the certificate by nothing but what the
 * caller passes.
 */
package fr.passerelle.core.revocation;
