package fr.passerelle.adapters.https;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.TransportProvider.OptionProblem;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpsPushTransportProviderTest {
    private static final String EXPECTED =
            "(expected: an absolute https:// URL such as" + " https://siao.example.fr/passerelle/referrals";
    private final HttpsPushTransportProvider provider = new HttpsPushTransportProvider();

    @Test
    void isNamedHttpsAndSealsAsCms() {
        assertThat(provider.id()).isEqualTo("https");
        assertThat(provider.packaging()).isEqualTo(HttpsPushTransportProvider.Packaging.CMS);
        assertThat(provider.receiptLinks()).isFalse();
    }

    @Test
    void acceptsAnHttpsUrlWithPortPathAndQuery() {
        assertThat(provider.checkPartner(Map.of("url", "https://siao.example.fr:8443/passerelle/referrals?x=1")))
                .isEmpty();
    }

    @Test
    void requiresTheUrl() {
        assertThat(provider.checkPartner(Map.of()))
                .containsExactly(
                        new OptionProblem(
                                "url",
                                "url is missing " + EXPECTED + ")",
                                "add url: https://siao.example.fr/passerelle/referrals under delivery:, the partner's endpoint"));
    }

    @Test
    void refusesPlainHttpWithAFix() {
        assertThat(provider.checkPartner(Map.of("url", "http://siao.example.fr/referrals")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url uses http:// " + EXPECTED + ")",
                        "use https://: the gateway pushes" + " referrals only over TLS, with its client certificate"));
    }

    @Test
    void refusesARelativeUrl() {
        assertThat(provider.checkPartner(Map.of("url", "/passerelle/referrals")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url is not an absolute https:// URL " + EXPECTED + ")",
                        "write it as https://siao.example.fr/passerelle/referrals"));
    }

    @Test
    void refusesAUrlWithoutAHost() {
        assertThat(provider.checkPartner(Map.of("url", "https:///referrals")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url has no host, or a host that is not a valid name " + EXPECTED + ")",
                        "write it as https://siao.example.fr/passerelle/referrals"));
    }

    @Test
    void refusesUserInformationWithoutShowingIt() {
        assertThat(provider.checkPartner(Map.of("url", "https://gateway:s3cret@siao.example.fr/referrals")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url holds user information before '@' " + EXPECTED + ", without user:password@)",
                        "remove it: the gateway authenticates with its client"
                                + " certificate, never with a password in the URL"));
    }

    @Test
    void refusesAFragment() {
        assertThat(provider.checkPartner(Map.of("url", "https://siao.example.fr/referrals#top")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url https://siao.example.fr/referrals has a fragment '#…' " + EXPECTED + ", without #)",
                        "remove the '#' and what follows: a fragment is never sent to the" + " server"));
    }

    @Test
    void refusesAMalformedUrlWithoutEchoingIt() {
        assertThat(provider.checkPartner(Map.of("url", "https://siao.example.fr/a b")))
                .containsExactly(new OptionProblem(
                        "url",
                        "url is not a valid URL (Illegal character in path at index 25; "
                                + "expected: an absolute https:// URL such as https://siao.example.fr/passerelle/referrals)",
                        "write it as https://siao.example.fr/passerelle/referrals"));
    }

    @Test
    void namesUnknownOptionsAndTheKnownOnes() {
        assertThat(provider.checkPartner(Map.of("url", "https://siao.example.fr/referrals", "adress", "x")))
                .containsExactly(new OptionProblem(
                        "adress",
                        "unknown option 'adress' of delivery with transport" + " https (known: transport, url)",
                        "remove it or correct its spelling"));
    }

    @Test
    void acceptsNoSettingsAndDefaultsTo5And30Seconds() {
        assertThat(provider.checkSettings(Map.of())).isEmpty();
        assertThat(HttpsPushSettings.of(Map.of()))
                .isEqualTo(new HttpsPushSettings(Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    @Test
    void acceptsTimeoutsAtTheirBounds() {
        assertThat(provider.checkSettings(Map.of("connect_timeout_seconds", "60", "request_timeout_seconds", "1")))
                .isEmpty();
        assertThat(HttpsPushSettings.of(Map.of("connect_timeout_seconds", "1", "request_timeout_seconds", "300")))
                .isEqualTo(new HttpsPushSettings(Duration.ofSeconds(1), Duration.ofSeconds(300)));
    }

    @Test
    void refusesTimeoutsOutOfRangeOrNotWholeNumbers() {
        assertThat(provider.checkSettings(Map.of("connect_timeout_seconds", "0", "request_timeout_seconds", "2.5")))
                .containsExactly(
                        new OptionProblem(
                                "connect_timeout_seconds",
                                "connect_timeout_seconds is '0' (expected: a" + " whole number of seconds 1-60)",
                                "set it to a number from 1 to 60, or remove it" + " for the default 5"),
                        new OptionProblem(
                                "request_timeout_seconds",
                                "request_timeout_seconds is '2.5' (expected:" + " a whole number of seconds 1-300)",
                                "set it to a number from 1 to 300, or" + " remove it for the default 30"));
    }

    @Test
    void namesUnknownSettingsAndTheKnownOnes() {
        assertThat(provider.checkSettings(Map.of("timeout_seconds", "5")))
                .containsExactly(new OptionProblem(
                        "timeout_seconds",
                        "unknown setting 'timeout_seconds' of transports.https (known:"
                                + " connect_timeout_seconds, request_timeout_seconds)",
                        "remove it or correct its spelling"));
    }

    @Test
    void refusesToOpenWithWrongSettings() {
        assertThatThrownBy(() -> HttpsPushSettings.of(Map.of("request_timeout_seconds", "301")))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("transports.https has 1 problem(s): request_timeout_seconds"
                                    + " is '301' (expected: a whole number of seconds 1-300)");
                });
    }
}
