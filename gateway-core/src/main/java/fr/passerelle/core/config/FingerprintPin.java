package fr.passerelle.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a certificate fingerprint into a partner file without reformatting it: the parser finds where the value
 * of {@code certificate.sha256} starts and ends, and only those characters change, so the administrator's
 * comments and layout survive {@code pki init}.
 */
final class FingerprintPin {
    private FingerprintPin() {}

    static void pin(Path file, String sha256) {
        if (sha256 == null || !PartnerReader.FINGERPRINT.matcher(sha256).matches()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot pin a malformed fingerprint in " + file + " (expected: 32 hex pairs separated by colons)");
        }
        String fingerprint = sha256.toUpperCase(Locale.ROOT);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, "cannot read partner file " + file, e);
        }
        String pinned = rewrite(file, text, "\"" + fingerprint + "\"");
        write(file, pinned);
    }

    /**
     * The text of an entry with its fingerprint pinned, for the development pins overlaid in memory; empty when
     * the text cannot be pinned (not valid YAML, or a certificate section that is no mapping): the configuration
     * check reports it as it stands.
     */
    static Optional<String> pinned(Path file, String text, String sha256) {
        try {
            return Optional.of(rewrite(file, text, "\"" + sha256.toUpperCase(Locale.ROOT) + "\""));
        } catch (GatewayException e) {
            return Optional.empty();
        }
    }

    private static String rewrite(Path file, String text, String quoted) {
        Optional<int[]> span;
        try (JsonParser parser = YamlFile.FACTORY.createParser(text)) {
            span = findValue(parser, text);
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot pin a fingerprint in " + file + ": it is not valid YAML (run `gateway config check`)");
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, "cannot read partner file " + file, e);
        }
        if (span.isEmpty()) {
            String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
            return text + separator + "certificate:\n  sha256: " + quoted + "\n";
        }
        int start = span.get()[0];
        int end = span.get()[1];
        if (start < 0) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot pin a fingerprint in " + file
                            + ": 'certificate' has no 'sha256' key (expected: certificate: {sha256: \"\"})");
        }
        // An empty value ("sha256:" and nothing) has no width: keep a space after the colon.
        String value = start == end ? " " + quoted : quoted;
        return text.substring(0, start) + value + text.substring(end);
    }

    /**
     * The character span of the value of top-level {@code certificate.sha256}; {@code [-1, -1]} when there is a
     * certificate section without that key; empty when there is no certificate section at all.
     */
    private static Optional<int[]> findValue(JsonParser parser, String text) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return Optional.empty();
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!name.equals("certificate")) {
                parser.skipChildren();
                continue;
            }
            if (value != JsonToken.START_OBJECT) {
                return Optional.of(new int[] {-1, -1});
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken token = parser.nextToken();
                if (key.equals("sha256") && token.isScalarValue()) {
                    return Optional.of(new int[] {
                        offset(text, parser.currentTokenLocation()), offset(text, parser.currentLocation())
                    });
                }
                parser.skipChildren();
            }
            return Optional.of(new int[] {-1, -1});
        }
        return Optional.empty();
    }

    /** A parser location (line and column from 1, columns in code points) as an index into {@code text}. */
    private static int offset(String text, JsonLocation location) {
        int index = 0;
        for (int line = 1; line < location.getLineNr(); line++) {
            index = text.indexOf('\n', index) + 1;
        }
        return text.offsetByCodePoints(index, location.getColumnNr() - 1);
    }

    private static void write(Path file, String text) {
        try {
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".pin-", ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                copyPermissions(file, temporary);
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, "cannot write partner file " + file, e);
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        try {
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the temporary file keeps the folder's defaults.
        }
    }
}
