/**
 * The HTTP edge: request decoding, peer identification by certificate fingerprint, dispatch to endpoints off the
 * event loop, and the one mapping from error codes to statuses and RFC 9457 problem documents.
 */
package fr.passerelle.server.http;
