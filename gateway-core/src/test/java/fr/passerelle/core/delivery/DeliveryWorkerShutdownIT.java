package fr.passerelle.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.core.store.TestKeys;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a stopping worker does with a delivery that does not finish within the drain time. */
class DeliveryWorkerShutdownIT {
    private static final PartnerId SIAO = PartnerId.of("siao-75");
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final String INTERRUPTED = "interrupted before the partner answered";

    private final Clock clock = Clock.systemUTC();
    private final Outbox outbox = new Outbox(TestDatabase.dataSource(), TestKeys.cipher(), clock);

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void recordsTheDeliveryItInterruptsBeforeItReturnsSoThatItIsDueAgainBeforeItsLeaseEnds() throws Exception {
        submitToSiao();
        HangingTransport partner = new HangingTransport();
        DeliveryWorker worker = new DeliveryWorker(
                        outbox,
                        Map.of("https", partner),
                        () -> deployment(),
                        RetryPolicy.defaults(),
                        clock,
                        1,
                        Duration.ofMillis(50),
                        Duration.ofMinutes(6),
                        (claim, outcome) -> {})
                .start();
        assertThat(partner.started.await(10, TimeUnit.SECONDS))
                .as("the delivery reached the partner")
                .isTrue();

        worker.close(Duration.ofMillis(100));

        assertThat(row("SELECT last_error FROM delivery")).isEqualTo(INTERRUPTED);
        assertThat(row("SELECT state FROM delivery")).isEqualTo("pending");
        assertThat(row("SELECT lease_until IS NULL FROM delivery"))
                .as("lease given back")
                .isEqualTo("t");
    }

    /** A partner that never answers: the attempt ends only when its thread is interrupted, as HTTPS push does. */
    private static final class HangingTransport implements Transport {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public DeliveryOutcome deliver(OutgoingDelivery delivery) {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return DeliveryOutcome.delivered("HTTP 200");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DeliveryOutcome.retryable(INTERRUPTED);
            }
        }

        @Override
        public void close() {}
    }

    private void submitToSiao() {
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) 7);
        NewDelivery delivery = new NewDelivery(
                SIAO,
                List.of("route"),
                "application/pkcs7-mime",
                "sealed for siao-75".getBytes(StandardCharsets.UTF_8),
                "https",
                List.of());
        new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher())
                .submit(new NewReferral(
                        ReferralId.random(),
                        POLICE,
                        ReferralType.SHELTER_REQUEST,
                        Department.of("75"),
                        Urgency.IMMEDIATE,
                        Optional.empty(),
                        digest,
                        "{}".getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        List.of(delivery)));
    }

    private static Deployment deployment() {
        Partner siao = new Partner(
                SIAO,
                "SIAO",
                Set.of(Department.of("75")),
                List.of(),
                Optional.empty(),
                Set.of(),
                "siao-json",
                "siao-json",
                true,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                new PartnerDelivery(
                        "https", Map.of("url", "https://siao.example.invalid/"), Optional.empty(), Optional.empty()));
        return new Deployment(settings(), Map.of(SIAO, siao), List.of());
    }

    private static GatewaySettings settings() {
        Path dir = Path.of("/etc/passerelle");
        return new GatewaySettings(
                dir.resolve("gateway.yaml"),
                "127.0.0.1",
                0,
                dir.resolve("pki"),
                dir.resolve("pki/gateway-tls.pem"),
                dir.resolve("pki/gateway-tls-key.pem"),
                dir.resolve("pki/ca.pem"),
                GatewaySettings.DatabaseSettings.embedded(),
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
    }

    private static String row(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
