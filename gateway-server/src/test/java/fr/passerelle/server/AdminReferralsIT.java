package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The referral search and timeline of the admin API, on a real gateway (TLS, PostgreSQL): each filter, paging, the
 * id prefix an operator reads aloud, the administrator's data domains, the timeline of a referral that was
 * delivered, declined and cancelled, and never a field of a referral's document in any answer.
 */
class AdminReferralsIT {
    private static final String POLICE = "police-75-brp";
    private static final String PREFECTURE = "prefecture-75";
    private static final String KAZ = "association-974-kaz-lespwa";
    private static final String AMARANTE = "association-75-amarante";

    static TestGateway gw;
    static PartnerClient admin;
    static PartnerClient auditor;
    static PartnerClient support;
    static final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
        admin = gw.adminClient();
        auditor = gw.pinAdmin("auditor", "role: auditor\n");
        support = gw.pinAdmin("support", "role: admin\ndomains: [victim-support]\n");
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            assertThat(answers).isNotEmpty();
            for (String answer : answers) {
                assertThat(answer).doesNotContain(TestGateway.SAMPLE_CONTENT);
            }
        } finally {
            gw.close();
        }
    }

    @Test
    void findsAReferralByTheStartOfItsIdAsReadAloud() throws IOException {
        String id = submit(POLICE, "victim.orientation");
        String spoken = id.substring(0, 8).toUpperCase(Locale.ROOT);

        JsonNode short4 = search(admin, "id=" + id.substring(0, 4));
        JsonNode upper = search(admin, "id=" + spoken);
        JsonNode full = search(admin, "id=" + id);
        JsonNode dashless = search(admin, "id=" + id.replace("-", ""));

        assertThat(ids(short4)).contains(id).allMatch(found -> found.startsWith(id.substring(0, 4)));
        assertThat(ids(upper)).containsExactly(id);
        assertThat(ids(full)).containsExactly(id);
        assertThat(ids(dashless)).containsExactly(id);
        JsonNode item = full.path("referrals").get(0);
        assertThat(item.path("type").asText()).isEqualTo("victim.orientation");
        assertThat(item.path("department").asText()).isEqualTo("75");
        assertThat(item.path("urgency").asText()).isEqualTo("urgent");
        assertThat(item.path("sender").asText()).isEqualTo(POLICE);
        assertThat(item.path("status").asText()).isEqualTo("routed");
        assertThat(Instant.parse(item.path("submittedAt").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(item.path("recipients").toString())
                .isEqualTo("[{\"partner\":\"" + AMARANTE + "\",\"state\":\"pending\"}]");
    }

    @Test
    void filtersByTypeDepartmentStateAndPartner() throws IOException {
        String orientation = submit(POLICE, "victim.orientation");
        String shelter = submitShelterRequestIn974();
        String removal = submit(PREFECTURE, gw.sampleIn("removal.objective", "75"));

        List<String> byType = ids(search(admin, "type=shelter.request&limit=100"));
        List<String> byDepartment = ids(search(admin, "department=974&limit=100"));
        List<String> bySender = ids(search(admin, "partner=" + PREFECTURE + "&limit=100"));
        List<String> byRecipient = ids(search(admin, "partner=" + AMARANTE + "&limit=100"));
        List<String> routed = ids(search(admin, "state=routed&limit=100"));
        List<String> cancelled = ids(search(admin, "state=cancelled&limit=100"));

        assertThat(byType).contains(shelter).doesNotContain(orientation, removal);
        assertThat(byDepartment).contains(shelter).doesNotContain(orientation, removal);
        assertThat(bySender).contains(removal).doesNotContain(orientation, shelter);
        assertThat(byRecipient).contains(orientation).doesNotContain(shelter, removal);
        assertThat(routed).contains(orientation);
        assertThat(cancelled).doesNotContain(orientation, shelter, removal);
    }

    @Test
    void givesEachReferralOfAPageItsOwnCopies() throws IOException {
        String orientation = submit(POLICE, "victim.orientation");
        String removal = submit(PREFECTURE, gw.sampleIn("removal.objective", "75"));
        String shelter = submitShelterRequestIn974();

        JsonNode page = search(admin, "limit=100");

        Map<String, String> recipients = new HashMap<>();
        page.path("referrals")
                .forEach(item -> recipients.put(
                        item.path("id").asText(), item.path("recipients").toString()));
        for (String id : List.of(orientation, removal, shelter)) {
            assertThat(recipients.get(id))
                    .as("the copies of %s in a page of %d", id, recipients.size())
                    .isEqualTo(timeline(admin, id)
                            .path("referral")
                            .path("recipients")
                            .toString());
        }
        assertThat(recipients.get(orientation)).contains(AMARANTE);
        assertThat(recipients.get(removal)).doesNotContain(AMARANTE);
    }

    @Test
    void filtersByPeriodGivenAsDaysOrInstants() throws IOException {
        String id = submit(POLICE, "victim.orientation");
        Instant at = Instant.parse(search(admin, "id=" + id)
                .path("referrals")
                .get(0)
                .path("submittedAt")
                .asText());
        LocalDate today = LocalDate.ofInstant(at, ZoneOffset.UTC);

        assertThat(ids(search(admin, "id=" + id + "&from=" + today + "&to=" + today)))
                .containsExactly(id);
        assertThat(ids(search(admin, "id=" + id + "&from=" + at))).containsExactly(id);
        assertThat(ids(search(admin, "id=" + id + "&to=" + at))).isEmpty();
        assertThat(ids(search(admin, "id=" + id + "&from=" + today.plusDays(1))))
                .isEmpty();
        assertThat(ids(search(admin, "id=" + id + "&to=" + today.minusDays(1)))).isEmpty();
    }

    @Test
    void pagesNewestFirstWithoutLosingOrRepeatingAReferral() throws IOException {
        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submitted.add(submitShelterRequestIn974());
        }

        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String query = "partner=" + KAZ + "&limit=2";
        JsonNode page = search(admin, query);
        while (true) {
            seen.addAll(ids(page));
            sizes.add(page.path("referrals").size());
            if (!page.has("next")) {
                break;
            }
            page = search(admin, query + "&after=" + page.path("next").asText());
        }

        assertThat(seen).doesNotHaveDuplicates().containsAll(submitted);
        assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(size -> size == 2);
        List<String> newestFirst = new ArrayList<>(submitted);
        Collections.reverse(newestFirst);
        assertThat(seen.stream().filter(submitted::contains).toList()).isEqualTo(newestFirst);
    }

    @Test
    void showsTheTimelineOfADeliveredDeclinedAndCancelledReferral() throws IOException {
        String declined = submit(POLICE, "victim.orientation");
        gw.inbox(AMARANTE);
        receipt(declined, "{\"status\":\"received\"}");
        receipt(declined, "{\"status\":\"declined\",\"reason\":\"no-capacity\"}");
        String cancelled = submit(POLICE, "victim.orientation");
        gw.inbox(AMARANTE);
        PartnerClient.Reply cancel =
                admin.post("/admin/v1/referrals/" + cancelled + "/cancel", new byte[0], "application/json", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);

        JsonNode first = timeline(admin, declined);
        JsonNode second = timeline(auditor, cancelled);

        assertThat(first.path("referral").path("id").asText()).isEqualTo(declined);
        assertThat(first.path("referral").path("status").asText()).isEqualTo("declined");
        assertThat(first.path("audit").findValuesAsText("action"))
                .contains("referral.submitted", "referral.routed", "delivery.pulled", "receipt.recorded");
        assertThat(first.path("audit").get(0).path("actor").asText()).isEqualTo(POLICE);
        JsonNode copy = first.path("deliveries").get(0);
        assertThat(copy.path("recipient").asText()).isEqualTo(AMARANTE);
        assertThat(copy.path("transport").asText()).isEqualTo("inbox");
        assertThat(copy.path("state").asText()).isEqualTo("declined");
        assertThat(copy.path("declineReason").asText()).isEqualTo("no-capacity");
        assertThat(copy.has("deliveredAt")).isTrue();
        assertThat(first.path("receipts").findValuesAsText("status")).containsExactly("received", "declined");
        assertThat(first.path("receipts").get(1).path("reason").asText()).isEqualTo("no-capacity");
        assertThat(first.path("receipts").get(1).path("recipient").asText()).isEqualTo(AMARANTE);
        assertThat(first.path("notices")).isEmpty();
        assertThat(second.path("referral").path("status").asText()).isEqualTo("cancelled");
        assertThat(second.path("audit").findValuesAsText("actor")).contains("admin:admin");
        assertThat(second.path("notices").findValuesAsText("kind")).contains("cancelled");
        assertThat(second.path("notices").findValuesAsText("recipient")).contains(AMARANTE);
    }

    @Test
    void showsWhoAHeldReferralWaitsFor() throws IOException {
        submit(AMARANTE, "reflection.period.request");
        // The person of the reflection period request: the register holds the removal objective.
        String sample = new String(gw.sampleIn("removal.objective", "75"), StandardCharsets.UTF_8)
                .replace("\"birthDate\":\"1990-01-01\"", "\"birthDate\":\"2000-01-01\"");
        String removal = submit(PREFECTURE, sample.getBytes(StandardCharsets.UTF_8));

        JsonNode item = search(admin, "id=" + removal).path("referrals").get(0);
        List<String> held = ids(search(admin, "state=held&partner=" + POLICE + "&limit=100"));
        JsonNode timeline = timeline(admin, removal);

        assertThat(item.path("status").asText()).isEqualTo("held");
        assertThat(item.path("recipients").toString())
                .isEqualTo("[{\"partner\":\"" + POLICE + "\",\"state\":\"held\"}]");
        assertThat(held).contains(removal);
        assertThat(timeline.path("deliveries")).isEmpty();
        assertThat(timeline.path("audit").findValuesAsText("action")).contains("referral.held");
        assertThat(timeline.path("notices").findValuesAsText("kind")).contains("held");
    }

    @Test
    void answersAnUnknownReferralWithNotFound() throws IOException {
        String unknown = UUID.randomUUID().toString();

        PartnerClient.Reply reply = admin.get("/admin/v1/referrals/" + unknown);

        assertThat(reply.status()).isEqualTo(404);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.path("code").asText()).isEqualTo("referral_not_found");
        assertThat(problem.path("detail").asText()).isEqualTo("no referral " + unknown + " that you are party to");
    }

    @Test
    void findsNothingOutsideTheAdministratorsDomains() throws IOException {
        String orientation = submit(POLICE, "victim.orientation");
        String removal = submit(PREFECTURE, gw.sampleIn("removal.objective", "75"));

        List<String> seen = ids(search(support, "limit=100"));
        JsonNode byId = search(support, "id=" + removal);
        PartnerClient.Reply hidden = support.get("/admin/v1/referrals/" + removal);
        PartnerClient.Reply byType = support.get("/admin/v1/referrals?type=removal.objective");

        assertThat(seen).contains(orientation).doesNotContain(removal);
        assertThat(ids(byId)).isEmpty();
        assertThat(timeline(support, orientation).path("referral").path("id").asText())
                .isEqualTo(orientation);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(hidden.body()).path("detail").asText())
                .isEqualTo("no referral " + removal + " that you are party to");
        assertThat(byType.status()).isEqualTo(403);
        assertThat(ids(search(admin, "id=" + removal))).containsExactly(removal);
    }

    @Test
    void letsAnAuditorReadAndKeepsPartnersOut() throws IOException {
        String id = submit(POLICE, "victim.orientation");

        JsonNode found = search(auditor, "id=" + id);
        PartnerClient.Reply partnerSearch = gw.client(POLICE).get("/admin/v1/referrals?id=" + id);
        PartnerClient.Reply partnerTimeline = gw.client(POLICE).get("/admin/v1/referrals/" + id);

        assertThat(ids(found)).containsExactly(id);
        for (PartnerClient.Reply refused : List.of(partnerSearch, partnerTimeline)) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(refused.body()).path("code").asText())
                    .isEqualTo("not_permitted");
        }
    }

    @Test
    void refusesBadParametersSayingWhatIsExpected() throws IOException {
        assertBadRequest(
                "state=lost",
                "state 'lost' is unknown (expected one of: held, routed, delivered, received, accepted, declined,"
                        + " completed, failed, expired, cancelled, withdrawn)");
        assertBadRequest(
                "from=01/09/2025",
                "'from' is neither a date nor an instant (expected: YYYY-MM-DD, such as 2025-09-01, or an ISO 8601"
                        + " instant, such as 2025-09-01T08:30:00Z)");
        assertBadRequest(
                "from=2025-09-02&to=2025-09-01",
                "the period from 2025-09-02T00:00:00Z to 2025-09-02T00:00:00Z is empty (expected: 'from' before"
                        + " 'to')");
        for (String id : List.of("3b5", "3b5z", "3b58c0e2-7d1a-4f4e-9a51-3c1d6f0b7a21ff")) {
            assertBadRequest(
                    "id=" + id,
                    "id is not the start of a referral id (expected: 4 to 32 hex digits, dashes ignored, such as"
                            + " 3b58 or 3b58c0e2-7d1a)");
        }
        assertBadRequest(
                "type=shelter", "referral type 'shelter' is unknown (expected one of: " + ReferralType.codes() + ")");
        assertBadRequest(
                "department=20",
                "department '20' is not valid (Corsica is 2A or 2B since 1976; expected 01-19, 2A, 2B, 21-95,"
                        + " 971-974 or 976)");
        assertBadRequest("limit=101", "query parameter 'limit' is not valid (expected: a whole number from 1 to 100)");
        assertBadRequest(
                "after=12",
                "'after' is not a referral id (expected: the 'next' of the previous page, a UUID such as"
                        + " 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21)");
        String unknown = UUID.randomUUID().toString();
        assertBadRequest(
                "after=" + unknown,
                "after: no referral " + unknown + " (expected: the id of the last referral of the previous page, as"
                        + " 'next' gave it)");
    }

    private static void assertBadRequest(String query, String detail) throws IOException {
        PartnerClient.Reply reply = admin.get("/admin/v1/referrals?" + query);
        answers.add(reply.text());
        assertThat(reply.status()).as(query + ": " + reply.text()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(Json.MAPPER.readTree(reply.body()).path("detail").asText()).isEqualTo(detail);
    }

    private static JsonNode search(PartnerClient client, String query) throws IOException {
        PartnerClient.Reply reply = client.get("/admin/v1/referrals?" + query);
        answers.add(reply.text());
        assertThat(reply.status()).as(query + ": " + reply.text()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    private static JsonNode timeline(PartnerClient client, String id) throws IOException {
        PartnerClient.Reply reply = client.get("/admin/v1/referrals/" + id);
        answers.add(reply.text());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    private static List<String> ids(JsonNode page) {
        return page.path("referrals").findValuesAsText("id");
    }

    private static String submit(String partner, String type) throws IOException {
        return submit(partner, gw.sample(type));
    }

    private static String submitShelterRequestIn974() throws IOException {
        String sample = new String(gw.sample("shelter.request"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"974\"");
        return submit(KAZ, sample.getBytes(StandardCharsets.UTF_8));
    }

    private static String submit(String partner, byte[] body) throws IOException {
        PartnerClient.Reply reply = gw.client(partner).post("/v1/referrals", body, "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static void receipt(String id, String body) {
        PartnerClient.Reply reply = gw.client(AMARANTE)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        body.getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    }
}
