package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.PartnerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway pki issue} and {@code gateway pki import} on a running gateway: the certificate pinned as the next
 * configuration version is accepted within seconds, with no restart; the one it replaces goes when the overlap
 * ends; a partner the configuration does not know gets nothing.
 */
class PkiIssueIT {
    private static final String NEW = "police-75-ocrteh";

    @Test
    void aNewPartnerIssuedItsCertificateSubmitsWithoutRestart() throws IOException {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            Path entry = Files.writeString(
                    gw.work.resolve(NEW + ".yaml"),
                    "id: " + NEW + "\nname: Office central (test)\ndepartments: [\"75\"]\n"
                            + "may_send: [victim.orientation]\ninbound: canonical-json\noutbound: canonical-json\n");

            CliRun issue = CliRun.run(
                    env(gw, database),
                    "pki",
                    "issue",
                    NEW,
                    "--entry",
                    entry.toString(),
                    "--out",
                    gw.pki.resolve("partners").toString(),
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());
            awaitVersion(gw, 2);
            PartnerClient.Reply submitted = submitOrientation(gw.client(NEW));

            assertThat(issue.code()).as(issue.err()).isZero();
            assertThat(issue.out())
                    .contains(
                            "pki issue: " + NEW + ", ec key, certificate ",
                            NEW + ".p12-password.txt",
                            "never by mail",
                            "pki issue: version 2 is current (was 1): partners +1 (" + NEW + ")");
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        }
    }

    @Test
    void signsAPartnersOwnRequestAndDropsTheOldCertificateWhenTheOverlapEnds() throws Exception {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            String partner = "police-75-brp";
            KeyPair keys = Certificates.ec("secp256r1");
            Path own = Files.createDirectories(gw.work.resolve("own/partners"));
            Path csr = gw.work.resolve("request.der");
            Files.write(
                    csr,
                    new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=x"), keys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()))
                            .getEncoded());
            PemFiles.writePrivateKey(own.resolve(partner + "-key.pem"), keys.getPrivate());
            Files.copy(gw.pki.resolve("ca.pem"), own.resolveSibling("ca.pem"));
            PartnerClient before = gw.client(partner);

            CliRun imported = CliRun.run(
                    env(gw, database),
                    "pki",
                    "import",
                    partner,
                    "--csr",
                    csr.toString(),
                    "--out",
                    own.toString(),
                    "--overlap-hours",
                    "0",
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());
            awaitVersion(gw, 2);
            PartnerClient.Reply withItsOwnKey =
                    submitOrientation(PartnerClient.forPartner(partner, own.getParent(), gw.base));
            int withTheOldOne = status(() -> submitOrientation(before));

            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("signed for its request, in " + own.resolve(partner + ".pem"));
            assertThat(own.resolve(partner + ".p12")).doesNotExist();
            assertThat(withItsOwnKey.status()).as(withItsOwnKey.text()).isEqualTo(202);
            assertThat(withTheOldOne).isNotEqualTo(202);
        }
    }

    @Test
    void givesAPartnerThatReceivesMailTheRsaKeyEveryMailClientOpens() throws IOException {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            String association = "association-974-kaz-lespwa";

            CliRun issue = CliRun.run(
                    env(gw, database),
                    "pki",
                    "issue",
                    association,
                    "--out",
                    gw.work.resolve("issued").toString(),
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());
            awaitVersion(gw, 2);

            assertThat(issue.code()).as(issue.err()).isZero();
            assertThat(issue.out()).contains("pki issue: " + association + ", rsa key, certificate ");
            assertThat(gw.gateway
                            .deployment()
                            .partner(fr.passerelle.core.partner.PartnerId.of(association))
                            .orElseThrow()
                            .envelope())
                    .isEqualTo(fr.passerelle.core.crypto.EnvelopeFormat.COMPATIBLE);
        }
    }

    @Test
    void issuesNothingForAPartnerTheConfigurationDoesNotKnow() throws IOException {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            Path out = gw.work.resolve("issued");

            CliRun issue = CliRun.run(
                    env(gw, database),
                    "pki",
                    "issue",
                    "police-75-inconnue",
                    "--out",
                    out.toString(),
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());

            Path broken = Files.writeString(
                    gw.work.resolve("broken.yaml"), "id: police-75-inconnue\nname: x\ndepartments: [\"75\"]\n");
            CliRun refused = CliRun.run(
                    env(gw, database),
                    "pki",
                    "issue",
                    "police-75-inconnue",
                    "--entry",
                    broken.toString(),
                    "--out",
                    out.toString(),
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());

            assertThat(issue.code()).isEqualTo(1);
            assertThat(issue.err())
                    .contains("no partner police-75-inconnue in the current configuration version: give its entry"
                            + " with --entry");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("config_refused");
            try (var left = Files.list(out)) {
                assertThat(left).isEmpty();
            }
            assertThat(gw.gateway.configVersion()).isEqualTo(1);
        }
    }

    private static Map<String, String> env(TestGateway gw, TestDatabase.Fresh database) {
        Map<String, String> env = new HashMap<>(database.env());
        env.put("GATEWAY_PKI_DIR", gw.pki.toString());
        env.put("USER", "exploitation");
        return env;
    }

    private static PartnerClient.Reply submitOrientation(PartnerClient client) throws IOException {
        return client.post(
                "/v1/referrals",
                Files.readAllBytes(Path.of("..", "config", "samples", "victim.orientation.json")),
                "application/json",
                Map.of());
    }

    /** The status of a request, or 0 when the connection itself was refused (a TLS alert). */
    private static int status(Submission submission) {
        try {
            return submission.send().status();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private interface Submission {
        PartnerClient.Reply send() throws IOException;
    }

    private static void awaitVersion(TestGateway gw, int version) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(gw.gateway.configVersion()).isEqualTo(version));
    }
}
