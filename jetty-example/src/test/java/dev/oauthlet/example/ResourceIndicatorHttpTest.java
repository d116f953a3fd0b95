package dev.oauthlet.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.example.SeedServer.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8707 {@code resource} over real HTTP: repeated in a form, an array in JSON, refused with
 * {@code invalid_target} at the token endpoint as JSON and at the authorization endpoint as a
 * redirect to the client.
 */
class ResourceIndicatorHttpTest {

    static final String ORDERS = "https://api.example.com/orders";
    static final String BILLING = "https://api.example.com/billing";
    static final String CALLBACK = "https://partner.example.com/cb";
    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start(SeedServer.yaml("""
                audiences: [back-office, %1$s, %2$s]
                endpoints:
                  token:
                    - path: /oauth/token
                      formats: [form, json]
                clients:
                  - id: partner
                    secret: partner-secret
                    grants: [client_credentials, authorization_code]
                    audience: back-office
                    audiences: [%1$s, %2$s]
                    redirect-uris: [%3$s]
                example:
                  resources: []
                """.formatted(ORDERS, BILLING, CALLBACK)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static List<String> aud(Reply r) throws Exception {
        var aud = SeedServer.jwtClaims(r.text("access_token")).get("aud");
        return aud.isArray() ? java.util.stream.StreamSupport.stream(aud.spliterator(), false).map(n -> n.asText()).toList()
                : List.of(aud.asText());
    }

    @Test
    void tokenWhenResourceRepeatedInAFormThenAudIsBoth() throws Exception {
        Reply r = server.post("/oauth/token", "grant_type=client_credentials&resource=" + ORDERS + "&resource=" + BILLING,
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", SeedServer.basic("partner", "partner-secret"));
        r.assertStatus(200);
        assertEquals(List.of(ORDERS, BILLING), aud(r));
    }

    @Test
    void tokenWhenResourceIsAJsonArrayThenAudIsItsElements() throws Exception {
        Reply r = server.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "partner", "client_secret": "partner-secret",
                 "resource": ["%s", "%s"]}""".formatted(BILLING, ORDERS), "Content-Type", "application/json");
        r.assertStatus(200);
        assertEquals(List.of(BILLING, ORDERS), aud(r));
    }

    @Test
    void tokenWhenJsonResourceArrayHoldsANumberThenInvalidRequest() throws Exception {
        server.post("/oauth/token", """
                {"grant_type": "client_credentials", "client_id": "partner", "client_secret": "partner-secret", "resource": [1]}""",
                "Content-Type", "application/json").assertError(400, "invalid_request");
    }

    @Test
    void tokenWhenResourceNotTheClientsThen400InvalidTargetAsJson() throws Exception {
        Reply r = server.post("/oauth/token", "grant_type=client_credentials&resource=https://api.example.com/stock",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", SeedServer.basic("partner", "partner-secret"));
        r.assertError(400, "invalid_target");
    }

    @Test
    void authorizeWhenResourceNotTheClientsThenRedirectedWithInvalidTargetStateAndIss() throws Exception {
        Reply r = server.get("/oauth/authorize?response_type=code&client_id=partner&redirect_uri=" + CALLBACK
                + "&state=xyz&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
                + "&resource=https://api.example.com/stock");
        assertEquals(302, r.status(), r.body());
        String location = r.header("Location");
        assertTrue(location.startsWith(CALLBACK + "?error=invalid_target&error_description="), location);
        Map<String, String> q = BrowserlessClient.query(location);
        assertEquals("xyz", q.get("state"));
        assertEquals(server.url(), q.get("iss"));
    }
}
