package fr.passerelle.adapters.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider.OptionProblem;
import fr.passerelle.core.spi.TransportProvider.Packaging;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmimeMailTransportProviderTest {
    private final SmimeMailTransportProvider provider = new SmimeMailTransportProvider();

    @Test
    void sealsInSmimeAndAnswersThroughReceiptLinks() {
        assertThat(provider.id()).isEqualTo("mail");
        assertThat(provider.packaging()).isEqualTo(Packaging.SMIME);
        assertThat(provider.receiptLinks()).isTrue();
        assertThat(Adapters.load().transport("mail")).isInstanceOf(SmimeMailTransportProvider.class);
    }

    @Test
    void acceptsAPartnerWithAPlainAddress() {
        assertThat(provider.checkPartner(Map.of("address", "accueil@amarante.example")))
                .isEmpty();
    }

    @Test
    void acceptsAPartnerWhoseRepliesGoToAPlainAddress() {
        assertThat(provider.checkPartner(
                        Map.of("address", "accueil@amarante.example", "reply_to", "referent-75@passerelle.example")))
                .isEmpty();
    }

    @Test
    void refusesARepliesAddressThatIsNoPlainAddress() {
        assertThat(provider.checkPartner(Map.of(
                        "address", "accueil@amarante.example", "reply_to", "Référent <referent@passerelle.example>")))
                .containsExactly(new OptionProblem(
                        "reply_to",
                        "reply_to is not an e-mail address (expected: local-part@domain, such as"
                                + " referent-974@passerelle.example, without a display name)",
                        "write the mailbox that reads replies alone, or remove reply_to"));
    }

    @Test
    void refusesAPartnerWithoutAValidAddressOrWithUnknownOptions() {
        assertThat(provider.checkPartner(Map.of("url", "https://x.example")))
                .containsExactly(
                        new OptionProblem(
                                "url",
                                "'url' is not an option of the mail transport (expected: address, reply_to)",
                                "remove it or correct its name"),
                        new OptionProblem(
                                "address",
                                "address is missing (expected: the association's mailbox, such as"
                                        + " accueil@association.example)",
                                "add address under delivery"));
        for (String bad : List.of(
                "Accueil <accueil@amarante.example>",
                "accueil@localhost",
                "accueil",
                "a@b.example\r\nBcc: x@y.example")) {
            assertThat(provider.checkPartner(Map.of("address", bad)))
                    .as(bad)
                    .containsExactly(new OptionProblem(
                            "address",
                            "address is not an e-mail address (expected: local-part@domain, such as"
                                    + " accueil@association.example, without a display name)",
                            "write the association's mailbox alone"));
        }
    }

    @Test
    void acceptsCompleteSettings() {
        assertThat(provider.checkSettings(settings())).isEmpty();
    }

    @Test
    void sendsFromTheAddressOfItsSettings() {
        Map<String, String> settings = settings();
        settings.put("from", " passerelle@example.fr ");

        assertThat(provider.senderAddress(settings)).contains("passerelle@example.fr");
    }

    @Test
    void refusesASecurityOtherThanTls() {
        Map<String, String> settings = settings();
        settings.put("security", "none");

        assertThat(provider.checkSettings(settings))
                .containsExactly(new OptionProblem(
                        "security",
                        "security 'none' is not allowed: TLS is required to the relay (expected: starttls or tls)",
                        "write starttls (port 587) or tls (implicit TLS, port 465)"));
    }

    @Test
    void namesEveryMissingOrWrongSetting() {
        Map<String, String> settings =
                Map.of("port", "70000", "timeout_seconds", "0", "username", "passerelle", "tls", "true");

        assertThat(provider.checkSettings(settings))
                .extracting(OptionProblem::key, OptionProblem::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "tls",
                                "'tls' is not a setting of the mail transport"
                                        + " (expected: from, host, password_env, port, security, timeout_seconds,"
                                        + " trust_anchors, username)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "host",
                                "host is missing (expected: the SMTP relay's host" + " name, such as smtp.example.fr)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "port", "port '70000' is not a port number (expected:" + " 1-65535)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "security",
                                "security is missing (expected: starttls or" + " tls: TLS is required to the relay)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "from",
                                "from is missing (expected: the gateway's sender"
                                        + " address, such as passerelle@example.fr)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "password_env",
                                "username is set but password_env is not"
                                        + " (expected: both, or neither for a relay that wants no authentication)"),
                        org.assertj.core.groups.Tuple.tuple(
                                "timeout_seconds", "timeout_seconds '0' is out of range" + " (expected: 1-300)"));
    }

    @Test
    void refusesToOpenWhenThePasswordVariableIsNotSetNamingTheVariableOnly() {
        Map<String, String> settings = settings();
        settings.put("username", "passerelle");
        settings.put("password_env", "GATEWAY_SMTP_PASSWORD");

        assertThatThrownBy(() -> provider.open(context(settings, name -> null)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage("transports.mail.password_env names the environment variable GATEWAY_SMTP_PASSWORD,"
                        + " which is not set or empty (expected: the SMTP password in it)");
    }

    @Test
    void refusesToOpenWhenTheTrustAnchorsFileIsMissing() {
        Map<String, String> settings = settings();
        settings.put("trust_anchors", "pki/missing.pem");

        assertThatThrownBy(() -> provider.open(context(settings, name -> null)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("missing.pem: does not exist");
    }

    @Test
    void writesASubjectWithTypeUrgencyAndShortReferenceOnly() {
        for (ReferralType type : ReferralType.values()) {
            for (Urgency urgency : Urgency.values()) {
                String subject = SmimeMailTransport.subject(delivery(type, urgency));

                assertThat(subject)
                        .startsWith("[Passerelle] " + FrenchLabels.type(type) + " — réf. 7c0e1a2b (")
                        .doesNotContain(MailSamples.PERSONAL)
                        .doesNotContain(MailSamples.REFERRAL_ID);
            }
        }
        assertThat(SmimeMailTransport.subject(delivery(ReferralType.VICTIM_ORIENTATION, Urgency.URGENT)))
                .isEqualTo("[Passerelle] Orientation d'une victime — réf. 7c0e1a2b (urgent)");
    }

    @Test
    void keepsTheMessageIdOfADeliveryAcrossAttempts() {
        assertThat(SmimeMailTransport.messageId(42, ReferralId.parse(MailSamples.REFERRAL_ID)))
                .isEqualTo("<delivery-42.7c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b@passerelle>");
    }

    @Test
    void mapsSmtpRepliesToOutcomesWithoutTheAddress() {
        assertThat(SmtpFailures.reply(550, "RCPT TO:<accueil@amarante.example>", "smtp.example.fr:587"))
                .isEqualTo(DeliveryOutcome.permanent("SMTP 550 at RCPT from relay smtp.example.fr:587"));
        assertThat(SmtpFailures.reply(552, ".", "smtp.example.fr:587"))
                .isEqualTo(DeliveryOutcome.permanent("SMTP 552 at end of DATA from relay smtp.example.fr:587"));
        assertThat(SmtpFailures.reply(421, "MAIL FROM:<passerelle@example.fr>", "smtp.example.fr:587"))
                .isEqualTo(DeliveryOutcome.retryable("SMTP 421 at MAIL from relay smtp.example.fr:587"));
    }

    @Test
    void refusesForGoodAPayloadThatIsNoSmimeEntity() {
        var transport = provider.open(context(settings(), name -> null));
        OutgoingDelivery json = new OutgoingDelivery(
                7,
                ReferralId.parse(MailSamples.REFERRAL_ID),
                MailPki.ASSOCIATION,
                ReferralType.VICTIM_ORIENTATION,
                Urgency.URGENT,
                Map.of("address", "accueil@amarante.example"),
                "application/json",
                new byte[0],
                1);

        DeliveryOutcome outcome = transport.deliver(json);

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.permanent("the mail transport carries S/MIME entities only"
                        + " (got a payload of media type application/json)"));
    }

    private static OutgoingDelivery delivery(ReferralType type, Urgency urgency) {
        return new OutgoingDelivery(
                42,
                ReferralId.parse(MailSamples.REFERRAL_ID),
                MailPki.ASSOCIATION,
                type,
                urgency,
                Map.of("address", "accueil@amarante.example"),
                "application/pkcs7-mime",
                new byte[0],
                1);
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "smtp.example.fr");
        settings.put("port", "587");
        settings.put("security", "starttls");
        settings.put("from", "passerelle@example.fr");
        return settings;
    }

    private static TransportContext context(
            Map<String, String> settings, java.util.function.Function<String, String> env) {
        MailPki keys = MailPki.get();
        CertifiedKey tls = PemFiles.readCertifiedKey(keys.pki.gatewayTlsCertificate(), keys.pki.gatewayTlsKey());
        return new TransportContext(tls, List.of(), settings, env, Clock.systemUTC(), keys.pki.dir());
    }
}
