package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Init-params: in remote mode where keys may come from and the issuer kept exactly as configured; the cache's idle time. */
class FilterSettingsTest {

    private static FilterSettings parse(String... nameValues) {
        Map<String, String> m = new HashMap<>();
        m.put("audience", "back-office");
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return FilterSettings.parse(m::get);
    }

    private static String refusal(String... nameValues) {
        return assertThrows(IllegalArgumentException.class, () -> parse(nameValues)).getMessage();
    }

    @Test
    void parseWhenIssuerIsPlainHttpOnAnotherHostThenRefused() {
        String msg = refusal("issuer", "http://auth.example.com");

        assertTrue(msg.startsWith("init-param 'issuer': must be an https:// URL"), msg);
    }

    @Test
    void parseWhenJwksUriIsPlainHttpOnAnotherHostThenRefused() {
        String msg = refusal("issuer", "https://auth.example.com", "jwks-uri", "http://auth.example.com/jwks");

        assertTrue(msg.startsWith("init-param 'jwks-uri': an https:// URL"), msg);
    }

    @Test
    void parseWhenHttpOnLoopbackThenAccepted() {
        FilterSettings s = parse("issuer", "http://127.0.0.1:8080", "jwks-uri", "http://localhost:8080/jwks");

        assertEquals("http://127.0.0.1:8080", s.issuer());
        assertEquals("localhost", s.jwksUri().getHost());
    }

    @Test
    void parseWhenIssuerEndsWithSlashThenKeptAsConfigured() {
        FilterSettings s = parse("issuer", "https://login.example.com/tenant/");

        assertEquals("https://login.example.com/tenant/", s.issuer(), "tokens' iss is compared with exactly this");
    }

    @Test
    void parseWhenIssuerIsNotAUrlThenRefused() {
        String msg = refusal("issuer", "auth.example.com");

        assertTrue(msg.startsWith("init-param 'issuer': must be an http(s) URL"), msg);
    }
    @Test
    void parseWhenCacheIdleGivenThenKeptAndDefaultsToTwoMinutes() {
        assertEquals(Duration.ofMinutes(2), parse("audience", "api").cacheIdle());
        assertEquals(Duration.ofSeconds(45), parse("audience", "api", "cache-idle", "45s").cacheIdle());
    }

    @Test
    void parseWhenCacheIdleUnderASecondThenRefused() {
        String msg = refusal("audience", "api", "cache-idle", "0s");

        assertTrue(msg.startsWith("init-param 'cache-idle': at least 1s"), msg);
    }
}
