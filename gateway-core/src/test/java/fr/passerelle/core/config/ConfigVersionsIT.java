package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.ConfigWatcher;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionCheck;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration versions on a real PostgreSQL, checked by the real loader: apply, export, diff, rollback. */
class ConfigVersionsIT {
    private static final String CLI = "cli:exploitation";

    @TempDir
    Path temp;

    private TestConfig config;
    private final ConfigVersions versions = new ConfigVersions(TestDatabase.dataSource());
    private VersionedConfig versioned;

    @BeforeEach
    void emptyTablesAndWriteValidConfiguration() throws SQLException {
        TestDatabase.reset();
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("ALTER TABLE config_version DISABLE TRIGGER config_version_append_only");
            s.execute("TRUNCATE config_current, config_version");
            s.execute("ALTER TABLE config_version ENABLE TRIGGER config_version_append_only");
            c.commit();
        }
        config = TestConfig.valid(temp);
        versioned = new VersionedConfig(
                versions, new VersionCheck(config.gateway(), Map.of(), ConfigChecks.lenient(), TestConfig.CLOCK));
    }

    @Test
    void appliesTheFolderThenFindsNoChangeInItsExport() {
        VersionedConfig.Outcome first = versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "first");
        Path export = temp.resolve("export");
        versions.latest().orElseThrow().files().write(export, false);
        VersionedConfig.Outcome again = versioned.apply(FileSet.read(export), export, CLI, "again");

        assertThat(first.stored().map(VersionInfo::number)).contains(1);
        assertThat(first.diff().partners().added())
                .containsExactly(
                        "association-75-amarante",
                        "crip-75-paris",
                        "funder-75-region",
                        "labour-75-drieets",
                        "monitoring-centre-de-veille",
                        "police-75-brp",
                        "prefecture-75",
                        "security-75-cabinet",
                        "siao-75");
        assertThat(again.stored()).isEmpty();
        assertThat(again.current()).isEqualTo(1);
        assertThat(again.diff().isEmpty()).isTrue();
        assertThat(Files.exists(export.resolve("partners/siao-75.pem"))).isTrue();
        assertThat(Files.exists(export.resolve("gateway.yaml"))).isFalse();
        assertThat(versions.current()).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void diffNamesWhatChangesAndShowsTheLines() {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "");
        config.replace("routes.yaml", "    fields: [household]", "    fields: [household, needs]");
        config.replace("partners/siao-75.yaml", "name: Partner siao-75", "name: SIAO de Paris");

        ConfigDiff diff = ConfigDiff.between(versions.latest().orElseThrow().files(), FileSet.read(config.dir()));

        assertThat(diff.summary())
                .isEqualTo(
                        "partners +0, -0, ~1 (siao-75); routes +0, -0, ~1 (shelter);" + " administrators +0, -0, ~0");
        assertThat(diff.files())
                .extracting(ConfigDiff.FileChange::name)
                .containsExactly("partners/siao-75.yaml", "routes.yaml");
        assertThat(diff.files().get(0).lines())
                .containsExactly(
                        "@@ -1,4 +1,4 @@",
                        " id: siao-75",
                        "-name: Partner siao-75",
                        "+name: SIAO de Paris",
                        " departments: [\"75\"]",
                        " may_send:" + " [difficulty.report]");
    }

    @Test
    void rollsBackByStoringTheEarlierFilesAsTheNextVersion() {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "");
        versioned.change(files -> ConfigEdits.deleteRoute(files, "closure"), "admin:admin", "close", Map.of());

        VersionedConfig.Outcome rolledBack = versioned.rollback(1, "admin:admin", "closure is back");

        VersionInfo third = rolledBack.stored().orElseThrow();
        assertThat(third.number()).isEqualTo(3);
        assertThat(third.parent()).contains(2);
        assertThat(third.restoredFrom()).contains(1);
        assertThat(third.comment()).isEqualTo("closure is back");
        assertThat(rolledBack.diff().routes().added()).containsExactly("closure");
        assertThat(versions.find(3).orElseThrow().files())
                .isEqualTo(versions.find(1).orElseThrow().files());
        assertThat(versions.list(Optional.empty(), 10))
                .extracting(VersionInfo::number)
                .containsExactly(3, 2, 1);
        assertThat(versions.list(Optional.of(3), 1))
                .extracting(VersionInfo::number)
                .containsExactly(2);
    }

    @Test
    void refusesAChangeThatDoesNotCheckWithWhatAndWhereAndStoresNothing() throws Exception {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "");
        var route = JsonMapper.builder()
                .build()
                .readTree(
                        "{\"type\": \"administrative.closure\", \"from\":"
                                + " [\"prefecture\"], \"to\": [{\"kind\": \"labour\"}], \"fields\": [\"action\"], \"colour\": \"blue\"}");

        assertThatThrownBy(() -> versioned.change(
                        files -> ConfigEdits.putRoute(files, "closure", route), "admin:admin", "", Map.of()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_REFUSED);
                    assertThat(e.getMessage())
                            .isEqualTo("1 problem in the configuration: the change is refused and"
                                    + " nothing was stored");
                    assertThat(e.details())
                            .singleElement()
                            .asString()
                            .startsWith("routes.yaml:")
                            .contains("error: unknown key 'colour'");
                });
        assertThat(versions.current()).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void refusesToStoreOnAVersionThatMovedMeanwhile() {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "");
        FileSet files = versions.latest().orElseThrow().files();
        versions.store(
                files.without("routes.yaml").with("routes.yaml", "routes: []\n"),
                OptionalInt.of(1),
                CLI,
                "",
                Optional.empty(),
                "config.applied",
                Map.of());

        assertThatThrownBy(() -> versions.store(
                        files.with("partners/x.pem", "x"),
                        OptionalInt.of(1),
                        CLI,
                        "",
                        Optional.empty(),
                        "config.applied",
                        Map.of()))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                .hasMessage("the configuration moved meanwhile: version 2 is current, the change was built on"
                        + " version 1; nothing was stored (build the change again on the current version)");
        assertThatThrownBy(() -> versions.store(
                        files, OptionalInt.empty(), CLI, "", Optional.empty(), "config.applied", Map.of()))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT));
    }

    @Test
    void auditsEveryStoredVersionWithNumbersAndCountsOnly() {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "first start");
        // A disabled partner leaves its routes in the same change (rule recipient-served).
        versioned.change(
                files -> ConfigEdits.disablePartner(ConfigEdits.deleteRoute(files, "shelter"), PartnerId.of("siao-75")),
                "admin:admin",
                "siao closed",
                Map.of("operation", "partner.disable", "partner", "siao-75"));
        versioned.rollback(1, "admin:admin", "");

        List<AuditRecord> entries = AuditLog.list(TestDatabase.dataSource(), Optional.empty());

        assertThat(entries)
                .extracting(AuditRecord::actor, AuditRecord::action)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(CLI, "config.applied"),
                        org.assertj.core.groups.Tuple.tuple("admin:admin", "config.changed"),
                        org.assertj.core.groups.Tuple.tuple("admin:admin", "config.rolled-back"));
        assertThat(entries.get(1).detail())
                .containsEntry("version", "2")
                .containsEntry("parent", "1")
                .containsEntry("partnersChanged", "1")
                .containsEntry("operation", "partner.disable")
                .containsEntry("partner", "siao-75")
                .doesNotContainKey("comment");
        assertThat(entries.get(2).detail()).containsEntry("version", "3").containsEntry("restoredFrom", "1");
        assertThat(versions.find(2)
                        .orElseThrow()
                        .files()
                        .text("partners/siao-75.yaml")
                        .orElseThrow())
                .contains("enabled: false")
                .doesNotContain("enabled: true");
    }

    @Test
    void keepsTheRunningVersionWhenTheNextDoesNotLoadAndSaysSo() {
        versioned.apply(FileSet.read(config.dir()), config.dir(), CLI, "");
        VersionCheck check = versioned.check();
        LiveDeployment live = new LiveDeployment(1, check.load(versions.find(1).orElseThrow()));
        ConfigWatcher watcher = new ConfigWatcher(versions, live, check::load, deployment -> {});
        FileSet good = versions.latest().orElseThrow().files();
        versions.store(
                good.with("partners/siao-75.pem", "not a certificate"),
                OptionalInt.of(1),
                CLI,
                "",
                Optional.empty(),
                "config.applied",
                Map.of());

        watcher.run();

        assertThat(live.version()).isEqualTo(1);
        assertThat(live.failure()).map(LiveDeployment.Failure::version).contains(2);
        assertThat(live.failure().orElseThrow().reason())
                .startsWith("configuration version 2 does not load on this"
                        + " instance: 1 problem: partners/siao-75.pem: error: certificate of siao-75 cannot be read");

        versions.store(good, OptionalInt.of(2), CLI, "", Optional.empty(), "config.applied", Map.of());
        watcher.run();

        assertThat(live.version()).isEqualTo(3);
        assertThat(live.failure()).isEmpty();
    }
}
