package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's run command: the JVM accepts its flags, and the class-data-sharing archive it names
 * is the one this module's build writes. (benchmarks/run.sh starts the example with exactly this
 * command, so its start-up and memory figures are the command's.)
 */
class ReadmeRunCommandTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Pattern COMMAND = Pattern.compile("java((?:\\s+-\\S+)*?)\\s+-jar\\s+jetty-example/target/jetty-example\\.jar");

    private static List<String> readmeFlags() throws Exception {
        Matcher m = COMMAND.matcher(Files.readString(MODULE.resolve("../README.md")));
        assertTrue(m.find(), "README.md has a 'java ... -jar jetty-example/target/jetty-example.jar' command");
        return Arrays.stream(m.group(1).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void readmeRunCommandWhenTheJvmStartsWithItsFlagsThenItAcceptsThemSilently() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The archive is checked below: it belongs to the packaged jar, which the test phase has not built yet.
        readmeFlags().stream().filter(f -> !f.startsWith("-XX:SharedArchiveFile=")).forEach(cmd::add);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, p.waitFor(), out);
        assertFalse(out.contains("warning") || out.contains("Error") || out.contains("Unrecognized"), out);
    }

    @Test
    void readmeRunCommandWhenItNamesAnArchiveThenTheBuildWritesThatArchive() throws Exception {
        String archive = readmeFlags().stream().filter(f -> f.startsWith("-XX:SharedArchiveFile=")).findFirst()
                .orElseThrow(() -> new AssertionError("the README's run command names no class-data-sharing archive"))
                .substring("-XX:SharedArchiveFile=jetty-example/target/".length());
        String pom = Files.readString(MODULE.resolve("pom.xml"));

        assertTrue(pom.contains("-XX:ArchiveClassesAtExit=${project.build.directory}/" + archive + "<"),
                "jetty-example/pom.xml's training run writes " + archive);
    }
}
