package dev.oauthlet.config;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.client.ClientRegistration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code audiences} per client (RFC 8707 resource indicators) and {@code cors.allowed-origins}. */
class AudiencesAndCorsConfigTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.parse(yaml)).getMessage();
    }

    @Test
    void loadWhenClientListsAudiencesThenDefaultFirstThenTheRest() {
        OauthletConfig c = TestConfigs.parse("""
                audiences: [back-office, storefront, https://api.example.com/orders]
                clients:
                  - id: partner
                    secret: s
                    grants: [client_credentials]
                    audience: back-office
                    audiences: [back-office, https://api.example.com/orders]
                """);
        ClientRegistration partner = c.clients().get(0);
        assertEquals("back-office", partner.audience());
        assertEquals(List.of("back-office", "https://api.example.com/orders"), List.copyOf(partner.audiences()));
    }

    @Test
    void loadWhenClientHasAudiencesButNoAudienceThenTheFirstIsTheDefault() {
        OauthletConfig c = TestConfigs.parse("""
                audiences: [back-office, https://api.example.com/orders]
                clients:
                  - id: partner
                    secret: s
                    grants: [client_credentials]
                    audiences: [https://api.example.com/orders]
                """);
        assertEquals("https://api.example.com/orders", c.clients().get(0).audience());
    }

    @Test
    void loadWhenClientAudiencesNamesAnUnknownOneThenMessageNamesTheElementAndTheFix() {
        String msg = error("""
                audiences: [back-office, https://api.example.com/orders]
                clients:
                  - id: partner
                    secret: s
                    grants: [client_credentials]
                    audience: back-office
                    audiences: [https://api.example.com/order]
                """);
        assertEquals("oauthlet.yml: clients[0].audiences[0]: unknown audience 'https://api.example.com/order' (known: back-office, "
                + "https://api.example.com/orders; list it under the top-level audiences first)", msg);
    }

    @Test
    void loadWhenAudienceUriHasAFragmentThenRefused() {
        String msg = error("""
                audiences: [https://api.example.com/orders#v1]
                """);
        assertTrue(msg.startsWith("oauthlet.yml: audiences[0]: 'https://api.example.com/orders#v1' is not an absolute URI without "
                + "fragment (RFC 8707)"), msg);
    }

    @Test
    void loadWhenAudienceHasASpaceThenRefused() {
        assertTrue(error("audiences: ['back office']\n").startsWith("oauthlet.yml: audiences[0]: 'back office' is empty or contains a space"));
    }

    @Test
    void loadWhenCorsOriginsThenAllowedExactly() {
        OauthletConfig c = TestConfigs.parse("""
                cors:
                  allowed-origins: [https://app.example.com, http://localhost:5173]
                """);
        assertTrue(c.cors().allows("https://app.example.com"));
        assertTrue(c.cors().allows("http://localhost:5173"));
        assertFalse(c.cors().allows("https://app.example.com.evil.example"));
        assertFalse(c.cors().allows(null));
    }

    @Test
    void loadWhenNoCorsThenNoOriginIsAllowed() {
        assertEquals(Set.of(), Set.copyOf(TestConfigs.parse("audiences: [api]\n").cors().allowedOrigins()));
    }

    @Test
    void loadWhenCorsOriginHasAPathThenMessageSaysWhatAnOriginIs() {
        String msg = error("""
                cors:
                  allowed-origins: [https://app.example.com/]
                """);
        assertEquals("oauthlet.yml: cors.allowed-origins[0]: 'https://app.example.com/' is not an origin: write scheme://host[:port] "
                + "without path or trailing slash, https (http only on localhost), e.g. https://app.example.com", msg);
    }

    @Test
    void loadWhenCorsOriginIsPlainHttpElsewhereThanLoopbackThenRefused() {
        assertTrue(error("cors: {allowed-origins: [http://app.example.com]}\n").contains("is not an origin"));
    }

    @Test
    void loadWhenCorsKeyMisspeltThenRefused() {
        assertTrue(error("cors: {allowed-origin: [https://app.example.com]}\n").startsWith(
                "oauthlet.yml: cors.allowed-origin: unknown key 'allowed-origin'"));
    }
}
