package fr.passerelle.core.config;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Approval;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.config.model.QuotaOverrides;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Reads the partner registry, one {@code partners/<id>.yaml} per partner, and checks it as a whole. */
final class PartnerReader {
    static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");
    static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final ConfigSchema SCHEMA = ConfigSchema.named("partner");
    private static final List<String> KIND_CODES =
            Arrays.stream(PartnerKind.values()).map(PartnerKind::code).toList();
    private static final List<String> TYPE_CODES =
            Arrays.stream(ReferralType.values()).map(ReferralType::code).toList();

    private final ConfigChecks checks;
    private final LocalDate today;
    private final Problems problems;
    private final Map<PartnerId, Partner> partners = new TreeMap<>();
    private final Map<PartnerId, Path> files = new TreeMap<>();
    private final Map<String, PartnerId> fingerprints = new TreeMap<>();
    private final Set<PartnerId> withoutCertificateFile = new TreeSet<>();
    private final PartnerCertificates certificates;
    private final Map<PartnerId, YamlNode> transports = new TreeMap<>();
    private final ConfigFiles source;
    private final java.time.Instant now;

    PartnerReader(
            ConfigChecks checks,
            java.time.Clock clock,
            PartnerCertificates certificates,
            ConfigFiles source,
            Problems problems) {
        this.source = source;
        this.now = clock.instant();
        this.checks = checks;
        this.today = LocalDate.now(clock);
        this.certificates = certificates;
        this.problems = problems;
    }

    Map<PartnerId, Partner> partners() {
        return partners;
    }

    /** Every id a partner file declares, including partners whose entry has errors. */
    Set<PartnerId> declared() {
        return files.keySet();
    }

    void read(YamlFile file) {
        YamlNode unchecked = YamlNode.root(file, problems);
        if (!unchecked.requireObject("keys such as id:, name:, departments:")) {
            return;
        }
        // Keys, types, ranges and choices are the schema's; a required key it reports missing reads as empty here.
        YamlNode root = unchecked.checkedAgainst(SCHEMA);
        Optional<PartnerId> id = root.field("id").flatMap(this::id);
        Optional<String> name = root.field("name").flatMap(PartnerReader::name);
        Optional<Set<Department>> departments = root.field("departments").flatMap(PartnerReader::departments);
        Optional<Set<ReferralType>> maySend = root.field("may_send").flatMap(n -> maySend(n, id.map(PartnerId::kind)));
        Optional<Set<ReferralType>> receives = root.field("receives")
                .map(n -> receives(n, id.map(PartnerId::kind)))
                .orElse(Optional.of(Set.of()));
        Optional<String> inbound =
                root.field("inbound").flatMap(n -> adapter(n, "inbound", checks.inboundAdapterExists()::test));
        Optional<String> outbound =
                root.field("outbound").flatMap(n -> adapter(n, "outbound", checks.outboundAdapterExists()::test));
        boolean enabled = root.field("enabled").flatMap(YamlNode::bool).orElse(true);
        Optional<List<Approval>> approvals = approvals(root, id.map(PartnerId::kind), departments);
        Optional<Boolean> signed = Optional.of(root.field("signed_submissions")
                .flatMap(YamlNode::text)
                .filter("required"::equals)
                .isPresent());
        Optional<PartnerDelivery> delivery =
                root.field("delivery").map(this::delivery).orElse(Optional.of(PartnerDelivery.inbox()));
        Optional<QuotaOverrides> quotas = root.field("limits")
                .map(n -> QuotaReader.block(n, "per partner"))
                .orElse(Optional.of(QuotaOverrides.none()));
        Optional<YamlNode> pinned = pinned(root);
        Optional<String> fingerprint = pinned.flatMap(
                        n -> fingerprint(
                                n,
                                "'certificate.sha256' is not a SHA-256"
                                        + " fingerprint (expected: 32 hex pairs separated by colons, such as 3F:A0:…:9A)",
                                "copy it from"
                                        + " `openssl x509 -noout -fingerprint -sha256 -in partner.pem`, or run `gateway pki init`"))
                .filter(f -> id.isEmpty() || claim(f, id.get(), "", pinned.get()::error));
        // A pin that is written but refused (reported) leaves the partner out; one that is not written is adopted.
        boolean pinValid = pinned.isEmpty() || fingerprint.isPresent();
        Optional<List<Partner.PreviousCertificate>> previous = previous(root, id, fingerprint);
        Optional<X509Certificate> certificate = Optional.empty();
        if (id.isPresent() && pinValid) {
            Path pem = pemOf(root.file());
            String pemName = "partners/" + pem.getFileName();
            if (source.exists(pemName)) {
                Optional<String> pin = fingerprint;
                PartnerCertificates.Checked checked = read(pem, pemName)
                        .map(bytes -> certificates.check(id.get(), pem, bytes, pin))
                        .orElse(new PartnerCertificates.Checked(Optional.empty(), Optional.empty()));
                certificate = checked.certificate();
                if (fingerprint.isEmpty() && checked.pin().isPresent()) {
                    fingerprint = checked.pin()
                            .filter(f -> claim(
                                    f,
                                    id.get(),
                                    " of partners/" + pem.getFileName(),
                                    (message, fix) -> problems.error(pem, 0, message, fix)));
                    pinValid = fingerprint.isPresent();
                }
            } else {
                withoutCertificateFile.add(id.get());
                if (fingerprint.isEmpty() && enabled) {
                    Optional<YamlNode> section = root.field("certificate");
                    section.flatMap(c -> c.field("sha256"))
                            .or(() -> section)
                            .orElse(root)
                            .warning(
                                    "partner " + id.get()
                                            + " has no pinned certificate fingerprint: it cannot authenticate until pinned",
                                    "run `gateway pki issue " + id.get()
                                            + " --out DIR`, or paste the SHA-256 fingerprint of its"
                                            + " certificate (AA:BB:...)");
                }
            }
        }
        Optional<EnvelopeFormat> envelope = envelope(root, id, delivery, certificate);
        if (id.isEmpty()
                || name.isEmpty()
                || departments.isEmpty()
                || maySend.isEmpty()
                || inbound.isEmpty()
                || outbound.isEmpty()
                || approvals.isEmpty()
                || !pinValid
                || signed.isEmpty()
                || envelope.isEmpty()
                || delivery.isEmpty()
                || previous.isEmpty()
                || quotas.isEmpty()
                || receives.isEmpty()) {
            return;
        }
        partners.put(
                id.get(),
                new Partner(
                        id.get(),
                        name.get(),
                        departments.get(),
                        approvals.get(),
                        fingerprint,
                        maySend.get(),
                        inbound.get(),
                        outbound.get(),
                        enabled,
                        certificate,
                        signed.get(),
                        envelope.get(),
                        delivery.get(),
                        previous.get(),
                        quotas.get(),
                        receives.get()));
        delivery.filter(PartnerDelivery::pushed)
                .ifPresent(d -> transports.put(id.get(), root.field("delivery").orElseThrow()));
    }

    /**
     * {@code envelope:}, or its default: {@code compatible} for a mail partner whose certificate is RSA (what every
     * mail client opens), {@code aes-256-gcm} otherwise, with a warning for a mail partner whose certificate is EC
     * (Thunderbird and Outlook cannot open what is sealed for it). {@code compatible} with an EC certificate is an
     * error: it needs RSA key transport.
     */
    private Optional<EnvelopeFormat> envelope(
            YamlNode root,
            Optional<PartnerId> id,
            Optional<PartnerDelivery> delivery,
            Optional<X509Certificate> certificate) {
        boolean mail = delivery.filter(PartnerDelivery::pushed)
                .flatMap(d -> checks.transport().apply(d.transport()))
                .filter(t -> t.packaging() == TransportProvider.Packaging.SMIME)
                .isPresent();
        Optional<Boolean> rsa = certificate.map(c -> c.getPublicKey() instanceof java.security.interfaces.RSAPublicKey);
        String issue = "gateway pki issue " + id.map(PartnerId::value).orElse("ID") + " --key rsa";
        Optional<YamlNode> node = root.field("envelope");
        if (node.isPresent()) {
            Optional<EnvelopeFormat> format = node.flatMap(YamlNode::text).map(EnvelopeFormat::fromCode);
            if (format.filter(EnvelopeFormat.COMPATIBLE::equals).isPresent() && rsa.isPresent() && !rsa.get()) {
                node.get()
                        .error(
                                "envelope compatible needs an RSA certificate, and this partner's is EC",
                                "issue it an RSA certificate (" + issue + "), or write envelope: modern if its"
                                        + " client opens AuthEnvelopedData");
                return Optional.empty();
            }
            return format;
        }
        if (mail && rsa.orElse(false)) {
            return Optional.of(EnvelopeFormat.COMPATIBLE);
        }
        if (mail && rsa.isPresent()) {
            root.field("delivery")
                    .orElse(root)
                    .warning(
                            "partner " + id.map(PartnerId::value).orElse("") + " receives mail under an EC"
                                    + " certificate: Thunderbird and Outlook cannot open what is sealed for it"
                                    + " (docs/MAIL.md)",
                            "issue it an RSA certificate (" + issue + "): its mail becomes compatible; or write"
                                    + " envelope: modern if its client is known to open AuthEnvelopedData");
        }
        return Optional.of(EnvelopeFormat.AES_256_GCM);
    }

    private Optional<byte[]> read(Path pem, String name) {
        try {
            return Optional.of(source.bytes(name));
        } catch (java.io.IOException e) {
            problems.error(
                    pem,
                    0,
                    "file cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the gateway's user may read it");
            return Optional.empty();
        }
    }

    /** The {@code delivery:} section: the transport's id, and its options as its provider checks them. */
    private Optional<PartnerDelivery> delivery(YamlNode section) {
        if (!section.value().isObject()) {
            return Optional.empty();
        }
        Optional<String> transport = section.field("transport").flatMap(YamlNode::text);
        Optional<Map<String, String>> options = TransportOptions.read(section, PartnerDelivery.OWN_KEYS);
        Optional<Integer> maxAttempts =
                section.field("max_attempts").map(n -> n.value().asInt());
        Optional<Integer> maxAgeHours =
                section.field("max_age_hours").map(n -> n.value().asInt());
        if (transport.isEmpty() || options.isEmpty()) {
            return Optional.empty();
        }
        if (transport.get().equals(TransportProvider.INBOX)) {
            if (!options.get().isEmpty() || maxAttempts.isPresent() || maxAgeHours.isPresent()) {
                java.util.List<String> found =
                        new java.util.ArrayList<>(options.get().keySet());
                maxAttempts.ifPresent(n -> found.add("max_attempts"));
                maxAgeHours.ifPresent(n -> found.add("max_age_hours"));
                section.error(
                        "transport inbox takes no options, found: " + String.join(", ", found),
                        "remove them: the partner pulls its referrals with GET /v1/inbox");
                return Optional.empty();
            }
            return Optional.of(PartnerDelivery.inbox());
        }
        Optional<TransportProvider> provider = checks.transport().apply(transport.get());
        if (provider.isEmpty()) {
            section.field("transport")
                    .orElseThrow()
                    .error(
                            "unknown transport '" + transport.get() + "'",
                            "write one of the transports this gateway has (inbox, https, mail), or add its provider");
            return Optional.empty();
        }
        if (!TransportOptions.report(section, provider.get().checkPartner(options.get()), provider.get())) {
            return Optional.empty();
        }
        return Optional.of(new PartnerDelivery(
                transport.get(), options.get(), maxAttempts, maxAgeHours.map(h -> java.time.Duration.ofHours(h))));
    }

    /** The {@code delivery:} sections of the partners that a transport pushes to, by partner. */
    Map<PartnerId, YamlNode> pushedDeliveries() {
        return transports;
    }

    /**
     * Requires a certificate file of every enabled partner that a route can reach, that a deadline or the
     * protection register tells (its notices are sealed for it too), or that must sign what it submits: without one
     * the gateway cannot seal for it. Others without one are warned about. Call once the routes are read.
     *
     * @param routes the routing table, empty when it could not be read
     * @param told   the duty partners of the deadlines and the protection register's referents
     */
    void requireCertificates(List<Route> routes, List<Recipient> told) {
        for (PartnerId id : withoutCertificateFile) {
            Partner partner = partners.get(id);
            if (partner == null || !partner.enabled()) {
                continue;
            }
            Path yaml = files.get(id);
            String pem = "partners/" + pemOf(yaml).getFileName();
            if (routes.stream().anyMatch(route -> reaches(route, partner))
                    || told.stream().anyMatch(recipient -> names(recipient, partner))) {
                problems.error(yaml, 0, "cannot seal for " + id + ": no certificate at " + pem, issueOrCopy(id));
            } else if (partner.signedSubmissionsRequired()) {
                problems.error(
                        yaml,
                        0,
                        "cannot verify the signed submissions of " + id + ": no certificate at " + pem,
                        issueOrCopy(id));
            } else {
                problems.warning(
                        yaml,
                        0,
                        "partner " + id + " has no certificate at " + pem + ": no route reaches it"
                                + " yet, but none could be sealed for it",
                        issueOrCopy(id));
            }
        }
    }

    private static String issueOrCopy(PartnerId id) {
        return "run `gateway pki issue " + id + " --out DIR` (or import its own with `gateway pki import`), or copy"
                + " its certificate there";
    }

    /**
     * Whether {@code route} can deliver to {@code partner}: names it, or names its kind where it serves (a national
     * partner only by name).
     */
    static boolean reaches(Route route, Partner partner) {
        return route.to().stream().anyMatch(recipient -> {
            if (recipient instanceof Recipient.Named named) {
                return named.partner().equals(partner.id());
            }
            Recipient.ByKind byKind = (Recipient.ByKind) recipient;
            return byKind.kind() == partner.kind()
                    && byKind.approval()
                            .map(code -> partner.approvals().stream()
                                    .anyMatch(a -> a.code().equals(code)))
                            .orElse(true)
                    && !partner.departments().isEmpty()
                    && (route.departments().isEmpty()
                            || route.departments().stream().anyMatch(partner::reachableByKindIn));
        });
    }

    /** Whether a duty partner or a referent {@code recipient} is {@code partner}, or names its kind. */
    private static boolean names(Recipient recipient, Partner partner) {
        return recipient instanceof Recipient.Named named
                ? named.partner().equals(partner.id())
                : ((Recipient.ByKind) recipient).kind() == partner.kind()
                        && !partner.departments().isEmpty();
    }

    /** {@code partners/<id>.pem} beside {@code partners/<id>.yaml}. */
    private static Path pemOf(Path yaml) {
        String name = yaml.getFileName().toString();
        return yaml.resolveSibling(name.substring(0, name.length() - ".yaml".length()) + ".pem");
    }

    /**
     * Pins {@code fingerprint} to partner {@code id}, unless another partner pinned it first: a certificate
     * identifies one partner only. Every pin goes through here: an entry's own, its previous certificates' and the
     * one adopted from its certificate file.
     *
     * @param of     what the message says the fingerprint is of, such as {@code " of partners/siao-75.pem"}
     * @param report where to report a fingerprint already pinned (message, fix)
     * @return whether the fingerprint is now this partner's
     */
    private boolean claim(String fingerprint, PartnerId id, String of, BiConsumer<String, String> report) {
        PartnerId first = fingerprints.putIfAbsent(fingerprint, id);
        if (first != null) {
            report.accept(
                    "certificate fingerprint " + fingerprint + of + " is already pinned for partner " + first
                            + ": a certificate identifies one partner only",
                    "give each partner its own certificate");
            return false;
        }
        return true;
    }

    /** A SHA-256 fingerprint as written, upper-cased; reports with {@code message} a value of another form. */
    private static Optional<String> fingerprint(YamlNode node, String message, String fix) {
        Optional<String> text = node.text().map(String::strip);
        if (text.isPresent() && !FINGERPRINT.matcher(text.get()).matches()) {
            node.error(message, fix);
            return Optional.empty();
        }
        return text.map(t -> t.toUpperCase(Locale.ROOT));
    }

    private Optional<PartnerId> id(YamlNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String value = text.get();
        String prefix = value.contains("-") ? value.substring(0, value.indexOf('-')) : value;
        if (prefix.matches("[a-z]+") && !KIND_CODES.contains(prefix)) {
            node.error(
                    "partner kind '" + prefix + "' of id '" + value + "' is unknown (expected one of: "
                            + PartnerKind.codes() + ")",
                    Suggest.didYouMean(prefix, KIND_CODES, "begin the id with its kind"));
            return Optional.empty();
        }
        PartnerId id;
        try {
            id = PartnerId.of(value);
        } catch (GatewayException e) {
            node.error(e.getMessage(), "rename it, for instance association-75-amarante");
            return Optional.empty();
        }
        String fileName = node.file().getFileName().toString();
        if (!fileName.equals(id + ".yaml")) {
            node.error(
                    "partner id '" + id + "' does not match the file name '" + fileName + "'",
                    "rename the file to " + id + ".yaml, or correct the id");
        }
        Path first = files.putIfAbsent(id, node.file());
        if (first != null) {
            node.error(
                    "partner id '" + id + "' is already declared in " + first.getFileName(),
                    "give each partner its own id");
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private static Optional<String> name(YamlNode node) {
        Optional<String> name = node.text();
        if (name.isPresent() && name.get().isBlank()) {
            node.error("'name' is empty", "write the unit's full name, as recipients should see it");
            return Optional.empty();
        }
        return name;
    }

    static Optional<Set<Department>> departments(YamlNode node) {
        Optional<List<YamlNode.Located>> codes = node.texts("[\"75\", \"974\"]");
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        Set<Department> departments = new LinkedHashSet<>();
        boolean valid = true;
        for (YamlNode.Located code : codes.get()) {
            Optional<Department> department = department(code);
            department.ifPresent(departments::add);
            valid &= department.isPresent();
        }
        return valid ? Optional.of(departments) : Optional.empty();
    }

    static Optional<Department> department(YamlNode.Located code) {
        try {
            return Optional.of(Department.of(code.text()));
        } catch (GatewayException e) {
            code.node().error(e.getMessage(), "write the INSEE code in quotes, such as \"75\", \"2A\" or \"974\"");
            return Optional.empty();
        }
    }

    static Optional<ReferralType> type(YamlNode.Located code) {
        Optional<ReferralType> type = ReferralType.find(code.text());
        if (type.isEmpty()) {
            code.node()
                    .error(
                            "unknown referral type '" + code.text() + "' (expected one of: " + ReferralType.codes()
                                    + ")",
                            Suggest.didYouMean(code.text(), TYPE_CODES, "write one of the types listed"));
        }
        return type;
    }

    static Optional<PartnerKind> kind(YamlNode.Located code) {
        if (!KIND_CODES.contains(code.text())) {
            code.node()
                    .error(
                            "unknown partner kind '" + code.text() + "' (expected one of: " + PartnerKind.codes() + ")",
                            Suggest.didYouMean(code.text(), KIND_CODES, "write one of the kinds listed"));
            return Optional.empty();
        }
        return Optional.of(PartnerKind.fromCode(code.text()));
    }

    private static Optional<Set<ReferralType>> maySend(YamlNode node, Optional<PartnerKind> kind) {
        return types(node, "[victim.orientation, difficulty.report]", (code, type) -> {
            if (type == ReferralType.REFERRAL_RECEIPT) {
                code.node()
                        .warning(
                                "referral.receipt is not submitted as a referral: every recipient may send"
                                        + " receipts for what it received",
                                "remove it from may_send");
            } else if (kind.isPresent() && !Competence.maySend(kind.get(), type)) {
                code.node()
                        .warning(
                                Competence.aKind(kind.get()) + " does not send "
                                        + type.code() + " in DESIGN.md's message table (senders: "
                                        + Competence.senders(type) + ")",
                                "remove it; " + Competence.aKind(kind.get()) + " sends: "
                                        + Competence.sendable(kind.get()));
            }
            return true;
        });
    }

    /** {@code receives:}: types its kind may receive (Competence), each once; empty means every type. */
    private static Optional<Set<ReferralType>> receives(YamlNode node, Optional<PartnerKind> kind) {
        return types(node, "[illegal.work.report, administrative.closure]", (code, type) -> {
            if (kind.isPresent() && !Competence.mayReceive(kind.get(), type)) {
                code.node()
                        .error(
                                Competence.aKind(kind.get()) + " does not receive " + type.code()
                                        + " in DESIGN.md's message table (receivers: "
                                        + Competence.receivers(type) + ")",
                                "remove it from receives");
                return false;
            }
            return true;
        });
    }

    /**
     * A list of type codes, each passed to {@code check} (which reports what it finds and says whether the list
     * stays valid); empty when a code is unknown or refused.
     */
    private static Optional<Set<ReferralType>> types(
            YamlNode node, String example, BiPredicate<YamlNode.Located, ReferralType> check) {
        Optional<List<YamlNode.Located>> codes = node.texts(example);
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        Set<ReferralType> types = EnumSet.noneOf(ReferralType.class);
        boolean valid = true;
        for (YamlNode.Located code : codes.get()) {
            Optional<ReferralType> type = type(code);
            valid &= type.isPresent();
            type.ifPresent(types::add);
            if (type.isPresent()) {
                valid &= check.test(code, type.get());
            }
        }
        return valid ? Optional.of(types) : Optional.empty();
    }

    private static Optional<String> adapter(YamlNode node, String direction, Predicate<String> exists) {
        Optional<String> id = node.text();
        if (id.isPresent() && !exists.test(id.get())) {
            node.error(
                    "no " + direction + " adapter '" + id.get() + "' is available",
                    "use the id of an adapter"
                            + " shipped with the gateway, such as canonical-json, or add the adapter's jar");
            return Optional.empty();
        }
        return id;
    }

    private Optional<List<Approval>> approvals(
            YamlNode root, Optional<PartnerKind> kind, Optional<Set<Department>> served) {
        Optional<YamlNode> node = root.field("approvals");
        if (node.isEmpty()) {
            return Optional.of(List.of());
        }
        Optional<List<YamlNode>> items =
                node.get().items("- {code: exit-pathway, department: \"75\", expires: 2028-06-30}");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (!items.get().isEmpty()
                && kind.filter(k -> k != PartnerKind.ASSOCIATION).isPresent()) {
            node.get()
                    .warning(
                            "only associations hold prefectoral approvals; " + Competence.aKind(kind.get())
                                    + " with approvals is probably a mistake",
                            "remove approvals from this partner");
        }
        List<Optional<Approval>> read =
                items.get().stream().map(item -> approval(item, served)).toList();
        return read.stream().allMatch(Optional::isPresent)
                ? Optional.of(read.stream().map(Optional::get).toList())
                : Optional.empty();
    }

    private Optional<Approval> approval(YamlNode item, Optional<Set<Department>> served) {
        Optional<String> code = item.field("code").flatMap(n -> code(n, "approval code"));
        Optional<Department> department =
                item.field("department").flatMap(n -> n.text().flatMap(t -> department(new YamlNode.Located(n, t))));
        Optional<LocalDate> expires = item.field("expires").flatMap(PartnerReader::date);
        if (code.isEmpty() || department.isEmpty() || expires.isEmpty()) {
            return Optional.empty();
        }
        if (expires.get().isBefore(today)) {
            item.warning(
                    "approval " + code.get() + " for " + department.get() + " expired on " + expires.get()
                            + ": routes that require it no longer reach this partner",
                    "renew the approval and update" + " expires, or remove it");
        }
        if (served.filter(s -> !s.isEmpty() && !s.contains(department.get())).isPresent()) {
            item.warning(
                    "approval " + code.get() + " is for department " + department.get()
                            + ", which this partner does not serve",
                    "add \"" + department.get() + "\" to departments," + " or correct the approval's department");
        }
        return Optional.of(new Approval(code.get(), department.get(), expires.get()));
    }

    static Optional<String> code(YamlNode node, String what) {
        Optional<String> code = node.text();
        if (code.isPresent() && !CODE.matcher(code.get()).matches()) {
            node.error(
                    what + " " + node.name() + " is not valid, found " + node.found() + " (expected: lowercase"
                            + " letters, digits and dashes, such as exit-pathway)",
                    "write it in lowercase with dashes");
            return Optional.empty();
        }
        return code;
    }

    private static Optional<LocalDate> date(YamlNode node) {
        Optional<String> text = node.text();
        try {
            return text.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            node.error(
                    node.name() + " is not a date, found " + node.found() + " (expected: YYYY-MM-DD, such as"
                            + " 2028-06-30)",
                    "write the date as YYYY-MM-DD");
            return Optional.empty();
        }
    }

    /**
     * {@code certificate.previous}: the certificates being replaced, each accepted until its {@code until} (an
     * instant such as 2026-07-01T00:00:00Z). One whose overlap has ended is warned about and left out.
     */
    private Optional<List<Partner.PreviousCertificate>> previous(
            YamlNode root, Optional<PartnerId> id, Optional<String> pin) {
        Optional<YamlNode> node =
                root.field("certificate").filter(c -> c.value().isObject()).flatMap(c -> c.field("previous"));
        if (node.isEmpty()) {
            return Optional.of(List.of());
        }
        String example = "- {sha256: \"AA:BB:...\", until: 2026-07-01T00:00:00Z}";
        Optional<List<YamlNode>> items = node.get().items(example);
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<Partner.PreviousCertificate> previous = new java.util.ArrayList<>();
        boolean valid = true;
        for (YamlNode item : items.get()) {
            Optional<String> sha256 = item.field("sha256")
                    .flatMap(n -> fingerprint(
                            n,
                            "'certificate.previous' holds a value that is not a SHA-256 fingerprint (expected: 32 hex pairs"
                                    + " separated by colons)",
                            "copy it from `openssl x509 -noout -fingerprint -sha256`"));
            Optional<java.time.Instant> until = item.field("until").flatMap(n -> {
                Optional<String> text = n.text();
                try {
                    return text.map(java.time.Instant::parse);
                } catch (DateTimeParseException e) {
                    n.error(
                            "'until' is not an instant, found " + n.found() + " (expected: such as"
                                    + " 2026-07-01T00:00:00Z)",
                            "write the end of the overlap in UTC, ending in Z");
                    return Optional.empty();
                }
            });
            if (sha256.isEmpty() || until.isEmpty()) {
                valid = false;
                continue;
            }
            if (pin.filter(sha256.get()::equals).isPresent()) {
                item.error(
                        "previous certificate " + sha256.get() + " is the pinned one",
                        "remove it from" + " certificate.previous");
                valid = false;
                continue;
            }
            if (!now.isBefore(until.get())) {
                item.warning(
                        "the overlap of previous certificate " + sha256.get() + " ended on " + until.get()
                                + ": it is no longer accepted",
                        "remove it from certificate.previous");
                continue;
            }
            if (id.isPresent() && !claim(sha256.get(), id.get(), "", item::error)) {
                valid = false;
                continue;
            }
            previous.add(new Partner.PreviousCertificate(sha256.get(), until.get()));
        }
        return valid ? Optional.of(List.copyOf(previous)) : Optional.empty();
    }

    /** The entry's {@code certificate.sha256}, when it is written; empty when nothing is pinned. */
    private static Optional<YamlNode> pinned(YamlNode root) {
        return root.field("certificate")
                .flatMap(c -> c.field("sha256"))
                .filter(n -> n.value().isContainerNode() || !n.value().asText().isBlank());
    }
}
