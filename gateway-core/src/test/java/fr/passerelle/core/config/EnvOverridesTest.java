package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.KeyLocation;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\ndatabase:\n  url: \"\"\n  user: app\n" + "  password: from-file");
    }

    private GatewaySettings settings(Map<String, String> env) {
        // gateway.yaml alone: a moved PKI folder holds no trust anchors for the partners' certificates.
        return ConfigLoader.settings(config.gateway(), env);
    }

    @Test
    void takesThePortFromGatewayPort() {
        assertThat(settings(Map.of("GATEWAY_PORT", "9443")).port()).isEqualTo(9443);
    }

    @Test
    void takesTheDatabaseFromTheEnvironment() {
        GatewaySettings.DatabaseSettings database = settings(Map.of(
                        "GATEWAY_DATABASE_URL", "jdbc:postgresql://pg.example:5432/passerelle",
                        "GATEWAY_DATABASE_USER", "passerelle",
                        "GATEWAY_DATABASE_PASSWORD", "from-env"))
                .database();

        assertThat(database.url()).contains("jdbc:postgresql://pg.example:5432/passerelle");
        assertThat(database.user()).contains("passerelle");
        assertThat(database.password()).contains("from-env");
        assertThat(database.toString()).doesNotContain("from-env");
    }

    @Test
    void keepsTheFileValuesWithoutOverrides() {
        GatewaySettings.DatabaseSettings database = settings(Map.of()).database();

        assertThat(database.url()).isEmpty();
        assertThat(database.user()).contains("app");
        assertThat(database.password()).contains("from-file");
    }

    @Test
    void anEmptyDatabaseUrlMeansTheEmbeddedDatabase() {
        config.replace("gateway.yaml", "url: \"\"", "url: jdbc:postgresql://db/passerelle");

        assertThat(settings(Map.of("GATEWAY_DATABASE_URL", "")).database().url())
                .isEqualTo(Optional.empty());
    }

    @Test
    void movesThePkiAndTheDefaultTlsFilesWithGatewayPkiDir() {
        GatewaySettings settings = settings(Map.of("GATEWAY_PKI_DIR", "/srv/pki"));

        assertThat(settings.pkiDir()).isEqualTo(Path.of("/srv/pki"));
        assertThat(settings.tlsCertificate()).isEqualTo(Path.of("/srv/pki/gateway-tls.pem"));
        assertThat(settings.tlsKey()).isEqualTo(new KeyLocation.InFile(Path.of("/srv/pki/gateway-tls-key.pem")));
        assertThat(settings.clientCa()).isEqualTo(Path.of("/srv/pki/ca.pem"));
    }

    @Test
    void movesTheDefaultSigningFilesWithGatewayPkiDir() {
        GatewaySettings settings = settings(Map.of("GATEWAY_PKI_DIR", "/srv/pki"));

        assertThat(settings.signingCertificate()).isEqualTo(Path.of("/srv/pki/gateway-signing.pem"));
        assertThat(settings.signingKey())
                .isEqualTo(new KeyLocation.InFile(Path.of("/srv/pki/gateway-signing-key.pem")));
    }

    @Test
    void takesTheMasterKeyFileFromGatewayMasterKeysOverTheFile() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nkeys: {file: ../keys/master.keys}");

        GatewaySettings settings = settings(Map.of("GATEWAY_MASTER_KEYS", "/run/secrets/master.keys"));

        assertThat(settings.masterKeys()).isEqualTo(Path.of("/run/secrets/master.keys"));
    }

    @Test
    void namesTheVariableOfAnEmptyMasterKeyFile() {
        ConfigReport report = config.check(Map.of("GATEWAY_MASTER_KEYS", " "), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("gateway.yaml: error: environment"
                        + " variable GATEWAY_MASTER_KEYS is not a usable file path (expected: a path such as"
                        + " /etc/passerelle/keys/master.keys) (fix: set it to the file, or unset it to use the file's"
                        + " setting)");
    }

    @Test
    void keepsExplicitTlsFilesWhenThePkiMoves() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ntls: {certificate: tls/gw.pem}");

        GatewaySettings settings = settings(Map.of("GATEWAY_PKI_DIR", "/srv/pki"));

        assertThat(settings.tlsCertificate()).isEqualTo(config.dir().resolve("tls/gw.pem"));
        assertThat(settings.tlsKey()).isEqualTo(new KeyLocation.InFile(Path.of("/srv/pki/gateway-tls-key.pem")));
    }

    @Test
    void namesTheVariableOfABadPort() {
        ConfigReport report = config.check(Map.of("GATEWAY_PORT", "84433"), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("gateway.yaml:2: error: environment"
                        + " variable GATEWAY_PORT is '84433' (expected: a port number 0-65535) (fix: set it to a number from 0"
                        + " to 65535, or unset it)");
        assertThat(report.deployment()).isEmpty();
    }

    @Test
    void takesTheListenAddressesFromTheEnvironmentOverTheFile() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nreceipt_links:\n  port: 8444");

        GatewaySettings fromFile = settings(Map.of());
        GatewaySettings fromEnv =
                settings(Map.of("GATEWAY_HOST", "0.0.0.0", "GATEWAY_RECEIPT_LINKS_HOST", " 0.0.0.0 "));

        assertThat(fromFile.host()).isEqualTo("127.0.0.1");
        assertThat(fromFile.receiptLinks().orElseThrow().host()).isEqualTo("127.0.0.1");
        assertThat(fromEnv.host()).isEqualTo("0.0.0.0");
        assertThat(fromEnv.receiptLinks().orElseThrow().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void namesTheVariableOfABadListenAddress() {
        ConfigReport report = config.check(Map.of("GATEWAY_HOST", "every interface"), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("gateway.yaml:1: error: environment variable GATEWAY_HOST is 'every interf…'"
                        + " (expected: a listen address such as 127.0.0.1, 0.0.0.0 or 10.0.0.5) (fix: set it to an"
                        + " address of this machine (0.0.0.0: every interface), or unset it to use server.host)");
        assertThat(report.deployment()).isEmpty();
    }

    @Test
    void takesTheManagementListenerFromTheEnvironmentOverTheFile() {
        config.replace(
                "gateway.yaml", "data_dir: ../data", "data_dir: ../data\nmanagement:\n  host: 127.0.0.1\n  port: 9191");

        GatewaySettings fromFile = settings(Map.of());
        GatewaySettings fromEnv =
                settings(Map.of("GATEWAY_MANAGEMENT_HOST", "10.0.0.5", "GATEWAY_MANAGEMENT_PORT", "0"));

        assertThat(fromFile.management()).contains(new GatewaySettings.ManagementSettings("127.0.0.1", 9191));
        assertThat(fromEnv.management()).contains(new GatewaySettings.ManagementSettings("10.0.0.5", 0));
    }

    @Test
    void namesTheVariablesOfABadManagementHostAndPort() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nmanagement:\n  port: 9090");

        ConfigReport report = config.check(
                Map.of("GATEWAY_MANAGEMENT_HOST", "0.0.0.0 ; rm", "GATEWAY_MANAGEMENT_PORT", "http"),
                ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly(
                        "gateway.yaml:6: error: environment variable GATEWAY_MANAGEMENT_HOST is '0.0.0.0 ; rm'"
                                + " (expected: a listen address such as 127.0.0.1, 0.0.0.0 or 10.0.0.5) (fix: set it"
                                + " to an address of this machine (0.0.0.0: every interface), or unset it to use"
                                + " management.host)",
                        "gateway.yaml:7: error: environment variable GATEWAY_MANAGEMENT_PORT is 'http' (expected: a"
                                + " port number 0-65535) (fix: set it to a number from 0 to 65535, or unset it)");
        assertThat(report.deployment()).isEmpty();
    }

    @Test
    void takesTheLogLevelAndFormatFromTheEnvironmentOverTheFile() {
        config.replace(
                "gateway.yaml", "data_dir: ../data", "data_dir: ../data\nlogging:\n  level: warn\n  format: text");

        GatewaySettings.LogSettings fromFile = settings(Map.of()).logging();
        GatewaySettings.LogSettings fromEnv = settings(
                        Map.of("GATEWAY_LOG_LEVEL", "debug", "GATEWAY_LOG_FORMAT", "JSON"))
                .logging();

        assertThat(fromFile)
                .isEqualTo(new GatewaySettings.LogSettings(
                        GatewaySettings.LogSettings.Level.WARN, GatewaySettings.LogSettings.Format.TEXT));
        assertThat(fromEnv)
                .isEqualTo(new GatewaySettings.LogSettings(
                        GatewaySettings.LogSettings.Level.DEBUG, GatewaySettings.LogSettings.Format.JSON));
    }

    @Test
    void namesTheVariableOfABadLogFormat() {
        ConfigReport report = config.check(Map.of("GATEWAY_LOG_FORMAT", "xml"), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("gateway.yaml: error: environment variable GATEWAY_LOG_FORMAT is 'xml' (expected:"
                        + " text or json) (fix: set it to text or json, or unset it to use the file's setting)");
        assertThat(report.deployment()).isEmpty();
    }

    @Test
    void takesTheReceiptLinksPublicUrlAndTheMailRelayFromTheEnvironment() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\nreceipt_links:\n  port: 8444\ntransports:\n  mail:\n    host: smtp.example.invalid\n"
                        + "    port: 465\n    security: tls\n    from: passerelle@example.invalid");
        GatewaySettings settings = settings(Map.of(
                "GATEWAY_RECEIPT_LINKS_PUBLIC_URL", "https://passerelle.interieur.example:8444/",
                "GATEWAY_MAIL_HOST", "mail-relay",
                "GATEWAY_MAIL_PORT", "587"));

        assertThat(settings.receiptLinks().orElseThrow().publicUrl())
                .contains("https://passerelle.interieur.example:8444");
        assertThat(settings.transports().get("mail"))
                .containsEntry("host", "mail-relay")
                .containsEntry("port", "587");
    }

    @Test
    void namesTheVariableOfABadPublicUrlOrMailPort() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\nreceipt_links:\n  port: 8444\ntransports:\n  mail:\n    host: smtp.example.invalid\n"
                        + "    port: 465\n    security: tls\n    from: passerelle@example.invalid");
        ConfigReport report = config.check(
                Map.of("GATEWAY_RECEIPT_LINKS_PUBLIC_URL", "http://plain.example", "GATEWAY_MAIL_PORT", "smtp"),
                ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .anySatisfy(line -> assertThat(line)
                        .contains("environment variable GATEWAY_RECEIPT_LINKS_PUBLIC_URL is not an https:// URL"))
                .anySatisfy(line -> assertThat(line)
                        .contains("environment variable GATEWAY_MAIL_PORT is 'smtp' (expected: a port number"));
        assertThat(report.deployment()).isEmpty();
    }

    @Test
    void namesTheVariableOfABadDatabaseUrlWithoutShowingIt() {
        ConfigReport report =
                config.check(Map.of("GATEWAY_DATABASE_URL", "postgres://u:Secr3t@db/x"), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly(
                        "gateway.yaml:6: error: environment"
                                + " variable GATEWAY_DATABASE_URL is not a PostgreSQL JDBC URL (expected: jdbc:postgresql://host:5432/"
                                + "database) (fix: set it to a jdbc:postgresql: URL, or to an empty value for the embedded database)");
    }

    @Test
    void namesTheVariableOfABlankUserAndPkiDir() {
        ConfigReport report =
                config.check(Map.of("GATEWAY_DATABASE_USER", " ", "GATEWAY_PKI_DIR", ""), ConfigChecks.lenient());

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly(
                        "gateway.yaml: error: environment variable GATEWAY_PKI_DIR is not a usable folder path (expected: a"
                                + " path such as /etc/passerelle/pki) (fix: set it to the folder, or unset it to use the file's"
                                + " setting)",
                        "gateway.yaml:6: error: environment variable GATEWAY_DATABASE_USER is blank or has surrounding spaces"
                                + " (expected: a database role name) (fix: set it to the role name, or unset it to use"
                                + " database.user)");
    }
}
