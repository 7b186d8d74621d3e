package fr.passerelle.benchmarks;

import fr.passerelle.core.audit.AuditEncoding;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.audit.MerkleTree;
import fr.passerelle.core.referral.ReferralId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The audit log's hashing: {@link MerkleTree.Builder} computing a root over 1,000 and 100,000 leaf hashes (as the
 * tree head and the verifier do, leaf by leaf), and {@link MerkleTree#leafHash} of one 300-byte entry encoded by
 * {@link AuditEncoding}. Each benchmark has its own state so that the leaf count applies to the builder alone.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MerkleBenchmark {
    /** The size of the encoded entry that {@link #leafHash} hashes. */
    static final int ENTRY_BYTES = 300;

    /** Distinct leaf hashes, made once per trial. */
    @State(Scope.Benchmark)
    public static class Leaves {
        @Param({"1000", "100000"})
        public int leafCount;

        byte[][] hashes;

        @Setup(Level.Trial)
        public void setUp() {
            hashes = new byte[leafCount][];
            for (int i = 0; i < leafCount; i++) {
                hashes[i] = MerkleTree.leafHash(Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** One audit entry of identifiers and codes, encoded to exactly {@value #ENTRY_BYTES} bytes. */
    @State(Scope.Benchmark)
    public static class Entry {
        byte[] encoded;

        @Setup(Level.Trial)
        public void setUp() {
            Map<String, String> detail = new TreeMap<>();
            detail.put("partner", "siao-75");
            detail.put("type", "shelter.request");
            detail.put("envelope", "aes-256-gcm");
            int unpadded = encode(detail).length;
            // The last field: a 4-byte length, the key, a 4-byte length, then hex digits filling up to the size.
            String key = "digest";
            int digits = ENTRY_BYTES - unpadded - 4 - key.length() - 4;
            byte[] filler = new byte[(digits + 1) / 2];
            for (int i = 0; i < filler.length; i++) {
                filler[i] = (byte) (i * 31 + 7);
            }
            detail.put(key, HexFormat.of().formatHex(filler).substring(0, digits));
            encoded = encode(detail);
            if (encoded.length != ENTRY_BYTES) {
                throw new IllegalStateException(
                        "the benchmark entry encodes to " + encoded.length + " bytes (expected: " + ENTRY_BYTES + ")");
            }
        }

        private static byte[] encode(Map<String, String> detail) {
            return AuditEncoding.encode(new AuditRecord(
                    1_234_567L,
                    Instant.parse("2026-11-28T12:57:22.123456Z"),
                    "gateway",
                    "referral.delivered",
                    Optional.of(ReferralId.parse("0193b8a4-7c2e-7d3a-9f10-2b4c6d8e0a1f")),
                    detail));
        }
    }

    @Benchmark
    public byte[] builderRoot(Leaves leaves) {
        MerkleTree.Builder builder = new MerkleTree.Builder();
        for (byte[] hash : leaves.hashes) {
            builder.add(hash);
        }
        return builder.root();
    }

    @Benchmark
    public byte[] leafHash(Entry entry) {
        return MerkleTree.leafHash(entry.encoded);
    }
}
