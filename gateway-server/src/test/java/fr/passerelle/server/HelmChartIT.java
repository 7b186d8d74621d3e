package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.testkit.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart of deploy/helm, rendered by Helm itself (its library, through helm-java): the repository's
 * configuration folder, turned into values by the chart's config-values.sh, comes back file for file where the
 * gateway reads it; the pod runs unprivileged on a read-only root with every path it writes mounted; its probes,
 * ports and environment agree with what the gateway reads from that environment; a value left out stops the
 * rendering with its name and how to give it.
 */
class HelmChartIT {
    private static final Path CHART = Path.of("..", "deploy", "helm", "passerelle");
    private static final Path CONFIG = Path.of("..", "config");
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path work;

    @Test
    void rendersUnprivilegedInstancesOnTheConfigurationTheyWereGiven() throws Exception {
        Map<String, JsonNode> manifests =
                render(template().withValuesFile(configValues()).withValuesFile(site()));

        JsonNode deployment = manifests.get("Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
                .isZero();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean())
                .isFalse();
        assertThat(container.at("/securityContext/capabilities/drop").toString())
                .isEqualTo("[\"ALL\"]");
        assertThat(container.path("image").asText()).isEqualTo("passerelle:" + projectVersion());

        Map<String, String> env = environment(container);
        GatewaySettings settings = ConfigLoader.settings(materialise(manifests.get("ConfigMap"), pod, env), env);

        assertThat(settings.host()).isEqualTo("0.0.0.0");
        assertThat(settings.database().url())
                .contains("jdbc:postgresql://pg-1:5432,pg-2:5432/passerelle" + "?targetServerType=primary");
        assertThat(settings.logging().format()).isEqualTo(GatewaySettings.LogSettings.Format.JSON);
        assertThat(settings.receiptLinks().orElseThrow().host()).isEqualTo("0.0.0.0");
        assertThat(settings.receiptLinks().orElseThrow().publicUrl()).contains("https://passerelle.example.fr:8444");
        assertThat(settings.transports().get("mail")).containsEntry("host", "relais.interieur.example");
        Map<String, Integer> ports = new HashMap<>();
        container
                .path("ports")
                .forEach(p -> ports.put(
                        p.path("name").asText(), p.path("containerPort").asInt()));
        assertThat(ports)
                .containsEntry("api", settings.port())
                .containsEntry(
                        "receipt-links", settings.receiptLinks().orElseThrow().port())
                .containsEntry("management", settings.management().orElseThrow().port());
        assertThat(settings.management().orElseThrow().host()).isEqualTo("0.0.0.0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/livez");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
        // The Service carries the partners' ports, never the management one.
        assertThat(manifests.get("Service").path("spec").path("ports").findValuesAsText("name"))
                .containsExactlyInAnyOrder("api", "receipt-links");

        Map<String, String> mounts = mounts(container, pod);
        assertThat(mounts)
                .containsEntry("/etc/passerelle", "configMap, read-only")
                .containsEntry(settings.pkiDir().toString(), "secret pki, read-only")
                .containsEntry(settings.masterKeys().getParent().toString(), "secret keys, read-only")
                .containsEntry(settings.purgeLog().getParent().toString(), "persistentVolumeClaim purge-log-claim")
                .containsEntry("/tmp", "emptyDir");
    }

    @Test
    void admitsOnlyPrometheusToTheManagementPortWhenAsked() throws Exception {
        assertThat(render(template().withValuesFile(configValues()).withValuesFile(site())))
                .doesNotContainKey("NetworkPolicy");

        JsonNode policy = render(template()
                        .withValuesFile(configValues())
                        .withValuesFile(site())
                        .set("networkPolicy.enabled", true)
                        .set("networkPolicy.prometheus.podSelector.matchLabels.app", "prometheus"))
                .get("NetworkPolicy");

        JsonNode partners = policy.at("/spec/ingress/0");
        JsonNode management = policy.at("/spec/ingress/1");
        assertThat(partners.path("from").isMissingNode()).isTrue();
        assertThat(partners.path("ports").findValuesAsText("port")).containsExactly("api", "receipt-links");
        assertThat(management.path("ports").findValuesAsText("port")).containsExactly("management");
        assertThat(management.at("/from/0/podSelector/matchLabels/app").asText())
                .isEqualTo("prometheus");
    }

    @Test
    void namesEachValueLeftOutAndHowToGiveIt() throws Exception {
        assertThatThrownBy(() -> template().withValuesFile(site()).call())
                .hasMessageContaining("config.files has no gateway.yaml")
                .hasMessageContaining("config-values.sh");
        assertThatThrownBy(() -> template().withValuesFile(configValues()).call())
                .hasMessageContaining("database.url is required")
                .hasMessageContaining("targetServerType=primary");
        assertThatThrownBy(() -> template()
                        .withValuesFile(configValues())
                        .withValuesFile(site())
                        .set("purgeLog.claimName", "")
                        .call())
                .hasMessageContaining("purgeLog.claimName is required")
                .hasMessageContaining("ReadWriteMany");
    }

    @Test
    void refusesAConfigurationFolderWithoutGatewayYaml() throws Exception {
        Commands.Result result =
                Commands.run("bash", CHART.resolve("config-values.sh").toString(), work.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains("the folder that holds gateway.yaml");
    }

    private static TemplateCommand template() {
        // Without a cluster, Helm assumes an old Kubernetes (v1.20) that the chart's kubeVersion refuses.
        return new Helm(CHART)
                .template()
                .withName("passerelle")
                .withNamespace("passerelle")
                .withKubeVersion("v1.31.0");
    }

    /** The values that config-values.sh writes of the repository's configuration folder. */
    private Path configValues() throws IOException, InterruptedException {
        Commands.Result result =
                Commands.run("bash", CHART.resolve("config-values.sh").toString(), CONFIG.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return Files.writeString(work.resolve("config-values.yaml"), result.output());
    }

    /** What a site gives: its database, its secrets and volume, its addresses. */
    private Path site() throws IOException {
        return Files.writeString(
                work.resolve("site-values.yaml"),
                """
                database:
                  url: jdbc:postgresql://pg-1:5432,pg-2:5432/passerelle?targetServerType=primary
                  passwordSecret: {name: passerelle-database}
                pki: {secretName: passerelle-pki}
                keys: {secretName: passerelle-keys}
                purgeLog: {claimName: purge-log-claim}
                receiptLinks: {publicUrl: "https://passerelle.example.fr:8444"}
                mail: {host: relais.interieur.example, port: 465}
                """);
    }

    private static Map<String, JsonNode> render(TemplateCommand command) throws IOException {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(command.call())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document != null && document.has("kind")) {
                    assertThat(byKind.put(document.path("kind").asText(), document))
                            .as("one " + document.path("kind").asText())
                            .isNull();
                }
            }
        }
        assertThat(byKind).containsKeys("Deployment", "ConfigMap", "Service", "PodDisruptionBudget");
        return byKind;
    }

    /** The container's environment; a value from a Secret stands as a placeholder. */
    private static Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            env.put(
                    variable.path("name").asText(),
                    variable.has("valueFrom")
                            ? "from-secret"
                            : variable.path("value").asText());
        }
        return env;
    }

    /**
     * Writes the configuration folder as the kubelet mounts it (each item of the config volume at its path) under
     * the work folder, checks that it holds every file of the repository's folder with the same text, and returns
     * its gateway.yaml.
     */
    private Path materialise(JsonNode configMap, JsonNode pod, Map<String, String> env) throws IOException {
        assertThat(env.get("GATEWAY_CONFIG")).isEqualTo("/etc/passerelle/gateway.yaml");
        Path folder = work.resolve("etc/passerelle");
        JsonNode volume = volume(pod, "config");
        assertThat(volume.at("/configMap/name").asText())
                .isEqualTo(configMap.at("/metadata/name").asText());
        List<String> paths = new ArrayList<>();
        for (JsonNode item : volume.at("/configMap/items")) {
            String path = item.path("path").asText();
            paths.add(path);
            Path file = folder.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, configMap.at("/data").path(item.path("key").asText()).asText());
        }
        List<String> expected;
        try (Stream<Path> files = Files.walk(CONFIG)) {
            expected = files.filter(Files::isRegularFile)
                    .map(f -> CONFIG.relativize(f).toString())
                    .filter(p -> !p.startsWith("samples/"))
                    .toList();
        }
        assertThat(paths).containsExactlyInAnyOrderElementsOf(expected);
        for (String path : expected) {
            assertThat(Files.readString(folder.resolve(path)).stripTrailing())
                    .as(path)
                    .isEqualTo(Files.readString(CONFIG.resolve(path)).stripTrailing());
        }
        return folder.resolve("gateway.yaml");
    }

    /** Each mount path of the container, with what is mounted there and whether read-only. */
    private static Map<String, String> mounts(JsonNode container, JsonNode pod) {
        Map<String, String> mounts = new HashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volume(pod, mount.path("name").asText());
            String source = sourceOf(volume);
            String name =
                    switch (source) {
                        case "secret" -> "secret " + mount.path("name").asText();
                        case "persistentVolumeClaim" -> source + " "
                                + volume.at("/persistentVolumeClaim/claimName").asText();
                        default -> source;
                    };
            mounts.put(
                    mount.path("mountPath").asText(),
                    name + (mount.path("readOnly").asBoolean() ? ", read-only" : ""));
        }
        return mounts;
    }

    private static String sourceOf(JsonNode volume) {
        List<String> fields = new ArrayList<>();
        volume.fieldNames().forEachRemaining(fields::add);
        fields.remove("name");
        assertThat(fields).hasSize(1);
        return fields.get(0);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + pod.path("volumes"));
    }

    /** The version of the Maven project, which Jib gives the image as its tag. */
    private static String projectVersion() throws IOException {
        Matcher version = Pattern.compile("<artifactId>passerelle-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(version.find()).isTrue();
        return version.group(1);
    }
}
