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
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.InboxItem;
import fr.passerelle.core.store.InboxPage;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.core.store.TestDatabase;
import fr.passerelle.core.store.TestKeys;
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
                .isInstanceOf(GatewayException.class).hasMessage("master key " + old + " still wraps "
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
            assertThat(store.document(referral.id())).hasValueSatisfying(
                    d -> assertThat(d).isEqualTo(referral.document()));
        }
        for (InboxItem item : pulled) {
            assertThat(new String(item.payload(), StandardCharsets.UTF_8)).isEqualTo("sealed " + item.referralId()
                    + " for siao-75");
        }
        List<InboxItem> all = allOf(SIAO);
        assertThat(all).hasSize(BEFORE + DURING);
        assertThat(allOf(ASSOCIATION)).hasSize(BEFORE + DURING).allSatisfy(item -> assertThat(
                new String(item.payload(), StandardCharsets.UTF_8)).isEqualTo("sealed " + item.referralId()
                + " for association-75-amicale"));
        MasterKeys retired = rotated.retire(file, old, KeyRotation.usage(ds).getOrDefault(old, 0L));
        assertThat(retired.ids()).containsExactly(current);
        assertThat(AuditLog.list(ds, Optional.empty())).filteredOn(r -> r.action().equals("keys.rotated"))
                .extracting(AuditRecord::actor, r -> r.detail().get("keyId"))
                .containsOnly(tuple("admin", current));
    }

    @Test
    void leavesTheCiphertextUntouchedAndCountsNothingTwice() {
        NewReferral referral = submit();
        byte[] before = column("SELECT document FROM referral");
        MasterKeys.load(file).addKey(file, Clock.systemUTC());

        KeyRotation.Result first = KeyRotation.rewrap(ds, cipher, 100);
        KeyRotation.Result second = KeyRotation.rewrap(ds, cipher, 100);

        assertThat(first).isEqualTo(new KeyRotation.Result(3, Map.of()));
        assertThat(second).isEqualTo(new KeyRotation.Result(0, Map.of()));
        assertThat(column("SELECT document FROM referral")).isEqualTo(before);
        assertThat(store.document(referral.id())).hasValueSatisfying(
                d -> assertThat(d).isEqualTo(referral.document()));
        assertThat(AuditLog.list(ds, Optional.empty())).filteredOn(r -> r.action().equals("keys.rotated"))
                .extracting(AuditRecord::detail).containsExactly(
                        Map.of("keyId", cipher.currentId(), "rewrapped", "3", "remaining", "0"),
                        Map.of("keyId", cipher.currentId(), "rewrapped", "0", "remaining", "0"));
    }

    @Test
    void namesTheRowWhoseMasterKeyIsMissing() {
        NewReferral referral = submit();
        Path other = TestKeys.newKeyFile();
        PayloadCipher stranger = new PayloadCipher(other);

        assertThatThrownBy(() -> KeyRotation.rewrap(ds, stranger, 10)).isInstanceOfSatisfying(
                GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
                    assertThat(e.getMessage()).isEqualTo("stored document of referral " + referral.id() + " cannot"
                            + " be decrypted: master key " + cipher.currentId() + " is not in " + other
                            + " (known: " + stranger.currentId() + ")");
                });
    }

    private NewReferral submit() {
        ReferralId id = ReferralId.random();
        NewReferral referral = new NewReferral(id, POLICE, ReferralType.SHELTER_REQUEST, Department.of("75"),
                Urgency.URGENT, Optional.empty(), new byte[] {1},
                ("{\"referral\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), "application/json",
                List.of(delivery(id, SIAO), delivery(id, ASSOCIATION)));
        store.submit(referral);
        return referral;
    }

    private static NewDelivery delivery(ReferralId id, PartnerId recipient) {
        return new NewDelivery(recipient, List.of("route-" + recipient.kind().code()), "application/pkcs7-mime",
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

    private byte[] column(String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBytes(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }
}
