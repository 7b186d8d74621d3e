package fr.passerelle.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules docs/ARCHITECTURE.md states, checked over the compiled production classes of every module (this module
 * is the one that sees them all): the modules' direction, the layers inside core and the server, and no package
 * cycle anywhere.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        // In the build, every module's classes are a folder (target/classes); libraries are jars and stay out.
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("fr.passerelle");
        for (String module : List.of(
                "core.exchange.Exchange",
                "adapters.canonical.CanonicalJsonAdapter",
                "server.Gateway",
                "devkit.DevelopmentDeployment",
                "tools.demo.Demo")) {
            assertThat(classes.contain("fr.passerelle." + module))
                    .as("the classes of every module are imported (run in the reactor: mvn -pl gateway-tools -am)"
                            + ", among them fr.passerelle." + module)
                    .isTrue();
        }
    }

    @Test
    void noPackageCycleAnywhere() {
        slices().matching("fr.passerelle.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void modulesDependDownwardsOnly() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Tools")
                .definedBy("fr.passerelle.tools..")
                .layer("DevKit")
                .definedBy("fr.passerelle.devkit..")
                .layer("Server")
                .definedBy("fr.passerelle.server..")
                .layer("Adapters")
                .definedBy("fr.passerelle.adapters..")
                .layer("Core")
                .definedBy("fr.passerelle.core..")
                .whereLayer("Tools")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("DevKit")
                .mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("Server")
                .mayOnlyBeAccessedByLayers("Tools")
                .whereLayer("Adapters")
                .mayOnlyBeAccessedByLayers("Server", "DevKit", "Tools")
                .check(classes);
    }

    @Test
    void coreKnowsNoNetworkServerNoCommandLine() {
        noClasses()
                .that()
                .resideInAPackage("fr.passerelle.core..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "picocli..")
                .check(classes);
    }

    /**
     * An adapter renders and parses a partner's format: it sees the SPI, the model and, for a transport, the key and
     * chain the SPI hands it and the PEM reader for its trust anchors. Sealing, the store, routing and configuration
     * stay out of reach.
     */
    @Test
    void adaptersSeeOnlyTheSpiAndTheModel() {
        DescribedPredicate<JavaClass> allowedCrypto = DescribedPredicate.describe(
                "the key and PEM reader a transport" + " is handed",
                c -> c.getName().equals("fr.passerelle.core.crypto.CertifiedKey")
                        || c.getName().equals("fr.passerelle.core.crypto.PemFiles"));
        noClasses()
                .that()
                .resideInAPackage("fr.passerelle.adapters..")
                .should()
                .dependOnClassesThat(DescribedPredicate.not(allowedCrypto)
                        .and(JavaClass.Predicates.resideInAnyPackage(
                                "io.netty..",
                                "java.sql..",
                                "fr.passerelle.core.store..",
                                "fr.passerelle.core.crypto..",
                                "fr.passerelle.core.routing..",
                                "fr.passerelle.core.exchange..",
                                "fr.passerelle.core.audit..",
                                "fr.passerelle.core.config..",
                                "fr.passerelle.core.delivery..",
                                "fr.passerelle.core.receipt..",
                                "fr.passerelle.core.notice..")))
                .check(classes);
    }

    /** What passerelle.jar ships: no demo, no bench, no development PKI, no mail server of the demo's. */
    @Test
    void serverLeavesTheDemoTheBenchAndTheDevelopmentKitToTheTools() {
        noClasses()
                .that()
                .resideInAPackage("fr.passerelle.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("fr.passerelle.tools..", "fr.passerelle.devkit..", "com.icegreen..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("fr.passerelle.core.crypto.DevelopmentPki")
                .check(classes);
    }

    /**
     * Inside core, from the top: the exchange drives the features (delivery, receipts, deadlines and notices), which
     * build on protection and routing, then the store, then the configuration, then the foundations (model, crypto,
     * keys, audit, SPI).
     */
    @Test
    void coreLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Exchange")
                .definedBy("fr.passerelle.core.exchange..")
                .layer("Features")
                .definedBy(
                        "fr.passerelle.core.delivery..", "fr.passerelle.core.receipt..", "fr.passerelle.core.notice..")
                .layer("Rules")
                .definedBy("fr.passerelle.core.protection..", "fr.passerelle.core.routing..")
                .layer("Store")
                .definedBy("fr.passerelle.core.store..")
                .layer("Configuration")
                .definedBy("fr.passerelle.core.config..")
                .whereLayer("Exchange")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Features")
                .mayOnlyBeAccessedByLayers("Exchange")
                .whereLayer("Rules")
                .mayOnlyBeAccessedByLayers("Exchange", "Features")
                .whereLayer("Store")
                .mayOnlyBeAccessedByLayers("Exchange", "Features", "Rules")
                .whereLayer("Configuration")
                .mayOnlyBeAccessedByLayers("Exchange", "Features", "Rules", "Store")
                .check(classes);
    }

    /**
     * The engine works on the configuration's model (config.model), never on the readers that parse YAML: only the
     * command line, the composition root and the tools read files.
     */
    @Test
    void theEngineSeesTheModelNotTheReaders() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "fr.passerelle.core.exchange..",
                        "fr.passerelle.core.delivery..",
                        "fr.passerelle.core.receipt..",
                        "fr.passerelle.core.notice..",
                        "fr.passerelle.core.protection..",
                        "fr.passerelle.core.routing..",
                        "fr.passerelle.core.store..",
                        "fr.passerelle.adapters..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("fr.passerelle.core.config")
                .check(classes);
    }

    /** Delivery, receipts and notices share the store, never each other. */
    @Test
    void featuresAreIndependent() {
        slices().matching("fr.passerelle.core.(delivery|receipt|notice)..")
                .should()
                .notDependOnEachOther()
                .check(classes);
    }

    /**
     * Inside the server, from the top: the command line, the composition root, the endpoints (partner API, admin
     * API, receipt pages), the listener and HTTP handling, then TLS, metrics and the lifecycle.
     */
    @Test
    void serverLayers() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("CommandLine")
                .definedBy("fr.passerelle.server.cli..")
                .layer("Composition")
                .definedBy("fr.passerelle.server")
                .layer("Endpoints")
                .definedBy(
                        "fr.passerelle.server.api..",
                        "fr.passerelle.server.receipts..",
                        "fr.passerelle.server.management..",
                        "fr.passerelle.server.console..")
                .layer("Listener")
                .definedBy("fr.passerelle.server.net..")
                .layer("Http")
                .definedBy("fr.passerelle.server.http..")
                .layer("Base")
                .definedBy(
                        "fr.passerelle.server.tls..",
                        "fr.passerelle.server.metrics..",
                        "fr.passerelle.server.lifecycle..")
                .whereLayer("CommandLine")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Composition")
                .mayOnlyBeAccessedByLayers("CommandLine")
                .whereLayer("Endpoints")
                .mayOnlyBeAccessedByLayers("CommandLine", "Composition")
                .whereLayer("Listener")
                .mayOnlyBeAccessedByLayers("Composition", "Endpoints")
                .whereLayer("Http")
                .mayOnlyBeAccessedByLayers("Composition", "Endpoints", "Listener")
                .check(classes);
    }
}
