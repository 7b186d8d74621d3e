package fr.passerelle.server;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.demo.PartnerClient;
import fr.passerelle.server.demo.ShippedConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real gateway for integration tests: the shipped configuration copied to a temporary folder, a fresh
 * development PKI pinned into it, an embedded PostgreSQL in that folder (or the server that
 * {@code GATEWAY_TEST_DB_URL} names), and the HTTPS server on a free port.
 */
final class TestGateway implements AutoCloseable {
    final Path work;
    final Path config;
    final Path pki;
    final Gateway gateway;
    final URI base;

    private TestGateway(Path work, Path config, Path pki, Gateway gateway) {
        this.work = work;
        this.config = config;
        this.pki = pki;
        this.gateway = gateway;
        this.base = URI.create("https://localhost:" + gateway.port());
    }

    static TestGateway start(Map<String, String> extraEnv) throws IOException {
        return start(extraEnv, UnaryOperator.identity());
    }

    /** As {@link #start(Map)}, with gateway.yaml's text edited first. */
    static TestGateway start(Map<String, String> extraEnv, UnaryOperator<String> editGatewayYaml) throws IOException {
        Path work = Files.createTempDirectory("passerelle-it-");
        Path config = work.resolve("config");
        Path pki = work.resolve("pki");
        ShippedConfig.copyTo(config);
        Path gatewayYaml = config.resolve("gateway.yaml");
        Files.writeString(gatewayYaml, editGatewayYaml.apply(Files.readString(gatewayYaml)));
        List<PartnerId> partners = ConfigLoader.partnerIds(gatewayYaml);
        PkiResult result = DevelopmentPki.init(pki, partners, List.of(), Clock.systemUTC(), false);
        result.partnerFingerprints().forEach((id, fp) ->
                ConfigLoader.pinFingerprint(config.resolve("partners").resolve(id.value() + ".yaml"), fp));
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("GATEWAY_PORT", "0");
        env.put("GATEWAY_PKI_DIR", pki.toString());
        String testDb = System.getenv("GATEWAY_TEST_DB_URL");
        if (testDb != null && !testDb.isBlank()) {
            env.put("GATEWAY_DATABASE_URL", testDb);
            copy("GATEWAY_TEST_DB_USER", "GATEWAY_DATABASE_USER", env);
            copy("GATEWAY_TEST_DB_PASSWORD", "GATEWAY_DATABASE_PASSWORD", env);
        }
        return new TestGateway(work, config, pki, Gateway.start(gatewayYaml, env));
    }

    private static void copy(String from, String to, Map<String, String> env) {
        String value = System.getenv(from);
        if (value != null) {
            env.put(to, value);
        }
    }

    PartnerClient client(String partnerId) {
        return PartnerClient.forPartner(partnerId, pki, base);
    }

    byte[] sample(String type) throws IOException {
        return Files.readAllBytes(config.resolve("samples").resolve(type + ".json"));
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
