package fr.passerelle.core.keys;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelope encryption of stored payloads. Each payload gets its own fresh AES-256 data key; the payload is
 * encrypted with AES-256-GCM under a random 96-bit nonce, with associated data (AAD) that names the row it belongs
 * to, so that a ciphertext moved to another row no longer decrypts. The data key is then wrapped under the current
 * master key with AES Key Wrap (RFC 3394, JCE {@code AESWrap}): 40 bytes, integrity-checked on unwrap. Only the
 * key id, the wrapped key and the ciphertext are stored; the master keys stay in their file (see
 * {@link MasterKeys}).
 *
 * <p>Ciphertext layout: the 12-byte nonce, then the GCM output (ciphertext and 16-byte tag).
 *
 * <p>The cipher reads its key file again when the file changed (modification time, size or identity, checked at
 * most once a second) and when it meets a key id its ring does not hold, so that gateway instances sharing the
 * file pick up a rotation without a restart. A file that became unreadable or invalid is reported once in the log
 * and the last good ring stays in use.
 *
 * <p>Thread-safe. Errors are {@link GatewayException}s {@code store_failed} that never show key material.
 */
public final class PayloadCipher {
    private static final Logger log = LoggerFactory.getLogger(PayloadCipher.class);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path keyFile;
    private final LongSupplier nanoTime;
    private volatile State state;

    /** The ring as read, and what the file looked like then. */
    private record State(MasterKeys ring, Optional<FileStamp> stamp, long checkedAt) {
    }

    private record FileStamp(long modifiedNanos, long size, Object fileKey) {
    }

    /**
     * @throws GatewayException {@code config_invalid} as {@link MasterKeys#load} when the key file cannot be used
     */
    public PayloadCipher(Path keyFile) {
        this(keyFile, System::nanoTime);
    }

    PayloadCipher(Path keyFile, LongSupplier nanoTime) {
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        Optional<FileStamp> stamp = stamp();
        this.state = new State(MasterKeys.load(keyFile), stamp, nanoTime.getAsLong());
    }

    /**
     * What {@link #encrypt} produced, to store as three columns.
     *
     * @param keyId      the master key that wraps the data key
     * @param wrappedKey the data key wrapped under that master key
     * @param ciphertext nonce, then the GCM ciphertext and tag; never printed by {@link #toString()}
     */
    public record Encrypted(String keyId, byte[] wrappedKey, byte[] ciphertext) {
        public Encrypted {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(wrappedKey, "wrappedKey");
            Objects.requireNonNull(ciphertext, "ciphertext");
        }

        @Override
        public String toString() {
            return "Encrypted[keyId=" + keyId + ", wrappedKey=<" + wrappedKey.length + " bytes>, ciphertext=<"
                    + ciphertext.length + " bytes>]";
        }
    }

    /** The key file this cipher reads. */
    public Path keyFile() {
        return keyFile;
    }

    /** The id of the master key that wraps new data keys, after reading the file again if it changed. */
    public String currentId() {
        return fresh().currentId();
    }

    /** The ring as last read, after reading the file again if it changed. */
    public MasterKeys ring() {
        return fresh();
    }

    /**
     * Encrypts a payload under a fresh data key wrapped by the current master key.
     *
     * @param aad names the row the payload belongs to; the same bytes must be given to {@link #decrypt}
     */
    public Encrypted encrypt(byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        MasterKeys ring = fresh();
        byte[] dataKey = new byte[MasterKeys.KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            SecretKeySpec key = new SecretKeySpec(dataKey, "AES");
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad);
            byte[] sealed = gcm.doFinal(plaintext);
            byte[] ciphertext = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, ciphertext, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, ciphertext, NONCE_BYTES, sealed.length);
            return new Encrypted(ring.currentId(), wrap(ring.current(), key), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot encrypt a payload under master key "
                    + ring.currentId() + ": " + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts what {@link #encrypt} produced.
     *
     * @param aad     the bytes given to {@link #encrypt} for this row
     * @param subject what the payload is, for the error message: {@code document of referral <id>}
     * @throws GatewayException {@code store_failed} "stored {@code subject} cannot be decrypted: ..." when the key
     *                          id is not in the key file, the data key does not unwrap under it, or the ciphertext
     *                          or its AAD changed
     */
    public byte[] decrypt(String keyId, byte[] wrappedKey, byte[] ciphertext, byte[] aad, String subject) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        Objects.requireNonNull(ciphertext, "ciphertext");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(subject, "subject");
        SecretKey dataKey = unwrap(keyId, wrappedKey, subject);
        if (ciphertext.length < NONCE_BYTES + TAG_BITS / 8) {
            throw undecryptable(subject, "ciphertext is " + ciphertext.length + " bytes (expected: at least "
                    + (NONCE_BYTES + TAG_BITS / 8) + ")", null);
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            gcm.updateAAD(aad);
            return gcm.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw undecryptable(subject, "the ciphertext does not authenticate (it was changed, or belongs to"
                    + " another row)", e);
        } catch (GeneralSecurityException e) {
            throw undecryptable(subject, e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The data key unwrapped with its master key and wrapped again under master key {@code targetId}; the
     * payload's ciphertext does not change, and the returned ciphertext is empty.
     */
    Encrypted rewrap(String keyId, byte[] wrappedKey, String targetId, String subject) {
        SecretKey dataKey = unwrap(keyId, wrappedKey, subject);
        SecretKey target = fresh().key(targetId).or(() -> reload().key(targetId)).orElseThrow(() ->
                new GatewayException(ErrorCode.STORE_FAILED, "master key " + targetId + " is no longer in "
                        + keyFile + "; cannot re-wrap the data key of " + subject));
        try {
            return new Encrypted(targetId, wrap(target, dataKey), new byte[0]);
        } catch (GeneralSecurityException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot wrap the data key of " + subject
                    + " under master key " + targetId + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private SecretKey unwrap(String keyId, byte[] wrappedKey, String subject) {
        Optional<SecretKey> master = fresh().key(keyId);
        if (master.isEmpty()) {
            // Another instance may have rotated: read the file now rather than within a second.
            master = reload().key(keyId);
        }
        if (master.isEmpty()) {
            throw undecryptable(subject, "master key " + keyId + " is not in " + keyFile + " (known: "
                    + String.join(", ", state.ring().ids()) + ")", null);
        }
        try {
            Cipher wrap = Cipher.getInstance("AESWrap");
            wrap.init(Cipher.UNWRAP_MODE, master.get());
            return (SecretKey) wrap.unwrap(wrappedKey, "AES", Cipher.SECRET_KEY);
        } catch (InvalidKeyException e) {
            throw undecryptable(subject, "its data key does not unwrap under master key " + keyId
                    + " (wrong key, or the wrapped key was changed)", e);
        } catch (GeneralSecurityException e) {
            throw undecryptable(subject, "cannot unwrap its data key under master key " + keyId + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] wrap(SecretKey master, Key dataKey) throws GeneralSecurityException {
        Cipher wrap = Cipher.getInstance("AESWrap");
        wrap.init(Cipher.WRAP_MODE, master);
        return wrap.wrap(dataKey);
    }

    private static GatewayException undecryptable(String subject, String reason, Throwable cause) {
        String message = "stored " + subject + " cannot be decrypted: " + reason;
        return cause == null ? new GatewayException(ErrorCode.STORE_FAILED, message)
                : new GatewayException(ErrorCode.STORE_FAILED, message, cause);
    }

    /** The ring, read again first if the file changed and the last check is more than a second old. */
    private MasterKeys fresh() {
        State current = state;
        if (nanoTime.getAsLong() - current.checkedAt() < CHECK_INTERVAL_NANOS) {
            return current.ring();
        }
        Optional<FileStamp> stamp = stamp();
        if (stamp.equals(current.stamp())) {
            state = new State(current.ring(), current.stamp(), nanoTime.getAsLong());
            return current.ring();
        }
        return reload();
    }

    /** The ring read from the file now, whatever the time since the last check. */
    MasterKeys reloaded() {
        return reload();
    }

    private synchronized MasterKeys reload() {
        State previous = state;
        Optional<FileStamp> stamp = stamp();
        try {
            MasterKeys ring = MasterKeys.load(keyFile);
            if (!ring.ids().equals(previous.ring().ids())) {
                log.info("Master keys reloaded from {}: current {}, ids {}", keyFile, ring.currentId(), ring.ids());
            }
            state = new State(ring, stamp, nanoTime.getAsLong());
            return ring;
        } catch (GatewayException e) {
            if (!stamp.equals(previous.stamp())) {
                log.warn("Keeping master keys {}: {}", previous.ring().ids(), e.getMessage());
            }
            state = new State(previous.ring(), stamp, nanoTime.getAsLong());
            return previous.ring();
        }
    }

    private Optional<FileStamp> stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(keyFile, BasicFileAttributes.class);
            return Optional.of(new FileStamp(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    attributes.size(), attributes.fileKey()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "PayloadCipher[" + keyFile + ", " + state.ring() + "]";
    }
}
