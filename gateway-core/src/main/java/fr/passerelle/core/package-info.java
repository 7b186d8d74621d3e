/**
 * Passerelle's engine: the canonical referral model, routing and minimisation, PKI and TLS material, the
 * PostgreSQL store and the audit log. No network server and no main method live here; {@code gateway-server}
 * wires these parts, and adapters see only {@link fr.passerelle.core.spi} and the model.
 */
package fr.passerelle.core;
