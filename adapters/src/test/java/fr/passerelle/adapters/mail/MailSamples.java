package fr.passerelle.adapters.mail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Items as the gateway hands them to the mail format, built from the fictitious samples of config/samples. */
final class MailSamples {
    static final String REFERRAL_ID = "7c0e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String LINKS = "https://passerelle.example.fr:8444/v1/receipts/";
    /** Values of the samples that are personal data: none may appear in a subject, a log or a detail. */
    static final List<String> PERSONAL =
            List.of("Exemple", "FICTIF", "+33 6", "2000-01-01", "example.invalid", "weekdays");

    private static final ObjectMapper JSON = new ObjectMapper();

    private MailSamples() {}

    static ObjectNode item(String type, boolean links) {
        ObjectNode referral;
        try {
            referral = (ObjectNode)
                    JSON.readTree(Path.of("../config/samples", type + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", REFERRAL_ID);
        item.put("sender", "police-75-brp");
        item.put("type", type);
        item.put("submittedAt", "2026-11-28T10:15:30Z");
        item.set("referral", referral);
        if (links) {
            ObjectNode receiptLinks = item.putObject("receiptLinks");
            receiptLinks.put("received", LINKS + "TOKEN-RECEIVED");
            receiptLinks.put("accepted", LINKS + "TOKEN-ACCEPTED");
            receiptLinks.put("declined", LINKS + "TOKEN-DECLINED");
            item.put("receiptLinksExpireAt", "2026-12-05T10:15:30Z");
        }
        return item;
    }

    /** What the attachment must hold: the item without its links. */
    static ObjectNode canonicalItem(ObjectNode item) {
        ObjectNode copy = item.deepCopy();
        copy.remove(List.of("receiptLinks", "receiptLinksExpireAt"));
        return copy;
    }
}
