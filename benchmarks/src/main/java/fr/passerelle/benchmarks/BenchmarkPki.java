package fr.passerelle.benchmarks;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throw-away development PKI for one benchmark trial: the gateway's signing key and the EC P-256 key of partner
 * {@code siao-75}, read back from the PEM files {@link DevelopmentPki} wrote, as the gateway reads them at start-up.
 * The files live in a temporary directory that {@link #delete()} removes.
 *
 * @param dir            the temporary directory holding the PKI
 * @param gatewaySigner  the gateway's signing key and chain, which signs what is sealed
 * @param partner        the partner's key and chain, to which envelopes are sealed
 */
record BenchmarkPki(Path dir, CertifiedKey gatewaySigner, CertifiedKey partner) {
    static final PartnerId PARTNER = PartnerId.of("siao-75");

    /** Generates the PKI into a fresh temporary directory and reads its keys. */
    static BenchmarkPki generate() throws IOException {
        Path dir = Files.createTempDirectory("passerelle-jmh-pki-");
        PkiResult pki = DevelopmentPki.init(dir, List.of(PARTNER), List.of(), Clock.systemUTC(), false);
        return new BenchmarkPki(
                dir,
                PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey()),
                PemFiles.readCertifiedKey(pki.partnerCertificate(PARTNER), pki.partnerKey(PARTNER)));
    }

    /** Removes the temporary directory and the keys in it. */
    void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(BenchmarkPki::deleteFile);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
