package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API of configuration versions over real mutual TLS, on a running gateway that follows each change
 * without restart: a new association and a route to it, roles, refusals, audit, certificate rotation.
 */
class AdminConfigIT {
    private static final String NEW = "association-976-mahoraise";
    static TestGateway gw;
    static SSLContext adminTls;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
        adminTls = ClientTls.sslContext(
                gw.pki.resolve("admin.pem"), gw.pki.resolve("admin-key.pem"), gw.pki.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void aNewAssociationAndItsRouteReachTheNextOrientationWithoutRestart() throws Exception {
        var deadlines = gw.gateway.deployment().deadlines();
        var referents = gw.gateway.deployment().referents();
        DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("partners"), NEW, Clock.systemUTC());
        ObjectNode partner = Json.MAPPER.createObjectNode();
        partner.put("name", "Association mahoraise d'aide aux victimes");
        partner.putArray("departments").add("976");
        partner.putArray("may_send").add("difficulty.report");
        partner.put("inbound", "canonical-json");
        partner.put("outbound", "canonical-json");
        partner.putObject("certificate").put("pem", Files.readString(gw.pki.resolve("partners/" + NEW + ".pem")));
        ObjectNode route = (ObjectNode) Json.MAPPER.readTree("{\"type\": \"victim.orientation\", \"from\": [\"police\","
                + " \"gendarmerie\", \"social\"], \"departments\": [\"976\"], \"subject\": \"adult\", \"to\": [{\"partner\": \""
                + NEW + "\"}],"
                + " \"fields\": [\"subject.givenName\", \"subject.languages\", \"needs\"]}");

        Reply added = send("PUT", "/admin/v1/partners/" + NEW + "?comment=agrement-976", partner);
        Reply routed = send("PUT", "/admin/v1/routes/orientation-976-mahoraise", route);

        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().path("changed").asBoolean()).isTrue();
        assertThat(added.json().path("partners").path("added").toString()).isEqualTo("[\"" + NEW + "\"]");
        assertThat(routed.status()).as(routed.text()).isEqualTo(200);
        assertThat(routed.json().path("routes").path("added").toString()).isEqualTo("[\"orientation-976-mahoraise\"]");
        int version = routed.json().path("version").asInt();
        assertThat(gw.gateway.configVersion()).isEqualTo(version);
        // The version swapped in keeps what routes.yaml says besides routes: the deadline watch and the
        // protection register's referents go on working.
        assertThat(gw.gateway.deployment().deadlines()).isNotEmpty().isEqualTo(deadlines);
        assertThat(gw.gateway.deployment().referents()).isNotEmpty().isEqualTo(referents);

        String orientation = new String(gw.sample("victim.orientation"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"976\"");
        PartnerClient.Reply submitted = gw.client("police-75-brp")
                .post("/v1/referrals", orientation.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        JsonNode inbox = Json.MAPPER.readTree(gw.client(NEW).get("/v1/inbox").body());
        assertThat(inbox.path("items")).hasSize(1);
        JsonNode item = gw.open(NEW, inbox.path("items").get(0));
        assertThat(item.path("type").asText()).isEqualTo("victim.orientation");
        assertThat(item.path("referral").path("needs").isMissingNode()).isFalse();

        List<AuditRecord> changes = AuditLog.list(gw.gateway.database().dataSource(), Optional.empty()).stream()
                .filter(e -> e.action().startsWith("config."))
                .toList();
        assertThat(changes).extracting(AuditRecord::actor).contains("gateway", "admin:admin");
        assertThat(changes).anySatisfy(e -> assertThat(e.detail())
                .containsEntry("operation", "partner.put")
                .containsEntry("partner", NEW)
                .containsEntry("partnersAdded", "1"));
        assertThat(changes).anySatisfy(e -> assertThat(e.detail())
                .containsEntry("operation", "route.put")
                .containsEntry("route", "orientation-976-mahoraise")
                .containsEntry("routesAdded", "1"));
        Reply versions = send("GET", "/admin/v1/versions?limit=1", null);
        int current = versions.json().path("current").asInt();
        assertThat(current).isGreaterThanOrEqualTo(version);
        assertThat(versions.json().path("versions").get(0).path("number").asInt())
                .isEqualTo(current);
        assertThat(versions.json().path("next").asInt()).isEqualTo(current);
        Reply diff = send("GET", "/admin/v1/versions/" + version + "/diff", null);
        assertThat(diff.json().path("files").get(0).path("name").asText()).isEqualTo("routes.yaml");
    }

    @Test
    void refusesAChangeThatDoesNotCheckWithTheFileLineAndFix() throws Exception {
        ObjectNode route = (ObjectNode) Json.MAPPER.readTree("{\"type\": \"difficulty.report\", \"from\":"
                + " [\"police\"], \"to\": [{\"partner\": \"association-75-inconnue\"}], \"fields\": [\"category\"]}");
        int before = gw.gateway.configVersion();

        Reply refused = send("PUT", "/admin/v1/routes/difficulty-nowhere", route);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("config_refused");
        assertThat(refused.json().path("errors").get(0).asText())
                .startsWith("routes.yaml:")
                .contains("error: route difficulty-nowhere names partner 'association-75-inconnue', which is not in"
                        + " partners/ (rule recipient-exists)");
        assertThat(gw.gateway.configVersion()).isEqualTo(before);
    }

    @Test
    void keepsTheConfigurationApiFromPartnersAndLetsAnAuditorOnlyRead() throws Exception {
        PartnerClient.Reply partner = gw.client("police-75-brp").get("/admin/v1/versions");
        Path auditorPem = DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("admins"), "auditor", Clock.systemUTC());
        String fingerprint =
                Fingerprints.sha256(PemFiles.readCertificates(auditorPem).get(0));
        gw.gateway
                .config()
                .orElseThrow()
                .versioned()
                .change(
                        files -> files.with(
                                "admins/auditor.yaml",
                                "id: auditor\nname: Contrôle interne\nrole: auditor\ncertificate:\n  sha256: \""
                                        + fingerprint + "\"\n"),
                        "admin:admin",
                        "auditor",
                        Map.of());
        gw.gateway.config().orElseThrow().watcher().run();
        SSLContext auditor =
                ClientTls.sslContext(auditorPem, gw.pki.resolve("admins/auditor-key.pem"), gw.pki.resolve("ca.pem"));

        Reply read = send(auditor, "GET", "/admin/v1/partners/siao-75", null);
        Reply put = send(auditor, "PUT", "/admin/v1/routes/whatever", Json.MAPPER.createObjectNode());
        Reply delete = send(auditor, "DELETE", "/admin/v1/routes/shelter-siao", null);
        Reply rollback = send(auditor, "POST", "/admin/v1/versions/1/rollback", null);

        assertThat(partner.status()).isEqualTo(403);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().path("partner").path("id").asText()).isEqualTo("siao-75");
        for (Reply refused : List.of(put, delete, rollback)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().path("detail").asText())
                    .isEqualTo(
                            "administrator auditor has role auditor," + " which may only read (expected: role admin)");
        }
    }

    @Test
    void acceptsTheOldAndTheNewCertificateDuringARotationsOverlap() throws Exception {
        String sender = "association-974-kaz-lespwa";
        Path renewed = DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("renewed"), sender, Clock.systemUTC());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("pem", Files.readString(renewed));
        body.put("overlapHours", 24);
        body.put("comment", "renouvellement annuel");

        Reply rotated = send("POST", "/admin/v1/partners/" + sender + "/certificate", body);

        assertThat(rotated.status()).as(rotated.text()).isEqualTo(200);
        assertThat(rotated.json().path("partners").path("changed").toString()).isEqualTo("[\"" + sender + "\"]");
        PartnerClient old = gw.client(sender);
        assertThat(old.get("/v1/inbox").status()).isEqualTo(200);
        assertThat(new PartnerClient(
                                sender,
                                ClientTls.sslContext(
                                        renewed, renewed.resolveSibling(sender + "-key.pem"), gw.pki.resolve("ca.pem")),
                                gw.base)
                        .get("/v1/inbox")
                        .status())
                .isEqualTo(200);
        JsonNode entry =
                send("GET", "/admin/v1/partners/" + sender, null).json().path("partner");
        assertThat(entry.path("certificate")
                        .path("previous")
                        .get(0)
                        .path("sha256")
                        .asText())
                .isEqualTo(Fingerprints.sha256(PemFiles.readCertificates(gw.pki.resolve("partners/" + sender + ".pem"))
                        .get(0)));
    }

    private static Reply send(String method, String path, JsonNode body) throws Exception {
        return send(adminTls, method, path, body);
    }

    private static Reply send(SSLContext tls, String method, String path, JsonNode body) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.base + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(
                response.statusCode(),
                response.headers().firstValue("content-type").orElse(""),
                response.body());
    }

    record Reply(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }
}
