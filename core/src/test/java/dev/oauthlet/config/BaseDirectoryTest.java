package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BaseDirectoryTest {

    private static final Path BASE = Path.of("/srv/oauthlet");

    @Test
    void resolveH2WhenRelativeFileThenAgainstTheBaseDirectory() {
        assertEquals("jdbc:h2:file:/srv/oauthlet/data/oauthlet", BaseDirectory.resolveH2("jdbc:h2:file:./data/oauthlet", BASE));
        assertEquals("jdbc:h2:file:/srv/oauthlet/data/oauthlet;MODE=PostgreSQL",
                BaseDirectory.resolveH2("jdbc:h2:data/oauthlet;MODE=PostgreSQL", BASE));
    }

    @Test
    void resolveH2WhenAbsoluteHomeOrNotAFileThenUnchanged() {
        for (String url : new String[] {"jdbc:h2:file:/var/lib/oauthlet/db", "jdbc:h2:~/oauthlet", "jdbc:h2:mem:x",
                "jdbc:h2:tcp://db/./x", "jdbc:postgresql://db/oauthlet", "jndi:java:comp/env/jdbc/oauthlet", "memory"}) {
            assertEquals(url, BaseDirectory.resolveH2(url, null), url);
        }
    }

    @Test
    void resolveWhenRelativeAndNoBaseDirectoryThenSaysWhatToSet() {
        OauthletConfig relative = OauthletConfig.builder().storage(StorageConfig.jdbc("jdbc:h2:file:./data/oauthlet", "", "")).build();
        String message = assertThrows(ConfigException.class, () -> BaseDirectory.resolve(relative, null)).getMessage();
        assertEquals("storage.url: 'jdbc:h2:file:./data/oauthlet' is a relative path and there is no base directory to resolve it "
                + "against (set the system property oauthlet.home or the environment variable OAUTHLET_HOME to the directory for "
                + "Oauthlet's data, or write an absolute path)", message);
    }

    @Test
    void resolveWhenRelativeKeyFileThenAgainstTheBaseDirectory() {
        OauthletConfig c = OauthletConfig.builder().signing(new SigningConfig("RS256", null, Path.of("keys/signing.pem"), null)).build();
        assertEquals(Path.of("/srv/oauthlet/keys/signing.pem"), BaseDirectory.resolve(c, BASE).signing().keyFile());
        assertTrue(assertThrows(ConfigException.class, () -> BaseDirectory.resolve(c, null)).getMessage()
                .startsWith("signing.key-file: 'keys/signing.pem' is a relative path"));
    }
}
