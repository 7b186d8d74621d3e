package fr.passerelle.server.receipts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.testkit.FuzzContract;
import fr.passerelle.server.receipts.ReceiptForm.Refused;
import fr.passerelle.server.receipts.ReceiptForm.Result;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The form a receipt link's page POSTs (public: anyone holding a link, or guessing one's shape, can send it). The
 * contract of {@link ReceiptForm#read}: any bytes, under any content type, give a read form or a refusal whose
 * pages are all 400; anything thrown is a finding. The bytes are tried as a form, without content type and as JSON.
 */
class ReceiptFormFuzzTest {
    private static final List<Optional<String>> CONTENT_TYPES = List.of(
            Optional.of("application/x-www-form-urlencoded"),
            Optional.of("Application/X-WWW-Form-Urlencoded;" + " charset=UTF-8"),
            Optional.empty(),
            Optional.of("application/json"));
    private static final List<LinkView> LINKS = List.of(link(ReceiptStatus.DECLINED), link(ReceiptStatus.ACCEPTED));

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void read(byte[] body) {
        for (Optional<String> contentType : CONTENT_TYPES) {
            Result result = ReceiptForm.read(contentType, body);

            if (result == null) {
                throw new AssertionError("no result for a form of " + body.length + " bytes");
            }
            if (result instanceof Refused refused) {
                checkBadRequest(refused.page(), refused);
                for (LinkView link : LINKS) {
                    checkBadRequest(refused.page(link), refused);
                }
            } else if (contentType.filter(t -> t.contains("json")).isPresent()) {
                throw new AssertionError("JSON read as a form");
            }
        }
    }

    private static void checkBadRequest(ReceiptPages.Page page, Refused refused) {
        if (!page.status().equals(HttpResponseStatus.BAD_REQUEST)) {
            throw new AssertionError(refused.problem() + " answers " + page.status() + " (expected: 400)");
        }
    }

    private static LinkView link(ReceiptStatus status) {
        return new LinkView(
                ReferralId.random(),
                ReferralType.SHELTER_REQUEST,
                PartnerId.of("association-75-amicale"),
                status,
                Instant.parse("2030-01-01T00:00:00Z"),
                Optional.empty(),
                false,
                DeliveryState.PENDING,
                List.of("route-association"),
                false);
    }
}
