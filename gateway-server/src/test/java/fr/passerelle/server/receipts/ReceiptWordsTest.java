package fr.passerelle.server.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.mail.MailFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mail a recipient reads and the receipt pages its links open speak with the same words: a link's label is the
 * title of the page it opens, and a copy's state reads the same in a notice mail and on a page.
 */
class ReceiptWordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RECIPIENT = "association-75-amicale";
    private static final String LINKS = "https://passerelle.example.fr:8444/v1/receipts/TOKEN-";
    private static final Pattern TITLE = Pattern.compile("<h1>([^<]+)</h1>");

    private final MailFormat mail = new MailFormat();

    @Test
    void titlesTheReceiptPageWithTheLabelOfTheMailLinkThatOpensIt() throws Exception {
        String text = text(mail.write(referralWithLinks()));

        for (ReceiptStatus status : List.of(ReceiptStatus.RECEIVED, ReceiptStatus.ACCEPTED, ReceiptStatus.DECLINED)) {
            String title = title(ReceiptPages.form(link(status, DeliveryState.DELIVERED)));

            assertThat(lineBefore(text, LINKS + status.code()))
                    .as(status.code())
                    .matches(Pattern.quote(ReceiptPages.escape(title)) + "( \\(avec un motif\\))? :");
        }
    }

    @Test
    void namesACopysStateInTheNoticeMailAsTheReceiptPageDoes() throws Exception {
        for (DeliveryState state : DeliveryState.values()) {
            String text = text(mail.writeNotice(noticeWithCopyIn(state)));
            String word = lineAfter(text, RECIPIENT + " : ");

            String page =
                    ReceiptPages.notAllowed(link(ReceiptStatus.ACCEPTED, state)).html();

            assertThat(page).as(state.code()).contains("à l'état <strong>« " + ReceiptPages.escape(word) + " »");
        }
    }

    private static ObjectNode referralWithLinks() {
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", "7c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
        item.put("sender", "police-75-brp");
        item.put("type", ReferralType.SHELTER_REQUEST.code());
        item.put("submittedAt", "2026-11-28T10:15:30Z");
        item.putObject("referral")
                .put("type", ReferralType.SHELTER_REQUEST.code())
                .put("department", "75");
        ObjectNode links = item.putObject("receiptLinks");
        for (ReceiptStatus status : List.of(ReceiptStatus.RECEIVED, ReceiptStatus.ACCEPTED, ReceiptStatus.DECLINED)) {
            links.put(status.code(), LINKS + status.code());
        }
        item.put("receiptLinksExpireAt", "2026-12-05T10:15:30Z");
        return item;
    }

    private static ObjectNode noticeWithCopyIn(DeliveryState state) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("notice", "escalated");
        notice.put("type", ReferralType.SHELTER_REQUEST.code());
        notice.put("sender", "police-75-brp");
        notice.put("referralId", "7c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
        notice.putArray("recipients").addObject().put("partner", RECIPIENT).put("state", state.code());
        return notice;
    }

    private static LinkView link(ReceiptStatus status, DeliveryState copy) {
        return new LinkView(
                ReferralId.random(),
                ReferralType.SHELTER_REQUEST,
                PartnerId.of(RECIPIENT),
                status,
                Instant.parse("2030-01-01T00:00:00Z"),
                Optional.empty(),
                false,
                copy,
                List.of("route-association"),
                false);
    }

    /** The text part of a rendered mail, decoded. */
    private static String text(byte[] entity) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(entity));
        return ((String) ((Multipart) message.getContent()).getBodyPart(0).getContent()).replace("\r\n", "\n");
    }

    private static String title(ReceiptPages.Page page) {
        Matcher title = TITLE.matcher(page.html());
        assertThat(title.find()).as("the page has a title").isTrue();
        return title.group(1);
    }

    private static String lineBefore(String text, String line) {
        List<String> lines = text.lines().toList();
        int at = lines.indexOf("  " + line);
        assertThat(at).as("the mail shows " + line).isPositive();
        return lines.get(at - 1);
    }

    private static String lineAfter(String text, String prefix) {
        return text.lines()
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the mail has no line starting with " + prefix))
                .substring(prefix.length());
    }
}
