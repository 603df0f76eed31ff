package io.deksdenflow.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.deksdenflow.orchestrator");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.deksdenflow.orchestrator.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void storeHoldsJdbcHelpersOnly() {
        noClasses().that().resideInAPackage("..orchestrator.store..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "..orchestrator.project..", "..orchestrator.protocol..", "..orchestrator.events..",
                        "..orchestrator.queue..", "..orchestrator.execution..", "..orchestrator.webhook..",
                        "..orchestrator.api..", "..orchestrator.worker..")
                .check(main);
    }

    @Test
    void theSharedHttpLayerDependsOnNoEntryPoint() {
        noClasses().that().resideInAPackage("..orchestrator.http..")
                .should().dependOnClassesThat().resideInAnyPackage("..orchestrator.api..", "..orchestrator.webhook..",
                        "..orchestrator.ops..", "..orchestrator.console..", "..orchestrator.execution..",
                        "..orchestrator.worker..")
                .check(main);
    }

    @Test
    void domainPackagesImportNoCamel() {
        noClasses().that().resideInAnyPackage("..orchestrator.common..", "..orchestrator.project..",
                        "..orchestrator.protocol..", "..orchestrator.engine..", "..orchestrator.git..",
                        "..orchestrator.budget..", "..orchestrator.secrets..", "..orchestrator.store..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.camel..")
                .check(main);
    }

    @Test
    void onlyTheApiPackageServesHttp() {
        noClasses().that().resideOutsideOfPackages("..orchestrator.api..", "..orchestrator.http..", "..orchestrator.ops..",
                        "..orchestrator.console..", "..orchestrator.config..", "..orchestrator.webhook..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.springframework.web.bind..")
                .check(main);
    }
}
