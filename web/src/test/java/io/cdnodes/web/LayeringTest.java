package io.cdnodes.web;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ejb.Singleton;
import jakarta.ejb.Stateless;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer may use of the coordinator: its services (EJBs and application-scoped beans) and the values
 * they take and give (records, enums, exceptions), never an entity or the persistence API. The request bodies and
 * their JSON are web's own.
 */
class LayeringTest {

    private static final JavaClasses WEB_AND_EJB = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdnodes.web", "io.cdnodes.coordinator");

    @Test
    void noEntityLeavesEjb() {
        noClasses().that().resideInAPackage("io.cdnodes.web..")
                .should().dependOnClassesThat().areAnnotatedWith(Entity.class)
                .because("ejb answers with view records; an entity outside its transaction is a lazy-loading trap "
                        + "and shows columns the API never promised")
                .check(WEB_AND_EJB);
    }

    @Test
    void noPersistence() {
        noClasses().that().resideInAPackage("io.cdnodes.web..")
                .should().dependOnClassesThat().resideInAPackage("jakarta.persistence..")
                .check(WEB_AND_EJB);
    }

    @Test
    void theCoordinatorsServicesAndValuesOnly() {
        classes().that().resideInAPackage("io.cdnodes.web..")
                .should().onlyDependOnClassesThat(describe("not of ejb, or one of its services or values",
                        (JavaClass c) -> !c.getPackageName().startsWith("io.cdnodes.coordinator") || serviceOrValue(c)))
                .check(WEB_AND_EJB);
    }

    @Test
    void requestBodiesAreReadHere() {
        noClasses().that().resideInAPackage("io.cdnodes.web..")
                .should().dependOnClassesThat().haveSimpleName("OptionsJson")
                .because("OptionsJson is how ejb stores options; a request's options are an OptionsRequest")
                .check(WEB_AND_EJB);
    }

    private static boolean serviceOrValue(JavaClass c) {
        return c.isAnnotatedWith(Stateless.class) || c.isAnnotatedWith(Singleton.class)
                || c.isAnnotatedWith(ApplicationScoped.class) || c.isRecord() || c.isEnum()
                || c.isAssignableTo(Throwable.class);
    }
}
