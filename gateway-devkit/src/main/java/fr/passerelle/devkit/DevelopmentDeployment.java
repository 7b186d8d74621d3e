package fr.passerelle.devkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What {@code pki init} does to a configuration folder, for the CLI, the demo and the tests alike: a development
 * PKI with one certificate per partner file, each certificate installed beside its entry
 * ({@code partners/<id>.pem}, what the gateway seals to) and its fingerprint pinned in the entry.
 */
public final class DevelopmentDeployment {
    private DevelopmentDeployment() {
    }

    /** A throw-away deployment in a work folder, ready for the server's {@code Gateway.start(gatewayYaml, env)}. */
    public record Workspace(Path config, Path gatewayYaml, Path pki, PkiResult pkiResult, Map<String, String> env) {
        public Workspace {
            env = Map.copyOf(env);
        }
    }

    /**
     * The demo's, the benchmark's and the tests' setup: the shipped configuration copied to {@code work/config}
     * (then edited by {@code editConfig}), a development PKI in {@code work/pki} installed into it, the master key
     * file where gateway.yaml expects it, and the environment to start on: free ports, that PKI, and the database
     * variables of {@code processEnv} (so that {@code GATEWAY_DATABASE_URL} still selects a server).
     */
    public static Workspace prepare(Path work, Map<String, String> processEnv, Consumer<Path> editConfig) {
        Path config = work.resolve("config");
        Path pki = work.resolve("pki");
        ShippedConfig.copyTo(config);
        editConfig.accept(config);
        Path gatewayYaml = config.resolve("gateway.yaml");
        PkiResult result = install(gatewayYaml, pki, List.of(), false);
        Map<String, String> env = new HashMap<>();
        for (String key : List.of("GATEWAY_DATABASE_URL", "GATEWAY_DATABASE_USER", "GATEWAY_DATABASE_PASSWORD")) {
            Optional.ofNullable(processEnv.get(key)).ifPresent(value -> env.put(key, value));
        }
        env.put("GATEWAY_PORT", "0");
        env.put("GATEWAY_RECEIPT_LINKS_PORT", "0");
        env.put("GATEWAY_PKI_DIR", pki.toString());
        PayloadCipher.ensureFamilies(ConfigLoader.settings(gatewayYaml, env).masterKeys(), Clock.systemUTC());
        return new Workspace(config, gatewayYaml, pki, result, env);
    }

    public static PkiResult install(Path gatewayYaml, Path pkiDir, List<String> extraHostNames, boolean force) {
        List<PartnerId> partners = ConfigLoader.partnerIds(gatewayYaml);
        PkiResult result = DevelopmentPki.init(pkiDir, partners, extraHostNames, Clock.systemUTC(), force);
        Path partnersDir = gatewayYaml.toAbsolutePath().getParent().resolve("partners");
        result.partnerFingerprints().forEach((id, fingerprint) -> {
            Path entry = partnersDir.resolve(id.value() + ".yaml");
            try {
                Files.copy(result.partnerCertificate(id), partnersDir.resolve(id.value() + ".pem"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new GatewayException(ErrorCode.PKI_FAILED, "cannot install the certificate of " + id
                        + " beside " + entry + ": " + e.getMessage(), e);
            }
            ConfigLoader.pinFingerprint(entry, fingerprint);
        });
        // The development admin certificate (pki/admin.pem) is the shipped administrator's.
        Path admin = gatewayYaml.toAbsolutePath().getParent().resolve("admins").resolve("admin.yaml");
        if (Files.exists(admin)) {
            ConfigLoader.pinFingerprint(admin, result.adminFingerprint());
        }
        return result;
    }
}
