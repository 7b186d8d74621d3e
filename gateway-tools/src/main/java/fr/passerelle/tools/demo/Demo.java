package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.audit.AuditSequencer;
import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.audit.MerkleTree;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeadSigner;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.crypto.SignedSubmissions;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.devkit.DatabaseDump;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.Gateway;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The whole story on embedded defaults: a fresh PKI and configuration in a work folder, the gateway on a free
 * port with its database, the example partners played as real HTTPS clients with their certificates, one
 * referral of every type, inbox pulls, receipts, status, and a look at the audit log. Prints what travelled where
 * and returns 0 only if every step worked.
 */
public final class Demo {
    private final Path work;
    private final boolean kept;
    private final Map<String, String> env;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final Map<String, PartnerClient> clients = new HashMap<>();
    private int failures;
    private int refusals;
    private Path pki;
    private URI base;
    private X509Certificate gatewaySigner;
    /** The signed victim.orientation, kept to replay it byte for byte. */
    private byte[] signedOrientation;

    private Demo(Path work, boolean kept, Map<String, String> env, PrintStream out) {
        this.work = work;
        this.kept = kept;
        this.env = env;
        this.out = out;
    }

    /**
     * @param keep where to leave the PKI, configuration and received items; empty for a temporary folder that is
     *             deleted at the end
     * @param env  the process environment: {@code GATEWAY_DATABASE_URL} (and user, password) selects a database
     *             server instead of the embedded one
     */
    public static int run(Optional<Path> keep, Map<String, String> env, PrintStream out) throws IOException {
        Path work;
        if (keep.isPresent()) {
            work = keep.get().toAbsolutePath();
            if (Files.exists(work) && !isEmptyDirectory(work)) {
                out.println("demo: " + work + " is not empty; choose a new or empty folder for --keep");
                return 2;
            }
            Files.createDirectories(work);
        } else {
            work = Files.createTempDirectory("passerelle-demo-");
        }
        try {
            return new Demo(work, keep.isPresent(), env, out).play();
        } finally {
            if (keep.isEmpty()) {
                deleteTree(work);
            }
        }
    }

    private int play() throws IOException {
        out.println("Passerelle demo — every message type of the instruction of 11 July 2025, end to end");
        long t = System.nanoTime();
        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(work, env, config -> {});
        Path config = workspace.config();
        pki = workspace.pki();
        PkiResult result = workspace.pkiResult();
        gatewaySigner =
                PemFiles.readCertificates(result.gatewaySigningCertificate()).get(0);
        step(
                "setup",
                "development PKI: a CA, the gateway's certificates, "
                        + result.partnerFingerprints().size()
                        + " partner certificates, installed and pinned in config/partners",
                t);

        t = System.nanoTime();
        try (SimulatedEndpoint siao = SimulatedEndpoint.start(
                        pki, work.resolve("partner-endpoints"), PartnerSystemsAct.SIAO + "-endpoint");
                DemoMailRelay relay = DemoMailRelay.start(result)) {
            replaceIn(
                    config.resolve("partners/" + PartnerSystemsAct.SIAO + ".yaml"),
                    "url: https://siao-974.example.invalid/passerelle/demandes",
                    "url: " + siao.url("/passerelle/demandes"));
            replaceIn(
                    workspace.gatewayYaml(),
                    "    host: smtp.example.invalid\n    port: 465",
                    "    host: 127.0.0.1\n    port: " + relay.port());
            replaceIn(
                    workspace.gatewayYaml(),
                    "    # trust_anchors: /etc/passerelle/tls/relais-smtp-ca.pem",
                    "    trust_anchors: " + relay.trustAnchors());
            // A demo does not wait five seconds for a retry: the SIAO's endpoint starts down, and comes back.
            replaceIn(
                    workspace.gatewayYaml(),
                    "  first_retry_seconds: 5\n  max_retry_seconds: 3600",
                    "  first_retry_seconds: 1\n  max_retry_seconds: 2");
            siao.downFor(1);
            // A demo does not wait four hours either: an urgent shelter request gets its acknowledgment deadline
            // in seconds, so that the SIAO's silence escalates while the demo watches.
            replaceIn(
                    config.resolve("routes.yaml"),
                    "    urgency: [urgent]\n    acknowledge_within: 4h",
                    "    urgency: [urgent]\n    acknowledge_within: " + ESCALATION_SECONDS + "s");
            step(
                    "setup",
                    "the SIAO of La Réunion's HTTPS endpoint on " + siao.url("/") + ", an SMTP relay with"
                            + " implicit TLS on 127.0.0.1:" + relay.port(),
                    t);
            t = System.nanoTime();
            try (Gateway gateway = Gateway.start(workspace.gatewayYaml(), workspace.env())) {
                base = URI.create("https://localhost:" + gateway.port());
                Deployment deployment = gateway.deployment();
                step(
                        "setup",
                        "gateway on " + base + " with " + deployment.partners().size() + " partners, "
                                + deployment.routes().size() + " routes, receipt links on https://localhost:"
                                + gateway.receiptLinkPort().orElse(0) + "; "
                                + gateway.database().description(),
                        t);
                exchange(config, deployment, gateway, siao, relay);
            }
        } catch (GatewayException e) {
            failures++;
            out.println("  FAILED    " + e.code().code() + ": " + e.getMessage());
            e.details().forEach(d -> out.println("            " + d));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (kept) {
            out.println("Kept in " + work + ": pki/, config/, received/<partner>/ (one envelope per item, as"
                    + " received: see docs/CMS.md to open one with openssl), mail/<partner>/<n>.eml (each secure"
                    + " mail as the relay received it: openssl cms -decrypt -in FILE.eml)");
        }
        if (failures == 0) {
            int referrals = submitted.size()
                    + (act == null ? 0 : act.referrals())
                    + escalationReferrals
                    + (protection == null ? 0 : protection.referrals())
                    + (safeguards == null ? 0 : safeguards.referrals())
                    + (closure == null ? 0 : closure.referrals())
                    + (exitPathway == null ? 0 : exitPathway.referrals())
                    + (housing == null ? 0 : housing.tally().referrals());
            out.printf(
                    Locale.ROOT,
                    "OK: %d referrals, %d deliveries pulled and opened, %d pushed, %d secure mails,"
                            + " %d receipts, %d escalations, %d to Ac.Sé, %d refusals as expected, %d removal objectives"
                            + " held and %d released, %d child-protection alert, %d recipients withheld, %d consent"
                            + " withdrawn, %d exit-pathway terms (renewal included) and %d beyond 24 months refused, in"
                            + " %.1f s%n",
                    referrals,
                    opened,
                    act == null ? 0 : act.pushes(),
                    act == null ? 0 : act.mails(),
                    receipts + (act == null ? 0 : act.receipts()),
                    escalations + (housing == null ? 0 : housing.tally().escalations()),
                    housing == null ? 0 : housing.tally().acse(),
                    refusals + (closure == null ? 0 : closure.refusals()),
                    protection == null ? 0 : protection.holds(),
                    protection == null ? 0 : protection.releases(),
                    safeguards == null ? 0 : safeguards.alerts(),
                    safeguards == null ? 0 : safeguards.withheld(),
                    safeguards == null ? 0 : safeguards.withdrawals(),
                    exitPathway == null ? 0 : exitPathway.decisions(),
                    exitPathway == null ? 0 : exitPathway.refusals(),
                    seconds);
            return 0;
        }
        out.printf(Locale.ROOT, "FAILED: %d step(s) failed in %.1f s%n", failures, seconds);
        return 1;
    }

    private final Map<ReferralType, Sent> submitted = new LinkedHashMap<>();
    private PartnerSystemsAct act;
    private ProtectionAct protection;
    private SafeguardsAct safeguards;
    private ClosureAct closure;
    private ExitPathwayAct exitPathway;
    private HousingAct housing;
    private int pulled;
    private int escalations;
    private int escalationReferrals;
    private int opened;
    private int receipts;

    /** One referral the demo sent. */
    private record Sent(ReferralType type, String id, String sender, List<String> recipients) {}

    private void exchange(
            Path config, Deployment deployment, Gateway gateway, SimulatedEndpoint siao, DemoMailRelay relay)
            throws IOException {
        Map<String, String> personal = new TreeMap<>();
        for (ReferralType type : ReferralType.values()) {
            // Receipts are answers; the prefecture's decisions answer a request: the protection act sends them.
            // A withdrawal of consent names a referral: the safeguards act sends one.
            // The closure chain, report to funders' alert, is one story: the closure act plays it in order.
            // A withdrawal of consent names a referral: the safeguards act sends one. The exit pathway is a chain
            // (application, opinion, decision, renewal): the exit-pathway act plays it.
            if (type == ReferralType.REFERRAL_RECEIPT
                    || type == ReferralType.REFLECTION_PERIOD_DECISION
                    || type == ReferralType.RESIDENCE_PERMIT_DECISION
                    || type == ReferralType.PROCEEDING_OUTCOME
                    || type == ReferralType.CONSENT_WITHDRAWN
                    || ClosureAct.TYPES.contains(type)
                    || ExitPathwayAct.plays(type)) {
                continue;
            }
            byte[] sample = Files.readAllBytes(config.resolve("samples").resolve(type.code() + ".json"));
            collectPersonal(Json.MAPPER.readTree(sample).path("subject"), personal);
            Department department = Department.of(
                    Json.MAPPER.readTree(sample).path("department").asText());
            Optional<Partner> sender = senderFor(deployment, type, department);
            if (sender.isEmpty()) {
                fail("submit", type + ": no partner of the example deployment may send it in " + department);
                continue;
            }
            String format = sender.get().inboundAdapter();
            if (!format.equals("canonical-json")) {
                // The same referral in the sender's own format: config/samples/<format>/<type>.xml or .json.
                try (Stream<Path> own = Files.list(config.resolve("samples").resolve(format))) {
                    Optional<Path> file = own.filter(
                                    f -> f.getFileName().toString().startsWith(type.code() + "."))
                            .findFirst();
                    if (file.isEmpty()) {
                        fail(
                                "submit",
                                type + ": no sample in " + format + " for "
                                        + sender.get().id());
                        continue;
                    }
                    sample = Files.readAllBytes(file.get());
                }
            }
            submit(type, sender.get().id().value(), sample, format);
        }
        checkIdempotency();
        checkRefusals(deployment);
        PartnerSystemsAct.Report report = new PartnerSystemsAct.Report() {
            @Override
            public void step(String phase, String what, long startNanos) {
                Demo.this.step(phase, what, startNanos);
            }

            @Override
            public void fail(String phase, String what) {
                Demo.this.fail(phase, what);
            }
        };
        act = new PartnerSystemsAct(work, config, pki, kept, gatewaySigner, deployment, this::client, report);
        act.submit();
        pullAndAnswer(deployment, List.of(PartnerSystemsAct.PREFECTURE));
        protection = new ProtectionAct(config, pki, base, gatewaySigner, this::client, report);
        protection.play();
        personal.putAll(ProtectionAct.personal());
        safeguards = new SafeguardsAct(config, pki, gatewaySigner, this::client, report);
        safeguards.play();
        personal.putAll(SafeguardsAct.personal());
        closure = new ClosureAct(config, pki, gatewaySigner, this::client, report);
        closure.play();
        personal.putAll(ClosureAct.personal());
        exitPathway = new ExitPathwayAct(config, pki, gatewaySigner, this::client, report);
        exitPathway.play();
        personal.putAll(ExitPathwayAct.personal());
        try {
            act.siao(siao);
            act.mail(relay, mailsExpected(deployment));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("mail", "interrupted");
        } catch (jakarta.mail.MessagingException e) {
            fail("mail", "a mail cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        showStatus();
        act.showStatus();
        escalation(config);
        housing = new HousingAct(config, pki, gatewaySigner, this::client, report);
        housing.play();
        checkAudit(gateway, personal);
        proveAudit(gateway);
        checkDatabase(gateway, personal);
        new StatisticsAct(pki, base, report).play();
    }

    /**
     * The audit log as an auditor and a sender see it: once the gateway's sequencer has numbered the queue and
     * signed a head over it (within its promise), the whole log verifies against it, and the sender of the
     * orientation proves that the log holds its referral's entries.
     */
    private void proveAudit(Gateway gateway) throws IOException {
        long t = System.nanoTime();
        CertifiedKey signer =
                PemFiles.readCertifiedKey(pki.resolve("gateway-signing.pem"), pki.resolve("gateway-signing-key.pem"));
        AuditSequencer.sequenceNow(gateway.database().dataSource(), signer, Duration.ofSeconds(30));
        AuditVerifier.Verdict verdict = AuditVerifier.verify(gateway.database().dataSource(), gatewaySigner);
        if (!verdict.ok()) {
            fail("audit", verdict.summary());
            return;
        }
        Sent orientation = submitted.get(ReferralType.VICTIM_ORIENTATION);
        if (orientation == null) {
            return;
        }
        PartnerClient.Reply reply =
                client(orientation.sender()).get("/v1/referrals/" + orientation.id() + "/audit-proof");
        JsonNode proof = Json.MAPPER.readTree(reply.body());
        SignedTreeHead head = AuditJson.parseTreeHead(proof.path("treeHead").toString());
        int proven = 0;
        for (JsonNode entry : proof.path("entries")) {
            List<byte[]> path = new ArrayList<>();
            entry.path("path").forEach(h -> path.add(HexFormat.of().parseHex(h.asText())));
            if (MerkleTree.verifyInclusion(
                    HexFormat.of().parseHex(entry.path("leafHash").asText()),
                    entry.path("seq").asLong() - 1,
                    head.head().size(),
                    path,
                    head.head().rootHash())) {
                proven++;
            }
        }
        if (reply.status() != 200
                || !TreeHeadSigner.verify(head, gatewaySigner)
                || proven == 0
                || proven != proof.path("entries").size()) {
            fail("audit", orientation.sender() + " could not prove its referral's entries (" + reply.status() + ")");
            return;
        }
        step(
                "audit",
                verdict.summary() + "; " + orientation.sender() + " proved its orientation's " + proven
                        + " entries against the signed head of size "
                        + head.head().size(),
                t);
    }

    /** What a stolen database would give away: every row of every table, searched for the subjects' data. */
    private void checkDatabase(Gateway gateway, Map<String, String> personal) {
        long t = System.nanoTime();
        DatabaseDump dump = DatabaseDump.of(gateway.database().dataSource());
        List<String> found = dump.holding(personal);
        if (found.isEmpty()) {
            step(
                    "database",
                    dump.rowCount() + " rows dumped; none holds the subjects' personal data in clear"
                            + " (payloads are encrypted at rest)",
                    t);
        } else {
            fail("database", "the dump holds the subjects' " + String.join(", ", found));
        }
    }

    private void submit(ReferralType type, String sender, byte[] sample, String format) throws IOException {
        long t = System.nanoTime();
        byte[] body = sample;
        String mediaType = format.endsWith("-xml") ? "application/xml" : "application/json";
        if (type == ReferralType.VICTIM_ORIENTATION) {
            // The police unit signs this one: the gateway verifies it against the unit's pinned certificate.
            Path partners = pki.resolve("partners");
            body = new CmsSealer(
                            PemFiles.readCertifiedKey(
                                    partners.resolve(sender + ".pem"), partners.resolve(sender + "-key.pem")),
                            Clock.systemUTC())
                    .sign(sample);
            mediaType = SignedSubmissions.MEDIA_TYPE;
            signedOrientation = body;
        }
        PartnerClient.Reply reply =
                client(sender).post("/v1/referrals", body, mediaType, Map.of("Idempotency-Key", "demo-" + type.code()));
        if (reply.status() != 202) {
            fail("submit", type + " from " + sender + " answered " + reply.status() + ": " + problem(reply));
            return;
        }
        JsonNode answer = Json.MAPPER.readTree(reply.body());
        List<String> recipients = new ArrayList<>();
        List<String> routes = new ArrayList<>();
        for (JsonNode recipient : answer.path("recipients")) {
            recipients.add(recipient.path("partner").asText());
            recipient.path("routes").forEach(r -> routes.add(r.asText()));
        }
        String receipt = verifiedReceipt(answer);
        submitted.put(type, new Sent(type, answer.path("id").asText(), sender, recipients));
        step(
                "submit",
                String.format(
                        Locale.ROOT,
                        "%-26s %s%s → %s (route %s; %s)",
                        type,
                        sender,
                        mediaType.equals(SignedSubmissions.MEDIA_TYPE)
                                ? " (signed)"
                                : format.equals("canonical-json") ? "" : " in " + format,
                        String.join(", ", recipients),
                        String.join(", ", new TreeSet<>(routes)),
                        receipt),
                t);
    }

    /** Checks the gateway's signed receipt of a submission: signed by the gateway, naming the referral. */
    private String verifiedReceipt(JsonNode answer) {
        try {
            CmsOpener.Opened opened = CmsOpener.verifySigned(
                    Base64.getDecoder().decode(answer.path("receipt").asText()), gatewaySigner);
            JsonNode receipt = Json.MAPPER.readTree(opened.content());
            if (!receipt.path("referralId").asText().equals(answer.path("id").asText())) {
                fail("submit", "the signed receipt names another referral");
                return "receipt wrong";
            }
            return "signed receipt verified";
        } catch (GatewayException | IllegalArgumentException | IOException e) {
            fail("submit", "the gateway's receipt does not verify: " + e.getMessage());
            return "receipt refused";
        }
    }

    private void checkIdempotency() throws IOException {
        Sent first = submitted.get(ReferralType.VICTIM_ORIENTATION);
        if (first == null) {
            return;
        }
        long t = System.nanoTime();
        PartnerClient.Reply reply = client(first.sender())
                .post(
                        "/v1/referrals",
                        signedOrientation,
                        SignedSubmissions.MEDIA_TYPE,
                        Map.of("Idempotency-Key", "demo-victim.orientation"));
        JsonNode body = Json.MAPPER.readTree(reply.body());
        if (reply.status() == 202
                && body.path("id").asText().equals(first.id())
                && body.path("replayed").asBoolean()) {
            step("check", "the same Idempotency-Key again returns the same referral, stored once", t);
        } else {
            fail("check", "a replayed Idempotency-Key answered " + reply.status() + " with another referral");
        }
    }

    private void checkRefusals(Deployment deployment) throws IOException {
        Sent orientation = submitted.get(ReferralType.VICTIM_ORIENTATION);
        Optional<Partner> association = deployment.sortedPartners().stream()
                .filter(p -> p.kind().code().equals("association"))
                .findFirst();
        if (association.isPresent()) {
            long t = System.nanoTime();
            String id = association.get().id().value();
            byte[] removal = Files.readAllBytes(work.resolve("config/samples/removal.objective.json"));
            PartnerClient.Reply reply = client(id).post("/v1/referrals", removal, "application/json", Map.of());
            expectRefusal(id + " sends a removal.objective", reply, 403, "type_not_allowed", t);
        }
        // A prefecture's removal objective for a department it does not serve: the rule prefecture-serves-department.
        Optional<Partner> farPrefecture = deployment.sortedPartners().stream()
                .filter(p -> p.kind().code().equals("prefecture")
                        && p.inboundAdapter().equals("prefecture-xml")
                        && !p.departments().contains(Department.of("75")))
                .findFirst();
        if (farPrefecture.isPresent()) {
            long t = System.nanoTime();
            String id = farPrefecture.get().id().value();
            // The shipped sample is La Réunion's own objective (the demo submits it); this one is moved to Paris.
            byte[] removal = Files.readString(work.resolve("config/samples/prefecture-xml/removal.objective.xml"))
                    .replace("<departement>974</departement>", "<departement>75</departement>")
                    .getBytes(StandardCharsets.UTF_8);
            PartnerClient.Reply reply = client(id).post("/v1/referrals", removal, "application/xml", Map.of());
            expectRefusal(
                    id + " sends a removal.objective for Paris, which it does not serve",
                    reply,
                    403,
                    "department_not_served",
                    t);
        }
        if (orientation != null) {
            Optional<Partner> stranger = deployment.sortedPartners().stream()
                    .filter(p -> p.kind().code().equals("siao"))
                    .findFirst();
            if (stranger.isPresent()) {
                long t = System.nanoTime();
                String id = stranger.get().id().value();
                PartnerClient.Reply reply = client(id).get("/v1/referrals/" + orientation.id());
                expectRefusal(
                        id + " reads a victim.orientation it is not party to", reply, 404, "referral_not_found", t);
            }
        }
    }

    private void expectRefusal(String what, PartnerClient.Reply reply, int status, String code, long t)
            throws IOException {
        String got = reply.status() + " "
                + Json.MAPPER.readTree(reply.body()).path("code").asText();
        if (got.equals(status + " " + code)) {
            refusals++;
            step("check", what + " → refused, " + got, t);
        } else {
            fail("check", what + " → expected " + status + " " + code + ", got " + got);
        }
    }

    /** Secure mails the first act's referrals cause, plus the act's orientation to the association. */
    private int mailsExpected(Deployment deployment) {
        int count = 1;
        for (Sent sent : submitted.values()) {
            count += (int) sent.recipients().stream()
                    .filter(r -> deployment
                            .partner(fr.passerelle.core.partner.PartnerId.of(r))
                            .map(p -> p.delivery().transport().equals("mail"))
                            .orElse(false))
                    .count();
        }
        return count;
    }

    /** The recipients that pull their inbox, whatever their format; the others get theirs by push or by mail. */
    private void pullAndAnswer(Deployment deployment, List<String> alsoPulling) throws IOException {
        TreeSet<String> recipients = new TreeSet<>(alsoPulling);
        submitted.values().forEach(s -> recipients.addAll(s.recipients()));
        recipients.removeIf(r -> deployment
                .partner(fr.passerelle.core.partner.PartnerId.of(r))
                .map(p -> p.delivery().pushed())
                .orElse(true));
        for (String recipient : recipients) {
            long t = System.nanoTime();
            List<JsonNode> items = pullAll(recipient);
            pulled += items.size();
            List<String> types =
                    items.stream().map(i -> i.path("type").asText()).toList();
            String format = deployment
                    .partner(fr.passerelle.core.partner.PartnerId.of(recipient))
                    .orElseThrow()
                    .outboundAdapter();
            step(
                    "pull",
                    String.format(
                            Locale.ROOT,
                            "%-32s %d item(s) in %s, decrypted and verified: %s",
                            recipient,
                            items.size(),
                            format,
                            String.join(", ", types)),
                    t);
            for (JsonNode item : items) {
                answer(recipient, item);
            }
        }
    }

    private List<JsonNode> pullAll(String recipient) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String after = "0";
        while (true) {
            Optional<JsonNode> page = inboxPage(recipient, after, "pull");
            if (page.isEmpty() || page.get().path("items").isEmpty()) {
                return items;
            }
            for (JsonNode item : page.get().path("items")) {
                items.add(item);
                keep(recipient, item);
                open(recipient, item);
            }
            after = page.get().path("next").asText();
        }
    }

    /** One page of a partner's inbox after {@code after}; empty, with the failure reported, when it is refused. */
    private Optional<JsonNode> inboxPage(String partner, String after, String phase) throws IOException {
        PartnerClient.Reply reply = client(partner).get("/v1/inbox?after=" + after + "&limit=50");
        if (reply.status() != 200) {
            fail(phase, partner + " inbox answered " + reply.status() + ": " + problem(reply));
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readTree(reply.body()));
    }

    /** Decrypts an inbox item with the partner's own key and verifies the gateway's signature. */
    private CmsOpener.Opened openItem(String partner, JsonNode item) {
        Path partners = pki.resolve("partners");
        return CmsOpener.open(
                Base64.getDecoder().decode(item.path("envelope").asText()),
                PemFiles.readCertifiedKey(partners.resolve(partner + ".pem"), partners.resolve(partner + "-key.pem")),
                gatewaySigner);
    }

    /** Keeps the envelope as received (DER), for `openssl cms -decrypt -inform DER` afterwards. */
    private void keep(String recipient, JsonNode item) throws IOException {
        Path folder = work.resolve("received").resolve(recipient);
        Files.createDirectories(folder);
        Path file = folder.resolve(
                item.path("cursor").asText() + "-" + item.path("type").asText() + ".p7m");
        Files.write(file, Base64.getDecoder().decode(item.path("envelope").asText()));
    }

    /** What the recipient does: decrypt with its own key, verify the gateway's signature, read the item. */
    private void open(String recipient, JsonNode item) {
        try {
            CmsOpener.Opened envelope = openItem(recipient, item);
            // Each format names the referral (canonical JSON, police and prefecture XML, SIAO JSON alike).
            if (!new String(envelope.content(), StandardCharsets.UTF_8)
                    .contains(item.path("referralId").asText())) {
                fail("pull", recipient + " opened an envelope that names another referral");
            } else {
                opened++;
            }
        } catch (GatewayException e) {
            fail("pull", recipient + " cannot open its envelope: " + e.getMessage());
        }
    }

    private void answer(String recipient, JsonNode item) throws IOException {
        if (item.has("notice")) {
            // A notice about a referral is read, not answered.
            return;
        }
        String id = item.path("referralId").asText();
        ReferralType type = ReferralType.fromCode(item.path("type").asText());
        List<String> steps = type == ReferralType.DIFFICULTY_REPORT
                ? List.of("received")
                : type == ReferralType.SHELTER_REQUEST
                        ? List.of("received", "accepted", "completed")
                        : List.of("received", "accepted");
        for (String status : steps) {
            PartnerClient.Reply reply = client(recipient)
                    .post(
                            "/v1/referrals/" + id + "/receipts",
                            ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8),
                            "application/json",
                            Map.of());
            if (reply.status() != 200) {
                fail(
                        "receipt",
                        recipient + " " + status + " for " + type + " answered " + reply.status() + ": "
                                + problem(reply));
                return;
            }
            receipts++;
        }
        out.printf(Locale.ROOT, "  receipt   %-32s %s: %s%n", recipient, type, String.join(" → ", steps));
    }

    static final int ESCALATION_SECONDS = 2;
    private static final String ESCALATING_SENDER = "police-75-brp";
    private static final String ESCALATING_SIAO = "siao-75";
    /** The State's housing service of Paris, with authority over the 115: the duty partner of shelter requests. */
    private static final String DUTY = "housing-75-drihl";

    /**
     * An urgent shelter request that the SIAO leaves unacknowledged: once its deadline passes, the State's housing
     * service on duty (the DRIHL in Paris) and the sender get an escalation notice in their inboxes, which they open
     * with their own keys.
     */
    private void escalation(Path config) throws IOException {
        long t = System.nanoTime();
        byte[] sample = new String(
                        Files.readAllBytes(config.resolve("samples").resolve("shelter.request.json")),
                        StandardCharsets.UTF_8)
                .replace("\"urgency\": \"immediate\"", "\"urgency\": \"urgent\"")
                .getBytes(StandardCharsets.UTF_8);
        PartnerClient.Reply reply =
                client(ESCALATING_SENDER).post("/v1/referrals", sample, "application/json", Map.of());
        if (reply.status() != 202) {
            fail("escalate", "the urgent shelter request answered " + reply.status() + ": " + problem(reply));
            return;
        }
        String id = Json.MAPPER.readTree(reply.body()).path("id").asText();
        escalationReferrals++;
        step(
                "escalate",
                String.format(
                        Locale.ROOT,
                        "%s submits an urgent shelter request; %s does not acknowledge"
                                + " it within %d s (the demo's deadline; routes.yaml ships 4h)",
                        ESCALATING_SENDER,
                        ESCALATING_SIAO,
                        ESCALATION_SECONDS),
                t);
        t = System.nanoTime();
        Optional<JsonNode> duty = awaitNotice(DUTY, id, Duration.ofSeconds(ESCALATION_SECONDS + 15));
        if (duty.isEmpty()) {
            fail("escalate", "no escalation notice reached " + DUTY + " for referral " + id);
            return;
        }
        Optional<JsonNode> sender = awaitNotice(ESCALATING_SENDER, id, Duration.ofSeconds(5));
        if (sender.isEmpty()) {
            fail("escalate", "no escalation notice reached the sender " + ESCALATING_SENDER);
            return;
        }
        List<String> states = new ArrayList<>();
        duty.get()
                .path("recipients")
                .forEach(r -> states.add(
                        r.path("partner").asText() + " " + r.path("state").asText()));
        escalations++;
        step(
                "escalate",
                String.format(
                        Locale.ROOT,
                        "notice '%s' pulled and opened by %s (duty) and %s (sender):" + " deadline %s, %s",
                        duty.get().path("notice").asText(),
                        DUTY,
                        ESCALATING_SENDER,
                        duty.get().path("deadline").asText(),
                        String.join(", ", states)),
                t);
    }

    /** Pulls a partner's inbox until a notice about the referral comes, and opens it with the partner's key. */
    private Optional<JsonNode> awaitNotice(String partner, String referralId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String after = "0";
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> page = inboxPage(partner, after, "escalate");
            if (page.isEmpty()) {
                return Optional.empty();
            }
            after = page.get().path("next").asText(after);
            for (JsonNode item : page.get().path("items")) {
                if (item.has("notice") && item.path("referralId").asText().equals(referralId)) {
                    return Optional.of(
                            Json.MAPPER.readTree(openItem(partner, item).content()));
                }
            }
            if (page.get().path("items").isEmpty()) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void showStatus() throws IOException {
        for (Sent sent : submitted.values()) {
            long t = System.nanoTime();
            PartnerClient.Reply reply = client(sent.sender()).get("/v1/referrals/" + sent.id());
            if (reply.status() != 200) {
                fail("status", sent.type() + " answered " + reply.status() + ": " + problem(reply));
                continue;
            }
            JsonNode body = Json.MAPPER.readTree(reply.body());
            List<String> states = new ArrayList<>();
            body.path("deliveries")
                    .forEach(d -> states.add(
                            d.path("recipient").asText() + " " + d.path("state").asText()));
            step(
                    "status",
                    String.format(
                            Locale.ROOT,
                            "%-26s %-9s (%s; %d history entries)",
                            sent.type(),
                            body.path("status").asText(),
                            String.join(", ", states),
                            body.path("history").size()),
                    t);
        }
    }

    private void checkAudit(Gateway gateway, Map<String, String> personal) {
        long t = System.nanoTime();
        List<AuditRecord> entries = AuditLog.list(gateway.database().dataSource(), Optional.empty());
        List<String> leaks = new ArrayList<>();
        for (AuditRecord entry : entries) {
            String text = entry.actor() + " " + entry.action() + " " + entry.detail();
            personal.forEach((field, value) -> {
                if (text.contains(value)) {
                    leaks.add("audit entry " + entry.seq() + " holds the subject's " + field);
                }
            });
        }
        if (leaks.isEmpty()) {
            step(
                    "audit",
                    entries.size() + " entries; none holds the subjects' personal data ("
                            + String.join(", ", personal.keySet()) + " checked)",
                    t);
        } else {
            leaks.forEach(l -> fail("audit", l));
        }
    }

    private static void collectPersonal(JsonNode subject, Map<String, String> into) {
        for (String field : List.of("givenName", "familyName", "alias", "birthDate")) {
            if (subject.path(field).isTextual()) {
                into.put(field, subject.path(field).asText());
            }
        }
        JsonNode contact = subject.path("contact");
        for (String field : List.of("phone", "email")) {
            if (contact.path(field).isTextual()) {
                into.put(field, contact.path(field).asText());
            }
        }
    }

    private static Optional<Partner> senderFor(Deployment deployment, ReferralType type, Department department) {
        return deployment.sortedPartners().stream()
                .filter(p -> p.enabled() && p.maySend().contains(type))
                .filter(p -> p.serves(department))
                // Canonical JSON first: the partners with formats of their own have the second act.
                .min(java.util.Comparator.comparing(p -> !p.inboundAdapter().equals("canonical-json")));
    }

    private PartnerClient client(String partner) {
        return clients.computeIfAbsent(partner, id -> PartnerClient.forPartner(id, pki, base));
    }

    private static String problem(PartnerClient.Reply reply) {
        try {
            JsonNode body = Json.MAPPER.readTree(reply.body());
            return body.path("code").asText() + " — " + body.path("detail").asText();
        } catch (IOException e) {
            return reply.body().length + " bytes of " + reply.contentType();
        }
    }

    private void step(String phase, String what, long startNanos) {
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        out.printf(Locale.ROOT, "  %-9s %s  [%d ms]%n", phase, what, ms);
    }

    private void fail(String phase, String what) {
        failures++;
        out.printf(Locale.ROOT, "  FAILED    %s: %s%n", phase, what);
    }

    /** Edits a file of the demo's configuration: the text must be there. */
    private static void replaceIn(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " no longer holds '" + from + "': update the demo");
        }
        Files.writeString(file, text.replace(from, to));
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless; the demo's result stands.
        }
    }
}
