package fr.passerelle.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.Nss;
import fr.passerelle.core.testkit.OpenSsl;
import fr.passerelle.devkit.DatabaseDump;
import fr.passerelle.server.http.Json;
import fr.passerelle.tools.demo.Demo;
import jakarta.mail.Address;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, as {@code scripts/gateway demo --keep DIR} runs it. */
class DemoIT {

    @Test
    void playsEveryTypeEndToEndAndKeepsWhatEachPartnerReceived(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path keep = dir.resolve("kept");

        int exit = Demo.run(Optional.of(keep), env(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).doesNotContain("FAILED");
        assertThat(output.lines()).anyMatch(line -> line.startsWith("Kept in " + keep));
        assertThat(output.lines().reduce((a, b) -> b)).hasValueSatisfying(last -> assertThat(last)
                .startsWith("OK: 35 referrals, ")
                .contains("1 pushed, 4 secure mails")
                .contains(
                        "2 escalations, 1 to Ac.Sé, 5 refusals as expected, 2 removal objectives held and 1 released, 1"
                                + " child-protection alert, 2 recipients withheld, 1 consent withdrawn, 2 exit-pathway terms"
                                + " (renewal included) and 1 beyond 24 months refused"));
        assertThat(output)
                .contains(
                        "victim.orientation         police-974-sdpj in police-xml → association-974-kaz-lespwa"
                                + " (mail, S/MIME mail)",
                        "shelter.request            police-974-sdpj in police-xml → siao-974 (siao-json,"
                                + " HTTPS push)",
                        "residence.permit.support   police-974-sdpj in police-xml → prefecture-974"
                                + " (prefecture-xml, pull inbox)",
                        "answers in siao-json (orientation-proposee) → its copy is accepted",
                        "endpoint down: 1 attempt(s) answered 503, then back: delivered at attempt 2, same delivery id",
                        "the first link again → 410, already used",
                        "notice 'escalated' pulled and opened by housing-75-drihl (duty) and police-75-brp (sender): deadline PT2S,"
                                + " siao-75 pending",
                        "siao-75 declines immediate shelter request ",
                        " for lack of places (200) → notice 'escalated' (cause no-capacity) opened by housing-75-drihl"
                                + " (duty, the DRIHL) and police-75-brp (sender, cause no-capacity), at once",
                        "police-75-brp asks shelter away from the department → siao-75, association-acse-national"
                                + " (routes shelter-siao, shelter-acse); association-acse-national opens its copy: no family"
                                + " name, birth date or offence",
                        "declaring no reflection period → held (protected:reflection-period); the police's inbox has nothing of it",
                        "another person who shares only the family name → routed, in the police's inbox",
                        "the administrator releases it (not-the-same-person) → delivered to police-75-brp",
                        // The closure chain through the CODAF, in Paris (ClosureAct).
                        " to security-75-prefecture-police, prosecutor-75-parquet; the cabinet opened the report",
                        "police-75-brp proposes a closure of 3 months (L.8272-2) → closure.proposal ",
                        "security-75-prefecture-police orders a closure of 4 months → 422 rule_violation:"
                                + " action.orderedDuration too long: an administrative closure lasts at most 3 months"
                                + " (Labour Code L.8272-2), or 93 days",
                        "security-75-prefecture-police orders a closure with a wrong SIRET → 422 rule_violation:"
                                + " establishment.siret fails its check digit",
                        "security-75-prefecture-police orders the closure (l8272-2-closure, 2 months, order"
                                + " EX-ARRETE-2025-0007 notified 2025-08-25) → administrative.closure ",
                        "the CODAF's prosecutor opened it, tax-75-dgfip sees the operator's business name only",
                        // The act itself fails the demo unless every CODAF member and funder got its copy.
                        "funder-75-region-idf finds the employer by its SIRET, with no one's name",
                        "cohesion-75-prefet-paris pulls it with engagements.pdf and attestation-sur-l-honneur.pdf;"
                                + " prefecture-75 gets a minimal copy for the APS",
                        "then sends a removal objective about her → held (protected:exit-pathway)",
                        "tries a renewal for months 22 to 27 → 422 rule_violation: exit-pathway longer than 24 months",
                        "prefecture-75 (APS, no AFIS) and caf-75 (AFIS, no APS) each opened its copy",
                        "tells of the accused's final conviction (proceeding.outcome, CESEDA L.425-3): prefecture-75"
                                + " received it",
                        "the prefect of Paris's statistics reader sees",
                        "all of department 75");
        assertThat(keep.resolve("pki/ca.pem")).exists();
        assertThat(keep.resolve("config/gateway.yaml")).exists();
        X509Certificate gateway = PemFiles.readCertificates(keep.resolve("pki/gateway-signing.pem"))
                .get(0);
        try (Stream<Path> received = Files.walk(keep.resolve("received"))) {
            List<Path> items = received.filter(Files::isRegularFile).toList();
            assertThat(items).hasSizeGreaterThanOrEqualTo(8);
            for (Path item : items) {
                String partner = item.getParent().getFileName().toString();
                Path partners = keep.resolve("pki/partners");
                byte[] content = CmsOpener.open(
                                Files.readAllBytes(item),
                                PemFiles.readCertifiedKey(
                                        partners.resolve(partner + ".pem"), partners.resolve(partner + "-key.pem")),
                                gateway)
                        .content();
                String text = new String(content, StandardCharsets.UTF_8);
                if (item.getFileName().toString().contains("shelter.request") && partner.equals("siao-974")) {
                    // Pushed to the SIAO's endpoint in its own JSON, without offence data.
                    assertThat(text).contains("\"menage\"").doesNotContain("\"infraction\"");
                } else if (item.getFileName().toString().contains("shelter.request")) {
                    assertThat(text).contains("\"household\"").doesNotContain("\"offence\"");
                }
                if (partner.equals("prefecture-974")) {
                    assertThat(text).contains("urn:passerelle:prefecture:1");
                }
                if (OpenSsl.onPath()) {
                    // Every partner of the demo holds a P-256 key: the envelope's ephemeral key names the curve.
                    assertThat(OpenSsl.ecKeyCurves(
                                    item.getParent(), item.getFileName().toString()))
                            .as(item.toString())
                            .containsExactly("prime256v1");
                }
            }
        }
        assertSecureMailsOpen(keep, dir);
    }

    /**
     * Each secure mail is kept as the relay received it, in the envelope that every mail client opens; NSS (the
     * library of Thunderbird) and OpenSSL decrypt each and verify the gateway's signature inside.
     */
    private static void assertSecureMailsOpen(Path keep, Path dir) throws Exception {
        List<Path> mails;
        try (Stream<Path> files = Files.walk(keep.resolve("mail"))) {
            mails = files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        }
        assertThat(mails)
                .extracting(m -> m.getParent().getFileName().toString())
                .containsExactlyInAnyOrder(
                        "association-974-kaz-lespwa",
                        "dgcs-national",
                        "miprof-national",
                        "monitoring-centre-de-veille");
        for (Path mail : mails) {
            String headers = Files.readString(mail, StandardCharsets.ISO_8859_1);
            assertThat(headers)
                    .contains("Content-Type: application/pkcs7-mime; smime-type=enveloped-data")
                    .doesNotContain("FICTIF");
            assertNssOpens(
                    mail,
                    keep,
                    Files.createDirectories(
                            dir.resolve("nss-" + mail.getParent().getFileName())));
        }
        if (!OpenSsl.onPath()) {
            return;
        }
        for (Path mail : mails) {
            assertOpenSslOpens(
                    mail,
                    keep,
                    Files.createDirectories(
                            dir.resolve("openssl-" + mail.getParent().getFileName())));
        }
        Path mail = mails.stream()
                .filter(m -> m.toString().contains("association-974"))
                .findFirst()
                .orElseThrow();
        Address[] replyTo;
        try (InputStream in = Files.newInputStream(mail)) {
            replyTo = new MimeMessage(null, in).getReplyTo();
        }
        assertThat(replyTo).hasSize(1);
        assertThat(((InternetAddress) replyTo[0]).getPersonal()).isEqualTo("Passerelle (réponses non lues)");
    }

    /** {@code cmsutil -D} twice, on a database holding the partner's .p12 and trusting the demo's CA. */
    private static void assertNssOpens(Path mail, Path keep, Path dir) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/cmsutil"))) {
            return;
        }
        String partner = mail.getParent().getFileName().toString();
        Nss nss = Nss.create(dir.resolve("db"))
                .importPkcs12(
                        keep.resolve("pki/partners/" + partner + ".p12"),
                        Files.readString(keep.resolve("pki/pkcs12-password.txt"))
                                .strip())
                .trustForMail(keep.resolve("pki/ca.pem"));
        try (InputStream in = Files.newInputStream(mail)) {
            Files.write(
                    dir.resolve("mail.p7m"),
                    new MimeMessage(null, in).getInputStream().readAllBytes());
        }
        Commands.Result decrypted = nss.decode(dir.resolve("mail.p7m"), dir.resolve("signed.eml"));
        assertThat(decrypted.exitCode()).as(partner + ": " + decrypted.output()).isZero();
        try (InputStream in = Files.newInputStream(dir.resolve("signed.eml"))) {
            Files.write(
                    dir.resolve("signed.p7m"),
                    new MimeBodyPart(in).getInputStream().readAllBytes());
        }
        Commands.Result verified = nss.decode(dir.resolve("signed.p7m"), dir.resolve("message.eml"));
        assertThat(verified.exitCode()).as(partner + ": " + verified.output()).isZero();
        assertThat(Files.readString(dir.resolve("message.eml"), StandardCharsets.ISO_8859_1))
                .contains("multipart/mixed");
    }

    private static void assertOpenSslOpens(Path mail, Path keep, Path dir) throws Exception {
        String partner = mail.getParent().getFileName().toString();
        Path partners = keep.resolve("pki/partners");
        Path decrypted = dir.resolve("decrypted.eml");
        Path inner = dir.resolve("inner.txt");
        OpenSsl.ok(
                dir,
                "cms",
                "-decrypt",
                "-in",
                mail.toString(),
                "-recip",
                partners.resolve(partner + ".pem").toString(),
                "-inkey",
                partners.resolve(partner + "-key.pem").toString(),
                "-out",
                decrypted.toString());
        OpenSsl.ok(
                dir,
                "cms",
                "-verify",
                "-in",
                decrypted.toString(),
                "-CAfile",
                keep.resolve("pki/ca.pem").toString(),
                "-out",
                inner.toString());
        assertThat(Files.readString(inner, StandardCharsets.ISO_8859_1)).contains("multipart/mixed");
        if (partner.startsWith("association-")) {
            assertThat(Files.readString(inner, StandardCharsets.ISO_8859_1)).contains("/v1/receipts/", "referral.json");
        }
        // The compatible envelope: the content key under RSA PKCS#1 v1.5, no ephemeral EC key to name.
        OpenSsl.ok(dir, "cms", "-cmsout", "-in", mail.toString(), "-outform", "DER", "-out", "mail.der");
        assertThat(OpenSsl.ok(dir, "asn1parse", "-inform", "DER", "-in", "mail.der"))
                .contains(":rsaEncryption", ":aes-256-cbc")
                .doesNotContain("id-ecPublicKey");
    }

    @Test
    void leavesADatabaseThatHoldsNoneOfTheSubjectsPersonalDataInClear(@TempDir Path dir) throws IOException {
        Path keep = dir.resolve("kept");
        assumeThat(System.getenv("GATEWAY_TEST_DB_URL"))
                .as("the demo's own embedded database")
                .isNull();
        int exit = Demo.run(
                Optional.of(keep), env(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(exit).isZero();
        Map<String, String> personal = new TreeMap<>();
        try (Stream<Path> samples = Files.list(keep.resolve("config/samples"))) {
            for (Path sample : samples.filter(Files::isRegularFile).toList()) {
                JsonNode subject = Json.MAPPER.readTree(sample.toFile()).path("subject");
                for (String field : List.of("givenName", "familyName", "birthDate")) {
                    if (subject.path(field).isTextual()) {
                        personal.put(
                                sample.getFileName() + " " + field,
                                subject.path(field).asText());
                    }
                }
                if (subject.path("contact").path("phone").isTextual()) {
                    personal.put(
                            sample.getFileName() + " phone",
                            subject.path("contact").path("phone").asText());
                }
            }
        }

        List<String> found;
        int rows;
        try (Database database = Database.open(GatewaySettings.DatabaseSettings.embedded(), keep.resolve("data"))) {
            DatabaseDump dump = DatabaseDump.of(database.dataSource());
            found = dump.holding(personal);
            rows = dump.rowCount();
        }

        assertThat(personal).isNotEmpty();
        assertThat(rows).isGreaterThan(50);
        assertThat(found).isEmpty();
    }

    @Test
    void refusesToKeepIntoAFolderThatIsNotEmpty(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("something"), "x");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = Demo.run(Optional.of(dir), env(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("is not empty; choose a new or empty folder for --keep");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        String testDb = System.getenv("GATEWAY_TEST_DB_URL");
        if (testDb != null && !testDb.isBlank()) {
            env.put("GATEWAY_DATABASE_URL", testDb);
            Optional.ofNullable(System.getenv("GATEWAY_TEST_DB_USER"))
                    .ifPresent(v -> env.put("GATEWAY_DATABASE_USER", v));
            Optional.ofNullable(System.getenv("GATEWAY_TEST_DB_PASSWORD"))
                    .ifPresent(v -> env.put("GATEWAY_DATABASE_PASSWORD", v));
        }
        return env;
    }
}
