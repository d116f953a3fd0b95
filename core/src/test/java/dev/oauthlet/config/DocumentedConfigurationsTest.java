package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.crypto.SecretHasher;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every {@code yaml} block of README.md and docs/*.md loads as a configuration, as a user would copy it. */
class DocumentedConfigurationsTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    /** A top-level {@code example:} key and everything indented under it. */
    private static final Pattern EXAMPLE_SECTION = Pattern.compile("(?m)^example:.*\\n(?:[ #].*\\n|\\n)*");
    /** What the documented placeholders stand for in this test. */
    private static final Placeholders ENV = Placeholders.of(Map.of(
            "OAUTHLET_ISSUER", "https://auth.example.com",
            "OAUTHLET_DB_PASSWORD", "from-the-environment",
            "BACKOFFICE_SECRET", "from-the-environment",
            "REGISTRATION_TOKEN", "an-initial-access-token-from-the-environment",
            "OAUTHLET_KEK", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=",
            "OAUTHLET_OLD_KEK", "ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8="));

    @TestFactory
    Stream<DynamicTest> loadWhenDocumentedYamlThenItIsAValidConfiguration() throws Exception {
        List<Path> files = new ArrayList<>(List.of(Path.of("../README.md")));
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            Matcher m = YAML_BLOCK.matcher(Files.readString(file, StandardCharsets.UTF_8));
            int n = 0;
            while (m.find()) {
                // The Jetty example's own section (docs/configuration.md, "example") is the example's to read, not core's.
                String yaml = EXAMPLE_SECTION.matcher(m.group(1)).replaceAll("");
                String name = file.getFileName() + " yaml block " + (++n);
                tests.add(DynamicTest.dynamicTest(name, () -> new ConfigLoader(TestConfigs.DISCOVERED_GRANTS, new SecretHasher(1_000), ENV)
                        .load(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
            }
        }
        assertFalse(tests.isEmpty(), "no yaml block found: did the docs move?");
        return tests.stream();
    }
}
