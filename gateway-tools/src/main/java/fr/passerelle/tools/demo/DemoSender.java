package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One partner submitting the canonical documents of a demo act, built from the shipped samples: each accepted
 * submission is counted, each refusal reported as a failure of the act's phase.
 */
record DemoSender(
        String sender,
        Path config,
        Function<String, PartnerClient> clients,
        PartnerSystemsAct.Report report,
        String phase,
        AtomicInteger counter) {

    DemoSender(
            String sender,
            Path config,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report,
            String phase) {
        this(sender, config, clients, report, phase, new AtomicInteger());
    }

    /** The gateway's {@code 202} answer; empty, with the act's failure reported, on any other status. */
    Optional<JsonNode> submit(ObjectNode document) throws IOException {
        PartnerClient.Reply reply = clients.apply(sender)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
        if (reply.status() != 202) {
            report.fail(
                    phase,
                    document.path("type").asText() + " from " + sender + " answered " + reply.status() + ": "
                            + new String(reply.body(), StandardCharsets.UTF_8));
            return Optional.empty();
        }
        counter.incrementAndGet();
        return Optional.of(Json.MAPPER.readTree(reply.body()));
    }

    /** The shipped sample of {@code type}, to edit before submitting it. */
    ObjectNode sample(String type) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(config.resolve("samples").resolve(type + ".json")));
    }

    /** How many submissions the gateway accepted. */
    int accepted() {
        return counter.get();
    }
}
