package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The records own their rules: built in code they refuse what the file would, and toBuilder keeps what it is not told to change. */
class ConfigRecordsTest {

    @Test
    void pagesWhenLogoUrlUnsafeInCodeThenRefusedAsFromTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PagesConfig("Acme", "javascript:alert(1)", "#2457d6", "#f4f6fb"));
        assertTrue(e.getMessage().startsWith("logo-url: must be an https:// URL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PagesConfig("Acme", "https://cdn.example/a b.svg", "#2457d6", "#f4f6fb"));
        assertThrows(IllegalArgumentException.class, () -> new PagesConfig(" ", null, "#2457d6", "#f4f6fb"));
    }

    @Test
    void authorizationWhenLoginFailureDelayOver10sInCodeThenRefused() {
        AuthorizationConfig d = AuthorizationConfig.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AuthorizationConfig(d.pkceRequired(),
                d.pkcePlainAllowed(), d.sessionTtl(), d.maxLoginFailuresPerUser(), d.maxLoginFailuresPerAddress(), d.loginFailureWindow(),
                Duration.ofSeconds(11), d.maxConcurrentSecretChecks(), d.maxLoginFailuresPerUserAnyAddress(), d.maxQueuedSecretChecks(),
                d.trustedProxies()));
        assertEquals("login-failure-delay: must be from 0s to 10s", e.getMessage());
    }

    @Test
    void toBuilderWhenTokensChangedThenAuthorizationPagesAndServerKept() {
        OauthletConfig c = TestConfigs.load(TestConfigs.AUTHORIZATION_CODE + """
                pages:
                  name: Acme
                """);
        OauthletConfig changed = c.toBuilder().tokens(TokensConfig.defaults()).build();
        assertEquals(c.authorization(), changed.authorization());
        assertEquals("Acme", changed.pages().name());
        assertEquals(c.server(), changed.server());
        assertEquals(c.clients(), changed.clients());
        assertTrue(changed.authorization().loginFailureDelay().isZero(), "the file's login-failure-delay: 0s is kept");
    }

    @Test
    void builderWhenNothingSetThenEveryPartAtItsDefault() {
        OauthletConfig c = OauthletConfig.builder().build();
        assertEquals(StorageConfig.memory(), c.storage());
        assertEquals(AuthorizationConfig.defaults().loginFailureDelay(), c.authorization().loginFailureDelay());
        assertEquals(PagesConfig.defaults(), c.pages());
        assertTrue(c.clients().isEmpty());
    }
}
