package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of a full exchange, refusals included, at DEBUG, and proves that none of the samples'
 * personal data appears in it.
 */
class NoPersonalDataInLogsIT {
    private static final Set<String> PERSONAL_KEYS = Set.of(
            "givenName",
            "familyName",
            "alias",
            "birthDate",
            "phone",
            "email",
            "address",
            "safeTimes",
            "notes",
            "narrative",
            "summary",
            "receiptNumber",
            "reference");

    @Test
    void logsNoneOfTheSamplesPersonalDataDuringAFullExchange() throws IOException {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("fr.passerelle");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        Level previous = ours.getLevel();
        ours.setLevel(Level.DEBUG);
        Set<String> personal = new TreeSet<>();
        try (TestGateway gw = TestGateway.start(Map.of())) {
            for (ReferralType type : ReferralType.values()) {
                if (type == ReferralType.REFERRAL_RECEIPT) {
                    continue;
                }
                JsonNode sample = Json.MAPPER.readTree(gw.sample(type.code()));
                collect(sample, personal);
                Partner from = gw.gateway.deployment().sortedPartners().stream()
                        .filter(p ->
                                p.maySend().contains(type) && p.inboundAdapter().equals("canonical-json"))
                        .findFirst()
                        .orElseThrow();
                String sender = from.id().value();
                // A removal objective or a closure comes from a prefecture of its department: the sample is moved
                // to one the sender serves, so that it is delivered and its delivery logged too.
                ObjectNode document = (ObjectNode) sample.deepCopy();
                if (!from.serves(Department.of(sample.path("department").asText()))) {
                    document.put(
                            "department",
                            from.departments().stream()
                                    .sorted()
                                    .findFirst()
                                    .orElseThrow()
                                    .code());
                }
                PartnerClient client = gw.client(sender);
                List<String> recipients = new ArrayList<>();
                PartnerClient.Reply reply = client.post(
                        "/v1/referrals",
                        Json.MAPPER.writeValueAsBytes(document),
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                Json.MAPPER
                        .readTree(reply.body())
                        .path("recipients")
                        .forEach(r -> recipients.add(r.path("partner").asText()));
                for (String recipient : recipients) {
                    JsonNode page = Json.MAPPER.readTree(
                            gw.client(recipient).get("/v1/inbox?limit=100").body());
                    for (JsonNode item : page.path("items")) {
                        gw.client(recipient)
                                .post(
                                        "/v1/referrals/"
                                                + item.path("referralId").asText() + "/receipts",
                                        "{\"status\":\"received\"}".getBytes(StandardCharsets.UTF_8),
                                        "application/json",
                                        Map.of());
                    }
                }
                // A refused variant: the personal values sit in fields that break the schema.
                ObjectNode broken = (ObjectNode) sample.deepCopy();
                broken.put("unexpected", "x");
                if (broken.path("subject").isObject()) {
                    ((ObjectNode) broken.path("subject")).put("birthDate", "1990-13-45");
                    ((ObjectNode) broken.path("subject"))
                            .put("sex", sample.path("subject").path("givenName").asText());
                }
                client.post("/v1/referrals", Json.MAPPER.writeValueAsBytes(broken), "application/json", Map.of());
            }
            personal.add("1990-13-45");
            // La Réunion's police in its XML: rendered for a mail recipient and for the SIAO's push, whose relay
            // and endpoint do not exist (the delivery worker logs its retries), then a broken document.
            PartnerClient police = gw.client("police-974-sdpj");
            for (String type : List.of("victim.orientation", "shelter.request")) {
                String xml = Files.readString(gw.config.resolve("samples/police-xml/" + type + ".xml"))
                        .replace("<departement>75</departement>", "<departement>974</departement>");
                PartnerClient.Reply accepted =
                        police.post("/v1/referrals", xml.getBytes(StandardCharsets.UTF_8), "application/xml", Map.of());
                assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
                police.post(
                        "/v1/referrals",
                        xml.replace("<mineur>false</mineur>", "<mineur>peut-être</mineur>")
                                .replace("</prenom>", "</prenom><inconnu>x</inconnu>")
                                .getBytes(StandardCharsets.UTF_8),
                        "application/xml",
                        Map.of());
            }
            awaitLogLine(captured, "Delivery of referral ");
        } finally {
            root.detachAppender(captured);
            ours.setLevel(previous);
        }

        StringBuilder all = new StringBuilder();
        for (ILoggingEvent event : captured.list) {
            all.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                all.append(ThrowableProxyUtil.asString(event.getThrowableProxy()))
                        .append('\n');
            }
        }

        assertThat(captured.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anyMatch(m -> m.startsWith("Accepted referral "))
                .anyMatch(m -> m.startsWith("Delivery of referral "));
        assertThat(personal).hasSizeGreaterThan(5);
        for (String value : personal) {
            assertThat(all.toString())
                    .as("the logs hold a personal value of the samples")
                    .doesNotContain(value);
        }
    }

    /** Waits for the delivery worker's first attempts to be logged, so that the check covers them too. */
    private static void awaitLogLine(ListAppender<ILoggingEvent> captured, String prefix) {
        await("a log line starting with '" + prefix + "'")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> List.copyOf(captured.list).stream()
                        .anyMatch(e -> e.getFormattedMessage().startsWith(prefix)));
    }

    private static void collect(JsonNode node, Set<String> into) {
        node.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual()
                    && PERSONAL_KEYS.contains(field.getKey())
                    && value.asText().length() >= 4) {
                into.add(value.asText());
            } else if (value.isContainerNode()) {
                collect(value, into);
            }
        });
        if (node.isArray()) {
            node.forEach(element -> collect(element, into));
        }
    }
}
