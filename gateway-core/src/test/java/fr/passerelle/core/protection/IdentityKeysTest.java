package fr.passerelle.core.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every name here is invented; the given names are common ones, the family names mean "example" or "fiction". */
class IdentityKeysTest {
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    private static final LocalDate ON = LocalDate.of(2026, 3, 1);

    private static JsonNode subject(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    /** @return the keys that a removal objective for {@code wanted} finds among those of {@code protectedPerson} */
    private static Set<String> shared(String wanted, String protectedPerson) {
        Set<String> shared = new HashSet<>(IdentityKeys.probes(subject(wanted), ON));
        shared.retainAll(IdentityKeys.recorded(subject(protectedPerson), ON));
        return shared;
    }

    static Stream<Arguments> samePerson() {
        return Stream.of(
                Arguments.of(
                        "accents and case",
                        "{'givenName':'HELENE','familyName':'FICTIVE','birthDate':'1994-05-02','nationality':'FR'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'fr'}"),
                Arguments.of(
                        "hyphenated and spaced compound family name",
                        "{'givenName':'Lucia','familyName':'PRUEBA INVENTADA','birthDate':'2001-11-30','nationality':'CO'}",
                        "{'givenName':'Lucía','familyName':'Prueba-Inventada','birthDate':'2001-11-30','nationality':'CO'}"),
                Arguments.of(
                        "first part of a compound family name",
                        "{'givenName':'Lucia','familyName':'PRUEBA','birthDate':'2001-11-30','nationality':'CO'}",
                        "{'givenName':'Lucía','familyName':'Prueba-Inventada','birthDate':'2001-11-30','nationality':'CO'}"),
                Arguments.of(
                        "last part of a compound family name",
                        "{'givenName':'Lucia','familyName':'Inventada','birthDate':'2001-11-30','nationality':'CO'}",
                        "{'givenName':'Lucía','familyName':'Prueba Inventada','birthDate':'2001-11-30','nationality':'CO'}"),
                Arguments.of(
                        "compound family name written as one word",
                        "{'givenName':'Lucia','familyName':'PRUEBAINVENTADA','birthDate':'2001-11-30','nationality':'CO'}",
                        "{'givenName':'Lucía','familyName':'Prueba-Inventada','birthDate':'2001-11-30','nationality':'CO'}"),
                Arguments.of(
                        "family name without its particles",
                        "{'givenName':'Ana','familyName':'FICCAO','birthDate':'1998-02-14','nationality':'BR'}",
                        "{'givenName':'Ana','familyName':'da Ficção','birthDate':'1998-02-14','nationality':'BR'}"),
                Arguments.of(
                        "given names in another order",
                        "{'givenName':'Claire Marie','familyName':'Exemple','birthDate':'1990-01-09','nationality':'CM'}",
                        "{'givenName':'Marie Claire','familyName':'EXEMPLE','birthDate':'1990-01-09','nationality':'CM'}"),
                Arguments.of(
                        "one of the given names",
                        "{'givenName':'Claire','familyName':'Exemple','birthDate':'1990-01-09','nationality':'CM'}",
                        "{'givenName':'Marie-Claire','familyName':'EXEMPLE','birthDate':'1990-01-09','nationality':'CM'}"),
                Arguments.of(
                        "Latin passport spelling of a Cyrillic name",
                        "{'givenName':'Natalia','familyName':'PRIMEROVA','birthDate':'1997-06-21','nationality':'RU'}",
                        "{'givenName':'Наталья','familyName':'Примерова','birthDate':'1997-06-21','nationality':'RU'}"),
                Arguments.of(
                        "other Latin spelling of a Cyrillic name",
                        "{'givenName':'Natalya','familyName':'Primerova','birthDate':'1997-06-21','nationality':'RU'}",
                        "{'givenName':'Наталья','familyName':'Примерова','birthDate':'1997-06-21','nationality':'RU'}"),
                Arguments.of(
                        "Ukrainian passport spelling, where Г is H",
                        "{'givenName':'Olha','familyName':'PRYKLADENKO','birthDate':'2000-08-03','nationality':'UA'}",
                        "{'givenName':'Ольга','familyName':'Прикладенко','birthDate':'2000-08-03','nationality':'UA'}"),
                Arguments.of(
                        "Greek and Latin",
                        "{'givenName':'Eleni','familyName':'PARADEIGMATIDOU','birthDate':'1993-04-17','nationality':'GR'}",
                        "{'givenName':'Ελένη','familyName':'Παραδειγματίδου','birthDate':'1993-04-17','nationality':'GR'}"),
                Arguments.of(
                        "Greek digraphs and Latin",
                        "{'givenName':'Evangelia','familyName':'Ypothetiki','birthDate':'1993-04-17','nationality':'GR'}",
                        "{'givenName':'Ευαγγελία','familyName':'Υποθετική','birthDate':'1993-04-17','nationality':'GR'}"),
                Arguments.of(
                        "Arabic script and French spelling",
                        "{'givenName':'Mohamed','familyName':'MITHALI','birthDate':'1999-12-01','nationality':'MA'}",
                        "{'givenName':'محمد','familyName':'مثالي','birthDate':'1999-12-01','nationality':'MA'}"),
                Arguments.of(
                        "Arabic script and English spelling",
                        "{'givenName':'Muhammad','familyName':'Mithaly','birthDate':'1999-12-01','nationality':'MA'}",
                        "{'givenName':'محمد','familyName':'مثالي','birthDate':'1999-12-01','nationality':'MA'}"),
                Arguments.of(
                        "Arabic script and French CH for ش",
                        "{'givenName':'Aïcha','familyName':'IFTIRADI','birthDate':'2002-03-05','nationality':'DZ'}",
                        "{'givenName':'عائشة','familyName':'افتراضي','birthDate':'2002-03-05','nationality':'DZ'}"),
                Arguments.of(
                        "two Latin spellings of an Arabic name",
                        "{'givenName':'Mohammed','familyName':'Mithali','birthDate':'1999-12-01','nationality':'MA'}",
                        "{'givenName':'Muhammad','familyName':'Mithaly','birthDate':'1999-12-01','nationality':'MA'}"),
                Arguments.of(
                        "birth date within the tolerance of an estimated age",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','estimatedAge':30,'nationality':'NG'}"),
                Arguments.of(
                        "estimated age within the tolerance of a birth date",
                        "{'givenName':'Joy','familyName':'Exemplar','estimatedAge':28,'nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}"),
                Arguments.of(
                        "nationality unknown to the protection",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14'}"),
                Arguments.of(
                        "birth year unknown to the protection",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','nationality':'NG'}"),
                Arguments.of(
                        "family name unknown to the protection, birth year known",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','birthDate':'1996-07-14','nationality':'NG'}"),
                Arguments.of(
                        "alias of the protected person used as her given name",
                        "{'givenName':'Lola','familyName':'MODELE','birthDate':'1995-10-10','nationality':'NG'}",
                        "{'givenName':'Précieuse','familyName':'Modèle','alias':'Lola','birthDate':'1995-10-10','nationality':'NG'}"),
                Arguments.of(
                        "alias of the protected person used as her full name",
                        "{'givenName':'Lola','familyName':'ETOILE','birthDate':'1995-10-10','nationality':'NG'}",
                        "{'givenName':'Précieuse','familyName':'Modèle','alias':'Lola Étoile','birthDate':'1995-10-10','nationality':'NG'}"),
                Arguments.of(
                        "alias of the wanted person is the protected person's name",
                        "{'givenName':'Lola','familyName':'Inconnue','alias':'Précieuse Modèle','birthDate':'1995-10-10','nationality':'NG'}",
                        "{'givenName':'Précieuse','familyName':'Modèle','birthDate':'1995-10-10','nationality':'NG'}"),
                Arguments.of(
                        "family and given names swapped",
                        "{'givenName':'FICTIVE','familyName':'Hélène','birthDate':'1994-05-02','nationality':'FR'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}"),
                Arguments.of(
                        "whole name in the given-name field",
                        "{'givenName':'Hélène Fictive','birthDate':'1994-05-02','nationality':'FR'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samePerson")
    void matchesSpellingsOfTheSamePerson(String variant, String wanted, String protectedPerson) {
        Set<String> shared = shared(wanted, protectedPerson);

        assertThat(shared).as(variant).isNotEmpty();
    }

    static Stream<Arguments> differentPeople() {
        return Stream.of(
                Arguments.of(
                        "only the family name shared",
                        "{'givenName':'Amina','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}"),
                Arguments.of(
                        "only the given name shared, both family names known",
                        "{'givenName':'Joy','familyName':'Autrement','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}"),
                Arguments.of(
                        "same names born ten years apart",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1984-05-02','nationality':'FR'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}"),
                Arguments.of(
                        "same names and birth date, different known nationalities",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'BE'}",
                        "{'givenName':'Hélène','familyName':'Fictive','birthDate':'1994-05-02','nationality':'FR'}"),
                Arguments.of(
                        "estimated age far from the birth date",
                        "{'givenName':'Joy','familyName':'Exemplar','estimatedAge':19,'nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1990-01-01','nationality':'NG'}"),
                Arguments.of(
                        "birth date just outside the tolerance of an estimated age",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1993-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','familyName':'Exemplar','estimatedAge':30,'nationality':'NG'}"),
                Arguments.of(
                        "only a particle of the family name shared",
                        "{'givenName':'Ana','familyName':'DA','birthDate':'1998-02-14','nationality':'BR'}",
                        "{'givenName':'Ana','familyName':'da Ficção','birthDate':'1998-02-14','nationality':'BR'}"),
                Arguments.of(
                        "a given name recorded alone, without a birth year",
                        "{'givenName':'Joy','familyName':'Exemplar','birthDate':'1996-07-14','nationality':'NG'}",
                        "{'givenName':'Joy','nationality':'NG'}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentPeople")
    void keepsApartPeopleWhoOnlyLookAlike(String difference, String wanted, String protectedPerson) {
        Set<String> shared = shared(wanted, protectedPerson);

        assertThat(shared).as(difference).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "Hélène | HELENE",
                "  jean-pierre   O'Fictif. | JEAN PIERRE O FICTIF",
                "Ñúñez Çelik | NUNEZ CELIK",
                "Straße Œuvre Æsa | STRASSE OEUVRE AESA",
                "Søren Łucja Đorđe Þóra | SOREN LUCJA DORDE THORA",
                "İlkay ılık | ILKAY ILIK",
                "Наталья Примерова | NATALIA PRIMEROVA",
                "Юлія Щукіна | IULIIA SHCHUKINA",
                "Жанна Хмельницька | ZHANNA KHMELNITSKA",
                "Ђорђе Љубичић Џаја | DJORDJE LJUBICHIC DZAJA",
                "Ελένη Θεοδώρου | ELENI THEODOROU",
                "Ευάγγελος Μπακογιάννης | EVANGELOS BAKOGIANNIS",
                "Ευθυμία Ψαρρού | EFTHYMIA PSARROU",
                "محمد | MHMD",
                "فاطمة | FATMA",
                "أحمد عبد الله | AHMD BD ALLH",
                "مُحَمَّد | MHMD",
                "Ｍａｒｉｅ１２ | MARIE",
                "Marie 🌸 Claire | MARIE CLAIRE",
                "\"\" | \"\"",
                "🌸 | \"\""
            })
    void normalisesToLettersAndSingleSpaces(String name, String expected) {
        String normalised = IdentityKeys.normalise(name);

        assertThat(normalised).isEqualTo(expected);
    }

    @Test
    void normalisesNullToEmpty() {
        String normalised = IdentityKeys.normalise(null);

        assertThat(normalised).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MOHAMED", "MUHAMMAD", "MOHAMMED", "MOHAMMAD", "محمد", "مُحَمَّد"})
    void givesSpellingsOfMuhammadOneSkeleton(String name) {
        String skeleton = IdentityKeys.skeleton(IdentityKeys.normalise(name));

        assertThat(skeleton).isEqualTo("MHMD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NATALIA", "Natalya", "Наталья", "Наталія"})
    void givesSpellingsOfNataliaOneSkeleton(String name) {
        String skeleton = IdentityKeys.skeleton(IdentityKeys.normalise(name));

        assertThat(skeleton).isEqualTo("NTL");
    }

    @Test
    void givesNoSkeletonToANameOfVowelsOnly() {
        String skeleton = IdentityKeys.skeleton("AYA");

        assertThat(skeleton).isEmpty();
    }

    @Test
    void recordsTheNameItsSkeletonAndTheSwappedFormWithTheRealYearAndNationality() {
        Set<String> keys = IdentityKeys.recorded(
                subject(
                        "{'givenName': 'Exemple', 'familyName': 'Fictif', 'birthDate': '1999-01-01', 'nationality': 'ZZ',"
                                + " 'minor': false, 'languages': ['fr']}"),
                ON);

        assertThat(keys)
                .containsExactly(
                        "V1|NAME|FICTIF|EXEMPLE|Y1999|ZZ", "V1|NAME|FICTIF|EXEMPLE|Y-|ZZ",
                        "V1|SKEL|FKTF|KSMPL|Y1999|ZZ", "V1|SKEL|FKTF|KSMPL|Y-|ZZ",
                        "V1|NAME|EXEMPLE|FICTIF|Y1999|ZZ", "V1|NAME|EXEMPLE|FICTIF|Y-|ZZ",
                        "V1|SKEL|KSMPL|FKTF|Y1999|ZZ", "V1|SKEL|KSMPL|FKTF|Y-|ZZ");
    }

    @Test
    void probesAlsoWithUnknownYearNationalityAndFamilyName() {
        Set<String> keys = IdentityKeys.probes(
                subject(
                        "{'givenName': 'Exemple', 'familyName': 'Fictif', 'birthDate': '1999-01-01', 'nationality': 'ZZ'}"),
                ON);

        assertThat(keys)
                .containsAll(IdentityKeys.recorded(
                                subject(
                                        "{'givenName': 'Exemple', 'familyName': 'Fictif', 'birthDate': '1999-01-01', 'nationality': 'ZZ'}"),
                                ON)
                        .stream()
                        .filter(k -> !k.contains("|Y-|"))
                        .toList())
                .noneMatch(k -> k.contains("|Y-|"))
                .contains(
                        "V1|NAME|FICTIF|EXEMPLE|Y1999|*",
                        "V1|NAME|FICTIF|EXEMPLE|Y*|ZZ",
                        "V1|NAME|FICTIF|EXEMPLE|Y*|*",
                        "V1|GIVEN|EXEMPLE|Y1999|ZZ",
                        "V1|GIVEN|EXEMPLE|Y1999|*")
                .doesNotContain("V1|GIVEN|EXEMPLE|Y*|ZZ", "V1|GIVEN|EXEMPLE|Y*|*")
                .hasSize(20);
    }

    @Test
    void aProbeWithoutBirthYearMeetsAProtectionRecordedWithOneButTwoKnownYearsMustAgree() {
        Set<String> recorded = IdentityKeys.recorded(
                subject(
                        "{'givenName': 'Exemple', 'familyName': 'Fictif', 'birthDate': '1999-01-01', 'nationality': 'ZZ'}"),
                ON);

        Set<String> noYear = new HashSet<>(IdentityKeys.probes(
                subject("{'givenName': 'Exemple', 'familyName': 'Fictif', 'nationality': 'ZZ'}"), ON));
        Set<String> otherYear = new HashSet<>(IdentityKeys.probes(
                subject(
                        "{'givenName': 'Exemple', 'familyName': 'Fictif', 'birthDate': '2009-01-01', 'nationality': 'ZZ'}"),
                ON));

        noYear.retainAll(recorded);
        otherYear.retainAll(recorded);
        assertThat(noYear).contains("V1|NAME|FICTIF|EXEMPLE|Y-|ZZ");
        assertThat(otherYear).isEmpty();
    }

    @Test
    void turnsAnEstimatedAgeIntoFiveBirthYears() {
        Set<String> keys = IdentityKeys.recorded(
                subject("{'givenName': 'Joy', 'familyName': 'Exemplar', 'estimatedAge': 30}"), ON);

        assertThat(keys)
                .filteredOn(k -> k.startsWith("V1|NAME|EXEMPLAR|JOY|"))
                .containsExactly(
                        "V1|NAME|EXEMPLAR|JOY|Y1994|*",
                        "V1|NAME|EXEMPLAR|JOY|Y1995|*",
                        "V1|NAME|EXEMPLAR|JOY|Y1996|*",
                        "V1|NAME|EXEMPLAR|JOY|Y1997|*",
                        "V1|NAME|EXEMPLAR|JOY|Y1998|*",
                        "V1|NAME|EXEMPLAR|JOY|Y-|*");
    }

    @Test
    void prefersTheBirthDateToTheEstimatedAge() {
        Set<String> keys = IdentityKeys.recorded(
                subject(
                        "{'givenName': 'Joy', 'familyName': 'Exemplar', 'birthDate': '1996-07-14', 'estimatedAge': 50}"),
                ON);

        assertThat(keys).allMatch(k -> k.contains("|Y1996|") || k.contains("|Y-|"));
    }

    @Test
    void recordsNothingForAGivenNameAloneWithoutBirthYear() {
        Set<String> keys = IdentityKeys.recorded(subject("{'givenName': 'Joy', 'nationality': 'NG'}"), ON);

        assertThat(keys).isEmpty();
    }

    @Test
    void recordsNothingForAFamilyNameAlone() {
        Set<String> keys = IdentityKeys.probes(
                subject("{'givenName': '', 'familyName': 'Fictive', 'birthDate': '1994-05-02', 'nationality': 'FR'}"),
                ON);

        assertThat(keys).isEmpty();
    }

    static Stream<String> sampleSubjects() {
        return Stream.concat(samePerson(), differentPeople())
                .flatMap(a -> Stream.of(a.get()).skip(1))
                .map(String.class::cast);
    }

    @ParameterizedTest
    @MethodSource("sampleSubjects")
    void writesKeysInCapitalsDigitsAndSeparatorsOnly(String json) {
        Set<String> keys = new HashSet<>(IdentityKeys.probes(subject(json), ON));
        keys.addAll(IdentityKeys.recorded(subject(json), ON));

        assertThat(keys)
                .allMatch(k ->
                        k.matches("V1\\|(NAME|SKEL|GIVEN|GSKEL)\\|[A-Z0-9|*-]+\\|Y(\\d{4}|\\*|-)\\|([A-Z]{2}|\\*)"));
    }

    @Test
    void isDeterministicInContentAndOrder() {
        String json = "{'givenName': 'Marie Claire', 'familyName': 'de la Fiction-Exemple', 'alias': 'Lola Étoile',"
                + " 'estimatedAge': 24, 'nationality': 'CM'}";

        List<String> first = List.copyOf(IdentityKeys.probes(subject(json), ON));
        List<String> second = List.copyOf(IdentityKeys.probes(subject(json), ON));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void boundsTheKeysOfLongCompoundNames() {
        String json = "{'givenName': 'Maria Fernanda Luisa Beatriz Carolina Isabel',"
                + " 'familyName': 'de los Santos Ejemplo-Ficticio y Prueba da Silva Inventada',"
                + " 'alias': 'La Reina del Ejemplo Ficticio', 'estimatedAge': 22, 'nationality': 'VE'}";

        Set<String> probes = IdentityKeys.probes(subject(json), ON);
        Set<String> recorded = IdentityKeys.recorded(subject(json), ON);

        assertThat(probes)
                .hasSizeLessThanOrEqualTo(IdentityKeys.MAX_KEYS)
                .contains("V1|NAME|DELOSSANTOSEJEMPLO|MARIA|Y2002|VE");
        assertThat(recorded).hasSizeLessThanOrEqualTo(IdentityKeys.MAX_KEYS);
    }

    @Test
    void keepsEveryFormOfATypicalRichSubjectUnderTheBound() {
        String json = "{'givenName': 'Marie Claire', 'familyName': 'Prueba-Inventada', 'alias': 'Lola Étoile',"
                + " 'estimatedAge': 24, 'nationality': 'CM'}";

        Set<String> probes = IdentityKeys.probes(subject(json), ON);

        assertThat(probes)
                .hasSizeLessThan(IdentityKeys.MAX_KEYS)
                .contains("V1|NAME|ETOILE|LOLA|Y2002|CM", "V1|SKEL|NVNTD|L|Y*|*", "V1|GSKEL|L|Y2004|*");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "'Hélène Fictive'",
                "null",
                "{'givenName': '', 'familyName': '', 'alias': '', 'birthDate': '', 'nationality': ''}",
                "{'givenName': 42, 'familyName': true, 'alias': [1, 2], 'birthDate': 19940502, 'nationality': 33}",
                "{'givenName': {'first': 'Joy'}, 'familyName': null, 'estimatedAge': 'thirty'}",
                "{'givenName': '🌸🌸', 'familyName': '💃', 'birthDate': '1994-02-30', 'nationality': 'FRA'}",
                "{'givenName': 'Joy', 'familyName': 'Exemplar', 'birthDate': 'soon', 'estimatedAge': -4}",
                "{'givenName': 'Joy', 'familyName': 'Exemplar', 'birthDate': '+12345-01-01', 'estimatedAge': 9999999999}",
                "{'givenName': 'Joy', 'familyName': 'Exemplar', 'estimatedAge': 3.5, 'nationality': 'é1'}",
                "{'givenName': '- . ’', 'familyName': '١٢٣', 'alias': '\\u200d\\u0640'}"
            })
    void neverThrowsOnOddInput(String json) {
        JsonNode odd = subject(json);

        assertThatCode(() -> {
                    IdentityKeys.recorded(odd, ON);
                    IdentityKeys.probes(odd, ON);
                    IdentityKeys.probes(odd, null);
                    IdentityKeys.recorded(null, ON);
                })
                .doesNotThrowAnyException();
    }

    @Test
    void ignoresFieldsThatAreNotText() {
        Set<String> keys = IdentityKeys.probes(
                subject(
                        "{'givenName': 42, 'familyName': 'Fictive', 'alias': ['Lola'], 'birthDate': 1994, 'nationality': 33}"),
                ON);

        assertThat(keys).isEmpty();
    }
}
