package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partner's submission quota on a real gateway (TLS, PostgreSQL): over its burst it is answered 429 with
 * Retry-After and a problem document, nothing is stored, another partner is not slowed, and it recovers at its rate.
 * A partner whose entry raises its own burst goes past the burst of gateway.yaml, and new quotas given to a partner
 * through the admin API apply from its next request, without restart.
 */
class QuotasIT {
    private static final String POLICE = "police-75-brp";
    private static final String SOCIAL = "social-75-ssp-18";
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withConfig(Map.of(), config -> {
            TestGateway.edit(config.resolve("gateway.yaml"), yaml -> yaml.replaceAll(
                            "(?m)^(  submissions_per_second:) .*$", "$1 1")
                    .replaceAll("(?m)^(  submission_burst:) .*$", "$1 2"));
            TestGateway.edit(
                    config.resolve("partners/" + SOCIAL + ".yaml"),
                    entry -> entry + "\nlimits:\n  submission_burst: 6\n");
        });
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void answers429OverTheBurstStoresNothingAndRecovers() throws Exception {
        long before = gw.countReferrals();
        int accepted = 0;
        PartnerClient.Reply refused = submit(POLICE);
        // The burst is 2, but right after start a slow submission on a loaded machine lets one more refill.
        while (refused.status() == 202 && accepted < 4) {
            accepted++;
            refused = submit(POLICE);
        }
        PartnerClient.Reply other = submit(SOCIAL);

        assertThat(accepted)
                .as("the burst, and what refilled at one a second meanwhile")
                .isBetween(2, 3);
        assertThat(refused.status()).isEqualTo(429);
        JsonNode problem = Json.MAPPER.readTree(refused.body());
        assertThat(problem.path("code").asText()).isEqualTo("rate_limited");
        assertThat(problem.path("detail").asText()).contains(POLICE).contains("retry in");
        assertThat(refused.retryAfter())
                .hasValueSatisfying(s -> assertThat(Integer.parseInt(s)).isBetween(1, 2));
        assertThat(other.status()).as("the quota is per partner").isEqualTo(202);
        assertThat(gw.countReferrals())
                .as("the refused submission is not stored")
                .isEqualTo(before + accepted + 1);

        int status = await("a submission past the quota once it refills")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> submit(POLICE).status(), s -> s != 429);
        assertThat(status).as("recovers at one submission per second").isEqualTo(202);
    }

    @Test
    void letsAPartnerWhoseEntryRaisesItsBurstGoPastTheGlobalOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(submit(SOCIAL).status())
                    .as("submission %d of a burst of 6", i + 1)
                    .isEqualTo(202);
        }
    }

    @Test
    void appliesAPartnersNewQuotasFromItsNextRequestAfterAConfigurationChange() throws Exception {
        String association = "association-75-amarante";
        int limited = submitUntilRefused(association);
        ObjectNode entry = (ObjectNode) Json.MAPPER
                .readTree(
                        admin("GET", "/admin/v1/partners/" + association, null).body())
                .path("partner");
        entry.remove("certificateFile"); // what GET tells of the certificate, not a key of the file
        entry.putObject("limits").put("submissions_per_second", 50).put("submission_burst", 10);

        HttpResponse<String> put = admin("PUT", "/admin/v1/partners/" + association + "?comment=quota", entry);
        Thread.sleep(300);
        List<Integer> after = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            after.add(submit(association).status());
        }

        assertThat(limited).isEqualTo(429);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(after)
                .as("refilled at 50 per second up to 10, without restart")
                .containsOnly(202);
    }

    /**
     * Submits until the first refusal, five times at most: the burst of 2 is spent by the second, but a slow
     * submission on a loaded machine lets one more refill at one a second.
     *
     * @return the status of the last submission, 429 unless the quota never applied
     */
    private static int submitUntilRefused(String partner) throws IOException {
        int status = 202;
        for (int i = 0; i < 5 && status == 202; i++) {
            status = submit(partner).status();
        }
        return status;
    }

    /** A call to the admin API, with the administrator's certificate of the development PKI. */
    private static HttpResponse<String> admin(String method, String path, JsonNode body) throws Exception {
        SSLContext tls = ClientTls.sslContext(
                gw.pki.resolve("admin.pem"), gw.pki.resolve("admin-key.pem"), gw.pki.resolve("ca.pem"));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return http.send(
                HttpRequest.newBuilder(URI.create(gw.base + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static PartnerClient.Reply submit(String partner) throws IOException {
        return gw.client(partner).post("/v1/referrals", gw.sample("shelter.request"), "application/json", Map.of());
    }
}
