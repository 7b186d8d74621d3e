package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.delivery.Outbox;
import fr.passerelle.core.delivery.Outbox.Claim;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxIT {
    private static final Duration LEASE = Duration.ofMinutes(2);
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Outbox outbox = new Outbox(TestDatabase.dataSource(), TestKeys.cipher(), clock);

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void claimsOnlyPushedPendingCopiesWithTheirDecryptedPayload() {
        ReferralId pushed = submit(Urgency.ROUTINE, "https", SIAO).id();
        submit(Urgency.ROUTINE, "inbox", ASSOCIATION);

        List<Claim> claims = outbox.claim(10, LEASE);

        assertThat(claims).hasSize(1);
        Claim claim = claims.get(0);
        assertThat(claim.referralId()).isEqualTo(pushed);
        assertThat(claim.recipient()).isEqualTo(SIAO);
        assertThat(claim.transport()).isEqualTo("https");
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(new String(claim.payload(), StandardCharsets.UTF_8)).isEqualTo("sealed for siao-75");
    }

    @Test
    void doesNotHandTheSameCopyTwiceWhileItsLeaseRunsThenTakesItOver() {
        submit(Urgency.ROUTINE, "https", SIAO);

        assertThat(outbox.claim(10, LEASE)).hasSize(1);
        assertThat(outbox.claim(10, LEASE)).isEmpty();
        clock.advance(LEASE);
        List<Claim> again = outbox.claim(10, LEASE);

        assertThat(again).hasSize(1);
        assertThat(again.get(0).attempt()).isEqualTo(2);
    }

    @Test
    void putsImmediateReferralsFirst() {
        ReferralId routine = submit(Urgency.ROUTINE, "https", SIAO).id();
        ReferralId urgent = submit(Urgency.URGENT, "https", SIAO).id();
        ReferralId immediate = submit(Urgency.IMMEDIATE, "https", SIAO).id();

        assertThat(outbox.claim(10, LEASE)).extracting(Claim::referralId).containsExactly(immediate, urgent, routine);
    }

    @Test
    void leavesOutTheDeliveriesOfPausedPartners() {
        ReferralId paused = submit(Urgency.IMMEDIATE, "https", SIAO).id();
        ReferralId other = submit(Urgency.ROUTINE, "https", ASSOCIATION).id();

        List<Claim> claimed = outbox.claim(10, LEASE, Set.of(SIAO));

        assertThat(claimed).extracting(Claim::referralId).containsExactly(other);
        assertThat(outbox.claim(10, LEASE, Set.of()))
                .extracting(Claim::referralId)
                .containsExactly(paused);
    }

    @Test
    void countsTheWaitingDeliveriesAndTheDeadLettersOfEachRecipient() {
        Instant first = clock.instant();
        submit(Urgency.ROUTINE, "https", SIAO);
        submit(Urgency.URGENT, "https", SIAO);
        submit(Urgency.ROUTINE, "https", ASSOCIATION);
        submit(Urgency.ROUTINE, "inbox", ASSOCIATION);
        Claim dead = outbox.claim(10, LEASE, Set.of(SIAO)).get(0);
        outbox.failed(dead, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());

        Map<PartnerId, Outbox.QueueStats> stats = outbox.stats();

        assertThat(stats).containsOnlyKeys(SIAO, ASSOCIATION);
        assertThat(stats.get(SIAO)).isEqualTo(new Outbox.QueueStats(SIAO, 2, Optional.of(first), 0));
        assertThat(stats.get(ASSOCIATION)).isEqualTo(new Outbox.QueueStats(ASSOCIATION, 0, Optional.empty(), 1));
    }

    @Test
    void hasNoFiguresForAnEmptyOutbox() {
        submit(Urgency.ROUTINE, "inbox", ASSOCIATION);

        assertThat(outbox.stats()).isEmpty();
    }

    @Test
    void recordsADeliveryWithItsAuditEntry() throws SQLException {
        ReferralId id = submit(Urgency.ROUTINE, "https", SIAO).id();
        Claim claim = outbox.claim(1, LEASE).get(0);

        outbox.delivered(claim, DeliveryOutcome.delivered("HTTP 200"));

        assertThat(state(claim.deliveryId())).isEqualTo("delivered");
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("delivered");
        AuditRecord entry = last();
        assertThat(entry.action()).isEqualTo("delivery.pushed");
        assertThat(entry.detail())
                .containsEntry("recipient", "siao-75")
                .containsEntry("transport", "https")
                .containsEntry("attempt", "1")
                .containsEntry("outcome", "delivered")
                .containsEntry("reason", "HTTP-200")
                .containsKey("envelopeSha256");
        assertThat(outbox.claim(10, LEASE)).isEmpty();
    }

    @Test
    void schedulesARetryThenGivesUpAsADeadLetter() throws SQLException {
        ReferralId id = submit(Urgency.ROUTINE, "https", SIAO).id();
        Claim first = outbox.claim(1, LEASE).get(0);

        outbox.failed(
                first,
                DeliveryOutcome.retryable("HTTP 503"),
                Optional.of(clock.instant().plusSeconds(30)));

        assertThat(outbox.claim(10, LEASE)).isEmpty();
        assertThat(last().action()).isEqualTo("delivery.retry");
        assertThat(lastError(first.deliveryId())).isEqualTo("HTTP 503");
        clock.advance(Duration.ofSeconds(30));
        Claim second = outbox.claim(1, LEASE).get(0);
        assertThat(second.attempt()).isEqualTo(2);

        outbox.failed(second, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());

        assertThat(state(second.deliveryId())).isEqualTo("failed");
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("failed");
        assertThat(last().action()).isEqualTo("delivery.failed");
        assertThat(last().detail()).containsEntry("outcome", "permanent").containsEntry("reason", "HTTP-404");
        clock.advance(Duration.ofDays(1));
        assertThat(outbox.claim(10, LEASE)).isEmpty();
    }

    @Test
    void ignoresTheFailureOfAClaimWhoseLeaseWasTakenOver() throws SQLException {
        ReferralId id = submit(Urgency.ROUTINE, "https", SIAO).id();
        Claim stale = outbox.claim(1, LEASE).get(0);
        clock.advance(LEASE);
        Claim current = outbox.claim(1, LEASE).get(0);

        boolean recorded = outbox.failed(stale, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());

        assertThat(recorded).isFalse();
        assertThat(state(current.deliveryId())).isEqualTo("pending");
        assertThat(lastError(current.deliveryId())).isNull();
        assertThat(outbox.claim(10, LEASE)).isEmpty();
        outbox.delivered(current, DeliveryOutcome.delivered("HTTP 200"));
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("delivered");
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.of(id)))
                .extracting(AuditRecord::action)
                .doesNotContain("delivery.failed");
    }

    @Test
    void releasesAnUnattemptedClaimWithoutCountingIt() {
        submit(Urgency.ROUTINE, "https", SIAO);
        outbox.release(outbox.claim(1, LEASE).get(0));

        assertThat(outbox.claim(1, LEASE).get(0).attempt()).isEqualTo(1);
    }

    @Test
    void ignoresTheFailureOfAClaimThatAnotherWorkerTookOverAfterItsLease() throws SQLException {
        submit(Urgency.ROUTINE, "https", SIAO);
        Claim stale = outbox.claim(1, LEASE).get(0);
        clock.advance(LEASE);
        Claim current = outbox.claim(1, LEASE).get(0);
        long entries =
                AuditLog.list(TestDatabase.dataSource(), Optional.empty()).size();

        boolean recorded = outbox.failed(
                stale, DeliveryOutcome.retryable("no complete answer within 35 s"), Optional.of(clock.instant()));

        assertThat(recorded).isFalse();
        assertThat(outbox.claim(10, LEASE))
                .as("claims while the current one holds its lease")
                .isEmpty();
        assertThat(lastError(current.deliveryId())).isNull();
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty())).hasSize((int) entries);
    }

    @Test
    void keepsADeliveryDeliveredWhenAClaimTakenOverGivesUpAfterwards() throws SQLException {
        ReferralId id = submit(Urgency.ROUTINE, "https", SIAO).id();
        Claim stale = outbox.claim(1, LEASE).get(0);
        clock.advance(LEASE);
        Claim current = outbox.claim(1, LEASE).get(0);

        outbox.failed(stale, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());
        outbox.delivered(current, DeliveryOutcome.delivered("HTTP 200"));

        assertThat(state(current.deliveryId())).isEqualTo("delivered");
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("delivered");
        assertThat(last().action()).isEqualTo("delivery.pushed");
    }

    @Test
    void doesNotReleaseAClaimThatAnotherWorkerTookOver() {
        submit(Urgency.ROUTINE, "https", SIAO);
        Claim stale = outbox.claim(1, LEASE).get(0);
        clock.advance(LEASE);
        outbox.claim(1, LEASE);

        outbox.release(stale);

        assertThat(outbox.claim(10, LEASE))
                .as("claims while the current one holds its lease")
                .isEmpty();
    }

    private Submission submit(Urgency urgency, String transport, fr.passerelle.core.partner.PartnerId recipient) {
        ReferralId id = ReferralId.random();
        NewDelivery delivery = new NewDelivery(
                recipient,
                List.of("route"),
                "application/pkcs7-mime",
                ("sealed for " + recipient).getBytes(StandardCharsets.UTF_8),
                transport,
                List.of());
        Submission submission = store.submit(new NewReferral(
                id,
                POLICE,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                urgency,
                Optional.empty(),
                Referrals.digest(1),
                "{}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(delivery)));
        clock.advance(Duration.ofMillis(1));
        return submission;
    }

    private static AuditRecord last() {
        List<AuditRecord> entries = AuditLog.list(TestDatabase.dataSource(), Optional.empty());
        return entries.get(entries.size() - 1);
    }

    private static String state(long deliveryId) throws SQLException {
        return column(deliveryId, "state");
    }

    private static String lastError(long deliveryId) throws SQLException {
        return column(deliveryId, "last_error");
    }

    private static String column(long deliveryId, String column) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT " + column + " FROM delivery WHERE id = ?")) {
            select.setLong(1, deliveryId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
