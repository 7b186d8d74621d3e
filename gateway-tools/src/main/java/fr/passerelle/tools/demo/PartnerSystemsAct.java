package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The demo's second act, in La Réunion, where partners keep their own systems: the police submits in its
 * procedure system's XML; the SIAO gets its shelter request pushed to its HTTPS endpoint in its own JSON and
 * answers in it; the prefecture pulls its system's XML (with the first act's pulls); the association, which has no system, gets a secure mail
 * and answers with its links; the difficulty reports reach the national partners by secure mail.
 */
final class PartnerSystemsAct {
    static final String POLICE = "police-974-sdpj";
    static final String SIAO = "siao-974";
    static final String PREFECTURE = "prefecture-974";
    static final String ASSOCIATION = "association-974-kaz-lespwa";
    private static final List<String> TYPES =
            List.of("victim.orientation", "shelter.request", "residence.permit.support");
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Where the act reports its steps. */
    interface Report {
        void step(String phase, String what, long startNanos);

        void fail(String phase, String what);
    }

    private final Path work;
    private final Path config;
    private final Path pki;
    private final boolean kept;
    private final X509Certificate gatewaySigner;
    private final Deployment deployment;
    private final Function<String, PartnerClient> clients;
    private final Report report;
    private final List<String[]> sent = new ArrayList<>();
    /** Keys of this run: a database kept from an earlier run must not replay its referrals. */
    private final String run = Long.toString(System.nanoTime(), 36);

    private int mails;
    private int pushes;
    private int receipts;

    PartnerSystemsAct(
            Path work,
            Path config,
            Path pki,
            boolean kept,
            X509Certificate gatewaySigner,
            Deployment deployment,
            Function<String, PartnerClient> clients,
            Report report) {
        this.work = work;
        this.config = config;
        this.pki = pki;
        this.kept = kept;
        this.gatewaySigner = gatewaySigner;
        this.deployment = deployment;
        this.clients = clients;
        this.report = report;
    }

    int referrals() {
        return sent.size();
    }

    int mails() {
        return mails;
    }

    int pushes() {
        return pushes;
    }

    int receipts() {
        return receipts;
    }

    /** The police submits three referrals in its XML; prints which adapter and transport carry each copy. */
    void submit() throws IOException {
        for (String type : TYPES) {
            long t = System.nanoTime();
            String xml = Files.readString(config.resolve("samples/police-xml/" + type + ".xml"))
                    .replace("<departement>75</departement>", "<departement>974</departement>");
            PartnerClient.Reply reply = clients.apply(POLICE)
                    .post(
                            "/v1/referrals",
                            xml.getBytes(StandardCharsets.UTF_8),
                            "application/xml",
                            Map.of("Idempotency-Key", "demo-974-" + type + "-" + run));
            if (reply.status() != 202) {
                report.fail(
                        "submit",
                        type + " in police-xml from " + POLICE + " answered " + reply.status() + ": " + reply.text());
                continue;
            }
            JsonNode answer = Json.MAPPER.readTree(reply.body());
            List<String> carried = new ArrayList<>();
            for (JsonNode recipient : answer.path("recipients")) {
                Partner partner = partner(recipient.path("partner").asText());
                carried.add(partner.id() + " (" + partner.outboundAdapter() + ", " + transport(partner) + ")");
            }
            sent.add(new String[] {type, answer.path("id").asText()});
            report.step(
                    "submit",
                    String.format(Locale.ROOT, "%-26s %s in police-xml → %s", type, POLICE, String.join(", ", carried)),
                    t);
        }
    }

    /**
     * The SIAO's endpoint was down when its shelter request came (503), then back: the gateway tried again with
     * the same delivery id; the SIAO opens it, reads its own JSON and answers in it.
     */
    void siao(SimulatedEndpoint endpoint) throws IOException, InterruptedException {
        long t = System.nanoTime();
        List<SimulatedEndpoint.Received> received = endpoint.await(1, WAIT);
        List<SimulatedEndpoint.Received> delivered =
                received.stream().filter(r -> r.answered() == 200).toList();
        if (delivered.isEmpty()) {
            report.fail("push", SIAO + "'s endpoint received nothing within " + WAIT.toSeconds() + " s");
            return;
        }
        SimulatedEndpoint.Received delivery = delivered.get(0);
        List<SimulatedEndpoint.Received> refused =
                received.stream().filter(r -> r.answered() != 200).toList();
        if (refused.isEmpty() || !refused.stream().allMatch(r -> r.deliveryId().equals(delivery.deliveryId()))) {
            report.fail("push", SIAO + "'s endpoint was down, but the gateway did not try the same delivery again");
            return;
        }
        pushes++;
        report.step(
                "push",
                String.format(
                        Locale.ROOT,
                        "%-32s endpoint down: %d attempt(s) answered 503, then back:"
                                + " delivered at attempt %s, same delivery id %s",
                        SIAO,
                        refused.size(),
                        delivery.attempt(),
                        delivery.deliveryId()),
                t);
        t = System.nanoTime();
        keep(SIAO, delivery.deliveryId() + "-shelter.request.p7m", delivery.body());
        JsonNode document;
        try {
            document = Json.MAPPER.readTree(CmsOpener.open(
                            delivery.body(),
                            PemFiles.readCertifiedKey(partnerFile(SIAO, ".pem"), partnerFile(SIAO, "-key.pem")),
                            gatewaySigner)
                    .content());
        } catch (GatewayException e) {
            report.fail("push", SIAO + " cannot open what was pushed: " + e.getMessage());
            return;
        }
        if (!document.has("demande") || document.path("demande").has("infraction")) {
            report.fail("push", SIAO + " received no SIAO request, or one with offence data");
            return;
        }
        report.step(
                "push",
                String.format(
                        Locale.ROOT,
                        "%-32s opens it: decrypted, gateway's signature verified," + " siao-json with %s",
                        SIAO,
                        String.join(", ", names(document.path("demande")))),
                t);
        t = System.nanoTime();
        byte[] answer = Files.readAllBytes(config.resolve("samples/siao-json/answer-accepted.json"));
        PartnerClient.Reply reply = clients.apply(SIAO)
                .post(
                        "/v1/referrals/" + delivery.referralId() + "/receipts",
                        answer,
                        "application/vnd.passerelle.siao-answer+json",
                        Map.of());
        JsonNode outcome = Json.MAPPER.readTree(reply.body());
        if (reply.status() != 200 || !outcome.path("state").asText().equals("accepted")) {
            report.fail("receipt", SIAO + "'s answer in siao-json answered " + reply.status() + ": " + reply.text());
            return;
        }
        receipts++;
        report.step(
                "receipt",
                String.format(
                        Locale.ROOT,
                        "%-32s answers in siao-json (orientation-proposee) →" + " its copy is %s",
                        SIAO,
                        outcome.path("state").asText()),
                t);
    }

    /**
     * The relay holds the secure mails: each recipient decrypts its own and checks the gateway's signature; the
     * association acknowledges and accepts with its links, and a link used twice is refused.
     */
    void mail(DemoMailRelay relay, int expected) throws IOException, MessagingException, InterruptedException {
        long t = System.nanoTime();
        List<MimeMessage> messages = relay.await(expected, WAIT);
        if (messages.size() < expected) {
            report.fail("mail", "the relay holds " + messages.size() + " secure mails, expected " + expected);
        }
        HttpClient browser = HttpClient.newBuilder()
                .sslContext(ClientTls.trustOnly(pki.resolve("ca.pem")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        for (MimeMessage message : messages) {
            Optional<Partner> recipient = addressee(message);
            if (recipient.isEmpty()) {
                report.fail("mail", "a mail reached an address that no partner has");
                continue;
            }
            String id = recipient.get().id().value();
            mails++;
            keepMail(id, message);
            SecureMail.Opened opened;
            try {
                opened = SecureMail.open(
                        message,
                        PemFiles.readCertifiedKey(partnerFile(id, ".pem"), partnerFile(id, "-key.pem")),
                        gatewaySigner);
            } catch (IllegalStateException e) {
                report.fail("mail", id + ": " + e.getMessage());
                continue;
            }
            String type = Json.MAPPER.readTree(opened.attachment()).path("type").asText();
            report.step(
                    "mail",
                    String.format(
                            Locale.ROOT,
                            "%-32s \"%s\": decrypted with its key, gateway's" + " signature verified; %d links",
                            id,
                            message.getSubject(),
                            opened.links().size()),
                    t);
            t = System.nanoTime();
            String received = FrenchLabels.answerAction(ReceiptStatus.RECEIVED);
            List<String> clicks = id.equals(ASSOCIATION)
                    ? List.of(received, FrenchLabels.answerAction(ReceiptStatus.ACCEPTED))
                    : List.of(received);
            for (String label : clicks) {
                if (!click(browser, id, label, opened.links().get(label), 200)) {
                    return;
                }
            }
            if (id.equals(ASSOCIATION)
                    && click(browser, id, received + " (again)", opened.links().get(received), 410)) {
                report.step(
                        "receipt",
                        String.format(
                                Locale.ROOT,
                                "%-32s %s: clicked %s in the mail; the first" + " link again → 410, already used",
                                id,
                                type,
                                String.join(", ", clicks)),
                        t);
            } else {
                report.step(
                        "receipt",
                        String.format(
                                Locale.ROOT, "%-32s %s: clicked %s in the mail", id, type, String.join(", ", clicks)),
                        t);
            }
            t = System.nanoTime();
        }
    }

    /** Opens a link as a browser does: the page first (which uses nothing), then the form's POST. */
    private boolean click(HttpClient browser, String id, String label, String url, int expected)
            throws IOException, InterruptedException {
        if (url == null) {
            report.fail("receipt", id + "'s mail has no link '" + label + "'");
            return false;
        }
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> posted = browser.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(""))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (posted.statusCode() != expected || (expected == 200 && page.statusCode() != 200)) {
            report.fail(
                    "receipt",
                    id + " clicked '" + label + "': page " + page.statusCode() + ", answer " + posted.statusCode()
                            + " (expected " + expected + ")");
            return false;
        }
        if (expected == 200) {
            receipts++;
        }
        return true;
    }

    /** The status each referral of the act shows its sender. */
    void showStatus() throws IOException {
        for (String[] referral : sent) {
            long t = System.nanoTime();
            PartnerClient.Reply reply = clients.apply(POLICE).get("/v1/referrals/" + referral[1]);
            JsonNode body = Json.MAPPER.readTree(reply.body());
            List<String> states = new ArrayList<>();
            body.path("deliveries")
                    .forEach(d -> states.add(
                            d.path("recipient").asText() + " " + d.path("state").asText()));
            report.step(
                    "status",
                    String.format(
                            Locale.ROOT,
                            "%-26s %-9s (%s; %d history entries)",
                            referral[0],
                            body.path("status").asText(),
                            String.join(", ", states),
                            body.path("history").size()),
                    t);
        }
    }

    private Optional<Partner> addressee(MimeMessage message) throws MessagingException {
        Address[] to = message.getRecipients(MimeMessage.RecipientType.TO);
        if (to == null || to.length != 1) {
            return Optional.empty();
        }
        String address = ((InternetAddress) to[0]).getAddress();
        return deployment.sortedPartners().stream()
                .filter(p -> address.equals(p.delivery().options().get("address")))
                .findFirst();
    }

    private static String transport(Partner partner) {
        return switch (partner.delivery().transport()) {
            case "https" -> "HTTPS push";
            case "mail" -> "S/MIME mail";
            case "inbox" -> "pull inbox";
            default -> partner.delivery().transport();
        };
    }

    private Partner partner(String id) {
        return deployment.partner(PartnerId.of(id)).orElseThrow();
    }

    private Path partnerFile(String id, String suffix) {
        return pki.resolve("partners").resolve(id + suffix);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private void keep(String partner, String name, byte[] bytes) throws IOException {
        if (kept) {
            Path folder = Files.createDirectories(work.resolve("received").resolve(partner));
            Files.write(folder.resolve(name), bytes);
        }
    }

    /** Keeps the mail as the relay received it, for {@code openssl cms -decrypt -in FILE.eml}. */
    private void keepMail(String partner, MimeMessage message) throws IOException, MessagingException {
        if (kept) {
            Path folder = Files.createDirectories(work.resolve("mail").resolve(partner));
            try (OutputStream out = Files.newOutputStream(folder.resolve(mails + ".eml"))) {
                message.writeTo(out);
            }
        }
    }
}
