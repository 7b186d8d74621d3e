package fr.passerelle.core.protection;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.keys.MasterKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The register key ring: the keys under which the protection register turns identity keys into tokens,
 * HMAC-SHA-256. Kept in a file of its own beside the master keys ({@code register.keys}, same format and
 * permissions, see {@link MasterKeys}), never in the database: without it a token says nothing, and with it alone
 * a token still names nobody. The last key is the current one: new tokens are made under it; every key of the ring
 * is tried when looking up, so that a rotation never loses a protection. The file is read again when it changes
 * ({@code keys rotate} adds a key while the gateway runs). Thread-safe.
 */
public final class RegisterKeys {
    /** The file name beside the master key file. */
    public static final String FILE_NAME = "register.keys";

    private final Path file;
    private volatile Loaded loaded;

    private record Loaded(FileTime modified, MasterKeys ring) {}

    /** A token: the HMAC of one identity key under one register key. Never printed. */
    public record Token(String keyId, byte[] value) {
        public Token {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "Token[" + keyId + "]";
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Token t && t.keyId.equals(keyId) && MessageDigest.isEqual(t.value, value);
        }

        @Override
        public int hashCode() {
            return keyId.hashCode() * 31 + java.util.Arrays.hashCode(value);
        }
    }

    private RegisterKeys(Path file, MasterKeys ring) {
        this.file = file;
        this.loaded = new Loaded(modified(file), ring);
    }

    /** The register key file that goes with a master key file. */
    public static Path beside(Path masterKeys) {
        return masterKeys.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    /**
     * Reads the register key file, creating it with a first key when it does not exist.
     *
     * @throws GatewayException {@code config_invalid} as {@link MasterKeys#load} does
     */
    public static RegisterKeys open(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        MasterKeys ring = Files.exists(file) ? MasterKeys.load(file) : MasterKeys.create(file, clock);
        return new RegisterKeys(file, ring);
    }

    /** Adds a new current key to the file; tokens made from now on are made under it. */
    public String rotate(Clock clock) {
        MasterKeys ring = MasterKeys.load(file).addKey(file, clock);
        loaded = new Loaded(modified(file), ring);
        return ring.currentId();
    }

    /** Removes a key once no token is made under it. */
    public void retire(String keyId, long tokensUnderIt) {
        MasterKeys ring = MasterKeys.load(file).retire(file, keyId, tokensUnderIt);
        loaded = new Loaded(modified(file), ring);
    }

    public Path file() {
        return file;
    }

    public String currentId() {
        return ring().currentId();
    }

    public List<String> ids() {
        return ring().ids();
    }

    /** The tokens of these identity keys under the current key: what a protection is recorded with. */
    public Set<Token> tokens(Set<String> identityKeys) {
        MasterKeys ring = ring();
        return tokens(ring, ring.currentId(), identityKeys);
    }

    /** The tokens of these identity keys under every key of the ring: what a lookup searches for. */
    public Set<Token> probes(Set<String> identityKeys) {
        MasterKeys ring = ring();
        Set<Token> all = new java.util.LinkedHashSet<>();
        for (String id : ring.ids()) {
            all.addAll(tokens(ring, id, identityKeys));
        }
        return all;
    }

    private static Set<Token> tokens(MasterKeys ring, String keyId, Set<String> identityKeys) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ring.key(keyId).orElseThrow().getEncoded(), "HmacSHA256"));
            Set<Token> tokens = new java.util.LinkedHashSet<>();
            // Sorted, so that the same person always gives the same rows in the same order.
            for (String key : new TreeSet<>(identityKeys)) {
                tokens.add(new Token(keyId, mac.doFinal(key.getBytes(StandardCharsets.UTF_8))));
            }
            return tokens;
        } catch (GeneralSecurityException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "HMAC-SHA-256 is not available in this JVM", e);
        }
    }

    /** The ring, read again when the file changed since it was last read. */
    private MasterKeys ring() {
        Loaded current = loaded;
        FileTime now = modified(file);
        if (!now.equals(current.modified())) {
            current = new Loaded(now, MasterKeys.load(file));
            loaded = current;
        }
        return current.ring();
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read register key file " + file + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "RegisterKeys[" + file + ", keys " + new ArrayList<>(ring().ids()) + "]";
    }
}
