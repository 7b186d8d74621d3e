package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.keys.MasterKeys;
import fr.passerelle.server.http.ApiRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCsrfTest {
    private static final Administrator ALICE =
            new Administrator("alice", "Alice", Administrator.Role.ADMIN, "AA".repeat(32));
    private static final Administrator BOB =
            new Administrator("bob", "Bob", Administrator.Role.AUDITOR, "BB".repeat(32));
    private final CsrfTokens tokens = new CsrfTokens(secret(1));

    @Test
    void letsAPostWithTheAdministratorsOwnTokenThrough() {
        ApiRequest post = post(ALICE, "replay=yes&csrf=" + tokens.tokenFor(ALICE));

        assertThatCode(() -> tokens.check(post)).doesNotThrowAnyException();
    }

    @Test
    void refusesAPostWithoutToken() {
        ApiRequest post = post(ALICE, "replay=yes");

        assertThatThrownBy(() -> tokens.check(post))
                .isInstanceOf(GatewayException.class)
                .hasMessage("the console's form came without its anti-forgery token (expected: one field 'csrf';"
                        + " reload the page and submit again)")
                .extracting(e -> ((GatewayException) e).code())
                .isEqualTo(ErrorCode.NOT_PERMITTED);
    }

    @Test
    void refusesAPostWithAnotherAdministratorsToken() {
        ApiRequest post = post(ALICE, "csrf=" + tokens.tokenFor(BOB));

        assertThatThrownBy(() -> tokens.check(post))
                .isInstanceOf(GatewayException.class)
                .hasMessage("the console's form came with an anti-forgery token that is not administrator alice's of"
                        + " this gateway (reload the page and submit again)");
    }

    @Test
    void givesTheSameTokensToEveryInstanceThatSharesTheMasterKeys(@TempDir Path dir) {
        Path file = dir.resolve("master.keys");
        MasterKeys.create(file, Clock.systemUTC());
        CsrfTokens first = CsrfTokens.fromMasterKeys(MasterKeys.load(file));
        CsrfTokens second = CsrfTokens.fromMasterKeys(MasterKeys.load(file));

        assertThatCode(() -> second.check(post(ALICE, "csrf=" + first.tokenFor(ALICE))))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAFormOpenedBeforeAMasterKeyRotationOrUnderAnotherDeploymentsKeys(@TempDir Path dir) {
        Path file = dir.resolve("master.keys");
        MasterKeys before = MasterKeys.create(file, Clock.systemUTC());
        String opened = CsrfTokens.fromMasterKeys(before).tokenFor(ALICE);
        MasterKeys rotated = before.addKey(file, Clock.systemUTC());
        MasterKeys other = MasterKeys.create(dir.resolve("other.keys"), Clock.systemUTC());

        assertThatThrownBy(() -> CsrfTokens.fromMasterKeys(rotated).check(post(ALICE, "csrf=" + opened)))
                .isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> CsrfTokens.fromMasterKeys(other).check(post(ALICE, "csrf=" + opened)))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void refusesATokenOfAnotherGatewaysSecret() {
        ApiRequest post = post(ALICE, "csrf=" + new CsrfTokens(secret(2)).tokenFor(ALICE));

        assertThatThrownBy(() -> tokens.check(post)).isInstanceOf(GatewayException.class);
    }

    @Test
    void refusesAPostThatRepeatsTheField() {
        String token = tokens.tokenFor(ALICE);
        ApiRequest post = post(ALICE, "csrf=" + token + "&csrf=" + token);

        assertThatThrownBy(() -> tokens.check(post))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("expected: one field 'csrf'");
    }

    @Test
    void asksNothingOfARead() {
        ApiRequest get = new ApiRequest(
                HttpMethod.GET,
                "/console/",
                Map.of(),
                new DefaultHttpHeaders(),
                new byte[0],
                Optional.empty(),
                Map.of(),
                Optional.of(ALICE));

        assertThatCode(() -> tokens.check(get)).doesNotThrowAnyException();
    }

    @Test
    void givesEachAdministratorAStableTokenThatIsNotTheirId() {
        assertThat(tokens.tokenFor(ALICE)).isEqualTo(tokens.tokenFor(ALICE)).doesNotContain("alice");
        assertThat(tokens.tokenFor(ALICE)).isNotEqualTo(tokens.tokenFor(BOB));
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new CsrfTokens(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CSRF secret of 16 bytes (expected: at least 32 bytes)");
    }

    private static byte[] secret(int fill) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) fill);
        return secret;
    }

    private static ApiRequest post(Administrator admin, String form) {
        return new ApiRequest(
                HttpMethod.POST,
                "/console/partners/police-75-brp/replay",
                Map.of(),
                new DefaultHttpHeaders().set("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                Map.of(),
                Optional.of(admin));
    }
}
