package io.cdnodes.connector;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What the resource adapter may depend on: of ours, the protocol only; besides the JDK, the Connectors API,
 * junixsocket and MicroProfile Config (its settings' second source, which Payara provides). Its {@code api} package is what applications compile against (the attached {@code -api} jar), so
 * it must not reach into the implementation.
 */
class LayeringTest {

    private static final JavaClasses CONNECTOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdnodes.connector");

    @Test
    void dependsOnTheProtocolAmongOurModules() {
        noClasses().that().resideInAPackage("io.cdnodes.connector..")
                .should().dependOnClassesThat(resideInAPackage("io.cdnodes..")
                        .and(not(resideInAnyPackage("io.cdnodes.connector..", "io.cdnodes.protocol.."))))
                .check(CONNECTOR);
    }

    @Test
    void dependsOnTheJdkTheConnectorsApiJunixsocketAndMicroProfileConfigOtherwise() {
        classes().that().resideInAPackage("io.cdnodes.connector..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "jakarta.resource..",
                        "org.newsclub.net.unix..", "io.cdnodes.connector..", "io.cdnodes.protocol..",
                        "org.eclipse.microprofile.config..")
                .check(CONNECTOR);
    }

    @Test
    void onlyTheSettingSourcesReadMicroProfileConfig() {
        noClasses().that().doNotHaveFullyQualifiedName("io.cdnodes.connector.inbound.SettingSources")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile..")
                .check(CONNECTOR);
    }

    @Test
    void theApiReachesNoImplementation() {
        classes().that().resideInAPackage("io.cdnodes.connector.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.cdnodes.connector.api..",
                        "io.cdnodes.protocol..")
                .because("applications compile against the api package alone (cdnodes-connector-api.jar)")
                .check(CONNECTOR);
    }
}
