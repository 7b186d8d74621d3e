package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.Department;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The demo's fourth act, the safeguards the gateway enforces itself: the police orient a 16-year-old girl; the
 * gateway decides she is a minor from her birth date, keeps the adult exit-pathway association out and raises a
 * child-protection alert to the CRIP and the juvenile prosecutor of Paris, who open it. Then an adult's orientation
 * whose consent covers the association but not the SIAO reaches the association alone, the {@code 202} naming the
 * SIAO and why; and when she withdraws her consent, the association is told to delete its copy and the gateway's
 * own copy no longer opens. Every person is invented.
 */
final class SafeguardsAct {
    static final String POLICE = "police-75-brp";
    static final String ASSOCIATION = "association-75-amarante";
    static final String SIAO = "siao-75";
    static final String CRIP = "crip-75-paris";
    static final String PROSECUTOR = "prosecutor-75-mineurs";

    private final Path pki;
    private final X509Certificate gatewaySigner;
    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final DemoInbox inbox;
    private final DemoSender police;
    private int alerts;
    private int withheld;
    private int withdrawals;

    SafeguardsAct(
            Path config,
            Path pki,
            X509Certificate gatewaySigner,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report) {
        this.pki = pki;
        this.gatewaySigner = gatewaySigner;
        this.clients = clients;
        this.report = report;
        this.inbox = new DemoInbox(pki, gatewaySigner, clients, report, "protect");
        this.police = new DemoSender(POLICE, config, clients, report, "protect");
    }

    /** The invented identities this act sends, for the demo's search of the audit log and the database. */
    static Map<String, String> personal() {
        return Map.of(
                "minor givenName",
                "Ilinca-Maria",
                "minor familyName",
                "Vârlan",
                "adult givenName",
                "Oluwaseun",
                "adult familyName",
                "Adébáyọ̀");
    }

    int referrals() {
        return police.accepted();
    }

    int alerts() {
        return alerts;
    }

    int withheld() {
        return withheld;
    }

    int withdrawals() {
        return withdrawals;
    }

    void play() throws IOException {
        minor();
        Optional<String> adult = consentWithoutSiao();
        if (adult.isPresent()) {
            withdraw(adult.get());
        }
    }

    /** A minor's orientation: the alert reaches child protection, the adult association gets nothing. */
    private void minor() throws IOException {
        long t = System.nanoTime();
        LocalDate birth = LocalDate.now(Department.PARIS).minusYears(16).minusDays(40);
        ObjectNode orientation = police.sample("victim.orientation");
        ObjectNode subject = (ObjectNode) orientation.path("subject");
        subject.put("givenName", "Ilinca-Maria")
                .put("familyName", "Vârlan")
                .put("birthDate", birth.toString())
                .put("minor", true);
        subject.remove(List.of("alias", "nationality"));
        subject.putArray("languages").add("ro").add("fr");
        ObjectNode consent = (ObjectNode) orientation.path("consent");
        consent.putArray("scope").add("association").add("crip").add("prosecutor");
        Optional<JsonNode> answer = police.submit(orientation);
        if (answer.isEmpty()) {
            return;
        }
        String id = answer.get().path("id").asText();
        List<String> to = partners(answer.get().path("recipients"));
        boolean associationLeftOut = reasonOf(answer.get(), ASSOCIATION).equals("subject-minor");
        JsonNode atCrip = inbox.copy(CRIP, id);
        boolean cripOpened = atCrip.path("referral").path("reasons").toString().contains("minor-subject");
        boolean prosecutorHasIt = !inbox.copy(PROSECUTOR, id).isEmpty();
        boolean associationHasIt = inbox.ids(ASSOCIATION).contains(id);
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "%s orients a 16-year-old → the gateway decides she is a"
                                + " minor: %s %s for %s; %s left out (%s); the CRIP %s, the juvenile prosecutor %s, the association's"
                                + " inbox %s",
                        POLICE,
                        answer.get().path("type").asText(),
                        DemoInbox.shortId(id),
                        String.join(", ", to),
                        ASSOCIATION,
                        reasonOf(answer.get(), ASSOCIATION),
                        cripOpened ? "opened the alert" : "DID NOT open it",
                        prosecutorHasIt ? "opened it" : "DID NOT",
                        associationHasIt ? "HAS IT" : "has nothing of her"),
                t);
        if (!answer.get().path("type").asText().equals("child.protection.alert")
                || !to.contains(CRIP)
                || !to.contains(PROSECUTOR)
                || !associationLeftOut
                || !cripOpened
                || !prosecutorHasIt
                || associationHasIt) {
            report.fail(
                    "protect",
                    "the minor's orientation was not turned into a child-protection alert for the CRIP"
                            + " and the juvenile prosecutor only");
            return;
        }
        alerts++;
        withheld++;
    }

    /** An adult's orientation whose consent leaves the SIAO out: routed without it, the 202 says why. */
    private Optional<String> consentWithoutSiao() throws IOException {
        long t = System.nanoTime();
        ObjectNode orientation = police.sample("victim.orientation");
        ObjectNode subject = (ObjectNode) orientation.path("subject");
        subject.put("givenName", "Oluwaseun").put("familyName", "Adébáyọ̀").put("birthDate", "1998-05-17");
        subject.remove("alias");
        ((ObjectNode) orientation.path("consent")).putArray("scope").add("association");
        Optional<JsonNode> answer = police.submit(orientation);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        String id = answer.get().path("id").asText();
        String reason = reasonOf(answer.get(), SIAO);
        List<String> to = partners(answer.get().path("recipients"));
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "%s orients an adult who agrees to the association only →" + " %s to %s; %s left out: %s",
                        POLICE,
                        DemoInbox.shortId(id),
                        String.join(", ", to),
                        SIAO,
                        reason.isEmpty() ? "NOT SAID" : reason + " (" + detailOf(answer.get(), SIAO) + ")"),
                t);
        if (!reason.equals("consent-scope") || to.contains(SIAO) || !to.contains(ASSOCIATION)) {
            report.fail("protect", "the orientation reached the SIAO, or the 202 did not say why it was left out");
            return Optional.empty();
        }
        withheld++;
        return Optional.of(id);
    }

    /** The adult withdraws her consent: the association is told to delete its copy; the gateway's no longer opens. */
    private void withdraw(String id) throws IOException {
        long t = System.nanoTime();
        boolean associationOpened = !inbox.copy(ASSOCIATION, id).isEmpty();
        ObjectNode withdrawal = police.sample("consent.withdrawn");
        withdrawal.put("referralId", id);
        // The formatter writes the seconds even when they are 0 (toString would drop them: not RFC 3339).
        withdrawal.put(
                "withdrawnAt",
                java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        java.time.OffsetDateTime.now(Department.PARIS).withNano(0)));
        Optional<JsonNode> answer = police.submit(withdrawal);
        if (answer.isEmpty()) {
            return;
        }
        JsonNode notice = inbox.notice(ASSOCIATION, id, "consent-withdrawn");
        boolean copyGone = !inbox.ids(ASSOCIATION).contains(id);
        JsonNode status = Json.MAPPER.readTree(
                clients.apply(POLICE).get("/v1/referrals/" + id).body());
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "the person withdraws her consent: %s sends"
                                + " consent.withdrawn → %s; %s, which %s its copy, is told to delete it (notice %s); the gateway's"
                                + " copy %s; status %s",
                        POLICE,
                        answer.get().path("status").asText(),
                        ASSOCIATION,
                        associationOpened ? "had opened" : "HAD NOT opened",
                        notice.path("notice").asText("NOTHING"),
                        copyGone ? "no longer opens" : "STILL OPENS",
                        status.path("status").asText()),
                t);
        if (!associationOpened
                || !"consent-withdrawn".equals(notice.path("notice").asText())
                || !copyGone
                || !"withdrawn".equals(status.path("status").asText())) {
            report.fail("protect", "the withdrawal did not reach the association, or the gateway's copy still opens");
            return;
        }
        withdrawals++;
    }

    private static List<String> partners(JsonNode recipients) {
        List<String> partners = new ArrayList<>();
        recipients.forEach(r -> partners.add(r.path("partner").asText()));
        return partners;
    }

    private static String reasonOf(JsonNode answer, String partner) {
        for (JsonNode left : answer.path("withheld")) {
            if (partner.equals(left.path("partner").asText())) {
                return left.path("reason").asText();
            }
        }
        return "";
    }

    private static String detailOf(JsonNode answer, String partner) {
        for (JsonNode left : answer.path("withheld")) {
            if (partner.equals(left.path("partner").asText())) {
                return left.path("detail").asText();
            }
        }
        return "";
    }
}
