/**
 * Key material and certificates: the development PKI that {@code gateway pki init} writes, reading and writing
 * PEM files (what OpenSSL writes, we read; what we write, OpenSSL reads), SHA-256 certificate fingerprints as
 * the partner registry pins them, the one SHA-256 helper the other packages hash with, and the JDK
 * {@link javax.net.ssl.SSLContext} that Java clients use to speak mutual TLS with the gateway. Nothing here logs
 * or prints key material or passwords.
 */
package fr.passerelle.core.crypto;
