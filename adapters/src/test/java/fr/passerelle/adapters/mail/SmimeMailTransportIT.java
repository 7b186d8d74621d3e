package fr.passerelle.adapters.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.SmimeSealer;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.testkit.OpenSsl;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.mail.smime.SMIMEAuthEnveloped;
import org.bouncycastle.mail.smime.SMIMEEnveloped;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Secure mail end to end: the mail format renders a sample, {@link SmimeSealer} signs and encrypts it, the
 * transport sends it over TLS to GreenMail (implicit TLS), or through {@link TestRelay} (STARTTLS, foreign
 * certificates, scripted refusals); the received message is then opened as an association would, with Bouncy
 * Castle's S/MIME classes and with {@code openssl cms}.
 */
class SmimeMailTransportIT {
    private static final String FROM = "passerelle@example.fr";
    private static final String ADDRESS = "accueil@amarante.example";
    private static final String PASSWORD = "not-a-real-secret";
    private static final Provider BC = new BouncyCastleProvider();
    private static final String SUBJECT = "[Passerelle] Orientation d'une victime — réf. 7c0e1a2b (urgent)";

    private static MailPki keys;
    private static GreenMail greenMail;
    private static SmimeSealer sealer;
    private static CertifiedKey gatewayTls;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRelay() {
        keys = MailPki.get();
        greenMail = new GreenMail(new ServerSetup[] {
            ServerSetup.SMTPS.createCopy("127.0.0.1").dynamicPort(),
            ServerSetup.SMTP.createCopy("127.0.0.1").dynamicPort()
        });
        greenMail.setUser(FROM, "passerelle", PASSWORD);
        greenMail.start();
        CertifiedKey signing =
                PemFiles.readCertifiedKey(keys.pki.gatewaySigningCertificate(), keys.pki.gatewaySigningKey());
        sealer = new SmimeSealer(new CmsSealer(signing, Clock.systemUTC()));
        gatewayTls = PemFiles.readCertifiedKey(keys.pki.gatewayTlsCertificate(), keys.pki.gatewayTlsKey());
    }

    @AfterAll
    static void stopRelay() {
        greenMail.stop();
    }

    @BeforeEach
    void emptyMailboxes() throws Exception {
        greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void deliversOverImplicitTlsAMailThatTheAssociationDecryptsAndVerifies() throws Exception {
        Map<String, String> settings = settings(greenMail.getSmtps().getPort(), "tls");
        settings.put("username", "passerelle");
        settings.put("password_env", "GATEWAY_SMTP_PASSWORD");

        DeliveryOutcome outcome;
        try (Transport transport = open(settings)) {
            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered("SMTP 250"));
        MimeMessage received = received();
        assertThat(received.getSubject()).isEqualTo(SUBJECT);
        assertThat(received.getSubject()).doesNotContain(MailSamples.PERSONAL);
        assertThat(received.getHeader("Message-ID"))
                .containsExactly("<delivery-42." + MailSamples.REFERRAL_ID + "@passerelle>");
        assertThat(received.getFrom()[0].toString()).isEqualTo(FROM);
        // InternetAddress.equals compares addresses only: the display name that says so is asserted on its own.
        assertThat(received.getReplyTo()).hasSize(1);
        InternetAddress replyTo = (InternetAddress) received.getReplyTo()[0];
        assertThat(replyTo.getAddress()).isEqualTo(FROM);
        assertThat(replyTo.getPersonal()).isEqualTo("Passerelle (réponses non lues)");
        assertThat(received.getContentType()).isEqualTo(SmimeSealer.mediaType(EnvelopeFormat.AES_256_GCM));
        SMIMEAuthEnveloped enveloped = new SMIMEAuthEnveloped(received);
        assertOpens(enveloped.getRecipientInfos(), keys.association);
    }

    @Test
    void sendsRepliesToThePartnersReplyToAddressWhenItsEntryGivesOne() throws Exception {
        OutgoingDelivery delivery = delivery(
                EnvelopeFormat.AES_256_GCM,
                keys.association.certificate(),
                Map.of("address", ADDRESS, "reply_to", "referent-75@passerelle.example"));

        try (Transport transport = open(settings(greenMail.getSmtps().getPort(), "tls"))) {
            assertThat(transport.deliver(delivery)).isEqualTo(DeliveryOutcome.delivered("SMTP 250"));
        }

        MimeMessage received = received();
        assertThat(received.getHeader("Reply-To")).containsExactly("referent-75@passerelle.example");
        assertThat(received.getFrom()[0].toString()).isEqualTo(FROM);
    }

    @Test
    void deliversOverStartTlsAnEnvelopedDataMailForOlderClients() throws Exception {
        try (TestRelay relay = new TestRelay(
                        TestRelay.Mode.STARTTLS_FORWARD,
                        keys.pki.dir().resolve("gateway-tls.p12"),
                        keys.password,
                        greenMail.getSmtp().getPort(),
                        null);
                Transport transport = open(settings(relay.port(), "starttls"))) {

            DeliveryOutcome outcome =
                    transport.deliver(delivery(EnvelopeFormat.AES_256_CBC, keys.association.certificate()));

            assertThat(outcome).isEqualTo(DeliveryOutcome.delivered("SMTP 250"));
        }
        MimeMessage received = received();
        assertThat(received.getContentType()).isEqualTo(SmimeSealer.mediaType(EnvelopeFormat.AES_256_CBC));
        assertOpens(new SMIMEEnveloped(received).getRecipientInfos(), keys.association);
    }

    /**
     * {@code openssl cms} opens what an association receives, for each envelope and key type. An RSA recipient
     * gets RSAES-OAEP key transport (CmsSealer's profile), which {@code openssl smime} cannot read: its PKCS#7
     * code unwraps with PKCS#1 v1.5 only ("bad decrypt"), and it reads neither ECDH recipients nor
     * AuthEnvelopedData. Hence the README names {@code openssl cms} alone.
     */
    @ParameterizedTest(name = "{0} recipient, {1}")
    @CsvSource({"EC, AES_256_GCM", "EC, AES_256_CBC", "RSA, AES_256_GCM", "RSA, AES_256_CBC"})
    void opensslDecryptsAndVerifiesTheMail(String keyType, EnvelopeFormat format) throws Exception {
        OpenSsl.assumeAvailable();
        CertifiedKey recipient = keyType.equals("RSA") ? keys.associationRsa : keys.association;
        try (Transport transport = open(settings(greenMail.getSmtps().getPort(), "tls"))) {
            assertThat(transport
                            .deliver(delivery(format, recipient.certificate()))
                            .result())
                    .isEqualTo(DeliveryOutcome.Result.DELIVERED);
        }
        writeMailAndKeys(recipient);

        OpenSsl.ok(
                dir,
                "cms",
                "-decrypt",
                "-in",
                "mail.eml",
                "-recip",
                "cert.pem",
                "-inkey",
                "key.pem",
                "-out",
                "signed.eml");
        String verify =
                OpenSsl.ok(dir, "cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-out", "inner.eml");

        assertThat(verify).contains("Verification successful");
        assertInnerEntity(Files.readAllBytes(dir.resolve("inner.eml")));
    }

    @Test
    void refusesARelayThatDoesNotOfferStartTls() throws Exception {
        int plainPort = greenMail.getSmtp().getPort();

        DeliveryOutcome outcome;
        try (Transport transport = open(settings(plainPort, "starttls"))) {
            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.retryable("relay 127.0.0.1:" + plainPort
                        + " does not offer STARTTLS, which is required: TLS is required to the relay"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesARelayWhoseCertificateChainsToAnotherCa() throws Exception {
        DeliveryOutcome outcome;
        int port;
        try (TestRelay relay = new TestRelay(
                        TestRelay.Mode.TLS_FORWARD,
                        keys.other.dir().resolve("gateway-tls.p12"),
                        keys.otherPassword(),
                        greenMail.getSmtp().getPort(),
                        null);
                Transport transport = open(settings(relay.port(), "tls"))) {
            port = relay.port();

            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.retryable("TLS with relay 127.0.0.1:" + port + " failed: its"
                        + " certificate does not chain to the trust anchors (transports.mail.trust_anchors)"));
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void refusesAStartTlsRelayWhoseCertificateChainsToAnotherCa() throws Exception {
        DeliveryOutcome outcome;
        try (TestRelay relay = new TestRelay(
                        TestRelay.Mode.STARTTLS_FORWARD,
                        keys.other.dir().resolve("gateway-tls.p12"),
                        keys.otherPassword(),
                        greenMail.getSmtp().getPort(),
                        null);
                Transport transport = open(settings(relay.port(), "starttls"))) {

            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome.result()).isEqualTo(DeliveryOutcome.Result.RETRYABLE);
        assertThat(outcome.detail())
                .endsWith("failed: its certificate does not chain to the trust anchors"
                        + " (transports.mail.trust_anchors)");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "550 5.1.1 <" + ADDRESS + ">: Recipient address rejected: unknown user | PERMANENT | SMTP 550 at RCPT",
                "450 4.2.1 mailbox busy, try later | RETRYABLE | SMTP 450 at RCPT"
            })
    void reportsAnSmtpRecipientReplyByItsClassWithoutTheAddress(
            String reply, DeliveryOutcome.Result result, String detail) throws Exception {
        DeliveryOutcome outcome;
        int port;
        try (TestRelay relay = new TestRelay(
                        TestRelay.Mode.TLS_SCRIPTED,
                        keys.pki.dir().resolve("gateway-tls.p12"),
                        keys.password,
                        0,
                        reply);
                Transport transport = open(settings(relay.port(), "tls"))) {
            port = relay.port();

            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome).isEqualTo(new DeliveryOutcome(result, detail + " from relay 127.0.0.1:" + port));
    }

    @Test
    void reportsARefusedConnectionAsRetryable() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        DeliveryOutcome outcome;
        try (Transport transport = open(settings(closedPort, "tls"))) {
            outcome = transport.deliver(delivery(EnvelopeFormat.AES_256_GCM, keys.association.certificate()));
        }

        assertThat(outcome)
                .isEqualTo(DeliveryOutcome.retryable("relay 127.0.0.1:" + closedPort + " refused the connection"));
    }

    private static Map<String, String> settings(int port, String security) {
        Map<String, String> settings = new HashMap<>();
        settings.put("host", "127.0.0.1");
        settings.put("port", Integer.toString(port));
        settings.put("security", security);
        settings.put("from", FROM);
        settings.put("trust_anchors", "ca.pem");
        settings.put("timeout_seconds", "10");
        return settings;
    }

    private static Transport open(Map<String, String> settings) {
        assertThat(new SmimeMailTransportProvider().checkSettings(settings)).isEmpty();
        return new SmimeMailTransportProvider()
                .open(new TransportContext(
                        gatewayTls,
                        List.of(),
                        settings,
                        name -> name.equals("GATEWAY_SMTP_PASSWORD") ? PASSWORD : null,
                        Clock.systemUTC(),
                        keys.pki.dir()));
    }

    private static OutgoingDelivery delivery(EnvelopeFormat format, X509Certificate recipient) {
        return delivery(format, recipient, Map.of("address", ADDRESS));
    }

    private static OutgoingDelivery delivery(
            EnvelopeFormat format, X509Certificate recipient, Map<String, String> options) {
        MailFormat mail = new MailFormat();
        byte[] content = mail.write(MailSamples.item("victim.orientation", true));
        return new OutgoingDelivery(
                42,
                ReferralId.parse(MailSamples.REFERRAL_ID),
                MailPki.ASSOCIATION,
                ReferralType.VICTIM_ORIENTATION,
                Urgency.URGENT,
                options,
                SmimeSealer.mediaType(format),
                sealer.seal(content, mail.mediaType(), recipient, format),
                1);
    }

    private static MimeMessage received() {
        assertThat(greenMail.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage[] messages = greenMail.getReceivedMessages();
        assertThat(messages).hasSize(1);
        return messages[0];
    }

    private void writeMailAndKeys(CertifiedKey recipient) throws Exception {
        try (OutputStream out = Files.newOutputStream(dir.resolve("mail.eml"))) {
            received().writeTo(out);
        }
        PemFiles.writeCertificates(dir.resolve("cert.pem"), recipient.chain());
        PemFiles.writePrivateKey(dir.resolve("key.pem"), recipient.key());
        Files.copy(keys.pki.caCertificate(), dir.resolve("ca.pem"));
    }

    /** Decrypts with the association's key, verifies the gateway's signature and its chain, checks the inside. */
    private static void assertOpens(RecipientInformationStore recipients, CertifiedKey association) throws Exception {
        RecipientInformation mine = recipients.getRecipients().iterator().next();
        byte[] signedEntity = mine instanceof KeyTransRecipientInformation
                ? mine.getContent(new JceKeyTransEnvelopedRecipient(association.key()).setProvider(BC))
                : mine.getContent(new JceKeyAgreeEnvelopedRecipient(association.key()).setProvider(BC));
        SMIMESigned signed = new SMIMESigned(SMIMEUtil.toMimeBodyPart(signedEntity));
        SignerInformation signer =
                signed.getSignerInfos().getSigners().iterator().next();
        @SuppressWarnings("unchecked")
        X509CertificateHolder holder = (X509CertificateHolder)
                signed.getCertificates().getMatches(signer.getSID()).iterator().next();
        X509Certificate signerCertificate = new JcaX509CertificateConverter().getCertificate(holder);

        assertThat(signer.verify(
                        new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(holder)))
                .isTrue();
        assertThat(signerCertificate).isEqualTo(keys.gatewaySigner);
        PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(keys.ca, null)));
        pkix.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(signerCertificate)), pkix);
        MimeBodyPart inner = signed.getContent();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        inner.writeTo(bytes);
        assertInnerEntity(bytes.toByteArray());
    }

    private static void assertInnerEntity(byte[] entity) throws Exception {
        MailFormatTest.Rendered mail = MailFormatTest.Rendered.of(entity);
        ObjectNode item = MailSamples.item("victim.orientation", true);
        assertThat(mail.text())
                .contains(
                        "Orientation d'une victime",
                        "Urgence : urgente",
                        "Accuser réception :\n  " + MailSamples.LINKS + "TOKEN-RECEIVED",
                        "Accepter la prise en charge :\n  " + MailSamples.LINKS + "TOKEN-ACCEPTED",
                        "Décliner la prise en charge (avec un motif) :\n  " + MailSamples.LINKS + "TOKEN-DECLINED",
                        "Chaque lien ne fonctionne qu'une seule fois");
        assertThat(mail.attachment()).isEqualTo(MailSamples.canonicalItem(item));
    }
}
