package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NewReferralTest {

    @Test
    void printsNeitherTheDocumentNorThePayloadsNorTheKey() {
        NewReferral referral = Referrals.referral(Optional.of("case-secret-key"), Referrals.digest(1), SIAO);

        String printed = referral.toString();

        assertThat(printed)
                .doesNotContain(new String(referral.document(), StandardCharsets.UTF_8))
                .doesNotContain("sealed for")
                .doesNotContain("case-secret-key")
                .contains("document=<" + referral.document().length + " bytes>")
                .contains("payload=<" + "sealed for siao-75".length() + " bytes>");
    }

    @Test
    void refusesTheSameRecipientTwice() {
        NewReferral one = Referrals.referral(Optional.empty(), Referrals.digest(1), SIAO);

        assertThatThrownBy(() -> new NewReferral(
                        one.id(),
                        one.sender(),
                        one.type(),
                        one.department(),
                        one.urgency(),
                        one.idempotencyKey(),
                        one.requestDigest(),
                        one.document(),
                        "application/json",
                        List.of(Referrals.delivery(SIAO, "route-a"), Referrals.delivery(SIAO, "route-b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("referral " + one.id() + " names recipient siao-75 twice (expected: one delivery per"
                        + " recipient, with all its route ids)");
    }

    @Test
    void refusesAReferralWithoutRecipient() {
        NewReferral one = Referrals.referral(Optional.empty(), Referrals.digest(1), SIAO);

        assertThatThrownBy(() -> new NewReferral(
                        one.id(),
                        one.sender(),
                        one.type(),
                        one.department(),
                        one.urgency(),
                        one.idempotencyKey(),
                        one.requestDigest(),
                        one.document(),
                        "application/json",
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("referral " + one.id() + " has no delivery (expected: at least one recipient, chosen by"
                        + " routing)");
    }
}
