package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.token.AccessTokenIssuer;
import io.jsonwebtoken.Jwts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The test web application (src/test/resources/webapp, whose web.xml the README shows) deployed
 * in a real container, called over real HTTP. Each container's test supplies the deployment.
 */
abstract class ContainerWebAppContract {

    static final Path WEBAPP = Path.of("src/test/resources/webapp");
    static final String CONTEXT = "/app";
    /** Where web.xml's storefront filter (resource https://shop.example.com/app/api/storefront) serves its RFC 9728 document. */
    static final String STOREFRONT_METADATA_PATH = "/.well-known/oauth-protected-resource/app/api/storefront";
    static final String STOREFRONT_CHALLENGE_END = ", resource_metadata=\"https://shop.example.com/app" + STOREFRONT_METADATA_PATH + "\"";

    /** The base URL of the deployed application, context path included. */
    abstract String appUrl();

    /** The server the application's listener built, as published in its servlet context. */
    abstract Oauthlet oauthlet();

    String backOfficeToken(String scope) {
        return TestHttp.clientCredentialsToken(appUrl() + "/oauth/token", "backoffice-app", "backoffice-secret", scope);
    }

    String storefrontToken() {
        return TestHttp.clientCredentialsToken(appUrl() + "/oauth/token", "storefront-app", "storefront-secret", null);
    }

    @Test
    void protectedResourceWhenTokenOfItsAudienceThenPrincipalRolesAndClaimsReachTheServlet() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/api/back-office/orders", backOfficeToken(null));

        assertEquals(200, r.status(), r.body());
        assertEquals("backoffice-app", r.json().get("user").asText());
        assertEquals("backoffice-app", r.json().get("remote_user").asText());
        assertEquals("Bearer", r.json().get("auth_type").asText());
        assertTrue(r.json().get("in_role_orders_read").asBoolean());
        assertEquals(false, r.json().get("in_role_orders_write").asBoolean(), "only the default scope was granted");
        assertEquals("back-office", r.json().get("claims").get("aud").asText());
        assertEquals(oauthlet().issuer(), r.json().get("claims").get("iss").asText());
    }

    @Test
    void protectedResourceWhenTokenOfTheOtherAudienceThen401InvalidToken() {
        TestHttp.Response intoBackOffice = TestHttp.get(appUrl() + "/api/back-office/orders", storefrontToken());
        TestHttp.Response intoStorefront = TestHttp.get(appUrl() + "/api/storefront/catalog", backOfficeToken(null));

        assertEquals(401, intoBackOffice.status());
        assertEquals("Bearer realm=\"back-office\", error=\"invalid_token\", error_description=\"the token is not meant for this resource\"",
                intoBackOffice.header("WWW-Authenticate"));
        assertEquals(401, intoStorefront.status());
        assertEquals("Bearer realm=\"storefront\", error=\"invalid_token\", error_description=\"the token is not meant for this resource\""
                + STOREFRONT_CHALLENGE_END, intoStorefront.header("WWW-Authenticate"));
    }

    @Test
    void healthWhenStoreAndKeyAreThereThen200UpWithEachCheck() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/health", null);

        assertEquals(200, r.status(), r.body());
        assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"signing_key\":\"UP\"}}", r.body());
        assertEquals("no-store", r.header("Cache-Control"));
    }

    @Test
    void protectedResourceWhenNoTokenThen401WithBareChallenge() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/api/back-office/orders", null);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"back-office\"", r.header("WWW-Authenticate"));
    }

    @Test
    void storefrontWhenNoTokenThenChallengePointsToItsMetadataUnderTheContextPath() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/api/storefront/catalog", null);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"storefront\"" + STOREFRONT_CHALLENGE_END, r.header("WWW-Authenticate"));
    }

    @Test
    void storefrontMetadataWhenFetchedUnderTheContextPathThenRfc9728Document() {
        TestHttp.Response r = TestHttp.get(appUrl() + STOREFRONT_METADATA_PATH, null);

        assertEquals(200, r.status(), r.body());
        assertEquals("https://shop.example.com/app/api/storefront", r.json().get("resource").asText());
        assertEquals(oauthlet().issuer(), r.json().get("authorization_servers").get(0).asText());
        assertEquals("catalog:read", r.json().get("scopes_supported").get(0).asText());
        assertEquals(1, r.json().get("scopes_supported").size());
    }

    @Test
    void storefrontWhenTokenForItsResourceUriThenAccepted() {
        TestHttp.Response issued = TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(appUrl() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=storefront-app"
                        + "&client_secret=storefront-secret&resource=https://shop.example.com/app/api/storefront")).build());
        assertEquals(200, issued.status(), issued.body());
        String byUri = issued.json().get("access_token").asText();
        assertEquals(java.util.List.of("https://shop.example.com/app/api/storefront"), oauthlet().verifier().verify(byUri).audiences());

        TestHttp.Response r = TestHttp.get(appUrl() + "/api/storefront/catalog", byUri);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void postToOrdersWhenTokenLacksOrdersWriteThen403InsufficientScopeNamingIt() {
        TestHttp.Response refused = TestHttp.post(appUrl() + "/api/back-office/orders/42", backOfficeToken(null));
        TestHttp.Response allowed = TestHttp.post(appUrl() + "/api/back-office/orders/42", backOfficeToken("orders:read orders:write"));

        assertEquals(403, refused.status());
        assertEquals("Bearer realm=\"back-office\", error=\"insufficient_scope\", error_description=\"the token lacks scope "
                + "orders:write\", scope=\"orders:write\"", refused.header("WWW-Authenticate"));
        assertEquals(200, allowed.status(), allowed.body());
        assertTrue(allowed.json().get("in_role_orders_write").asBoolean());
    }

    @Test
    void storefrontWhenTokenLacksFilterWideScopeThen403() {
        String catalogless = TestHttp.clientCredentialsToken(appUrl() + "/oauth/token", "storefront-app", "storefront-secret", "cart:write");

        TestHttp.Response r = TestHttp.get(appUrl() + "/api/storefront/catalog", catalogless);

        assertEquals(403, r.status());
        assertEquals("Bearer realm=\"storefront\", error=\"insufficient_scope\", error_description=\"the token lacks scope "
                + "catalog:read\", scope=\"catalog:read\"" + STOREFRONT_CHALLENGE_END, r.header("WWW-Authenticate"));
    }

    @Test
    void storefrontWhenTokenExpiredThen401AuthExpiredAsConfigured() {
        SigningKey key = oauthlet().keys().current();
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String expired = Jwts.builder().header().type(AccessTokenIssuer.TYPE).keyId(key.kid()).and()
                .issuer(oauthlet().issuer()).subject("storefront-app").audience().single("storefront")
                .issuedAt(Date.from(past)).notBefore(Date.from(past)).expiration(Date.from(past.plus(Duration.ofMinutes(10))))
                .id("expired-1").claim("client_id", "storefront-app").claim("scope", "catalog:read")
                .signWith(key.signingKey(), key.algorithm().jws()).compact();

        TestHttp.Response r = TestHttp.get(appUrl() + "/api/storefront/catalog", expired);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"storefront\", error=\"auth_expired\", error_description=\"the token expired\""
                + STOREFRONT_CHALLENGE_END, r.header("WWW-Authenticate"));
    }

    @Test
    void protectedResourceWhenTokenRevokedAfterUseThen401EvenThoughCached() {
        String token = backOfficeToken(null);
        assertEquals(200, TestHttp.get(appUrl() + "/api/back-office/orders", token).status());
        var verified = oauthlet().verifier().verify(token);

        // Through the server, as its revocation endpoint does: this node's filters know at once (other nodes within REFRESH).
        oauthlet().revocations().revokeToken(verified.jti(), verified.expiresAt());
        TestHttp.Response r = TestHttp.get(appUrl() + "/api/back-office/orders", token);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"back-office\", error=\"invalid_token\", error_description=\"the token was revoked\"",
                r.header("WWW-Authenticate"));
    }

    @Test
    void jwksWhenFetchedThenPublicAndCachedForLessThanTheKeyOverlap() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/oauth/jwks", null);

        assertEquals(200, r.status());
        Matcher m = Pattern.compile("public, max-age=(\\d+)").matcher(r.header("Cache-Control"));
        assertTrue(m.matches(), r.header("Cache-Control"));
        assertTrue(Duration.ofSeconds(Long.parseLong(m.group(1))).compareTo(oauthlet().keys().overlap()) < 0);
        assertEquals(oauthlet().keys().current().kid(), r.json().get("keys").get(0).get("kid").asText());
    }

    @Test
    void metadataWhenFetchedThenNamesTheIssuerAndJwksUnderTheContextPath() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/.well-known/oauth-authorization-server", null);

        assertEquals(200, r.status());
        assertEquals(appUrl(), r.json().get("issuer").asText());
        assertEquals(appUrl() + "/oauth/jwks", r.json().get("jwks_uri").asText());
    }

    @Test
    void registrationWhenInitialAccessTokenThenTheRegisteredClientGetsTokensUntilItDeletesItself() throws Exception {
        java.net.http.HttpRequest register = java.net.http.HttpRequest.newBuilder(java.net.URI.create(appUrl() + "/oauth/register"))
                .header("Authorization", "Bearer registration-token-of-the-test-web-application")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"grant_types\": [\"client_credentials\"]}")).build();
        TestHttp.Response r = TestHttp.send(register);
        assertEquals(201, r.status(), r.body());
        String id = r.json().get("client_id").asText();
        String uri = r.json().get("registration_client_uri").asText();
        assertEquals(appUrl() + "/oauth/register/" + id, uri);
        assertEquals(appUrl() + "/oauth/register",
                TestHttp.get(appUrl() + "/.well-known/oauth-authorization-server", null).json().get("registration_endpoint").asText());

        String token = TestHttp.clientCredentialsToken(appUrl() + "/oauth/token", id, r.json().get("client_secret").asText(), null);
        assertEquals(200, TestHttp.get(appUrl() + "/api/back-office/orders", token).status());

        TestHttp.Response deleted = TestHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
                .header("Authorization", "Bearer " + r.json().get("registration_access_token").asText()).DELETE().build());
        assertEquals(204, deleted.status(), deleted.body());
        assertEquals(401, TestHttp.get(uri, r.json().get("registration_access_token").asText()).status());
    }
}
