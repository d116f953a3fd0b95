package dev.oauthlet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.oauthlet.architecture.fixture.StrayException;
import dev.oauthlet.architecture.fixture.UsesInternal;
import dev.oauthlet.architecture.fixture.ping.Ping;
import dev.oauthlet.architecture.fixture.pong.Pong;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules of docs/architecture.md, checked on the compiled classes of every module in the
 * reactor (each module's {@code target/classes}, and {@code target/test-classes} for the API
 * boundary).
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of(System.getProperty("oauthlet.root", "..")).toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of("core", "servlet-filter", "storage-tck", "jetty-example", "benchmarks");

    /** Every {@code dev.oauthlet} package is a slice of its own; other packages take no part. */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String p = javaClass.getPackageName();
            return p.equals("dev.oauthlet") || p.startsWith("dev.oauthlet.") ? SliceIdentifier.of(p) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the dev.oauthlet packages";
        }
    };

    static final ArchRule NO_PACKAGE_CYCLE = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    static final ArchRule NO_INTERNAL = noClasses().should().dependOnClassesThat().resideInAPackage("dev.oauthlet.internal..")
            .because("dev.oauthlet.internal is core's implementation; other modules use core's public packages");

    static final ArchRule MICROMETER_IN_ONE_PACKAGE = noClasses().that().resideOutsideOfPackage("dev.oauthlet.metrics.micrometer")
            .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
            .because("Micrometer is an optional dependency of core: only dev.oauthlet.metrics.micrometer may need it (docs/architecture.md)");

    static final ArchRule NO_SERVLET_API = noClasses().should().dependOnClassesThat().resideInAnyPackage("jakarta..", "javax.servlet..")
            .because("core runs without a servlet container; servlet-filter translates HTTP to core types");

    /**
     * Throwable, judged by the superclass chain's names: the JDK's classes are not imported
     * (archunit.properties), so the chain ends at a stub such as java.lang.RuntimeException.
     */
    private static final DescribedPredicate<JavaClass> THROWABLE = new DescribedPredicate<>("throwable") {
        @Override
        public boolean test(JavaClass c) {
            for (Optional<JavaClass> s = Optional.of(c); s.isPresent(); s = s.get().getRawSuperclass()) {
                if (Set.of("java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException", "java.lang.Error")
                        .contains(s.get().getName())) {
                    return true;
                }
            }
            return false;
        }
    };

    static final ArchRule ONE_EXCEPTION_ROOT = classes().that(THROWABLE)
            .should().beAssignableTo("dev.oauthlet.error.OauthletException")
            .because("one catch takes every failure of Oauthlet (docs/architecture.md)");

    @Test
    void exceptionsWhenPublishedModulesImportedThenAllBelowOauthletException() {
        ONE_EXCEPTION_ROOT.check(importModules(List.of("core", "servlet-filter"), "classes"));
    }

    @Test
    void packagesWhenMainClassesOfAllModulesImportedThenNoCycle() {
        NO_PACKAGE_CYCLE.check(importModules(MODULES, "classes"));
    }

    @Test
    void internalWhenOtherModulesImportedThenNotUsed() {
        List<String> others = MODULES.stream().filter(m -> !m.equals("core")).toList();
        NO_INTERNAL.check(importModules(others, "classes", "test-classes"));
    }

    @Test
    void micrometerWhenPublishedModulesImportedThenUsedOnlyByItsOwnPackage() {
        MICROMETER_IN_ONE_PACKAGE.check(importModules(List.of("core", "servlet-filter"), "classes"));
    }

    @Test
    void coreWhenImportedThenNoServletApi() {
        NO_SERVLET_API.check(importModules(List.of("core"), "classes"));
    }

    @Test
    void layersWhenMainClassesImportedThenEveryDependencyPointsDownTheTableOfDocsArchitecture() throws IOException {
        Map<String, Integer> layers = Layers.read(ROOT.resolve("docs/architecture.md"));
        assertTrue(layers.size() > 10, "too few packages in the layer table: " + layers);
        Layers.rule(layers).check(importModules(MODULES, "classes"));
    }

    @Test
    void packagesWhenModulesImportedThenEachInOneModuleOnly() {
        Map<String, String> owner = new TreeMap<>();
        List<String> split = new ArrayList<>();
        for (String module : MODULES) {
            for (JavaClass c : importModules(List.of(module), "classes")) {
                String before = owner.putIfAbsent(c.getPackageName(), module);
                if (before != null && !before.equals(module)) {
                    split.add(c.getPackageName() + " in " + before + " and " + module);
                }
            }
        }
        assertEquals(List.of(), split, "a package split across modules cannot be a Java module");
    }

    @Test
    void coreModuleWhenDescriptorReadThenExportsEveryApiPackageAndProvidesItsServiceFiles() throws IOException {
        Path classes = ROOT.resolve("core/target/classes");
        ModuleDescriptor descriptor = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("dev.oauthlet.core", descriptor.name());

        Set<String> api = new TreeSet<>();
        importModules(List.of("core"), "classes").forEach(c -> api.add(c.getPackageName()));
        api.removeIf(p -> p.equals("dev.oauthlet.internal") || p.startsWith("dev.oauthlet.internal."));
        Set<String> exported = new TreeSet<>();
        descriptor.exports().forEach(e -> {
            assertFalse(e.isQualified(), e + " is a qualified export");
            exported.add(e.source());
        });
        assertEquals(api, exported, "module-info.java of core: export every package except dev.oauthlet.internal*");

        Map<String, Set<String>> services = new TreeMap<>();
        try (Stream<Path> files = Files.list(classes.resolve("META-INF/services"))) {
            for (Path f : files.toList()) {
                Set<String> providers = new TreeSet<>();
                for (String line : Files.readAllLines(f)) {
                    String provider = line.replaceAll("#.*", "").strip();
                    if (!provider.isEmpty()) {
                        providers.add(provider);
                    }
                }
                services.put(f.getFileName().toString(), providers);
            }
        }
        Map<String, Set<String>> provides = new TreeMap<>();
        descriptor.provides().forEach(pr -> provides.put(pr.service(), new TreeSet<>(pr.providers())));
        assertEquals(services, provides, "module-info.java of core: one 'provides' per META-INF/services file, same providers");
    }

    /** The rules can fail: fixtures that break them are refused. */
    @Test
    void rulesWhenFixturesBreakThemThenViolations() {
        JavaClasses cycle = new ClassFileImporter().importClasses(Ping.class, Pong.class);
        AssertionError e = assertThrows(AssertionError.class, () -> NO_PACKAGE_CYCLE.check(cycle));
        assertTrue(e.getMessage().contains("Cycle detected"), e.getMessage());

        JavaClasses internal = new ClassFileImporter().importClasses(UsesInternal.class);
        AssertionError reach = assertThrows(AssertionError.class, () -> NO_INTERNAL.check(internal));
        assertTrue(reach.getMessage().contains(UsesInternal.class.getName()), reach.getMessage());

        JavaClasses exception = new ClassFileImporter().importClasses(StrayException.class);
        AssertionError stray = assertThrows(AssertionError.class, () -> ONE_EXCEPTION_ROOT.check(exception));
        assertTrue(stray.getMessage().contains(StrayException.class.getName()), stray.getMessage());

        // Ping is put above Pong: Pong's use of Ping points up.
        ArchRule layered = Layers.rule(Map.of(Ping.class.getPackageName(), 2, Pong.class.getPackageName(), 1));
        AssertionError up = assertThrows(AssertionError.class, () -> layered.check(cycle));
        assertTrue(up.getMessage().contains(Pong.class.getName()), up.getMessage());
    }

    /** Fails, rather than passing on nothing, when a module has not been compiled. */
    private static JavaClasses importModules(List<String> modules, String... outputs) {
        List<Path> dirs = new ArrayList<>();
        for (String module : modules) {
            Path main = ROOT.resolve(module).resolve("target").resolve(outputs[0]);
            assertTrue(Files.isDirectory(main), main + " is missing: build the reactor (mvn verify) from " + ROOT);
            Stream.of(outputs).map(o -> ROOT.resolve(module).resolve("target").resolve(o)).filter(Files::isDirectory).forEach(dirs::add);
        }
        JavaClasses classes = new ClassFileImporter().importPaths(dirs);
        assertTrue(classes.size() > modules.size(), "no classes under " + dirs);
        return classes;
    }
}
