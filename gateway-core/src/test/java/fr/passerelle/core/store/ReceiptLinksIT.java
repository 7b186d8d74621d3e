package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.receipt.ReceiptLinks.Issued;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.receipt.ReceiptLinks.Redeemed;
import fr.passerelle.core.receipt.ReceiptLinks.Result;
import fr.passerelle.core.receipt.ReceiptOutcome;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReceiptLinksIT {
    static final Instant START = Instant.parse("2025-07-11T09:30:00Z");
    static final String PUBLIC_URL = "https://passerelle.example.fr:8444";

    private final FakeClock clock = new FakeClock(START);
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final ReceiptLinks links = new ReceiptLinks(TestDatabase.dataSource(), clock);
    private Issued issued;
    private ReferralId id;

    /** A referral to the SIAO (pulled) and to an association (secure mail, with links valid 7 days). */
    @BeforeEach
    void submitWithLinksForTheAssociation() {
        TestDatabase.reset();
        issued = ReceiptLinks.issue(PUBLIC_URL + "/", Duration.ofDays(7), clock);
        NewReferral plain = Referrals.toSiaoAndAssociation();
        List<NewDelivery> deliveries = plain.deliveries().stream()
                .map(d -> d.recipient().equals(ASSOCIATION)
                        ? new NewDelivery(
                                d.recipient(), d.routeIds(), "multipart/signed", d.payload(), "mail", issued.links())
                        : d)
                .toList();
        id = store.submit(new NewReferral(
                        plain.id(),
                        plain.sender(),
                        plain.type(),
                        plain.department(),
                        plain.urgency(),
                        plain.idempotencyKey(),
                        plain.requestDigest(),
                        plain.document(),
                        plain.documentMediaType(),
                        deliveries))
                .id();
    }

    @Test
    void issuesThreeHttpsLinksUnderThePublicUrlThatExpireTogether() {
        assertThat(issued.urls())
                .containsOnlyKeys(ReceiptStatus.RECEIVED, ReceiptStatus.ACCEPTED, ReceiptStatus.DECLINED);
        assertThat(issued.urls().values()).allSatisfy(url -> assertThat(url)
                .matches("https://passerelle\\.example\\.fr:8444/v1/receipts/[A-Za-z0-9_-]{43}"));
        assertThat(issued.urls().values()).doesNotHaveDuplicates();
        assertThat(issued.expiresAt()).isEqualTo(START.plus(Duration.ofDays(7)));
        assertThat(issued.links())
                .extracting(NewReceiptLink::status, NewReceiptLink::expiresAt)
                .containsExactly(
                        tuple(ReceiptStatus.RECEIVED, issued.expiresAt()),
                        tuple(ReceiptStatus.ACCEPTED, issued.expiresAt()),
                        tuple(ReceiptStatus.DECLINED, issued.expiresAt()));
        assertThat(issued.links().get(1).tokenSha256()).isEqualTo(ReceiptLinks.hash(token(ReceiptStatus.ACCEPTED)));
    }

    @Test
    void neverPrintsATokenOfIssuedLinks() {
        String printed = issued.toString();

        assertThat(printed).isEqualTo("Issued[3 links, expires 2025-07-18T09:30:00Z]");
        for (ReceiptStatus status : ReceiptLinks.STATUSES) {
            assertThat(printed).doesNotContain(token(status));
        }
    }

    @Test
    void refusesAPublicUrlThatIsNotHttps() {
        assertThatThrownBy(() -> ReceiptLinks.issue("http://passerelle.example.fr", Duration.ofDays(7), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("receipt links' public URL 'http://passerelle.example.fr' is not an https URL"
                        + " (expected, for instance: https://passerelle.example.fr:8444)");
    }

    @Test
    void showsWhatALinkWillRecordWithoutUsingIt() {
        Optional<LinkView> first = links.look(token(ReceiptStatus.ACCEPTED));
        Optional<LinkView> again = links.look(token(ReceiptStatus.ACCEPTED));

        assertThat(first)
                .contains(new LinkView(
                        id,
                        ReferralType.SHELTER_REQUEST,
                        ASSOCIATION,
                        ReceiptStatus.ACCEPTED,
                        issued.expiresAt(),
                        Optional.empty(),
                        false,
                        DeliveryState.PENDING,
                        List.of("route-association"),
                        false));
        assertThat(again).isEqualTo(first);
        assertThat(first.orElseThrow().usable()).isTrue();
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isZero();
    }

    @Test
    void remembersTheCertificateThatTheLinksMailWasEncryptedTo() {
        String fingerprint = String.join(":", Collections.nCopies(32, "3F"));
        Issued sealed = ReceiptLinks.issue(PUBLIC_URL, Duration.ofDays(7), clock);
        NewReferral plain = Referrals.toSiaoAndAssociation();
        NewDelivery mail = new NewDelivery(
                ASSOCIATION,
                List.of("route-association"),
                "multipart/signed",
                plain.deliveries().get(0).payload(),
                "mail",
                sealed.links().stream().map(l -> l.sealedFor(fingerprint)).toList());
        store.submit(new NewReferral(
                ReferralId.random(),
                plain.sender(),
                plain.type(),
                plain.department(),
                plain.urgency(),
                Optional.empty(),
                plain.requestDigest(),
                plain.document(),
                plain.documentMediaType(),
                List.of(mail)));
        String token = sealed.urls()
                .get(ReceiptStatus.RECEIVED)
                .substring(sealed.urls().get(ReceiptStatus.RECEIVED).lastIndexOf('/') + 1);

        Optional<LinkView> link = links.look(token);

        assertThat(link.orElseThrow().certificateSha256()).contains(fingerprint);
        assertThat(links.look(token(ReceiptStatus.RECEIVED)).orElseThrow().certificateSha256())
                .isEmpty();
    }

    @Test
    void firstUseRecordsTheReceiptAndChangesTheCopyAndTheReferral() {
        Redeemed redeemed = links.redeem(token(ReceiptStatus.ACCEPTED), Optional.empty());

        assertThat(redeemed.result()).isEqualTo(Result.RECORDED);
        assertThat(redeemed.outcome())
                .contains(new ReceiptOutcome(id, ASSOCIATION, DeliveryState.ACCEPTED, "accepted"));
        assertThat(store.status(id, POLICE).orElseThrow().deliveries())
                .extracting(DeliveryStatus::recipient, DeliveryStatus::state)
                .containsExactly(tuple(SIAO, DeliveryState.PENDING), tuple(ASSOCIATION, DeliveryState.ACCEPTED));
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("accepted");
        assertThat(links.look(token(ReceiptStatus.ACCEPTED)).orElseThrow().usedAt())
                .contains(START);
    }

    @Test
    void auditsTheReceiptAndTheUseOfTheLinkByTheRecipient() {
        links.redeem(token(ReceiptStatus.DECLINED), Optional.of(DeclineReason.NO_CAPACITY));

        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.of(id)))
                .filteredOn(e -> e.action().startsWith("receipt."))
                .extracting(AuditRecord::actor, AuditRecord::action, AuditRecord::detail)
                .containsExactly(
                        tuple(
                                "association-75-amicale",
                                "receipt.recorded",
                                Map.of(
                                        "recipient",
                                        "association-75-amicale",
                                        "status",
                                        "declined",
                                        "reason",
                                        "no-capacity")),
                        tuple(
                                "association-75-amicale",
                                "receipt.link.used",
                                Map.of("recipient", "association-75-amicale", "status", "declined", "via", "link")));
    }

    @Test
    void keepsEveryTokenAndItsHashOutOfTheAuditLog() {
        links.redeem(token(ReceiptStatus.RECEIVED), Optional.empty());
        links.redeem(token(ReceiptStatus.ACCEPTED), Optional.empty());

        List<AuditRecord> entries = AuditLog.list(TestDatabase.dataSource(), Optional.empty());

        assertThat(entries).extracting(AuditRecord::action).contains("receipt.link.used");
        for (ReceiptStatus status : ReceiptLinks.STATUSES) {
            String hashHex = HexFormat.of().formatHex(ReceiptLinks.hash(token(status)));
            assertThat(entries).allSatisfy(e -> assertThat(e.detail().toString())
                    .doesNotContain(token(status))
                    .doesNotContain(hashHex));
        }
    }

    @Test
    void usingOneLinkLeavesTheOthersUsable() {
        Redeemed received = links.redeem(token(ReceiptStatus.RECEIVED), Optional.empty());
        Redeemed accepted = links.redeem(token(ReceiptStatus.ACCEPTED), Optional.empty());

        assertThat(received.outcome().orElseThrow().state()).isEqualTo(DeliveryState.RECEIVED);
        assertThat(accepted.outcome().orElseThrow().state()).isEqualTo(DeliveryState.ACCEPTED);
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(2);
    }

    @Test
    void refusesASecondUseAndChangesNothing() {
        links.redeem(token(ReceiptStatus.RECEIVED), Optional.empty());
        long entries = AuditLog.count(TestDatabase.dataSource());
        clock.advance(Duration.ofHours(1));

        Redeemed again = links.redeem(token(ReceiptStatus.RECEIVED), Optional.empty());

        assertThat(again.result()).isEqualTo(Result.ALREADY_USED);
        assertThat(again.outcome()).isEmpty();
        assertThat(again.link().usedAt()).contains(START);
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(1);
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(entries);
    }

    @Test
    void refusesAnExpiredLinkAndChangesNothing() {
        clock.advance(Duration.ofDays(7));
        long entries = AuditLog.count(TestDatabase.dataSource());

        Redeemed late = links.redeem(token(ReceiptStatus.ACCEPTED), Optional.empty());

        assertThat(late.result()).isEqualTo(Result.EXPIRED);
        assertThat(late.link().expired()).isTrue();
        assertThat(late.link().used()).isFalse();
        assertThat(links.look(token(ReceiptStatus.ACCEPTED)).orElseThrow().usable())
                .isFalse();
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("routed");
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(entries);
    }

    @Test
    void acceptsALinkUntilJustBeforeItsExpiry() {
        clock.advance(Duration.ofDays(7).minusSeconds(1));

        Redeemed redeemed = links.redeem(token(ReceiptStatus.RECEIVED), Optional.empty());

        assertThat(redeemed.result()).isEqualTo(Result.RECORDED);
    }

    @Test
    void findsNoLinkForAnUnknownOrMalformedToken() {
        String unknown = "A".repeat(43);

        for (String token : List.of(unknown, "short", token(ReceiptStatus.RECEIVED) + "x", "../../etc/passwd", "")) {
            assertThat(links.look(token)).isEmpty();
            assertThatThrownBy(() -> links.redeem(token, Optional.empty()))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(e.getMessage())
                                .isEqualTo("no receipt link with this token (expected: a link"
                                        + " from a Passerelle mail, copied whole)");
                    });
        }
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isZero();
    }

    @Test
    void refusesADeclineWithoutReasonAndLeavesTheLinkUnused() {
        assertThatThrownBy(() -> links.redeem(token(ReceiptStatus.DECLINED), Optional.empty()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("receipt 'declined' for referral " + id + " needs a reason (expected one of: "
                                    + DeclineReason.codes() + ")");
                });

        assertThat(links.look(token(ReceiptStatus.DECLINED)).orElseThrow().usable())
                .isTrue();
    }

    @Test
    void refusesAReasonOnALinkThatDoesNotDecline() {
        assertThatThrownBy(() -> links.redeem(token(ReceiptStatus.ACCEPTED), Optional.of(DeclineReason.OTHER)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("receipt 'accepted' for referral " + id
                                    + " takes no reason (only 'declined' does)");
                });
    }

    @Test
    void recordsADeclineWithItsReason() {
        links.redeem(token(ReceiptStatus.DECLINED), Optional.of(DeclineReason.PERSON_UNREACHABLE));

        assertThat(store.status(id, POLICE).orElseThrow().deliveries())
                .filteredOn(d -> d.recipient().equals(ASSOCIATION))
                .extracting(DeliveryStatus::state, DeliveryStatus::reason)
                .containsExactly(tuple(DeliveryState.DECLINED, Optional.of(DeclineReason.PERSON_UNREACHABLE)));
    }

    @Test
    void refusesToAcceptThroughALinkOnceTheCopyIsDeclined() {
        links.redeem(token(ReceiptStatus.DECLINED), Optional.of(DeclineReason.DUPLICATE));

        assertThatThrownBy(() -> links.redeem(token(ReceiptStatus.ACCEPTED), Optional.empty()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("cannot record 'accepted' for referral " + id
                                    + ": your copy is 'declined' (expected: pending, delivered or received)");
                });
        assertThat(links.look(token(ReceiptStatus.ACCEPTED)).orElseThrow().used())
                .isFalse();
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(1);
    }

    private String token(ReceiptStatus status) {
        String url = issued.urls().get(status);
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
