package fr.passerelle.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.InboxItem;
import fr.passerelle.core.store.InboxPage;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyRotationIT {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final PartnerId SIAO = PartnerId.of("siao-75");
    private static final PartnerId ASSOCIATION = PartnerId.of("association-75-amicale");
    private static final int BEFORE = 40;
    private static final int DURING = 40;

    private final DataSource ds = TestDatabase.dataSource();
    private final Path file = TestKeys.newKeyFile();
    private final Path policeFile = PayloadCipher.familyFile(file, Domain.POLICE_JUSTICE);
    private final PayloadCipher cipher = new PayloadCipher(file);
    private final JdbcReferralStore store = new JdbcReferralStore(ds, Clock.systemUTC(), cipher);
    private ExecutorService threads;

    @BeforeEach
    void emptyDatabase() {
        TestDatabase.reset();
    }

    @AfterEach
    void stopThreads() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    @Test
    void rewrapsEveryDataKeyWhileReferralsAreSubmittedAndPulledAndThenRetiresTheOldKey() throws Exception {
        String old = cipher.currentId();
        List<NewReferral> submitted = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < BEFORE; i++) {
            submitted.add(submit());
        }
        MasterKeys rotated = MasterKeys.load(file).addKey(file, Clock.systemUTC());
        String current = rotated.currentId();
        assertThatThrownBy(() -> rotated.retire(file, old, KeyRotation.usage(ds).getOrDefault(old, 0L)))
                .isInstanceOf(GatewayException.class)
                .hasMessage("master key " + old + " still wraps "
                        + 3 * BEFORE + " stored data keys (expected: 0); run `gateway keys rotate` to re-wrap them"
                        + " under " + current + " first");
        threads = Executors.newFixedThreadPool(2);
        AtomicBoolean rotating = new AtomicBoolean(true);

        Future<?> submitter = threads.submit(() -> {
            for (int i = 0; i < DURING; i++) {
                submitted.add(submit());
            }
            return null;
        });
        Future<List<InboxItem>> puller = threads.submit(() -> {
            List<InboxItem> pulled = new ArrayList<>();
            long cursor = 0;
            // Bounded: at most this many pages, and never past the end of the rotation's work.
            for (int page = 0; page < 200 && (rotating.get() || page < 2); page++) {
                InboxPage next = store.inbox(SIAO, cursor, 5);
                pulled.addAll(next.items());
                cursor = next.next();
            }
            return pulled;
        });
        KeyRotation.Result during = KeyRotation.rewrap(ds, cipher, 7);
        submitter.get(5, TimeUnit.MINUTES);
        rotating.set(false);
        List<InboxItem> pulled = puller.get(5, TimeUnit.MINUTES);

        KeyRotation.Result last = KeyRotation.rewrap(ds, cipher, 7);

        assertThat(last.remainingByKey()).isEmpty();
        assertThat(during.rewrapped() + last.rewrapped()).isBetween(3L * BEFORE, 3L * (BEFORE + DURING));
        assertThat(KeyRotation.usage(ds)).isEqualTo(Map.of(current, 3L * (BEFORE + DURING)));
        assertThat(store.countReferrals()).isEqualTo(BEFORE + DURING);
        for (NewReferral referral : submitted) {
            assertThat(store.document(referral.id()))
                    .hasValueSatisfying(d -> assertThat(d).isEqualTo(referral.document()));
        }
        for (InboxItem item : pulled) {
            assertThat(new String(item.payload(), StandardCharsets.UTF_8))
                    .isEqualTo("sealed " + item.referralId() + " for siao-75");
        }
        List<InboxItem> all = allOf(SIAO);
        assertThat(all).hasSize(BEFORE + DURING);
        assertThat(allOf(ASSOCIATION)).hasSize(BEFORE + DURING).allSatisfy(item -> assertThat(
                        new String(item.payload(), StandardCharsets.UTF_8))
                .isEqualTo("sealed " + item.referralId() + " for association-75-amicale"));
        MasterKeys retired = rotated.retire(file, old, KeyRotation.usage(ds).getOrDefault(old, 0L));
        assertThat(retired.ids()).containsExactly(current);
        assertThat(AuditLog.list(ds, Optional.empty()))
                .filteredOn(r -> r.action().equals("keys.rotated"))
                .extracting(AuditRecord::actor, r -> r.detail().get("victimSupportKeyId"), r -> r.detail()
                        .get("policeJusticeKeyId"))
                .containsOnly(tuple("admin", current, cipher.currentId(Domain.POLICE_JUSTICE)));
    }

    @Test
    void leavesTheCiphertextUntouchedAndCountsNothingTwice() {
        NewReferral referral = submit();
        byte[] before = column("SELECT document FROM referral");
        MasterKeys.load(file).addKey(file, Clock.systemUTC());

        KeyRotation.Result first = KeyRotation.rewrap(ds, cipher, 100);
        KeyRotation.Result second = KeyRotation.rewrap(ds, cipher, 100);

        Map<Domain, String> currentIds = Map.of(
                Domain.VICTIM_SUPPORT,
                cipher.currentId(),
                Domain.POLICE_JUSTICE,
                cipher.currentId(Domain.POLICE_JUSTICE));
        assertThat(first).isEqualTo(new KeyRotation.Result(currentIds, 3, Map.of()));
        assertThat(second).isEqualTo(new KeyRotation.Result(currentIds, 0, Map.of()));
        assertThat(column("SELECT document FROM referral")).isEqualTo(before);
        assertThat(store.document(referral.id()))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(referral.document()));
        assertThat(AuditLog.list(ds, Optional.empty()))
                .filteredOn(r -> r.action().equals("keys.rotated"))
                .extracting(AuditRecord::detail)
                .containsExactly(
                        Map.of(
                                "victimSupportKeyId",
                                cipher.currentId(),
                                "policeJusticeKeyId",
                                cipher.currentId(Domain.POLICE_JUSTICE),
                                "rewrapped",
                                "3",
                                "remaining",
                                "0"),
                        Map.of(
                                "victimSupportKeyId",
                                cipher.currentId(),
                                "policeJusticeKeyId",
                                cipher.currentId(Domain.POLICE_JUSTICE),
                                "rewrapped",
                                "0",
                                "remaining",
                                "0"));
    }

    @Test
    void keepsEachRowInTheFamilyOfItsDomain() {
        NewReferral support = submit(ReferralType.SHELTER_REQUEST);
        NewReferral police = submit(ReferralType.REMOVAL_OBJECTIVE);
        String oldSupport = cipher.currentId();
        String oldPolice = cipher.currentId(Domain.POLICE_JUSTICE);
        MasterKeys supportRing = MasterKeys.load(file).addKey(file, Clock.systemUTC());
        MasterKeys policeRing = MasterKeys.load(policeFile).addKey(policeFile, Clock.systemUTC());

        KeyRotation.Result result = KeyRotation.rewrap(ds, cipher, 100);

        assertThat(result.rewrapped()).isEqualTo(6);
        assertThat(result.currentIds())
                .isEqualTo(Map.of(
                        Domain.VICTIM_SUPPORT, supportRing.currentId(), Domain.POLICE_JUSTICE, policeRing.currentId()));
        assertThat(keyIds(support.id())).containsOnly(supportRing.currentId()).hasSize(3);
        assertThat(keyIds(police.id())).containsOnly(policeRing.currentId()).hasSize(3);
        assertThat(KeyRotation.usage(ds)).isEqualTo(Map.of(supportRing.currentId(), 3L, policeRing.currentId(), 3L));
        assertThat(store.document(support.id()))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(support.document()));
        assertThat(store.document(police.id()))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(police.document()));
        assertThat(supportRing
                        .retire(file, oldSupport, KeyRotation.usage(ds).getOrDefault(oldSupport, 0L))
                        .ids())
                .containsExactly(supportRing.currentId());
        assertThat(policeRing
                        .retire(policeFile, oldPolice, KeyRotation.usage(ds).getOrDefault(oldPolice, 0L))
                        .ids())
                .containsExactly(policeRing.currentId());
    }

    @Test
    void rotatingOneFamilyLeavesTheOtherFamilysRowsAsTheyAre() {
        NewReferral support = submit(ReferralType.SHELTER_REQUEST);
        NewReferral police = submit(ReferralType.EXPLOITATION_REPORT);
        List<String> supportBefore = keyIds(support.id());
        MasterKeys policeRing = MasterKeys.load(policeFile).addKey(policeFile, Clock.systemUTC());

        KeyRotation.Result result = KeyRotation.rewrap(ds, cipher, 100);

        assertThat(result.rewrapped()).isEqualTo(3);
        assertThat(result.remainingByKey()).isEmpty();
        assertThat(keyIds(support.id())).isEqualTo(supportBefore).containsOnly(cipher.currentId());
        assertThat(keyIds(police.id())).containsOnly(policeRing.currentId()).hasSize(3);
    }

    @Test
    void namesTheRowWhoseMasterKeyIsMissing() {
        NewReferral referral = submit();
        Path other = TestKeys.newKeyFile();
        PayloadCipher stranger = new PayloadCipher(other);

        assertThatThrownBy(() -> KeyRotation.rewrap(ds, stranger, 10))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
                    assertThat(e.getMessage())
                            .isEqualTo("stored document of referral " + referral.id() + " cannot"
                                    + " be decrypted: master key " + cipher.currentId() + " is in neither " + other
                                    + " nor " + PayloadCipher.familyFile(other, Domain.POLICE_JUSTICE) + " (known: "
                                    + stranger.currentId() + ", " + stranger.currentId(Domain.POLICE_JUSTICE) + ")");
                });
    }

    private NewReferral submit() {
        return submit(ReferralType.SHELTER_REQUEST);
    }

    private NewReferral submit(ReferralType type) {
        ReferralId id = ReferralId.random();
        NewReferral referral = new NewReferral(
                id,
                POLICE,
                type,
                Department.of("75"),
                Urgency.URGENT,
                Optional.empty(),
                new byte[] {1},
                ("{\"referral\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(delivery(id, SIAO), delivery(id, ASSOCIATION)));
        store.submit(referral);
        return referral;
    }

    private static NewDelivery delivery(ReferralId id, PartnerId recipient) {
        return new NewDelivery(
                recipient,
                List.of("route-" + recipient.kind().code()),
                "application/pkcs7-mime",
                ("sealed " + id + " for " + recipient).getBytes(StandardCharsets.UTF_8));
    }

    private List<InboxItem> allOf(PartnerId recipient) {
        List<InboxItem> all = new ArrayList<>();
        long cursor = 0;
        while (true) {
            InboxPage page = store.inbox(recipient, cursor, JdbcReferralStore.MAX_PAGE);
            if (page.items().isEmpty()) {
                return all;
            }
            all.addAll(page.items());
            cursor = page.next();
        }
    }

    /** The key ids of a referral's document and copies. */
    private List<String> keyIds(ReferralId id) {
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement(
                        "SELECT key_id FROM referral WHERE id = ? UNION ALL SELECT key_id FROM delivery WHERE referral_id = ?"
                                + " ORDER BY 1")) {
            s.setObject(1, id.value());
            s.setObject(2, id.value());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new AssertionError(id.toString(), e);
        }
    }

    private byte[] column(String sql) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }
}
