package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.MerkleTree;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
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
            SignedTreeHead signed = gw.sequencedAudit();

            JsonNode heads = Json.MAPPER.readTree(gw.client("monitoring-centre-de-veille")
                    .get("/v1/audit/tree-heads")
                    .body());
            PartnerClient.Reply notWitness = police.get("/v1/audit/tree-heads");
            JsonNode proof = Json.MAPPER.readTree(
                    police.get("/v1/referrals/" + id + "/audit-proof").body());
            PartnerClient.Reply stranger = gw.client("siao-974").get("/v1/referrals/" + id + "/audit-proof");

            assertThat(accepted.path("auditQueuePosition").asLong()).isPositive();
            assertThat(accepted.path("auditMaxMergeDelayMs").asLong()).isEqualTo(TestGateway.AUDIT_PROMISE_MS);
            JsonNode all = heads.path("treeHeads");
            assertThat(AuditJson.parseTreeHead(all.get(all.size() - 1).toString()))
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
                    .extracting(e -> e.path("position").asLong())
                    .contains(accepted.path("auditQueuePosition").asLong());
            assertThat(proof.path("pending")).isEmpty();
        }
    }
}
