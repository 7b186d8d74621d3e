package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.devkit.DevelopmentDeployment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway that cannot listen fails its start last of all, once the database, the transports, the delivery worker
 * and housekeeping run: it closes them all before it throws, so that the next start on the same folder succeeds.
 */
class FailedStartIT {
    private static final List<String> THREADS =
            List.of("passerelle-housekeeping", "passerelle-outbox", "passerelle-delivery-", "passerelle-worker-");

    @TempDir
    Path work;

    @Test
    void closesWhatItStartedWhenItsPortIsTaken() throws Exception {
        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(work, Map.of(), config -> {});
        String host =
                ConfigLoader.settings(workspace.gatewayYaml(), workspace.env()).host();
        Set<Thread> before = gatewayThreads();

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            Map<String, String> env = new HashMap<>(workspace.env());
            env.put("GATEWAY_PORT", Integer.toString(taken.getLocalPort()));

            assertThatThrownBy(() -> Gateway.start(workspace.gatewayYaml(), env))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                        assertThat(e.getMessage()).startsWith("cannot listen on " + host + ":" + taken.getLocalPort());
                    });
        }

        await("the failed start's threads ending")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(threadsAfter(before))
                        .as("threads the failed start left running")
                        .isEmpty());
        try (Gateway next = Gateway.start(workspace.gatewayYaml(), workspace.env())) {
            assertThat(next.port()).isPositive();
        }
    }

    /** The gateway threads not in {@code before}. */
    private static Set<Thread> threadsAfter(Set<Thread> before) {
        return gatewayThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
    }

    private static Set<Thread> gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> THREADS.stream().anyMatch(t.getName()::startsWith))
                .collect(Collectors.toSet());
    }
}
