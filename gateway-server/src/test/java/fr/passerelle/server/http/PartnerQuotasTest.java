package fr.passerelle.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.config.GatewaySettings.Quotas;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.GatewayMetrics;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PartnerQuotasTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private final AtomicLong nanos = new AtomicLong();
    private final GatewayMetrics metrics = new GatewayMetrics();

    private PartnerQuotas quotas(Quotas quotas) {
        return new PartnerQuotas(quotas, Clock.fixed(Instant.parse("2025-07-11T23:59:30Z"), ZoneOffset.UTC),
                nanos::get, metrics);
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
            assertThat(r.error().getMessage()).isEqualTo("partner police-75-brp is over its quota of"
                    + " 2 submissions per second, burst 3; retry in 1 s");
            assertThat(r.retryAfterSeconds()).isEqualTo(1);
        });
        assertThat(recovered).isEmpty();
        assertThat(quotas.take(POLICE, false)).as("other requests go on").isEmpty();
        assertThat(metrics.scrape()).contains("passerelle_rate_limited_total{limit=\"submissions\","
                + "partner=\"police-75-brp\"} 1.0");
    }

    @Test
    void refusesAnyRequestPastTheRequestBurst() {
        PartnerQuotas quotas = quotas(new Quotas(10, 10, 1, 2, 1000));
        quotas.take(POLICE, false);
        quotas.take(POLICE, false);

        assertThat(quotas.take(POLICE, false)).hasValueSatisfying(r -> assertThat(r.error().getMessage())
                .isEqualTo("partner police-75-brp is over its quota of 1 requests per second, burst 2;"
                        + " retry in 1 s"));
        assertThat(quotas.take(PartnerId.of("siao-75"), false)).as("each partner has its own").isEmpty();
    }

    @Test
    void refusesSubmissionsPastTheDailyQuotaUntilMidnightUtc() {
        PartnerQuotas quotas = quotas(new Quotas(100, 100, 100, 100, 2));
        quotas.take(POLICE, true);
        quotas.take(POLICE, true);

        assertThat(quotas.take(POLICE, true)).hasValueSatisfying(r -> {
            assertThat(r.error().getMessage()).isEqualTo("partner police-75-brp is over its quota of"
                    + " 2 submissions per day (UTC); retry in 31 s");
            assertThat(r.retryAfterSeconds()).isEqualTo(31);
        });
        assertThat(metrics.scrape()).contains("passerelle_submissions_today{partner=\"police-75-brp\"} 2.0");
    }
}
