package fr.passerelle.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A real gateway for integration tests: the shipped configuration copied to a temporary folder, a fresh
 * development PKI pinned into it, a fresh database on the test JVM's PostgreSQL ({@link TestDatabase}), and the
 * HTTPS server on a free port.
 */
final class TestGateway implements AutoCloseable {
    /**
     * What the shipped samples say of the person and the case (config/samples): no admin answer, console page or
     * log line may hold any of it.
     */
    static final List<String> SAMPLE_CONTENT = List.of(
            "FICTIF",
            "Exemple",
            "2000-01-01",
            "1990-01-01",
            "EX-2025-0001",
            "EX-OQTF",
            "+33",
            "example.invalid",
            "massage-parlour",
            "Commune fictive",
            "Unité fictive",
            "démonstration",
            "fictif");

    final Path work;
    final Path config;
    final Path pki;
    final Gateway gateway;
    final URI base;

    private TestGateway(Path work, Path config, Path pki, Gateway gateway) {
        this.work = work;
        this.config = config;
        this.pki = pki;
        this.gateway = gateway;
        this.base = URI.create("https://localhost:" + gateway.port());
    }

    /**
     * The audit log's promise in the tests' gateways: the CI's two cores run the test JVM, PostgreSQL and often
     * three gateway processes, and a stall of a second happens; the shipped 1 s would make audit verify fail on
     * the machine's load, not on the gateway. The sequencer runs every tenth of it either way.
     */
    static final int AUDIT_PROMISE_MS = 3000;

    /** gateway.yaml's text with the tests' audit promise. */
    static String auditPromise(String gatewayYaml) {
        return gatewayYaml.replaceAll("(?m)^(  max_merge_delay_ms:) .*$", "$1 " + AUDIT_PROMISE_MS);
    }

    static TestGateway start(Map<String, String> extraEnv) throws IOException {
        return withConfig(extraEnv, config -> {});
    }

    /** As {@link #start(Map)}, with gateway.yaml's text edited first. */
    static TestGateway withGatewayYaml(Map<String, String> extraEnv, UnaryOperator<String> editGatewayYaml)
            throws IOException {
        return withConfig(extraEnv, config -> edit(config.resolve("gateway.yaml"), editGatewayYaml));
    }

    /** Replaces a configuration file's text. */
    static void edit(Path file, UnaryOperator<String> change) {
        try {
            Files.writeString(file, change.apply(Files.readString(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** As {@link #start(Map)}, with the copied configuration folder edited first. */
    static TestGateway withConfig(Map<String, String> extraEnv, Consumer<Path> editConfig) throws IOException {
        return withClock(extraEnv, Clock.systemUTC(), editConfig);
    }

    /** As {@link #withConfig}, the gateway reading the time from {@code clock}: tests of deadlines move it. */
    static TestGateway withClock(Map<String, String> extraEnv, Clock clock, Consumer<Path> editConfig)
            throws IOException {
        Path work = Files.createTempDirectory("passerelle-it-");
        // A test that shares its database with another gateway passes it in extraEnv; the others get their own.
        Map<String, String> processEnv = extraEnv.containsKey("GATEWAY_DATABASE_URL")
                ? extraEnv
                : TestDatabase.fresh().env();
        // Every test client connects from this host and keeps its connections alive: the per-address cap that
        // protects a real gateway would refuse a long test class: it is raised to the total (max_connections: 2048).
        // A test of the cap sets its own after this. The audit promise is AUDIT_PROMISE_MS (see there).
        Consumer<Path> edits = config -> {
            edit(
                    config.resolve("gateway.yaml"),
                    yaml -> auditPromise(yaml.replaceAll("(?m)^(  max_connections_per_address:) .*$", "$1 2048")));
            editConfig.accept(config);
        };
        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(work, processEnv, edits);
        Map<String, String> env = new HashMap<>(workspace.env());
        env.putAll(extraEnv);
        return new TestGateway(
                work, workspace.config(), workspace.pki(), Gateway.start(workspace.gatewayYaml(), env, clock));
    }

    /** What the recipient does with an inbox item: decrypt, verify the gateway's signature, read the JSON. */
    JsonNode open(String partnerId, JsonNode item) throws IOException {
        return open(partnerId, Base64.getDecoder().decode(item.path("envelope").asText()));
    }

    /** What the recipient does with an envelope: decrypt, verify the gateway's signature, read the JSON. */
    JsonNode open(String partnerId, byte[] envelope) throws IOException {
        Path partners = pki.resolve("partners");
        CmsOpener.Opened opened = CmsOpener.open(
                envelope,
                PemFiles.readCertifiedKey(
                        partners.resolve(partnerId + ".pem"), partners.resolve(partnerId + "-key.pem")),
                PemFiles.readCertificates(pki.resolve("gateway-signing.pem")).get(0));
        return Json.MAPPER.readTree(opened.content());
    }

    long countReferrals() {
        try (var c = gateway.database().dataSource().getConnection();
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM referral")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot count referrals", e);
        }
    }

    /** The actions of a referral's audit entries, in the order they were appended (queued or numbered). */
    List<String> auditActions(String referralId) {
        return fr.passerelle.core.audit.AuditLog.list(
                        gateway.database().dataSource(),
                        java.util.Optional.of(fr.passerelle.core.referral.ReferralId.parse(referralId)))
                .stream()
                .map(fr.passerelle.core.audit.AuditRecord::action)
                .toList();
    }

    /**
     * Waits until the gateway's sequencer has numbered every audit entry queued so far and signed a head over them
     * (at most the promise, 1 s), and returns that head.
     */
    fr.passerelle.core.audit.SignedTreeHead sequencedAudit() throws IOException {
        javax.sql.DataSource ds = gateway.database().dataSource();
        fr.passerelle.core.audit.AuditSequencer.sequenceNow(ds, signer(), java.time.Duration.ofSeconds(30));
        return fr.passerelle.core.audit.TreeHeads.latest(ds).orElseThrow();
    }

    /** The gateway's signing key, as pki init wrote it. */
    fr.passerelle.core.crypto.CertifiedKey signer() {
        return PemFiles.readCertifiedKey(pki.resolve("gateway-signing.pem"), pki.resolve("gateway-signing-key.pem"));
    }

    /** Every item of a partner's inbox, from the start (pulling marks them delivered). */
    List<JsonNode> inbox(String partnerId) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String after = "0";
        while (true) {
            JsonNode page = Json.MAPPER.readTree(client(partnerId)
                    .get("/v1/inbox?after=" + after + "&limit=100")
                    .body());
            if (page.path("items").isEmpty()) {
                return items;
            }
            page.path("items").forEach(items::add);
            after = page.path("next").asText();
        }
    }

    /** A client with the development administrator's certificate (pinned in config/admins/admin.yaml). */
    PartnerClient adminClient() {
        return new PartnerClient(
                "admin",
                ClientTls.sslContext(pki.resolve("admin.pem"), pki.resolve("admin-key.pem"), pki.resolve("ca.pem")),
                base);
    }

    /**
     * A client with a new administrator's own certificate, pinned in {@code admins/<id>.yaml} through a
     * configuration change.
     *
     * @param yaml the file's lines between its name and its certificate: {@code role:}, and {@code domains:} if any
     */
    PartnerClient pinAdmin(String id, String yaml) throws IOException {
        Path pem = DevelopmentPki.issueClient(pki, pki.resolve("admins"), id, Clock.systemUTC());
        String fingerprint = Fingerprints.sha256(PemFiles.readCertificates(pem).get(0));
        gateway.config()
                .orElseThrow()
                .versioned()
                .change(
                        files -> files.with(
                                "admins/" + id + ".yaml",
                                "id: " + id + "\nname: " + id + "\n" + yaml + "certificate:\n  sha256: \"" + fingerprint
                                        + "\"\n"),
                        "admin:admin",
                        id,
                        Map.of());
        gateway.config().orElseThrow().watcher().run();
        return new PartnerClient(
                id, ClientTls.sslContext(pem, pki.resolve("admins/" + id + "-key.pem"), pki.resolve("ca.pem")), base);
    }

    PartnerClient client(String partnerId) {
        return PartnerClient.forPartner(partnerId, pki, base);
    }

    byte[] sample(String type) throws IOException {
        return Files.readAllBytes(config.resolve("samples").resolve(type + ".json"));
    }

    /**
     * The shipped sample of {@code type} moved to {@code department}: a sample's department is one its sender in
     * the example deployment serves (a removal objective's is La Réunion's), a test's sender may serve another.
     */
    byte[] sampleIn(String type, String department) throws IOException {
        ObjectNode sample = (ObjectNode) Json.MAPPER.readTree(sample(type));
        sample.put("department", department);
        return Json.MAPPER.writeValueAsBytes(sample);
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        deleteWork();
    }

    /** Deletes the work folder: configuration, PKI and data. For a test that closed the gateway itself. */
    void deleteWork() throws IOException {
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
