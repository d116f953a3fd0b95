package dev.oauthlet.example;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.example.SeedServer.Reply;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replays every request of seed 002 (shared/seeds/002_1174645fd35c9172.txt) against the example
 * started with examples/seed-002.yml: the password grant with Basic client authentication and a
 * tenant, then the refresh without client authentication.
 */
class Seed002ReplayTest {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String CLIENT = SeedServer.basic("${clientId}", "${clientSecret}");
    static final String PASSWORD_BODY = "grant_type=password&username=test%40shopgate.com&password=%24%7BpasswordOfTheAPIUser%7D"
            + "&tenantType=merchant&tenantId=someMerchant";

    static SeedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SeedServer.start("seed-002.yml");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** What the document's access token says about the user and tenant, and its one-hour life. */
    static void assertDocumentedAccessToken(String accessToken) throws Exception {
        JsonNode claims = SeedServer.jwtClaims(accessToken);
        assertEquals("3", claims.get("id").asText());
        assertEquals("test@shopgate.com", claims.get("email").asText());
        assertEquals("John", claims.get("firstName").asText());
        assertEquals("Doe", claims.get("lastName").asText());
        assertEquals("someMerchant", claims.get("tenantId").asText());
        assertEquals("merchant", claims.get("tenantType").asText());
        assertEquals(3600, claims.get("exp").asLong() - claims.get("iat").asLong());
    }

    @Test
    void passwordWhenRequestedAsPrintedThenDocumentedResponse() throws Exception {
        Reply r = server.post("/oauth/token", PASSWORD_BODY, "Authorization", CLIENT, "Content-Type", FORM);
        r.assertStatus(200);
        assertEquals(Set.of("access_token", "token_type", "expires_in", "refresh_token"), r.members());
        assertEquals("Bearer", r.text("token_type"));
        assertEquals(3600, r.json().get("expires_in").asInt());
        assertDocumentedAccessToken(r.text("access_token"));
    }

    @Test
    void refreshWhenRequestedAsPrintedThenOnlyANewAccessTokenAndTheRefreshTokenKeepsWorking() throws Exception {
        String refreshToken = server.post("/oauth/token", PASSWORD_BODY, "Authorization", CLIENT, "Content-Type", FORM).text("refresh_token");
        String body = "grant_type=refresh_token&refresh_token=" + refreshToken + "&tenantType=merchant&tenantId=someMerchant";
        for (int i = 0; i < 2; i++) {
            Reply r = server.post("/oauth/token", body, "Content-Type", FORM);
            r.assertStatus(200);
            assertEquals(Set.of("access_token", "token_type", "expires_in"), r.members());
            assertEquals("Bearer", r.text("token_type"));
            assertEquals(3600, r.json().get("expires_in").asInt());
            assertDocumentedAccessToken(r.text("access_token"));
        }
    }

    @Test
    void refreshTokenWhenIssuedThenValidForThreeMonths() throws Exception {
        String refreshToken = server.post("/oauth/token", PASSWORD_BODY, "Authorization", CLIENT, "Content-Type", FORM).text("refresh_token");
        Reply r = server.post("/oauth/introspect", "token=" + refreshToken, "Authorization", CLIENT, "Content-Type", FORM);
        r.assertStatus(200);
        JsonNode j = r.json();
        assertEquals(true, j.get("active").asBoolean());
        assertEquals(90L * 24 * 3600, j.get("exp").asLong() - j.get("iat").asLong());
    }

    @Test
    void passwordWhenTenantIsNotTheUsersThenInvalidGrant() throws Exception {
        server.post("/oauth/token", PASSWORD_BODY.replace("someMerchant", "otherMerchant"), "Authorization", CLIENT, "Content-Type", FORM)
                .assertError(400, "invalid_grant");
    }

    @Test
    void refreshWhenAnotherTenantNamedThenInvalidGrant() throws Exception {
        String refreshToken = server.post("/oauth/token", PASSWORD_BODY, "Authorization", CLIENT, "Content-Type", FORM).text("refresh_token");
        server.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + refreshToken + "&tenantType=merchant&tenantId=otherMerchant",
                "Content-Type", FORM).assertError(400, "invalid_grant");
    }

    @Test
    void passwordWhenClientSecretWrongThenInvalidClientWithBasicChallenge() throws Exception {
        Reply r = server.post("/oauth/token", PASSWORD_BODY, "Authorization", SeedServer.basic("${clientId}", "wrong"), "Content-Type", FORM);
        r.assertError(401, "invalid_client");
        assertEquals("Basic", r.header("WWW-Authenticate").split(" ")[0]);
    }
}
