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
        assertEquals("Bearer realm=\"storefront\", error=\"invalid_token\", error_description=\"the token is not meant for this resource\"",
                intoStorefront.header("WWW-Authenticate"));
    }

    @Test
    void protectedResourceWhenNoTokenThen401WithBareChallenge() {
        TestHttp.Response r = TestHttp.get(appUrl() + "/api/back-office/orders", null);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"back-office\"", r.header("WWW-Authenticate"));
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
                + "catalog:read\", scope=\"catalog:read\"", r.header("WWW-Authenticate"));
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
        assertEquals("Bearer realm=\"storefront\", error=\"auth_expired\", error_description=\"the token expired\"",
                r.header("WWW-Authenticate"));
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
}
