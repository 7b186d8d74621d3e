package fr.passerelle.devkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The configuration shipped inside the jar ({@code passerelle/config/}): the demo's embedded defaults. */
public final class ShippedConfig {
    static final String ROOT = "/passerelle/config";

    private ShippedConfig() {}

    /** Copies the shipped config/ folder into {@code target}, which is created. */
    public static void copyTo(Path target) {
        URL marker = ShippedConfig.class.getResource(ROOT + "/gateway.yaml");
        if (marker == null) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the shipped configuration is missing from the class path (expected " + ROOT + "/gateway.yaml)");
        }
        try {
            URI uri = marker.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    copyTree(jar.getPath(ROOT), target);
                }
            } else {
                copyTree(Path.of(uri).getParent(), target);
            }
        } catch (IOException | URISyntaxException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID, "cannot copy the shipped configuration to " + target, e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination);
                }
            }
        }
    }
}
