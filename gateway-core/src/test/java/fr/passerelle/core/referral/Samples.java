package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The shipped samples and schemas, read from the repository's {@code config/} folder. */
final class Samples {
    static final Path CONFIG = Path.of("..", "config");
    static final Path SCHEMAS = CONFIG.resolve("schemas");
    static final ObjectMapper JSON = new ObjectMapper();

    private Samples() {}

    /** A fresh, mutable copy of {@code config/samples/<type>.json}. */
    static ObjectNode of(ReferralType type) {
        try {
            return (ObjectNode) JSON.readTree(
                    CONFIG.resolve("samples").resolve(type.code() + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
