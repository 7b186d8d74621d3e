package fr.passerelle.tools.demo;

import fr.passerelle.core.crypto.CertifiedKey;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.cms.CMSException;
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
import org.bouncycastle.mail.smime.SMIMEException;
import org.bouncycastle.mail.smime.SMIMESigned;
import org.bouncycastle.mail.smime.SMIMEUtil;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * What an association's mail client does with a secure mail from the gateway: decrypt it with the association's
 * key, check the gateway's signature, and read the French message, its links and the JSON attachment.
 */
final class SecureMail {
    private static final Provider BC = new BouncyCastleProvider();
    private static final Pattern LINK = Pattern.compile("(?m)^(.*?) ?:\\s*\\n\\s*(https://\\S+/v1/receipts/\\S+)");

    /**
     * @param text       the French message
     * @param attachment the canonical JSON item
     * @param links      the receipt links by their label in the message, in order
     */
    record Opened(String text, byte[] attachment, Map<String, String> links) {}

    private SecureMail() {}

    /**
     * @throws IllegalStateException naming the step that failed: decryption, signature or content
     */
    static Opened open(MimeMessage message, CertifiedKey recipient, X509Certificate gatewaySigner) {
        try {
            RecipientInformationStore recipients = message.getContentType().contains("authEnveloped-data")
                    ? new SMIMEAuthEnveloped(message).getRecipientInfos()
                    : new SMIMEEnveloped(message).getRecipientInfos();
            RecipientInformation mine = recipients.getRecipients().iterator().next();
            byte[] signedEntity = mine instanceof KeyTransRecipientInformation
                    ? mine.getContent(new JceKeyTransEnvelopedRecipient(recipient.key()).setProvider(BC))
                    : mine.getContent(new JceKeyAgreeEnvelopedRecipient(recipient.key()).setProvider(BC));
            SMIMESigned signed = new SMIMESigned(SMIMEUtil.toMimeBodyPart(signedEntity));
            SignerInformation signer =
                    signed.getSignerInfos().getSigners().iterator().next();
            if (!signer.verify(
                    new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC).build(gatewaySigner))) {
                throw new IllegalStateException("the gateway's signature does not verify");
            }
            return read(signed.getContent());
        } catch (MessagingException | CMSException | SMIMEException | OperatorCreationException | IOException e) {
            throw new IllegalStateException(
                    "the mail does not open (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static Opened read(MimeBodyPart inner) throws MessagingException, IOException {
        if (!(inner.getContent() instanceof Multipart parts)) {
            throw new IllegalStateException(
                    "the mail holds " + inner.getContentType() + ", not the message and its" + " attachment");
        }
        String text = null;
        byte[] attachment = null;
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (part.isMimeType("application/json")) {
                try (InputStream in = part.getInputStream()) {
                    attachment = in.readAllBytes();
                }
            }
        }
        if (text == null || attachment == null) {
            throw new IllegalStateException("the mail lacks its text or its JSON attachment");
        }
        Map<String, String> links = new LinkedHashMap<>();
        Matcher link = LINK.matcher(text.replace("\r\n", "\n"));
        while (link.find()) {
            links.put(link.group(1).trim(), link.group(2));
        }
        return new Opened(text, attachment, links);
    }
}
