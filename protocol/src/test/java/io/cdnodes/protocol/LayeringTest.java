package io.cdnodes.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What the protocol module may depend on: the JDK alone. The coordinator's adapter and the worker both build on
 * it, so anything of ours here would drag one side's code into the other.
 */
class LayeringTest {

    private static final JavaClasses PROTOCOL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.cdnodes.protocol");

    @Test
    void dependsOnTheJdkAndItselfOnly() {
        classes().that().resideInAPackage("io.cdnodes.protocol..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "io.cdnodes.protocol..")
                .because("the protocol is a library of its own: no Jakarta EE, no logging, nothing of the modules "
                        + "that use it")
                .check(PROTOCOL);
    }

    @Test
    void logsNothing() {
        noClasses().that().resideInAPackage("io.cdnodes.protocol..")
                .should().dependOnClassesThat().belongToAnyOf(System.Logger.class, java.util.logging.Logger.class)
                .because("protocol/ does not log at all (STYLE.md): bad input becomes a value for the caller")
                .check(PROTOCOL);
    }
}
