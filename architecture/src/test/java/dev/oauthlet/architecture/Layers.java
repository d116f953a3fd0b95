package dev.oauthlet.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The layer table of docs/architecture.md, and the rule that every dependency points down it. */
final class Layers {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|([^|]*)\\|");
    private static final Pattern PACKAGE = Pattern.compile("`(dev\\.oauthlet[\\w.]*)`");

    private Layers() {
    }

    /** Package → layer, from the rows {@code | n | `package`, `package` | ... |}. */
    static Map<String, Integer> read(Path doc) throws IOException {
        Map<String, Integer> layers = new TreeMap<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                Matcher p = PACKAGE.matcher(row.group(2));
                while (p.find()) {
                    Integer before = layers.put(p.group(1), Integer.parseInt(row.group(1)));
                    if (before != null) {
                        throw new IllegalStateException(doc + ": " + p.group(1) + " is in two rows");
                    }
                }
            }
        }
        return layers;
    }

    /** A class uses its own package and lower layers only; every dev.oauthlet package has a layer. */
    static ArchRule rule(Map<String, Integer> layers) {
        return classes().should(new ArchCondition<JavaClass>("use only their own package and lower layers of docs/architecture.md") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Integer mine = layer(layers, c.getPackageName());
                if (mine == null) {
                    events.add(SimpleConditionEvent.violated(c, c.getPackageName() + " (of " + c.getName()
                            + ") has no row in the layer table of docs/architecture.md"));
                    return;
                }
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    String target = d.getTargetClass().getPackageName();
                    if (target.equals(c.getPackageName()) || !isOurs(target)) {
                        continue;
                    }
                    Integer theirs = layer(layers, target);
                    if (theirs != null && theirs >= mine) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription() + ": layer " + mine + " uses layer " + theirs));
                    }
                }
            }
        }).allowEmptyShould(false);
    }

    private static boolean isOurs(String pkg) {
        return pkg.equals("dev.oauthlet") || pkg.startsWith("dev.oauthlet.");
    }

    /** JMH's generated benchmark classes sit in their own package, just above the benchmarks. */
    private static Integer layer(Map<String, Integer> layers, String pkg) {
        if (pkg.endsWith(".jmh_generated")) {
            Integer outer = layers.get(pkg.substring(0, pkg.length() - ".jmh_generated".length()));
            return outer == null ? null : outer + 1;
        }
        return layers.get(pkg);
    }
}
