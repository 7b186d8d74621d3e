package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tree of RFC 9162 against the Certificate Transparency test vectors, and against an independent, naive
 * implementation written here from the RFC's definitions, over random trees.
 */
class MerkleTreeTest {
    /** The leaves of the CT test vectors (certificate-transparency's merkle_tree_test). */
    static final String[] LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };
    /** Their roots for sizes 1 to 8. */
    static final String[] ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };

    @Test
    void computesTheRootsOfTheCertificateTransparencyTestVectors() {
        List<byte[]> leaves = new ArrayList<>();
        for (int n = 1; n <= LEAVES.length; n++) {
            leaves.add(MerkleTree.leafHash(HexFormat.of().parseHex(LEAVES[n - 1])));

            assertThat(HexFormat.of().formatHex(MerkleTree.root(leaves)))
                    .as("root of %d leaves", n)
                    .isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void givesTheEmptyTreeTheHashOfNothing() throws Exception {
        assertThat(MerkleTree.root(List.of()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest());
        assertThat(new MerkleTree.Builder().root()).isEqualTo(MerkleTree.root(List.of()));
    }

    @Test
    void agreesWithANaiveImplementationAndTheStreamingBuilderOnRandomTrees() {
        Random random = new Random(20250711);
        for (int n = 1; n <= 130; n++) {
            List<byte[]> leaves = randomLeaves(random, n);
            MerkleTree.Builder builder = new MerkleTree.Builder();
            leaves.forEach(builder::add);

            byte[] expected = naiveRoot(leaves);
            assertThat(MerkleTree.root(leaves)).as("root of %d", n).isEqualTo(expected);
            assertThat(builder.root()).as("streamed root of %d", n).isEqualTo(expected);
            assertThat(builder.size()).isEqualTo(n);
        }
    }

    @Test
    void provesTheInclusionOfEveryLeafAndRefusesAnyChangedProof() {
        Random random = new Random(7);
        for (int n = 1; n <= 40; n++) {
            List<byte[]> leaves = randomLeaves(random, n);
            byte[] root = MerkleTree.root(leaves);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = MerkleTree.inclusionProof(leaves, i);

                assertThat(MerkleTree.verifyInclusion(leaves.get(i), i, n, proof, root))
                        .as("leaf %d of %d", i, n)
                        .isTrue();
                assertThat(MerkleTree.verifyInclusion(
                                leaves.get(i), i, n, proof, MerkleTree.root(leaves.subList(0, n - 1))))
                        .as("against the root of a smaller tree")
                        .isEqualTo(false);
                assertThat(MerkleTree.verifyInclusion(leaves.get(i), n, n, proof, root))
                        .isFalse();
                if (n > 1) {
                    assertThat(MerkleTree.verifyInclusion(leaves.get((i + 1) % n), i, n, proof, root))
                            .isFalse();
                }
                if (!proof.isEmpty()) {
                    List<byte[]> changed = new ArrayList<>(proof);
                    byte[] flipped = changed.get(0).clone();
                    flipped[0] ^= 1;
                    changed.set(0, flipped);
                    assertThat(MerkleTree.verifyInclusion(leaves.get(i), i, n, changed, root))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void provesThatEveryOlderTreeIsAPrefixOfTheNewerOne() {
        Random random = new Random(42);
        List<byte[]> leaves = randomLeaves(random, 33);
        for (int n = 1; n <= leaves.size(); n++) {
            List<byte[]> newer = leaves.subList(0, n);
            byte[] newRoot = MerkleTree.root(newer);
            for (int m = 0; m <= n; m++) {
                byte[] oldRoot = MerkleTree.root(leaves.subList(0, m));
                List<byte[]> proof = MerkleTree.consistencyProof(newer, m);

                assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, proof))
                        .as("%d -> %d", m, n)
                        .isTrue();
                if (m > 0 && m < n) {
                    byte[] otherOld = oldRoot.clone();
                    otherOld[5] ^= 1;
                    assertThat(MerkleTree.verifyConsistency(m, n, otherOld, newRoot, proof))
                            .isFalse();
                    byte[] otherNew = newRoot.clone();
                    otherNew[5] ^= 1;
                    assertThat(MerkleTree.verifyConsistency(m, n, oldRoot, otherNew, proof))
                            .isFalse();
                }
            }
        }
    }

    @Test
    void refusesAHistoryThatWasRewritten() {
        List<byte[]> leaves = randomLeaves(new Random(3), 20);
        byte[] oldRoot = MerkleTree.root(leaves.subList(0, 11));
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(4, MerkleTree.leafHash(new byte[] {9, 9}));

        List<byte[]> proof = MerkleTree.consistencyProof(rewritten, 11);

        assertThat(MerkleTree.verifyConsistency(11, 20, oldRoot, MerkleTree.root(rewritten), proof))
                .isFalse();
    }

    // --- an independent implementation, straight from RFC 9162 2.1.1, over lists

    private static byte[] naiveRoot(List<byte[]> leafHashes) {
        if (leafHashes.size() == 1) {
            return leafHashes.get(0);
        }
        int k = 1;
        while (k * 2 < leafHashes.size()) {
            k *= 2;
        }
        byte[] left = naiveRoot(leafHashes.subList(0, k));
        byte[] right = naiveRoot(leafHashes.subList(k, leafHashes.size()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((byte) 1);
            sha.update(left);
            sha.update(right);
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> randomLeaves(Random random, int n) {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] entry = new byte[1 + random.nextInt(40)];
            random.nextBytes(entry);
            leaves.add(MerkleTree.leafHash(entry));
        }
        return leaves;
    }
}
