package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Approval;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.model.RouteCondition;
import fr.passerelle.core.config.model.RouteSubject;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final Department PARIS = Department.of("75");
    private static final Department REUNION = Department.of("974");
    private static final PartnerId BRP = PartnerId.of("police-75-brp");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PartnerId SDPJ = PartnerId.of("police-974-sdpj");
    private static final PartnerId GENDARMERIE = PartnerId.of("gendarmerie-974-br-saint-pierre");
    private static final PartnerId MONITORING = PartnerId.of("monitoring-centre-de-veille");

    private static final List<Partner> PARTNERS = List.of(
            partner("police-75-brp", PARIS),
            partner("police-974-sdpj", REUNION),
            partner("gendarmerie-974-br-saint-pierre", REUNION),
            partner("association-75-amarante", PARIS, exitPathway(PARIS, "2028-06-30")),
            partner("association-75-expired", PARIS, exitPathway(PARIS, "2025-12-31")),
            partner("association-75-unapproved", PARIS),
            partner("association-974-kaz-lespwa", REUNION),
            partner("siao-75", PARIS),
            disabled(partner("siao-974", REUNION)),
            partner("monitoring-centre-de-veille"),
            partner("dgcs-national"),
            partner("miprof-national"));

    private static final List<Route> ROUTES = List.of(
            route(
                    "orientation-75",
                    ReferralType.VICTIM_ORIENTATION,
                    Set.of(PartnerKind.POLICE, PartnerKind.SOCIAL),
                    Set.of(PARIS),
                    List.of(new Recipient.ByKind(PartnerKind.ASSOCIATION, Optional.of("exit-pathway"))),
                    "subject.languages",
                    "needs"),
            route(
                    "orientation-974",
                    ReferralType.VICTIM_ORIENTATION,
                    Set.of(PartnerKind.POLICE, PartnerKind.GENDARMERIE),
                    Set.of(REUNION),
                    List.of(new Recipient.ByKind(PartnerKind.ASSOCIATION, Optional.empty())),
                    "subject.languages"),
            route(
                    "shelter",
                    ReferralType.SHELTER_REQUEST,
                    Set.of(PartnerKind.POLICE, PartnerKind.GENDARMERIE),
                    Set.of(),
                    List.of(new Recipient.ByKind(PartnerKind.SIAO, Optional.empty())),
                    "household"),
            route(
                    "difficulty",
                    ReferralType.DIFFICULTY_REPORT,
                    Set.of(PartnerKind.values()),
                    Set.of(),
                    List.of(named("monitoring-centre-de-veille"), named("dgcs-national"), named("miprof-national")),
                    "category",
                    "summary"),
            route(
                    "difficulty-paris-police",
                    ReferralType.DIFFICULTY_REPORT,
                    Set.of(PartnerKind.POLICE),
                    Set.of(PARIS),
                    List.of(named("monitoring-centre-de-veille")),
                    "summary",
                    "relatedReferralId"));

    private static Router router(String day, List<Partner> partners, List<Route> routes) {
        Clock clock = Clock.fixed(Instant.parse(day + "T12:00:00Z"), ZoneOffset.UTC);
        Map<PartnerId, Partner> byId = partners.stream().collect(Collectors.toMap(Partner::id, Function.identity()));
        return new Router(new Deployment(settings(), byId, routes), clock);
    }

    private static Router router(String day) {
        return router(day, PARTNERS, ROUTES);
    }

    private static List<String> recipients(RoutingPlan plan) {
        return plan.destinations().stream().map(d -> d.recipient().id().value()).toList();
    }

    @Test
    void reachesOnlyAssociationsHoldingTheApprovalOnTheClocksDay() {
        RoutingPlan plan = router("2026-01-15").plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS);

        assertThat(plan.destinations())
                .containsExactly(new Destination(
                        partner(PARTNERS, "association-75-amarante"),
                        List.of("orientation-75"),
                        List.of("subject.languages", "needs")));
    }

    @Test
    void stillReachesAnApprovedAssociationOnTheDayItsApprovalExpires() {
        RoutingPlan plan = router("2028-06-30").plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS);

        assertThat(recipients(plan)).containsExactly("association-75-amarante");
    }

    @Test
    void refusesWhenEveryApprovalHasExpiredSayingWhichRouteAndWhy() {
        assertThatThrownBy(() -> router("2028-07-01").plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ROUTE_NOT_FOUND);
                    assertThat(e.getMessage())
                            .isEqualTo("no recipient for victim.orientation from police-75-brp in"
                                    + " department 75: route orientation-75 reaches nobody: no enabled association approved"
                                    + " for exit-pathway serves department 75");
                });
    }

    @Test
    void reachesEveryAssociationOfTheDepartmentWhenNoApprovalIsRequired() {
        RoutingPlan plan = router("2026-01-15").plan(GENDARMERIE, ReferralType.VICTIM_ORIENTATION, REUNION);

        assertThat(recipients(plan)).containsExactly("association-974-kaz-lespwa");
    }

    @Test
    void reachesOnlyPartnersOfTheReferralsDepartment() {
        RoutingPlan plan = router("2026-01-15").plan(BRP, ReferralType.SHELTER_REQUEST, PARIS);

        assertThat(recipients(plan)).containsExactly("siao-75");
    }

    @Test
    void leavesOutADisabledPartnerAndSaysSoWhenNobodyIsLeft() {
        assertThatThrownBy(() -> router("2026-01-15").plan(SDPJ, ReferralType.SHELTER_REQUEST, REUNION))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ROUTE_NOT_FOUND);
                    assertThat(e.getMessage())
                            .isEqualTo(
                                    "no recipient for shelter.request from police-974-sdpj in"
                                            + " department 974: route shelter reaches nobody: no enabled siao serves department 974");
                    assertThat(e.details())
                            .containsExactly(
                                    "route shelter reaches nobody: no enabled siao serves" + " department 974");
                });
    }

    @Test
    void reachesNamedPartnersWhateverTheDepartmentAndMergesTheirRoutes() {
        RoutingPlan plan = router("2026-01-15").plan(BRP, ReferralType.DIFFICULTY_REPORT, PARIS);

        assertThat(plan.destinations())
                .containsExactly(
                        new Destination(
                                partner(PARTNERS, "monitoring-centre-de-veille"),
                                List.of("difficulty", "difficulty-paris-police"),
                                List.of("category", "summary", "relatedReferralId")),
                        new Destination(
                                partner(PARTNERS, "dgcs-national"),
                                List.of("difficulty"),
                                List.of("category", "summary")),
                        new Destination(
                                partner(PARTNERS, "miprof-national"),
                                List.of("difficulty"),
                                List.of("category", "summary")));
        assertThat(plan.routeIds()).containsExactly("difficulty", "difficulty-paris-police");
    }

    @Test
    void neverSendsAReferralBackToItsSender() {
        RoutingPlan plan = router("2026-01-15").plan(MONITORING, ReferralType.DIFFICULTY_REPORT, REUNION);

        assertThat(recipients(plan)).containsExactly("dgcs-national", "miprof-national");
    }

    @Test
    void leavesOutADisabledNamedPartner() {
        List<Partner> partners = PARTNERS.stream()
                .map(p -> p.id().value().equals("dgcs-national") ? disabled(p) : p)
                .toList();

        RoutingPlan plan = router("2026-01-15", partners, ROUTES).plan(SDPJ, ReferralType.DIFFICULTY_REPORT, REUNION);

        assertThat(recipients(plan)).containsExactly("monitoring-centre-de-veille", "miprof-national");
    }

    @Test
    void leavesTheSenderOutOfItsOwnKindAndSaysSoWhenNobodyElseIsLeft() {
        Route peers = route(
                "peers",
                ReferralType.DIFFICULTY_REPORT,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(new Recipient.ByKind(PartnerKind.POLICE, Optional.empty())),
                "summary");
        List<Partner> partners = List.of(
                partner("police-75-brp", PARIS), partner("police-75-bpm", PARIS), partner("police-974-sdpj", REUNION));
        Router router = router("2026-01-15", partners, List.of(peers));

        assertThat(recipients(router.plan(BRP, ReferralType.DIFFICULTY_REPORT, PARIS)))
                .containsExactly("police-75-bpm");
        assertThatThrownBy(() -> router.plan(SDPJ, ReferralType.DIFFICULTY_REPORT, REUNION))
                .isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.getMessage())
                                .isEqualTo(
                                        "no recipient for difficulty.report from police-974-sdpj in department 974: route peers"
                                                + " reaches nobody: no enabled police serves department 974 other than the sender"));
    }

    @Test
    void reachesANationalPartnerByNameOnlyNeverAsOneOfTheDepartmentsKind() {
        Route byKind = route(
                "to-monitoring",
                ReferralType.DIFFICULTY_REPORT,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(new Recipient.ByKind(PartnerKind.MONITORING, Optional.empty())),
                "summary");
        Route byName = route(
                "to-monitoring-by-name",
                ReferralType.DIFFICULTY_REPORT,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(named("monitoring-centre-de-veille")),
                "summary");

        RoutingPlan plan = router("2026-01-15", PARTNERS, List.of(byKind, byName))
                .plan(SDPJ, ReferralType.DIFFICULTY_REPORT, REUNION);

        assertThat(recipients(plan)).containsExactly("monitoring-centre-de-veille");
        assertThat(plan.destinations().get(0).routeIds()).containsExactly("to-monitoring-by-name");
    }

    @Test
    void takesAConditionalRouteOnlyForAReferralThatMeetsItsCondition() throws Exception {
        Route siao = route(
                "shelter",
                ReferralType.SHELTER_REQUEST,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(named("siao-75")));
        Route away = conditional(
                route(
                        "shelter-away",
                        ReferralType.SHELTER_REQUEST,
                        Set.of(PartnerKind.POLICE),
                        Set.of(),
                        List.of(named("dgcs-national")),
                        "shelter"),
                new RouteCondition("shelter.constraints", "away-from-department"));
        Router router = router("2026-01-15", PARTNERS, List.of(siao, away));
        JsonNode awayAsked =
                JSON.readTree("{\"shelter\": {\"constraints\": [\"women-only\", \"away-from-department\"]}}");
        JsonNode notAsked = JSON.readTree("{\"shelter\": {\"constraints\": [\"women-only\"]}}");

        RoutingPlan asked = router.plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.empty(), awayAsked);
        RoutingPlan not = router.plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.empty(), notAsked);
        RoutingPlan byType = router.plan(BRP, ReferralType.SHELTER_REQUEST, PARIS);

        assertThat(recipients(asked)).containsExactly("siao-75", "dgcs-national");
        assertThat(recipients(not)).containsExactly("siao-75");
        assertThat(recipients(byType)).containsExactly("siao-75");
        assertThat(router.explain(ReferralType.SHELTER_REQUEST, BRP, PARIS))
                .extracting(match -> match.route().id())
                .containsExactly("shelter", "shelter-away");
    }

    @Test
    void routesAPermitOrReflectionRequestToThePrefectureOfThePersonsResidence() throws Exception {
        JsonNode livesInReunion = JSON.readTree("{\"subject\": {\"residenceDepartment\": \"974\"}}");
        JsonNode noResidence = JSON.readTree("{\"subject\": {}}");

        assertThat(Router.routedDepartment(ReferralType.RESIDENCE_PERMIT_SUPPORT, livesInReunion, PARIS))
                .isEqualTo(REUNION);
        assertThat(Router.routedDepartment(ReferralType.REFLECTION_PERIOD_REQUEST, livesInReunion, PARIS))
                .isEqualTo(REUNION);
        assertThat(Router.routedDepartment(ReferralType.RESIDENCE_PERMIT_SUPPORT, noResidence, PARIS))
                .isEqualTo(PARIS);
        assertThat(Router.routedDepartment(ReferralType.SHELTER_REQUEST, livesInReunion, PARIS))
                .as("every other type goes where the referral says")
                .isEqualTo(PARIS);
    }

    @Test
    void refusesAnUnroutedSenderListingTheRoutesOfTheType() {
        assertThatThrownBy(() -> router("2026-01-15").plan(GENDARMERIE, ReferralType.VICTIM_ORIENTATION, PARIS))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.ROUTE_NOT_FOUND);
                    assertThat(e.getMessage())
                            .isEqualTo("no route for victim.orientation from a gendarmerie"
                                    + " (gendarmerie-974-br-saint-pierre) in department 75 (routes for victim.orientation:"
                                    + " orientation-75 from police, social in 75; orientation-974 from police, gendarmerie in"
                                    + " 974)");
                });
    }

    @Test
    void refusesATypeThatHasNoRouteAtAll() {
        assertThatThrownBy(() ->
                        router("2026-01-15").plan(PartnerId.of("prefecture-75"), ReferralType.REMOVAL_OBJECTIVE, PARIS))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
                        .isEqualTo(
                                "no route for removal.objective from a prefecture (prefecture-75) in department 75 (no route"
                                        + " exists for removal.objective)"));
    }

    @Test
    void explainsEachMatchingRouteWithTheRecipientsItWouldReach() {
        List<RouteMatch> matches = router("2026-01-15").explain(ReferralType.DIFFICULTY_REPORT, MONITORING, PARIS);

        assertThat(matches)
                .extracting(m -> m.route().id(), RouteMatch::recipients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "difficulty", List.of(PartnerId.of("dgcs-national"), PartnerId.of("miprof-national"))));
    }

    @Test
    void explainsARouteThatReachesNobodyWithoutThrowing() {
        List<RouteMatch> matches = router("2026-01-15").explain(ReferralType.SHELTER_REQUEST, SDPJ, REUNION);

        assertThat(matches)
                .extracting(m -> m.route().id(), RouteMatch::recipients)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shelter", List.of()));
        assertThat(router("2026-01-15").explain(ReferralType.REMOVAL_OBJECTIVE, SDPJ, REUNION))
                .isEmpty();
    }

    private static Partner partner(List<Partner> partners, String id) {
        return partners.stream()
                .filter(p -> p.id().value().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void leavesOutAndNamesTheAdultServicesForAMinor() {
        Route adults = withSubject(ROUTES.get(0), RouteSubject.ADULT);
        Route crip = new Route(
                "crip-75",
                ReferralType.VICTIM_ORIENTATION,
                Set.of(PartnerKind.POLICE),
                Set.of(PARIS),
                List.of(named("crip-75-paris")),
                List.of("subject"),
                RouteSubject.MINOR,
                Optional.empty(),
                Optional.empty());
        List<Partner> partners = new java.util.ArrayList<>(PARTNERS);
        partners.add(partner("crip-75-paris", PARIS));
        Router router = router("2026-01-15", partners, List.of(adults, crip));

        RoutingPlan minor = router.plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS, true, Optional.empty());
        RoutingPlan adult = router.plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS, false, Optional.empty());

        assertThat(recipients(minor)).containsExactly("crip-75-paris");
        assertThat(minor.withheld())
                .containsExactly(new Withheld(
                        PartnerId.of("association-75-amarante"), "orientation-75", Withheld.Reason.SUBJECT_MINOR));
        assertThat(recipients(adult)).containsExactly("association-75-amarante");
        assertThat(adult.withheld())
                .containsExactly(new Withheld(PartnerId.of("crip-75-paris"), "crip-75", Withheld.Reason.SUBJECT_ADULT));
    }

    @Test
    void aMinorWhomOnlyAdultRoutesWouldReachGetsAPlanWithNobodyButTheWithheld() {
        Router router = router("2026-01-15", PARTNERS, List.of(withSubject(ROUTES.get(0), RouteSubject.ADULT)));

        RoutingPlan plan = router.plan(BRP, ReferralType.VICTIM_ORIENTATION, PARIS, true, Optional.empty());

        assertThat(plan.destinations()).isEmpty();
        assertThat(plan.withheld()).extracting(w -> w.reason().code()).containsExactly("subject-minor");
    }

    @Test
    void theConsentsScopeLimitsARouteThatRestsOnItButNotALegalObligation() {
        Route consent = ROUTES.get(2); // shelter, to every siao
        Route obligation = new Route(
                "shelter-obliged",
                ReferralType.SHELTER_REQUEST,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(new Recipient.ByKind(PartnerKind.SIAO, Optional.empty())),
                List.of("household"),
                RouteSubject.ANY,
                Optional.of("a law"),
                Optional.empty());

        RoutingPlan outOfScope = router("2026-01-15", PARTNERS, List.of(consent))
                .plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.of(Set.of(PartnerKind.ASSOCIATION)));
        RoutingPlan inScope = router("2026-01-15", PARTNERS, List.of(consent))
                .plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.of(Set.of(PartnerKind.SIAO)));
        RoutingPlan obliged = router("2026-01-15", PARTNERS, List.of(obligation))
                .plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.of(Set.of(PartnerKind.ASSOCIATION)));

        assertThat(outOfScope.destinations()).isEmpty();
        assertThat(outOfScope.withheld())
                .containsExactly(new Withheld(PartnerId.of("siao-75"), "shelter", Withheld.Reason.CONSENT_SCOPE));
        assertThat(recipients(inScope)).containsExactly("siao-75");
        assertThat(recipients(obliged)).containsExactly("siao-75");
        assertThat(obliged.withheld()).isEmpty();
    }

    @Test
    void aRecipientLeftOutByOneRouteButReachedByAnotherIsNotWithheld() {
        Route consent = ROUTES.get(2);
        Route obligation = new Route(
                "shelter-obliged",
                ReferralType.SHELTER_REQUEST,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(named("siao-75")),
                List.of("shelter"),
                RouteSubject.ANY,
                Optional.of("a law"),
                Optional.empty());

        RoutingPlan plan = router("2026-01-15", PARTNERS, List.of(consent, obligation))
                .plan(BRP, ReferralType.SHELTER_REQUEST, PARIS, false, Optional.of(Set.of()));

        assertThat(recipients(plan)).containsExactly("siao-75");
        assertThat(plan.destinations().get(0).routeIds()).containsExactly("shelter-obliged");
        assertThat(plan.destinations().get(0).fields()).containsExactly("shelter");
        assertThat(plan.withheld()).isEmpty();
    }

    private static Route withSubject(Route route, RouteSubject subject) {
        return copy(route, subject, route.when());
    }

    private static Route conditional(Route route, RouteCondition condition) {
        return copy(route, route.subject(), Optional.of(condition));
    }

    private static Route copy(Route route, RouteSubject subject, Optional<RouteCondition> when) {
        return new Route(
                route.id(),
                route.type(),
                route.from(),
                route.departments(),
                route.to(),
                route.fields(),
                subject,
                route.legalObligation(),
                when);
    }

    private static Partner partner(String id, Department department, Approval... approvals) {
        return new Partner(
                PartnerId.of(id),
                "Partner " + id,
                Set.of(department),
                Arrays.asList(approvals),
                Optional.empty(),
                Set.of(ReferralType.DIFFICULTY_REPORT),
                "canonical-json",
                "canonical-json",
                true,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                PartnerDelivery.inbox());
    }

    private static Partner partner(String id) {
        return new Partner(
                PartnerId.of(id),
                "Partner " + id,
                Set.of(),
                List.of(),
                Optional.empty(),
                Set.of(ReferralType.DIFFICULTY_REPORT),
                "canonical-json",
                "canonical-json",
                true,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                PartnerDelivery.inbox());
    }

    private static Partner disabled(Partner p) {
        return new Partner(
                p.id(),
                p.name(),
                p.departments(),
                p.approvals(),
                p.certificateSha256(),
                p.maySend(),
                p.inboundAdapter(),
                p.outboundAdapter(),
                false,
                p.certificate(),
                p.signedSubmissionsRequired(),
                p.envelope(),
                p.delivery());
    }

    private static Approval exitPathway(Department department, String expires) {
        return new Approval("exit-pathway", department, LocalDate.parse(expires));
    }

    private static Recipient named(String id) {
        return new Recipient.Named(PartnerId.of(id));
    }

    private static Route route(
            String id,
            ReferralType type,
            Set<PartnerKind> from,
            Set<Department> departments,
            List<Recipient> to,
            String... fields) {
        return new Route(id, type, from, departments, to, List.of(fields));
    }

    private static GatewaySettings settings() {
        Path dir = Path.of("/etc/passerelle");
        return new GatewaySettings(
                dir.resolve("gateway.yaml"),
                "127.0.0.1",
                0,
                dir.resolve("pki"),
                dir.resolve("pki/gateway-tls.pem"),
                dir.resolve("pki/gateway-tls-key.pem"),
                dir.resolve("pki/ca.pem"),
                GatewaySettings.DatabaseSettings.embedded(),
                dir.resolve("data"),
                Retention.standard(),
                GatewaySettings.Limits.defaults(),
                dir.resolve("pki/gateway-signing.pem"),
                dir.resolve("pki/gateway-signing-key.pem"),
                dir.resolve("data/keys/master.keys"),
                GatewaySettings.AuditSettings.defaults(),
                java.util.Map.of(),
                GatewaySettings.DeliverySettings.defaults(),
                Optional.empty());
    }
}
