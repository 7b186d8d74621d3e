package fr.passerelle.server.console;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.DryRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The dry run of a route's page: {@link DryRun}, the admin API's dry run, on the candidate deployment (the
 * current files with the route as edited), for a sender and a department that default to the route's first. For
 * each recipient, the fields it keeps and the fields of the type's schema it loses. Field paths only, never a
 * value.
 */
final class RouteTrials {
    static final String SENDER = "trial_sender";
    static final String DEPARTMENT = "trial_department";
    private static final String NOT_A_SENDER = "Choisir un émetteur de la liste des partenaires.";

    private final Function<ReferralType, Set<String>> schemaFields;
    private final Clock clock;

    /** @param schemaFields the dotted paths of each type's canonical schema ({@code ReferralValidator::fieldPaths}) */
    RouteTrials(Function<ReferralType, Set<String>> schemaFields, Clock clock) {
        this.schemaFields = Objects.requireNonNull(schemaFields, "schemaFields");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param deployment the candidate deployment; empty when the checks refused it
     * @param sender     the sender typed, or empty for the route's first
     * @param department the department typed, or empty for the route's first
     * @param errors     where a bad sender or department is put, in French, by the form field's name
     */
    RoutePage.Trial trial(
            Optional<Deployment> deployment,
            RouteForm form,
            String sender,
            String department,
            Map<String, String> errors) {
        if (deployment.isEmpty()) {
            return RoutePage.Trial.notRun(
                    sender,
                    department,
                    List.of(),
                    "L'essai attend une configuration sans erreur : corriger les problèmes signalés, puis « Essayer ».");
        }
        Deployment candidate = deployment.get();
        List<RoutePage.Option> senders = candidate.sortedPartners().stream()
                .map(p -> new RoutePage.Option(p.id().value(), p.id().value()))
                .toList();
        List<String> codes = form.departmentCodes();
        String chosenSender = sender.isEmpty() ? firstSender(candidate, form, codes) : sender;
        String chosenDepartment = department.isEmpty()
                ? codes.stream().findFirst().orElseGet(() -> firstDepartment(candidate, chosenSender))
                : department;
        Optional<ReferralType> type = ReferralType.find(form.type()).filter(ReferralType::routed);
        if (type.isEmpty() || chosenSender.isEmpty() || chosenDepartment.isEmpty()) {
            return RoutePage.Trial.notRun(
                    chosenSender,
                    chosenDepartment,
                    senders,
                    "Choisir le type de la route, un émetteur et un département, puis « Essayer ».");
        }
        Optional<Department> where = parse(chosenDepartment, Department::of, DEPARTMENT, errors);
        Optional<PartnerId> from = parse(chosenSender, PartnerId::of, SENDER, errors)
                .filter(id -> candidate.partner(id).isPresent());
        if (from.isEmpty()) {
            errors.putIfAbsent(SENDER, NOT_A_SENDER);
        }
        if (where.isEmpty() || from.isEmpty()) {
            return RoutePage.Trial.notRun(
                    chosenSender, chosenDepartment, senders, "Corriger l'émetteur ou le département de l'essai.");
        }
        DryRun.Result result =
                new DryRun(candidate, clock).explain(from.get(), type.get(), where.get(), Optional.empty());
        List<String> leaves = leaves(schemaFields.apply(type.get()));
        List<RoutePage.Reached> reached = result.recipients().stream()
                .map(recipient -> reached(recipient, form.id(), leaves))
                .toList();
        String note = result.accepted()
                ? ""
                : "Un vrai signalement serait refusé (message du routeur ci-dessous, en anglais).";
        return new RoutePage.Trial(
                chosenSender,
                chosenDepartment,
                senders,
                note,
                true,
                result.refusals().stream().map(DryRun.Refusal::message).toList(),
                reached,
                DryRun.alwaysKept());
    }

    private static RoutePage.Reached reached(DryRun.Recipient recipient, String routeId, List<String> leaves) {
        List<String> kept = recipient.fields();
        List<String> lost = leaves.stream()
                .filter(leaf -> kept.stream().noneMatch(f -> leaf.equals(f) || leaf.startsWith(f + ".")))
                .filter(leaf -> !DryRun.alwaysKept().contains(leaf))
                .toList();
        return new RoutePage.Reached(
                recipient.partner().value(),
                RouteWords.kind(recipient.partner().kind()),
                recipient.routeIds(),
                recipient.routeIds().contains(routeId),
                kept,
                lost,
                recipient.view().orElse(""),
                recipient.transport(),
                recipient.envelope(),
                recipient.adapter(),
                recipient.warnings());
    }

    /** The paths of a schema that no other path extends: what a document may hold. */
    static List<String> leaves(Set<String> paths) {
        List<String> leaves = new ArrayList<>();
        for (String path : paths) {
            if (paths.stream().noneMatch(other -> other.startsWith(path + "."))) {
                leaves.add(path);
            }
        }
        leaves.sort(null);
        return leaves;
    }

    /** The first enabled partner of a sender kind of the route that serves its first department. */
    private static String firstSender(Deployment deployment, RouteForm form, List<String> codes) {
        Optional<Department> first = codes.stream().findFirst().flatMap(RouteTrials::department);
        return deployment.sortedPartners().stream()
                .filter(p -> p.enabled()
                        && form.from().contains(p.kind().code())
                        && first.map(p::serves).orElse(true))
                .map(p -> p.id().value())
                .findFirst()
                .orElse("");
    }

    /** The first department the sender serves, for a route of every department. */
    private static String firstDepartment(Deployment deployment, String sender) {
        return deployment.sortedPartners().stream()
                .filter(p -> p.id().value().equals(sender))
                .flatMap(p -> p.departments().stream())
                .map(Department::code)
                .sorted()
                .findFirst()
                .orElse("");
    }

    private static Optional<Department> department(String code) {
        try {
            return Optional.of(Department.of(code));
        } catch (GatewayException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> Optional<T> parse(
            String text, Function<String, T> parse, String field, Map<String, String> errors) {
        try {
            return Optional.of(parse.apply(text));
        } catch (GatewayException | IllegalArgumentException e) {
            errors.put(
                    field,
                    field.equals(SENDER)
                            ? NOT_A_SENDER
                            : "Saisir un numéro de département, par exemple 75, 2A ou 974.");
            return Optional.empty();
        }
    }
}
