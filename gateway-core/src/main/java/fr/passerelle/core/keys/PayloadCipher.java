package fr.passerelle.core.keys;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.Domain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of stored payloads. Each payload gets its own fresh AES-256 data key; the payload is
 * encrypted with AES-256-GCM under a random 96-bit nonce, with associated data (AAD) that names the row it belongs
 * to, so that a ciphertext moved to another row no longer decrypts. The data key is then wrapped under the current
 * master key of the payload's {@link Domain} with AES Key Wrap (RFC 3394, JCE {@code AESWrap}): 40 bytes,
 * integrity-checked on unwrap. Only the key id, the wrapped key and the ciphertext are stored; the master keys stay
 * in their files (see {@link MasterKeys}).
 *
 * <p><b>Two master-key families.</b> Victim support (GDPR) and police-justice flows (Directive 2016/680) are
 * separate processings: each domain has its own key file, {@link #familyFile} names them (the configured
 * {@code keys.file} for victim support, {@code master-police-justice.keys} beside it for police-justice). A data
 * key is wrapped under its own domain's current key; {@link #decrypt} finds the key id in either family (ids are
 * random, hence unique) and a re-wrap never moves a data key to the other family.
 *
 * <p>Ciphertext layout: the 12-byte nonce, then the GCM output (ciphertext and 16-byte tag).
 *
 * <p>The cipher reads a key file again when the file changed (modification time, size or identity, checked at
 * most once a second) and when it meets a key id no ring holds, so that gateway instances sharing the files pick
 * up a rotation without a restart. A file that became unreadable or invalid is reported once in the log and the
 * last good ring stays in use.
 *
 * <p>Thread-safe. Errors are {@link GatewayException}s {@code store_failed} that never show key material.
 */
public final class PayloadCipher {
    /** File name of the police-justice family, beside the victim-support key file. */
    static final String POLICE_JUSTICE_FILE = "master-police-justice.keys";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The ciphers, one of each per thread: {@code Cipher.getInstance} is a provider look-up and several objects,
     * paid for every payload written or read otherwise. Each use begins with {@code init}, which resets the cipher
     * whatever a previous use left in it; the key and the nonce are fresh for every encryption.
     */
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> cipher("AES/GCM/NoPadding"));

    private static final ThreadLocal<Cipher> AES_WRAP = ThreadLocal.withInitial(() -> cipher("AESWrap"));

    private final Map<Domain, KeyFamily> families;

    /**
     * A cipher over both families: {@code keyFile} (victim support) and the police-justice file beside it. It
     * creates nothing: see {@link #ensureFamilies}.
     *
     * @throws GatewayException {@code config_invalid} as {@link MasterKeys#load} when either key file is missing
     *                          or cannot be used
     */
    public PayloadCipher(Path keyFile) {
        this(keyFile, System::nanoTime);
    }

    PayloadCipher(Path keyFile, LongSupplier nanoTime) {
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(nanoTime, "nanoTime");
        Map<Domain, KeyFamily> families = new EnumMap<>(Domain.class);
        for (Domain domain : Domain.values()) {
            families.put(domain, new KeyFamily(domain, familyFile(keyFile, domain), nanoTime));
        }
        this.families = Collections.unmodifiableMap(families);
    }

    /**
     * The key file of a domain's family: {@code victimSupportFile} itself for {@link Domain#VICTIM_SUPPORT},
     * {@code master-police-justice.keys} in the same folder for {@link Domain#POLICE_JUSTICE}.
     */
    public static Path familyFile(Path victimSupportFile, Domain domain) {
        Objects.requireNonNull(victimSupportFile, "victimSupportFile");
        return switch (Objects.requireNonNull(domain, "domain")) {
            case VICTIM_SUPPORT -> victimSupportFile;
            case POLICE_JUSTICE -> victimSupportFile.resolveSibling(POLICE_JUSTICE_FILE);
        };
    }

    /**
     * Creates the key file of each family that has none, with a first key (see {@link MasterKeys#create}); files
     * that exist are left as they are.
     *
     * @return the files created, in {@link Domain} order; empty when both existed
     * @throws GatewayException {@code config_invalid} when a file cannot be written
     */
    public static List<Path> ensureFamilies(Path victimSupportFile, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        List<Path> created = new ArrayList<>();
        for (Domain domain : Domain.values()) {
            Path file = familyFile(victimSupportFile, domain);
            if (!Files.exists(file)) {
                MasterKeys.create(file, clock);
                created.add(file);
            }
        }
        return List.copyOf(created);
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

    /** The victim-support key file, as given to the constructor. */
    public Path keyFile() {
        return keyFile(Domain.VICTIM_SUPPORT);
    }

    /** The key file of a domain's family. */
    public Path keyFile(Domain domain) {
        return family(domain).file();
    }

    /** The id of the victim-support key that wraps new data keys: {@code currentId(VICTIM_SUPPORT)}. */
    public String currentId() {
        return currentId(Domain.VICTIM_SUPPORT);
    }

    /** The id of the master key that wraps a domain's new data keys, after reading its file again if it changed. */
    public String currentId(Domain domain) {
        return family(domain).fresh().currentId();
    }

    /** The victim-support ring: {@code ring(VICTIM_SUPPORT)}. */
    public MasterKeys ring() {
        return ring(Domain.VICTIM_SUPPORT);
    }

    /** A domain's ring as last read, after reading its file again if it changed. */
    public MasterKeys ring(Domain domain) {
        return family(domain).fresh();
    }

    /**
     * The family holding a master key, reading both files again when neither ring holds it yet.
     *
     * @return empty when neither file holds {@code keyId}
     */
    public Optional<Domain> domainOf(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return holder(keyId).map(KeyFamily::domain);
    }

    /** Encrypts a victim-support payload: {@code encrypt(VICTIM_SUPPORT, plaintext, aad)}. */
    public Encrypted encrypt(byte[] plaintext, byte[] aad) {
        return encrypt(Domain.VICTIM_SUPPORT, plaintext, aad);
    }

    /**
     * Encrypts a payload under a fresh data key wrapped by the current master key of its domain's family.
     *
     * @param domain the processing the payload belongs to: the domain of its referral's type
     * @param aad    names the row the payload belongs to; the same bytes must be given to {@link #decrypt}
     */
    public Encrypted encrypt(Domain domain, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        MasterKeys ring = family(domain).fresh();
        byte[] dataKey = new byte[MasterKeys.KEY_BYTES];
        RANDOM.nextBytes(dataKey);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            SecretKeySpec key = new SecretKeySpec(dataKey, "AES");
            Cipher gcm = GCM.get();
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad);
            byte[] sealed = gcm.doFinal(plaintext);
            byte[] ciphertext = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, ciphertext, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, ciphertext, NONCE_BYTES, sealed.length);
            return new Encrypted(ring.currentId(), wrap(ring.current(), key), ciphertext);
        } catch (GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot encrypt a payload under master key " + ring.currentId() + ": "
                            + e.getClass().getSimpleName(),
                    e);
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
     *                          id is in neither key file, the data key does not unwrap under it, or the ciphertext
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
            throw undecryptable(
                    subject,
                    "ciphertext is " + ciphertext.length + " bytes (expected: at least " + (NONCE_BYTES + TAG_BITS / 8)
                            + ")",
                    null);
        }
        try {
            Cipher gcm = GCM.get();
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            gcm.updateAAD(aad);
            return gcm.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw undecryptable(
                    subject,
                    "the ciphertext does not authenticate (it was changed, or belongs to" + " another row)",
                    e);
        } catch (GeneralSecurityException e) {
            throw undecryptable(subject, e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The data key unwrapped with its master key and wrapped again under the master key that {@code targets} names
     * for that key's family; the payload's ciphertext does not change, and the returned ciphertext is empty. A
     * data key thus never leaves its family.
     *
     * @param targets the current key id of each family, as {@link #reloadedCurrentIds()} read them
     */
    Encrypted rewrap(String keyId, byte[] wrappedKey, Map<Domain, String> targets, String subject) {
        KeyFamily family = holder(keyId).orElseThrow(() -> unknown(keyId, subject));
        SecretKey dataKey = unwrap(family, keyId, wrappedKey, subject);
        String targetId = Objects.requireNonNull(targets.get(family.domain()), "target of " + family.domain());
        SecretKey target = family.fresh()
                .key(targetId)
                .or(() -> family.reload().key(targetId))
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.STORE_FAILED,
                        "master key " + targetId + " is no longer in " + family.file()
                                + "; cannot re-wrap the data key of " + subject));
        try {
            return new Encrypted(targetId, wrap(target, dataKey), new byte[0]);
        } catch (GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot wrap the data key of " + subject + " under master key " + targetId + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    /** The current key id of each family, its file read now whatever the time since the last check. */
    Map<Domain, String> reloadedCurrentIds() {
        Map<Domain, String> ids = new EnumMap<>(Domain.class);
        families.forEach((domain, family) -> ids.put(domain, family.reload().currentId()));
        return Collections.unmodifiableMap(ids);
    }

    private KeyFamily family(Domain domain) {
        return families.get(Objects.requireNonNull(domain, "domain"));
    }

    /** The family whose ring holds {@code keyId}; when none does, every file is read again first. */
    private Optional<KeyFamily> holder(String keyId) {
        Optional<KeyFamily> found = families.values().stream()
                .filter(f -> f.fresh().key(keyId).isPresent())
                .findFirst();
        if (found.isEmpty()) {
            // Another instance may have rotated: read the files now rather than within a second.
            found = families.values().stream()
                    .filter(f -> f.reload().key(keyId).isPresent())
                    .findFirst();
        }
        return found;
    }

    private SecretKey unwrap(String keyId, byte[] wrappedKey, String subject) {
        KeyFamily family = holder(keyId).orElseThrow(() -> unknown(keyId, subject));
        return unwrap(family, keyId, wrappedKey, subject);
    }

    private static SecretKey unwrap(KeyFamily family, String keyId, byte[] wrappedKey, String subject) {
        SecretKey master = family.last()
                .key(keyId)
                .or(() -> family.fresh().key(keyId))
                .orElseThrow(() ->
                        undecryptable(subject, "master key " + keyId + " left " + family.file() + " meanwhile", null));
        try {
            Cipher wrap = AES_WRAP.get();
            wrap.init(Cipher.UNWRAP_MODE, master);
            return (SecretKey) wrap.unwrap(wrappedKey, "AES", Cipher.SECRET_KEY);
        } catch (InvalidKeyException e) {
            throw undecryptable(
                    subject,
                    "its data key does not unwrap under master key " + keyId
                            + " (wrong key, or the wrapped key was changed)",
                    e);
        } catch (GeneralSecurityException e) {
            throw undecryptable(
                    subject,
                    "cannot unwrap its data key under master key " + keyId + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    private GatewayException unknown(String keyId, String subject) {
        return undecryptable(
                subject,
                "master key " + keyId + " is in neither "
                        + families.values().stream()
                                .map(f -> f.file().toString())
                                .collect(Collectors.joining(" nor ")) + " (known: "
                        + families.values().stream()
                                .flatMap(f -> f.last().ids().stream())
                                .collect(Collectors.joining(", "))
                        + ")",
                null);
    }

    private static byte[] wrap(SecretKey master, Key dataKey) throws GeneralSecurityException {
        Cipher wrap = AES_WRAP.get();
        wrap.init(Cipher.WRAP_MODE, master);
        return wrap.wrap(dataKey);
    }

    private static Cipher cipher(String transformation) {
        try {
            return Cipher.getInstance(transformation);
        } catch (GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "this Java runtime has no " + transformation + " cipher (expected: every Java 17 runtime has one)",
                    e);
        }
    }

    private static GatewayException undecryptable(String subject, String reason, Throwable cause) {
        String message = "stored " + subject + " cannot be decrypted: " + reason;
        return cause == null
                ? new GatewayException(ErrorCode.STORE_FAILED, message)
                : new GatewayException(ErrorCode.STORE_FAILED, message, cause);
    }

    @Override
    public String toString() {
        return "PayloadCipher" + families.values();
    }
}
