package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.referral.ReferralId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge log written after each erasure and read back to replay it after a restored backup. */
class PurgeLogTest {
    @TempDir
    Path dir;

    @Test
    void listsEachErasedReferralOnceInOrderAndHoldsNothingElse() throws IOException {
        PurgeLog log =
                new PurgeLog(GatewaySettings.defaultPurgeLog(dir.resolve("keys").resolve("master.keys")));
        ReferralId first = ReferralId.random();
        ReferralId second = ReferralId.random();

        log.append(first, Instant.parse("2026-12-05T10:00:00Z"), "after-end");
        log.append(second, Instant.parse("2026-12-05T10:01:00Z"), "consent-withdrawn");
        log.append(first, Instant.parse("2026-12-05T10:02:00Z"), "replayed");

        assertThat(log.file())
                .isEqualTo(dir.resolve("keys").resolve("purge.log").toAbsolutePath());
        assertThat(log.ids()).containsExactly(first, second);
        assertThat(Files.readAllLines(log.file()))
                .containsExactly(
                        first + " 2026-12-05T10:00:00Z after-end",
                        second + " 2026-12-05T10:01:00Z consent-withdrawn",
                        first + " 2026-12-05T10:02:00Z replayed");
    }

    @Test
    void refusesALineThatIsNotAnEntryNamingItsLine() throws IOException {
        Path file = dir.resolve("purge.log");
        Files.writeString(file, ReferralId.random() + " 2026-12-05T10:00:00Z after-end\n\nnot-an-id x y\n");

        assertThatThrownBy(() -> new PurgeLog(file).ids()).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .isEqualTo(file + ":3: not a purge log line (expected: <referral id> <time>" + " <reason>)");
        });
    }

    @Test
    void saysWhichFileItCannotRead() {
        Path missing = dir.resolve("nowhere.log");

        assertThatThrownBy(() -> new PurgeLog(missing).ids())
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
                        .startsWith("cannot read the purge log " + missing));
    }
}
