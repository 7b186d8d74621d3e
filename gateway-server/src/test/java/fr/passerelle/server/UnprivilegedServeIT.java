package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway serve} as a container runs it (deploy/compose.yaml, the systemd unit): as an unprivileged user,
 * the configuration and the PKI read-only and owned by that user, the code in a folder of its own, every setting
 * from the environment, JSON logs; it becomes ready ({@code /readyz} 200 on the management listener) and writes
 * nothing but its key files. Needs root (to become another user, with util-linux's setpriv), as CI runs.
 */
class UnprivilegedServeIT {
    private static final String NOBODY = "65534";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path work;

    @Test
    void becomesReadyAsAnUnprivilegedUserOnAReadOnlyConfiguration() throws Exception {
        assumeTrue(
                "root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
                "needs root and setpriv to run the gateway as another user (CI runs as root)");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        DevelopmentDeployment.Workspace workspace =
                DevelopmentDeployment.prepare(work, TestDatabase.fresh().env(), config -> {});
        String classpath = copyClasspath(work.resolve("app"));
        Path keys = Files.createDirectory(work.resolve("keys"));
        Commands.ok(
                "chown",
                "-R",
                NOBODY + ":" + NOBODY,
                keys.toString(),
                workspace.config().toString(),
                workspace.pki().toString());
        readOnly(workspace.config());
        readOnly(workspace.pki());
        List<String> before = listing(workspace.config(), workspace.pki());
        Map<String, String> env = new HashMap<>(workspace.env());
        env.put("GATEWAY_MASTER_KEYS", keys.resolve("master.keys").toString());
        env.put("GATEWAY_LOG_FORMAT", "json");
        env.put("HOME", "/nonexistent");

        Path output = work.resolve("serve.log");
        try (GatewayProcess gateway = GatewayProcess.start(
                List.of(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"),
                classpath,
                workspace.gatewayYaml(),
                env,
                output,
                Duration.ofMinutes(2))) {
            HttpResponse<String> ready = gateway.readyz();

            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(Files.readString(Path.of("/proc", Long.toString(gateway.pid()), "status")))
                    .containsPattern("(?m)^Uid:\\s+" + NOBODY + "\\s");
        }
        assertThat(listing(workspace.config(), workspace.pki())).isEqualTo(before);
        assertThat(keys.resolve("master.keys")).exists();
    }

    /** Every entry of this JVM's class path copied under {@code app}, readable by anyone: the image's code. */
    private static String copyClasspath(Path app) throws IOException, InterruptedException {
        List<String> copied = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = app.resolve(n++ + "-" + source.getFileName());
            Files.createDirectories(app);
            if (Files.isDirectory(source)) {
                Commands.ok("cp", "-r", source.toString(), target.toString());
            } else {
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            copied.add(target.toString());
        }
        Commands.ok("chmod", "-R", "a+rX", app.toString());
        return String.join(File.pathSeparator, copied);
    }

    /** As a read-only mount: nothing writable, even by the owner. */
    private static void readOnly(Path dir) throws IOException, InterruptedException {
        Commands.ok("chmod", "-R", "a-w", dir.toString());
    }

    private static List<String> listing(Path... dirs) throws IOException {
        List<String> files = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.map(p -> p + " " + p.toFile().length()).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
