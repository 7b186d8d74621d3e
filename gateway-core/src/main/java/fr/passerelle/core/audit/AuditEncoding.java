package fr.passerelle.core.audit;

import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.referral.ReferralId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical byte encoding of one audit entry, the input of its Merkle leaf hash, documented in
 * {@code docs/AUDIT.md}. Each field is written as a 4-byte big-endian length followed by its UTF-8 bytes.
 *
 * <ul>
 *   <li>Version 2, of every entry appended through the queue (schema version 17 on): the byte {@code 0x02}, then
 *       the time as ISO-8601 UTC with exactly six fractional digits ({@code 2026-11-28T12:57:22.123456Z}), the
 *       promised maximum merge delay in milliseconds (decimal), the actor, the action, the referral id in lowercase
 *       (or the empty string), then each detail key and its value, sorted by key. No sequence number: the gateway
 *       hashes the leaf when it queues the entry, before the sequencer numbers it.
 *   <li>Version 1, of the entries written before: the byte {@code 0x01}, then the sequence number in decimal, the
 *       time, the actor, the action, the referral id, then the detail as above.
 * </ul>
 *
 * Two equal entries always give the same bytes; any change of any field changes them. Stateless and thread-safe.
 */
public final class AuditEncoding {
    /** The version of entries written before the queue: the sequence number is part of the leaf. */
    public static final int NUMBERED = 1;
    /** The version this class writes for queued entries: the time and the promise, no sequence number. */
    public static final int QUEUED = 2;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditEncoding() {}

    /** The encoding of {@code record}: version {@value #QUEUED} when it was queued, {@value #NUMBERED} otherwise. */
    public static byte[] encode(AuditRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (record.queued().isPresent()) {
            out.write(QUEUED);
            field(out, time(record.at()));
            field(out, Long.toString(record.queued().get().maxMergeDelay().toMillis()));
        } else {
            out.write(NUMBERED);
            field(out, Long.toString(record.seq()));
            field(out, time(record.at()));
        }
        field(out, record.actor());
        field(out, record.action());
        field(out, record.referralId().map(ReferralId::toString).orElse(""));
        for (Map.Entry<String, String> entry : new TreeMap<>(record.detail()).entrySet()) {
            field(out, entry.getKey());
            field(out, entry.getValue());
        }
        return out.toByteArray();
    }

    /** The RFC 9162 leaf hash of {@code record}: SHA-256(0x00 || {@link #encode}). */
    public static byte[] leafHash(AuditRecord record) {
        return MerkleTree.leafHash(encode(record));
    }

    /**
     * The chain hash that follows {@code previous}: SHA-256(previous || leafHash). The first entry chains from
     * {@link #chainStart()}.
     */
    public static byte[] chainHash(byte[] previous, byte[] leafHash) {
        return Sha256.digest(previous, leafHash);
    }

    /** What the first entry chains from: 32 zero bytes. */
    public static byte[] chainStart() {
        return new byte[32];
    }

    /** The time as the encoding writes it: ISO-8601 UTC, truncated to the microsecond, six fractional digits. */
    public static String time(Instant at) {
        return TIME.format(at.truncatedTo(ChronoUnit.MICROS));
    }

    private static void field(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(bytes, 0, n);
    }
}
