package fr.passerelle.server.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.server.api.admin.ConfigChanges;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The partners' pages, {@code /console/partenaires}: the list, a partner's page, and for role admin the forms that
 * create, edit and disable a partner and rotate its certificate. Every change is the admin API's own edit
 * ({@link ConfigEdits}), checked first like {@code config check}: a refused form comes back (422) with each problem
 * beside its field and nothing stored; a stored one redirects to the page that shows the result.
 */
final class PartnersPages {
    static final String PATH = ConsolePages.PREFIX + "partenaires";
    private static final String READ_ONLY = "Cette passerelle lit sa configuration dans un dossier, sans versions :"
            + " la console montre les partenaires en service et ne peut pas les modifier (utiliser `gateway config"
            + " apply`).";
    private static final String CHECKED = "La vérification de la configuration refuse cette valeur :";
    private static final Map<String, String> DONE = Map.of(
            "cree", "Le partenaire est créé",
            "modifie", "Les modifications du partenaire sont enregistrées",
            "desactive", "Le partenaire est désactivé : il ne peut plus rien déposer ni relever",
            "certificat",
                    "Le nouveau certificat est épinglé ; le précédent reste accepté jusqu'à la fin du chevauchement"
                            + " indiquée dans la section Certificats",
            "inchange", "Rien n'a changé : le formulaire reprenait la configuration en vigueur");

    private final ConsoleServices services;
    private final PartnerEditor.Choices choices;

    PartnersPages(ConsoleServices services, PartnerEditor.Choices choices) {
        this.services = services;
        this.choices = choices;
    }

    /** Adds the partners' pages to {@code table}: reads for role auditor, changes for role admin. */
    static void register(EndpointTable.Builder table, ConsoleServices services) {
        PartnersPages pages = new PartnersPages(services, choices(Adapters.load()));
        table.add(HttpMethod.GET, PATH, Access.AUDITOR, pages::list)
                .add(HttpMethod.POST, PATH, Access.ADMIN, pages::create)
                .add(HttpMethod.GET, PATH + "/nouveau", Access.ADMIN, pages::creation)
                .add(HttpMethod.GET, PATH + "/{partner}", Access.AUDITOR, pages::one)
                .add(HttpMethod.POST, PATH + "/{partner}", Access.ADMIN, pages::edit)
                .add(HttpMethod.POST, PATH + "/{partner}/desactiver", Access.ADMIN, pages::disable)
                .add(HttpMethod.POST, PATH + "/{partner}/certificat", Access.ADMIN, pages::rotate);
    }

    static PartnerEditor.Choices choices(Adapters adapters) {
        List<Signalements.Option> kinds = Arrays.stream(PartnerKind.values())
                .map(k -> new Signalements.Option(k.code(), PartnerKinds.label(k)))
                .sorted(Comparator.comparing(Signalements.Option::label))
                .toList();
        List<Signalements.Option> types = Arrays.stream(ReferralType.values())
                .filter(t -> t != ReferralType.REFERRAL_RECEIPT)
                .map(t -> new Signalements.Option(t.code(), t.frenchTitle()))
                .toList();
        List<Signalements.Option> transports = Stream.concat(
                        Stream.of(TransportProvider.INBOX), adapters.transports().keySet().stream())
                .map(id -> new Signalements.Option(id, PartnerKinds.transport(id)))
                .toList();
        return new PartnerEditor.Choices(
                kinds, types, codes(adapters.inboundIds()), codes(adapters.outboundIds()), transports);
    }

    ApiResponse list(ApiRequest request) {
        Administrator admin = request.admin();
        Instant now = services.clock().instant();
        List<PartnerList.Line> lines = new ArrayList<>();
        String source;
        if (services.config().isPresent()) {
            ConfigVersion current = services.config().get().current();
            FileSet files = current.files();
            for (PartnerId id : partnerIds(files)) {
                lines.add(PartnerViews.line(id, entry(files, id), files, now));
            }
            source = "Version " + current.number() + " de la configuration.";
        } else {
            for (Partner partner : services.live().get().sortedPartners()) {
                lines.add(PartnerViews.line(partner, now));
            }
            source = READ_ONLY;
        }
        PartnerList view = new PartnerList(admin.id(), canChange(admin), banner(request, "partenaire"), source, lines);
        return ConsolePages.page(HttpResponseStatus.OK, "partenaires.jte", Map.of("view", view));
    }

    ApiResponse one(ApiRequest request) {
        PartnerId id = pathId(request);
        return page(request, id, PartnerForm.of(id, shown(id).entry()), Map.of(), List.of());
    }

    /** A partner as its page shows it: from the current version, else from the running deployment. */
    private record Shown(ObjectNode entry, Optional<X509Certificate> certificate, String source) {}

    private Shown shown(PartnerId id) {
        if (services.config().isPresent()) {
            ConfigVersion current = services.config().get().current();
            return new Shown(
                    entry(current.files(), id),
                    PartnerViews.certificate(current.files(), id),
                    "Version " + current.number() + " de la configuration.");
        }
        Partner partner = services.live()
                .get()
                .partner(id)
                .orElseThrow(() -> new GatewayException(ErrorCode.NOT_FOUND, "no partner " + id + " in service"));
        return new Shown(PartnerViews.tree(partner), partner.certificate(), READ_ONLY);
    }

    ApiResponse creation(ApiRequest request) {
        changes();
        return creationPage(HttpResponseStatus.OK, request.admin(), PartnerForm.blank(), Map.of(), List.of());
    }

    ApiResponse create(ApiRequest request) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        ConfigChanges changes = changes();
        PartnerForm form = PartnerForm.read(posted);
        FileSet files = changes.current().files();
        PartnerForm.Parsed parsed = form.parse(Optional.empty(), partnerIds(files));
        Attempt attempt = attempt(changes, files, parsed);
        if (attempt.refused()) {
            return creationPage(
                    HttpResponseStatus.UNPROCESSABLE_ENTITY, request.admin(), form, attempt.errors, attempt.summary);
        }
        PartnerId id = parsed.id().orElseThrow();
        VersionedConfig.Outcome outcome = changes.change(
                request,
                attempt.edit,
                posted.value("comment"),
                Map.of("operation", "partner.put", "partner", id.value()));
        return ConsolePages.redirect(
                PATH + "?fait=" + done(outcome, "cree") + "&partenaire=" + id + "&version=" + outcome.current());
    }

    ApiResponse edit(ApiRequest request) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        Target target = target(request);
        // The id and kind are the path's: a form that sends others does not rename the partner.
        PartnerForm form = PartnerForm.read(posted).withId(target.id);
        Attempt attempt = attempt(
                target.changes, target.files, form.parse(Optional.of(entry(target.files, target.id)), Set.of()));
        if (attempt.refused()) {
            return page(request, target.id, form, attempt.errors, attempt.summary);
        }
        return store(request, target, attempt.edit, posted, "partner.put", "modifie");
    }

    ApiResponse disable(ApiRequest request) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        Target target = target(request);
        Map<String, String> typed = Map.of("comment", posted.value("comment"));
        if (!posted.value("confirm").equals("oui")) {
            Map<String, PartnerEditor.FieldError> errors = Map.of(
                    "confirm",
                    new PartnerEditor.FieldError(
                            "Cocher la case pour confirmer : le partenaire ne pourra plus rien déposer ni relever.",
                            ""));
            return actionRefused(request, target.id, typed, errors, List.of());
        }
        UnaryOperator<FileSet> edit = f -> ConfigEdits.disablePartner(f, target.id);
        List<ConfigProblem> problems =
                target.changes.check(edit.apply(target.files)).errors();
        if (!problems.isEmpty()) {
            List<String> summary =
                    problems.stream().map(ConfigProblem::toString).toList();
            return actionRefused(request, target.id, typed, Map.of(), summary);
        }
        return store(request, target, edit, posted, "partner.disable", "desactive");
    }

    ApiResponse rotate(ApiRequest request) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        Target target = target(request);
        PartnerId id = target.id;
        Rotation rotation = Rotation.read(posted);
        Map<String, String> typed = Map.of(
                "new_pem", rotation.pem(), "new_sha256", rotation.sha256(), "overlap_hours", rotation.overlapHours());
        Map<String, String> errors = rotation.errors();
        if (!errors.isEmpty()) {
            return actionRefused(request, id, typed, french(errors), List.of());
        }
        Instant now = services.clock().instant();
        UnaryOperator<FileSet> edit = f -> ConfigEdits.rotateCertificate(
                f, id, rotation.pemGiven(), rotation.sha256Given(), rotation.until(now), now);
        ProblemFields placed = placed(
                target.changes,
                edit.apply(target.files),
                id,
                Map.of("certificate", "new_sha256", "certificate.sha256", "new_sha256"),
                "new_pem");
        if (!placed.fields().isEmpty() || !placed.summary().isEmpty()) {
            return actionRefused(request, id, typed, checked(placed, Map.of()), placed.summary());
        }
        return store(request, target, edit, posted, "partner.certificate", "certificat");
    }

    /** The partner a POST changes, which must be in the current version, and the version's files. */
    private record Target(PartnerId id, ConfigChanges changes, FileSet files) {}

    private Target target(ApiRequest request) {
        PartnerId id = pathId(request);
        ConfigChanges changes = changes();
        FileSet files = changes.current().files();
        entry(files, id);
        return new Target(id, changes, files);
    }

    /**
     * Stores a checked edit as the admin API's operation would (same audit detail), and sends the administrator to
     * the partner's page, which confirms it.
     */
    private static ApiResponse store(
            ApiRequest request,
            Target target,
            UnaryOperator<FileSet> edit,
            ConsoleForm posted,
            String operation,
            String done) {
        VersionedConfig.Outcome outcome = target.changes.change(
                request, edit, posted.value("comment"), Map.of("operation", operation, "partner", target.id.value()));
        return ConsolePages.redirect(
                PATH + "/" + target.id + "?fait=" + done(outcome, done) + "&version=" + outcome.current());
    }

    /** The checks' errors of the next files, beside the fields of the form that asked for them. */
    private static ProblemFields placed(
            ConfigChanges changes, FileSet next, PartnerId id, Map<String, String> renamed, String pemField) {
        return ProblemFields.place(
                changes.check(next).errors(),
                id,
                next.text(ConfigEdits.partnerFile(id)).orElse(""),
                renamed,
                pemField);
    }

    /** A form's entry, checked as the change would be: the edit to store, or the problems beside their fields. */
    private record Attempt(
            UnaryOperator<FileSet> edit, Map<String, PartnerEditor.FieldError> errors, List<String> summary) {
        boolean refused() {
            return !errors.isEmpty() || !summary.isEmpty();
        }
    }

    private static Attempt attempt(ConfigChanges changes, FileSet files, PartnerForm.Parsed parsed) {
        if (parsed.id().isEmpty() || parsed.entry().isEmpty()) {
            return new Attempt(UnaryOperator.identity(), french(parsed.errors()), List.of());
        }
        PartnerId id = parsed.id().get();
        ObjectNode entry = parsed.entry().get();
        UnaryOperator<FileSet> edit = f -> ConfigEdits.putPartner(f, id, entry);
        ProblemFields placed = placed(changes, edit.apply(files), id, Map.of(), "pem");
        return new Attempt(edit, checked(placed, parsed.errors()), placed.summary());
    }

    /** The form's own French errors, then the checks' problems of the fields that have none. */
    private static Map<String, PartnerEditor.FieldError> checked(ProblemFields placed, Map<String, String> own) {
        Map<String, PartnerEditor.FieldError> errors = new LinkedHashMap<>(french(own));
        placed.fields()
                .forEach((field, messages) ->
                        errors.putIfAbsent(field, new PartnerEditor.FieldError(CHECKED, String.join(" ; ", messages))));
        return errors;
    }

    private static Map<String, PartnerEditor.FieldError> french(Map<String, String> errors) {
        Map<String, PartnerEditor.FieldError> french = new LinkedHashMap<>();
        errors.forEach((field, message) -> french.put(field, new PartnerEditor.FieldError(message, "")));
        return french;
    }

    private ApiResponse actionRefused(
            ApiRequest request,
            PartnerId id,
            Map<String, String> typed,
            Map<String, PartnerEditor.FieldError> errors,
            List<String> summary) {
        PartnerForm form = PartnerForm.of(id, entry(changes().current().files(), id));
        return page(request, id, form, Map.of(), List.of(), typed, errors, summary);
    }

    private ApiResponse page(
            ApiRequest request,
            PartnerId id,
            PartnerForm form,
            Map<String, PartnerEditor.FieldError> errors,
            List<String> summary) {
        return page(request, id, form, errors, summary, Map.of(), Map.of(), List.of());
    }

    private ApiResponse page(
            ApiRequest request,
            PartnerId id,
            PartnerForm form,
            Map<String, PartnerEditor.FieldError> formErrors,
            List<String> formSummary,
            Map<String, String> typed,
            Map<String, PartnerEditor.FieldError> actionErrors,
            List<String> actionSummary) {
        Administrator admin = request.admin();
        Shown shown = shown(id);
        ObjectNode entry = shown.entry();
        Instant now = services.clock().instant();
        Map<String, String> actions = new LinkedHashMap<>(Map.of("overlap_hours", Rotation.DEFAULT_HOURS));
        actions.putAll(typed);
        PartnerPage view = new PartnerPage(
                admin.id(),
                canChange(admin),
                banner(request, ""),
                id.value(),
                entry.path("name").asText(""),
                shown.source(),
                entry.path("enabled").asBoolean(true),
                PartnerViews.rows(entry),
                PartnerViews.certificates(entry, shown.certificate(), now),
                new PartnerEditor(
                        false,
                        PATH + "/" + id,
                        form,
                        formErrors,
                        formSummary,
                        choices,
                        services.csrf().tokenFor(admin)),
                actions,
                actionErrors,
                actionSummary);
        boolean refused =
                !formErrors.isEmpty() || !formSummary.isEmpty() || !actionErrors.isEmpty() || !actionSummary.isEmpty();
        return ConsolePages.page(
                refused ? HttpResponseStatus.UNPROCESSABLE_ENTITY : HttpResponseStatus.OK,
                "partenaire.jte",
                Map.of("view", view));
    }

    private ApiResponse creationPage(
            HttpResponseStatus status,
            Administrator admin,
            PartnerForm form,
            Map<String, PartnerEditor.FieldError> errors,
            List<String> summary) {
        PartnerEditor editor = new PartnerEditor(
                true, PATH, form, errors, summary, choices, services.csrf().tokenFor(admin));
        return ConsolePages.page(
                status, "partenaire-nouveau.jte", Map.of("administrator", admin.id(), "editor", editor));
    }

    private boolean canChange(Administrator admin) {
        return ConfigChanges.permits(admin) && services.config().isPresent();
    }

    private ConfigChanges changes() {
        return services.config()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND,
                        "this gateway reads its configuration from a folder without versions: the console shows the"
                                + " partners' list only"));
    }

    /** The confirmation of the change a redirect reports, from its query; empty for any other query. */
    private static String banner(ApiRequest request, String partnerParam) {
        Optional<String> done = request.queryParam("fait").filter(DONE::containsKey);
        if (done.isEmpty()) {
            return "";
        }
        String partner = partnerParam.isEmpty()
                ? ""
                : request.queryParam(partnerParam)
                        .filter(text -> text.matches("[a-z0-9-]{1,63}"))
                        .map(text -> " : " + text)
                        .orElse("");
        String version = request.queryParam("version")
                .filter(text -> text.matches("[0-9]{1,9}"))
                .map(text -> " (version " + text + " de la configuration)")
                .orElse("");
        return DONE.get(done.get()) + partner + version + ".";
    }

    private static String done(VersionedConfig.Outcome outcome, String what) {
        return outcome.stored().isPresent() ? what : "inchange";
    }

    private static PartnerId pathId(ApiRequest request) {
        String text = request.pathParam("partner");
        try {
            return PartnerId.of(text);
        } catch (GatewayException e) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "no partner with such an id in the configuration");
        }
    }

    /** The partner's entry in the version's files, as the admin API reads it. */
    private static ObjectNode entry(FileSet files, PartnerId id) {
        String name = ConfigEdits.partnerFile(id);
        String text = files.text(name)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND, "no partner " + id + " in the current configuration version"));
        return ConfigEdits.tree(name, text);
    }

    static Set<PartnerId> partnerIds(FileSet files) {
        Set<PartnerId> ids = new TreeSet<>();
        for (String name : files.files().keySet()) {
            if (name.startsWith("partners/") && name.endsWith(".yaml")) {
                try {
                    ids.add(PartnerId.of(name.substring("partners/".length(), name.length() - ".yaml".length())));
                } catch (GatewayException e) {
                    // A file name that is no partner id: the checks report it; the list leaves it out.
                }
            }
        }
        return ids;
    }

    private static List<Signalements.Option> codes(Set<String> ids) {
        return ids.stream().map(id -> new Signalements.Option(id, id)).collect(Collectors.toList());
    }
}
