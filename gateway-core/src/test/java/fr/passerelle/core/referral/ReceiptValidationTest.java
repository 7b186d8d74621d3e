package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptValidationTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Samples.SCHEMAS);

    @Test
    void acceptsTheDeclinedSampleWithItsReason() {
        ReceiptRequest receipt = VALIDATOR.validateReceipt(Samples.of(ReferralType.REFERRAL_RECEIPT));

        assertThat(receipt)
                .isEqualTo(new ReceiptRequest(ReceiptStatus.DECLINED, Optional.of(DeclineReason.NO_CAPACITY)));
    }

    @Test
    void acceptsAStatusAlone() {
        ReceiptRequest receipt = VALIDATOR.validateReceipt(receipt().put("status", "accepted"));

        assertThat(receipt).isEqualTo(new ReceiptRequest(ReceiptStatus.ACCEPTED, Optional.empty()));
    }

    @Test
    void refusesADeclineWithoutReason() {
        GatewayException e = refusal(receipt().put("status", "declined"));

        assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
        assertThat(e).hasMessage("the receipt does not match its schema (1 problem)");
        assertThat(e.details()).containsExactly("$.reason: is required");
    }

    @Test
    void refusesAReasonOnAnythingButADecline() {
        GatewayException e = refusal(receipt().put("status", "completed").put("reason", "other"));

        assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
        assertThat(e.details()).containsExactly("$.reason: is not allowed here");
    }

    @Test
    void refusesAFreeTextReasonWithoutRepeatingIt() {
        GatewayException e = refusal(receipt().put("status", "declined").put("reason", "Mme Zorbalina a refusé"));

        assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
        assertThat(e.details())
                .containsExactly(
                        "$.reason: must be one of: no-capacity, out-of-scope,"
                                + " not-competent-territory, person-unreachable, person-declined, duplicate, incomplete, other");
        assertThat(e.getMessage() + e.details()).doesNotContain("Zorbalina");
    }

    @Test
    void refusesAnUnknownStatusAndAnotherType() {
        GatewayException e = refusal(receipt().put("status", "lost").put("type", "victim.orientation"));

        assertThat(e).hasMessage("the receipt does not match its schema (2 problems)");
        assertThat(e.details())
                .containsExactly(
                        "$.status: must be one of: received, accepted, declined, completed",
                        "$.type: must be \"referral.receipt\"");
    }

    @Test
    void refusesAReceiptWithoutStatus() {
        GatewayException e = refusal(receipt().put("referralId", "not-a-uuid"));

        assertThat(e.details())
                .containsExactly(
                        "$.referralId: must be a UUID such as 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21",
                        "$.status: is required");
    }

    @Test
    void refusesAReceiptThatIsNotAnObject() {
        GatewayException e = refusal(Samples.JSON.getNodeFactory().textNode("accepted"));

        assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
        assertThat(e)
                .hasMessage("the receipt must be a JSON object such as"
                        + " {\"status\":\"declined\",\"reason\":\"no-capacity\"} (got a string)");
    }

    @Test
    void refusesToBuildADeclineWithoutReason() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class, () -> new ReceiptRequest(ReceiptStatus.DECLINED, Optional.empty()));

        assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
        assertThat(e)
                .hasMessage(
                        "a declined receipt needs a reason (expected one of: no-capacity, out-of-scope,"
                                + " not-competent-territory, person-unreachable, person-declined, duplicate, incomplete, other)");
    }

    @Test
    void refusesToBuildAnAcceptanceWithAReason() {
        GatewayException e = catchThrowableOfType(
                GatewayException.class,
                () -> new ReceiptRequest(ReceiptStatus.ACCEPTED, Optional.of(DeclineReason.OTHER)));

        assertThat(e).hasMessage("a receipt with status accepted takes no reason (only a declined receipt has one)");
    }

    private static ObjectNode receipt() {
        return Samples.JSON.createObjectNode();
    }

    private static GatewayException refusal(JsonNode body) {
        return catchThrowableOfType(GatewayException.class, () -> VALIDATOR.validateReceipt(body));
    }
}
