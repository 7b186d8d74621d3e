/**
 * The adapter SPI: the only core package, beside the model, that adapters import. An adapter turns a partner's
 * format into the canonical referral ({@link fr.passerelle.core.spi.InboundAdapter}) or renders the minimised
 * referral for a recipient ({@link fr.passerelle.core.spi.OutboundAdapter}). Adapters never reach into the
 * store or the key material.
 */
package fr.passerelle.core.spi;
