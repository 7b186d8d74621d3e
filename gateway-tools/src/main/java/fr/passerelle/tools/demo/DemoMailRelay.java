package fr.passerelle.tools.demo;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import fr.passerelle.core.crypto.PkiResult;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The organisation's SMTP relay, as the demo plays it: a real SMTP server (GreenMail) on 127.0.0.1 that speaks
 * implicit TLS only, with a certificate from the development CA, and keeps what it receives for the demo's
 * associations to read.
 *
 * <p>GreenMail reads its TLS key store from system properties, once per JVM; the first relay of a JVM copies its
 * key store and CA to a folder that lives as long as the JVM, and every later relay of that JVM (the tests run
 * the demo more than once) presents that same certificate, whose CA {@link #trustAnchors()} names.
 */
final class DemoMailRelay implements AutoCloseable {
    private static final String KEYSTORE = "greenmail.tls.keystore.file";
    private static final String PASSWORD = "greenmail.tls.keystore.password";
    private static Path relayCa;

    private final GreenMail greenMail;
    private final Path trustAnchors;

    private DemoMailRelay(GreenMail greenMail, Path trustAnchors) {
        this.greenMail = greenMail;
        this.trustAnchors = trustAnchors;
    }

    /** Starts the relay on a free port, with the gateway's TLS certificate of {@code pki} as its own. */
    static DemoMailRelay start(PkiResult pki) throws IOException {
        Path ca = keyStore(pki);
        GreenMail greenMail =
                new GreenMail(ServerSetup.SMTPS.createCopy("127.0.0.1").dynamicPort());
        greenMail.start();
        return new DemoMailRelay(greenMail, ca);
    }

    private static synchronized Path keyStore(PkiResult pki) throws IOException {
        if (relayCa == null) {
            Path dir = Files.createTempDirectory("passerelle-demo-relay-");
            Path keyStore = Files.copy(
                    pki.dir().resolve("gateway-tls.p12"),
                    dir.resolve("relay.p12"),
                    StandardCopyOption.REPLACE_EXISTING);
            relayCa = Files.copy(pki.caCertificate(), dir.resolve("relay-ca.pem"), StandardCopyOption.REPLACE_EXISTING);
            for (Path file : List.of(keyStore, relayCa, dir)) {
                file.toFile().deleteOnExit();
            }
            System.setProperty(KEYSTORE, keyStore.toString());
            System.setProperty(
                    PASSWORD, Files.readAllLines(pki.pkcs12Password()).get(0).trim());
        }
        return relayCa;
    }

    int port() {
        return greenMail.getSmtps().getPort();
    }

    /** The CA that the relay's certificate chains to: the gateway's {@code transports.mail.trust_anchors}. */
    Path trustAnchors() {
        return trustAnchors;
    }

    /** The messages received so far, waiting up to {@code timeout} for {@code count} of them. */
    List<MimeMessage> await(int count, Duration timeout) {
        greenMail.waitForIncomingEmail(timeout.toMillis(), count);
        return Arrays.asList(greenMail.getReceivedMessages());
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
