package fr.passerelle.core.testkit;

import fr.passerelle.core.crypto.PemFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real OCSP responder: {@code openssl ocsp} on a port the system picks, answering for the certificates of
 * {@code ca} whose serial numbers it was started with, signing with the CA's own key or a responder's. Clients reach it at
 * {@link #url()}, on 127.0.0.1 (OpenSSL 3.0 listens on every interface; no test connects elsewhere). Reads its
 * index once: start it with the serial numbers the test will issue
 * ({@link Certificates.Builder#serial}). Skip the test first with {@link OpenSsl#assumeAvailable()}.
 */
public final class OcspResponder implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Process process;
    private final int port;

    private OcspResponder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a responder in {@code dir} that answers "good" for a serial number mapped to empty, "revoked" at the
     * instant for one mapped to it, and "unknown" for any other.
     */
    public static OcspResponder start(Path dir, Certificates.Issued ca, Map<BigInteger, Optional<Instant>> statuses)
            throws IOException {
        return start(dir, ca, ca, statuses);
    }

    /**
     * As {@link #start(Path, Certificates.Issued, Map)}, signing with {@code signer}'s key, and sending its
     * certificate with each answer: a responder that the CA authorised (extended key usage OCSPSigning), or not.
     */
    public static OcspResponder start(
            Path dir, Certificates.Issued ca, Certificates.Issued signer, Map<BigInteger, Optional<Instant>> statuses)
            throws IOException {
        Path caPem = dir.resolve("ocsp-ca.pem");
        Path signerPem = dir.resolve("ocsp-signer.pem");
        Path signerKey = dir.resolve("ocsp-signer-key.pem");
        Path index = dir.resolve("ocsp-index.txt");
        Certificates.write(caPem, ca.certificate());
        Certificates.write(signerPem, signer.certificate());
        PemFiles.writePrivateKey(signerKey, signer.keys().getPrivate());
        StringBuilder lines = new StringBuilder();
        statuses.forEach((serial, revokedAt) -> lines.append(revokedAt.isPresent() ? "R" : "V")
                .append("\t491231235959Z\t")
                .append(revokedAt.map(INDEX_TIME::format).orElse(""))
                .append('\t')
                .append(hex(serial))
                .append("\tunknown\t/CN=test-")
                .append(hex(serial))
                .append('\n'));
        Files.writeString(index, lines, StandardCharsets.US_ASCII);
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "ocsp",
                "-index",
                index.toString(),
                "-port",
                "0",
                "-rsigner",
                signerPem.toString(),
                "-rkey",
                signerKey.toString(),
                "-CA",
                caPem.toString(),
                "-ignore_err"));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        BufferedReader output =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            Matcher accept = ACCEPT.matcher(line);
            if (accept.find()) {
                drain(output);
                return new OcspResponder(process, Integer.parseInt(accept.group(1)));
            }
            seen.append(line).append('\n');
        }
        process.destroyForcibly();
        throw new IOException("openssl ocsp did not start:\n" + seen);
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Stops the responder: its port then refuses connections. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** OpenSSL's spelling of a serial number in its index: upper-case hex, whole bytes. */
    private static String hex(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    /** Reads what the responder prints about each request, so that its pipe never fills. */
    private static void drain(BufferedReader output) {
        Thread drain = new Thread(
                () -> {
                    try {
                        while (output.readLine() != null) {
                            // The request lines say nothing a test asserts.
                        }
                    } catch (IOException e) {
                        // The process ended.
                    }
                },
                "openssl-ocsp-output");
        drain.setDaemon(true);
        drain.start();
    }
}
