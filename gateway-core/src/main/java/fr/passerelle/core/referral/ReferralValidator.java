package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.input.JsonValues;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks canonical documents against their JSON Schema ({@code <type>.schema.json}, draft 2020-12, formats
 * {@code date}, {@code date-time}, {@code email} and {@code uuid} asserted) and the instruction's rules.
 *
 * <p>The schemas, one per referral type, are read and compiled once, at construction; a validator is immutable and
 * safe to share between threads. Every refusal is a {@link GatewayException} whose message and
 * {@link GatewayException#details()} name JSON paths and expectations, never a value taken from the document.
 */
public final class ReferralValidator {
    /** Where the core jar packs {@code config/schemas/}. */
    static final String CLASSPATH_SCHEMAS = "passerelle/config/schemas/";
    /** Where the submission day is counted when the caller does not give it: the instruction's own time zone. */
    public static final ZoneId SUBMISSION_ZONE = Department.PARIS;

    private static final String SUBMITTABLE = Arrays.stream(ReferralType.values())
            .filter(type -> type != ReferralType.REFERRAL_RECEIPT)
            .map(ReferralType::code)
            .collect(Collectors.joining(", "));

    private final SchemaSet schemas;

    private ReferralValidator(SchemaSet schemas) {
        this.schemas = schemas;
    }

    /**
     * Reads {@code <type>.schema.json} for every {@link ReferralType} from {@code schemasDir}.
     *
     * @throws GatewayException {@code config_invalid} naming the directory or the file that is missing,
     *                          unreadable, not JSON, not a schema of its type, or does not compile
     */
    public static ReferralValidator fromDirectory(Path schemasDir) {
        Objects.requireNonNull(schemasDir, "schemasDir");
        if (!Files.isDirectory(schemasDir)) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "schemas directory " + schemasDir
                            + " does not exist (expected one <type>.schema.json per referral type)");
        }
        return new ReferralValidator(SchemaSet.load(new SchemaSet.Source() {
            @Override
            public Optional<InputStream> open(String fileName) throws java.io.IOException {
                Path file = schemasDir.resolve(fileName);
                return Files.exists(file) ? Optional.of(Files.newInputStream(file)) : Optional.empty();
            }

            @Override
            public String describe(String fileName) {
                return schemasDir.resolve(fileName).toString();
            }
        }));
    }

    /**
     * Reads the schemas shipped in the core jar, under {@code passerelle/config/schemas/} on the classpath.
     *
     * @throws GatewayException {@code config_invalid} naming the resource that is missing or not a valid schema
     */
    public static ReferralValidator fromClasspath() {
        ClassLoader loader = ReferralValidator.class.getClassLoader();
        return new ReferralValidator(SchemaSet.load(new SchemaSet.Source() {
            @Override
            public Optional<InputStream> open(String fileName) {
                return Optional.ofNullable(loader.getResourceAsStream(CLASSPATH_SCHEMAS + fileName));
            }

            @Override
            public String describe(String fileName) {
                return "classpath:" + CLASSPATH_SCHEMAS + fileName;
            }
        }));
    }

    /**
     * Checks a canonical referral submitted to {@code POST /v1/referrals}, in this order: a JSON object, a known
     * {@code type} that is not a receipt, a valid {@code department}, the type's schema, the instruction's rules.
     * The rules that depend on the day (a minor's age, the end of a reflection period) count from today in
     * {@link #SUBMISSION_ZONE}; a caller with its own clock uses {@link #validate(JsonNode, LocalDate)}.
     *
     * @param document the canonical document, as an inbound adapter produced it; the returned referral's body is
     *                 this very object, which the caller must not mutate afterwards
     * @return the referral with its routing metadata
     * @throws GatewayException {@code request_invalid} (not an object, or a number out of the range of a double),
     *                          {@code schema_violation} (no type, a string holding a character XML 1.0 cannot
     *                          carry, or the schema does not match: one detail per problem), {@code type_unknown},
     *                          {@code type_not_allowed} (a receipt), {@code department_invalid},
     *                          {@code rule_violation} (message: the first broken rule; details: all of them)
     */
    public Referral validate(JsonNode document) {
        return validate(document, LocalDate.now(SUBMISSION_ZONE));
    }

    /**
     * As {@link #validate(JsonNode)}, judging the rules that depend on the day against {@code today}: a
     * {@code removal.objective} about a person born less than 18 years before it, or whose reflection period ends
     * on it or later, is refused.
     *
     * @param today the submission day, in the caller's clock (the gateway's, or a test's)
     */
    public Referral validate(JsonNode document, LocalDate today) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(today, "today");
        if (!document.isObject()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the body must be a JSON object holding a" + " canonical referral with its type (got "
                            + describe(document.getNodeType()) + ")");
        }
        checkValues(document);
        JsonNode typeNode = document.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new GatewayException(
                    ErrorCode.SCHEMA_VIOLATION,
                    "type is required: a string naming the referral type (expected one of: " + SUBMITTABLE + ")");
        }
        ReferralType type = ReferralType.fromCode(typeNode.textValue());
        if (type == ReferralType.REFERRAL_RECEIPT) {
            throw new GatewayException(
                    ErrorCode.TYPE_NOT_ALLOWED,
                    "a referral.receipt is not a referral: send"
                            + " receipts to POST /v1/referrals/{id}/receipts (expected one of: " + SUBMITTABLE + ")");
        }
        // Before the schema, so that 975, 20 or 2a get Department's explanation rather than a bare pattern.
        JsonNode department = document.get("department");
        if (department != null && department.isTextual()) {
            Department.of(department.textValue());
        }
        JsonNode residence = document.path("subject").path("residenceDepartment");
        if (residence.isTextual()) {
            try {
                Department.of(residence.textValue());
            } catch (GatewayException e) {
                throw new GatewayException(
                        ErrorCode.DEPARTMENT_INVALID,
                        "subject.residenceDepartment: " + e.getMessage()
                                + "; leave it out when the person lives in the referral's department",
                        e);
            }
        }
        SchemaProblems problems = schemas.problems(type, document);
        if (!problems.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.SCHEMA_VIOLATION,
                    "the " + type + " document does not match its schema " + problems.summary(),
                    problems.lines());
        }
        List<String> broken = Rules.broken(type, document, today);
        if (!broken.isEmpty()) {
            throw new GatewayException(ErrorCode.RULE_VIOLATION, broken.get(0), broken);
        }
        return new Referral(
                type,
                Department.of(department.textValue()),
                Urgency.fromCode(document.get("urgency").textValue()),
                (ObjectNode) document);
    }

    /**
     * Checks a receipt submitted to {@code POST /v1/referrals/{id}/receipts} against
     * {@code referral.receipt.schema.json}: a status, and a reason code when, and only when, it is declined.
     *
     * @throws GatewayException {@code receipt_invalid} for every problem, with one detail per schema problem
     */
    public ReceiptRequest validateReceipt(JsonNode body) {
        Objects.requireNonNull(body, "body");
        if (!body.isObject()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "the receipt must be a JSON object such as"
                            + " {\"status\":\"declined\",\"reason\":\"no-capacity\"} (got "
                            + describe(body.getNodeType()) + ")");
        }
        JsonValues.firstNonFiniteNumber(body).ifPresent(path -> {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "the receipt holds a number out of range at " + path
                            + " (expected: a number within the range of a double)");
        });
        SchemaProblems problems = schemas.problems(ReferralType.REFERRAL_RECEIPT, body);
        if (!problems.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "the receipt does not match its schema " + problems.summary(),
                    problems.lines());
        }
        ReceiptStatus status = ReceiptStatus.fromCode(body.get("status").textValue());
        Optional<DeclineReason> reason =
                Optional.ofNullable(body.get("reason")).map(JsonNode::textValue).map(DeclineReason::fromCode);
        return new ReceiptRequest(status, reason);
    }

    /**
     * Every property path the type's schema declares, dotted and sorted: {@code subject},
     * {@code subject.contact.phone}, {@code household.children}, {@code household.children.age}. Array items add
     * no segment. The configuration check uses it to refuse a route field that does not exist.
     */
    public Set<String> fieldPaths(ReferralType type) {
        return schemas.fieldPaths(Objects.requireNonNull(type, "type"));
    }

    /**
     * Before the schema, whose validator fails on an infinite number rather than reporting it, and before
     * anything is stored: every recipient may be an XML format, so every string must be text XML can carry.
     */
    private static void checkValues(JsonNode document) {
        JsonValues.firstNonFiniteNumber(document).ifPresent(path -> {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the document holds a number out of range at " + path
                            + " (expected: a number within the range of a double)");
        });
        JsonValues.firstNonXmlText(document).ifPresent(path -> {
            throw new GatewayException(
                    ErrorCode.SCHEMA_VIOLATION,
                    "the document holds a character XML cannot carry" + " at " + path + " (expected: "
                            + JsonValues.XML_TEXT + ")",
                    List.of(path + ": " + JsonValues.XML_TEXT));
        });
    }

    private static String describe(JsonNodeType nodeType) {
        return switch (nodeType) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            default -> "a " + nodeType.name().toLowerCase(Locale.ROOT);
        };
    }
}
