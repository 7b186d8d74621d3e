package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReferralSearchTest {
    @Test
    void readsTheStartOfAnIdAsTheRangeOfIdsThatStartSo() {
        ReferralSearch.IdPrefix prefix = ReferralSearch.IdPrefix.parse("3B58-C0");

        assertThat(prefix.lowest()).isEqualTo(UUID.fromString("3b58c000-0000-0000-0000-000000000000"));
        assertThat(prefix.highest()).isEqualTo(UUID.fromString("3b58c0ff-ffff-ffff-ffff-ffffffffffff"));
    }

    @Test
    void readsAWholeIdAsItself() {
        UUID id = UUID.fromString("0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21");

        ReferralSearch.IdPrefix prefix = ReferralSearch.IdPrefix.parse(id.toString());

        assertThat(prefix.lowest()).isEqualTo(id);
        assertThat(prefix.highest()).isEqualTo(id);
    }

    @Test
    void refusesAStartTooShortOrNotHex() {
        for (String text : new String[] {"3b5", "3b5g", "", "----", "3b58c0e2-7d1a-4f4e-9a51-3c1d6f0b7a21ff"}) {
            assertThatThrownBy(() -> ReferralSearch.IdPrefix.parse(text))
                    .isInstanceOfSatisfying(
                            GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID))
                    .hasMessage("id is not the start of a referral id (expected: 4 to 32 hex digits, dashes ignored,"
                            + " such as 3b58 or 3b58c0e2-7d1a)");
        }
    }

    @Test
    void refusesAnUnknownStatusListingTheStatuses() {
        assertThatThrownBy(() -> new ReferralSearch.Filter(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("lost"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Set.of()))
                .hasMessage("state 'lost' is unknown (expected one of: held, routed, delivered, received, accepted,"
                        + " declined, completed, failed, expired, cancelled, withdrawn)");
    }
}
