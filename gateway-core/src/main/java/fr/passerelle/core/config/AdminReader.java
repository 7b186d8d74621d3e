package fr.passerelle.core.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads {@code config/admins/<id>.yaml}: who may use the admin API, with which role and certificate. */
final class AdminReader {
    private static final Set<String> KEYS = Set.of("id", "name", "role", "certificate");
    private static final List<String> ROLES = Arrays.stream(Administrator.Role.values())
            .map(Administrator.Role::code).toList();

    private final Problems problems;
    private final Map<String, Administrator> administrators = new TreeMap<>();

    AdminReader(Problems problems) {
        this.problems = problems;
    }

    Map<String, Administrator> administrators() {
        return administrators;
    }

    void read(YamlFile file) {
        YamlNode root = YamlNode.root(file, problems);
        if (!root.requireObject("keys such as id:, name:, role:, certificate:")) {
            return;
        }
        root.allowKeys(KEYS);
        Optional<String> id = root.required("id", "id: admin").flatMap(YamlNode::text);
        Optional<String> name = root.required("name", "name: what this administrator is, such as Exploitation")
                .flatMap(YamlNode::text);
        Optional<Administrator.Role> role = root.required("role", "role: admin (or auditor)").flatMap(n -> {
            Optional<String> text = n.text();
            if (text.isPresent() && !ROLES.contains(text.get())) {
                n.error("role is '" + text.get() + "' (expected one of: " + String.join(", ", ROLES) + ")",
                        "write role: admin, or role: auditor for read-only access");
                return Optional.empty();
            }
            return text.map(t -> Administrator.Role.valueOf(t.toUpperCase(Locale.ROOT)));
        });
        Optional<YamlNode> certificate = root.required("certificate", "certificate: {sha256: \"AA:BB:...\"}");
        Optional<String> sha256 = certificate.flatMap(c -> c.required("sha256", "sha256: \"\"")).flatMap(n -> {
            Optional<String> text = n.text();
            if (text.isPresent() && !text.get().isEmpty() && !PartnerReader.FINGERPRINT.matcher(text.get()).matches()) {
                n.error("certificate fingerprint is not valid (expected: 32 hex pairs separated by colons)",
                        "paste the output of `openssl x509 -noout -fingerprint -sha256 -in admin.pem`");
                return Optional.empty();
            }
            return text;
        });
        if (id.isEmpty() || name.isEmpty() || role.isEmpty() || sha256.isEmpty()) {
            return;
        }
        Path fileName = root.file().getFileName();
        if (!fileName.toString().equals(id.get() + ".yaml")) {
            root.field("id").orElseThrow().error("administrator id '" + id.get() + "' does not match the file name '"
                    + fileName + "'", "rename the file to " + id.get() + ".yaml, or correct the id");
            return;
        }
        if (sha256.get().isEmpty()) {
            root.field("certificate").orElseThrow().warning("administrator " + id.get() + " has no pinned certificate:"
                    + " it cannot use the admin API", "run `gateway pki init`, or paste its certificate's fingerprint");
            return;
        }
        try {
            administrators.put(id.get(), new Administrator(id.get(), name.get(), role.get(),
                    sha256.get().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            root.field("id").orElseThrow().error(e.getMessage(), "rename it, for instance exploitation");
        }
    }
}
