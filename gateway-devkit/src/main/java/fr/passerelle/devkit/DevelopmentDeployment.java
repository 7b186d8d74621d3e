package fr.passerelle.devkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What {@code pki init} does for a configuration folder, for the CLI, the demo and the tests alike: a development
 * PKI with one certificate per partner file, and the pins that the gateway overlays on the folder's entries
 * ({@link DevelopmentPins}): each partner's fingerprint and certificate ({@code partners/<id>.pem}, what the
 * gateway seals to) come from the PKI folder, and the folder itself is left as it was.
 */
public final class DevelopmentDeployment {
    private DevelopmentDeployment() {}

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
        env.put("GATEWAY_MANAGEMENT_PORT", "0");
        env.put("GATEWAY_PKI_DIR", pki.toString());
        PayloadCipher.ensureFamilies(ConfigLoader.settings(gatewayYaml, env).masterKeys(), Clock.systemUTC());
        return new Workspace(config, gatewayYaml, pki, result, env);
    }

    /**
     * {@code pki init}: a development PKI in {@code pkiDir} with one client certificate per partner file, and its
     * pins ({@link DevelopmentPins}, {@code pkiDir/pins.yaml}): each partner's fingerprint, the admin certificate's
     * for the shipped administrator ({@code admins/admin.yaml}), and for each other file of {@code admins/} a
     * certificate of its own ({@code pkiDir/admins/<id>.pem}, such as the statistics readers'), which the gateway
     * overlays on the entries of config/ that pin no certificate. The signing certificate names the {@code from} address of
     * {@code transports.mail}, when gateway.yaml has one; the partners that receive by mail in the {@code compatible}
     * envelope (their default) get an RSA key, which every mail client opens. Nothing in config/ is written.
     */
    public static PkiResult install(Path gatewayYaml, Path pkiDir, List<String> extraHostNames, boolean force) {
        List<PartnerId> partners = ConfigLoader.partnerIds(gatewayYaml);
        PkiResult result = DevelopmentPki.init(
                pkiDir,
                partners,
                ConfigLoader.compatibleMailPartnerIds(gatewayYaml),
                extraHostNames,
                gatewayMail(gatewayYaml),
                Clock.systemUTC(),
                force);
        Map<String, String> admins = new TreeMap<>();
        admins.put("admin", result.adminFingerprint());
        for (String id : adminIds(gatewayYaml)) {
            Path pem = DevelopmentPki.issueClient(result.dir(), result.dir().resolve("admins"), id, Clock.systemUTC());
            admins.put(id, Fingerprints.sha256(PemFiles.readCertificates(pem).get(0)));
        }
        DevelopmentPins.write(result.dir(), result.partnerFingerprints(), admins);
        return result;
    }

    /** The ids of the administrators of {@code admins/} beside gateway.yaml, but the shipped {@code admin}. */
    private static List<String> adminIds(Path gatewayYaml) {
        Path folder = gatewayYaml.toAbsolutePath().normalize().resolveSibling("admins");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("[a-z][a-z0-9-]{0,62}\\.yaml") && !name.equals("admin.yaml"))
                    .map(name -> name.substring(0, name.length() - ".yaml".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot list the administrators of " + folder + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** The sender address of the mail transport; no environment variable overrides it. */
    private static Optional<String> gatewayMail(Path gatewayYaml) {
        Map<String, String> mail =
                ConfigLoader.settings(gatewayYaml, Map.of()).transports().getOrDefault("mail", Map.of());
        return Optional.ofNullable(mail.get("from")).map(String::strip);
    }
}
