package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The demo's exit-pathway act (CASF L.121-9, CESEDA L.425-4), with the shipped configuration: the approved
 * association applies to the commission with the signed commitments and the sworn statement attached; the
 * secretariat (the préfet de Paris's social-cohesion services) pulls the application and sends the commission's
 * favourable opinion, then the prefect's decision for six months with an APS and the AFIS, which the foreigners'
 * department and the CAF receive, each its own copy; the protection register then holds a removal objective about
 * the person. The association applies for the renewal naming the decision; opinion, then renewal for months 7 to 12.
 * A renewal that would run past 24 months is refused by the gateway, naming the rule. Every person is invented.
 */
final class ExitPathwayAct {
    static final String ASSOCIATION = "association-75-amarante";
    static final String SECRETARIAT = "cohesion-75-prefet-paris";
    static final String PREFECTURE = "prefecture-75";
    static final String CAF = "caf-75";
    private static final String PHASE = "exit";

    private final Path config;
    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final DemoInbox inbox;
    private final AtomicInteger referrals = new AtomicInteger();
    private int decisions;
    private int refusals;

    ExitPathwayAct(
            Path config,
            Path pki,
            X509Certificate gatewaySigner,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report) {
        this.config = config;
        this.clients = clients;
        this.report = report;
        this.inbox = new DemoInbox(pki, gatewaySigner, clients, report, PHASE);
    }

    /** The types this act sends, which the every-type loop leaves to it. */
    static boolean plays(ReferralType type) {
        return type == ReferralType.EXIT_PATHWAY_APPLICATION
                || type == ReferralType.EXIT_PATHWAY_OPINION
                || type == ReferralType.EXIT_PATHWAY_DECISION;
    }

    /** The invented identity this act sends, for the demo's search of the audit log and the database. */
    static Map<String, String> personal() {
        return Map.of(
                "exit-pathway givenName", "Bénédicte-Ama",
                "exit-pathway familyName", "Owusu-Dartey",
                "exit-pathway birthDate", "1997-08-21");
    }

    int referrals() {
        return referrals.get();
    }

    /** The prefect's decisions that opened a term: the first, then its renewal. */
    int decisions() {
        return decisions;
    }

    /** Submissions the gateway refused as the act expected, naming the rule. */
    int refusals() {
        return refusals;
    }

    void play() throws IOException {
        LocalDate start = LocalDate.now(Department.PARIS);
        long t = System.nanoTime();
        Optional<String> application = submit(ASSOCIATION, application(Optional.empty()));
        if (application.isEmpty()) {
            return;
        }
        JsonNode received = inbox.copy(SECRETARIAT, application.get()).path("referral");
        List<String> attached = new ArrayList<>();
        received.path("attachments")
                .forEach(a -> attached.add(a.path("fileName").asText()));
        JsonNode apsCopy = inbox.copy(PREFECTURE, application.get()).path("referral");
        boolean minimal = apsCopy.path("requests").path("aps").asBoolean(false)
                && !apsCopy.has("attachments")
                && !apsCopy.has("presentation");
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s applies for an exit pathway (%s) → %s pulls it with %s; %s gets a minimal copy for the"
                                + " APS: %s",
                        ASSOCIATION,
                        DemoInbox.shortId(application.get()),
                        SECRETARIAT,
                        attached.isEmpty() ? "NO ATTACHMENT" : String.join(" and ", attached),
                        PREFECTURE,
                        minimal
                                ? "identity, nationality, the APS asked; no presentation, no attachment"
                                : "NOT minimal"),
                t);
        if (attached.size() != 2 || !minimal) {
            report.fail(PHASE, "the secretariat's copy lacks its attachments, or the prefecture's copy is not minimal");
        }

        LocalDate firstEnd = start.plusMonths(6).minusDays(1);
        Optional<String> granted = answer(application.get(), "granted", start, firstEnd, "first");
        if (granted.isEmpty()) {
            return;
        }

        t = System.nanoTime();
        ObjectNode removal = document("removal.objective");
        // The shipped sample is La Réunion's prefecture's; this one is Paris's, for a person of Paris.
        removal.put("department", "75");
        removal.putObject("reflectionPeriod").put("running", false);
        JsonNode held = post(PREFECTURE, removal).orElseGet(Json.MAPPER::createObjectNode);
        boolean protectedByPathway = held.path("hold").path("reason").asText().equals("protected:exit-pathway");
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s then sends a removal objective about her → %s (%s): the register records the APS",
                        PREFECTURE,
                        held.path("status").asText(),
                        held.path("hold").path("reason").asText()),
                t);
        if (!protectedByPathway) {
            report.fail(PHASE, "the removal objective about a person with an exit-pathway APS was not held");
        }

        t = System.nanoTime();
        Optional<String> renewal = submit(ASSOCIATION, application(granted));
        if (renewal.isEmpty()) {
            return;
        }
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s applies for the renewal (%s), naming the decision %s",
                        ASSOCIATION,
                        DemoInbox.shortId(renewal.get()),
                        DemoInbox.shortId(granted.get())),
                t);

        t = System.nanoTime();
        ObjectNode beyond = decision(
                renewal.get(),
                "renewed",
                start.plusMonths(21),
                start.plusMonths(27).minusDays(1));
        PartnerClient.Reply refused = clients.apply(SECRETARIAT)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(beyond), "application/json", Map.of());
        JsonNode problem = Json.MAPPER.readTree(refused.body());
        String rule = problem.path("detail").asText();
        boolean asExpected = refused.status() == 422
                && problem.path("code").asText().equals("rule_violation")
                && rule.startsWith("exit-pathway longer than 24 months");
        if (asExpected) {
            refusals++;
        } else {
            report.fail(PHASE, "a renewal past 24 months answered " + refused.status() + ": " + rule);
        }
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s tries a renewal for months 22 to 27 → %d %s: %s",
                        SECRETARIAT,
                        refused.status(),
                        problem.path("code").asText(),
                        rule.length() > 90 ? rule.substring(0, 90) + "…" : rule),
                t);

        LocalDate second = firstEnd.plusDays(1);
        answer(renewal.get(), "renewed", second, second.plusMonths(6).minusDays(1), "renewal");
    }

    /**
     * The secretariat pulls the application, sends the commission's favourable opinion and the prefect's decision;
     * the association, the foreigners' department and the CAF receive what each needs.
     */
    private Optional<String> answer(String application, String outcome, LocalDate from, LocalDate until, String what)
            throws IOException {
        long t = System.nanoTime();
        // The secretariat acknowledges the application within the deadline of routes.yaml (15 days).
        PartnerClient.Reply acknowledged = clients.apply(SECRETARIAT)
                .post(
                        "/v1/referrals/" + application + "/receipts",
                        "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());
        if (acknowledged.status() != 200 && acknowledged.status() != 202) {
            report.fail(PHASE, "the secretariat's receipt answered " + acknowledged.status());
        }
        ObjectNode opinion = document("exit.pathway.opinion");
        opinion.put("requestReferralId", application);
        ((ObjectNode) opinion.path("opinion"))
                .put("sessionOn", from.minusDays(7).toString());
        Optional<String> favourable = submit(SECRETARIAT, opinion);
        Optional<String> decided = favourable.isEmpty()
                ? Optional.empty()
                : submit(SECRETARIAT, decision(application, outcome, from, until));
        if (decided.isEmpty()) {
            return decided;
        }
        decisions++;
        boolean opinionReceived = inbox.ids(ASSOCIATION).contains(favourable.get());
        JsonNode toAssociation = inbox.copy(ASSOCIATION, decided.get()).path("referral");
        JsonNode toPrefecture = inbox.copy(PREFECTURE, decided.get()).path("referral");
        JsonNode toCaf = inbox.copy(CAF, decided.get()).path("referral");
        boolean each = toAssociation.has("term")
                && toPrefecture.has("aps")
                && !toPrefecture.has("afis")
                && toCaf.has("afis")
                && !toCaf.has("aps");
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s accepts the application, sends the commission's favourable opinion (%s) and the %s"
                                + " decision, %s, %s to %s (%s): %s",
                        SECRETARIAT,
                        opinionReceived ? "opened by the association" : "NOT received",
                        what,
                        outcome,
                        from,
                        until,
                        DemoInbox.shortId(decided.get()),
                        each
                                ? "the association, " + PREFECTURE + " (APS, no AFIS) and " + CAF
                                        + " (AFIS, no APS) each opened its copy"
                                : "NOT delivered as routed"),
                t);
        if (!opinionReceived || !each) {
            report.fail(PHASE, "the " + what + " decision or its opinion did not reach each recipient as routed");
        }
        return decided;
    }

    private ObjectNode application(Optional<String> renews) throws IOException {
        ObjectNode application = document("exit.pathway.application");
        renews.ifPresent(decision ->
                application.putObject("application").put("kind", "renewal").put("renewsDecisionId", decision));
        return application;
    }

    private ObjectNode decision(String application, String outcome, LocalDate from, LocalDate until)
            throws IOException {
        ObjectNode decision = document("exit.pathway.decision");
        decision.put("requestReferralId", application);
        ((ObjectNode) decision.path("decision"))
                .put("outcome", outcome)
                .put("decidedOn", from.minusDays(3).toString());
        decision.putObject("term").put("from", from.toString()).put("until", until.toString());
        decision.putObject("aps")
                .put("action", outcome.equals("granted") ? "issue" : "renew")
                .put("validFrom", from.toString())
                .put("validUntil", until.toString());
        decision.putObject("afis").put("action", outcome.equals("granted") ? "open" : "continue");
        return decision;
    }

    private Optional<String> submit(String partner, ObjectNode document) throws IOException {
        return post(partner, document).map(answer -> answer.path("id").asText());
    }

    private Optional<JsonNode> post(String partner, ObjectNode document) throws IOException {
        return new DemoSender(partner, config, clients, report, PHASE, referrals).submit(document);
    }

    /** The shipped sample of {@code type}, about the act's invented person. */
    private ObjectNode document(String type) throws IOException {
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(config.resolve("samples").resolve(type + ".json")));
        ObjectNode subject = (ObjectNode) document.path("subject");
        subject.remove(List.of("givenName", "familyName", "alias", "birthDate", "estimatedAge", "nationality"));
        subject.put("givenName", "Bénédicte-Ama")
                .put("familyName", "Owusu-Dartey")
                .put("birthDate", "1997-08-21")
                .put("nationality", "GH");
        return document;
    }
}
