package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.server.demo.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partner's submission quota on a real gateway (TLS, PostgreSQL): over its burst it is answered 429 with
 * Retry-After and a problem document, nothing is stored, another partner is not slowed, and it recovers at its rate.
 * A partner whose entry raises its own burst goes past the burst of gateway.yaml.
 */
class QuotasIT {
    private static final String POLICE = "police-75-brp";
    private static final String SOCIAL = "social-75-ssp-18";
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withConfig(Map.of(), config -> {
            TestGateway.edit(config.resolve("gateway.yaml"), yaml -> yaml
                    .replaceAll("(?m)^(  submissions_per_second:) .*$", "$1 1")
                    .replaceAll("(?m)^(  submission_burst:) .*$", "$1 2"));
            TestGateway.edit(config.resolve("partners/" + SOCIAL + ".yaml"), entry -> entry
                    + "\nlimits:\n  submission_burst: 6\n");
        });
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void answers429OverTheBurstStoresNothingAndRecovers() throws Exception {
        assertThat(submit(POLICE).status()).isEqualTo(202);
        assertThat(submit(POLICE).status()).isEqualTo(202);
        long before = gw.countReferrals();

        PartnerClient.Reply refused = submit(POLICE);
        PartnerClient.Reply other = submit(SOCIAL);

        assertThat(refused.status()).isEqualTo(429);
        JsonNode problem = Json.MAPPER.readTree(refused.body());
        assertThat(problem.path("code").asText()).isEqualTo("rate_limited");
        assertThat(problem.path("detail").asText()).contains(POLICE).contains("retry in");
        assertThat(refused.retryAfter()).hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isBetween(1, 2));
        assertThat(other.status()).as("the quota is per partner").isEqualTo(202);
        assertThat(gw.countReferrals()).isEqualTo(before + 1);

        long deadline = System.nanoTime() + 5_000_000_000L;
        int status = 429;
        while (status == 429 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = submit(POLICE).status();
        }
        assertThat(status).as("recovers at one submission per second").isEqualTo(202);
    }

    @Test
    void letsAPartnerWhoseEntryRaisesItsBurstGoPastTheGlobalOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(submit(SOCIAL).status()).as("submission %d of a burst of 6", i + 1).isEqualTo(202);
        }
    }

    private static PartnerClient.Reply submit(String partner) throws IOException {
        return gw.client(partner).post("/v1/referrals", gw.sample("shelter.request"), "application/json", Map.of());
    }
}
