package io.cdnodes.coordinator;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cdnodes.coordinator.evaluation.OptionsJson;
import jakarta.json.bind.Jsonb;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's layering (ejb/README.md, "What may depend on what"): the domain knows nothing of HTTP or of
 * the adapter's implementation, reads no request JSON, keeps wire types out of its tables, and its feature
 * packages do not import each other in circles.
 */
class LayeringTest {

    private static final String OURS = "io.cdnodes.coordinator..";

    private static final JavaClasses EJB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdnodes.coordinator");

    @Test
    void noJaxRs() {
        noClasses().that().resideInAPackage(OURS)
                .should().dependOnClassesThat().resideInAPackage("jakarta.ws.rs..")
                .because("HTTP is web's: resources, request and response bodies, problem+json")
                .check(EJB);
    }

    @Test
    void theAdaptersApiOnly() {
        noClasses().that().resideInAPackage(OURS)
                .should().dependOnClassesThat(resideInAPackage("io.cdnodes.connector..")
                        .and(not(resideInAPackage("io.cdnodes.connector.api.."))))
                .because("the adapter's api package (listener, gateway, events) is all the application may use")
                .check(EJB);
    }

    @Test
    void noRequestJsonIsParsedHere() {
        noClasses().that().resideInAPackage(OURS).and().doNotBelongToAnyOf(OptionsJson.class)
                .and().doNotHaveFullyQualifiedName("io.cdnodes.coordinator.results.PropertiesJson")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.json", "jakarta.json.stream..")
                .because("request bodies are parsed in web; JSON-P serves only what is stored as JSON: the run "
                        + "options of an evaluation (OptionsJson), the properties a test recorded (PropertiesJson)")
                .check(EJB);
        noClasses().that().resideInAPackage(OURS)
                .should().callMethodWhere(describe("Jsonb.fromJson", (JavaMethodCall call) ->
                        call.getTargetOwner().isAssignableTo(Jsonb.class) && call.getName().equals("fromJson")))
                .because("JSON-B here only writes (the result files); requests are read in web")
                .check(EJB);
    }

    @Test
    void noWireTypeInATable() {
        noFields().that().areDeclaredInClassesThat().areAnnotatedWith(Entity.class)
                .should().haveRawType(resideInAPackage("io.cdnodes.protocol.."))
                .because("a column holds the coordinator's own values (results.TestOutcome), so that the protocol "
                        + "can change without a migration")
                .check(EJB);
    }

    @Test
    void noCyclesBetweenFeaturePackages() {
        slices().matching("io.cdnodes.coordinator.(*)..").should().beFreeOfCycles().check(EJB);
    }

    @Test
    void theSchedulingCoreIsPlainJava() {
        noClasses().that().resideInAPackage("io.cdnodes.coordinator.scheduling..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "jakarta.ejb..",
                        "jakarta.enterprise..", "jakarta.inject..", "jakarta.transaction..", "jakarta.annotation..",
                        "io.cdnodes.connector..")
                .orShould().dependOnClassesThat().areAnnotatedWith(Entity.class)
                .because("the core takes events and returns decisions; loading, persisting, transactions and sending "
                        + "are the dispatch adapter's")
                .check(EJB);
    }

    @Test
    void theWireOutcomeIsMappedInOnePlace() {
        noClasses().that().resideInAPackage(OURS)
                .and().doNotBelongToAnyOf(io.cdnodes.coordinator.results.TestOutcome.class)
                .should().dependOnClassesThat().belongToAnyOf(io.cdnodes.protocol.frame.Outcome.class)
                .because("results are kept as TestOutcome; a wire Outcome given to a query or a row fails only at run "
                        + "time (Hibernate refuses the parameter)")
                .check(EJB);
    }
}
