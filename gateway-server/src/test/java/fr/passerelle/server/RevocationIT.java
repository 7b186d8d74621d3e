package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.devkit.PartnerClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real gateway started with {@code revocation: {mode: hard-fail}}: the main API checks each client certificate
 * at the handshake. The development PKI's certificates name no OCSP responder nor CRL, so they pass unchecked,
 * and are counted so; what a responder or a CRL says is tested on the TLS server itself (ClientRevocationIT).
 */
class RevocationIT {
    @Test
    void checksTheClientCertificateOfEveryHandshakeWhenTurnedOn() throws Exception {
        try (TestGateway gw =
                TestGateway.withGatewayYaml(Map.of(), yaml -> yaml + "\nrevocation:\n  mode: hard-fail\n")) {
            PartnerClient.Reply metrics =
                    gw.client("monitoring-centre-de-veille").get("/metrics");

            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.text())
                    .containsPattern("passerelle_revocation_checks_total\\{result=\"unchecked\"} [1-9]")
                    .contains("passerelle_revocation_checks_total{result=\"revoked\"} 0.0");
        }
    }
}
