package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image that scripts/image builds (gateway-server/target/passerelle-image.tar), run as a container runtime
 * runs it: its layers unpacked into a root file system mounted read-only, /proc and a tmpfs /tmp, the configuration
 * and the PKI mounted read-only, a writable volume at /var/lib/passerelle, the image's entrypoint, command,
 * environment, working folder and user (uid 10001). It becomes ready: {@code /readyz} answers 200. Skips when the
 * image was not built (./scripts/image, as root; .ci/run builds it) or without root.
 */
class ImageRunIT {
    private static final Path IMAGE = Path.of("target", "passerelle-image.tar");

    @TempDir
    Path work;

    @Test
    void runsOnAReadOnlyRootAsItsOwnUserAndBecomesReady() throws Exception {
        assumeTrue(Files.isRegularFile(IMAGE), "no " + IMAGE + ": build it with ./scripts/image (as root)");
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting the image's file system needs root");
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        JsonNode config = unpack(IMAGE, work.resolve("oci"), rootfs);
        JsonNode container = config.path("config");
        assertThat(container.path("User").asText()).isEqualTo("10001:10001");

        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(
                work.resolve("deployment"), TestDatabase.fresh().env(), c -> {});
        Path state = Files.createDirectories(work.resolve("state"));
        Commands.ok(
                "chown",
                "-R",
                "10001:10001",
                state.toString(),
                workspace.config().toString(),
                workspace.pki().toString());
        Commands.ok(
                "chmod",
                "-R",
                "a-w",
                workspace.config().toString(),
                workspace.pki().toString());
        // Mount points, as a container runtime makes them for the volumes.
        Files.createDirectories(rootfs.resolve("etc/passerelle"));
        Files.createDirectories(rootfs.resolve("etc/passerelle-pki"));

        List<String> env = new ArrayList<>();
        container.path("Env").forEach(e -> env.add(e.asText()));
        workspace.env().forEach((k, v) -> {
            if (k.startsWith("GATEWAY_DATABASE_")) {
                env.add(k + "=" + v);
            }
        });
        env.addAll(List.of(
                "GATEWAY_PKI_DIR=/etc/passerelle-pki",
                "GATEWAY_MASTER_KEYS=/var/lib/passerelle/keys/master.keys",
                "GATEWAY_PORT=0",
                "GATEWAY_RECEIPT_LINKS_PORT=0",
                "GATEWAY_MANAGEMENT_PORT=0",
                // The image listens on every interface; this test stays on loopback.
                "GATEWAY_HOST=127.0.0.1",
                "GATEWAY_RECEIPT_LINKS_HOST=127.0.0.1",
                "GATEWAY_MANAGEMENT_HOST=127.0.0.1"));
        List<String> command = new ArrayList<>();
        container.path("Entrypoint").forEach(a -> command.add(a.asText()));
        container.path("Cmd").forEach(a -> command.add(a.asText()));
        String r = rootfs.toString();
        String mounts = String.join(
                " && ",
                // The root first, read-only; then what is mounted on it.
                "mount --bind " + r + " " + r,
                "mount -o remount,bind,ro " + r,
                "mount -t proc proc " + r + "/proc",
                "mount -t tmpfs tmpfs " + r + "/tmp",
                "mount --bind " + workspace.config() + " " + r + "/etc/passerelle",
                "mount -o remount,bind,ro " + r + "/etc/passerelle",
                "mount --bind " + workspace.pki() + " " + r + "/etc/passerelle-pki",
                "mount -o remount,bind,ro " + r + "/etc/passerelle-pki",
                "mount --bind " + state + " " + r + "/var/lib/passerelle",
                "cd " + r + container.path("WorkingDir").asText());
        List<String> launch = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c"));
        launch.add(
                mounts + " && exec chroot --userspec=" + container.path("User").asText() + " " + r + " /usr/bin/env -i "
                        + String.join(" ", env) + " " + String.join(" ", command));

        Path output = work.resolve("container.log");
        try (GatewayProcess gateway = GatewayProcess.startCommand(launch, Map.of(), output, Duration.ofMinutes(2))) {
            HttpResponse<String> ready = gateway.readyz();

            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        }
        assertThat(state.resolve("keys/master.keys")).exists();
        assertThat(Files.readString(output)).contains("\"@timestamp\"");
    }

    /** Unpacks the OCI archive's layers, in order, into {@code rootfs}; returns the image's config. */
    private static JsonNode unpack(Path image, Path oci, Path rootfs) throws IOException, InterruptedException {
        Files.createDirectories(oci);
        Commands.ok("tar", "-xf", image.toString(), "-C", oci.toString());
        JsonNode index = Json.MAPPER.readTree(oci.resolve("index.json").toFile());
        JsonNode manifest =
                Json.MAPPER.readTree(blob(oci, index.path("manifests").get(0)).toFile());
        for (JsonNode layer : manifest.path("layers")) {
            Commands.ok("tar", "-xzf", blob(oci, layer).toString(), "-C", rootfs.toString());
        }
        return Json.MAPPER.readTree(blob(oci, manifest.path("config")).toFile());
    }

    private static Path blob(Path oci, JsonNode descriptor) {
        return oci.resolve("blobs/sha256")
                .resolve(descriptor.path("digest").asText().substring("sha256:".length()));
    }
}
