package fr.passerelle.core.audit;

import static fr.passerelle.core.audit.AuditFixtures.tamper;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tree heads signed across a change of the gateway's signing key, each checked with the certificate that signed it. */
class SignerRotationIT {
    private static Path pki;
    private static CertifiedKey first;
    private static CertifiedKey second;

    private final DataSource ds = TestDatabase.dataSource();

    @TempDir
    Path dir;

    /** A development PKI, its signing key, and a second signing key from the same CA, as keys rotate makes it. */
    @BeforeAll
    static void pki() throws IOException {
        pki = Files.createTempDirectory("passerelle-rotation-pki");
        PkiResult result =
                DevelopmentPki.init(pki, List.of(PartnerId.of("police-75-brp")), List.of(), Clock.systemUTC(), false);
        first = PemFiles.readCertifiedKey(result.gatewaySigningCertificate(), result.gatewaySigningKey());
        second = DevelopmentPki.issueSigning(
                pki, pki.resolve("second.pem"), pki.resolve("second-key.pem"), Clock.systemUTC());
    }

    @BeforeEach
    void emptyLog() {
        TestDatabase.reset();
    }

    @Test
    void verifiesHeadsSignedBeforeAndAfterTheSigningKeyChanged() throws SQLException {
        AuditFixtures.queueEntries(10);
        sign(first);
        AuditFixtures.queueEntries(10);
        SignedTreeHead firstOfSecond = sign(second);
        AuditFixtures.queueEntries(5);
        sign(second);

        AuditVerifier.Verdict verdict = AuditVerifier.verify(ds, SignerTrust.ofChain(second.chain()));

        assertThat(verdict).isEqualTo(new AuditVerifier.Verdict(true, 26, 3, Optional.empty()));
        AuditRecord change = AuditLog.list(ds, Optional.empty()).get(20);
        assertThat(change.action()).isEqualTo("audit.signer-changed");
        assertThat(change.detail())
                .isEqualTo(Map.of("previousSigner", fingerprint(first), "signer", fingerprint(second)));
        assertThat(firstOfSecond.head().size())
                .as("the first head of the new key covers its change")
                .isEqualTo(21);
    }

    @Test
    void verifiesAnExportAcrossTheChangeWithTheCaAndRefusesItWithoutOne() throws SQLException {
        AuditFixtures.queueEntries(10);
        sign(first);
        AuditFixtures.queueEntries(10);
        sign(second);
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(ds, export);

        AuditVerifier.Verdict withCa = AuditVerifier.verifyFile(export, SignerTrust.ofChain(second.chain()));
        AuditVerifier.Verdict withoutCa = AuditVerifier.verifyFile(export, SignerTrust.only(second.certificate()));

        assertThat(withCa.summary()).isEqualTo("audit log verified: 21 entries, 2 signed tree heads");
        assertThat(withoutCa.firstProblem())
                .contains("tree head 10: signer certificate " + fingerprint(first) + " does not chain to a trusted CA"
                        + " (expected: a certificate issued by a trusted CA; none was given)");
    }

    @Test
    void refusesAHeadWhoseKeptSignerCertificateDoesNotChainToTheCa() throws SQLException {
        CertifiedKey foreign = AuditFixtures.newSigner();
        AuditFixtures.queueEntries(10);
        sign(first);
        AuditFixtures.queueEntries(10);
        sign(foreign);

        AuditVerifier.Verdict verdict = AuditVerifier.verify(ds, SignerTrust.ofChain(first.chain()));

        X509Certificate ca = first.chain().get(1);
        assertThat(verdict.summary())
                .isEqualTo("audit log does NOT verify: tree head 21: signer certificate " + fingerprint(foreign)
                        + " does not chain to a trusted CA (expected: a certificate issued by "
                        + ca.getSubjectX500Principal().getName() + " " + Fingerprints.sha256(ca) + ")");
    }

    @Test
    void refusesAHeadSignedBeforeItsSignerCertificateWasValid() throws SQLException {
        Instant later = Instant.now().plus(Duration.ofDays(2));
        CertifiedKey early = DevelopmentPki.issueSigning(
                pki, dir.resolve("early.pem"), dir.resolve("early-key.pem"), Clock.fixed(later, ZoneOffset.UTC));
        AuditFixtures.queueEntries(10);
        sign(first);
        AuditFixtures.queueEntries(10);
        SignedTreeHead head = sign(early);

        AuditVerifier.Verdict verdict = AuditVerifier.verify(ds, SignerTrust.ofChain(first.chain()));

        assertThat(verdict.firstProblem())
                .contains("tree head 21: signer certificate " + fingerprint(early) + " was not valid at the head's"
                        + " time " + head.head().signedAt() + " (expected: valid from "
                        + early.certificate().getNotBefore().toInstant() + " to "
                        + early.certificate().getNotAfter().toInstant() + ")");
    }

    @Test
    void refusesAHeadThatNamesACertificateThatIsNotKept() throws SQLException {
        CertifiedKey unkept = DevelopmentPki.issueSigning(
                pki, dir.resolve("unkept.pem"), dir.resolve("unkept-key.pem"), Clock.systemUTC());
        AuditFixtures.queueEntries(10);
        SignedTreeHead head = sign(first);
        SignedTreeHead forged = TreeHeadSigner.sign(head.head(), unkept);
        tamper("UPDATE audit_tree_head SET signature = '\\x" + HexFormat.of().formatHex(forged.signature())
                + "', signer_fingerprint = '" + forged.signerFingerprint() + "' WHERE size = 10");

        AuditVerifier.Verdict verdict = AuditVerifier.verify(ds, SignerTrust.ofChain(second.chain()));

        assertThat(verdict.firstProblem())
                .contains("tree head 10: signed by certificate " + fingerprint(unkept) + ", which is not kept with the"
                        + " signed heads (expected: the signing certificate " + fingerprint(second) + " or one kept"
                        + " in audit_signer_certificate or in the export)");
    }

    private SignedTreeHead sign(CertifiedKey signer) {
        AuditSequencer.sequenceNow(ds, signer, Duration.ofSeconds(30));
        return TreeHeads.latest(ds).orElseThrow();
    }

    private static String fingerprint(CertifiedKey key) {
        return Fingerprints.sha256(key.certificate());
    }
}
