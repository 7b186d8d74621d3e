package fr.passerelle.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.config.model.GatewaySettings.Quotas;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.metrics.GatewayMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PartnerQuotasTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private final AtomicLong nanos = new AtomicLong();
    private final GatewayMetrics metrics = new GatewayMetrics();

    private PartnerQuotas quotas(Quotas quotas) {
        return quotas(id -> quotas);
    }

    private PartnerQuotas quotas(Function<PartnerId, Quotas> quotasOf) {
        return new PartnerQuotas(
                quotasOf, Clock.fixed(Instant.parse("2025-07-11T23:59:30Z"), ZoneOffset.UTC), nanos::get, metrics);
    }

    @Test
    void refusesSubmissionsPastTheBurstThenRecoversAtTheRate() {
        PartnerQuotas quotas = quotas(new Quotas(2, 3, 100, 100, 1000));
        for (int i = 0; i < 3; i++) {
            assertThat(quotas.take(POLICE, true)).isEmpty();
        }

        Optional<PartnerQuotas.Refusal> refused = quotas.take(POLICE, true);
        nanos.addAndGet(500_000_000L);
        Optional<PartnerQuotas.Refusal> recovered = quotas.take(POLICE, true);

        assertThat(refused).hasValueSatisfying(r -> {
            assertThat(r.error().code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(r.error().getMessage())
                    .isEqualTo("partner police-75-brp is over its quota of"
                            + " 2 submissions per second, burst 3; retry in 1 s");
            assertThat(r.retryAfterSeconds()).isEqualTo(1);
        });
        assertThat(recovered).isEmpty();
        assertThat(quotas.take(POLICE, false)).as("other requests go on").isEmpty();
        assertThat(metrics.scrape())
                .contains("passerelle_rate_limited_total{limit=\"submissions\"," + "partner=\"police-75-brp\"} 1.0");
    }

    @Test
    void refusesAnyRequestPastTheRequestBurst() {
        PartnerQuotas quotas = quotas(new Quotas(10, 10, 1, 2, 1000));
        quotas.take(POLICE, false);
        quotas.take(POLICE, false);

        assertThat(quotas.take(POLICE, false))
                .hasValueSatisfying(r -> assertThat(r.error().getMessage())
                        .isEqualTo("partner police-75-brp is over its quota of 1 requests per second, burst 2;"
                                + " retry in 1 s"));
        assertThat(quotas.take(PartnerId.of("siao-75"), false))
                .as("each partner has its own")
                .isEmpty();
    }

    @Test
    void refusesSubmissionsPastTheDailyQuotaUntilMidnightUtc() {
        PartnerQuotas quotas = quotas(new Quotas(100, 100, 100, 100, 2));
        quotas.take(POLICE, true);
        quotas.take(POLICE, true);

        assertThat(quotas.take(POLICE, true)).hasValueSatisfying(r -> {
            assertThat(r.error().getMessage())
                    .isEqualTo("partner police-75-brp is over its quota of"
                            + " 2 submissions per day (UTC); retry in 31 s");
            assertThat(r.retryAfterSeconds()).isEqualTo(31);
        });
        assertThat(metrics.scrape()).contains("passerelle_submissions_today{partner=\"police-75-brp\"} 2.0");
    }

    @Test
    void letsAPartnerWithAHigherOverrideThroughWhereTheDefaultPartnerIsLimited() {
        PartnerId association = PartnerId.of("association-75-amarante");
        Map<PartnerId, Quotas> resolved = Map.of(POLICE, new Quotas(100, 10, 100, 100, 1000));
        PartnerQuotas quotas = quotas(id -> resolved.getOrDefault(id, new Quotas(1, 2, 100, 100, 1000)));
        for (int i = 0; i < 2; i++) {
            quotas.take(association, true);
            quotas.take(POLICE, true);
        }

        Optional<PartnerQuotas.Refusal> limited = quotas.take(association, true);
        Optional<PartnerQuotas.Refusal> overridden = quotas.take(POLICE, true);

        assertThat(limited)
                .hasValueSatisfying(
                        r -> assertThat(r.error().getMessage())
                                .isEqualTo(
                                        "partner"
                                                + " association-75-amarante is over its quota of 1 submissions per second, burst 2; retry in 1 s"));
        assertThat(overridden).isEmpty();
    }

    @Test
    void appliesNewQuotasToThePartnerFromItsNextRequestWithoutRefillingItsBucket() {
        PartnerId siao = PartnerId.of("siao-75");
        AtomicReference<Quotas> police = new AtomicReference<>(new Quotas(1, 2, 100, 100, 1000));
        PartnerQuotas quotas = quotas(id -> id.equals(POLICE) ? police.get() : new Quotas(1, 2, 100, 100, 1000));
        quotas.take(POLICE, true);
        quotas.take(POLICE, true);
        quotas.take(siao, true);
        quotas.take(siao, true);
        Optional<PartnerQuotas.Refusal> before = quotas.take(POLICE, true);

        police.set(new Quotas(4, 5, 100, 100, 1000));
        Optional<PartnerQuotas.Refusal> stillEmpty = quotas.take(POLICE, true);
        nanos.addAndGet(250_000_000L);
        Optional<PartnerQuotas.Refusal> atTheNewRate = quotas.take(POLICE, true);
        Optional<PartnerQuotas.Refusal> other = quotas.take(siao, true);

        assertThat(before).isPresent();
        assertThat(stillEmpty)
                .as("a new configuration does not hand out a fresh burst")
                .hasValueSatisfying(r -> assertThat(r.error().getMessage())
                        .isEqualTo("partner police-75-brp is over its quota of"
                                + " 4 submissions per second, burst 5; retry in 1 s"));
        assertThat(atTheNewRate)
                .as("a quarter of a second refills one at 4 per second")
                .isEmpty();
        assertThat(other).as("another partner keeps its bucket and its rate").isPresent();
    }

    @Test
    void warnsAgainOnceARaisedDailyQuotaReachesItsEightyPercent() {
        AtomicReference<Quotas> resolved = new AtomicReference<>(new Quotas(100, 100, 100, 100, 5));
        PartnerQuotas quotas = quotas(id -> resolved.get());
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(PartnerQuotas.class)).addAppender(log);
        try {
            for (int i = 0; i < 4; i++) {
                quotas.take(POLICE, true);
            }
            resolved.set(new Quotas(100, 100, 100, 100, 10));
            for (int i = 0; i < 4; i++) {
                quotas.take(POLICE, true);
            }
        } finally {
            ((Logger) LoggerFactory.getLogger(PartnerQuotas.class)).detachAppender(log);
        }

        assertThat(log.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "Partner police-75-brp has made 4 of its 5 submissions for 2025-07-11 (80 %)",
                        "Partner police-75-brp has made 8 of its 10 submissions for 2025-07-11 (80 %)");
    }
}
