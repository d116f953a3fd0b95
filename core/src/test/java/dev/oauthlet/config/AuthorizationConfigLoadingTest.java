package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration of the authorization code flow: {@code authorization:}, {@code pages:}, {@code endpoints.authorize}. */
class AuthorizationConfigLoadingTest {

    private static final String CLIENT = """
            audiences: [api]
            clients:
              - id: web
                secret: s
                grants: [authorization_code]
                redirect-uris: [https://web.example.com/cb]
            """;

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.load(yaml)).getMessage();
    }

    @Test
    void loadWhenSectionsAbsentThenDefaults() {
        OauthletConfig c = TestConfigs.load(CLIENT);
        assertTrue(c.authorization().pkceRequired());
        assertFalse(c.authorization().pkcePlainAllowed());
        assertEquals(Duration.ofHours(1), c.authorization().sessionTtl());
        assertEquals(5, c.authorization().maxLoginFailuresPerUser());
        assertEquals(20, c.authorization().maxLoginFailuresPerAddress());
        assertEquals(Duration.ofMinutes(15), c.authorization().loginFailureWindow());
        assertEquals(Duration.ofSeconds(1), c.authorization().loginFailureDelay());
        assertEquals("Oauthlet", c.pages().name());
        assertNull(c.pages().logoUrl());
        assertEquals("/oauth/authorize", c.endpoints().authorize());
        assertEquals(Duration.ofSeconds(60), c.tokens().authorizationCodeTtl());
    }

    @Test
    void loadWhenSectionsGivenThenEveryKeyRead() {
        OauthletConfig c = TestConfigs.load(CLIENT + """
                endpoints:
                  authorize: /v1/authorize
                authorization:
                  pkce-required: false
                  pkce-plain-allowed: true
                  session-ttl: 10m
                  login-max-failures-per-user: 7
                  login-max-failures-per-address: 70
                  login-failure-window: 1h
                  login-failure-delay: 250ms
                  max-concurrent-secret-checks: 3
                pages:
                  name: Acme
                  logo-url: https://cdn.acme.example/logo.svg
                  primary-color: "#0a7"
                  background-color: "#F0F2F5"
                """);
        assertEquals("/v1/authorize", c.endpoints().authorize());
        assertEquals(new AuthorizationConfig(false, true, Duration.ofMinutes(10), 7, 70, Duration.ofHours(1), Duration.ofMillis(250), 3),
                c.authorization());
        assertEquals(new PagesConfig("Acme", "https://cdn.acme.example/logo.svg", "#0a7", "#F0F2F5"), c.pages());
    }

    @Test
    void loadWhenOldEndpointKeyAuthorizationThenUnknownKeyNamingTheNewOne() {
        String msg = error(CLIENT + "endpoints:\n  authorization: /oauth/authorize\n");
        assertTrue(msg.contains("endpoints.authorization: unknown key") && msg.contains("authorize"), msg);
    }

    @Test
    void loadWhenAuthorizationCodeClientHasNoRedirectUriThenError() {
        String msg = error(CLIENT.replace("    redirect-uris: [https://web.example.com/cb]\n", ""));
        assertTrue(msg.contains("clients[0].redirect-uris: missing"), msg);
    }

    @Test
    void loadWhenHostLoginAndPagesLanguagesGivenThenRead() {
        OauthletConfig c = TestConfigs.load(CLIENT + """
                authorization:
                  host-login: container
                pages:
                  languages: [de, en]
                  messages: i18n/pages
                  templates: classpath:shop-pages
                """);
        assertEquals(AuthorizationConfig.HostLoginMode.CONTAINER, c.authorization().hostLogin());
        assertEquals(java.util.List.of("de", "en"), c.pages().languages());
        assertEquals("i18n/pages", c.pages().messages());
        assertEquals("classpath:shop-pages", c.pages().templates());
        OauthletConfig d = TestConfigs.load(CLIENT);
        assertEquals(AuthorizationConfig.HostLoginMode.OAUTHLET, d.authorization().hostLogin());
        assertEquals(java.util.List.of("en"), d.pages().languages());
        assertNull(d.pages().messages());
        assertNull(d.pages().templates());
    }

    @Test
    void loadWhenHostLoginUnknownOrLanguageMalformedThenErrorNamingTheKey() {
        String msg = error(CLIENT + "authorization:\n  host-login: sso\n");
        assertTrue(msg.contains("authorization.host-login: expected oauthlet, container or application, got 'sso'"), msg);
        msg = error(CLIENT + "pages:\n  languages: [en, \"de;q=1\"]\n");
        assertTrue(msg.contains("pages.languages") && msg.contains("de;q=1"), msg);
    }

    @Test
    void loadWhenColourIsNotHexThenErrorNamingTheKey() {
        String msg = error(CLIENT + "pages:\n  primary-color: red;}body{display:none\n");
        assertTrue(msg.contains("pages.primary-color"), msg);
    }

    @Test
    void loadWhenLogoUrlIsPlainHttpOnAnotherHostThenError() {
        String msg = error(CLIENT + "pages:\n  logo-url: http://cdn.acme.example/logo.svg\n");
        assertTrue(msg.contains("pages.logo-url: must be an https:// URL (http:// only on localhost)"), msg);
    }

    @Test
    void loadWhenLogoUrlIsHttpOnLoopbackThenAccepted() {
        OauthletConfig c = TestConfigs.load(CLIENT + "pages:\n  logo-url: http://127.0.0.1:8081/logo.svg\n");
        assertEquals("http://127.0.0.1:8081/logo.svg", c.pages().logoUrl());
    }

    @Test
    void loadWhenLogoUrlIsScriptThenError() {
        String msg = error(CLIENT + "pages:\n  logo-url: javascript:alert(1)\n");
        assertTrue(msg.contains("pages.logo-url"), msg);
    }

    @Test
    void loadWhenFailureDelayTooLongThenError() {
        String msg = error(CLIENT + "authorization:\n  login-failure-delay: 30s\n");
        assertTrue(msg.contains("authorization.login-failure-delay"), msg);
    }

    @Test
    void loadWhenUnknownAuthorizationKeyThenErrorListingKnownOnes() {
        String msg = error(CLIENT + "authorization:\n  pkce: on\n");
        assertTrue(msg.contains("authorization.pkce: unknown key") && msg.contains("pkce-required"), msg);
    }

    @Test
    void loadWhenFailureLimitZeroThenError() {
        String msg = error(CLIENT + "authorization:\n  login-max-failures-per-user: 0\n");
        assertTrue(msg.contains("authorization.login-max-failures-per-user"), msg);
    }

    @Test
    void loadWhenThrottleKeysGivenThenRead() {
        AuthorizationConfig c = TestConfigs.load(CLIENT + """
                authorization:
                  login-max-failures-per-user-any-address: 40
                  max-queued-secret-checks: 3
                  trusted-proxies: [10.0.0.0/8, "::1"]
                """).authorization();
        assertEquals(40, c.maxLoginFailuresPerUserAnyAddress());
        assertEquals(3, c.maxQueuedSecretChecks());
        assertEquals(java.util.List.of("10.0.0.0/8", "::1"), c.trustedProxies().entries());
    }

    @Test
    void loadWhenCeilingBelowThePerAddressLimitThenErrorNamingBoth() {
        String msg = error(CLIENT + "authorization:\n  login-max-failures-per-user: 10\n  login-max-failures-per-user-any-address: 5\n");
        assertTrue(msg.contains("authorization.login-max-failures-per-user-any-address: must be at least login-max-failures-per-user (10)"),
                msg);
    }

    @Test
    void loadWhenTrustedProxyIsAHostNameThenErrorNamingTheEntry() {
        String msg = error(CLIENT + "authorization:\n  trusted-proxies: [proxy.internal]\n");
        assertTrue(msg.contains("authorization.trusted-proxies: 'proxy.internal' is not an IP address or CIDR range"), msg);
    }
}
