package fr.passerelle.core.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The state of the audit log at one moment: how many entries, the Merkle root over them, and when. Its signed
 * form is {@link SignedTreeHead}; what is signed is {@link #toBeSigned()}, a fixed text that any tool can rebuild.
 *
 * @param signedAt kept to the microsecond, as PostgreSQL stores it
 */
public record TreeHead(long size, byte[] rootHash, Instant signedAt) {
    public TreeHead {
        if (size < 0) {
            throw new IllegalArgumentException("tree size " + size + " is negative");
        }
        Objects.requireNonNull(rootHash, "rootHash");
        if (rootHash.length != 32) {
            throw new IllegalArgumentException("root hash of " + rootHash.length + " bytes (expected: 32, SHA-256)");
        }
        rootHash = rootHash.clone();
        signedAt = Objects.requireNonNull(signedAt, "signedAt").truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The bytes the gateway signs: {@code passerelle-tree-head-v1\n<size>\n<root, lowercase hex>\n<signedAt,
     * ISO-8601 UTC>\n}, in UTF-8.
     */
    public byte[] toBeSigned() {
        return ("passerelle-tree-head-v1\n" + size + "\n" + HexFormat.of().formatHex(rootHash) + "\n" + signedAt + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TreeHead head
                && head.size == size
                && java.util.Arrays.equals(head.rootHash, rootHash)
                && head.signedAt.equals(signedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, java.util.Arrays.hashCode(rootHash), signedAt);
    }

    @Override
    public String toString() {
        return "TreeHead[size=" + size + ", root=" + HexFormat.of().formatHex(rootHash) + ", signedAt=" + signedAt
                + "]";
    }
}
