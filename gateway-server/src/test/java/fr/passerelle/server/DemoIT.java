package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.server.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, as {@code scripts/gateway demo --keep DIR} runs it. */
class DemoIT {

    @Test
    void playsEveryTypeEndToEndAndKeepsWhatEachPartnerReceived(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path keep = dir.resolve("kept");

        int exit = Demo.run(Optional.of(keep), env(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).doesNotContain("FAILED");
        assertThat(output.lines()).anyMatch(line -> line.startsWith("Kept in " + keep));
        assertThat(output.lines().reduce((a, b) -> b)).hasValueSatisfying(last -> assertThat(last)
                .startsWith("OK: 8 referrals, ").contains("2 refusals as expected"));
        assertThat(keep.resolve("pki/ca.pem")).exists();
        assertThat(keep.resolve("config/gateway.yaml")).exists();
        try (Stream<Path> received = Files.walk(keep.resolve("received"))) {
            List<Path> items = received.filter(Files::isRegularFile).toList();
            assertThat(items).hasSizeGreaterThanOrEqualTo(8);
            for (Path item : items) {
                if (item.getFileName().toString().contains("shelter.request")) {
                    assertThat(Files.readString(item)).doesNotContain("\"offence\"");
                }
            }
        }
    }

    @Test
    void refusesToKeepIntoAFolderThatIsNotEmpty(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("something"), "x");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = Demo.run(Optional.of(dir), env(), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("is not empty; choose a new or empty folder for --keep");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        String testDb = System.getenv("GATEWAY_TEST_DB_URL");
        if (testDb != null && !testDb.isBlank()) {
            env.put("GATEWAY_DATABASE_URL", testDb);
            Optional.ofNullable(System.getenv("GATEWAY_TEST_DB_USER")).ifPresent(v -> env.put("GATEWAY_DATABASE_USER", v));
            Optional.ofNullable(System.getenv("GATEWAY_TEST_DB_PASSWORD")).ifPresent(v -> env.put("GATEWAY_DATABASE_PASSWORD", v));
        }
        return env;
    }
}
