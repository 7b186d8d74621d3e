package fr.passerelle.core.config;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads {@code config/admins/<id>.yaml}: who may use the admin API, with which role and certificate, and the data
 * domains it is limited to ({@code domains: [victim-support]}; every domain when the key is absent), and for a
 * statistics reader ({@code role: statistics}) the departments whose figures it reads ({@code departments: ["75"]};
 * every department when the key is absent).
 */
final class AdminReader {
    private static final ConfigSchema SCHEMA = ConfigSchema.named("admin");
    private static final List<String> DOMAINS =
            Arrays.stream(Domain.values()).map(Domain::code).toList();

    private final Problems problems;
    private final Map<String, Administrator> administrators = new TreeMap<>();

    AdminReader(Problems problems) {
        this.problems = problems;
    }

    Map<String, Administrator> administrators() {
        return administrators;
    }

    void read(YamlFile file) {
        YamlNode unchecked = YamlNode.root(file, problems);
        if (!unchecked.requireObject("keys such as id:, name:, role:, certificate:")) {
            return;
        }
        // Keys, types and roles are the schema's; a node it refused reads as left out here.
        YamlNode root = unchecked.checkedAgainst(SCHEMA);
        Optional<String> id = root.field("id").flatMap(YamlNode::text);
        Optional<String> name = root.field("name").flatMap(YamlNode::text);
        Optional<Administrator.Role> role = root.field("role")
                .flatMap(YamlNode::text)
                .map(t -> Administrator.Role.valueOf(t.toUpperCase(Locale.ROOT)));
        Optional<YamlNode> certificate = root.field("certificate");
        Optional<String> sha256 = certificate.flatMap(c -> c.field("sha256")).flatMap(n -> {
            Optional<String> text = n.text();
            if (text.isPresent()
                    && !text.get().isEmpty()
                    && !PartnerReader.FINGERPRINT.matcher(text.get()).matches()) {
                n.error(
                        "certificate fingerprint is not valid (expected: 32 hex pairs separated by colons)",
                        "paste the output of `openssl x509 -noout -fingerprint -sha256 -in admin.pem`");
                return Optional.empty();
            }
            return text;
        });
        Optional<Set<Domain>> domains =
                root.field("domains").map(AdminReader::domains).orElse(Optional.of(EnumSet.allOf(Domain.class)));
        Optional<YamlNode> departmentsNode = root.field("departments");
        Optional<Set<Department>> departments =
                departmentsNode.map(AdminReader::departments).orElse(Optional.of(Set.of()));
        if (departmentsNode.isPresent() && role.isPresent() && role.get() != Administrator.Role.STATISTICS) {
            departmentsNode
                    .get()
                    .error(
                            "'departments' limits a statistics reader, and this administrator has role "
                                    + role.get().code()
                                    + " (an administrator or auditor sees every department of its domains)",
                            "write role: statistics for a reader of the figures only, or remove departments:");
            return;
        }
        if (id.isEmpty()
                || name.isEmpty()
                || role.isEmpty()
                || sha256.isEmpty()
                || domains.isEmpty()
                || departments.isEmpty()) {
            return;
        }
        Path fileName = root.file().getFileName();
        if (!fileName.toString().equals(id.get() + ".yaml")) {
            root.field("id")
                    .orElseThrow()
                    .error(
                            "administrator id '" + id.get() + "' does not match the file name '" + fileName + "'",
                            "rename the file to " + id.get() + ".yaml, or correct the id");
            return;
        }
        if (sha256.get().isEmpty()) {
            root.field("certificate")
                    .orElseThrow()
                    .warning(
                            "administrator " + id.get() + " has no pinned certificate:"
                                    + " it cannot use the admin API",
                            "run `gateway pki init`, or paste its certificate's fingerprint");
            return;
        }
        try {
            administrators.put(
                    id.get(),
                    new Administrator(
                            id.get(),
                            name.get(),
                            role.get(),
                            sha256.get().toUpperCase(Locale.ROOT),
                            domains.get(),
                            departments.get()));
        } catch (IllegalArgumentException e) {
            root.field("id").orElseThrow().error(e.getMessage(), "rename it, for instance exploitation");
        }
    }

    /** The domains of {@code domains: [...]}: every code known, at least one; empty after reporting a problem. */
    private static Optional<Set<Domain>> domains(YamlNode node) {
        Optional<List<YamlNode.Located>> codes = node.texts("domains: [victim-support]");
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        if (node.value().isEmpty()) {
            node.error(
                    "'domains' is empty: this administrator could see nothing (expected one or more of: "
                            + Domain.codes() + ")",
                    "list its domains, such as domains: [victim-support], or remove the key" + " for every domain");
            return Optional.empty();
        }
        Set<Domain> domains = EnumSet.noneOf(Domain.class);
        // An item that is not a single value was reported and skipped: the list is then refused as a whole.
        boolean valid = codes.get().size() == node.value().size();
        for (YamlNode.Located code : codes.get()) {
            Optional<Domain> domain = Domain.find(code.text());
            if (domain.isEmpty()) {
                code.node()
                        .error(
                                "domain '" + code.text().replaceAll("\\p{Cntrl}", "?") + "' is unknown (expected one"
                                        + " of: " + Domain.codes() + ")",
                                Suggest.didYouMean(code.text(), DOMAINS, "write one of the domains listed"));
                valid = false;
            }
            domain.ifPresent(domains::add);
        }
        return valid ? Optional.of(domains) : Optional.empty();
    }

    /** The departments of {@code departments: ["75"]}: valid INSEE codes, at least one; empty after a problem. */
    private static Optional<Set<Department>> departments(YamlNode node) {
        Optional<List<YamlNode.Located>> codes = node.texts("departments: [\"75\", \"92\"]");
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        if (node.value().isEmpty()) {
            node.error(
                    "'departments' is empty: this statistics reader could read no figure",
                    "list its departments, such as departments: [\"75\"], or remove the key for every department"
                            + " (a national reader)");
            return Optional.empty();
        }
        Set<Department> departments = new TreeSet<>();
        boolean valid = codes.get().size() == node.value().size();
        for (YamlNode.Located code : codes.get()) {
            try {
                departments.add(Department.of(code.text()));
            } catch (GatewayException e) {
                code.node()
                        .error(
                                e.getMessage(),
                                "write the department's INSEE code in quotes, such as \"75\", \"2A\" or \"974\"");
                valid = false;
            }
        }
        return valid ? Optional.of(departments) : Optional.empty();
    }
}
