package fr.passerelle.core.config;

import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.testkit.Certificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A small valid configuration written into a test folder, whose files a test then breaks one at a time. Every
 * file's lines are known, so a test can assert the exact line of a problem.
 */
final class TestConfig {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);
    /** The trust anchor of the test configuration, written to {@code pki/ca.pem}. */
    static final Certificates.Issued CA = Certificates.ca("Test partners CA");

    static final Map<String, X509Certificate> CERTIFICATES = Map.of(
            "police-75-brp", Certificates.leaf(CA, "police-75-brp"),
            "association-75-amarante", Certificates.leaf(CA, "association-75-amarante"),
            "siao-75", Certificates.leaf(CA, "siao-75"),
            "monitoring-centre-de-veille", Certificates.leaf(CA, "monitoring-centre-de-veille"),
            "prefecture-75", Certificates.leaf(CA, "prefecture-75"),
            "labour-75-drieets", Certificates.leaf(CA, "labour-75-drieets"),
            "crip-75-paris", Certificates.leaf(CA, "crip-75-paris"),
            "security-75-cabinet", Certificates.leaf(CA, "security-75-cabinet"),
            "funder-75-region", Certificates.leaf(CA, "funder-75-region"));
    static final String FP_POLICE = Fingerprints.sha256(CERTIFICATES.get("police-75-brp"));
    static final String FP_ASSOCIATION = Fingerprints.sha256(CERTIFICATES.get("association-75-amarante"));
    static final String FP_SIAO = Fingerprints.sha256(CERTIFICATES.get("siao-75"));
    static final String FP_MONITORING = Fingerprints.sha256(CERTIFICATES.get("monitoring-centre-de-veille"));
    static final String FP_PREFECTURE = Fingerprints.sha256(CERTIFICATES.get("prefecture-75"));
    static final String FP_LABOUR = Fingerprints.sha256(CERTIFICATES.get("labour-75-drieets"));
    static final String FP_CRIP = Fingerprints.sha256(CERTIFICATES.get("crip-75-paris"));
    static final String FP_SECURITY = Fingerprints.sha256(CERTIFICATES.get("security-75-cabinet"));
    static final String FP_FUNDER = Fingerprints.sha256(CERTIFICATES.get("funder-75-region"));

    private final Path dir;

    private TestConfig(Path dir) {
        this.dir = dir;
    }

    static String fingerprint(String pair) {
        return String.join(":", java.util.Collections.nCopies(32, pair));
    }

    /**
     * The configuration, with {@code pki/ca.pem} beside it and each partner's certificate (then the CA) in
     * {@code partners/<id>.pem}, pinned in its entry.
     */
    static TestConfig valid(Path root) {
        Certificates.write(root.resolve("pki/ca.pem"), CA.certificate());
        TestConfig config = new TestConfig(root.resolve("config"));
        CERTIFICATES.forEach((id, certificate) ->
                Certificates.write(config.file("partners/" + id + ".pem"), certificate, CA.certificate()));
        config.write("gateway.yaml", "server:", "  port: 8443", "pki:", "  dir: ../pki", "data_dir: ../data");
        config.partner("police-75-brp", "[\"75\"]", "[victim.orientation, difficulty.report]", FP_POLICE, "");
        config.partner(
                "association-75-amarante",
                "[\"75\"]",
                "[shelter.request, difficulty.report]",
                FP_ASSOCIATION,
                "approvals:\n  - {code: exit-pathway, department: \"75\", expires: 2028-06-30}");
        config.partner("siao-75", "[\"75\"]", "[difficulty.report]", FP_SIAO, "");
        // The centre de veille receives difficulties: it sends none, since the only route of them reaches itself.
        config.partner("monitoring-centre-de-veille", "[]", "[]", FP_MONITORING, "");
        // Every route reaches somebody (rule recipient-served): the prefecture and the labour inspection receive.
        config.partner("prefecture-75", "[\"75\"]", "[difficulty.report]", FP_PREFECTURE, "");
        config.partner("labour-75-drieets", "[\"75\"]", "[difficulty.report]", FP_LABOUR, "");
        // A referral about a minor raises a child-protection alert: the CRIP receives it (and sends difficulties).
        config.partner("crip-75-paris", "[\"75\"]", "[difficulty.report]", FP_CRIP, "");
        // The closure chain's recipients: the prefect's cabinet and a public funder (they send nothing here).
        config.partner("security-75-cabinet", "[\"75\"]", "[]", FP_SECURITY, "");
        config.partner("funder-75-region", "[\"75\"]", "[]", FP_FUNDER, "");
        config.write(
                "routes.yaml",
                "routes:",
                "  - id: orientation-75", // line 2
                "    type: victim.orientation",
                "    from: [police]",
                "    departments: [\"75\"]",
                "    to: [{kind: association, approval: exit-pathway}]",
                "    fields: [subject.languages, needs]", // line 7
                // The exit pathway and the 115 serve adults: rule adults-only, once the schemas are known.
                "    subject: adult", // line 8
                "  - id: shelter", // line 9
                "    type: shelter.request",
                "    from: [association]",
                "    to: [{kind: siao}]", // line 12
                "    fields: [household]", // line 13
                "    subject: adult", // line 14
                "  - {id: permit, type: residence.permit.support, from: [police], to: [{kind: prefecture}], fields: [basis]}",
                "  - {id: reflection, type: reflection.period.request, from: [police], to: [{kind: prefecture}], fields: [choice]}",
                "  - {id: report, type: exploitation.report, from: [association], to: [{kind: police}], fields: [place]}",
                "  - {id: removal, type: removal.objective, from: [prefecture], to: [{kind: police}], fields: [decision]}",
                "  - {id: closure, type: administrative.closure, from: [prefecture], to: [{kind: labour}], fields: [action]}",
                "  - id: difficulty", // line 20
                "    type: difficulty.report",
                "    from: [police, association, siao, prefecture, labour, crip]",
                "    to: [{partner: monitoring-centre-de-veille}]", // line 23
                "    fields: [category, summary]",
                "  - {id: reflection-decision, type: reflection.period.decision, from: [prefecture], to: [{kind: police}],"
                        + " fields: [receipt]}",
                // The alert the gateway raises from a police or association referral about a minor (line 26).
                "  - {id: child-protection, type: child.protection.alert, from: [police, association],"
                        + " legal_obligation: \"CASF L.226-3\", to: [{kind: crip}], fields: [reasons, subject]}",
                "  - {id: exit-application, type: exit.pathway.application, from: [association], subject: adult,"
                        + " to: [{kind: prefecture}], fields: [requests]}",
                "  - {id: exit-opinion, type: exit.pathway.opinion, from: [cohesion], subject: adult,"
                        + " to: [{kind: association}], fields: [opinion]}",
                "  - {id: exit-decision, type: exit.pathway.decision, from: [cohesion], subject: adult,"
                        + " to: [{kind: prefecture}], fields: [term]}",
                "  - {id: illegal-work, type: illegal.work.report, from: [labour], to: [{kind: security}],"
                        + " fields: [findings]}",
                "  - {id: proposal, type: closure.proposal, from: [police], to: [{kind: security}], fields: [grounds]}",
                "  - {id: funding, type: public.funding.alert, from: [security], to: [{kind: funder}], fields: [aid]}",
                "  - {id: proceeding-outcome, type: proceeding.outcome, from: [police], to: [{kind: prefecture}],"
                        + " fields: [judgment]}",
                "  - {id: permit-decision, type: residence.permit.decision, from: [prefecture], to: [{kind: police}],"
                        + " fields: [card]}");
        return config;
    }

    /** Writes partners/{id}.yaml; lines: 1 id, 2 name, 3 departments, 4 may_send, 5 inbound, 6 outbound,
     *  7 certificate, 8 sha256, 9 enabled, 10+ extra. */
    TestConfig partner(String id, String departments, String maySend, String sha256, String extra) {
        return write(
                "partners/" + id + ".yaml",
                "id: " + id,
                "name: Partner " + id,
                "departments: " + departments,
                "may_send: " + maySend,
                "inbound: canonical-json",
                "outbound: canonical-json",
                "certificate:",
                "  sha256: \"" + sha256 + "\"",
                "enabled: true",
                extra);
    }

    TestConfig write(String relative, String... lines) {
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Replaces text in one file, which must contain it. */
    TestConfig replace(String relative, String from, String to) {
        Path file = dir.resolve(relative);
        try {
            String text = Files.readString(file);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(relative + " does not contain " + from);
            }
            Files.writeString(file, text.replace(from, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path dir() {
        return dir;
    }

    Path gateway() {
        return dir.resolve("gateway.yaml");
    }

    Path file(String relative) {
        return dir.resolve(relative);
    }

    ConfigReport check() {
        return check(Map.of(), ConfigChecks.lenient());
    }

    ConfigReport check(Map<String, String> env, ConfigChecks checks) {
        return ConfigLoader.check(gateway(), env, checks, CLOCK);
    }

    /** The problem as {@code config check} prints it, with the file relative to the configuration folder. */
    String shown(ConfigProblem problem) {
        return problem.toString().replace(dir + "/", "");
    }
}
