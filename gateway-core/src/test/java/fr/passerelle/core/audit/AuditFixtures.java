package fr.passerelle.core.audit;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Real signing keys from development PKIs, a log of realistic entries, and the attacker's superuser tampering. */
final class AuditFixtures {
    private static CertifiedKey gateway;
    private static CertifiedKey foreign;

    private AuditFixtures() {}

    /** The gateway signing key of a development PKI, made once per JVM. */
    static synchronized CertifiedKey gatewaySigner() {
        if (gateway == null) {
            gateway = newSigner();
        }
        return gateway;
    }

    /** The gateway signing key of another development PKI: what an attacker could sign with. */
    static synchronized CertifiedKey foreignSigner() {
        if (foreign == null) {
            foreign = newSigner();
        }
        return foreign;
    }

    /** The gateway signing key of a new development PKI, with its CA after it in the chain. */
    static CertifiedKey newSigner() {
        try {
            PkiResult pki = DevelopmentPki.init(
                    Files.createTempDirectory("passerelle-audit-pki"),
                    List.of(PartnerId.of("police-75-brp")),
                    List.of(),
                    Clock.systemUTC(),
                    false);
            return PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends {@code count} entries shaped like the gateway's (a submission, its routing, a pull, a receipt) and
     * numbers them into the log as a running gateway's sequencer would, with a signed tree head over them.
     */
    static void appendEntries(int count) throws SQLException {
        queueEntries(count);
        sequence();
    }

    /** Numbers everything queued into the log and signs a head over it, as the leader's next batch would. */
    static long sequence() {
        return AuditSequencer.sequenceNow(TestDatabase.dataSource(), gatewaySigner(), Duration.ofSeconds(30));
    }

    /** Appends {@code count} entries shaped like the gateway's to the queue only, as {@link #appendEntries}. */
    static void queueEntries(int count) throws SQLException {
        gatewaySigner(); // made before the entries: the first call makes a PKI, which takes longer than the promise
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                ReferralId referral = new ReferralId(new UUID(0x1234L, i / 4));
                switch (i % 4) {
                    case 0 -> AuditLog.append(
                            c,
                            "police-75-brp",
                            "referral.submitted",
                            Optional.of(referral),
                            Map.of("type", "shelter.request", "department", "75", "urgency", "urgent"));
                    case 1 -> AuditLog.append(
                            c,
                            "gateway",
                            "referral.routed",
                            Optional.of(referral),
                            Map.of("recipients", "siao-75", "routes", "shelter-75"));
                    case 2 -> AuditLog.append(
                            c,
                            "siao-75",
                            "delivery.pulled",
                            Optional.of(referral),
                            Map.of("recipient", "siao-75", "cursor", Integer.toString(i)));
                    default -> AuditLog.append(
                            c,
                            "siao-75",
                            "receipt.recorded",
                            Optional.of(referral),
                            Map.of("recipient", "siao-75", "status", "received"));
                }
            }
            c.commit();
        }
    }

    /** Runs statements as the superuser with every trigger of the audit tables off, the way an attacker would. */
    static void tamper(String... statements) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("ALTER TABLE audit_entry DISABLE TRIGGER ALL");
            s.execute("ALTER TABLE audit_queue DISABLE TRIGGER ALL");
            s.execute("ALTER TABLE audit_tree_head DISABLE TRIGGER ALL");
            for (String statement : statements) {
                s.execute(statement);
            }
            s.execute("ALTER TABLE audit_entry ENABLE TRIGGER ALL");
            s.execute("ALTER TABLE audit_queue ENABLE TRIGGER ALL");
            s.execute("ALTER TABLE audit_tree_head ENABLE TRIGGER ALL");
            c.commit();
        }
    }
}
