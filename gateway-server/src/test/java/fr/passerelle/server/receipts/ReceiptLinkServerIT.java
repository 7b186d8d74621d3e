package fr.passerelle.server.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Partner.PreviousCertificate;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.DeliveryStatus;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReceiptLink;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.server.tls.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The public receipt listener over real TLS, without client certificate, on a real PostgreSQL: GET shows and never
 * uses a link, POST uses it once; used, expired and unknown links get their own pages; dead links (partner
 * disabled, route removed, referral closed, certificate rotated out) one page whatever the reason; an address over
 * its limit a 429.
 */
class ReceiptLinkServerIT {
    static final PartnerId POLICE = PartnerId.of("police-75-brp");
    static final PartnerId ASSOCIATION = PartnerId.of("association-75-amicale");
    static final String FORM = "application/x-www-form-urlencoded";
    /** The association's certificate before a rotation, and after it. */
    static final String CERTIFICATE_A = String.join(":", Collections.nCopies(32, "AA"));

    static final String CERTIFICATE_B = String.join(":", Collections.nCopies(32, "BB"));

    @TempDir
    static Path work;

    static PkiResult pki;
    static Database database;
    static JdbcReferralStore store;
    static ExecutorService executor;
    static ReceiptLinkServer server;
    static HttpClient client;
    /** The deployment the server reads at each request; each test starts from {@link #deployment(boolean, boolean)}. */
    static final AtomicReference<Deployment> live = new AtomicReference<>();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Sent sent;

    /** A stored referral to the association and the tokens of its links. */
    record Sent(ReferralId id, ReceiptLinks.Issued issued) {
        String token(ReceiptStatus status) {
            String url = issued.urls().get(status);
            return url.substring(url.lastIndexOf('/') + 1);
        }
    }

    @BeforeAll
    static void start() {
        pki = DevelopmentPki.init(work.resolve("pki"), List.of(ASSOCIATION), List.of(), Clock.systemUTC(), false);
        database = Database.open(TestDatabase.fresh().settings(), work.resolve("data"));
        Path keys = work.resolve("master.keys");
        PayloadCipher.ensureFamilies(keys, Clock.systemUTC());
        store = new JdbcReferralStore(database.dataSource(), Clock.systemUTC(), new PayloadCipher(keys));
        executor = Executors.newFixedThreadPool(2);
        live.set(deployment(true, true));
        // Limits far above what these tests send: the limit has its own server below.
        server = ReceiptLinkServer.start(
                "127.0.0.1",
                0,
                ServerTls.forPublic(pki.gatewayTlsCertificate(), pki.gatewayTlsKey()),
                new ReceiptLinks(database.dataSource(), Clock.systemUTC()),
                live::get,
                executor,
                Clock.systemUTC(),
                new AddressLimiter(100_000, Duration.ofMinutes(1), Clock.systemUTC()));
        client = HttpClient.newBuilder()
                .sslContext(ClientTls.trustOnly(pki.caCertificate()))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.shutdownNow();
        database.close();
    }

    @BeforeEach
    void submitAndCaptureLogs() {
        live.set(deployment(true, true));
        sent = submit(Clock.systemUTC());
        logs.start();
        // Other tests of this JVM (the command line's) quiet fr.passerelle: this package's level is set on its own.
        Logger ours = (Logger) LoggerFactory.getLogger(ReceiptLinkServer.class.getPackageName());
        ours.setLevel(Level.DEBUG);
        ours.addAppender(logs);
    }

    @AfterEach
    void noTokenInTheLogs() {
        Logger ours = (Logger) LoggerFactory.getLogger(ReceiptLinkServer.class.getPackageName());
        ours.detachAppender(logs);
        ours.setLevel(null);
        for (ReceiptStatus status : ReceiptLinks.STATUSES) {
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).allSatisfy(line -> assertThat(line)
                    .doesNotContain(sent.token(status)));
        }
    }

    @Test
    void showsWhatTheLinkRecordsWithoutUsingIt() throws Exception {
        HttpResponse<String> first = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> again = get(sent.token(ReceiptStatus.ACCEPTED));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body())
                .contains(
                        "<h1>Accepter la prise en charge</h1>",
                        "Demande de mise à l&#39;abri",
                        "<code>shelter.request</code>",
                        "référence <code>" + sent.id() + "</code>",
                        "<form method=\"post\">",
                        "Confirmer")
                .doesNotContain(sent.token(ReceiptStatus.ACCEPTED))
                .doesNotContain("<script");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
        assertThat(receiptEntries()).isEmpty();
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("Receipt link 'accepted' for" + " referral " + sent.id()
                        + " to association-75-amicale: page shown");
    }

    @Test
    void answersWithStrictSecurityHeaders() throws Exception {
        HttpResponse<String> page = get(sent.token(ReceiptStatus.RECEIVED));

        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'none'; style-src 'sha256-")
                .endsWith("'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                .doesNotContain("script", "unsafe");
    }

    @Test
    void offersTheDeclineReasonsInFrench() throws Exception {
        HttpResponse<String> page = get(sent.token(ReceiptStatus.DECLINED));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(
                        "<h1>Décliner la prise en charge</h1>",
                        "<label for=\"reason\">Motif</label>",
                        "<select id=\"reason\" name=\"reason\" required>",
                        "<option value=\"no-capacity\">Pas de place disponible</option>",
                        "<option value=\"other\">Autre motif</option>");
        for (DeclineReason reason : DeclineReason.values()) {
            assertThat(page.body()).contains("<option value=\"" + reason.code() + "\">");
        }
    }

    @Test
    void recordsTheReceiptOnPostAndAuditsIt() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.ACCEPTED), "");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains(
                        "<h1>Réponse enregistrée</h1>",
                        "« acceptée »",
                        sent.id().toString());
        assertThat(copyState()).isEqualTo(DeliveryState.ACCEPTED);
        assertThat(store.status(sent.id(), POLICE).orElseThrow().status()).isEqualTo("accepted");
        assertThat(receiptEntries())
                .extracting(AuditRecord::actor, AuditRecord::action)
                .containsExactly(
                        tuple("association-75-amicale", "receipt.recorded"),
                        tuple("association-75-amicale", "receipt.link.used"));
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .contains("Receipt link 'accepted' for" + " referral " + sent.id()
                        + " to association-75-amicale: recorded");
    }

    @Test
    void refusesASecondUseWithAGonePage() throws Exception {
        post(sent.token(ReceiptStatus.RECEIVED), "");

        HttpResponse<String> second = post(sent.token(ReceiptStatus.RECEIVED), "");
        HttpResponse<String> shown = get(sent.token(ReceiptStatus.RECEIVED));

        assertThat(second.statusCode()).isEqualTo(410);
        assertThat(second.body())
                .contains(
                        "<h1>Ce lien a déjà été utilisé</h1>",
                        "rien n'a été modifié",
                        "contactez l'émetteur de la fiche ou utilisez l'API de la passerelle");
        assertThat(shown.statusCode()).isEqualTo(410);
        assertThat(shown.body()).contains("<h1>Ce lien a déjà été utilisé</h1>");
        assertThat(receiptEntries())
                .extracting(AuditRecord::action)
                .containsExactly("receipt.recorded", "receipt.link.used");
    }

    @Test
    void refusesAnExpiredLinkWithAGonePage() throws Exception {
        Sent old = submit(Clock.fixed(Instant.now().minus(Duration.ofDays(8)), ZoneOffset.UTC));

        HttpResponse<String> shown = get(old.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(old.token(ReceiptStatus.ACCEPTED), "");

        assertThat(shown.statusCode()).isEqualTo(410);
        assertThat(shown.body())
                .contains(
                        "<h1>Ce lien a expiré</h1>",
                        old.id().toString(),
                        "contactez l'émetteur de la fiche ou utilisez l'API de la passerelle");
        assertThat(posted.statusCode()).isEqualTo(410);
        assertThat(posted.body()).contains("<h1>Ce lien a expiré</h1>");
        assertThat(store.status(old.id(), POLICE).orElseThrow().status()).isEqualTo("routed");
    }

    @Test
    void answersAnUnknownLinkOrPathWithNotFound() throws Exception {
        HttpResponse<String> unknown = get("A".repeat(43));
        HttpResponse<String> malformed = get("not-a-token");
        HttpResponse<String> postUnknown = post("A".repeat(43), "");
        HttpResponse<String> otherPath =
                send(HttpRequest.newBuilder(uri("/v1/referrals")).GET());

        for (HttpResponse<String> page : List.of(unknown, malformed, postUnknown, otherPath)) {
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("<h1>Lien inconnu</h1>");
        }
    }

    @Test
    void refusesADeclineWithoutReasonShowingTheFormAgain() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.DECLINED), "reason=");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
                .contains(
                        "<p class=\"error\">Choisissez un motif de refus dans la liste.</p>", "<select id=\"reason\"");
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void refusesAReasonOutsideTheList() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.DECLINED), "reason=%3Cb%3Ebusy%3C%2Fb%3E");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body())
                .contains("Le motif choisi n&#39;est pas dans la liste.")
                .doesNotContain("<b>busy");
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void refusesAReasonOnALinkThatDoesNotDecline() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.ACCEPTED), "reason=no-capacity");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("Ce lien n&#39;accepte pas de motif");
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void recordsADeclineWithTheChosenReason() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.DECLINED), "reason=person-unreachable");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("« déclinée »</strong> (motif : personne injoignable)");
        assertThat(store.status(sent.id(), POLICE).orElseThrow().deliveries())
                .extracting(DeliveryStatus::state, DeliveryStatus::reason)
                .containsExactly(tuple(DeliveryState.DECLINED, Optional.of(DeclineReason.PERSON_UNREACHABLE)));
    }

    @Test
    void refusesToAcceptOnceTheCopyIsDeclined() throws Exception {
        post(sent.token(ReceiptStatus.DECLINED), "reason=duplicate");

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.ACCEPTED), "");

        for (HttpResponse<String> page : List.of(shown, posted)) {
            assertThat(page.statusCode()).isEqualTo(409);
            assertThat(page.body()).contains("<h1>Réponse impossible</h1>", "à l'état <strong>« décliné »");
        }
        assertThat(copyState()).isEqualTo(DeliveryState.DECLINED);
    }

    @Test
    void refusesAFormInAnotherMediaType() throws Exception {
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(uri(ReceiptLinks.PATH + sent.token(ReceiptStatus.RECEIVED)))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void refusesAFormThatIsNotStrictUtf8() throws Exception {
        // "reason=" then C0 AF, the overlong form of "/" that a lenient decoder reads as a slash.
        byte[] overlong = {'r', 'e', 'a', 's', 'o', 'n', '=', (byte) 0xC0, (byte) 0xAF};
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(uri(ReceiptLinks.PATH + sent.token(ReceiptStatus.RECEIVED)))
                        .header("Content-Type", FORM)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(overlong)));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("UTF-8 attendu");
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void refusesOtherMethods() throws Exception {
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(uri(ReceiptLinks.PATH + sent.token(ReceiptStatus.RECEIVED)))
                        .method("DELETE", HttpRequest.BodyPublishers.noBody()));

        assertThat(page.statusCode()).isEqualTo(405);
        assertThat(page.headers().firstValue("Allow")).contains("GET, POST");
    }

    @Test
    void refusesAnOversizedForm() throws Exception {
        HttpResponse<String> page = post(sent.token(ReceiptStatus.DECLINED), "reason=" + "x".repeat(9000));

        assertThat(page.statusCode()).isEqualTo(413);
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
    }

    @Test
    void answersTheDeadPageForALinkOfADisabledPartnerAndRecordsNothing() throws Exception {
        live.set(deployment(false, true));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.ACCEPTED), "");

        assertDead(shown, posted);
    }

    @Test
    void answersTheDeadPageForALinkWhoseRouteWasRemoved() throws Exception {
        live.set(deployment(true, false));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.RECEIVED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.RECEIVED), "");

        assertDead(shown, posted);
    }

    @Test
    void answersTheDeadPageForALinkOfACancelledReferral() throws Exception {
        setReferral("status = 'cancelled'");

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.DECLINED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.DECLINED), "reason=no-capacity");

        assertDead(shown, posted);
    }

    @Test
    void answersTheDeadPageForALinkOfAWithdrawnReferral() throws Exception {
        setReferral("status = 'withdrawn', withdrawn_at = now()");

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.ACCEPTED), "");

        assertDead(shown, posted);
    }

    @Test
    void keepsALinkAliveWhileItsCertificateIsStillListedDuringARotation() throws Exception {
        sent = submit(Clock.systemUTC(), Optional.of(CERTIFICATE_A));
        live.set(deployment(
                CERTIFICATE_B,
                List.of(new PreviousCertificate(CERTIFICATE_A, Instant.now().plus(Duration.ofDays(30))))));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.ACCEPTED), "");

        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(copyState()).isEqualTo(DeliveryState.ACCEPTED);
    }

    @Test
    void keepsALinkAliveWhileItsCertificateIsThePinnedOne() throws Exception {
        sent = submit(Clock.systemUTC(), Optional.of(CERTIFICATE_A));
        live.set(deployment(CERTIFICATE_A, List.of()));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.RECEIVED));

        assertThat(shown.statusCode()).isEqualTo(200);
    }

    @Test
    void answersTheDeadPageOnceTheLinksCertificateIsRotatedOut() throws Exception {
        sent = submit(Clock.systemUTC(), Optional.of(CERTIFICATE_A));
        live.set(deployment(CERTIFICATE_B, List.of()));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.ACCEPTED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.ACCEPTED), "");

        assertDead(shown, posted);
    }

    @Test
    void answersTheDeadPageOnceTheRotationOverlapOfTheLinksCertificateHasEnded() throws Exception {
        sent = submit(Clock.systemUTC(), Optional.of(CERTIFICATE_A));
        live.set(deployment(
                CERTIFICATE_B,
                List.of(new PreviousCertificate(CERTIFICATE_A, Instant.now().minus(Duration.ofMinutes(1))))));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.DECLINED));
        HttpResponse<String> posted = post(sent.token(ReceiptStatus.DECLINED), "reason=no-capacity");

        assertDead(shown, posted);
    }

    @Test
    void keepsALinkWithoutARecordedCertificateAliveWhateverThePartnerPins() throws Exception {
        live.set(deployment(CERTIFICATE_B, List.of()));

        HttpResponse<String> shown = get(sent.token(ReceiptStatus.RECEIVED));

        assertThat(shown.statusCode()).isEqualTo(200);
    }

    @Test
    void showsTheSameDeadPageWhateverKilledTheLink() throws Exception {
        List<String> pages = new ArrayList<>();
        live.set(deployment(false, true));
        pages.add(get(sent.token(ReceiptStatus.ACCEPTED)).body());
        live.set(deployment(true, false));
        pages.add(get(sent.token(ReceiptStatus.ACCEPTED)).body());
        live.set(deployment(true, true));
        for (String change : List.of(
                "status = 'cancelled'",
                "status = 'expired'",
                "status = 'withdrawn', withdrawn_at = now()",
                "purged_at = now()")) {
            sent = submit(Clock.systemUTC());
            setReferral(change);
            pages.add(get(sent.token(ReceiptStatus.ACCEPTED)).body());
        }
        sent = submit(Clock.systemUTC(), Optional.of(CERTIFICATE_A));
        live.set(deployment(CERTIFICATE_B, List.of()));
        pages.add(get(sent.token(ReceiptStatus.ACCEPTED)).body());

        assertThat(pages).hasSize(7).containsOnly(pages.get(0));
        assertThat(pages.get(0)).contains("<h1>Ce lien n&#39;est plus valable</h1>");
    }

    @Test
    void refusesAnAddressOverItsLimitThenLetsItBackAfterTheWait() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2025-03-01T08:00:00Z"));
        try (ReceiptLinkServer limited = ReceiptLinkServer.start(
                "127.0.0.1",
                0,
                ServerTls.forPublic(pki.gatewayTlsCertificate(), pki.gatewayTlsKey()),
                new ReceiptLinks(database.dataSource(), Clock.systemUTC()),
                live::get,
                executor,
                Clock.systemUTC(),
                new AddressLimiter(3, Duration.ofSeconds(30), clock))) {
            URI link = URI.create(
                    "https://127.0.0.1:" + limited.port() + ReceiptLinks.PATH + sent.token(ReceiptStatus.RECEIVED));
            List<Integer> allowed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                allowed.add(send(HttpRequest.newBuilder(link).GET()).statusCode());
            }

            HttpResponse<String> refused = send(HttpRequest.newBuilder(link).GET());
            clock.advance(Duration.ofSeconds(10));
            HttpResponse<String> again = send(HttpRequest.newBuilder(link).GET());

            assertThat(allowed).containsExactly(200, 200, 200);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).contains("10");
            assertThat(refused.headers().firstValue("Strict-Transport-Security"))
                    .contains("max-age=31536000");
            assertThat(refused.body()).contains("<h1>Trop de demandes</h1>", "Réessayez dans 10 secondes");
            assertThat(again.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void sendsHstsOnEveryAnswer() throws Exception {
        HttpResponse<String> form = get(sent.token(ReceiptStatus.RECEIVED));
        HttpResponse<String> unknown = get("A".repeat(43));
        HttpResponse<String> tooLarge = post(sent.token(ReceiptStatus.DECLINED), "reason=" + "x".repeat(9000));

        assertThat(List.of(form, unknown, tooLarge))
                .extracting(HttpResponse::statusCode)
                .containsExactly(200, 404, 413);
        for (HttpResponse<String> page : List.of(form, unknown, tooLarge)) {
            assertThat(page.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
        }
    }

    @Test
    void countsUnknownLinksInsteadOfLoggingEach() throws Exception {
        server.flushTally();
        logs.list.clear();

        for (int i = 0; i < 3; i++) {
            get(("B" + i).repeat(21) + "B");
        }
        live.set(deployment(false, true));
        get(sent.token(ReceiptStatus.RECEIVED));
        List<String> before =
                logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        server.flushTally();

        assertThat(before).isEmpty();
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Receipt links since the last count: 3 unknown, 1 dead, 0 refused by the per-address limit");
    }

    @Test
    void neverAsksForAClientCertificate() throws IOException {
        // A client that has a certificate sends it only when the server asks for one.
        var context = ClientTls.sslContext(
                pki.partnerCertificate(ASSOCIATION), pki.partnerKey(ASSOCIATION), pki.caCertificate());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.startHandshake();

            assertThat(socket.getSession().getLocalCertificates()).isNull();
            assertThat(socket.getSession().getPeerCertificates()[0])
                    .isEqualTo(PemFiles.readCertificates(pki.gatewayTlsCertificate())
                            .get(0));
        }
    }

    /**
     * A shelter request from the police to the association by secure mail, its links issued by {@code clock},
     * without a recorded certificate (as before schema version 12).
     */
    private static Sent submit(Clock clock) {
        return submit(clock, Optional.empty());
    }

    /** As {@link #submit(Clock)}, the mail encrypted to the certificate of fingerprint {@code sealedFor}. */
    private static Sent submit(Clock clock, Optional<String> sealedFor) {
        ReceiptLinks.Issued issued =
                ReceiptLinks.issue("https://127.0.0.1:" + server.port(), Duration.ofDays(7), clock);
        ReferralId id = ReferralId.random();
        List<NewReceiptLink> links = issued.links().stream()
                .map(l -> sealedFor.map(l::sealedFor).orElse(l))
                .toList();
        NewDelivery delivery = new NewDelivery(
                ASSOCIATION,
                List.of("route-association"),
                "multipart/signed",
                "sealed for the association".getBytes(StandardCharsets.UTF_8),
                "mail",
                links);
        store.submit(new NewReferral(
                id,
                POLICE,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                Urgency.URGENT,
                Optional.empty(),
                new byte[32],
                ("{\"referral\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(delivery)));
        return new Sent(id, issued);
    }

    /** The association (enabled or not) by secure mail, pinning no certificate, and the route to it (or none). */
    private static Deployment deployment(boolean enabled, boolean routed) {
        return deployment(enabled, routed, Optional.empty(), List.of());
    }

    /** The association, enabled and routed, pinning {@code pinned} and accepting {@code previous} for a while. */
    private static Deployment deployment(String pinned, List<PreviousCertificate> previous) {
        return deployment(true, true, Optional.of(pinned), previous);
    }

    private static Deployment deployment(
            boolean enabled, boolean routed, Optional<String> pinned, List<PreviousCertificate> previous) {
        Partner association = new Partner(
                ASSOCIATION,
                "Amicale",
                Set.of(Department.of("75")),
                List.of(),
                pinned,
                Set.of(),
                "mail",
                "mail",
                enabled,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                new PartnerDelivery("mail", Map.of()),
                previous);
        List<Route> routes = routed
                ? List.of(new Route(
                        "route-association",
                        ReferralType.SHELTER_REQUEST,
                        Set.of(POLICE.kind()),
                        Set.of(),
                        List.of(new Recipient.Named(ASSOCIATION)),
                        List.of()))
                : List.of();
        Path dir = Path.of("/etc/passerelle");
        GatewaySettings settings = new GatewaySettings(
                dir.resolve("gateway.yaml"),
                "127.0.0.1",
                0,
                dir.resolve("pki"),
                dir.resolve("pki/gateway-tls.pem"),
                dir.resolve("pki/gateway-tls-key.pem"),
                dir.resolve("pki/ca.pem"),
                DatabaseSettings.embedded(),
                dir.resolve("data"),
                Retention.standard(),
                GatewaySettings.Limits.defaults(),
                dir.resolve("pki/gateway-signing.pem"),
                dir.resolve("pki/gateway-signing-key.pem"),
                dir.resolve("data/keys/master.keys"),
                GatewaySettings.AuditSettings.defaults(),
                Map.of(),
                GatewaySettings.DeliverySettings.defaults(),
                Optional.empty());
        return new Deployment(settings, Map.of(ASSOCIATION, association), routes);
    }

    /** Changes the referral's row as a cancellation, a withdrawal or a purge would. */
    private void setReferral(String change) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE referral SET " + change + " WHERE id = ?")) {
            update.setObject(1, sent.id().value());
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
    }

    private void assertDead(HttpResponse<String> shown, HttpResponse<String> posted) {
        for (HttpResponse<String> page : List.of(shown, posted)) {
            assertThat(page.statusCode()).isEqualTo(410);
            assertThat(page.body())
                    .contains("<h1>Ce lien n&#39;est plus valable</h1>", "rien n'a été enregistré")
                    .doesNotContain(sent.id().toString());
        }
        assertThat(copyState()).isEqualTo(DeliveryState.PENDING);
        assertThat(receiptEntries()).isEmpty();
    }

    private DeliveryState copyState() {
        return store.status(sent.id(), POLICE).orElseThrow().deliveries().get(0).state();
    }

    private List<AuditRecord> receiptEntries() {
        return AuditLog.list(database.dataSource(), Optional.of(sent.id())).stream()
                .filter(e -> e.action().startsWith("receipt."))
                .toList();
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> get(String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(ReceiptLinks.PATH + token)).GET());
    }

    private static HttpResponse<String> post(String token, String form) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(ReceiptLinks.PATH + token))
                .header("Content-Type", FORM)
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(
                request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
