package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ReferralValidatorLoadingTest {
    @TempDir
    Path temp;

    @Test
    void loadsTheSchemasShippedOnTheClasspath() {
        ReferralValidator validator = ReferralValidator.fromClasspath();

        Referral referral = validator.validate(Samples.of(ReferralType.VICTIM_ORIENTATION));

        assertThat(referral.type()).isEqualTo(ReferralType.VICTIM_ORIENTATION);
    }

    @Test
    void refusesAMissingSchemasDirectory() {
        Path missing = temp.resolve("nowhere");

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> ReferralValidator.fromDirectory(missing));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e)
                .hasMessage("schemas directory " + missing
                        + " does not exist (expected one <type>.schema.json per referral type)");
    }

    @Test
    void namesTheMissingSchemaFile() throws IOException {
        Path schemas = copyOfShippedSchemas();
        Files.delete(schemas.resolve("removal.objective.schema.json"));

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> ReferralValidator.fromDirectory(schemas));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e)
                .hasMessage("JSON Schema " + schemas.resolve("removal.objective.schema.json")
                        + " is missing (expected one schema per referral type: " + ReferralType.codes() + ")");
    }

    @Test
    void namesTheSchemaFileThatIsNotJson() throws IOException {
        Path schemas = copyOfShippedSchemas();
        Files.writeString(schemas.resolve("shelter.request.schema.json"), "{\n  \"type\": \"object\",\n  oops\n}");

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> ReferralValidator.fromDirectory(schemas));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e)
                .hasMessage("JSON Schema " + schemas.resolve("shelter.request.schema.json") + " is not valid"
                        + " JSON: Unexpected character ('o' (code 111)): was expecting double-quote to start field name"
                        + " at line 3, column 3");
    }

    @Test
    void refusesASchemaFiledUnderAnotherTypesName() throws IOException {
        Path schemas = copyOfShippedSchemas();
        Files.copy(
                schemas.resolve("shelter.request.schema.json"),
                schemas.resolve("difficulty.report.schema.json"),
                StandardCopyOption.REPLACE_EXISTING);

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> ReferralValidator.fromDirectory(schemas));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e)
                .hasMessage("JSON Schema " + schemas.resolve("difficulty.report.schema.json")
                        + " must declare properties.type.const 'difficulty.report' (found: \"shelter.request\")");
    }

    @Test
    void refusesASchemaThatBreaksTheMetaSchema() throws IOException {
        Path schemas = copyOfShippedSchemas();
        Path orientation = schemas.resolve("victim.orientation.schema.json");
        Files.writeString(orientation, Files.readString(orientation).replace("\"minItems\": 1", "\"minItems\": \"1\""));

        GatewayException e =
                catchThrowableOfType(GatewayException.class, () -> ReferralValidator.fromDirectory(schemas));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e).hasMessage("JSON Schema " + orientation + " is not a valid draft 2020-12 schema (3 problems)");
        assertThat(e.details())
                .containsExactly(
                        "/$defs/consent/properties/scope/minItems: string found, integer expected",
                        "/$defs/subject/properties/languages/minItems: string found, integer expected",
                        "/properties/needs/minItems: string found, integer expected");
    }

    @Test
    void listsNestedFieldPaths() {
        ReferralValidator validator = ReferralValidator.fromDirectory(Samples.SCHEMAS);

        assertThat(validator.fieldPaths(ReferralType.VICTIM_ORIENTATION))
                .contains(
                        "type",
                        "department",
                        "urgency",
                        "subject",
                        "subject.givenName",
                        "subject.contact",
                        "subject.contact.phone",
                        "subject.languages",
                        "consent.given",
                        "referrer.officerRio")
                .doesNotContain("subject.nationality.code", "household");
        assertThat(validator.fieldPaths(ReferralType.SHELTER_REQUEST))
                .contains("household.children", "household.children.age", "offence.qualification");
    }

    @Test
    void listsTheReceiptFields() {
        ReferralValidator validator = ReferralValidator.fromDirectory(Samples.SCHEMAS);

        assertThat(validator.fieldPaths(ReferralType.REFERRAL_RECEIPT))
                .containsExactly("reason", "referralId", "schemaVersion", "status", "type");
    }

    @Test
    void logsNothingOfARejectedValue() {
        ReferralValidator validator = ReferralValidator.fromDirectory(Samples.SCHEMAS);
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("consent")).put("recordedAt", "Zorbalina 7741");
        ((ObjectNode) orientation.get("subject")).put("birthDate", "Zorbalina 7741");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        ch.qos.logback.classic.Level previous = root.getLevel();
        // Every logger at its most talkative, so that a library logging the value would be caught.
        root.setLevel(ch.qos.logback.classic.Level.ALL);
        try {
            catchThrowableOfType(GatewayException.class, () -> validator.validate(orientation));
        } finally {
            root.setLevel(previous);
            root.detachAppender(captured);
        }

        assertThat(captured.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("Zorbalina"));
    }

    private Path copyOfShippedSchemas() throws IOException {
        Path copy = Files.createDirectory(temp.resolve("schemas"));
        try (Stream<Path> files = Files.list(Samples.SCHEMAS)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }
}
