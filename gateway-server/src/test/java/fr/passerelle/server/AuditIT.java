package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.MerkleTree;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.config.GatewaySettings;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.store.Database;
import fr.passerelle.server.cli.GatewayCommand;
import fr.passerelle.server.demo.Demo;
import fr.passerelle.server.demo.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tamper-evident audit log as its users meet it: the CLI after the demo, and the witness and proof API. */
class AuditIT {

    @Test
    void verifiesTheDemosLogThenNamesTheEntryThatASuperuserChanged(@TempDir Path dir) throws Exception {
        assumeThat(System.getenv("GATEWAY_TEST_DB_URL")).as("the demo's own embedded database").isNull();
        Path keep = dir.resolve("kept");
        assertThat(Demo.run(Optional.of(keep), Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8))).isZero();
        Map<String, String> env = Map.of("GATEWAY_CONFIG", keep.resolve("config/gateway.yaml").toString());
        Path export = dir.resolve("audit.jsonl");

        String verified = cli(env, 0, "audit", "verify");
        String exported = cli(env, 0, "audit", "export", "--out", export.toString());
        String offline = cli(Map.of(), 0, "audit", "verify", "--file", export.toString(), "--cert",
                keep.resolve("pki/gateway-signing.pem").toString());
        tamper(keep.resolve("data"), "UPDATE audit_entry SET actor = 'police-974-sdpj' WHERE seq = 3");
        String refused = cli(env, 1, "audit", "verify");

        // The demo now runs past the heads' 100-entry mark and its time trigger: one head or more, all verified.
        assertThat(verified).startsWith("audit log verified: ").containsPattern("[1-9][0-9]* signed tree heads?");
        assertThat(exported).startsWith("audit export: ");
        assertThat(offline).startsWith("audit log verified: ");
        assertThat(refused).startsWith("audit log does NOT verify: entry 3: ");
    }

    @Test
    void servesSignedTreeHeadsToWitnessesAndProofsToTheReferralsParties() throws IOException {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            PartnerClient police = gw.client("police-75-brp");
            JsonNode accepted = Json.MAPPER.readTree(police.post("/v1/referrals", gw.sample("victim.orientation"),
                    "application/json", Map.of("Idempotency-Key", UUID.randomUUID().toString())).body());
            String id = accepted.path("id").asText();
            SignedTreeHead signed = TreeHeads.signIfDue(gw.gateway.database().dataSource(), PemFiles.readCertifiedKey(
                    gw.pki.resolve("gateway-signing.pem"), gw.pki.resolve("gateway-signing-key.pem")), 1,
                    Duration.ofSeconds(1), Clock.systemUTC()).orElseThrow();

            JsonNode heads = Json.MAPPER.readTree(gw.client("monitoring-centre-de-veille").get("/v1/audit/tree-heads")
                    .body());
            PartnerClient.Reply notWitness = police.get("/v1/audit/tree-heads");
            JsonNode proof = Json.MAPPER.readTree(police.get("/v1/referrals/" + id + "/audit-proof").body());
            PartnerClient.Reply stranger = gw.client("siao-974").get("/v1/referrals/" + id + "/audit-proof");

            assertThat(accepted.path("auditEntry").asLong()).isPositive();
            assertThat(AuditJson.parseTreeHead(heads.path("treeHeads").get(0).toString())).isEqualTo(signed);
            assertThat(notWitness.status()).isEqualTo(403);
            assertThat(stranger.status()).isEqualTo(404);
            List<JsonNode> entries = new ArrayList<>();
            proof.path("entries").forEach(entries::add);
            assertThat(entries).isNotEmpty().allSatisfy(entry -> {
                List<byte[]> path = new ArrayList<>();
                entry.path("path").forEach(h -> path.add(HexFormat.of().parseHex(h.asText())));
                assertThat(MerkleTree.verifyInclusion(HexFormat.of().parseHex(entry.path("leafHash").asText()),
                        entry.path("seq").asLong() - 1, signed.head().size(), path, signed.head().rootHash())).isTrue();
            });
            assertThat(entries).extracting(e -> e.path("seq").asLong()).contains(accepted.path("auditEntry").asLong());
        }
    }

    private static void tamper(Path dataDir, String sql) throws Exception {
        try (Database database = Database.open(GatewaySettings.DatabaseSettings.embedded(), dataDir);
             Connection c = database.dataSource().getConnection();
             Statement statement = c.createStatement()) {
            c.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_entry DISABLE TRIGGER ALL");
            statement.execute(sql);
            statement.execute("ALTER TABLE audit_entry ENABLE TRIGGER ALL");
            c.commit();
        }
    }

    private static String cli(Map<String, String> env, int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GatewayCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isEqualTo(expectedExit);
        return out.toString();
    }
}
