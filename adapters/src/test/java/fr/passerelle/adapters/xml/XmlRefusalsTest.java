package fr.passerelle.adapters.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import fr.passerelle.adapters.xml.XmlFixtures.Format;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlRefusalsTest {
    private static final String POLICE = "urn:passerelle:police:1";

    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    private String url;

    @BeforeEach
    void startAServerThatCountsFetches() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leak 'fetched'>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void refusesMalformedXmlNamingLineAndColumnButNoText() {
        String xml =
                sample(ReferralType.SHELTER_REQUEST).replace("<prenom>Exemple</prenom>", "<prenom>Secretname</nom>");

        assertRefusal(xml)
                .hasMessage("the police-xml document is not well-formed XML at line 13, column 27"
                        + " (expected: well-formed XML 1.0)");
    }

    @Test
    void refusesAnExternalFileEntityWithoutReadingTheFile(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "Secretcontent");
        String xml = "<?xml version='1.0'?>\n<!DOCTYPE message [<!ENTITY x SYSTEM '" + secret.toUri() + "'>]>\n"
                + "<message xmlns='" + POLICE + "'>&x;</message>";

        assertRefusal(xml)
                .hasMessage("DOCTYPE is not allowed in a police-xml document at line 2, column 10:"
                        + " DTDs and entities, internal or external, are refused and nothing is resolved")
                .hasMessageNotContaining("Secretcontent");
    }

    @Test
    void refusesExternalHttpEntitiesAndDtdsWithoutFetchingThem() {
        String entity =
                "<!DOCTYPE message [<!ENTITY x SYSTEM '" + url + "'>]><message xmlns='" + POLICE + "'>&x;</message>";
        String parameter =
                "<!DOCTYPE message [<!ENTITY % p SYSTEM '" + url + "'> %p;]><message xmlns='" + POLICE + "'/>";
        String dtd = "<!DOCTYPE message SYSTEM '" + url + "'><message xmlns='" + POLICE + "'/>";

        for (String xml : new String[] {entity, parameter, dtd}) {
            assertRefusal(xml).hasMessageStartingWith("DOCTYPE is not allowed in a police-xml document at line 1");
        }
        assertThat(fetches).hasValue(0);
    }

    @Test
    void refusesBillionLaughsBeforeExpandingAnything() {
        StringBuilder xml = new StringBuilder("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 'lol'>\n");
        for (int i = 1; i < 10; i++) {
            xml.append(" <!ENTITY lol")
                    .append(i)
                    .append(" '")
                    .append(("&lol" + (i - 1) + ";").repeat(10))
                    .append("'>\n");
        }
        xml.append("]>\n<message xmlns='" + POLICE + "'>&lol9;</message>");

        assertRefusal(xml.toString())
                .hasMessage("DOCTYPE is not allowed in a police-xml document at line 2,"
                        + " column 10: DTDs and entities, internal or external, are refused and nothing is resolved");
    }

    @Test
    void ignoresXIncludeAndSchemaLocationHintsWithoutFetchingThem() {
        String xinclude = sample(ReferralType.DIFFICULTY_REPORT)
                .replace(
                        "<entete>",
                        "<entete><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='" + url + "'/>");
        String hint = sample(ReferralType.DIFFICULTY_REPORT)
                .replace(
                        "<message xmlns=\"" + POLICE + "\">",
                        "<message xmlns=\"" + POLICE + "\" xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'"
                                + " xsi:schemaLocation='" + POLICE + " " + url + "'>");

        assertRefusal(xinclude)
                .hasMessage("the police-xml document has an unexpected element"
                        + " '{http://www.w3.org/2001/XInclude}include' in /message/entete at line 3, column 102"
                        + " (expected: versionModele)");
        assertThat(Format.POLICE
                        .inbound()
                        .read(bytes(hint), "application/xml")
                        .get("type")
                        .asText())
                .isEqualTo("difficulty.report");
        assertThat(fetches).hasValue(0);
    }

    @Test
    void refusesAnotherNamespaceNamingTheExpectedOne() {
        String other = sample(ReferralType.DIFFICULTY_REPORT).replace(POLICE, "urn:example:other");
        String none = sample(ReferralType.DIFFICULTY_REPORT).replace(" xmlns=\"" + POLICE + "\"", "");

        assertRefusal(other)
                .hasMessage("the root element 'message' at line 2, column 36 is in namespace"
                        + " 'urn:example:other' (expected: namespace urn:passerelle:police:1)");
        assertRefusal(none)
                .hasMessage("the root element 'message' at line 2, column 10 is in no namespace"
                        + " (expected: namespace urn:passerelle:police:1)");
        assertThatThrownBy(() -> Format.PREFECTURE.inbound().read(bytes(sample(ReferralType.DIFFICULTY_REPORT)), ""))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID))
                .hasMessage("the root element 'message' at line 2, column 42 is in namespace"
                        + " 'urn:passerelle:police:1' (expected: namespace urn:passerelle:prefecture:1)");
    }

    @Test
    void refusesAnotherRootElement() {
        assertRefusal("<signalement xmlns='" + POLICE + "'/>")
                .hasMessage("the root element is 'signalement' at"
                        + " line 1, column 47 (expected: message in namespace urn:passerelle:police:1)");
    }

    @Test
    void refusesAMissingRequiredElementNamingItsPathAndTheElementExpected() {
        String noAdults = sample(ReferralType.SHELTER_REQUEST).replaceAll("(?s)<foyer>.*</foyer>", "<foyer></foyer>");
        String noGivenName = sample(ReferralType.SHELTER_REQUEST).replace("<prenom>Exemple</prenom>", "");

        assertRefusal(noAdults)
                .hasMessage("the police-xml document lacks a required element in"
                        + " /message/demandeHebergement/foyer at line 40, column 20 (expected: adultes)");
        assertRefusal(noGivenName)
                .hasMessage("the police-xml document has an unexpected element 'nom' in"
                        + " /message/demandeHebergement/personne at line 14, column 12 (expected: prenom)");
    }

    @Test
    void refusesARemovalObjectiveThatDoesNotStateTheReflectionPeriodInEitherFormat() {
        String police =
                sample(ReferralType.REMOVAL_OBJECTIVE).replaceAll("(?s)<delaiReflexion>.*</delaiReflexion>", "");
        String prefecture = prefectureSample(ReferralType.REMOVAL_OBJECTIVE)
                .replaceAll("(?s)<delaiReflexion>.*</delaiReflexion>", "");

        assertRefusal(police)
                .hasMessage("the police-xml document has an unexpected element 'dernierLieuConnu' in"
                        + " /message/ficheObjectif at line 26, column 23 (expected: delaiReflexion)");
        assertPrefectureRefusal(prefecture)
                .hasMessage(
                        "the prefecture-xml document has an unexpected element"
                                + " 'dernierLieuConnu' in /echange/ficheObjectif at line 26, column 23 (expected: delaiReflexion)");
    }

    @Test
    void refusesAPrefectureDecisionWithoutTheRequestItAnswers() {
        String decision = prefectureSample(ReferralType.REFLECTION_PERIOD_DECISION)
                .replaceAll("<identifiantDemande>.*</identifiantDemande>", "");

        assertPrefectureRefusal(decision)
                .hasMessage(
                        "the prefecture-xml document has an unexpected element"
                                + " 'demandeur' in /echange/decisionDelaiReflexion at line 13, column 16 (expected: identifiantDemande)");
    }

    @Test
    void refusesAnUnknownElementNamingWhatMayStandThere() {
        String xml = sample(ReferralType.SHELTER_REQUEST)
                .replace("<nuitees>7</nuitees>", "<nuitees>7</nuitees><couleurPreferee>Secretvalue</couleurPreferee>");

        assertRefusal(xml)
                .hasMessage("the police-xml document has an unexpected element 'couleurPreferee' in"
                        + " /message/demandeHebergement/hebergement at line 48, column 44"
                        + " (expected: one of lieuProtegeRequis, contrainte)");
    }

    @Test
    void refusesAnInvalidValueSayingWhatIsExpectedButNotTheValue() {
        String word =
                sample(ReferralType.SHELTER_REQUEST).replace("<adultes>1</adultes>", "<adultes>Secretvalue</adultes>");
        String huge = sample(ReferralType.SHELTER_REQUEST)
                .replace("<adultes>1</adultes>", "<adultes>" + "9".repeat(30) + "</adultes>");
        String code = sample(ReferralType.SHELTER_REQUEST)
                .replace("<urgence>immediate</urgence>", "<urgence>Secretvalue</urgence>");

        assertRefusal(word)
                .hasMessage(
                        "the police-xml document has an invalid value in"
                                + " /message/demandeHebergement/foyer/adultes at line 41, column 37 (expected: an integer of at least 1)");
        assertRefusal(huge)
                .hasMessage(
                        "the police-xml document has an integer of 30 characters in"
                                + " /message/demandeHebergement/foyer/adultes at line 41, column 16 (expected: at most 18 digits)");
        assertRefusal(code)
                .hasMessage("the police-xml document has an invalid value in /message/entete/urgence"
                        + " at line 9, column 35 (expected: one of routine, urgent, immediate)");
    }

    @Test
    void refusesAPersonCarryingRequestWithoutConsentInEitherFormat() {
        String police = sample(ReferralType.SHELTER_REQUEST).replaceAll("(?s)<consentement>.*</consentement>", "");
        String prefecture = prefectureSample(ReferralType.REFLECTION_PERIOD_REQUEST)
                .replaceAll("(?s)<consentement>.*</consentement>", "");

        assertRefusal(police)
                .hasMessage("the police-xml document has an unexpected element 'foyer' in"
                        + " /message/demandeHebergement at line 30, column 12 (expected: consentement)");
        assertPrefectureRefusal(prefecture)
                .hasMessage("the prefecture-xml document has an unexpected element"
                        + " 'informationDroits' in /echange/recepisse at line 30, column 24 (expected: consentement)");
    }

    @Test
    void refusesTheFormerNamesOfTheAliasAndTheSexNamingTheNewOnes() {
        String alias = sample(ReferralType.SHELTER_REQUEST).replace("pseudonyme>", "nomUsage>");
        String gender = sample(ReferralType.SHELTER_REQUEST).replace("sexe>", "genre>");

        assertRefusal(alias)
                .hasMessageStartingWith("the police-xml document has an unexpected element 'nomUsage' in"
                        + " /message/demandeHebergement/personne at line 15, column 17 (expected: one of ")
                .hasMessageContaining("pseudonyme");
        assertRefusal(gender)
                .hasMessageStartingWith("the police-xml document has an unexpected element 'genre' in"
                        + " /message/demandeHebergement/personne at line 18, column 14 (expected: one of ")
                .hasMessageContaining("sexe");
    }

    @Test
    void refusesARemovalKindOutsideCesedaListingTheKindsAndKeepingTheIrtfAnAccessory() {
        String irtf = sample(ReferralType.REMOVAL_OBJECTIVE)
                .replace("<nature>oqtf-with-delay</nature>", "<nature>irtf</nature>");
        String secret = sample(ReferralType.REMOVAL_OBJECTIVE)
                .replace("<nature>oqtf-with-delay</nature>", "<nature>Secretvalue</nature>");

        assertRefusal(irtf)
                .hasMessage("the police-xml document has an invalid value in"
                        + " /message/ficheObjectif/decision/nature at line 20, column 28 (expected: one of oqtf-with-delay,"
                        + " oqtf-without-delay, itf, expulsion, readmission, dublin-transfer)");
        assertRefusal(secret).hasMessageContaining("/message/ficheObjectif/decision/nature");
    }

    @Test
    void refusesAnEnvelopeWhoseTypeDisagreesWithTheContent() {
        String xml = sample(ReferralType.SHELTER_REQUEST)
                .replace("<typeMessage>shelter.request</typeMessage>", "<typeMessage>removal.objective</typeMessage>");

        assertRefusal(xml)
                .hasMessage("the police-xml document's /message/entete/typeMessage is removal.objective"
                        + " but its content element 'demandeHebergement' at line 11, column 23 is for shelter.request"
                        + " (expected: ficheObjectif)");
    }

    @Test
    void refusesOtherMediaTypesAndAcceptsTheXmlOnes() {
        byte[] xml = bytes(sample(ReferralType.DIFFICULTY_REPORT));

        assertThatThrownBy(() -> Format.POLICE.inbound().read(xml, "application/json"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED))
                .hasMessage("media type 'application/json' is not read by the police-xml format (expected:"
                        + " application/vnd.passerelle.police+xml, application/xml or text/xml)");
        for (String accepted :
                new String[] {"", "application/xml", "text/xml", "application/vnd.passerelle.police+xml"}) {
            assertThat(Format.POLICE
                            .inbound()
                            .read(xml, accepted)
                            .get("category")
                            .asText())
                    .isEqualTo("delay");
        }
    }

    @Test
    void refusesAnEmptyOrOversizedBody() {
        assertRefusal("").hasMessage("the request body is empty (expected: a police-xml document)");
        byte[] huge = new byte[SafeXmlParser.MAX_BYTES + 1];
        assertThatThrownBy(() -> Format.POLICE.inbound().read(huge, "application/xml"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BODY_TOO_LARGE))
                .hasMessage("the police-xml document is 1048577 bytes (expected: at most 1048576)");
    }

    @Test
    void refusesADeclaredEncodingOtherThanUtf8EvenWhenTheBytesAreUtf8() {
        String xml = sample(ReferralType.SHELTER_REQUEST).replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");

        assertRefusal(xml)
                .hasMessage("the police-xml document declares encoding 'ISO-8859-1' (expected: UTF-8,"
                        + " the only encoding the gateway reads; declare encoding=\"UTF-8\" or none)");
    }

    @Test
    void refusesLatin1BytesUnderAUtf8DeclarationNamingTheByteOffset() {
        String xml = sample(ReferralType.SHELTER_REQUEST)
                .replace("<prenom>Exemple</prenom>", "<prenom>Secr\u00e9t</prenom>");
        byte[] latin1 = xml.getBytes(StandardCharsets.ISO_8859_1);
        int offset = xml.indexOf('\u00e9');

        assertThatThrownBy(() -> Format.POLICE.inbound().read(latin1, "application/xml"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("the police-xml document is not valid UTF-8 at byte offset "
                                    + offset + ": a truncated sequence (expected: UTF-8 without overlong forms, encoded"
                                    + " surrogates or code points above U+10FFFF)");
                });
    }

    @Test
    void refusesOverlongSurrogateAndOutOfRangeUtf8InEitherFormat() {
        for (String hex : new String[] {"c0af", "eda080", "f4908080"}) {
            for (Format format : new Format[] {Format.POLICE, Format.PREFECTURE}) {
                String xml = new String(
                        XmlFixtures.read(format.sample(
                                format == Format.POLICE
                                        ? ReferralType.SHELTER_REQUEST
                                        : ReferralType.DIFFICULTY_REPORT)),
                        StandardCharsets.UTF_8);
                int at = xml.indexOf("<message") + 1;
                byte[] head = xml.substring(0, at).getBytes(StandardCharsets.UTF_8);
                byte[] bad = java.util.HexFormat.of().parseHex(hex);
                byte[] tail = xml.substring(at).getBytes(StandardCharsets.UTF_8);
                byte[] body = new byte[head.length + bad.length + tail.length];
                System.arraycopy(head, 0, body, 0, head.length);
                System.arraycopy(bad, 0, body, head.length, bad.length);
                System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);

                assertThatThrownBy(() -> format.inbound().read(body, "application/xml"))
                        .isInstanceOfSatisfying(GatewayException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID);
                            assertThat(e.getMessage())
                                    .startsWith("the " + format.inbound().id()
                                            + " document is not valid UTF-8 at byte offset " + head.length + ": ");
                        });
            }
        }
    }

    private static String sample(ReferralType type) {
        return new String(XmlFixtures.read(Format.POLICE.sample(type)), StandardCharsets.UTF_8);
    }

    private static String prefectureSample(ReferralType type) {
        return new String(XmlFixtures.read(Format.PREFECTURE.sample(type)), StandardCharsets.UTF_8);
    }

    private static AbstractThrowableAssert<?, ?> assertPrefectureRefusal(String xml) {
        return assertThatThrownBy(() -> Format.PREFECTURE.inbound().read(bytes(xml), "application/xml"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID));
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static AbstractThrowableAssert<?, ?> assertRefusal(String xml) {
        return assertThatThrownBy(() -> Format.POLICE.inbound().read(bytes(xml), "application/xml"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID);
                    assertThat(e.getMessage()).doesNotContain("Secret");
                });
    }
}
