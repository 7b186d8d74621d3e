package fr.passerelle.adapters.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.core.testkit.PartnerEndpoint.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport against a real partner endpoint over mutual TLS on the loopback interface. */
class HttpsPushTransportIT {
    private static final PartnerId SIAO = PartnerId.of("siao-75");
    private static final ReferralId REFERRAL = ReferralId.parse("0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21");
    private static final byte[] SEALED = {
        0x30, (byte) 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, 0x0d, 0x0a, 0x00, (byte) 0xff, 0x7f
    };
    private static final String CMS = "application/pkcs7-mime; smime-type=authEnveloped-data";
    /** The body of every error answer of the partner. */
    private static final String ERROR_BODY = "Exemple FICTIF: the partner's error page, body-marker-7f3a";

    @TempDir
    static Path pkiDir;

    private static PushPki pki;

    private PartnerEndpoint endpoint;
    private Transport transport;

    @BeforeAll
    static void createPki() throws Exception {
        pki = PushPki.create(pkiDir);
    }

    @AfterEach
    void close() {
        if (transport != null) {
            transport.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void postsTheSealedBytesWithTheDeliveryHeadersAndTheGatewayCertificate() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/ok"), 3));

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered("HTTP 200"));
        assertThat(endpoint.received()).hasSize(1);
        PartnerEndpoint.Received received = endpoint.received().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.body()).isEqualTo(SEALED);
        assertThat(received.header("Content-Type")).isEqualTo(CMS);
        assertThat(received.header("Passerelle-Delivery-Id")).isEqualTo("4217");
        assertThat(received.header("Passerelle-Referral-Id")).isEqualTo("0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21");
        assertThat(received.header("Passerelle-Type")).isEqualTo("shelter.request");
        assertThat(received.header("Passerelle-Attempt")).isEqualTo("3");
        assertThat(received.clientCertificate()).isEqualTo(pki.gatewayClient().certificate());
    }

    @Test
    void deliversToAnIpAddressThatTheServerCertificateNames() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("/ok"), 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered("HTTP 200"));
    }

    @Test
    void retriesAfterAServerErrorWithoutKeepingTheBody() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/fail"), 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryable("HTTP 500"));
    }

    @Test
    void givesUpOnAClientErrorOtherThan408And429() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/missing"), 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.permanent("HTTP 404"));
    }

    @Test
    void retriesAfterTooManyRequestsKeepingRetryAfter() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/busy"), 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryable("HTTP 429, Retry-After 30"));
    }

    @Test
    void givesUpOnARedirectWithoutFollowingIt() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/moved"), 1));

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.permanent(
                        "HTTP 301 (redirects are not followed: set the" + " partner's url to the final address)"));
        assertThat(endpoint.received())
                .extracting(PartnerEndpoint.Received::path)
                .containsExactly("/moved");
    }

    @Test
    void retriesWhenThePartnerDoesNotAnswerWithinTheRequestTimeout() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of("request_timeout_seconds", "1"));

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/hang"), 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryable("no answer within 1 s"));
    }

    @Test
    void retriesWhenTheServerCertificateComesFromAnotherCa() throws Exception {
        endpoint = partner(pki.foreignServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/ok"), 1));

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.retryable("TLS handshake failed: server certificate not trusted"));
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void retriesWhenTheServerCertificateDoesNotNameTheHost() throws Exception {
        endpoint = partner(pki.otherHost(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/ok"), 1));

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.retryable(
                        "TLS handshake failed: server certificate does not name host localhost"));
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void retriesWhenThePartnerRefusesTheGatewayCertificate() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.foreignServer().certificate());
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/ok"), 1));

        // TLS 1.3: whether the server's alert beats the reset of the connection depends on the scheduler.
        assertThat(outcome)
                .isIn(
                        DeliveryOutcome.retryable("connection closed before the answer (also what a"
                                + " partner's server that refuses the gateway's client certificate does)"),
                        DeliveryOutcome.retryable("TLS failed: the partner's server sent alert bad_certificate"),
                        DeliveryOutcome.retryable("TLS failed: the partner's server sent alert certificate_unknown"));
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void retriesWhenTheConnectionIsRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery("https://127.0.0.1:" + closedPort + "/ok", 1));

        assertThat(outcome).isEqualTo(DeliveryOutcome.retryable("connection refused"));
    }

    @Test
    void returnsRetryableAndKeepsTheInterruptWhenInterrupted() throws Exception {
        endpoint = partner(pki.partnerServer(), pki.anchor());
        transport = open(pki.gatewayClient(), Map.of());

        Thread.currentThread().interrupt();
        DeliveryOutcome outcome = transport.deliver(delivery(endpoint.url("localhost", "/hang"), 1));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(outcome).isEqualTo(DeliveryOutcome.retryable("interrupted before the partner answered"));
    }

    @Test
    void givesUpOnAPartnerWhoseUrlIsNotHttps() {
        transport = open(pki.gatewayClient(), Map.of());

        DeliveryOutcome outcome = transport.deliver(delivery("http://127.0.0.1:9/ok", 1));

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.permanent("delivery option url uses http:// (expected: an"
                        + " absolute https:// URL such as https://siao.example.fr/passerelle/referrals)"));
    }

    @Test
    void refusesToOpenWithoutTrustAnchors() {
        TransportContext context =
                new TransportContext(pki.gatewayClient(), List.of(), Map.of(), name -> null, Clock.systemUTC(), pkiDir);

        assertThatThrownBy(() -> new HttpsPushTransportProvider().open(context))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("transport https has no trust anchors (expected: the CA"
                                    + " certificates that partners' server certificates chain to)");
                });
    }

    @Test
    void isFoundByItsIdThroughTheServiceLoader() {
        assertThat(Adapters.load().transport("https")).isInstanceOf(HttpsPushTransportProvider.class);
    }

    /** A transport with the longest connect timeout unless {@code settings} say otherwise: CI machines are slow. */
    private static Transport open(CertifiedKey clientKey, Map<String, String> settings) {
        Map<String, String> patient = new HashMap<>(Map.of("connect_timeout_seconds", "60"));
        patient.putAll(settings);
        List<X509Certificate> anchors = List.of(pki.anchor());
        return new HttpsPushTransportProvider()
                .open(new TransportContext(clientKey, anchors, patient, name -> null, Clock.systemUTC(), pkiDir));
    }

    private static OutgoingDelivery delivery(String url, int attempt) {
        return new OutgoingDelivery(
                4217,
                REFERRAL,
                SIAO,
                ReferralType.SHELTER_REQUEST,
                Urgency.URGENT,
                Map.of("url", url),
                CMS,
                SEALED,
                attempt);
    }

    /**
     * A partner's endpoint with {@code serverKey}, requiring a client certificate from {@code clientCa}. It answers
     * by path: {@code /ok} 200, {@code /fail} 500, {@code /missing} 404, {@code /busy} 429 with
     * {@code Retry-After: 30}, {@code /moved} 301, {@code /hang} never (until closed). Error answers carry a body
     * that must never reach a delivery's detail.
     */
    private static PartnerEndpoint partner(CertifiedKey serverKey, X509Certificate clientCa) throws IOException {
        Path dir = Files.createTempDirectory(pkiDir, "endpoint-");
        PemFiles.writeCertificates(dir.resolve("server.pem"), serverKey.chain());
        PemFiles.writePrivateKey(dir.resolve("server-key.pem"), serverKey.key());
        PemFiles.writeCertificates(dir.resolve("client-ca.pem"), List.of(clientCa));
        SSLContext tls = ClientTls.sslContext(
                dir.resolve("server.pem"), dir.resolve("server-key.pem"), dir.resolve("client-ca.pem"));
        return PartnerEndpoint.start(PartnerEndpoint.Binding.of(tls)).route(path -> switch (path) {
            case "/ok" -> Answer.OK;
            case "/fail" -> Answer.ERROR.withBody(ERROR_BODY);
            case "/missing" -> Answer.NOT_FOUND.withBody(ERROR_BODY);
            case "/busy" -> Answer.status(429).withHeader("Retry-After", "30").withBody(ERROR_BODY);
            case "/moved" -> Answer.status(301).withHeader("Location", "https://elsewhere.example/ok");
            case "/hang" -> Answer.HANG;
            default -> Answer.status(400).withBody(ERROR_BODY);
        });
    }
}
