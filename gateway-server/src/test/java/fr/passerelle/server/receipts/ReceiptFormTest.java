package fr.passerelle.server.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.server.receipts.ReceiptForm.Problem;
import fr.passerelle.server.receipts.ReceiptForm.Read;
import fr.passerelle.server.receipts.ReceiptForm.Refused;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptFormTest {
    private static final Optional<String> FORM = Optional.of("application/x-www-form-urlencoded; charset=utf-8");

    @Test
    void readsTheChosenReason() {
        assertThat(read(FORM, "reason=person-unreachable&submit=Confirmer"))
                .isEqualTo(new Read(Optional.of(DeclineReason.PERSON_UNREACHABLE)));
    }

    @Test
    void readsAnEmptyBodyWithoutContentTypeAsAFormWithoutReason() {
        assertThat(read(Optional.empty(), "")).isEqualTo(new Read(Optional.empty()));
        assertThat(read(FORM, "reason=")).isEqualTo(new Read(Optional.empty()));
    }

    @Test
    void refusesAnOverlongUtf8FormBeforeAnythingElse() {
        byte[] overlong = {'r', 'e', 'a', 's', 'o', 'n', '=', (byte) 0xC0, (byte) 0xAF};

        assertThat(ReceiptForm.read(Optional.of("application/json"), overlong))
                .isEqualTo(new Refused(Problem.NOT_UTF8));
    }

    @Test
    void refusesWhatIsNotAFormOrNotWellFormed() {
        assertThat(read(Optional.of("application/json"), "{}")).isEqualTo(new Refused(Problem.NOT_A_FORM));
        assertThat(read(Optional.empty(), "reason=other")).isEqualTo(new Refused(Problem.NOT_A_FORM));
        assertThat(read(FORM, "reason=%zz")).isEqualTo(new Refused(Problem.MALFORMED));
        assertThat(read(FORM, "reason=other&reason=duplicate")).isEqualTo(new Refused(Problem.SEVERAL_REASONS));
        assertThat(read(FORM, "reason=%3Cb%3Ebusy")).isEqualTo(new Refused(Problem.UNKNOWN_REASON));
    }

    @Test
    void answersEveryRefusalWithABadRequest() {
        for (Problem problem : Problem.values()) {
            ReceiptPages.Page page = new Refused(problem).page();

            assertThat(page.status().code()).isEqualTo(400);
            assertThat(page.html()).contains("Demande incorrecte");
        }
    }

    private static Object read(Optional<String> contentType, String body) {
        return ReceiptForm.read(contentType, body.getBytes(StandardCharsets.UTF_8));
    }
}
