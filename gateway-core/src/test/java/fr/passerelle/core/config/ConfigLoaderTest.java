package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private String only(ConfigReport report) {
        assertThat(report.problems()).hasSize(1);
        assertThat(report.deployment().isPresent()).isEqualTo(report.errors().isEmpty());
        return config.shown(report.problems().get(0));
    }

    @Test
    void acceptsTheValidConfigurationWithoutAnyProblem() {
        ConfigReport report = config.check();

        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment()).isPresent();
        assertThat(report.deployment().get().partners()).hasSize(9);
        assertThat(report.deployment().get().routes()).hasSize(18);
    }

    @Test
    void reportsASyntaxErrorAtTheParsersLine() {
        config.write("partners/siao-75.yaml", "id: siao-75", "name: SIAO", "  departments: [\"75\"]");

        assertThat(only(config.check()))
                .isEqualTo("partners/siao-75.yaml:3: error: YAML syntax error: mapping values"
                        + " are not allowed here (fix: check the indentation, colons and quotes on this line and the one"
                        + " before)");
    }

    @Test
    void suggestsTheClosestKnownKeyForAnUnknownKey() {
        config.replace("gateway.yaml", "  port: 8443", "  prot: 8443");

        assertThat(only(config.check()))
                .isEqualTo(
                        "gateway.yaml:2: error: unknown key 'prot' in 'server' (expected"
                                + " one of: host, port, max_body_bytes, idle_timeout_seconds, workers) (fix: did you mean 'port'?)");
    }

    @Test
    void reportsAWrongType() {
        config.replace("gateway.yaml", "  port: 8443", "  port: https");

        assertThat(only(config.check()))
                .isEqualTo("gateway.yaml:2: error: 'server.port' must be a whole number,"
                        + " found the text 'https' (fix: write a number such as 8443)");
    }

    @Test
    void reportsAMissingRequiredKeyWithAnExample() {
        config.replace("gateway.yaml", "data_dir: ../data", "");

        assertThat(only(config.check()))
                .isEqualTo("gateway.yaml:1: error: missing required key 'data_dir' (fix: add" + " data_dir: ../data)");
    }

    @Test
    void reportsABlankName() {
        config.replace("partners/siao-75.yaml", "name: Partner siao-75", "name: \" \"");

        assertThat(only(config.check()))
                .isEqualTo("partners/siao-75.yaml:2: error: 'name' is empty (fix: write the"
                        + " unit's full name, as recipients should see it)");
    }

    @Test
    void refusesReceivesListingATypeThePartnersKindDoesNotReceive() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\nreceives: [removal.objective]");

        assertThat(only(config.check()))
                .isEqualTo("partners/siao-75.yaml:10: error: a siao does not receive removal.objective in DESIGN.md's"
                        + " message table (receivers: police, gendarmerie) (fix: remove it from receives)");
    }

    @Test
    void bringsAPartnerThatListsReceivesOnlyThoseTypesByKind() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\nreceives: [victim.orientation]");

        ConfigReport report = config.check();

        assertThat(report.problems())
                .extracting(ConfigProblem::message)
                .containsExactly("shelter.request sent in department 75 by association-75-amarante would reach nobody:"
                        + " route shelter matches but reaches no enabled recipient there (rule department-covered)");
    }

    @Test
    void reportsABrokenPartnerOnceNotAgainInTheRoutesThatNameIt() {
        config.replace("partners/monitoring-centre-de-veille.yaml", "inbound: canonical-json", "inbound: [json]");

        assertThat(only(config.check()))
                .isEqualTo("partners/monitoring-centre-de-veille.yaml:5: error: 'inbound' must"
                        + " be a single value, found a list (fix: write one value on the line)");
    }

    @Test
    void reportsAPortOutOfRange() {
        config.replace("gateway.yaml", "  port: 8443", "  port: 70000");

        assertThat(only(config.check()))
                .isEqualTo("gateway.yaml:2: error: 'server.port' is 70000 (expected:"
                        + " 0-65535) (fix: write a number from 0 to 65535)");
    }

    @Test
    void refusesNegativeSizes() {
        config.replace("gateway.yaml", "  port: 8443", "  port: 8443\n  max_body_bytes: -1\n  workers: 0")
                .replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ndatabase: {max_pool_size: -5}");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "gateway.yaml:3: error: 'server.max_body_bytes' is -1 (expected: 1-2147483647) (fix: write a number"
                                + " from 1 to 2147483647)",
                        "gateway.yaml:4: error: 'server.workers' is 0 (expected: 1-1024) (fix: write a number from 1 to 1024)",
                        "gateway.yaml:8: error: 'database.max_pool_size' is -5 (expected: 1-1000) (fix: write a number from 1"
                                + " to 1000)");
    }

    @Test
    void reportsAKeyWrittenTwice() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ndata_dir: /var/lib/passerelle");

        assertThat(only(config.check()))
                .isEqualTo("gateway.yaml:6: error: key 'data_dir' appears twice (first on"
                        + " line 5) (fix: keep one of them)");
    }

    @Test
    void reportsAMissingFile() {
        config.write("routes.yaml", "").dir().resolve("routes.yaml").toFile().delete();

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml: error: file not found (fix: create it, or point"
                        + " GATEWAY_CONFIG at the right gateway.yaml)");
    }

    @Test
    void reportsABadPartnerId() {
        config.replace("partners/siao-75.yaml", "id: siao-75", "id: siao_75");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-75.yaml:1: error: partner id 'siao_75' is not valid (expected: <kind>-<words>,"
                                + " lowercase letters, digits and dashes, at most 63 characters, for instance police-75-brp)"
                                + " (fix: rename it, for instance association-75-amarante)");
    }

    @Test
    void reportsAnUnknownKindInAPartnerIdWithASuggestion() {
        config.replace("partners/police-75-brp.yaml", "id: police-75-brp", "id: polise-75-brp");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/police-75-brp.yaml:1: error: partner kind 'polise' of id 'polise-75-brp' is unknown"
                                + " (expected one of: police, gendarmerie, association, social, siao, prefecture,"
                                + " security, cohesion, housing, crip, prosecutor, labour, urssaf, health, caf, cpam, tax,"
                                + " customs, employment, funder, monitoring, dgcs, miprof) (fix: did you mean 'police'?)");
    }

    @Test
    void reportsAFileNamedOtherwiseThanItsId() {
        config.replace("partners/siao-75.yaml", "id: siao-75", "id: siao-paris");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-75.yaml:1: error: partner id 'siao-paris' does not match the file name 'siao-75.yaml'"
                                + " (fix: rename the file to siao-paris.yaml, or correct the id)");
    }

    @Test
    void reportsTwoFilesDeclaringTheSameId() {
        config.partner("siao-paris", "[\"75\"]", "[difficulty.report]", TestConfig.fingerprint("EE"), "")
                .replace("partners/siao-paris.yaml", "id: siao-paris", "id: siao-75");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-paris.yaml:1: error: partner id 'siao-75' does not match the file name"
                                + " 'siao-paris.yaml' (fix: rename the file to siao-75.yaml, or correct the id)",
                        "partners/siao-paris.yaml:1: error: partner id 'siao-75' is already declared in siao-75.yaml (fix:"
                                + " give each partner its own id)");
    }

    @Test
    void reportsAnInvalidDepartmentWithDepartmentsOwnMessage() {
        config.replace("partners/siao-75.yaml", "departments: [\"75\"]", "departments: [\"20\"]");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-75.yaml:3: error: department '20' is not valid (Corsica is 2A or 2B since 1976;"
                                + " expected 01-19, 2A, 2B, 21-95, 971-974 or 976) (fix: write the INSEE code in quotes, such as"
                                + " \"75\", \"2A\" or \"974\")");
    }

    @Test
    void readsAnUnquotedDepartmentAsWritten() {
        config.replace("partners/siao-75.yaml", "departments: [\"75\"]", "departments: [75, 01]");

        ConfigReport report = config.check();

        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment()
                        .orElseThrow()
                        .partner(fr.passerelle.core.partner.PartnerId.of("siao-75"))
                        .orElseThrow()
                        .departments())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("75", "01");
    }

    @Test
    void listsTheTypesForAnUnknownReferralType() {
        config.replace("partners/police-75-brp.yaml", "[victim.orientation,", "[victim.orientaton,");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "partners/police-75-brp.yaml:4: error: unknown referral type 'victim.orientaton' (expected one of:"
                                + " " + ReferralType.codes() + ") (fix: did you mean 'victim.orientation'?)");
    }

    @Test
    void warnsWhenAPartnerMaySendWhatItsKindDoesNotSend() {
        config.replace("partners/siao-75.yaml", "[difficulty.report]", "[difficulty.report, removal.objective]");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-75.yaml:4: warning: a siao does not send removal.objective in DESIGN.md's message"
                                + " table (senders: prefecture) (fix: remove it; a siao sends: difficulty.report,"
                                + " child.protection.alert)",
                        "routes.yaml:18: warning: removal.objective sent in department 75 by siao-75 would reach nobody: no"
                                + " route matches them there (rule department-covered) (fix: add a route of removal.objective"
                                + " from siao to a recipient serving 75, or remove removal.objective from the may_send of"
                                + " siao-75)");
    }

    @Test
    void reportsAnAdapterThatIsNotAvailable() {
        Set<String> adapters = Set.of("canonical-json");
        config.replace("partners/siao-75.yaml", "outbound: canonical-json", "outbound: siao-jsn");

        ConfigReport report =
                config.check(Map.of(), new ConfigChecks(adapters::contains, adapters::contains, type -> Set.of()));

        assertThat(only(report))
                .isEqualTo("partners/siao-75.yaml:6: error: no outbound adapter 'siao-jsn' is"
                        + " available (fix: use the id of an adapter shipped with the gateway, such as canonical-json, or add"
                        + " the adapter's jar)");
    }

    @Test
    void warnsAboutAnApprovalHeldByANonAssociation() {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\napprovals: [{code: exit-pathway, department: \"75\", expires: 2028-06-30}]");

        assertThat(only(config.check()))
                .isEqualTo("partners/siao-75.yaml:10: warning: only associations hold"
                        + " prefectoral approvals; a siao with approvals is probably a mistake (fix: remove approvals from"
                        + " this partner)");
    }

    @Test
    void warnsAboutAnExpiredApproval() {
        config.replace("partners/association-75-amarante.yaml", "expires: 2028-06-30", "expires: 2025-12-31");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "partners/association-75-amarante.yaml:11: warning: approval exit-pathway for 75 expired on"
                                + " 2025-12-31: routes that require it no longer reach this partner (fix: renew the approval"
                                + " and update expires, or remove it)",
                        "routes.yaml:2: warning: victim.orientation sent in department 75 by police-75-brp would reach"
                                + " nobody: route orientation-75 matches but reaches no enabled recipient there (rule"
                                + " department-covered) (fix: add a route of victim.orientation from police to a recipient"
                                + " serving 75, or remove victim.orientation from the may_send of police-75-brp)",
                        "routes.yaml:6: warning: route orientation-75 sends to every enabled association approved for"
                                + " exit-pathway, but every such partner's approval has expired in 75: it reaches nobody there"
                                + " (rule recipient-served) (fix: renew the approval's date in the partner's entry, or route"
                                + " to another partner)");
    }

    @Test
    void reportsAnApprovalDateThatIsNoDate() {
        config.replace("partners/association-75-amarante.yaml", "expires: 2028-06-30", "expires: 30/06/2028");

        assertThat(only(config.check()))
                .isEqualTo("partners/association-75-amarante.yaml:11: error:"
                        + " 'approvals[0].expires' is not a date, found the text '30/06/2028' (expected: YYYY-MM-DD, such as"
                        + " 2028-06-30) (fix: write the date as YYYY-MM-DD)");
    }

    @Test
    void reportsAMalformedFingerprint() {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, TestConfig.FP_SIAO.substring(3));

        assertThat(only(config.check()))
                .isEqualTo(
                        "partners/siao-75.yaml:8: error: 'certificate.sha256' is not a"
                                + " SHA-256 fingerprint (expected: 32 hex pairs separated by colons, such as 3F:A0:…:9A) (fix: copy it"
                                + " from `openssl x509 -noout -fingerprint -sha256 -in partner.pem`, or run `gateway pki init`)");
    }

    @Test
    void acceptsALowerCaseFingerprintAndStoresItInUpperCase() {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, TestConfig.FP_SIAO.toLowerCase());

        ConfigReport report = config.check();

        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment().orElseThrow().partnerByFingerprint(TestConfig.FP_SIAO))
                .isPresent();
    }

    @Test
    void reportsAFingerprintPinnedForTwoPartners() {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, TestConfig.FP_POLICE);

        assertThat(only(config.check()))
                .isEqualTo("partners/siao-75.yaml:8: error: certificate fingerprint "
                        + TestConfig.FP_POLICE
                        + " is already pinned for partner police-75-brp: a certificate identifies one"
                        + " partner only (fix: give each partner its own certificate)");
    }

    @Test
    void refusesAPartnerThatARouteReachesWithoutCertificate() throws Exception {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, "");
        Files.delete(config.file("partners/siao-75.pem"));

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "partners/siao-75.yaml: error: cannot seal for siao-75: no certificate at partners/siao-75.pem (fix:"
                                + " run `gateway pki issue siao-75 --out DIR` (or import its own with `gateway pki"
                                + " import`), or copy its certificate there)",
                        "partners/siao-75.yaml:8: warning: partner siao-75 has no pinned certificate fingerprint: it cannot"
                                + " authenticate until pinned (fix: run `gateway pki issue siao-75 --out DIR`, or paste the"
                                + " SHA-256 fingerprint of its certificate (AA:BB:...))");
    }

    @Test
    void warnsAboutAPartnerThatNoRouteReachesWithoutCertificate() {
        config.partner("urssaf-75-lcti", "[\"75\"]", "[]", "", "");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "partners/urssaf-75-lcti.yaml: warning: partner urssaf-75-lcti has no certificate at"
                                + " partners/urssaf-75-lcti.pem: no route reaches it yet, but none could be sealed for it (fix:"
                                + " run `gateway pki issue urssaf-75-lcti --out DIR` (or import its own with `gateway pki"
                                + " import`), or copy its certificate there)",
                        "partners/urssaf-75-lcti.yaml:8: warning: partner urssaf-75-lcti has no pinned certificate"
                                + " fingerprint: it cannot authenticate until pinned (fix: run `gateway pki issue"
                                + " urssaf-75-lcti --out DIR`, or paste the SHA-256 fingerprint of its certificate"
                                + " (AA:BB:...))");
    }

    @Test
    void pinsTheFingerprintOfTheCertificateFileWhenTheEntryPinsNone() {
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, "");

        ConfigReport report = config.check();

        assertThat(only(report))
                .isEqualTo("partners/siao-75.pem: warning: partner siao-75 pins no certificate"
                        + " fingerprint: the fingerprint of partners/siao-75.pem, " + TestConfig.FP_SIAO
                        + ", is used (fix:"
                        + " pin it in partners/siao-75.yaml (certificate.sha256), or run `gateway pki init`)");
        assertThat(report.deployment()
                        .orElseThrow()
                        .partnerByFingerprint(TestConfig.FP_SIAO)
                        .orElseThrow()
                        .id()
                        .value())
                .isEqualTo("siao-75");
    }

    @Test
    void reportsADuplicateRouteId() {
        config.replace("routes.yaml", "  - id: shelter", "  - id: orientation-75");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:9: error: route id 'orientation-75' is already used"
                        + " on line 2 (fix: give each route its own id)");
    }

    @Test
    void suggestsTheClosestPartnerForAnUnknownOne() {
        config.replace("routes.yaml", "{partner: monitoring-centre-de-veille}", "{partner: monitoring-centre-veille}");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:23: error: route difficulty names partner"
                        + " 'monitoring-centre-veille', which is not in partners/ (rule recipient-exists) (fix: did you mean"
                        + " 'monitoring-centre-de-veille'?)");
    }

    @Test
    void refusesANamedRecipientOfTheWrongKind() {
        config.replace(
                "routes.yaml", "to: [{kind: police}], fields: [place]", "to: [{partner: siao-75}], fields: [place]");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:17: error: route report sends exploitation.report"
                        + " to partner siao-75, a siao, which the instruction does not intend: exploitation.report goes to"
                        + " police, gendarmerie, crip only (rule recipient-intended) (fix: route exploitation.report to police,"
                        + " gendarmerie, crip)");
    }

    @Test
    void suggestsTheClosestSchemaFieldForAnUnknownField() {
        config.replace("routes.yaml", "fields: [subject.languages, needs]", "fields: [subject.language, needs]");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:7: error: route"
                        + " orientation-75 lists field 'subject.language', which is not in the victim.orientation schema (rule"
                        + " fields-in-schema) (fix: did you mean 'subject.languages'?)");
    }

    @Test
    void refusesOffenceDataOnARouteToTheSiao() {
        config.replace("routes.yaml", "    fields: [household]", "    fields: [household, offence.procedureReference]");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:13: error: route shelter lists field"
                        + " 'offence.procedureReference', offence data or a procedure reference, which may never reach a SIAO"
                        + " (CNIL: no offence data in SI-SIAO) (rule no-offence-data-to-siao) (fix: remove it from this"
                        + " route)");
    }

    @Test
    void refusesARouteForReceipts() {
        config.replace("routes.yaml", "type: administrative.closure", "type: referral.receipt");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "routes.yaml:19: error: referral.receipt is not routed: a receipt always goes back to the referral's"
                                + " sender (fix: remove this route)");
    }

    @Test
    void warnsAboutATypeWithoutRoute() {
        config.replace(
                "routes.yaml",
                "  - {id: closure, type: administrative.closure, from: [prefecture], to:"
                        + " [{kind: labour}], fields: [action]}\n",
                "");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:1: warning: no route for administrative.closure:"
                        + " every submission of it will be refused with route_not_found (fix: add a route for"
                        + " administrative.closure, or remove it from the partners' may_send)");
    }

    @Test
    void collectsEveryProblemInsteadOfStoppingAtTheFirst() {
        config.replace("gateway.yaml", "  port: 8443", "  port: -1")
                .replace("partners/siao-75.yaml", "departments: [\"75\"]", "departments: [\"975\"]")
                .replace("routes.yaml", "from: [police]\n    departments", "from: [polic]\n    departments");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        "gateway.yaml:2: error: 'server.port' is -1 (expected: 0-65535) (fix: write a number from 0 to 65535)",
                        "partners/siao-75.yaml:3: error: department '975' is not valid (975 is an overseas collectivity, not a"
                                + " department, and the instruction does not apply there; expected 01-19, 2A, 2B, 21-95,"
                                + " 971-974 or 976) (fix: write the INSEE code in quotes, such as \"75\", \"2A\" or \"974\")",
                        "routes.yaml:4: error: unknown partner kind 'polic' (expected one of: police, gendarmerie, association, social, siao, prefecture,"
                                + " security, cohesion, housing, crip, prosecutor, labour, urssaf, health, caf, cpam, tax,"
                                + " customs, employment, funder, monitoring, dgcs, miprof) (fix:"
                                + " did you mean 'police'?)");
    }

    @Test
    void loadThrowsConfigInvalidWithOneDetailLinePerError() {
        config.replace("gateway.yaml", "  port: 8443", "  port: 70000")
                .replace("partners/siao-75.yaml", "id: siao-75", "id: siao-paris");

        assertThatThrownBy(() -> ConfigLoader.load(config.gateway(), Map.of(), ConfigChecks.lenient()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).isEqualTo("2 problems in " + config.dir());
                    assertThat(e.details())
                            .containsExactly(
                                    config.gateway()
                                            + ":2: error: 'server.port' is 70000 (expected: 0-65535) (fix: write a"
                                            + " number from 0 to 65535)",
                                    config.file("partners/siao-75.yaml")
                                            + ":1: error: partner id 'siao-paris' does not match"
                                            + " the file name 'siao-75.yaml' (fix: rename the file to siao-paris.yaml, or"
                                            + " correct the id)");
                });
    }

    @Test
    void neverShowsTheDatabasePassword() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ndatabase:\n  password: \"Tr0ub4dor&3");

        assertThatThrownBy(() -> ConfigLoader.load(config.gateway(), Map.of(), ConfigChecks.lenient()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getMessage() + e.details()).doesNotContain("Tr0ub4dor");
                    assertThat(e.details()).hasSize(1);
                });
    }

    @Test
    void listsThePartnerIdsEvenWhenAFileDoesNotCheck() throws Exception {
        config.write("partners/siao-974.yaml", "id: [broken");
        Files.writeString(config.file("partners/notes.txt"), "not a partner");

        assertThat(ConfigLoader.partnerIds(config.gateway()))
                .extracting(Object::toString)
                .containsExactly(
                        "association-75-amarante",
                        "crip-75-paris",
                        "funder-75-region",
                        "labour-75-drieets",
                        "monitoring-centre-de-veille",
                        "police-75-brp",
                        "prefecture-75",
                        "security-75-cabinet",
                        "siao-75",
                        "siao-974");
    }
}
