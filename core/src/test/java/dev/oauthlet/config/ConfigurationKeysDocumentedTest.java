package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Every key the loader accepts is documented in docs/configuration.md, in its section: the loader
 * is given an unknown key at each place, and the keys its refusal lists as known must each appear
 * there as {@code `key`} (or as a part of a dotted path such as {@code `open-rate-limit.window`}). A key added to the loader without its documentation fails here.
 */
class ConfigurationKeysDocumentedTest {

    private static final Pattern KNOWN = Pattern.compile("unknown key 'zz-unknown' \\(known: ([^)]*)\\)");
    private static final String BASE = "issuer: https://auth.example.com\naudiences: [api]\n";

    /** Where the unknown key goes, and the heading of the section that documents that place. */
    private static final Map<String, String> PLACES = Map.ofEntries(
            Map.entry(BASE + "zz-unknown: 1\n", "## Top level"),
            Map.entry(BASE + "storage:\n  zz-unknown: 1\n", "## `storage`"),
            Map.entry(BASE + "server:\n  zz-unknown: 1\n", "## `server`"),
            Map.entry(BASE + "metrics:\n  zz-unknown: 1\n", "## `metrics`"),
            Map.entry(BASE + "signing:\n  zz-unknown: 1\n", "## `signing`"),
            Map.entry(BASE + "tokens:\n  zz-unknown: 1\n", "## `tokens`"),
            Map.entry(BASE + "endpoints:\n  zz-unknown: 1\n", "## `endpoints`"),
            Map.entry(BASE + "clients:\n  - id: c\n    zz-unknown: 1\n", "## `clients[]`"),
            Map.entry(BASE + "users:\n  - username: u\n    zz-unknown: 1\n", "## `users[]`"),
            Map.entry(BASE + "registration:\n  zz-unknown: 1\n", "## `registration`"),
            Map.entry(BASE + "registration:\n  open: true\n  policy:\n    zz-unknown: 1\n", "## `registration`"),
            Map.entry(BASE + "registration:\n  open: true\n  open-rate-limit:\n    zz-unknown: 1\n", "## `registration`"),
            Map.entry(BASE + "authorization:\n  zz-unknown: 1\n", "## `authorization`"),
            Map.entry(BASE + "cors:\n  zz-unknown: 1\n", "## `cors`"),
            Map.entry(BASE + "pages:\n  zz-unknown: 1\n", "## `pages`"));

    @TestFactory
    Stream<DynamicTest> loadWhenUnknownKeyThenEveryKnownKeyItListsIsDocumentedInItsSection() throws Exception {
        String doc = Files.readString(Path.of("../docs/configuration.md"), StandardCharsets.UTF_8);
        List<DynamicTest> tests = new ArrayList<>();
        PLACES.forEach((yaml, heading) -> tests.add(DynamicTest.dynamicTest(heading + ": " + yaml.substring(BASE.length()).trim(), () -> {
            ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(TestConfigs.DISCOVERED_GRANTS,
                    new SecretHasher(1_000), Placeholders.of(Map.of()))
                    .load("keys.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
            Matcher m = KNOWN.matcher(e.getMessage());
            assertTrue(m.find(), "the refusal names the known keys: " + e.getMessage());
            String section = section(doc, heading);
            // A key is documented as itself, or as the first or last part of a dotted path (`open-rate-limit.window`).
            List<String> missing = Stream.of(m.group(1).split(", ")).filter(k -> !section.contains("`" + k + "`")
                    && !section.contains("`" + k + ".") && !Pattern.compile("`[a-z.-]*\\." + Pattern.quote(k) + "`").matcher(section).find())
                    .toList();
            assertTrue(missing.isEmpty(), "not documented under " + heading + " in docs/configuration.md: " + missing);
        })));
        assertFalse(tests.isEmpty());
        return tests.stream();
    }

    /** The text from {@code heading} to the next heading of the same level. */
    private static String section(String doc, String heading) {
        int start = doc.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "docs/configuration.md has no '" + heading + "'");
        int end = doc.indexOf("\n## ", start + heading.length() + 2);
        return doc.substring(start, end < 0 ? doc.length() : end);
    }
}
