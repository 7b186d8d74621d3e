package fr.passerelle.adapters.xml;

import static fr.passerelle.adapters.xml.XmlFixtures.assertEquivalent;
import static fr.passerelle.adapters.xml.XmlFixtures.assertValid;
import static fr.passerelle.adapters.xml.XmlFixtures.canonicalSample;
import static fr.passerelle.adapters.xml.XmlFixtures.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.xml.XmlFixtures.Format;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.spi.Adapters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class XmlFormatsRoundTripTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Path.of("../config/schemas"));

    static Stream<Arguments> formatsAndTypes() {
        return Stream.of(Format.POLICE, Format.PREFECTURE)
                .flatMap(format -> format.types().stream().map(type -> Arguments.of(format, type)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formatsAndTypes")
    void readsEachSampleIntoTheCanonicalSampleWhichPassesValidation(Format format, ReferralType type) {
        byte[] sample = XmlFixtures.read(format.sample(type));

        ObjectNode canonical = format.inbound().read(sample, "application/xml");

        assertThat(canonical).isEqualTo(canonicalSample(type));
        assertThat(VALIDATOR.validate(canonical).type()).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formatsAndTypes")
    void roundTripsEachSampleToAnEquivalentValidDocument(Format format, ReferralType type) throws Exception {
        byte[] sample = XmlFixtures.read(format.sample(type));
        ObjectNode canonical = format.inbound().read(sample, format.outbound().mediaType());

        byte[] written = format.outbound().write(item(canonical));

        assertValid(format, written);
        assertEquivalent(format, sample, written);
        assertThat(format.inbound().read(written, "text/xml")).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("formatsAndTypes")
    void roundTripsEveryFieldOfTheCanonicalSchema(Format format, ReferralType type) throws Exception {
        ObjectNode full = XmlFixtures.everyField(type);
        assertThat(XmlFixtures.paths(full)).containsAll(VALIDATOR.fieldPaths(type));

        byte[] written = format.outbound().write(item(full));

        assertValid(format, written);
        assertThat(format.inbound().read(written, "")).isEqualTo(full);
    }

    @Test
    void readsIntegersAndBooleansAsJsonNumbersAndBooleans() {
        byte[] sample = XmlFixtures.read(Format.POLICE.sample(ReferralType.SHELTER_REQUEST));

        ObjectNode canonical = Format.POLICE.inbound().read(sample, "application/xml");

        assertThat(canonical.get("schemaVersion").isInt()).isTrue();
        assertThat(canonical.at("/household/adults").isInt()).isTrue();
        assertThat(canonical.at("/household/children/0/age").isInt()).isTrue();
        assertThat(canonical.at("/subject/minor").isBoolean()).isTrue();
        assertThat(canonical.at("/subject/languages").isArray()).isTrue();
        assertThat(canonical.at("/shelter/constraints").size()).isEqualTo(1);
    }

    @Test
    void carriesTheEntryBanTheInterpreterAndTheConfidentialInterviewBothWays() throws Exception {
        String removal = new String(
                        XmlFixtures.read(Format.PREFECTURE.sample(ReferralType.REMOVAL_OBJECTIVE)),
                        StandardCharsets.UTF_8)
                .replace(
                        "<nature>oqtf-with-delay</nature>",
                        "<nature>oqtf-without-delay</nature>\n      <interdictionRetour>true</interdictionRetour>");
        String support = new String(
                        XmlFixtures.read(Format.POLICE.sample(ReferralType.RESIDENCE_PERMIT_SUPPORT)),
                        StandardCharsets.UTF_8)
                .replace(
                        "<langueUtilisee>fr</langueUtilisee>\n      <rio>",
                        "<langueUtilisee>fr</langueUtilisee>\n      <interprete>\n        <langueUtilisee>ro</langueUtilisee>\n"
                                + "        <reference>EX-INTERPRETE-0000</reference>\n      </interprete>\n      <rio>");

        ObjectNode decision = Format.PREFECTURE.inbound().read(removal.getBytes(StandardCharsets.UTF_8), "");
        ObjectNode rights = Format.POLICE.inbound().read(support.getBytes(StandardCharsets.UTF_8), "");

        assertThat(decision.at("/decision/kind").asText()).isEqualTo("oqtf-without-delay");
        assertThat(decision.at("/decision/entryBan").isBoolean()).isTrue();
        assertThat(rights.at("/rightsInformation/interpreter/language").asText())
                .isEqualTo("ro");
        assertThat(rights.at("/rightsInformation/confidential").booleanValue()).isTrue();
        assertThat(rights.at("/rightsInformation/items")).hasSize(5);
        assertThat(VALIDATOR.validate(decision).type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
        assertThat(VALIDATOR.validate(rights).type()).isEqualTo(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        assertEquivalent(
                Format.PREFECTURE,
                removal.getBytes(StandardCharsets.UTF_8),
                Format.PREFECTURE.outbound().write(item(decision)));
        assertThat(Format.POLICE.inbound().read(Format.POLICE.outbound().write(item(decision)), ""))
                .isEqualTo(decision);
        assertEquivalent(
                Format.POLICE,
                support.getBytes(StandardCharsets.UTF_8),
                Format.POLICE.outbound().write(item(rights)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("carriedTypes")
    void namesEveryFieldOfEveryCanonicalTypeInFrench(ReferralType type) {
        Set<String> fields = new TreeSet<>(XmlFixtures.paths(XmlFixtures.everyField(type)).stream()
                .map(path -> path.substring(path.lastIndexOf('.') + 1))
                .toList());

        fields.removeAll(FrenchNames.with(Map.of()).keySet());
        // Each format names these two envelope elements itself (typeMessage, numeroProcedure...).
        fields.removeAll(Set.of("type", "senderReference"));

        assertThat(fields)
                .as("fields of %s without a French element name in FrenchNames", type)
                .isEmpty();
    }

    static Stream<ReferralType> carriedTypes() {
        return Stream.of(ReferralType.values()).filter(type -> type != ReferralType.REFERRAL_RECEIPT);
    }

    @Test
    void rendersAMinimisedReferralWithTheGatewaysEnvelope() {
        ObjectNode referral = XmlFixtures.JSON
                .createObjectNode()
                .put("schemaVersion", 1)
                .put("type", "shelter.request")
                .put("department", "75")
                .put("urgency", "immediate");
        referral.putObject("subject").put("givenName", "Exemple").put("minor", false);
        referral.putObject("household").put("adults", 1);

        byte[] written = Format.POLICE.outbound().write(item(referral));

        assertThat(new String(written, StandardCharsets.UTF_8))
                .isEqualTo(
                        """
                <?xml version="1.0" encoding="UTF-8"?>
                <message xmlns="urn:passerelle:police:1">
                  <entete>
                    <versionModele>1</versionModele>
                    <typeMessage>shelter.request</typeMessage>
                    <departement>75</departement>
                    <urgence>immediate</urgence>
                    <identifiantPasserelle>7c0e2f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6</identifiantPasserelle>
                    <emetteur>police-75-brp</emetteur>
                    <dateDepot>2026-11-28T10:15:30Z</dateDepot>
                  </entete>
                  <demandeHebergement>
                    <personne>
                      <prenom>Exemple</prenom>
                      <mineur>false</mineur>
                    </personne>
                    <foyer>
                      <adultes>1</adultes>
                    </foyer>
                  </demandeHebergement>
                </message>
                """);
    }

    @Test
    void refusesToRenderATypeTheFormatDoesNotCarry() {
        ObjectNode shelter = canonicalSample(ReferralType.SHELTER_REQUEST);

        assertThatThrownBy(() -> Format.PREFECTURE.outbound().write(item(shelter)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessage("the prefecture-xml format does not carry type 'shelter.request' (carries: "
                        + "residence.permit.support, reflection.period.request, removal.objective, "
                        + "administrative.closure, difficulty.report, reflection.period.decision, "
                        + "residence.permit.decision, exit.pathway.application, exit.pathway.decision, "
                        + "proceeding.outcome)");
    }

    @Test
    void refusesToRenderAFieldOutsideTheCanonicalSchemaNamingItButNotItsValue() {
        ObjectNode referral = canonicalSample(ReferralType.DIFFICULTY_REPORT);
        referral.put("secretField", "Secretvalue");

        assertThatThrownBy(() -> Format.POLICE.outbound().write(item(referral)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessage("cannot render field referral.secretField as police-xml (expected: a field of the"
                        + " canonical schema)");
    }

    @Test
    void isFoundThroughTheServiceLoaderBothWays() {
        Adapters adapters = Adapters.load();

        assertThat(adapters.inbound("police-xml")).isInstanceOf(fr.passerelle.adapters.police.PoliceXmlAdapter.class);
        assertThat(adapters.outbound("police-xml").mediaType()).isEqualTo("application/vnd.passerelle.police+xml");
        assertThat(adapters.inbound("prefecture-xml"))
                .isInstanceOf(fr.passerelle.adapters.prefecture.PrefectureXmlAdapter.class);
        assertThat(adapters.outbound("prefecture-xml").mediaType())
                .isEqualTo("application/vnd.passerelle.prefecture+xml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void shipsTheSameXsdInConfigAndOnTheClassPath(Format format) throws Exception {
        byte[] onClassPath = getClass()
                .getClassLoader()
                .getResourceAsStream(format.vocabulary().schemaResource())
                .readAllBytes();

        assertThat(onClassPath).isEqualTo(Files.readAllBytes(format.xsd()));
    }

    static Stream<Format> formats() {
        return Stream.of(Format.POLICE, Format.PREFECTURE);
    }
}
