package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeHeadSignerTest {

    @Test
    void signsATreeHeadThatOnlyTheGatewaysCertificateVerifies(@TempDir Path dir) {
        CertifiedKey gateway = signer(dir.resolve("a"));
        CertifiedKey other = signer(dir.resolve("b"));
        TreeHead head = new TreeHead(
                42,
                MerkleTree.root(List.of(MerkleTree.leafHash(new byte[] {1}))),
                Instant.parse("2026-11-28T10:00:00.123456789Z"));

        SignedTreeHead signed = TreeHeadSigner.sign(head, gateway);
        SignedTreeHead otherSize = new SignedTreeHead(
                new TreeHead(43, head.rootHash(), head.signedAt()), signed.signature(), signed.signerFingerprint());

        assertThat(TreeHeadSigner.verify(signed, gateway.certificate())).isTrue();
        assertThat(TreeHeadSigner.verify(signed, other.certificate())).isFalse();
        assertThat(TreeHeadSigner.verify(TreeHeadSigner.sign(head, other), gateway.certificate()))
                .isFalse();
        assertThat(TreeHeadSigner.verify(otherSize, gateway.certificate())).isFalse();
    }

    @Test
    void signsAFixedTextThatAnyToolCanRebuild() {
        TreeHead head = new TreeHead(3, new byte[32], Instant.parse("2026-11-28T10:00:00.123456789Z"));

        assertThat(new String(head.toBeSigned(), StandardCharsets.UTF_8))
                .isEqualTo("passerelle-tree-head-v1\n3\n" + "0".repeat(64) + "\n2026-11-28T10:00:00.123456Z\n");
    }

    private static CertifiedKey signer(Path dir) {
        PkiResult pki = DevelopmentPki.init(dir, List.of(), List.of(), Clock.systemUTC(), false);
        return PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey());
    }
}
