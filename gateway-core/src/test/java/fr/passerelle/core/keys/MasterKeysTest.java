package fr.passerelle.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.testkit.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeysTest {
    private static final String KEY_A = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEY_B = Base64.getEncoder().encodeToString(filled(32, 7));
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));

    @TempDir
    Path dir;

    @Test
    void createsAnOwnerOnlyFileWithOneKeyNamedAfterTheDay() throws IOException {
        Path file = dir.resolve("keys").resolve("master.keys");

        MasterKeys ring = MasterKeys.create(file, clock);

        assertThat(ring.ids()).hasSize(1);
        assertThat(ring.currentId()).matches("mk-20250711-[0-9a-f]{6}");
        assertThat(ring.key(ring.currentId()))
                .hasValueSatisfying(k -> assertThat(k.getEncoded()).hasSize(32));
        assertThat(MasterKeys.load(file).ids()).isEqualTo(ring.ids());
        assertThat(Files.readString(file)).startsWith("# Passerelle master keys.");
        assumePosix();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesToOverwriteAnExistingFile() throws IOException {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\n");

        expectInvalid(
                () -> MasterKeys.create(file, clock),
                "master key file " + file + " already exists; refusing"
                        + " to overwrite it (it may hold the keys of stored data)");
        assertThat(Files.readString(file)).isEqualTo("mk-20250711-aaaaaa " + KEY_A + "\n");
    }

    @Test
    void takesTheLastKeyAsCurrentAndIgnoresCommentsAndBlankLines() {
        Path file =
                write("# header\n\nmk-20250711-aaaaaa " + KEY_A + "\n  # note\nmk-20260102-bbbbbb\t" + KEY_B + "\n");

        MasterKeys ring = MasterKeys.load(file);

        assertThat(ring.ids()).containsExactly("mk-20250711-aaaaaa", "mk-20260102-bbbbbb");
        assertThat(ring.currentId()).isEqualTo("mk-20260102-bbbbbb");
        assertThat(ring.key("mk-20250711-aaaaaa"))
                .hasValueSatisfying(k -> assertThat(k.getEncoded()).isEqualTo(new byte[32]));
        assertThat(ring.key("mk-20250711-cccccc")).isEmpty();
    }

    @Test
    void namesTheFileAndLineOfAMalformedLineWithoutShowingIt() {
        Path file = write("# header\nmk-20250711-aaaaaa " + KEY_A + " extra\n");

        expectInvalid(
                () -> MasterKeys.load(file),
                file + ":2: line has 3 fields (expected: `<key-id> <base64 of 32" + " bytes>`)");
    }

    @Test
    void refusesAKeyIdOfAnotherFormWithoutEchoingWhatMayBeAKey() {
        Path file = write(KEY_A + " mk-20250711-aaaaaa\n");

        expectInvalid(
                () -> MasterKeys.load(file),
                file + ":1: key id <44 chars> is not of the form" + " mk-YYYYMMDD-<6 hex digits>");
    }

    @Test
    void refusesAKeyOfTheWrongLength() {
        Path file = write("mk-20250711-aaaaaa " + Base64.getEncoder().encodeToString(new byte[16]) + "\n");

        expectInvalid(() -> MasterKeys.load(file), file + ":1: key mk-20250711-aaaaaa is 16 bytes (expected: 32)");
    }

    @Test
    void refusesAKeyThatIsNotBase64() {
        Path file = write("mk-20250711-aaaaaa not*base64\n");

        expectInvalid(
                () -> MasterKeys.load(file),
                file + ":1: key mk-20250711-aaaaaa is not base64 (expected:" + " base64 of 32 random bytes)");
    }

    @Test
    void refusesADuplicateKeyId() {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\nmk-20250711-aaaaaa " + KEY_B + "\n");

        expectInvalid(
                () -> MasterKeys.load(file),
                file + ":2: key id mk-20250711-aaaaaa appears twice (expected:" + " each id once)");
    }

    @Test
    void refusesAFileWithoutKeys() {
        Path file = write("# nothing yet\n");

        expectInvalid(
                () -> MasterKeys.load(file),
                "master key file " + file + " holds no key (expected: at least"
                        + " one line `<key-id> <base64 of 32 bytes>`)");
    }

    @Test
    void tellsHowToCreateAMissingFile() {
        Path file = dir.resolve("missing.keys");

        expectInvalid(
                () -> MasterKeys.load(file),
                "no master key file at " + file + "; create one with `gateway"
                        + " keys init` or point keys.file / GATEWAY_MASTER_KEYS at it");
    }

    @Test
    void refusesAFileReadableByOthers() throws IOException {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\n");
        assumePosix();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        expectInvalid(
                () -> MasterKeys.load(file),
                "master key file " + file + " is open to group or others (mode"
                        + " rw-r--r--, expected: rw-------, or rw-r----- when root owns it); run `chmod 600 " + file
                        + "`");
    }

    @Test
    void readsAFileOfRootReadableByItsGroupAsAMountedSecretIs() throws IOException {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\n");
        assumePosix();
        assumeThat(Files.getOwner(file).getName())
                .as("only root makes a file that root owns")
                .isEqualTo("root");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));

        assertThat(MasterKeys.load(file).currentId()).isEqualTo("mk-20250711-aaaaaa");
    }

    @Test
    void refusesAFileReadableByItsGroupWhenSomeoneButRootOwnsIt() throws IOException {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\n");
        assumePosix();
        if ("root".equals(Files.getOwner(file).getName())) {
            Files.setOwner(
                    file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        expectInvalid(
                () -> MasterKeys.load(file),
                "master key file " + file + " is open to group or others (mode"
                        + " rw-r-----, expected: rw-------, or rw-r----- when root owns it); run `chmod 600 " + file
                        + "`");
    }

    @Test
    void addsANewCurrentKeyKeepingTheOthersCommentsAndPermissions() throws IOException {
        Path file = write("# mine\nmk-20250711-aaaaaa " + KEY_A + "\n");
        MasterKeys ring = MasterKeys.load(file);
        clock.advance(Duration.ofDays(1));

        MasterKeys rotated = ring.addKey(file, clock);

        assertThat(rotated.ids()).hasSize(2).startsWith("mk-20250711-aaaaaa");
        assertThat(rotated.currentId()).matches("mk-20250712-[0-9a-f]{6}");
        assertThat(MasterKeys.load(file).ids()).isEqualTo(rotated.ids());
        assertThat(Files.readString(file)).startsWith("# mine\nmk-20250711-aaaaaa " + KEY_A + "\n");
        assertThat(ring.ids()).containsExactly("mk-20250711-aaaaaa");
        assumePosix();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void refusesToAddAKeyToAFileThatChangedSinceItWasRead() {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\n");
        MasterKeys stale = MasterKeys.load(file);
        MasterKeys.load(file).addKey(file, clock);
        MasterKeys now = MasterKeys.load(file);

        expectInvalid(
                () -> stale.addKey(file, clock),
                "master key file " + file + " changed since it was read" + " (now: " + now.ids()
                        + ", expected: [mk-20250711-aaaaaa]); load it again");
        assertThat(MasterKeys.load(file).ids()).isEqualTo(now.ids());
    }

    @Test
    void retiresAnOldKeyOnlyOnceNothingUsesIt() {
        Path file = write("mk-20250711-aaaaaa " + KEY_A + "\nmk-20260102-bbbbbb " + KEY_B + "\n");
        MasterKeys ring = MasterKeys.load(file);

        expectInvalid(
                () -> ring.retire(file, "mk-20250711-aaaaaa", 3),
                "master key mk-20250711-aaaaaa still wraps"
                        + " 3 stored data keys (expected: 0); run `gateway keys rotate` to re-wrap them under"
                        + " mk-20260102-bbbbbb first");
        expectInvalid(
                () -> ring.retire(file, "mk-20260102-bbbbbb", 0),
                "master key mk-20260102-bbbbbb is the" + " current key of " + file
                        + "; add a new key with `gateway keys rotate` before retiring it");
        expectInvalid(
                () -> ring.retire(file, "mk-20250711-cccccc", 0),
                "no master key 'mk-20250711-cccccc' in " + file + " (known: mk-20250711-aaaaaa, mk-20260102-bbbbbb)");
        MasterKeys retired = ring.retire(file, "mk-20250711-aaaaaa", 0);

        assertThat(retired.ids()).containsExactly("mk-20260102-bbbbbb");
        assertThat(MasterKeys.load(file).ids()).containsExactly("mk-20260102-bbbbbb");
    }

    @Test
    void printsKeyIdsButNeverKeyBytes() {
        Path file = write("mk-20250711-aaaaaa " + KEY_B + "\n");

        String printed = MasterKeys.load(file).toString();

        assertThat(printed).isEqualTo("MasterKeys[current=mk-20250711-aaaaaa, ids=[mk-20250711-aaaaaa]]");
    }

    private Path write(String text) {
        try {
            Path file = Files.createTempFile(dir, "master", ".keys");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assumePosix() {
        assumeThat(Files.getFileAttributeView(dir, PosixFileAttributeView.class))
                .isNotNull();
    }

    private static void expectInvalid(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
