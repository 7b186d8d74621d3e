package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.notice.EscalationCause;
import fr.passerelle.core.notice.Notices;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcReferralStoreAtRestIT {
    /** The shipped sample: fictitious, but shaped like the personal data a real referral carries. */
    private static final Path SAMPLE = Path.of("..", "config", "samples", "shelter.request.json");
    /** Strings of the sample that must never lie in clear in the database. */
    private static final List<String> PERSONAL = List.of(
            "Exemple",
            "FICTIF",
            "2000-01-01",
            "+33 6 00 00 00 00",
            "exemple@example.invalid",
            "weekdays 10:00-12:00",
            "texte de démonstration",
            "EX-PROC-0000");

    private final JdbcReferralStore store = new JdbcReferralStore(
            TestDatabase.dataSource(), new FakeClock(Instant.parse("2025-07-11T09:30:00Z")), TestKeys.cipher());

    @BeforeEach
    void emptyDatabase() {
        TestDatabase.reset();
    }

    @Test
    void returnsTheDocumentAndPayloadsItStoredEncrypted() throws SQLException {
        NewReferral referral = sampleReferral(Optional.empty());

        store.submit(referral);

        assertThat(store.document(referral.id()))
                .hasValueSatisfying(document -> assertThat(document).isEqualTo(referral.document()));
        assertThat(store.inbox(SIAO, 0, 10).items()).singleElement().satisfies(item -> assertThat(item.payload())
                .isEqualTo(referral.deliveries().get(0).payload()));
        assertThat(storedBytes("SELECT document FROM referral")).doesNotContain(referral.document());
        assertThat(storedBytes("SELECT key_id FROM referral"))
                .containsExactly(TestKeys.cipher().currentId().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void wrapsEachReferralAndItsRaisedAlertUnderTheFamilyOfItsOwnDomain() throws SQLException {
        PayloadCipher cipher = TestKeys.cipher();
        NewReferral alert = referral(ReferralType.CHILD_PROTECTION_ALERT, Optional.empty(), Optional.empty());
        NewReferral report = referral(ReferralType.EXPLOITATION_REPORT, Optional.empty(), Optional.of(alert));
        NewReferral shelter = referral(ReferralType.SHELTER_REQUEST, Optional.empty(), Optional.empty());

        store.submit(report);
        store.submit(shelter);
        new Notices(TestDatabase.dataSource(), cipher, new FakeClock(Instant.parse("2025-07-11T10:30:00Z")))
                .escalate(
                        report.id(),
                        "deadline-test",
                        EscalationCause.UNACKNOWLEDGED,
                        List.of(notice(Notice.ESCALATED)));

        String police = cipher.currentId(Domain.POLICE_JUSTICE);
        String support = cipher.currentId(Domain.VICTIM_SUPPORT);
        assertThat(police).isNotEqualTo(support);
        assertThat(keyIds(report.id())).hasSize(4).containsOnly(police);
        assertThat(keyIds(alert.id())).hasSize(3).containsOnly(support);
        assertThat(keyIds(shelter.id())).hasSize(3).containsOnly(support);
        assertThat(store.document(report.id()))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(report.document()));
        assertThat(store.document(shelter.id()))
                .hasValueSatisfying(d -> assertThat(d).isEqualTo(shelter.document()));
    }

    @Test
    void wrapsTheHeldCopiesNoticesAndReleaseCommentOfARemovalObjectiveUnderThePoliceJusticeFamily()
            throws SQLException {
        PayloadCipher cipher = TestKeys.cipher();
        NewReferral held = referral(
                ReferralType.REMOVAL_OBJECTIVE,
                Optional.of(new Hold("protected:reflection-period", List.of(1L), List.of(notice(Notice.HELD)))),
                Optional.empty());
        Holds holds =
                new Holds(TestDatabase.dataSource(), cipher, new FakeClock(Instant.parse("2025-07-11T10:30:00Z")));

        store.submit(held);
        List<String> whileHeld = keyIds("SELECT key_id FROM held_copy WHERE referral_id = ?", held.id());
        holds.release(
                held.id(),
                "admin",
                "protection-ended",
                Optional.of(LocalDate.parse("2025-07-10")),
                "the protection ended",
                r -> List.of(notice(Notice.RELEASED)));

        String police = cipher.currentId(Domain.POLICE_JUSTICE);
        assertThat(whileHeld).hasSize(2).containsOnly(police);
        assertThat(keyIds("SELECT comment_key_id FROM referral_hold WHERE referral_id = ?", held.id()))
                .containsExactly(police);
        assertThat(keyIds(held.id())).hasSize(5).containsOnly(police);
        assertThat(holds.comment(held.id())).contains("the protection ended");
    }

    @Test
    void refusesADocumentMovedToAnotherReferral() throws SQLException {
        NewReferral first = sampleReferral(Optional.empty());
        NewReferral second = sampleReferral(Optional.empty());
        store.submit(first);
        store.submit(second);

        swap("referral", "id", first.id().value(), second.id().value());

        assertThatThrownBy(() -> store.document(first.id())).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo(
                            "stored document of referral " + first.id() + " cannot be"
                                    + " decrypted: the ciphertext does not authenticate (it was changed, or belongs to another row)");
        });
    }

    @Test
    void refusesAPayloadMovedToAnotherRecipient() throws SQLException {
        NewReferral referral = sampleReferral(Optional.empty());
        store.submit(referral);

        swap("delivery", "id", 1L, 2L);

        assertThatThrownBy(() -> store.inbox(SIAO, 0, 10)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo("stored payload of referral " + referral.id() + " for siao-75"
                            + " cannot be decrypted: the ciphertext does not authenticate (it was changed, or belongs to"
                            + " another row)");
        });
    }

    @Test
    void leavesNoPersonalDataInClearInAnyTable() throws SQLException {
        for (int i = 0; i < 3; i++) {
            store.submit(sampleReferral(Optional.of("dossier-FICTIF-Exemple-2000-01-01-" + i)));
        }
        store.inbox(SIAO, 0, 10);

        byte[] dump = dumpEveryTable();

        String text = new String(dump, StandardCharsets.ISO_8859_1);
        assertThat(text).as("the dump reads the tables").contains(POLICE.value(), "shelter.request");
        for (String personal : PERSONAL) {
            byte[] utf8 = personal.getBytes(StandardCharsets.UTF_8);
            assertThat(indexOf(dump, utf8))
                    .as("a value of the sample, in clear")
                    .isEqualTo(-1);
            assertThat(text)
                    .as("a value of the sample, in hex")
                    .doesNotContain(HexFormat.of().formatHex(utf8));
        }
    }

    private static NewReferral sampleReferral(Optional<String> key) {
        byte[] sample;
        try {
            sample = Files.readAllBytes(SAMPLE);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + SAMPLE, e);
        }
        return new NewReferral(
                ReferralId.random(),
                POLICE,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                Urgency.URGENT,
                key,
                Referrals.digest(key.map(String::length).orElse(1)),
                sample,
                "application/json",
                List.of(
                        new NewDelivery(SIAO, List.of("route-siao"), "application/json", sample.clone()),
                        new NewDelivery(
                                ASSOCIATION, List.of("route-association"), "application/json", sample.clone())));
    }

    private static NewReferral referral(ReferralType type, Optional<Hold> hold, Optional<NewReferral> raised) {
        ReferralId id = ReferralId.random();
        byte[] document = ("{\"type\":\"" + type.code() + "\"}").getBytes(StandardCharsets.UTF_8);
        return new NewReferral(
                id,
                POLICE,
                type,
                Department.of("75"),
                Urgency.URGENT,
                Optional.empty(),
                Referrals.digest(1),
                document,
                "application/json",
                List.of(
                        new NewDelivery(SIAO, List.of("route-siao"), "application/json", document.clone()),
                        new NewDelivery(
                                ASSOCIATION, List.of("route-association"), "application/json", document.clone())),
                hold,
                SubmissionStep.NONE,
                Optional.empty(),
                raised,
                List.of(),
                StatisticsFacets.NONE);
    }

    private static NewNotice notice(Notice notice) {
        return new NewNotice(
                POLICE, notice, "application/json", "{}".getBytes(StandardCharsets.UTF_8), TransportProvider.INBOX);
    }

    /** The key ids of a referral's document, copies and notices. */
    private static List<String> keyIds(ReferralId id) throws SQLException {
        return keyIds(
                "SELECT key_id FROM referral WHERE id = ? UNION ALL SELECT key_id FROM delivery"
                        + " WHERE referral_id = ?",
                id);
    }

    /** The key ids {@code sql} selects, each of its parameters bound to {@code id}. */
    private static List<String> keyIds(String sql, ReferralId id) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 1; i <= select.getParameterMetaData().getParameterCount(); i++) {
                select.setObject(i, id.value());
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Exchanges the stored ciphertexts and wrapped keys of two rows, as an attacker with SQL access could. */
    private static void swap(String table, String idColumn, Object a, Object b) throws SQLException {
        String column = table.equals("referral") ? "document" : "payload";
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement swap = c.prepareStatement("UPDATE " + table + " t SET " + column + " = o." + column
                        + ", wrapped_key = o.wrapped_key, key_id = o.key_id FROM " + table + " o WHERE (t." + idColumn
                        + ", o." + idColumn + ") IN ((?, ?), (?, ?))")) {
            swap.setObject(1, a);
            swap.setObject(2, b);
            swap.setObject(3, b);
            swap.setObject(4, a);
            assertThat(swap.executeUpdate()).isEqualTo(2);
        }
    }

    private static List<byte[]> storedBytes(String sql) throws SQLException {
        List<byte[]> values = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getBytes(1));
            }
        }
        return values;
    }

    /** Every column of every row of every table of the schema: bytea as its bytes, anything else as text. */
    private static byte[] dumpEveryTable() throws SQLException {
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("referral", "delivery", "receipt", "audit_entry");
            for (String table : tables) {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            byte[] value = meta.getColumnType(i) == Types.BINARY
                                    ? rs.getBytes(i)
                                    : String.valueOf(rs.getString(i)).getBytes(StandardCharsets.UTF_8);
                            dump.writeBytes(value == null ? new byte[0] : value);
                            dump.write('\n');
                        }
                    }
                }
            }
        }
        return dump.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
