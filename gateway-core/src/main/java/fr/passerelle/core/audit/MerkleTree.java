package fr.passerelle.core.audit;

import fr.passerelle.core.crypto.Sha256;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0), section 2.1: SHA-256, leaves hashed with the prefix
 * 0x00, interior nodes with 0x01, the tree split at the largest power of two below its size. Inclusion and
 * consistency proofs are made and checked exactly as the RFC writes them, so any CT library can check ours.
 * Stateless and thread-safe, but for {@link Builder}.
 */
public final class MerkleTree {
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private MerkleTree() {}

    /** {@code SHA-256(0x00 || entry)}. */
    public static byte[] leafHash(byte[] entry) {
        return Sha256.digest(new byte[] {LEAF}, entry);
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return Sha256.digest(new byte[] {NODE}, left, right);
    }

    /** The root of the tree over these leaf hashes; the empty tree's is {@code SHA-256("")}. */
    public static byte[] root(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return Sha256.digest();
        }
        return subtreeRoot(leafHashes, 0, leafHashes.size());
    }

    private static byte[] subtreeRoot(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
    }

    /**
     * The audit path of leaf {@code index} in the tree over {@code leafHashes} (RFC 9162 2.1.3.1), leaf side first.
     */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index) {
        Objects.checkIndex(index, leafHashes.size());
        List<byte[]> path = new ArrayList<>();
        path(leafHashes, index, 0, leafHashes.size(), path);
        return path;
    }

    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /**
     * The proof that the tree over the first {@code oldSize} leaves is a prefix of the tree over all of
     * {@code leafHashes} (RFC 9162 2.1.4.1). Empty when {@code oldSize} is 0 or the whole size.
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int oldSize) {
        if (oldSize < 0 || oldSize > leafHashes.size()) {
            throw new IllegalArgumentException("old size " + oldSize + " is not within 0.." + leafHashes.size());
        }
        List<byte[]> proof = new ArrayList<>();
        if (oldSize > 0 && oldSize < leafHashes.size()) {
            subproof(leafHashes, oldSize, 0, leafHashes.size(), true, proof);
        }
        return proof;
    }

    private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean whole, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!whole) {
                out.add(subtreeRoot(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, whole, out);
            out.add(subtreeRoot(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(subtreeRoot(leaves, from, from + k));
        }
    }

    /** Checks an inclusion proof as RFC 9162 2.1.3.2 says; never throws for a bad proof, answers false. */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * Checks that the tree of {@code oldSize} with root {@code oldRoot} is a prefix of the tree of {@code newSize}
     * with root {@code newRoot}, as RFC 9162 2.1.4.2 says. Equal sizes need equal roots and an empty proof; the
     * empty tree is a prefix of every tree.
     */
    public static boolean verifyConsistency(
            long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof) {
        if (oldSize < 0 || oldSize > newSize) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        Deque<byte[]> path = new ArrayDeque<>(proof);
        if (Long.bitCount(oldSize) == 1) {
            path.addFirst(oldRoot);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        Iterator<byte[]> values = path.iterator();
        byte[] fr = values.next();
        byte[] sr = fr;
        while (values.hasNext()) {
            byte[] c = values.next();
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot) && sn == 0;
    }

    /**
     * Computes a root leaf by leaf, keeping only the roots of the perfect subtrees so far (at most one per bit
     * of the size): a million entries take 32 bytes of memory per level, not per entry. Not thread-safe.
     */
    public static final class Builder {
        private final List<byte[]> perfect = new ArrayList<>();
        private final List<Integer> heights = new ArrayList<>();
        private long size;

        public void add(byte[] leafHash) {
            byte[] hash = leafHash;
            int height = 0;
            while (!heights.isEmpty() && heights.get(heights.size() - 1) == height) {
                hash = nodeHash(perfect.remove(perfect.size() - 1), hash);
                heights.remove(heights.size() - 1);
                height++;
            }
            perfect.add(hash);
            heights.add(height);
            size++;
        }

        public long size() {
            return size;
        }

        /** The root of the tree over the leaves added so far. */
        public byte[] root() {
            if (perfect.isEmpty()) {
                return Sha256.digest();
            }
            byte[] r = perfect.get(perfect.size() - 1);
            for (int i = perfect.size() - 2; i >= 0; i--) {
                r = nodeHash(perfect.get(i), r);
            }
            return Arrays.copyOf(r, r.length);
        }
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
