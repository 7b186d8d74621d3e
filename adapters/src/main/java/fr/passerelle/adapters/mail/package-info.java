/**
 * Secure mail for associations without an integrated system: the {@code mail} format renders a referral as a
 * French message with the canonical item attached, and the {@code mail} transport sends it, signed by the gateway
 * and encrypted for the association in S/MIME ({@link fr.passerelle.core.crypto.SmimeSealer}), through an SMTP
 * relay over TLS only. The association answers through the single-use receipt links in the message.
 */
package fr.passerelle.adapters.mail;
