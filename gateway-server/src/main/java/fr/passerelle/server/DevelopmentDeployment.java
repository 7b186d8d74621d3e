package fr.passerelle.server;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;

/**
 * What {@code pki init} does to a configuration folder, for the CLI, the demo and the tests alike: a development
 * PKI with one certificate per partner file, each certificate installed beside its entry
 * ({@code partners/<id>.pem}, what the gateway seals to) and its fingerprint pinned in the entry.
 */
public final class DevelopmentDeployment {
    private DevelopmentDeployment() {
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
        return result;
    }
}
