package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Redirect-URI matching: exact, except the port of a public client's loopback IP URI (RFC 8252 §7.3). */
class RedirectUrisTest {

    @Test
    void matchesWhenPublicClientsLoopbackUriOnAnotherPortThenMatches() {
        assertTrue(RedirectUris.matches("http://127.0.0.1/callback", "http://127.0.0.1:51004/callback", true));
        assertTrue(RedirectUris.matches("http://127.0.0.1:8080/callback", "http://127.0.0.1:9/callback?x=1".replace("?x=1", ""), true));
        assertTrue(RedirectUris.matches("http://[::1]:1/cb?app=1", "http://[::1]:65535/cb?app=1", true));
    }

    @Test
    void matchesWhenConfidentialClientThenPortMustBeExact() {
        assertFalse(RedirectUris.matches("http://127.0.0.1:8080/callback", "http://127.0.0.1:9/callback", false));
        assertTrue(RedirectUris.matches("http://127.0.0.1:8080/callback", "http://127.0.0.1:8080/callback", false));
    }

    @Test
    void matchesWhenAnythingButThePortDiffersThenNoMatch() {
        String registered = "http://127.0.0.1/callback";
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.1:5000/callback/", true), "path");
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.1:5000/Callback", true), "path case");
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.1:5000/callback?extra=1", true), "query");
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.2:5000/callback", true), "another loopback address");
        assertFalse(RedirectUris.matches(registered, "https://127.0.0.1:5000/callback", true), "scheme");
        assertFalse(RedirectUris.matches(registered, "http://evil@127.0.0.1:5000/callback", true), "user info");
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.1:5000/callback#frag", true), "fragment");
        assertFalse(RedirectUris.matches(registered, "http://127.0.0.1:5000/..;/callback", true), "path tricks");
    }

    @Test
    void matchesWhenLocalhostOrAnotherHostThenOnlyExact() {
        assertFalse(RedirectUris.matches("http://localhost/cb", "http://localhost:5000/cb", true), "localhost is not an IP literal (RFC 8252 §8.3)");
        assertFalse(RedirectUris.matches("https://app.example.com/cb", "https://app.example.com:8443/cb", true));
    }
}
