package fr.passerelle.core.crypto;

import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link DevelopmentPki#init} wrote: the directory and the SHA-256 fingerprints to pin, with the paths of
 * the files inside it.
 *
 * @param dir                   the PKI directory
 * @param partnerFingerprints   each partner's client certificate fingerprint, sorted by partner id
 * @param adminFingerprint      the admin client certificate fingerprint
 * @param gatewayTlsFingerprint the gateway's TLS server certificate fingerprint
 */
public record PkiResult(
        Path dir, Map<PartnerId, String> partnerFingerprints, String adminFingerprint, String gatewayTlsFingerprint) {

    public PkiResult {
        Objects.requireNonNull(dir, "dir");
        partnerFingerprints = Collections.unmodifiableMap(new TreeMap<>(partnerFingerprints));
        Objects.requireNonNull(adminFingerprint, "adminFingerprint");
        Objects.requireNonNull(gatewayTlsFingerprint, "gatewayTlsFingerprint");
    }

    /** {@code ca.pem}: the CA certificate, the trust anchor for the gateway and its clients. */
    public Path caCertificate() {
        return dir.resolve(DevelopmentPki.CA_CERTIFICATE);
    }

    /** {@code gateway-tls.pem}: the gateway's TLS server certificate, then the CA. */
    public Path gatewayTlsCertificate() {
        return dir.resolve("gateway-tls.pem");
    }

    public Path gatewayTlsKey() {
        return dir.resolve("gateway-tls-key.pem");
    }

    /** {@code gateway-signing.pem}: the certificate of the key that signs what the gateway sends, then the CA. */
    public Path gatewaySigningCertificate() {
        return dir.resolve("gateway-signing.pem");
    }

    public Path gatewaySigningKey() {
        return dir.resolve("gateway-signing-key.pem");
    }

    /** {@code admin.pem}: the admin client certificate, then the CA. */
    public Path adminCertificate() {
        return dir.resolve("admin.pem");
    }

    public Path adminKey() {
        return dir.resolve("admin-key.pem");
    }

    /** {@code partners/<id>.pem}: the partner's client certificate, then the CA. */
    public Path partnerCertificate(PartnerId partner) {
        return dir.resolve("partners").resolve(partner.value() + ".pem");
    }

    public Path partnerKey(PartnerId partner) {
        return dir.resolve("partners").resolve(partner.value() + "-key.pem");
    }

    /** {@code partners/<id>.p12}: the partner's key and chain, protected by {@link #pkcs12Password()}. */
    public Path partnerPkcs12(PartnerId partner) {
        return dir.resolve("partners").resolve(partner.value() + ".p12");
    }

    /** {@code pkcs12-password.txt}: the password of every PKCS#12 file, on its first line. */
    public Path pkcs12Password() {
        return dir.resolve(DevelopmentPki.PKCS12_PASSWORD);
    }
}
