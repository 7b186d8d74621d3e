package fr.passerelle.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.keys.PayloadCipher.Encrypted;
import fr.passerelle.core.referral.Domain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PayloadCipherTest {
    private static final byte[] PLAIN = "a placeholder payload".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = "passerelle:referral.document:1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_AAD = "passerelle:referral.document:2".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void decryptsWhatItEncryptedUnderTheCurrentKey() {
        Path file = keyFile();
        MasterKeys ring = MasterKeys.load(file);
        PayloadCipher cipher = new PayloadCipher(file);

        Encrypted encrypted = cipher.encrypt(PLAIN, AAD);

        assertThat(encrypted.keyId()).isEqualTo(ring.currentId());
        assertThat(encrypted.wrappedKey()).hasSize(40);
        assertThat(encrypted.ciphertext()).hasSize(12 + PLAIN.length + 16);
        assertThat(cipher.decrypt(encrypted.keyId(), encrypted.wrappedKey(), encrypted.ciphertext(), AAD, "x"))
                .isEqualTo(PLAIN);
        assertThat(cipher.encrypt(PLAIN, AAD).wrappedKey()).isNotEqualTo(encrypted.wrappedKey());
    }

    @Test
    void refusesAPayloadMovedToAnotherRow() {
        PayloadCipher cipher = new PayloadCipher(keyFile());
        Encrypted encrypted = cipher.encrypt(PLAIN, AAD);

        expectUndecryptable(
                () -> cipher.decrypt(
                        encrypted.keyId(),
                        encrypted.wrappedKey(),
                        encrypted.ciphertext(),
                        OTHER_AAD,
                        "document of referral 2"),
                "stored document of referral 2 cannot be decrypted: the"
                        + " ciphertext does not authenticate (it was changed, or belongs to another row)");
    }

    @Test
    void refusesAChangedByte() {
        PayloadCipher cipher = new PayloadCipher(keyFile());
        Encrypted encrypted = cipher.encrypt(PLAIN, AAD);
        byte[] changed = encrypted.ciphertext().clone();
        changed[20] ^= 1;

        expectUndecryptable(
                () -> cipher.decrypt(encrypted.keyId(), encrypted.wrappedKey(), changed, AAD, "document of referral 1"),
                "stored document of referral 1 cannot be decrypted: the ciphertext does"
                        + " not authenticate (it was changed, or belongs to another row)");
    }

    @Test
    void refusesADataKeyWrappedUnderAnotherKeyOfTheSameId() {
        Path file = keyFile();
        Encrypted encrypted = new PayloadCipher(file).encrypt(PLAIN, AAD);
        String id = encrypted.keyId();
        Path impostor = dir.resolve("impostor.keys");
        copyWithNewKey(id, impostor);

        expectUndecryptable(
                () -> new PayloadCipher(impostor)
                        .decrypt(id, encrypted.wrappedKey(), encrypted.ciphertext(), AAD, "document of referral 1"),
                "stored document of referral 1 cannot be"
                        + " decrypted: its data key does not unwrap under master key " + id
                        + " (wrong key, or the wrapped"
                        + " key was changed)");
    }

    @Test
    void namesAnUnknownMasterKeyAndTheKnownOnes() {
        Path file = keyFile();
        PayloadCipher cipher = new PayloadCipher(file);
        Encrypted encrypted = cipher.encrypt(PLAIN, AAD);

        expectUndecryptable(
                () -> cipher.decrypt(
                        "mk-20200101-000000",
                        encrypted.wrappedKey(),
                        encrypted.ciphertext(),
                        AAD,
                        "payload of referral 1 for siao-75"),
                "stored payload of referral 1 for"
                        + " siao-75 cannot be decrypted: master key mk-20200101-000000 is in neither " + file + " nor "
                        + dir.resolve("master-police-justice.keys") + " (known: " + encrypted.keyId() + ", "
                        + cipher.currentId(Domain.POLICE_JUSTICE) + ")");
    }

    @Test
    void namesTheFamilyFilesBesideTheVictimSupportFile() {
        Path file = dir.resolve("keys/master.keys");

        assertThat(PayloadCipher.familyFile(file, Domain.VICTIM_SUPPORT)).isEqualTo(file);
        assertThat(PayloadCipher.familyFile(file, Domain.POLICE_JUSTICE))
                .isEqualTo(dir.resolve("keys/master-police-justice.keys"));
    }

    @Test
    void createsOnlyTheMissingFamilies() {
        Path file = dir.resolve("master.keys");
        MasterKeys victimSupport = MasterKeys.create(file, Clock.systemUTC());

        List<Path> created = PayloadCipher.ensureFamilies(file, Clock.systemUTC());
        List<Path> again = PayloadCipher.ensureFamilies(file, Clock.systemUTC());

        assertThat(created).containsExactly(dir.resolve("master-police-justice.keys"));
        assertThat(again).isEmpty();
        assertThat(MasterKeys.load(file).ids()).isEqualTo(victimSupport.ids());
    }

    @Test
    void refusesToStartWithoutThePoliceJusticeFamily() {
        Path file = dir.resolve("master.keys");
        MasterKeys.create(file, Clock.systemUTC());

        assertThatThrownBy(() -> new PayloadCipher(file)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .startsWith("no master key file at " + dir.resolve("master-police-justice.keys")
                            + "; create one with `gateway keys init`");
        });
    }

    @Test
    void wrapsEachDomainUnderItsOwnFamilyAndDecryptsBoth() {
        Path file = keyFile();
        PayloadCipher cipher = new PayloadCipher(file);
        String victimSupport = MasterKeys.load(file).currentId();
        String policeJustice =
                MasterKeys.load(dir.resolve("master-police-justice.keys")).currentId();

        Encrypted support = cipher.encrypt(Domain.VICTIM_SUPPORT, PLAIN, AAD);
        Encrypted police = cipher.encrypt(Domain.POLICE_JUSTICE, PLAIN, OTHER_AAD);

        assertThat(policeJustice).isNotEqualTo(victimSupport);
        assertThat(support.keyId())
                .isEqualTo(victimSupport)
                .isEqualTo(cipher.currentId())
                .isEqualTo(cipher.encrypt(PLAIN, AAD).keyId());
        assertThat(police.keyId()).isEqualTo(policeJustice).isEqualTo(cipher.currentId(Domain.POLICE_JUSTICE));
        assertThat(cipher.domainOf(victimSupport)).contains(Domain.VICTIM_SUPPORT);
        assertThat(cipher.domainOf(policeJustice)).contains(Domain.POLICE_JUSTICE);
        assertThat(cipher.domainOf("mk-20200101-000000")).isEqualTo(Optional.empty());
        assertThat(cipher.decrypt(support.keyId(), support.wrappedKey(), support.ciphertext(), AAD, "x"))
                .isEqualTo(PLAIN);
        assertThat(cipher.decrypt(police.keyId(), police.wrappedKey(), police.ciphertext(), OTHER_AAD, "x"))
                .isEqualTo(PLAIN);
    }

    @Test
    void readsThePoliceJusticeFileAgainWhenItMeetsAKeyAddedThere() {
        Path file = keyFile();
        Path policeFile = PayloadCipher.familyFile(file, Domain.POLICE_JUSTICE);
        PayloadCipher stale = new PayloadCipher(file, () -> 0L);
        MasterKeys rotated = MasterKeys.load(policeFile).addKey(policeFile, Clock.systemUTC());
        Encrypted underNewKey = new PayloadCipher(file).encrypt(Domain.POLICE_JUSTICE, PLAIN, AAD);

        byte[] plain = stale.decrypt(underNewKey.keyId(), underNewKey.wrappedKey(), underNewKey.ciphertext(), AAD, "x");

        assertThat(underNewKey.keyId()).isEqualTo(rotated.currentId());
        assertThat(plain).isEqualTo(PLAIN);
        assertThat(stale.domainOf(rotated.currentId())).contains(Domain.POLICE_JUSTICE);
        assertThat(stale.currentId(Domain.POLICE_JUSTICE)).isEqualTo(rotated.currentId());
    }

    @Test
    void readsTheFileAgainWhenItMeetsAKeyAddedByAnotherInstance() {
        Path file = keyFile();
        PayloadCipher stale = new PayloadCipher(file, () -> 0L);
        MasterKeys rotated = MasterKeys.load(file).addKey(file, Clock.systemUTC());
        Encrypted underNewKey = new PayloadCipher(file).encrypt(PLAIN, AAD);

        byte[] plain = stale.decrypt(underNewKey.keyId(), underNewKey.wrappedKey(), underNewKey.ciphertext(), AAD, "x");

        assertThat(underNewKey.keyId()).isEqualTo(rotated.currentId());
        assertThat(plain).isEqualTo(PLAIN);
        assertThat(stale.encrypt(PLAIN, AAD).keyId()).isEqualTo(rotated.currentId());
    }

    @Test
    void picksUpARotationOnceASecondHasPassed() {
        Path file = keyFile();
        AtomicLong nanos = new AtomicLong();
        PayloadCipher cipher = new PayloadCipher(file, nanos::get);
        String first = cipher.currentId();
        MasterKeys rotated = MasterKeys.load(file).addKey(file, Clock.systemUTC());

        String beforeTheCheck = cipher.currentId();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        String afterTheCheck = cipher.currentId();

        assertThat(beforeTheCheck).isEqualTo(first);
        assertThat(afterTheCheck).isEqualTo(rotated.currentId()).isNotEqualTo(first);
    }

    @Test
    void keepsTheLastGoodKeysWhenTheFileBreaks() throws Exception {
        Path file = keyFile();
        AtomicLong nanos = new AtomicLong();
        PayloadCipher cipher = new PayloadCipher(file, nanos::get);
        String current = cipher.currentId();
        Files.writeString(file, "broken\n");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));

        assertThat(cipher.currentId()).isEqualTo(current);
    }

    @Test
    void printsNoBytes() {
        Encrypted encrypted = new PayloadCipher(keyFile()).encrypt(PLAIN, AAD);

        assertThat(encrypted.toString())
                .isEqualTo("Encrypted[keyId=" + encrypted.keyId() + ", wrappedKey=<40 bytes>," + " ciphertext=<"
                        + (12 + PLAIN.length + 16) + " bytes>]");
    }

    /** The victim-support key file, with the police-justice family beside it. */
    private Path keyFile() {
        Path file = dir.resolve("master.keys");
        PayloadCipher.ensureFamilies(file, Clock.systemUTC());
        return file;
    }

    /** A key file holding a different key under the given id. */
    private static void copyWithNewKey(String id, Path target) {
        MasterKeys other = MasterKeys.create(target, Clock.systemUTC());
        try {
            String text = Files.readString(target).replace(other.currentId(), id);
            Files.writeString(target, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expectUndecryptable(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
