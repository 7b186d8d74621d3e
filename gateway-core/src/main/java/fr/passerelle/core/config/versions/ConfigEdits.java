package fr.passerelle.core.config.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's changes as edits of a file set: each returns the next set, which {@link VersionedConfig} then
 * checks like any other. A file the API writes is plain YAML from the JSON it received, under a one-line header;
 * comments of the file it replaces are not kept (disabling a partner keeps them: it edits one line). What the
 * JSON holds is checked by the loader, with the line of the written file; only its shape is checked here.
 */
public final class ConfigEdits {
    /** The first line of a file written by the admin API. */
    public static final String HEADER = "# Écrit par l'API d'administration de la passerelle : les commentaires du"
            + " fichier précédent ne sont pas conservés.\n";

    /** How long a replaced partner certificate stays accepted by default, and at most. */
    public static final long DEFAULT_OVERLAP_HOURS = 7 * 24;

    public static final long MAX_OVERLAP_HOURS = 90 * 24;

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();
    private static final Pattern ENABLED = Pattern.compile("(?m)^enabled:[^\\n#]*");
    private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private ConfigEdits() {}

    public static String partnerFile(PartnerId id) {
        return "partners/" + id + ".yaml";
    }

    public static String certificateFile(PartnerId id) {
        return "partners/" + id + ".pem";
    }

    /**
     * Creates or replaces a partner's entry from a JSON object with the keys of its YAML file. A
     * {@code certificate.pem} (the partner's certificate, PEM) goes to {@code partners/<id>.pem}, and its
     * fingerprint is pinned when {@code certificate.sha256} is absent; without it, a certificate file already
     * there stays.
     *
     * @throws GatewayException {@code request_invalid} when the body is not an object, or names another id
     */
    public static FileSet putPartner(FileSet files, PartnerId id, JsonNode body) {
        if (!body.isObject()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the body must be a JSON object with the keys of a"
                            + " partner file (id, name, departments, may_send, inbound, outbound, certificate, ...)");
        }
        ObjectNode entry = ((ObjectNode) body).deepCopy();
        JsonNode named = entry.path("id");
        if (!named.isMissingNode() && !named.asText().equals(id.value())) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "the body's id is not the path's (expected: " + id + ", or no id)");
        }
        ObjectNode withId = JsonNodeFactory.instance.objectNode().put("id", id.value());
        entry.remove("id");
        withId.setAll(entry);
        FileSet next = files;
        JsonNode certificate = withId.path("certificate");
        if (certificate.isObject() && certificate.has("pem")) {
            String pem = certificate.path("pem").asText();
            ((ObjectNode) certificate).remove("pem");
            if (!certificate.has("sha256")) {
                fingerprint(pem).ifPresent(f -> ((ObjectNode) certificate).put("sha256", f));
            }
            next = next.with(certificateFile(id), pem);
        }
        return next.with(partnerFile(id), yaml(withId));
    }

    /**
     * Sets {@code enabled: false} in a partner's entry, keeping every other line.
     *
     * @throws GatewayException {@code not_found} when there is no such partner
     */
    public static FileSet disablePartner(FileSet files, PartnerId id) {
        String text = existing(files, id);
        Matcher enabled = ENABLED.matcher(text);
        String next = enabled.find()
                ? enabled.replaceFirst("enabled: false")
                : text + (text.endsWith("\n") ? "" : "\n") + "enabled: false\n";
        return files.with(partnerFile(id), next);
    }

    /**
     * Rotates a partner's certificate: the new one is pinned, and the one pinned so far stays accepted to
     * authenticate until {@code until} ({@code certificate.previous}); previous certificates whose overlap has
     * ended by {@code now} are dropped.
     *
     * @param pem    the new certificate (PEM), which becomes {@code partners/<id>.pem}; or empty with {@code sha256}
     *               given, and then the old certificate file is removed (the gateway can no longer seal for the
     *               partner until one is installed: the checks say so when a route reaches it)
     * @param sha256 the new fingerprint, when no PEM is given
     * @throws GatewayException {@code not_found} when there is no such partner; {@code request_invalid} when
     *                          neither a PEM nor a fingerprint is given, or the PEM cannot be read
     */
    public static FileSet rotateCertificate(
            FileSet files, PartnerId id, Optional<String> pem, Optional<String> sha256, Instant until, Instant now) {
        ObjectNode entry = tree(partnerFile(id), existing(files, id));
        String pin = pem.map(p -> fingerprint(p)
                        .orElseThrow(() -> new GatewayException(
                                ErrorCode.REQUEST_INVALID,
                                "the new certificate of " + id
                                        + " is not a PEM certificate (expected: 'BEGIN CERTIFICATE')")))
                .or(() -> sha256.map(s -> s.strip().toUpperCase(java.util.Locale.ROOT)))
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "give the new certificate as" + " 'pem', or its fingerprint as 'sha256'"));
        JsonNode existingCertificate = entry.path("certificate");
        ObjectNode certificate =
                existingCertificate.isObject() ? (ObjectNode) existingCertificate : entry.putObject("certificate");
        String old = certificate.path("sha256").asText("").strip().toUpperCase(java.util.Locale.ROOT);
        ArrayNode previous = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : certificate.path("previous")) {
            boolean current =
                    parse(item.path("until").asText("")).filter(now::isBefore).isPresent();
            if (current && !item.path("sha256").asText("").equalsIgnoreCase(pin)) {
                previous.add(item);
            }
        }
        if (!old.isEmpty() && !old.equals(pin)) {
            previous.addObject().put("sha256", old).put("until", until.toString());
        }
        certificate.put("sha256", pin);
        certificate.remove("previous");
        if (!previous.isEmpty()) {
            certificate.set("previous", previous);
        }
        FileSet next =
                pem.isPresent() ? files.with(certificateFile(id), pem.get()) : files.without(certificateFile(id));
        return next.with(partnerFile(id), yaml(entry));
    }

    /**
     * Creates or replaces the route {@code id} in routes.yaml (a new route goes last).
     *
     * @throws GatewayException {@code request_invalid} when the body is not an object or names another id
     */
    public static FileSet putRoute(FileSet files, String id, JsonNode body) {
        checkRouteId(id);
        if (!body.isObject()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the body must be a JSON object with the keys of a"
                            + " route (id, type, from, departments, subject, legal_obligation, when, to, fields)");
        }
        JsonNode named = body.path("id");
        if (!named.isMissingNode() && !named.asText().equals(id)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "the body's id is not the path's (expected: " + id + ", or no id)");
        }
        ObjectNode route = JsonNodeFactory.instance.objectNode().put("id", id);
        ObjectNode rest = ((ObjectNode) body).deepCopy();
        rest.remove("id");
        route.setAll(rest);
        ObjectNode root = routesTree(files);
        ArrayNode routes = routes(root);
        int index = indexOf(routes, id);
        if (index < 0) {
            routes.add(route);
        } else {
            routes.set(index, route);
        }
        return files.with("routes.yaml", yaml(root));
    }

    /**
     * Removes the route {@code id} from routes.yaml.
     *
     * @throws GatewayException {@code not_found} when there is no such route
     */
    public static FileSet deleteRoute(FileSet files, String id) {
        checkRouteId(id);
        ObjectNode root = routesTree(files);
        ArrayNode routes = routes(root);
        int index = indexOf(routes, id);
        if (index < 0) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "no route '" + id + "' in routes.yaml");
        }
        routes.remove(index);
        return files.with("routes.yaml", yaml(root));
    }

    /** A YAML text as a JSON tree, for the admin API's reads. */
    public static ObjectNode tree(String name, String text) {
        try {
            JsonNode node = YAML.readTree(text);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // Reported below, without the parser's snippet of the file.
        }
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID, name + " is not a YAML mapping: fix it with `gateway" + " config apply`");
    }

    private static String existing(FileSet files, PartnerId id) {
        return files.text(partnerFile(id))
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND, "no partner " + id + " in the current configuration version"));
    }

    private static ObjectNode routesTree(FileSet files) {
        return files.text("routes.yaml")
                .map(text -> tree("routes.yaml", text))
                .orElseGet(JsonNodeFactory.instance::objectNode);
    }

    private static ArrayNode routes(ObjectNode root) {
        JsonNode routes = root.path("routes");
        return routes.isArray() ? (ArrayNode) routes : root.putArray("routes");
    }

    private static int indexOf(ArrayNode routes, String id) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i).path("id").asText("").equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkRouteId(String id) {
        if (!ROUTE_ID.matcher(id).matches()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "route id is not valid (expected: lowercase"
                            + " letters, digits and dashes, such as orientation-976)");
        }
    }

    private static Optional<String> fingerprint(String pem) {
        try {
            return Optional.of(Fingerprints.sha256(
                    PemFiles.parseCertificates(Path.of("certificate.pem"), pem.getBytes(StandardCharsets.US_ASCII))
                            .get(0)));
        } catch (GatewayException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parse(String instant) {
        try {
            return Optional.of(Instant.parse(instant));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String yaml(ObjectNode tree) {
        try {
            return HEADER + YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot write a configuration file as YAML", e);
        }
    }
}
