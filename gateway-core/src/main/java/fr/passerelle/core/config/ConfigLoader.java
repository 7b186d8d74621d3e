package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a deployment's configuration: {@code gateway.yaml}, every {@code partners/*.yaml} beside it and
 * {@code routes.yaml}, with the environment overrides {@code GATEWAY_PORT}, {@code GATEWAY_DATABASE_URL},
 * {@code GATEWAY_DATABASE_USER}, {@code GATEWAY_DATABASE_PASSWORD}, {@code GATEWAY_PKI_DIR} and
 * {@code GATEWAY_MASTER_KEYS}, and the development pins of the PKI folder ({@link DevelopmentPins}) overlaid on the
 * entries that pin no certificate. Each partner's certificate is read from {@code partners/<id>.pem} and checked
 * (pin, dates, key usage, ANSSI key sizes, chain to {@code client_ca}); a partner that a route can reach must have
 * one. Every file is checked completely: a check reports all problems, each with its file, line and fix, never only the first.
 * Problems never show the database password. Stateless and thread-safe.
 */
public final class ConfigLoader {
    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {}

    /**
     * Loads the configuration for the gateway to run on. Warnings are logged, one line each.
     *
     * @param gatewayYaml the gateway.yaml; partners and routes are read from its folder
     * @param env         the environment, such as {@code System.getenv()}
     * @throws GatewayException {@code config_invalid}, "{@code <n> problems in <dir>}", with one detail line per
     *                          error ({@code file:line: error: message (fix: ...)})
     */
    public static Deployment load(Path gatewayYaml, Map<String, String> env, ConfigChecks checks) {
        ConfigReport report = check(gatewayYaml, env, checks);
        List<ConfigProblem> errors = report.errors();
        if (!errors.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in " + folder(gatewayYaml),
                    errors.stream().map(ConfigProblem::toString).toList());
        }
        report.warnings().forEach(warning -> log.warn("{}", warning));
        return report.deployment().orElseThrow();
    }

    /**
     * Checks the configuration and collects every problem, for {@code config check} and the admin API. Never
     * throws for a problem of the configuration: a missing or unreadable file is a problem like the others.
     */
    public static ConfigReport check(Path gatewayYaml, Map<String, String> env, ConfigChecks checks) {
        return check(gatewayYaml, env, checks, Clock.systemDefaultZone());
    }

    /**
     * As {@link #check(Path, Map, ConfigChecks)}, judging approvals and certificates expired or not on the clock's
     * day.
     */
    public static ConfigReport check(Path gatewayYaml, Map<String, String> env, ConfigChecks checks, Clock clock) {
        Path dir = folder(gatewayYaml);
        return check(
                gatewayYaml,
                ConfigFiles.folder(dir, DevelopmentPins.of(gatewayYaml, env).overlay(dir)),
                env,
                checks,
                clock);
    }

    /**
     * As {@link #check(Path, Map, ConfigChecks, Clock)}, with the partners, certificates, routes and administrators
     * read from {@code files} (a configuration version held in memory, say) and only the settings from
     * gateway.yaml. The problems are the same as for the same files on disk, named as {@code files} shows them.
     */
    public static ConfigReport check(
            Path gatewayYaml, ConfigFiles files, Map<String, String> env, ConfigChecks checks, Clock clock) {
        Problems problems = new Problems();
        Optional<GatewaySettings> settings = YamlFile.read(gatewayYaml, problems)
                .flatMap(file -> SettingsReader.read(file, env, problems, checks.transport()));

        PartnerCertificates certificates =
                new PartnerCertificates(settings.map(GatewaySettings::clientCa), clock, problems);
        PartnerReader partners = new PartnerReader(checks, clock, certificates, files, problems);
        partnerFiles(files, problems)
                .forEach(name -> YamlFile.read(files, name, problems).ifPresent(partners::read));

        boolean partnersValid = problems.sorted().stream()
                .noneMatch(p -> p.isError() && p.file().startsWith(files.path("partners")));
        RouteReader routeReader = new RouteReader(
                partners.partners(), partners.declared(), checks, problems, LocalDate.now(clock), partnersValid);
        Optional<YamlFile> routesFile = YamlFile.read(files, "routes.yaml", problems);
        Optional<List<Route>> routes = routesFile.flatMap(routeReader::read);
        Optional<List<DeadlineRule>> deadlines =
                routesFile.flatMap(file -> new DeadlineReader(routeReader).read(file, problems));
        Optional<List<Recipient>> referents = routesFile.flatMap(file -> referents(file, routeReader, problems));
        if (!problems.hasErrors()) {
            routes.ifPresent(r -> new Coverage(partners.partners(), r, LocalDate.now(clock))
                    .check(files.path("routes.yaml"), routeReader.lines(), problems));
        }
        List<Recipient> told = new ArrayList<>(referents.orElse(List.of()));
        deadlines.orElse(List.of()).forEach(rule -> told.addAll(rule.escalateTo()));
        partners.requireCertificates(routes.orElse(List.of()), told);
        AdminReader admins = new AdminReader(problems);
        adminFiles(files, problems)
                .forEach(name -> YamlFile.read(files, name, problems).ifPresent(admins::read));
        admins.administrators().values().forEach(admin -> partners.partners().values().stream()
                .filter(p -> p.certificateSha256()
                        .map(admin.sha256()::equalsIgnoreCase)
                        .orElse(false))
                .forEach(p -> problems.error(
                        files.path("admins/" + admin.id() + ".yaml"),
                        0,
                        "administrator "
                                + admin.id() + " has the certificate of partner " + p.id()
                                + ": a certificate identifies one"
                                + " party only",
                        "give the administrator its own certificate")));
        settings.ifPresent(s -> requireTransportSettings(s, partners, checks, problems));

        Optional<Deployment> deployment = problems.hasErrors()
                        || settings.isEmpty()
                        || routes.isEmpty()
                        || deadlines.isEmpty()
                        || referents.isEmpty()
                ? Optional.empty()
                : Optional.of(new Deployment(
                        settings.get(),
                        partners.partners(),
                        routes.get(),
                        admins.administrators(),
                        deadlines.get(),
                        referents.get()));
        return new ConfigReport(problems.sorted(), deployment);
    }

    /**
     * The {@code protection.referents} of routes.yaml: the trafficking referents told when a removal objective is
     * held, read exactly as a route's {@code to}; none when the section is absent, empty when it could not be read.
     */
    private static Optional<List<Recipient>> referents(YamlFile file, RouteReader routes, Problems problems) {
        YamlNode root = YamlNode.root(file, problems);
        Optional<YamlNode> section = root.value().isObject() ? root.field("protection") : Optional.empty();
        if (section.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!section.get().requireObject("protection:\n  referents: [{kind: prefecture}]")) {
            return Optional.empty();
        }
        section.get().allowKeys(Set.of("referents"));
        return section.get()
                .field("referents")
                .map(n -> routes.to(n, "the trafficking referents", Optional.empty(), Optional.empty()))
                .orElse(Optional.of(List.of()));
    }

    /**
     * Reads gateway.yaml alone, with the environment overrides: what {@code pki init} needs to know where the PKI
     * goes, on a deployment whose partners may not check yet.
     *
     * @throws GatewayException {@code config_invalid} with one detail line per error of gateway.yaml
     */
    public static GatewaySettings settings(Path gatewayYaml, Map<String, String> env) {
        Problems problems = new Problems();
        Optional<GatewaySettings> settings = YamlFile.read(gatewayYaml, problems)
                .flatMap(file -> SettingsReader.read(
                        file, env, problems, ConfigChecks.lenient().transport()));
        List<ConfigProblem> errors =
                problems.sorted().stream().filter(ConfigProblem::isError).toList();
        if (!errors.isEmpty() || settings.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    errors.size() + (errors.size() == 1 ? " problem" : " problems") + " in " + gatewayYaml,
                    errors.stream().map(ConfigProblem::toString).toList());
        }
        return settings.get();
    }

    /**
     * The partners of config/ that receive by mail without naming another envelope than {@code compatible}: those
     * whose certificate {@code pki init} makes RSA, so that their mail opens in every mail client.
     *
     * @throws GatewayException as {@link #partnerIds}
     */
    public static List<PartnerId> compatibleMailPartnerIds(Path gatewayYaml) {
        Problems problems = new Problems();
        ConfigFiles files = ConfigFiles.folder(folder(gatewayYaml));
        List<PartnerId> ids = new ArrayList<>();
        for (PartnerId id : partnerIds(gatewayYaml)) {
            YamlFile.read(files, "partners/" + id + ".yaml", problems)
                    .filter(file -> receivesCompatibleMail(file.root()))
                    .ifPresent(file -> ids.add(id));
        }
        return ids;
    }

    /**
     * Whether a partner entry (its YAML as a tree) receives by mail without naming another envelope than
     * {@code compatible}: a partner that needs an RSA certificate.
     */
    public static boolean receivesCompatibleMail(JsonNode entry) {
        return "mail".equals(entry.path("delivery").path("transport").asText())
                && entry.path("envelope")
                        .asText(EnvelopeFormat.COMPATIBLE.code())
                        .equals(EnvelopeFormat.COMPATIBLE.code());
    }

    /**
     * The ids of the partner files beside {@code gatewayYaml}, from their file names, sorted. Reads no YAML, so
     * it works on a configuration that does not check yet (as {@code pki init} needs).
     *
     * @throws GatewayException {@code config_invalid} when the partners folder cannot be listed or a file name is
     *                          no partner id
     */
    public static List<PartnerId> partnerIds(Path gatewayYaml) {
        Problems problems = new Problems();
        List<PartnerId> ids = new ArrayList<>();
        ConfigFiles files = ConfigFiles.folder(folder(gatewayYaml));
        for (String name : partnerFiles(files, problems)) {
            Path file = files.path(name);
            try {
                ids.add(PartnerId.of(name.substring("partners/".length(), name.length() - ".yaml".length())));
            } catch (GatewayException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "partner file " + file + " is not named after" + " a partner id: " + e.getMessage());
            }
        }
        List<ConfigProblem> errors =
                problems.sorted().stream().filter(ConfigProblem::isError).toList();
        if (!errors.isEmpty()) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, errors.get(0).toString());
        }
        return ids.stream().sorted().toList();
    }

    /**
     * Pins a partner's certificate: rewrites the value of {@code certificate.sha256} in place, leaving every other
     * byte of the file (comments, layout, quotes style of other keys) as it was. A file without a
     * {@code certificate} section gets one appended.
     *
     * @param sha256 32 hex pairs separated by colons, either case; written in upper case
     * @throws GatewayException {@code config_invalid} when the fingerprint is malformed, the file is not valid
     *                          YAML, or it cannot be written
     */
    public static void pinFingerprint(Path partnerFile, String sha256) {
        FingerprintPin.pin(partnerFile, sha256);
    }

    /**
     * A transport that a partner uses needs its settings in gateway.yaml (when its provider requires any), and a
     * transport that answers by links needs the receipt-link listener.
     */
    private static void requireTransportSettings(
            GatewaySettings settings, PartnerReader partners, ConfigChecks checks, Problems problems) {
        Map<String, List<PartnerId>> users = new java.util.TreeMap<>();
        for (Map.Entry<PartnerId, YamlNode> pushed : partners.pushedDeliveries().entrySet()) {
            String id = partners.partners().get(pushed.getKey()).delivery().transport();
            Optional<TransportProvider> provider = checks.transport().apply(id);
            if (provider.isEmpty()) {
                continue;
            }
            users.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(pushed.getKey());
            if (provider.get().receiptLinks() && settings.receiptLinks().isEmpty()) {
                pushed.getValue()
                        .error(
                                "transport " + id + " answers by receipt links, but gateway.yaml has no"
                                        + " receipt_links section",
                                "add receipt_links: {port: 8444, public_url: https://...} to" + " gateway.yaml");
            }
        }
        users.forEach((id, partnerIds) -> {
            TransportProvider provider = checks.transport().apply(id).orElseThrow();
            Map<String, String> section = settings.transports().getOrDefault(id, Map.of());
            if (!settings.transports().containsKey(id)) {
                List<TransportProvider.OptionProblem> missing = provider.checkSettings(Map.of());
                if (!missing.isEmpty()) {
                    problems.error(
                            settings.file(),
                            0,
                            "transport " + id + " (used by "
                                    + partnerIds.stream()
                                            .map(PartnerId::value)
                                            .collect(java.util.stream.Collectors.joining(", "))
                                    + ") has no"
                                    + " settings: "
                                    + missing.stream()
                                            .map(TransportProvider.OptionProblem::message)
                                            .collect(java.util.stream.Collectors.joining("; ")),
                            "add a transports: {" + id
                                    + ": {...}} section to gateway.yaml (see the shipped gateway.yaml)");
                    return;
                }
            }
            provider.senderAddress(section)
                    .ifPresent(address -> SignerMailAddress.check(settings, id, address, problems));
            java.time.Duration longest = provider.longestAttempt(section);
            if (settings.delivery().lease().compareTo(longest) <= 0) {
                problems.warning(
                        settings.file(),
                        0,
                        "delivery.lease_seconds " + settings.delivery().lease().toSeconds()
                                + " is not longer than one attempt of transport " + id + " may take ("
                                + longest.toSeconds()
                                + " s): a delivery still being attempted would be claimed again",
                        "raise"
                                + " delivery.lease_seconds above " + longest.toSeconds() + ", or lower the timeouts of"
                                + " transports." + id);
            }
        });
    }

    /** The files of {@code admins/}, a folder that may be absent (no administrator). */
    private static List<String> adminFiles(ConfigFiles files, Problems problems) {
        if (!files.isFolder("admins")) {
            return List.of();
        }
        return files.list("admins", "admins", problems).stream()
                .filter(name -> name.endsWith(".yaml"))
                .toList();
    }

    private static Path folder(Path gatewayYaml) {
        return gatewayYaml.toAbsolutePath().normalize().getParent();
    }

    /** The {@code *.yaml} files of the partners folder, sorted by name; a {@code *.yml} is warned about. */
    private static List<String> partnerFiles(ConfigFiles files, Problems problems) {
        List<String> names = new ArrayList<>();
        if (!files.isFolder("partners")) {
            problems.error(
                    files.path("partners"),
                    0,
                    "partners folder not found",
                    "create it beside gateway.yaml," + " with one <id>.yaml per partner");
            return names;
        }
        for (String name : files.list("partners", "partners", problems)) {
            if (name.endsWith(".yaml")) {
                names.add(name);
            } else if (name.endsWith(".yml")) {
                problems.warning(
                        files.path(name),
                        0,
                        "ignored: partner files end in .yaml",
                        "rename it to " + name.substring("partners/".length(), name.length() - 4) + ".yaml");
            }
        }
        return names;
    }
}
