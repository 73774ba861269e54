package dev.meshfleet.sandbox.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The boundaries the design relies on, checked on the compiled classes of every service (main and
 * test), read from each module's {@code target/} as the reactor built them before this module:
 * <ul>
 * <li>a service never imports another service: they only talk through topics (a test that needs two
 * services lives here, in sandbox);</li>
 * <li>the pure packages (the rules of the product) import no Kafka, Fabric8, Quarkus or CDI, and never
 * read the clock: time comes in as a value.</li>
 * </ul>
 */
class BoundariesTest {
    /** Module directory -> its root package under dev.meshfleet. */
    static final Map<String, String> SERVICES = Map.of("spec-intake", "intake", "translator-service", "translator",
            "installer-service", "installer", "status-aggregator", "aggregator");

    /** Modules shared by services (not services themselves): the pure translation both translator and intake run. */
    static final List<String> SHARED_MODULES = List.of("translation");

    /** Where the product's rules live: plain Java over values. */
    static final String[] PURE_PACKAGES = {"dev.meshfleet.translation..", "dev.meshfleet.aggregator.fold..",
            "dev.meshfleet.installer.diff..", "dev.meshfleet.installer.health..", "dev.meshfleet.installer.model..",
            "dev.meshfleet.installer.peering.."};

    /** Pure classes that sit beside the I/O shell they serve (the installer's reconcile package). */
    static final String[] PURE_CLASSES = {"dev.meshfleet.installer.reconcile.RoundDecision",
            "dev.meshfleet.installer.reconcile.Verdict", "dev.meshfleet.installer.reconcile.LastReport"};

    static final String[] EDGES = {"org.apache.kafka..", "io.fabric8..", "io.quarkus..", "io.smallrye..",
            "jakarta.enterprise..", "jakarta.inject..", "io.vertx.."};

    static JavaClasses mainClasses;
    static JavaClasses allClasses;

    @BeforeAll
    static void importServices() {
        List<Path> main = new ArrayList<>();
        List<Path> all = new ArrayList<>();
        for (String module : SERVICES.keySet()) {
            Path classes = Path.of("..", module, "target", "classes");
            Path testClasses = Path.of("..", module, "target", "test-classes");
            assertThat(classes).as("%s is built before sandbox (the reactor's order)", module).isDirectory();
            main.add(classes);
            all.add(classes);
            if (Files.isDirectory(testClasses)) {
                all.add(testClasses);
            }
        }
        for (String module : SHARED_MODULES) {
            Path classes = Path.of("..", module, "target", "classes");
            assertThat(classes).as("%s is built before sandbox (the reactor's order)", module).isDirectory();
            main.add(classes);
            all.add(classes);
        }
        mainClasses = new ClassFileImporter().importPaths(main);
        allClasses = new ClassFileImporter().importPaths(all);
    }

    @Test
    void everyServiceIsImported() {
        for (String root : SERVICES.values()) {
            assertThat(mainClasses.stream().filter(c -> c.getPackageName().startsWith("dev.meshfleet." + root + ".")))
                    .as("classes of dev.meshfleet.%s", root).isNotEmpty();
        }
    }

    @Test
    void noServiceImportsAnotherServiceInItsCodeOrItsTests() {
        for (String root : SERVICES.values()) {
            String[] others = SERVICES.values().stream().filter(o -> !o.equals(root)).map(o -> "dev.meshfleet." + o + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.meshfleet." + root + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services talk through topics only; a test spanning two services belongs in sandbox")
                    .check(allClasses);
        }
    }

    @Test
    void thePurePackagesImportNoKafkaFabric8QuarkusOrCdi() {
        noClasses().that().resideInAnyPackage(PURE_PACKAGES).or().haveNameMatching(pureClasses())
                .should().dependOnClassesThat().resideInAnyPackage(EDGES)
                .because("the rules of the product are plain Java over values; clients sit at the edges (STYLE.md 1)")
                .check(mainClasses);
    }

    @Test
    void thePurePackagesNeverReadTheClock() {
        noClasses().that().resideInAnyPackage(PURE_PACKAGES).or().haveNameMatching(pureClasses())
                .should().dependOnClassesThat().areAssignableTo(Clock.class)
                .orShould().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(OffsetDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("time is an input of a pure function, so a test can give it")
                .check(mainClasses);
    }

    /** The pure classes and their nested records. */
    private static String pureClasses() {
        return "(" + String.join("|", java.util.Arrays.stream(PURE_CLASSES).map(java.util.regex.Pattern::quote)
                .toList()) + ")(\\$.*)?";
    }
}
