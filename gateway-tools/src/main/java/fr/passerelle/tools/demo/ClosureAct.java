package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The demo's closure chain through the CODAF, in Paris (Labour Code L.8272-1, -2, -4): the labour inspection reports
 * illegal work in a massage parlour to the préfet de police's cabinet and the prosecutor; the police propose a
 * closure; the gateway refuses an order of four months itself (L.8272-2: three at most) and a SIRET whose check
 * digit fails; the prefect's order of two months reaches the CODAF's members and the CODAF's prosecutor, not the
 * juvenile section, each member learning no more of the operator than it needs; the alert to public funders
 * follows. The operator, a sole trader, is invented.
 */
final class ClosureAct {
    static final String LABOUR = "labour-75-drieets";
    static final String POLICE = "police-75-brp";
    static final String CABINET = "security-75-prefecture-police";
    static final String PROSECUTOR = "prosecutor-75-parquet";
    static final String JUVENILE = "prosecutor-75-mineurs";
    static final String TAX = "tax-75-dgfip";
    static final String FUNDER = "funder-75-region-idf";
    static final String EMPLOYMENT = "employment-75-france-travail";
    /** The types this act plays, which the demo's every-type round leaves to it. */
    static final Set<ReferralType> TYPES = EnumSet.of(
            ReferralType.ILLEGAL_WORK_REPORT,
            ReferralType.CLOSURE_PROPOSAL,
            ReferralType.ADMINISTRATIVE_CLOSURE,
            ReferralType.PUBLIC_FUNDING_ALERT);
    /** Who must receive the order in Paris: the services that enforce it, the other CODAF members, the prosecutor. */
    static final List<String> CODAF =
            List.of(POLICE, LABOUR, "urssaf-75-lcti", TAX, "customs-75", "cpam-75", EMPLOYMENT, PROSECUTOR);

    private static final String GIVEN_NAME = "Mei-Lan";
    private static final String FAMILY_NAME = "Vasseur-Tranh";
    private static final String PHASE = "closure";

    private final Path config;
    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final DemoInbox inbox;
    private final AtomicInteger referrals = new AtomicInteger();
    private int refusals;

    ClosureAct(
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

    /** The invented operator, for the demo's search of the audit log and the database. */
    static Map<String, String> personal() {
        return Map.of("operator givenName", GIVEN_NAME, "operator familyName", FAMILY_NAME);
    }

    int referrals() {
        return referrals.get();
    }

    int refusals() {
        return refusals;
    }

    void play() throws IOException {
        Optional<String> reportId = illegalWork();
        Optional<String> proposal = reportId.flatMap(this::proposal);
        refusedByTheGateway();
        Optional<String> order = proposal.flatMap(this::order);
        order.ifPresent(this::fundingAlert);
    }

    /** The labour inspection's report of illegal work: the cabinet and the CODAF's prosecutor, never the juvenile one. */
    private Optional<String> illegalWork() throws IOException {
        long t = System.nanoTime();
        ObjectNode document = withOperator(sample("illegal.work.report"));
        Optional<JsonNode> answer = submit(LABOUR, document);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        String id = answer.get().path("id").asText();
        List<String> to = partners(answer.get());
        JsonNode atCabinet = inbox.copy(CABINET, id).path("referral");
        boolean opened = atCabinet.path("officialReport").has("reference");
        report.step(
                PHASE,
                String.format(
                        Locale.ROOT,
                        "%s reports illegal work (L.8271-8) → %s %s to %s; the cabinet %s",
                        LABOUR,
                        answer.get().path("type").asText(),
                        DemoInbox.shortId(id),
                        String.join(", ", to),
                        opened ? "opened the report" : "DID NOT open it"),
                t);
        if (!to.contains(CABINET) || !to.contains(PROSECUTOR) || to.contains(JUVENILE) || !opened) {
            report.fail(PHASE, "the report of illegal work did not reach the cabinet and the CODAF's prosecutor only");
            return Optional.empty();
        }
        return Optional.of(id);
    }

    /** The police's proposal of closure, to the cabinet. */
    private Optional<String> proposal(String reportId) {
        try {
            long t = System.nanoTime();
            ObjectNode document = withOperator(sample("closure.proposal"));
            document.put("sourceReferralId", reportId);
            Optional<JsonNode> answer = submit(POLICE, document);
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            String id = answer.get().path("id").asText();
            List<String> to = partners(answer.get());
            report.step(
                    PHASE,
                    String.format(
                            Locale.ROOT,
                            "%s proposes a closure of %d months (L.8272-2) → %s %s to %s",
                            POLICE,
                            document.at("/action/proposedDuration/months").asInt(),
                            answer.get().path("type").asText(),
                            DemoInbox.shortId(id),
                            String.join(", ", to)),
                    t);
            if (!to.equals(List.of(CABINET))) {
                report.fail(PHASE, "the proposal of closure did not reach the cabinet alone");
                return Optional.empty();
            }
            return Optional.of(id);
        } catch (IOException e) {
            report.fail(PHASE, "the proposal could not be sent (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    /** Two orders the gateway refuses itself, each naming its rule: four months of closure, a wrong SIRET. */
    private void refusedByTheGateway() throws IOException {
        long t = System.nanoTime();
        ObjectNode tooLong = withOperator(sample("administrative.closure"));
        ((ObjectNode) tooLong.at("/action/orderedDuration")).put("months", 4);
        ObjectNode badSiret = withOperator(sample("administrative.closure"));
        ((ObjectNode) badSiret.get("establishment")).put("siret", "99900001000011");
        for (ObjectNode refused : List.of(tooLong, badSiret)) {
            PartnerClient.Reply reply = post(CABINET, refused);
            JsonNode problem = Json.MAPPER.readTree(reply.body());
            String detail = problem.path("detail").asText();
            report.step(
                    PHASE,
                    String.format(
                            Locale.ROOT,
                            "%s orders a closure %s → %d %s: %s",
                            CABINET,
                            refused == tooLong ? "of 4 months" : "with a wrong SIRET",
                            reply.status(),
                            problem.path("code").asText(),
                            detail),
                    t);
            boolean named = refused == tooLong
                    ? detail.contains("Labour Code L.8272-2")
                    : detail.startsWith("establishment.siret fails its check digit");
            if (reply.status() != 422 || !named || detail.contains("99900001000011")) {
                report.fail(PHASE, "the gateway did not refuse the order naming its rule");
                continue;
            }
            refusals++;
        }
    }

    /** The prefect's order: the CODAF's members and its prosecutor, each with what it needs of the operator. */
    private Optional<String> order(String proposalId) {
        try {
            long t = System.nanoTime();
            ObjectNode document = withOperator(sample("administrative.closure"));
            document.put("sourceReferralId", proposalId);
            Optional<JsonNode> answer = submit(CABINET, document);
            if (answer.isEmpty()) {
                return Optional.empty();
            }
            String id = answer.get().path("id").asText();
            List<String> to = partners(answer.get());
            List<String> unreached = new ArrayList<>();
            answer.get()
                    .path("unreached")
                    .forEach(u -> unreached.add(u.path("participant").asText()));
            JsonNode atProsecutor = inbox.copy(PROSECUTOR, id).path("referral");
            JsonNode atTax = inbox.copy(TAX, id).path("referral");
            boolean prosecutorKnowsOperator =
                    FAMILY_NAME.equals(atProsecutor.at("/operator/familyName").asText());
            boolean taxSeesNoName = atTax.path("operator").has("name")
                    && !atTax.path("operator").has("familyName");
            report.step(
                    PHASE,
                    String.format(
                            Locale.ROOT,
                            "%s orders the closure (%s, %d months, order %s notified %s) → %s %s to %s%s;"
                                    + " the CODAF's prosecutor %s, %s",
                            CABINET,
                            document.at("/action/legalBasis").asText(),
                            document.at("/action/orderedDuration/months").asInt(),
                            document.at("/order/reference").asText(),
                            document.at("/order/notifiedOn").asText(),
                            answer.get().path("type").asText(),
                            DemoInbox.shortId(id),
                            String.join(", ", to),
                            unreached.isEmpty() ? "" : "; listed but reaching nobody: " + String.join(", ", unreached),
                            prosecutorKnowsOperator ? "opened it" : "DID NOT open it",
                            taxSeesNoName
                                    ? TAX + " sees the operator's business name only"
                                    : TAX + " SEES THE OPERATOR'S NAMES"),
                    t);
            if (!to.containsAll(CODAF) || to.contains(JUVENILE) || !prosecutorKnowsOperator || !taxSeesNoName) {
                report.fail(PHASE, "the order did not reach the CODAF's members and prosecutor, minimised");
                return Optional.empty();
            }
            return Optional.of(id);
        } catch (IOException e) {
            report.fail(PHASE, "the order could not be sent (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    /** The alert to public funders (L.8272-1): the funders find the employer by its SIRET, never by a name. */
    private void fundingAlert(String orderId) {
        try {
            long t = System.nanoTime();
            ObjectNode document = withOperator(sample("public.funding.alert"));
            document.put("sourceReferralId", orderId);
            Optional<JsonNode> answer = submit(CABINET, document);
            if (answer.isEmpty()) {
                return;
            }
            String id = answer.get().path("id").asText();
            List<String> to = partners(answer.get());
            JsonNode atFunder = inbox.copy(FUNDER, id).path("referral");
            boolean bySiret = atFunder.at("/establishment/siret").isTextual()
                    && !atFunder.path("operator").has("familyName")
                    && !atFunder.path("establishment").has("address");
            report.step(
                    PHASE,
                    String.format(
                            Locale.ROOT,
                            "%s alerts the public funders (L.8272-1: %s) → %s %s to %s; %s",
                            CABINET,
                            String.join(" + ", texts(document.at("/aid/measures"))),
                            answer.get().path("type").asText(),
                            DemoInbox.shortId(id),
                            String.join(", ", to),
                            bySiret
                                    ? FUNDER + " finds the employer by its SIRET, with no one's name"
                                    : FUNDER + " DID NOT open it minimised"),
                    t);
            if (!to.contains(FUNDER) || !to.contains(EMPLOYMENT) || !bySiret) {
                report.fail(PHASE, "the funding alert did not reach the funders, minimised");
            }
        } catch (IOException e) {
            report.fail(
                    PHASE,
                    "the funding alert could not be sent (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A sole trader runs the parlour: her names are personal data, which most recipients never see. */
    private static ObjectNode withOperator(ObjectNode document) {
        document.putObject("operator")
                .put("kind", "natural-person")
                .put("name", "Salon Lotus (fictif)")
                .put("givenName", GIVEN_NAME)
                .put("familyName", FAMILY_NAME);
        return document;
    }

    private Optional<JsonNode> submit(String sender, ObjectNode document) throws IOException {
        return new DemoSender(sender, config, clients, report, PHASE, referrals).submit(document);
    }

    private PartnerClient.Reply post(String sender, ObjectNode document) throws IOException {
        return clients.apply(sender)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
    }

    private ObjectNode sample(String type) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(config.resolve("samples").resolve(type + ".json")));
    }

    private static List<String> partners(JsonNode answer) {
        return texts(answer.path("recipients"), "partner");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.path(field).asText()));
        return texts;
    }
}
