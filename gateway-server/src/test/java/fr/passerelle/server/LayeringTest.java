package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.adapters.canonical.CanonicalJsonAdapter;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.cli.GatewayCommand;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency direction true over the compiled classes: gateway-tools → gateway-server → adapters →
 * gateway-core, with the development kit beside the server, never in it. A class file names every class it uses in
 * its constant pool, so a forbidden reference shows as a string there.
 */
class LayeringTest {
    /**
     * What a transport may take from the crypto package: the key and chain the SPI hands it
     * ({@code TransportContext.clientKey}), and the PEM reader for the trust anchors its settings name. Sealing,
     * opening and the PKI stay out of reach.
     */
    private static final List<String> ALLOWED = List.of("fr/passerelle/core/crypto/CertifiedKey",
            "fr/passerelle/core/crypto/PemFiles");

    @Test
    void coreUsesNoNettyNoServerAndNoAdapter() throws Exception {
        List<String> offenders = referencing(classesOf(GatewayException.class),
                "io/netty/", "fr/passerelle/server/", "fr/passerelle/adapters/", "picocli/");

        assertThat(offenders).isEmpty();
    }

    @Test
    void adaptersSeeOnlyTheSpiAndTheModel() throws Exception {
        List<String> offenders = referencing(classesOf(CanonicalJsonAdapter.class),
                "io/netty/", "fr/passerelle/server/", "fr/passerelle/core/store/", "fr/passerelle/core/crypto/",
                "fr/passerelle/core/routing/", "fr/passerelle/core/exchange/", "fr/passerelle/core/audit/",
                "fr/passerelle/core/config/", "java/sql/");

        assertThat(offenders).isEmpty();
    }

    @Test
    void serverLeavesTheDemoTheBenchAndTheDevelopmentKitToTheTools() throws Exception {
        List<String> offenders = referencing(classesOf(GatewayCommand.class),
                "fr/passerelle/tools/", "fr/passerelle/devkit/", "com/icegreen/", "fr/passerelle/core/crypto/DevelopmentPki");

        assertThat(offenders).isEmpty();
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static List<String> referencing(Path root, String... forbidden) throws IOException {
        assertThat(root).isDirectory();
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String allowed : ALLOWED) {
                    constants = constants.replace(allowed, "");
                }
                for (String prefix : forbidden) {
                    if (constants.contains(prefix)) {
                        offenders.add(root.relativize(file) + " uses " + prefix);
                    }
                }
            }
        }
        return offenders;
    }
}
