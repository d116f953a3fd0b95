package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholdersTest {

    private static final Placeholders ENV = Placeholders.of(Map.of(
            "DB_URL", "jdbc:h2:mem:placeholders",
            "POOL", "7",
            "PKCE", "false",
            "EVIL", "x\nissuer: https://evil.example\n  admin: true",
            "ISSUER", "https://auth.example.com"));

    private static OauthletConfig load(String yaml) {
        return TestConfigs.parse(yaml, ENV);
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void resolveWhenNameSetThenItsValue() {
        assertEquals("jdbc:h2:mem:placeholders?x=1", ENV.resolve("${DB_URL}?x=1", "here"));
    }

    @Test
    void resolveWhenNameUnsetThenDefault() {
        assertEquals("jdbc:h2:file:./data/oauthlet", ENV.resolve("${NOPE:-jdbc:h2:file:./data/oauthlet}", "here"));
        assertEquals("", ENV.resolve("${NOPE:-}", "here"));
    }

    @Test
    void resolveWhenDoubleDollarThenLiteral() {
        assertEquals("${clientId} and ${DB_URL}", ENV.resolve("$${clientId} and $${DB_URL}", "here"));
        assertEquals("a $ b $5", ENV.resolve("a $ b $5", "here"), "a lone $ stays");
    }

    @Test
    void resolveWhenSystemPropertySetThenItWinsOverEnvironment() {
        System.setProperty("oauthlet.test.placeholder", "from-property");
        try {
            assertEquals("from-property", Placeholders.fromSystem().resolve("${oauthlet.test.placeholder}", "here"));
        } finally {
            System.clearProperty("oauthlet.test.placeholder");
        }
    }

    @Test
    void resolveWhenUnclosedOrMalformedThenError() {
        assertTrue(assertThrows(ConfigException.class, () -> ENV.resolve("${DB_URL", "ctx")).getMessage()
                .startsWith("ctx: '${' without a closing '}'"));
        assertTrue(assertThrows(ConfigException.class, () -> ENV.resolve("${a b}", "ctx")).getMessage()
                .contains("'${a b}' is not a placeholder"));
    }

    @Test
    void loadWhenPlaceholdersThenValuesConvertToTheKeysType() {
        OauthletConfig c = load("""
                issuer: ${ISSUER}
                storage:
                  url: ${DB_URL}
                  pool-size: ${POOL}
                  connection-timeout: ${TIMEOUT:-5s}
                authorization:
                  pkce-required: ${PKCE}
                """);
        assertEquals("https://auth.example.com", c.issuer());
        assertEquals("jdbc:h2:mem:placeholders", c.storage().url());
        assertEquals(7, c.storage().poolSize());
        assertEquals(java.time.Duration.ofSeconds(5), c.storage().connectionTimeout());
        assertEquals(false, c.authorization().pkceRequired());
    }

    @Test
    void loadWhenValueHoldsYamlThenItStaysOneString() {
        OauthletConfig c = load("""
                storage:
                  password: ${EVIL}
                """);
        assertEquals("x\nissuer: https://evil.example\n  admin: true", c.storage().password());
        assertEquals(null, c.issuer());
    }

    @Test
    void loadWhenNameMissingThenFileKeyPathAndName() {
        assertEquals("oauthlet.yml: clients[0].secret: ${BACKOFFICE_SECRET} is not set (set the environment variable or system "
                + "property BACKOFFICE_SECRET, or give a default: ${BACKOFFICE_SECRET:-value})", error("""
                clients:
                  - id: backoffice-app
                    secret: ${BACKOFFICE_SECRET}
                    grants: [client_credentials]
                """));
    }

    @Test
    void loadWhenNumberFromPlaceholderIsNotANumberThenKeyError() {
        assertEquals("oauthlet.yml: storage.pool-size: expected a whole number from 1 to 500, got 'many'",
                error("storage:\n  pool-size: ${SIZE:-many}\n"));
    }

    @Test
    void loadWhenFilePlaceholderThenContentWithoutFinalLineBreak(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("db-password");
        Files.writeString(secret, "s3cr3t\n");
        OauthletConfig c = load("storage:\n  password: ${file:" + secret + "}\n");
        assertEquals("s3cr3t", c.storage().password());
        assertEquals("fallback", ENV.resolve("${file:" + dir.resolve("absent") + ":-fallback}", "here"));
    }

    @Test
    void loadWhenFilePlaceholderMissingOrRelativeThenError(@TempDir Path dir) {
        assertTrue(error("storage:\n  password: ${file:" + dir.resolve("absent") + "}\n")
                .startsWith("oauthlet.yml: storage.password: ${file:" + dir.resolve("absent") + "} cannot be read"));
        assertTrue(error("storage:\n  password: ${file:secrets/x}\n")
                .startsWith("oauthlet.yml: storage.password: ${file:secrets/x} needs an absolute path"));
    }
}
