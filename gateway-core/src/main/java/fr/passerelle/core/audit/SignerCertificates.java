package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Fingerprints;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The certificates that signed the audit log's tree heads, kept once each in the append-only
 * {@code audit_signer_certificate} table, so that a head stays verifiable after the gateway's signing key changed.
 * The gateway keeps its certificate in the transaction that signs a head ({@link AuditSequencer}), and records
 * {@value #CHANGED} when it signs with another certificate than the latest head's; {@link #recordRotation} keeps
 * both certificates of a rotation and records {@value #ROTATED}. Stateless and thread-safe.
 */
public final class SignerCertificates {
    /** The gateway's entry when it signs a head with another certificate than the latest head's. */
    public static final String CHANGED = "audit.signer-changed";
    /** An administrator's entry when {@code keys rotate --signing} installed a new signing key. */
    public static final String ROTATED = "keys.signing-rotated";

    private SignerCertificates() {}

    /**
     * Keeps the outgoing and the incoming signing certificates and appends the {@value #ROTATED} entry (detail
     * {@code previousSigner}, {@code signer}: their fingerprints), in one transaction.
     *
     * @return the entry's position in the queue
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static long recordRotation(DataSource ds, String actor, X509Certificate previous, X509Certificate next) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                keep(c, previous);
                keep(c, next);
                long position = AuditLog.append(
                        c,
                        actor,
                        ROTATED,
                        Optional.empty(),
                        change(Fingerprints.sha256(previous), Fingerprints.sha256(next)));
                c.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot record the change of the signing key in the audit log (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    /** The detail of a change of signer: {@code previousSigner} and {@code signer}, SHA-256 fingerprints. */
    static Map<String, String> change(String previousFingerprint, String fingerprint) {
        return Map.of("previousSigner", previousFingerprint, "signer", fingerprint);
    }

    /** Keeps {@code certificate} under its fingerprint, unless it is kept already. */
    static void keep(Connection c, X509Certificate certificate) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_signer_certificate (fingerprint,"
                + " certificate) VALUES (?, ?) ON CONFLICT (fingerprint) DO NOTHING")) {
            insert.setString(1, Fingerprints.sha256(certificate));
            insert.setBytes(2, encoded(certificate));
            insert.executeUpdate();
        }
    }

    /**
     * Every kept certificate, by the fingerprint of its bytes. A row whose stored fingerprint or bytes were changed
     * is found under its true fingerprint, or not at all: a head that names it then fails as signed by a
     * certificate that is not kept.
     */
    static Map<String, X509Certificate> all(Connection c) throws SQLException {
        Map<String, X509Certificate> kept = new HashMap<>();
        if (!tableExists(c)) {
            // A schema from before version 14, as a backup of an older release restores it: no head keeps its signer.
            return kept;
        }
        try (PreparedStatement select = c.prepareStatement("SELECT certificate FROM audit_signer_certificate");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                parse(rs.getBytes(1)).ifPresent(certificate -> kept.put(Fingerprints.sha256(certificate), certificate));
            }
        }
        return kept;
    }

    private static boolean tableExists(Connection c) throws SQLException {
        try (PreparedStatement select =
                        c.prepareStatement("SELECT to_regclass('audit_signer_certificate') IS NOT NULL");
                ResultSet rs = select.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** The certificate that {@code der} encodes, or empty when it is not one. */
    static Optional<X509Certificate> parse(byte[] der) {
        try {
            return Optional.of((X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED, "certificate " + Fingerprints.sha256(certificate) + " cannot be encoded", e);
        }
    }
}
