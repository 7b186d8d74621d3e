package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The demo's housing act, after the silent SIAO of the escalation: the SIAO of Paris declines an immediate shelter
 * request for lack of places, and the State's housing service on duty (the DRIHL) and the police are told at once,
 * with the cause; then a request for a shelter away from the department also reaches the national Ac.Sé network,
 * which opens a copy without the person's family name or birth date. The person is the shipped sample's.
 */
final class HousingAct {
    static final String POLICE = "police-75-brp";
    static final String SIAO = "siao-75";
    static final String HOUSING = "housing-75-drihl";
    static final String ACSE = "association-acse-national";
    /** How long the deadline watch, which runs every second or so in the demo, may take to escalate. */
    private static final long NOTICE_WAIT_MILLIS = 15_000;

    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final DemoInbox inbox;
    private final DemoSender police;
    private int escalations;
    private int acse;

    HousingAct(
            Path config,
            Path pki,
            X509Certificate gatewaySigner,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report) {
        this.clients = clients;
        this.report = report;
        this.inbox = new DemoInbox(pki, gatewaySigner, clients, report, "housing");
        this.police = new DemoSender(POLICE, config, clients, report, "housing");
    }

    /** What the act did, for the demo's last line. */
    record Tally(int referrals, int escalations, int acse) {}

    Tally tally() {
        return new Tally(police.accepted(), escalations, acse);
    }

    void play() throws IOException {
        noPlace();
        awayFromTheDepartment();
    }

    /** The SIAO declines for lack of places: escalated at once to the housing service and the sender. */
    private void noPlace() throws IOException {
        long t = System.nanoTime();
        Optional<JsonNode> answer = police.submit(police.sample("shelter.request"));
        if (answer.isEmpty()) {
            return;
        }
        String id = answer.get().path("id").asText();
        boolean siaoHasIt = inbox.ids(SIAO).contains(id);
        PartnerClient.Reply declined = clients.apply(SIAO)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        "{\"status\": \"declined\", \"reason\": \"no-capacity\"}".getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());
        JsonNode duty = awaitEscalation(HOUSING, id);
        JsonNode sender = inbox.notice(POLICE, id, "escalated");
        report.step(
                "housing",
                String.format(
                        Locale.ROOT,
                        "%s declines immediate shelter request %s for lack of places (%d) → notice '%s' (cause %s)"
                                + " opened by %s (duty, the DRIHL) and %s (sender, cause %s), at once",
                        SIAO,
                        DemoInbox.shortId(id),
                        declined.status(),
                        duty.path("notice").asText("NONE"),
                        duty.path("cause").asText("NONE"),
                        HOUSING,
                        POLICE,
                        sender.path("cause").asText("NONE")),
                t);
        if (!siaoHasIt
                || declined.status() != 200
                || !"no-capacity".equals(duty.path("cause").asText())
                || !"no-capacity".equals(sender.path("cause").asText())) {
            report.fail("housing", "the decline for lack of places did not escalate to " + HOUSING + " and the sender");
            return;
        }
        escalations++;
    }

    /** Shelter away from the department: the SIAO and the national Ac.Sé network both receive it. */
    private void awayFromTheDepartment() throws IOException {
        long t = System.nanoTime();
        ObjectNode request = police.sample("shelter.request");
        ((ObjectNode) request.path("shelter")).withArray("constraints").add("away-from-department");
        ((ObjectNode) request.path("consent")).putArray("scope").add("siao").add("association");
        Optional<JsonNode> answer = police.submit(request);
        if (answer.isEmpty()) {
            return;
        }
        String id = answer.get().path("id").asText();
        List<String> to = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (JsonNode recipient : answer.get().path("recipients")) {
            to.add(recipient.path("partner").asText());
            recipient.path("routes").forEach(r -> routes.add(r.asText()));
        }
        JsonNode copy = inbox.copy(ACSE, id).path("referral");
        boolean minimised = copy.path("shelter").isObject()
                && !copy.path("subject").has("familyName")
                && !copy.path("subject").has("birthDate")
                && !copy.has("offence");
        report.step(
                "housing",
                String.format(
                        Locale.ROOT,
                        "%s asks shelter away from the department → %s (routes %s); %s opens its copy: %s",
                        POLICE,
                        String.join(", ", to),
                        String.join(", ", routes),
                        ACSE,
                        copy.isEmpty()
                                ? "NOTHING"
                                : minimised ? "no family name, birth date or offence" : "WITH FIELDS IT MUST NOT SEE"),
                t);
        if (!to.contains(SIAO) || !to.contains(ACSE) || !minimised) {
            report.fail("housing", "the request for shelter away from the department did not reach Ac.Sé, minimised");
            return;
        }
        acse++;
    }

    /** Polls a partner's inbox for the escalation notice about the referral, opened; empty after the wait. */
    private JsonNode awaitEscalation(String partner, String id) throws IOException {
        long deadline = System.currentTimeMillis() + NOTICE_WAIT_MILLIS;
        while (true) {
            JsonNode notice = inbox.notice(partner, id, "escalated");
            if (!notice.isEmpty() || System.currentTimeMillis() > deadline) {
                return notice;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return notice;
            }
        }
    }
}
