package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.crypto.Pkcs11Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls.key} and {@code signing.key} naming a key in the PKCS#11 token of {@code pkcs11:}. */
class Pkcs11SettingsTest {
    private static final String PIN = "8642-secret";
    private static final Map<String, String> WITH_PIN = Map.of(Pkcs11Token.PIN_VARIABLE, PIN);

    @TempDir
    Path temp;

    private TestConfig config;
    private Path library;

    @BeforeEach
    void writeValidConfiguration() throws IOException {
        config = TestConfig.valid(temp);
        // The reader checks that the module's file is there; it loads nothing.
        library = Files.writeString(temp.resolve("libtoken.so"), "not a module");
    }

    private void useToken(String keys) {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\npkcs11:\n  library: " + library + "\n  slot: 3000000000\n" + keys);
    }

    private String problems(Map<String, String> env) {
        return String.join(
                "\n",
                config.check(env, ConfigChecks.lenient()).problems().stream()
                        .map(config::shown)
                        .toList());
    }

    @Test
    void readsAKeyInTheTokenWithThePinFromTheEnvironment() {
        useToken("signing:\n  key: \"pkcs11:object=gateway%20signing;type=private\"");

        GatewaySettings settings = ConfigLoader.settings(config.gateway(), WITH_PIN);

        assertThat(settings.signingKey())
                .isEqualTo(new KeyLocation.InToken(
                        new Pkcs11Token(library, OptionalLong.of(3000000000L), 0, PIN), "gateway signing"));
        assertThat(settings.tlsKey()).isInstanceOf(KeyLocation.InFile.class);
        assertThat(settings.signingKey().toString())
                .contains("pkcs11:object=gateway signing")
                .doesNotContain(PIN);
        assertThat(settings.toString()).doesNotContain(PIN);
    }

    @Test
    void bothKeysShareTheOneToken() {
        useToken("tls: {key: \"pkcs11:object=gateway-tls\"}\nsigning: {key: \"pkcs11:object=gateway-signing\"}");

        GatewaySettings settings = ConfigLoader.settings(config.gateway(), WITH_PIN);

        assertThat(((KeyLocation.InToken) settings.tlsKey()).token())
                .isEqualTo(((KeyLocation.InToken) settings.signingKey()).token());
    }

    @Test
    void refusesATokenKeyWithoutThePin() {
        useToken("tls: {key: \"pkcs11:object=gateway-tls\"}\nsigning: {key: \"pkcs11:object=gateway-signing\"}");

        assertThat(problems(Map.of()))
                .isEqualTo("gateway.yaml:6: error: environment variable GATEWAY_PKCS11_PIN is not set (expected: the"
                        + " user PIN of the token that pkcs11: names) (fix: set it in the gateway's environment, from"
                        + " a secret; the PIN never goes in gateway.yaml)");
    }

    @Test
    void refusesATokenKeyWithoutAPkcs11Section() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ntls: {key: \"pkcs11:object=gw\"}");

        assertThat(problems(WITH_PIN))
                .isEqualTo("gateway.yaml:6: error: 'tls.key' names a key in a PKCS#11 token, but gateway.yaml has no"
                        + " pkcs11: section (fix: add pkcs11: with library: (such as /usr/lib/softhsm/libsofthsm2.so)"
                        + " and slot: or slot_index:)");
    }

    @Test
    void refusesAnAttributeThatTheGatewayWouldNotCheck() {
        useToken("tls: {key: \"pkcs11:token=passerelle;object=gateway-tls\"}");

        assertThat(problems(WITH_PIN))
                .isEqualTo("gateway.yaml:9: error: 'tls.key': attribute 'token' of the pkcs11: URI is not supported"
                        + " (expected: pkcs11:object=<label of the key>, in the token that pkcs11.slot or"
                        + " pkcs11.slot_index selects) (fix: write pkcs11:object=<label>, such as"
                        + " pkcs11:object=gateway-tls, or the path of a PEM key file)");
    }

    @Test
    void refusesAPinInTheUriWithoutRepeatingIt() {
        useToken("tls: {key: \"pkcs11:object=gateway-tls?pin-value=" + PIN + "\"}");

        assertThat(problems(WITH_PIN))
                .startsWith("gateway.yaml:9: error: 'tls.key': a pkcs11: URI with a query is refused, the PIN comes"
                        + " from GATEWAY_PKCS11_PIN alone")
                .doesNotContain(PIN);
    }

    @Test
    void refusesBothASlotAndASlotIndex() {
        useToken("  slot_index: 1\ntls: {key: \"pkcs11:object=gateway-tls\"}");

        assertThat(problems(WITH_PIN))
                .isEqualTo("gateway.yaml:6: error: pkcs11: has both slot and slot_index (fix: keep one of them)");
    }

    @Test
    void refusesAModuleThatIsNotThere() throws IOException {
        Files.delete(library);
        useToken("tls: {key: \"pkcs11:object=gateway-tls\"}");

        assertThat(problems(WITH_PIN))
                .isEqualTo("gateway.yaml:7: error: 'pkcs11.library' " + library + " does not exist (fix: install the"
                        + " token's PKCS#11 module and write its path, such as /usr/lib/softhsm/libsofthsm2.so)");
    }
}
