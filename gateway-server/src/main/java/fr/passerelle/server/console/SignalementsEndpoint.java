package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.AggregateStatus;
import fr.passerelle.core.store.OpenReferral;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /console/signalements?id=3b58&type=…&department=75&state=failed&partner=…&from=…&to=…}: the referral
 * search of the admin API ({@link ReferralSearch}) as a page, with the same filters and the same data domains. A
 * bad field is shown beside it, in French, instead of a 400. Dates are days: {@code from} and {@code to} are
 * included, in the department's time zone when one is asked for, else in Paris's.
 */
final class SignalementsEndpoint implements Endpoint {
    static final String PATH = ConsolePages.PREFIX + "signalements";
    /** Referrals per page, as the admin API gives them by default. */
    static final int PAGE = 50;

    private static final Map<String, String> STATES = Map.ofEntries(
            Map.entry("held", "retenu"),
            Map.entry("routed", "en cours de remise"),
            Map.entry("delivered", "remis"),
            Map.entry("received", "reçu"),
            Map.entry("accepted", "pris en charge"),
            Map.entry("declined", "décliné"),
            Map.entry("completed", "terminé"),
            Map.entry("failed", "échec de remise"),
            Map.entry("expired", "expiré"),
            Map.entry("cancelled", "annulé"),
            Map.entry("withdrawn", "consentement retiré"));

    private final ReferralSearch search;

    SignalementsEndpoint(ReferralSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Signalements.Form form = new Signalements.Form(
                text(request, "id"),
                text(request, "type"),
                text(request, "department"),
                text(request, "state"),
                text(request, "partner"),
                text(request, "from"),
                text(request, "to"));
        Signalements view = view(request.admin(), form, text(request, "after"), search::search);
        return ConsolePages.page(HttpResponseStatus.OK, "signalements.jte", Map.of("view", view));
    }

    /** How the endpoint reads a page of referrals: {@link ReferralSearch#search}, or a fake in a test. */
    interface Search {
        List<ReferralSearch.Summary> search(ReferralSearch.Filter filter, Optional<ReferralId> after, int limit);
    }

    static Signalements view(Administrator admin, Signalements.Form form, String afterText, Search search) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<ReferralSearch.IdPrefix> id = field(
                form.id(),
                "id",
                ReferralSearch.IdPrefix::parse,
                "Saisir le début de l'identifiant : au moins 4 chiffres hexadécimaux (0 à 9, a à f), par exemple"
                        + " 3b58.",
                errors);
        Optional<ReferralType> type =
                field(form.type(), "type", ReferralType::fromCode, "Choisir un type de la liste.", errors);
        if (type.isPresent() && !admin.covers(type.get().domain())) {
            errors.put("type", "Ce type relève d'un domaine que votre certificat ne couvre pas.");
            type = Optional.empty();
        }
        Optional<Department> department = field(
                form.department(),
                "department",
                Department::of,
                "Saisir un numéro de département, par exemple 75, 2A ou 974.",
                errors);
        Optional<String> state =
                field(form.state(), "state", Function.identity(), "Choisir un état de la liste.", errors);
        if (state.isPresent() && !AggregateStatus.CODES.contains(state.get())) {
            errors.put("state", "Choisir un état de la liste.");
            state = Optional.empty();
        }
        Optional<PartnerId> partner = field(
                form.partner(),
                "partner",
                PartnerId::of,
                "Saisir l'identifiant d'un partenaire, par exemple police-75-brp.",
                errors);
        ZoneId zone = department.map(Department::zone).orElse(DashboardEndpoint.PARIS);
        String dateError = "Saisir une date au format AAAA-MM-JJ, par exemple 2026-09-01.";
        Optional<Instant> from = field(form.from(), "from", LocalDate::parse, dateError, errors)
                .map(day -> day.atStartOfDay(zone).toInstant());
        Optional<Instant> to = field(form.to(), "to", LocalDate::parse, dateError, errors)
                .map(day -> day.plusDays(1).atStartOfDay(zone).toInstant());
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            errors.put("to", "La date de fin doit être le même jour que la date de début ou après.");
        }
        Optional<ReferralId> after = field(
                afterText,
                "after",
                text -> new ReferralId(UUID.fromString(text)),
                "Le lien de la page suivante n'est plus valable : relancer la recherche.",
                errors);

        List<Signalements.Line> lines = new ArrayList<>();
        String next = "";
        if (errors.isEmpty()) {
            ReferralSearch.Filter filter = new ReferralSearch.Filter(
                    id, department, state, partner, from, to, type.map(Set::of).orElse(admin.types()));
            int limit = PAGE;
            try {
                List<ReferralSearch.Summary> page = search.search(filter, after, limit);
                page.forEach(summary -> lines.add(line(summary)));
                if (page.size() == limit) {
                    next = nextLink(form, lines.get(lines.size() - 1).id());
                }
            } catch (GatewayException e) {
                // On a valid filter, the search refuses only an 'after' that names no referral in view.
                if (after.isEmpty() || e.code() != ErrorCode.REQUEST_INVALID) {
                    throw e;
                }
                errors.put("after", "Le lien de la page suivante n'est plus valable : relancer la recherche.");
            }
        }
        return new Signalements(admin.id(), form, errors, types(admin), states(), lines, next);
    }

    /** A referral's line, as the search and the timeline show it. */
    static Signalements.Line line(ReferralSearch.Summary summary) {
        OpenReferral referral = summary.referral();
        List<Signalements.Recipient> recipients = new ArrayList<>();
        for (OpenReferral.Copy copy : referral.copies()) {
            recipients.add(
                    new Signalements.Recipient(copy.recipient().value(), FrenchLabels.deliveryState(copy.state())));
        }
        for (PartnerId held : summary.heldFor()) {
            recipients.add(new Signalements.Recipient(held.value(), "retenu"));
        }
        String id = referral.id().toString();
        return new Signalements.Line(
                id,
                id.substring(0, 8),
                FrenchLabels.type(referral.type()),
                referral.department().code(),
                FrenchLabels.urgencyWord(referral.urgency()),
                referral.sender().value(),
                dateTime(referral.submittedAt(), referral.department().zone()),
                status(referral.status()),
                recipients);
    }

    /** One formatter for every row: withZone gives each department's view of it without parsing the pattern. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm:ss", Locale.FRANCE);

    /** A time in French in {@code zone}, naming the zone when it is not Paris's. */
    static String dateTime(Instant at, ZoneId zone) {
        String text = DATE_TIME.withZone(zone).format(at);
        return zone.equals(DashboardEndpoint.PARIS) ? text : text + " (" + zone.getId() + ")";
    }

    static String status(String code) {
        return STATES.getOrDefault(code, code);
    }

    private static List<Signalements.Option> types(Administrator admin) {
        return admin.types().stream()
                .sorted(Comparator.comparing(ReferralType::frenchTitle))
                .map(t -> new Signalements.Option(t.code(), FrenchLabels.type(t)))
                .toList();
    }

    private static List<Signalements.Option> states() {
        return AggregateStatus.CODES.stream()
                .map(code -> new Signalements.Option(code, status(code)))
                .toList();
    }

    private static String nextLink(Signalements.Form form, String after) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", form.id());
        params.put("type", form.type());
        params.put("department", form.department());
        params.put("state", form.state());
        params.put("partner", form.partner());
        params.put("from", form.from());
        params.put("to", form.to());
        params.put("after", after);
        StringBuilder link = new StringBuilder(PATH);
        char separator = '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (!param.getValue().isEmpty()) {
                link.append(separator)
                        .append(param.getKey())
                        .append('=')
                        .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return link.toString();
    }

    /** A field's value, or empty when it is blank; a value that does not parse puts {@code message} beside it. */
    private static <T> Optional<T> field(
            String text, String name, Function<String, T> parse, String message, Map<String, String> errors) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(text.strip()));
        } catch (GatewayException | IllegalArgumentException | DateTimeParseException e) {
            errors.put(name, message);
            return Optional.empty();
        }
    }

    private static String text(ApiRequest request, String name) {
        return request.queryParam(name).orElse("");
    }
}
