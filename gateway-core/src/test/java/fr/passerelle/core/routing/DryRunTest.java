package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.config.ShippedConfig;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.testkit.TestPartners;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dry run tells of a recipient's view (the SIAO's, and none for other kinds) and of a sender's territory. */
class DryRunTest {
    private static final Path CONFIG = Path.of("..", "config");
    private static final Department PARIS = Department.of("75");
    private static final PartnerId BRP = PartnerId.of("police-75-brp");

    private final DryRun dryRun = new DryRun(
            deployment(List.of(
                    route(
                            "shelter-siao",
                            ReferralType.SHELTER_REQUEST,
                            PartnerKind.SIAO,
                            "subject.givenName",
                            "subject.contact",
                            "consent",
                            "household",
                            "shelter",
                            "administrativeStatus",
                            "socialAssessment",
                            "referrer"),
                    route(
                            "difficulty",
                            ReferralType.DIFFICULTY_REPORT,
                            PartnerKind.MONITORING,
                            "category",
                            "summary"))),
            Clock.fixed(Instant.parse("2025-07-15T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void showsThatTheSiaoViewAppliesAndFlagsEachFreeTextFieldItsRoutesCarry() {
        DryRun.Result result = dryRun.explain(BRP, ReferralType.SHELTER_REQUEST, PARIS, Optional.empty());

        DryRun.Recipient siao = result.recipients().get(0);
        assertThat(siao.partner()).isEqualTo(PartnerId.of("siao-75"));
        assertThat(siao.view())
                .contains("siao: referrer read as « Service prescripteur » with its phone only (no"
                        + " unit name, officerRio, staffReference, email); administrativeStatus reflection-period,"
                        + " victim-permit read as residence-procedure; consent.recordedBy removed; free text cut to 300"
                        + " characters");
        assertThat(siao.warnings())
                .containsExactly(
                        "free text subject.contact.safeTimes reaches a siao, cut to 300 characters (expected: nothing about"
                                + " the facts or a procedure, nothing that tells the person is a victim)",
                        "free text socialAssessment.summary reaches a siao, cut to 300 characters (expected: nothing about"
                                + " the facts or a procedure, nothing that tells the person is a victim)");
    }

    @Test
    void showsNoViewAndNoWarningForAnotherKindEvenWithFreeText() {
        DryRun.Result result = dryRun.explain(BRP, ReferralType.DIFFICULTY_REPORT, PARIS, Optional.empty());

        DryRun.Recipient monitoring = result.recipients().get(0);
        assertThat(monitoring.partner()).isEqualTo(PartnerId.of("monitoring-centre-de-veille"));
        assertThat(monitoring.view()).isEmpty();
        assertThat(monitoring.warnings()).isEmpty();
    }

    @Test
    void countsWhatTheSiaoViewDropsAmongTheRemovedFields() throws IOException {
        ObjectNode sample = (ObjectNode) new ObjectMapper()
                .readTree(CONFIG.resolve("samples")
                        .resolve("shelter.request.json")
                        .toFile());
        Referral referral =
                ReferralValidator.fromDirectory(CONFIG.resolve("schemas")).validate(sample);

        DryRun.Recipient siao = dryRun.explain(BRP, referral).recipients().get(0);

        assertThat(siao.removed().orElseThrow())
                .contains(
                        "referrer.officerRio",
                        "referrer.email",
                        "consent.recordedBy",
                        "offence.qualification",
                        "subject.familyName");
        assertThat(siao.kept().orElseThrow())
                .contains("referrer.unit", "referrer.phone", "consent.scope", "socialAssessment.summary")
                .doesNotContain("referrer.officerRio", "consent.recordedBy");
    }

    @Test
    void sendsAShelterRequestAwayFromTheDepartmentToAcSeAndAPermitRequestToThePrefectureOfResidence(@TempDir Path temp)
            throws IOException {
        DryRun shipped = new DryRun(
                ShippedConfig.withPki(temp).deployment(),
                Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
        ReferralValidator validator = ReferralValidator.fromDirectory(CONFIG.resolve("schemas"));
        ObjectNode shelter = sample("shelter.request");
        ((ArrayNode) shelter.with("shelter").withArray("constraints")).add("away-from-department");
        shelter.with("consent").withArray("scope").add("association");
        ObjectNode permit = sample("residence.permit.support");
        permit.with("subject").put("residenceDepartment", "974");

        DryRun.Result away = shipped.explain(BRP, validator.validate(shelter));
        DryRun.Result byType = shipped.explain(BRP, ReferralType.SHELTER_REQUEST, PARIS, Optional.empty());
        DryRun.Result residence = shipped.explain(BRP, validator.validate(permit));

        assertThat(away.recipients())
                .extracting(r -> r.partner().value() + " " + r.routeIds())
                .containsExactly("siao-75 [shelter-siao]", "association-acse-national [shelter-acse]");
        assertThat(away.recipients().get(1).kept().orElseThrow())
                .contains("shelter.constraints", "subject.givenName")
                .doesNotContain("subject.familyName", "subject.birthDate", "offence.qualification");
        assertThat(byType.matches())
                .extracting(m -> m.route().id() + " "
                        + m.route().when().map(Object::toString).orElse("always"))
                .containsExactly("shelter-siao always", "shelter-acse shelter.constraints: away-from-department");
        assertThat(byType.recipients()).extracting(r -> r.partner().value()).containsExactly("siao-75");
        assertThat(residence.recipients()).extracting(r -> r.partner().value()).containsExactly("prefecture-974");
        assertThat(residence.department())
                .as("the referral keeps its department")
                .isEqualTo(PARIS);
    }

    private static ObjectNode sample(String type) throws IOException {
        return (ObjectNode) new ObjectMapper()
                .readTree(CONFIG.resolve("samples").resolve(type + ".json").toFile());
    }

    @Test
    void showsTheRefusalOfARemovalObjectiveFromAPrefectureThatDoesNotServeTheDepartment() {
        Partner reunion = TestPartners.partner(
                "prefecture-974", Set.of(Department.of("974")), Set.of(ReferralType.REMOVAL_OBJECTIVE));
        Route removal = new Route(
                "removal",
                ReferralType.REMOVAL_OBJECTIVE,
                Set.of(PartnerKind.PREFECTURE),
                Set.of(),
                List.of(new Recipient.ByKind(PartnerKind.POLICE, Optional.empty())),
                List.of("decision"));
        DryRun prefectures = new DryRun(
                new Deployment(settings(), Map.of(reunion.id(), reunion, BRP, partner(BRP.value())), List.of(removal)),
                Clock.fixed(Instant.parse("2025-07-15T12:00:00Z"), ZoneOffset.UTC));

        DryRun.Result result =
                prefectures.explain(reunion.id(), ReferralType.REMOVAL_OBJECTIVE, PARIS, Optional.empty());

        assertThat(result.accepted()).isFalse();
        assertThat(result.refusals())
                .containsExactly(new DryRun.Refusal(
                        ErrorCode.DEPARTMENT_NOT_SERVED,
                        Territory.refusal(reunion, ReferralType.REMOVAL_OBJECTIVE, PARIS)
                                .orElseThrow()));
        assertThat(prefectures
                        .explain(reunion.id(), ReferralType.REMOVAL_OBJECTIVE, Department.of("974"), Optional.empty())
                        .refusals())
                .extracting(DryRun.Refusal::code)
                .doesNotContain(ErrorCode.DEPARTMENT_NOT_SERVED);
    }

    private static Deployment deployment(List<Route> routes) {
        Map<PartnerId, Partner> partners =
                List.of(partner("police-75-brp"), partner("siao-75"), partner("monitoring-centre-de-veille")).stream()
                        .collect(Collectors.toMap(Partner::id, Function.identity()));
        return new Deployment(settings(), partners, routes);
    }

    private static Partner partner(String id) {
        return TestPartners.partner(
                id, Set.of(PARIS), Set.of(ReferralType.SHELTER_REQUEST, ReferralType.DIFFICULTY_REPORT));
    }

    private static Route route(String id, ReferralType type, PartnerKind to, String... fields) {
        return new Route(
                id,
                type,
                Set.of(PartnerKind.POLICE),
                Set.of(),
                List.of(new Recipient.ByKind(to, Optional.empty())),
                List.of(fields));
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
                Map.of(),
                GatewaySettings.DeliverySettings.defaults(),
                Optional.empty());
    }
}
