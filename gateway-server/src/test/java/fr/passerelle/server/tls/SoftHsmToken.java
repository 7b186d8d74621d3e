package fr.passerelle.server.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.Pkcs11Token;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.Commands;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A SoftHSM2 token for the tests, in a token folder of its own, holding the gateway's two keys: EC P-256 keys
 * generated inside it that never leave it (sensitive, not extractable), labelled {@code gateway-tls} and
 * {@code gateway-signing}, each stored with the certificate that a test CA issued for it. The certificates and
 * the CA are also written as PEM files in {@link #dir()}, where the gateway reads its certificates.
 *
 * <p>SoftHSM2 finds its token folder through the configuration file that the environment variable
 * {@code SOFTHSM2_CONF} names, read once when the JVM first loads the module; a JVM cannot change its own
 * environment, so gateway-server's pom sets the variable for the test JVM to a file under {@code target/}, which
 * the fixture writes before anything loads the module. The module, once loaded, does not look for tokens made
 * after it: the token is made once per JVM and shared, by {@link #shared()}. Skips the calling test when SoftHSM2
 * is not installed.
 */
final class SoftHsmToken {
    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String PIN = "314159";
    private static final String SO_PIN = "271828";
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    private static SoftHsmToken shared;

    private final long slot;
    private final Provider provider;
    private final Path dir;
    private final Certificates.Issued ca;

    private SoftHsmToken(long slot, Provider provider, Path dir) {
        this.slot = slot;
        this.provider = provider;
        this.dir = dir;
        this.ca = Certificates.ca("Token tests CA");
    }

    /** The token of this JVM, made on first use with its keys and their certificates. */
    static synchronized SoftHsmToken shared() throws IOException, InterruptedException, GeneralSecurityException {
        if (shared == null) {
            SoftHsmToken token = create("passerelle");
            Certificates.write(token.dir.resolve("ca.pem"), token.ca.certificate());
            PemFiles.writeCertificates(token.dir.resolve("gateway-tls.pem"), token.generateKey("gateway-tls"));
            PemFiles.writeCertificates(token.dir.resolve("gateway-signing.pem"), token.generateKey("gateway-signing"));
            shared = token;
        }
        return shared;
    }

    /** Initialises a token labelled {@code label} in a token folder emptied first. */
    private static SoftHsmToken create(String label) throws IOException, InterruptedException {
        assumeTrue(
                Files.isRegularFile(LIBRARY) && onPath("softhsm2-util"),
                "softhsm2 is not installed (apt-get install softhsm2): the PKCS#11 tests skip");
        String conf = System.getenv("SOFTHSM2_CONF");
        assumeTrue(
                conf != null, "SOFTHSM2_CONF is not set: gateway-server's pom sets it for the tests that Maven runs");
        Path confFile = Path.of(conf);
        Path tokens = confFile.resolveSibling("tokens");
        Path pki = confFile.resolveSibling("pki");
        for (Path old : List.of(tokens, pki)) {
            if (Files.exists(old)) {
                try (Stream<Path> files = Files.walk(old)) {
                    for (Path each : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(each);
                    }
                }
            }
            Files.createDirectories(old);
        }
        Files.writeString(
                confFile,
                "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                StandardCharsets.UTF_8);
        String output = Commands.ok(
                "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN);
        Matcher matcher = SLOT.matcher(output);
        if (!matcher.find()) {
            throw new AssertionError("softhsm2-util did not say which slot the token went to:\n" + output);
        }
        long slot = Long.parseLong(matcher.group(1));
        // The fixture's own provider, apart from the gateway's: it generates keys that the token keeps secret.
        Provider provider = Security.getProvider("SunPKCS11")
                .configure("--name = softhsmFixture\nlibrary = " + LIBRARY + "\nslot = " + slot + "\n"
                        + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                        + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
        return new SoftHsmToken(slot, provider, pki);
    }

    /** The folder of {@code ca.pem}, {@code gateway-tls.pem} and {@code gateway-signing.pem}. */
    Path dir() {
        return dir;
    }

    /** The CA that issued the token keys' certificates, to issue a partner's. */
    Certificates.Issued ca() {
        return ca;
    }

    /** The key labelled {@code label}, as gateway.yaml names it: {@code pkcs11:object=<label>}. */
    KeyLocation key(String label) {
        return new KeyLocation.InToken(token(), KeyLocation.InToken.objectOf("pkcs11:object=" + label));
    }

    /** The token as gateway.yaml's {@code pkcs11:} section and {@code GATEWAY_PKCS11_PIN} name it. */
    Pkcs11Token token() {
        return new Pkcs11Token(LIBRARY, OptionalLong.of(slot), 0, PIN);
    }

    long slot() {
        return slot;
    }

    /**
     * Generates a P-256 key in the token and stores it under {@code label} with the certificate that the CA issues
     * for it, for TLS servers at 127.0.0.1 and localhost and for signatures.
     *
     * @return the certificate chain, leaf first
     */
    private List<X509Certificate> generateKey(String label) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        // Logs in: the token makes private keys for its user alone.
        store.load(null, PIN.toCharArray());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Certificates.Issued issued = Certificates.certificate("CN=" + label + ",O=Passerelle tests")
                .keys(keys)
                .issuedBy(ca)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_emailProtection)
                .dnsName("localhost")
                .ipAddress("127.0.0.1")
                .issue();
        // Copies the generated key into a token object under the label; sensitive and unextractable stay so.
        store.setKeyEntry(label, keys.getPrivate(), null, issued.chain().toArray(X509Certificate[]::new));
        return issued.chain();
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null
                && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
