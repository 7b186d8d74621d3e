package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.referral.ReferralId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditEncodingTest {
    private static final ReferralId REFERRAL = new ReferralId(UUID.fromString("0e8b1c2a-5a4f-4f7e-9d7c-3b2a1f0e9d8c"));
    private static final AuditRecord RECORD = new AuditRecord(
            42,
            Instant.parse("2026-11-28T12:57:22.123456789Z"),
            "police-75-brp",
            "referral.submitted",
            Optional.of(REFERRAL),
            Map.of("type", "shelter.request", "department", "75"));

    @Test
    void writesVersionThenLengthPrefixedFieldsThenDetailSortedByKey() {
        byte[] encoded = AuditEncoding.encode(RECORD);

        String expected = "01" + field("42") + field("2026-11-28T12:57:22.123456Z") + field("police-75-brp")
                + field("referral.submitted") + field("0e8b1c2a-5a4f-4f7e-9d7c-3b2a1f0e9d8c")
                + field("department") + field("75") + field("type") + field("shelter.request");
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expected);
    }

    @Test
    void givesTheSameBytesWhateverTheDetailOrder() {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("type", "shelter.request");
        reversed.put("department", "75");
        AuditRecord same = new AuditRecord(
                42,
                Instant.parse("2026-11-28T12:57:22.123456Z"),
                "police-75-brp",
                "referral.submitted",
                Optional.of(REFERRAL),
                reversed);

        assertThat(AuditEncoding.encode(same)).isEqualTo(AuditEncoding.encode(RECORD));
        assertThat(AuditEncoding.leafHash(same)).isEqualTo(AuditEncoding.leafHash(RECORD));
    }

    @Test
    void changesWithEveryField() {
        List<AuditRecord> changed = List.of(
                new AuditRecord(43, RECORD.at(), RECORD.actor(), RECORD.action(), RECORD.referralId(), RECORD.detail()),
                new AuditRecord(
                        42,
                        RECORD.at().plusNanos(1_000),
                        RECORD.actor(),
                        RECORD.action(),
                        RECORD.referralId(),
                        RECORD.detail()),
                new AuditRecord(
                        42, RECORD.at(), "police-75-brq", RECORD.action(), RECORD.referralId(), RECORD.detail()),
                new AuditRecord(
                        42, RECORD.at(), RECORD.actor(), "referral.routed", RECORD.referralId(), RECORD.detail()),
                new AuditRecord(42, RECORD.at(), RECORD.actor(), RECORD.action(), Optional.empty(), RECORD.detail()),
                new AuditRecord(
                        42,
                        RECORD.at(),
                        RECORD.actor(),
                        RECORD.action(),
                        RECORD.referralId(),
                        Map.of("type", "shelter.request", "department", "76")),
                new AuditRecord(
                        42,
                        RECORD.at(),
                        RECORD.actor(),
                        RECORD.action(),
                        RECORD.referralId(),
                        Map.of("type", "shelter.request", "departement", "75")),
                new AuditRecord(
                        42,
                        RECORD.at(),
                        RECORD.actor(),
                        RECORD.action(),
                        RECORD.referralId(),
                        Map.of("type", "shelter.request")));

        for (AuditRecord record : changed) {
            assertThat(AuditEncoding.leafHash(record))
                    .as(record.toString())
                    .isNotEqualTo(AuditEncoding.leafHash(RECORD));
        }
    }

    @Test
    void leafHashIsSha256OfZeroByteAndEncoding() throws Exception {
        byte[] encoded = AuditEncoding.encode(RECORD);
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        sha256.update((byte) 0);

        assertThat(AuditEncoding.leafHash(RECORD)).isEqualTo(sha256.digest(encoded));
    }

    @Test
    void doesNotLetAFieldBoundaryMoveWithoutChangingTheBytes() {
        AuditRecord a = new AuditRecord(1, RECORD.at(), "ab", "c.d", Optional.empty(), Map.of());
        AuditRecord b = new AuditRecord(1, RECORD.at(), "a", "bc.d", Optional.empty(), Map.of());

        assertThat(AuditEncoding.encode(a)).isNotEqualTo(AuditEncoding.encode(b));
    }

    private static String field(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return String.format("%08x", bytes.length) + HexFormat.of().formatHex(bytes);
    }
}
