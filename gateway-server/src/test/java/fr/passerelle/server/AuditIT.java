package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.MerkleTree;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The tamper-evident audit log as its witnesses and parties meet it: signed tree heads and inclusion proofs. */
class AuditIT {

    @Test
    void servesSignedTreeHeadsToWitnessesAndProofsToTheReferralsParties() throws IOException {
        try (TestGateway gw = TestGateway.start(Map.of())) {
            PartnerClient police = gw.client("police-75-brp");
            JsonNode accepted = Json.MAPPER.readTree(police.post(
                            "/v1/referrals",
                            gw.sample("victim.orientation"),
                            "application/json",
                            Map.of("Idempotency-Key", UUID.randomUUID().toString()))
                    .body());
            String id = accepted.path("id").asText();
            SignedTreeHead signed = TreeHeads.signIfDue(
                            gw.gateway.database().dataSource(),
                            PemFiles.readCertifiedKey(
                                    gw.pki.resolve("gateway-signing.pem"), gw.pki.resolve("gateway-signing-key.pem")),
                            1,
                            Duration.ofSeconds(1),
                            Clock.systemUTC())
                    .orElseThrow();

            JsonNode heads = Json.MAPPER.readTree(gw.client("monitoring-centre-de-veille")
                    .get("/v1/audit/tree-heads")
                    .body());
            PartnerClient.Reply notWitness = police.get("/v1/audit/tree-heads");
            JsonNode proof = Json.MAPPER.readTree(
                    police.get("/v1/referrals/" + id + "/audit-proof").body());
            PartnerClient.Reply stranger = gw.client("siao-974").get("/v1/referrals/" + id + "/audit-proof");

            assertThat(accepted.path("auditEntry").asLong()).isPositive();
            assertThat(AuditJson.parseTreeHead(heads.path("treeHeads").get(0).toString()))
                    .isEqualTo(signed);
            assertThat(notWitness.status()).isEqualTo(403);
            assertThat(stranger.status()).isEqualTo(404);
            List<JsonNode> entries = new ArrayList<>();
            proof.path("entries").forEach(entries::add);
            assertThat(entries).isNotEmpty().allSatisfy(entry -> {
                List<byte[]> path = new ArrayList<>();
                entry.path("path").forEach(h -> path.add(HexFormat.of().parseHex(h.asText())));
                assertThat(MerkleTree.verifyInclusion(
                                HexFormat.of().parseHex(entry.path("leafHash").asText()),
                                entry.path("seq").asLong() - 1,
                                signed.head().size(),
                                path,
                                signed.head().rootHash()))
                        .isTrue();
            });
            assertThat(entries)
                    .extracting(e -> e.path("seq").asLong())
                    .contains(accepted.path("auditEntry").asLong());
        }
    }
}
