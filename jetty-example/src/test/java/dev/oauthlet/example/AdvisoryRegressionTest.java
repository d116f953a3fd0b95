package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.SeedServer.Reply;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.token.AccessTokenIssuer;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One regression test per class of vulnerability that published OAuth and JOSE advisories
 * describe, each named after its class, over real HTTP against the example. See
 * docs/security.md ("Advisory classes") for the list and where related tests live.
 */
class AdvisoryRegressionTest {

    static final String CALLBACK = "http://127.0.0.1:9/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /**
     * Sends {@code browser} to {@code authorize} (path and query), signs alice in, consents, and
     * returns the code the callback at {@link #CALLBACK} receives.
     */
    static String signInAndConsent(BrowserlessClient browser, String authorize) throws Exception {
        HttpResponse<String> login = browser.get(authorize);
        HttpResponse<String> next = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "alice", "password", "alice-password"));
        while (header(next, "Location").startsWith("/oauth/authorize")) {
            HttpResponse<String> page = browser.get(header(next, "Location"));
            if (page.statusCode() != 200) {
                next = page;
                break;
            }
            next = browser.submit(page, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        }
        HttpResponse<String> last = next;
        assertTrue(header(last, "Location").startsWith(CALLBACK + "?"), () -> "no redirect to the callback: " + last.headers());
        return query(header(last, "Location")).get("code");
    }

    /** Redirect-URI matching, PKCE and authorization codes, against the authorization endpoint and the code grant. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AuthorizationCode {

        JettyExample.Running server;

        @BeforeAll
        void start() throws Exception {
            server = JettyExample.createServer(ExampleConfigs.authorizationCode(CALLBACK,
                    "authorization:\n  login-failure-delay: 0s\n  pkce-required: false\n"), 0);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        String authorize(String client, String redirectUri, String challenge) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("client_id", client);
            p.put("response_type", "code");
            p.put("redirect_uri", redirectUri);
            p.put("scope", "orders:read");
            p.put("state", "s");
            if (challenge != null) {
                p.put("code_challenge", challenge);
                p.put("code_challenge_method", "S256");
            }
            return "/oauth/authorize?" + BrowserlessClient.encode(p);
        }

        /** Signs alice in and consents; returns the code the callback receives. */
        String code(String client, String challenge) throws Exception {
            return signInAndConsent(new BrowserlessClient(server.url()), authorize(client, CALLBACK, challenge));
        }

        Http.Response exchange(String client, String secret, String code, String verifier) {
            List<String> kv = new java.util.ArrayList<>(List.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK,
                    "client_id", client));
            if (secret != null) {
                kv.addAll(List.of("client_secret", secret));
            }
            if (verifier != null) {
                kv.addAll(List.of("code_verifier", verifier));
            }
            return Http.postForm(server.url() + "/oauth/token", null, Http.form(kv.toArray(String[]::new)));
        }

        void assertRefusedWithoutRedirect(String redirectUri) throws Exception {
            HttpResponse<String> r = new BrowserlessClient(server.url()).get(authorize("partner-app", redirectUri, CHALLENGE));
            assertEquals(400, r.statusCode(), redirectUri);
            assertNull(header(r, "Location"), redirectUri);
        }

        @Test
        void redirectUriCaseWhenHostOrPathCaseDiffersThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect("http://127.0.0.1:9/Callback");
            assertRefusedWithoutRedirect("HTTP://127.0.0.1:9/callback");
        }

        @Test
        void redirectUriExtraQueryWhenQueryAddedThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect(CALLBACK + "?next=https://evil.example");
        }

        @Test
        void redirectUriPathTraversalWhenDotDotSemicolonThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect(CALLBACK + "/..;/..;/evil");
            assertRefusedWithoutRedirect("http://127.0.0.1:9/callback/../evil");
        }

        @Test
        void redirectUriUserinfoWhenAtSignThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect("http://127.0.0.1:9@evil.example/callback");
            assertRefusedWithoutRedirect("http://evil.example@127.0.0.1:9/callback");
        }

        @Test
        void redirectUriSchemeWhenJavascriptOrDataThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect("javascript:alert(document.domain)//" + CALLBACK);
            assertRefusedWithoutRedirect("data:text/html,<script>alert(1)</script>");
        }

        @Test
        void redirectUriFragmentWhenFragmentAddedThenRefusedWithoutRedirect() throws Exception {
            assertRefusedWithoutRedirect(CALLBACK + "#evil");
        }

        @Test
        void pkceDowngradeWhenChallengeSentAndVerifierOmittedThenInvalidGrant() throws Exception {
            Http.Response r = exchange("partner-app", "partner-secret", code("partner-app", CHALLENGE), null);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_grant", r.json().get("error").asText());
        }

        @Test
        void pkceDowngradeWhenNoChallengeAndVerifierSentThenInvalidGrant() throws Exception {
            // RFC 9700 §2.1.1: a code_verifier for a code issued without a challenge is refused.
            Http.Response r = exchange("partner-app", "partner-secret", code("partner-app", null), VERIFIER);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_grant", r.json().get("error").asText());
        }

        @Test
        void codeReplayWhenCodeRedeemedTwiceThenRefusedAndFirstTokensRevoked() throws Exception {
            String code = code("partner-app", CHALLENGE);
            Http.Response first = exchange("partner-app", "partner-secret", code, VERIFIER);
            assertEquals(200, first.status(), first.body());
            String access = first.json().get("access_token").asText();
            assertEquals(200, Http.get(server.url() + "/api/back-office/me", "Bearer " + access).status());

            Http.Response second = exchange("partner-app", "partner-secret", code, VERIFIER);
            assertEquals(400, second.status());
            assertEquals("invalid_grant", second.json().get("error").asText());
            // RFC 6749 §4.1.2: tokens issued from a replayed code are revoked.
            assertEquals(401, Http.get(server.url() + "/api/back-office/me", "Bearer " + access).status());
            Http.Response refreshed = Http.postForm(server.url() + "/oauth/token", Http.basic("partner-app", "partner-secret"),
                    Http.form("grant_type", "refresh_token", "refresh_token", first.json().get("refresh_token").asText()));
            assertEquals("invalid_grant", refreshed.json().get("error").asText());
        }

        @Test
        void codeSubstitutionWhenAnotherClientsCodeRedeemedThenInvalidGrant() throws Exception {
            String ownAppsCode = code("own-app", CHALLENGE);
            Http.Response r = exchange("partner-app", "partner-secret", ownAppsCode, VERIFIER);
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_grant", r.json().get("error").asText());
            assertFalse(r.body().contains("access_token"));
        }
    }

    /** Refresh tokens presented by a client they were not issued to. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class RefreshTokens {

        SeedServer server;

        @BeforeAll
        void start() throws Exception {
            SecretHasher cheap = new SecretHasher(1000);
            server = SeedServer.start(SeedServer.yaml("""
                    signing: {algorithm: ES256}
                    audiences: [api]
                    clients:
                      - id: app
                        secret-hash: "%s"
                        grants: [password, refresh_token]
                      - id: other
                        secret-hash: "%s"
                        grants: [password, refresh_token]
                    users:
                      - username: alice
                        password: alice-password
                    """.formatted(cheap.hash("app-secret"), cheap.hash("other-secret"))));
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @Test
        void refreshTokenOfAnotherClientWhenPresentedThenInvalidGrantAndTheOwnerKeepsIt() throws Exception {
            Reply login = server.post("/oauth/token", "grant_type=password&username=alice&password=alice-password",
                    "Authorization", SeedServer.basic("app", "app-secret"), "Content-Type", "application/x-www-form-urlencoded");
            String refresh = login.assertStatus(200).text("refresh_token");
            server.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh,
                    "Authorization", SeedServer.basic("other", "other-secret"), "Content-Type", "application/x-www-form-urlencoded")
                    .assertError(400, "invalid_grant");
            server.post("/oauth/token", "grant_type=refresh_token&refresh_token=" + refresh,
                    "Authorization", SeedServer.basic("app", "app-secret"), "Content-Type", "application/x-www-form-urlencoded")
                    .assertStatus(200);
        }
    }

    /** JOSE advisories against the Bearer filter and introspection: tokens the server never signed. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Jose {

        JettyExample.Running rsa;
        JettyExample.Running ec;

        @BeforeAll
        void start() throws Exception {
            rsa = JettyExample.createServer(ExampleFixtures.config("RS256"), 0);
            ec = JettyExample.createServer(ExampleFixtures.config("ES256"), 0);
        }

        @AfterAll
        void stop() throws Exception {
            rsa.close();
            ec.close();
        }

        JwtBuilder genuine(JettyExample.Running server, Instant issuedAt, Duration ttl) {
            SigningKey key = server.oauthlet().keys().current();
            return Jwts.builder().header().type(AccessTokenIssuer.TYPE).keyId(key.kid()).and()
                    .issuer(server.oauthlet().issuer()).subject("backoffice-app").audience().single("back-office")
                    .issuedAt(Date.from(issuedAt)).notBefore(Date.from(issuedAt)).expiration(Date.from(issuedAt.plus(ttl)))
                    .id("jti-" + System.nanoTime()).claim("client_id", "backoffice-app").claim("scope", "orders:read")
                    .signWith(key.signingKey(), key.algorithm().jws());
        }

        String part(String json) {
            return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
        }

        String payload(JettyExample.Running server) {
            return genuine(server, Instant.now(), Duration.ofMinutes(5)).compact().split("\\.")[1];
        }

        /** Refused by the filter with 401 invalid_token, and inactive at introspection. */
        void assertRefused(JettyExample.Running server, String token) {
            HttpResponse<String> r = ExampleFixtures.getWithBearer(server.url() + "/api/back-office/me", token);
            assertEquals(401, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer "), r.headers().toString());
            assertEquals("invalid_token", ExampleFixtures.json(r.body()).get("error").asText());
            Http.Response introspected = Http.postForm(server.url() + "/oauth/introspect", Http.basic("backoffice-app", "backoffice-secret"),
                    Http.form("token", token));
            assertEquals(200, introspected.status(), introspected.body());
            assertFalse(introspected.json().get("active").asBoolean(), introspected.body());
        }

        @Test
        void genuineTokenWhenPresentedThenAcceptedSoTheRefusalsBelowMeanSomething() {
            String token = genuine(rsa, Instant.now(), Duration.ofMinutes(5)).compact();
            assertEquals(200, ExampleFixtures.getWithBearer(rsa.url() + "/api/back-office/me", token).statusCode());
            String ecToken = genuine(ec, Instant.now(), Duration.ofMinutes(5)).compact();
            assertEquals(200, ExampleFixtures.getWithBearer(ec.url() + "/api/back-office/me", ecToken).statusCode());
        }

        @Test
        void algNoneWhenUnsignedTokenThenRefused() {
            String kid = rsa.oauthlet().keys().current().kid();
            for (String alg : List.of("none", "None", "NONE", "nOnE")) {
                assertRefused(rsa, part("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}") + "." + payload(rsa) + ".");
            }
        }

        @Test
        void algorithmConfusionWhenHs256KeyedWithThePublicKeyThenRefused() throws Exception {
            SigningKey key = rsa.oauthlet().keys().current();
            RSAPublicKey pub = (RSAPublicKey) key.publicKey();
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pub.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            // Every form an attacker can fetch the public key in: DER, PEM, the JWK modulus.
            for (byte[] secret : List.of(pub.getEncoded(), pem.getBytes(StandardCharsets.US_ASCII),
                    B64.encodeToString(pub.getModulus().toByteArray()).getBytes(StandardCharsets.US_ASCII))) {
                String input = part("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\"}") + "." + payload(rsa);
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                assertRefused(rsa, input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII))));
            }
        }

        @Test
        void keyInjectionWhenJkuJwkOrX5uHeaderNamesTheAttackersKeyThenRefused() throws Exception {
            SigningKey attacker = SigningAlgorithm.RS256.generate("attacker", Instant.now());
            RSAPublicKey pub = (RSAPublicKey) attacker.publicKey();
            String jwk = "{\"kty\":\"RSA\",\"kid\":\"attacker\",\"n\":\"" + B64.encodeToString(unsigned(pub.getModulus().toByteArray()))
                    + "\",\"e\":\"" + B64.encodeToString(unsigned(pub.getPublicExponent().toByteArray())) + "\"}";
            for (String extra : List.of("\"jku\":\"https://evil.example/jwks.json\"", "\"jwk\":" + jwk,
                    "\"x5u\":\"https://evil.example/cert.pem\"")) {
                String input = part("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"attacker\"," + extra + "}") + "." + payload(rsa);
                java.security.Signature sig = java.security.Signature.getInstance("SHA256withRSA");
                sig.initSign((java.security.PrivateKey) attacker.signingKey());
                sig.update(input.getBytes(StandardCharsets.US_ASCII));
                assertRefused(rsa, input + "." + B64.encodeToString(sig.sign()));
            }
            // The same headers on a token signed with the server's own key: still refused, whatever they point to.
            assertRefused(rsa, genuine(rsa, Instant.now(), Duration.ofMinutes(5)).header().add("jku", "https://evil.example/jwks.json")
                    .and().compact());
        }

        private byte[] unsigned(byte[] b) {
            return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
        }

        @Test
        void cve202221449PsychicSignatureWhenEcdsaRAndSAreZeroThenRefused() {
            String kid = ec.oauthlet().keys().current().kid();
            String input = part("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}") + "." + payload(ec);
            assertRefused(ec, input + "." + B64.encodeToString(new byte[64]));
            // DER-encoded zeros, as some libraries expect them.
            assertRefused(ec, input + "." + B64.encodeToString(new byte[] {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00}));
        }

        @Test
        void expiredTokenWhenPastExpiryBeyondClockSkewThenRefused() {
            assertRefused(rsa, genuine(rsa, Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(5)).compact());
        }

        @Test
        void notYetValidTokenWhenNotBeforeInTheFutureBeyondClockSkewThenRefused() {
            Instant later = Instant.now().plus(Duration.ofHours(1));
            assertRefused(rsa, genuine(rsa, later, Duration.ofHours(2)).compact());
        }
    }

    /** Revocation must not claim success it did not have (RFC 7009 §2.2: 200 means revoked). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Revocation {

        static final String DB = "jdbc:h2:mem:advisory-revocation;DB_CLOSE_DELAY=-1";
        SeedServer server;

        @BeforeAll
        void start() throws Exception {
            server = SeedServer.start(SeedServer.yaml("""
                    storage: {url: "%s", username: sa, password: ""}
                    signing: {algorithm: ES256}
                    audiences: [api]
                    clients:
                      - id: app
                        secret-hash: "%s"
                        grants: [client_credentials, refresh_token]
                        refresh-token-for-client-credentials: true
                    """.formatted(DB, new SecretHasher(1000).hash("app-secret"))));
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @Test
        void revocationWhenStoreWriteFailsThenNot200AndTemporarilyUnavailable() throws Exception {
            String app = SeedServer.basic("app", "app-secret");
            JsonNode tokens = server.post("/oauth/token", "grant_type=client_credentials", "Authorization", app,
                    "Content-Type", "application/x-www-form-urlencoded").assertStatus(200).json();
            try (Connection c = DriverManager.getConnection(DB, "sa", "")) {
                c.createStatement().execute("ALTER TABLE oauthlet_revoked_token RENAME TO oauthlet_revoked_token_gone");
                c.createStatement().execute("ALTER TABLE oauthlet_refresh_token RENAME TO oauthlet_refresh_token_gone");
                try {
                    for (String token : List.of(tokens.get("access_token").asText(), tokens.get("refresh_token").asText())) {
                        Reply r = server.post("/oauth/revoke", "token=" + token, "Authorization", app,
                                "Content-Type", "application/x-www-form-urlencoded");
                        assertNotEquals(200, r.status(), "a revocation that was not stored answered 200");
                        r.assertError(503, "temporarily_unavailable");
                    }
                } finally {
                    c.createStatement().execute("ALTER TABLE oauthlet_revoked_token_gone RENAME TO oauthlet_revoked_token");
                    c.createStatement().execute("ALTER TABLE oauthlet_refresh_token_gone RENAME TO oauthlet_refresh_token");
                }
            }
            server.post("/oauth/revoke", "token=" + tokens.get("access_token").asText(), "Authorization", app,
                    "Content-Type", "application/x-www-form-urlencoded").assertStatus(200);
        }
    }

    /** Cross-site tracing: TRACE must not echo the request, session cookie included. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Methods {

        JettyExample.Running server;

        @BeforeAll
        void start() throws Exception {
            server = JettyExample.createServer(ExampleConfigs.authorizationCode(CALLBACK, ""), 0);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        @Test
        void crossSiteTracingWhenTraceWithSessionCookieThen405WithoutEcho() throws Exception {
            for (String path : List.of("/oauth/authorize", "/oauth/token", "/oauth/jwks", "/.well-known/oauth-authorization-server",
                    "/api/back-office/me", "/no/such/path")) {
                HttpResponse<String> r = ExampleFixtures.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Cookie", "oauthlet_session_x=secret-session-value")
                        .method("TRACE", java.net.http.HttpRequest.BodyPublishers.noBody()).build());
                assertNotEquals(200, r.statusCode(), path);
                assertTrue(r.statusCode() == 405 || r.statusCode() == 401 || r.statusCode() == 404, path + ": " + r.statusCode());
                assertFalse(r.body().contains("secret-session-value"), path + " echoed the request");
            }
        }
    }

    static final String FORM = "application/x-www-form-urlencoded";
    static final String API_A = "https://api.example.test/a";
    static final String API_B = "https://api.example.test/b";
    static final String API_C = "https://api.example.test/c";

    /** The {@code aud} of an access token as a list, one member or several. */
    static List<String> audiences(String accessToken) throws Exception {
        JsonNode aud = SeedServer.jwtClaims(accessToken).get("aud");
        return aud.isArray() ? java.util.stream.StreamSupport.stream(aud.spliterator(), false).map(JsonNode::asText).toList()
                : List.of(aud.asText());
    }

    /** RFC 8707 resource indicators: a grant's audiences narrow and never widen, and a token for one API opens no other. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ResourceIndicators {

        SeedServer server;
        final String partner = SeedServer.basic("partner", "partner-secret");

        @BeforeAll
        void start() throws Exception {
            SecretHasher cheap = new SecretHasher(1000);
            server = SeedServer.start(SeedServer.yaml("""
                    signing: {algorithm: ES256}
                    audiences: [back-office, %1$s, %2$s, %3$s]
                    authorization: {login-failure-delay: 0s}
                    clients:
                      - id: partner
                        secret-hash: "%4$s"
                        grants: [authorization_code, refresh_token, client_credentials, password]
                        audience: back-office
                        audiences: [%1$s, %2$s]
                        scopes: [orders:read]
                        redirect-uris: [%5$s]
                    users:
                      - username: alice
                        password-hash: "%6$s"
                    example:
                      resources:
                        - {path: /api/a/*, resource: %1$s}
                        - {path: /api/b/*, resource: %2$s}
                    """.formatted(API_A, API_B, API_C, cheap.hash("partner-secret"), CALLBACK, cheap.hash("alice-password"))));
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        String authorize(String... resources) {
            StringBuilder q = new StringBuilder("/oauth/authorize?response_type=code&client_id=partner&scope=orders%3Aread&state=s")
                    .append("&redirect_uri=").append(java.net.URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8))
                    .append("&code_challenge=").append(CHALLENGE).append("&code_challenge_method=S256");
            for (String r : resources) {
                q.append("&resource=").append(java.net.URLEncoder.encode(r, StandardCharsets.UTF_8));
            }
            return q.toString();
        }

        Reply token(String... form) throws Exception {
            return server.post("/oauth/token", Http.form(form), "Authorization", partner, "Content-Type", FORM);
        }

        Reply exchange(String code, String resource) throws Exception {
            return token("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER,
                    "resource", resource);
        }

        /** RFC 6749 §5.2 as JSON, not cached, no token, and no challenge: the client authenticated fine. */
        void assertInvalidTarget(Reply r) throws Exception {
            r.assertError(400, "invalid_target");
            assertNull(r.header("WWW-Authenticate"), r.headers().toString());
            assertFalse(r.body().contains("access_token"), r.body());
        }

        @Test
        void resourceWideningWhenCodeExchangeNamesAResourceTheUserDidNotGrantThenInvalidTarget() throws Exception {
            assertInvalidTarget(exchange(signInAndConsent(new BrowserlessClient(server.url()), authorize(API_A)), API_B));

            // Narrowing is allowed, so the refusal above is about widening: a code for A and B exchanged for A alone.
            Reply narrowed = exchange(signInAndConsent(new BrowserlessClient(server.url()), authorize(API_A, API_B)), API_A);
            narrowed.assertStatus(200);
            assertEquals(List.of(API_A), audiences(narrowed.text("access_token")));
        }

        @Test
        void resourceWideningWhenRefreshNamesAResourceNotGrantedThenInvalidTargetAndTheRefreshTokenStillWorks() throws Exception {
            Reply login = token("grant_type", "password", "username", "alice", "password", "alice-password", "resource", API_A);
            login.assertStatus(200);
            String refresh = login.text("refresh_token");

            assertInvalidTarget(token("grant_type", "refresh_token", "refresh_token", refresh, "resource", API_B));
            assertInvalidTarget(token("grant_type", "refresh_token", "refresh_token", refresh, "resource", API_A, "resource", API_B));
            // Refused before rotation: the same refresh token still refreshes, for what was granted.
            Reply same = token("grant_type", "refresh_token", "refresh_token", refresh, "resource", API_A);
            same.assertStatus(200);
            assertEquals(List.of(API_A), audiences(same.text("access_token")));
        }

        @Test
        void resourceAtAuthorizationWhenNotTheClientsOrNotAnAbsoluteUriThenErrorRedirectAndNeverACode() throws Exception {
            BrowserlessClient browser = new BrowserlessClient(server.url());
            // Signed in and consented once: from now on only the resource can stand between this browser and a code.
            signInAndConsent(browser, authorize(API_A));
            for (String bad : List.of(API_C, "/api/a", API_A + "#orders", "back-office", "not a uri")) {
                HttpResponse<String> r = browser.get(authorize(bad));
                assertEquals(302, r.statusCode(), bad + ": " + r.body());
                String location = header(r, "Location");
                assertTrue(location.startsWith(CALLBACK + "?error=invalid_target&error_description="), location);
                Map<String, String> q = query(location);
                assertNull(q.get("code"), location);
                assertEquals("s", q.get("state"), location);
                assertEquals(server.url(), q.get("iss"), location);
            }
        }

        @Test
        void audienceConfusionWhenTokenForApiAIsPresentedToApiBThenInvalidTokenWithApiBsMetadata() throws Exception {
            Reply issued = token("grant_type", "client_credentials", "resource", API_A);
            issued.assertStatus(200);
            String token = issued.text("access_token");
            assertEquals(200, server.get("/api/a/me", "Authorization", "Bearer " + token).status());

            Reply r = server.get("/api/b/me", "Authorization", "Bearer " + token);
            assertEquals(401, r.status(), r.body());
            String challenge = r.header("WWW-Authenticate");
            assertTrue(challenge.startsWith("Bearer realm=\"") && challenge.contains(", error=\"invalid_token\", "), challenge);
            assertTrue(challenge.endsWith(", resource_metadata=\"https://api.example.test/.well-known/oauth-protected-resource/b\""), challenge);
            assertEquals("no-store", r.header("Cache-Control"));
            assertEquals("invalid_token", r.text("error"));
        }
    }

    /** RFC 9449 DPoP: proofs that are replayed, aimed elsewhere, badly signed or stale, and bound tokens out of their binding. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Dpop {

        SeedServer server;
        /** The same, with {@code tokens.dpop-nonce}: every token request's proof must carry the server's nonce. */
        SeedServer nonces;
        final ECKey key = HandMadeJwts.ecKey(null);
        final String service = SeedServer.basic("service", "service-secret");

        String yaml(String tokens) {
            return """
                    signing: {algorithm: ES256}
                    tokens: {%s}
                    audiences: [orders]
                    clients:
                      - id: service
                        secret-hash: "%s"
                        grants: [client_credentials]
                        audience: orders
                        scopes: [orders:read]
                        dpop: allowed
                    example:
                      resources:
                        - {path: /api/orders/*, audience: orders}
                        - {path: /api/nonce/*, audience: orders, filter: {dpop-nonce: "true"}}
                    """.formatted(tokens, new SecretHasher(1000).hash("service-secret"));
        }

        @BeforeAll
        void start() throws Exception {
            server = SeedServer.start(SeedServer.yaml(yaml("")));
            nonces = SeedServer.start(SeedServer.yaml(yaml("dpop-nonce: true")));
            ordersUrl = url("/api/orders/me");
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
            nonces.close();
        }

        String url(String path) {
            return server.url() + path;
        }

        /** Where {@link #orders} sends its calls, as a proof's {@code htu} names it. */
        String ordersUrl;

        Reply token(SeedServer s, String proof) throws Exception {
            return s.post("/oauth/token", "grant_type=client_credentials", "Authorization", service, "Content-Type", FORM, "DPoP", proof);
        }

        /** An access token bound to {@code k}. */
        String bound(ECKey k) throws Exception {
            Reply r = token(server, HandMadeJwts.proof(k, "POST", url("/oauth/token"), null));
            r.assertStatus(200);
            assertEquals("DPoP", r.text("token_type"));
            return r.text("access_token");
        }

        /** {@code /api/orders/me} with {@code Authorization: DPoP at} and {@code proof}. */
        Reply orders(String at, String proof) throws Exception {
            return call(server, "/api/orders/me", "DPoP " + at, proof);
        }

        Reply call(SeedServer s, String path, String authorization, String proof) throws Exception {
            return proof == null ? s.get(path, "Authorization", authorization) : s.get(path, "Authorization", authorization, "DPoP", proof);
        }

        /** At the token endpoint: 400 with the code as JSON, not cached, and the description saying which check refused it. */
        void assertTokenRefused(Reply r, String why) throws Exception {
            r.assertError(400, "invalid_dpop_proof");
            assertTrue(r.text("error_description").contains(why), r.body());
            assertFalse(r.body().contains("access_token"));
        }

        /** At a resource: 401 with an RFC 9449 §7.1 challenge naming the code, and the same code as JSON. */
        void assertResourceRefused(Reply r, String code, String why) throws Exception {
            assertEquals(401, r.status(), r.body());
            String challenge = r.header("WWW-Authenticate");
            assertTrue(challenge.startsWith("DPoP error=\"" + code + "\", error_description=\""), challenge);
            assertTrue(challenge.contains(why) && challenge.contains("algs=\"ES256 ES384 RS256 PS256 EdDSA\""), challenge);
            assertEquals("no-store", r.header("Cache-Control"));
            assertEquals(code, r.text("error"));
        }

        @Test
        void dpopProofReplayWhenTheSameJtiIsSentAgainThenInvalidDpopProof() throws Exception {
            String proof = HandMadeJwts.proof(key, "POST", url("/oauth/token"), null);
            token(server, proof).assertStatus(200);
            assertTokenRefused(token(server, proof), "used before");

            String at = bound(key);
            String call = HandMadeJwts.proof(key, "GET", ordersUrl, at);
            assertEquals(200, orders(at, call).status());
            assertResourceRefused(orders(at, call), "invalid_dpop_proof", "used before");
        }

        @Test
        void dpopHtmHtuMismatchWhenTheProofNamesAnotherMethodOrUrlThenInvalidDpopProof() throws Exception {
            assertTokenRefused(token(server, HandMadeJwts.proof(key, "GET", url("/oauth/token"), null)), "htm");
            assertTokenRefused(token(server, HandMadeJwts.proof(key, "POST", url("/oauth/revoke"), null)), "htu");
            assertTokenRefused(token(server, HandMadeJwts.proof(key, "POST", "https://evil.example/oauth/token", null)), "htu");

            String at = bound(key);
            assertResourceRefused(orders(at, HandMadeJwts.proof(key, "POST", ordersUrl, at)),
                    "invalid_dpop_proof", "htm");
            assertResourceRefused(orders(at, HandMadeJwts.proof(key, "GET", url("/api/orders/other"), at)),
                    "invalid_dpop_proof", "htu");
        }

        @Test
        void dpopSymmetricOrNoneAlgWhenTheProofIsHmacSignedOrUnsignedThenInvalidDpopProof() throws Exception {
            String at = bound(key);
            for (String alg : List.of("HS256", "none")) {
                Map<String, Object> header = HandMadeJwts.proofHeader(key);
                header.put("alg", alg);
                // HMAC under the key's public x coordinate: bytes anyone who saw a proof knows.
                byte[] known = key.getX().decode();
                Map<String, Object> forToken = HandMadeJwts.proofClaims("POST", url("/oauth/token"), null);
                Map<String, Object> forCall = HandMadeJwts.proofClaims("GET", ordersUrl, at);
                String tokenProof = alg.equals("none") ? HandMadeJwts.unsigned(header, forToken) : HandMadeJwts.hs256(header, forToken, known);
                String callProof = alg.equals("none") ? HandMadeJwts.unsigned(header, forCall) : HandMadeJwts.hs256(header, forCall, known);
                Reply r = token(server, tokenProof);
                r.assertError(400, "invalid_dpop_proof");
                assertResourceRefused(orders(at, callProof), "invalid_dpop_proof", "DPoP proof");
            }
        }

        @Test
        void dpopPrivateKeyInJwkWhenTheProofHeaderCarriesThePrivateKeyThenInvalidDpopProof() throws Exception {
            Map<String, Object> header = HandMadeJwts.proofHeader(key);
            header.put("jwk", key.toJSONObject());
            assertTrue(key.toJSONObject().containsKey("d"));
            assertTokenRefused(token(server, HandMadeJwts.es256(header, HandMadeJwts.proofClaims("POST", url("/oauth/token"), null), key)),
                    "jwk holds a private key");
            String at = bound(key);
            assertResourceRefused(call(server, "/api/orders/me", "DPoP " + at,
                    HandMadeJwts.es256(header, HandMadeJwts.proofClaims("GET", ordersUrl, at), key)),
                    "invalid_dpop_proof", "jwk holds a private key");
        }

        @Test
        void dpopAthMismatchWhenTheProofHashesAnotherTokenOrNoneThenInvalidDpopProof() throws Exception {
            String at = bound(key);
            String other = bound(key);
            assertResourceRefused(orders(at, HandMadeJwts.proof(key, "GET", ordersUrl, other)),
                    "invalid_dpop_proof", "ath does not match");
            assertResourceRefused(orders(at, HandMadeJwts.proof(key, "GET", ordersUrl, null)),
                    "invalid_dpop_proof", "lacks ath");
        }

        @Test
        void dpopDowngradeWhenABoundTokenIsSentAsBearerThenInvalidToken() throws Exception {
            String at = bound(key);
            for (String proof : new String[] {null, HandMadeJwts.proof(key, "GET", ordersUrl, at)}) {
                Reply r = call(server, "/api/orders/me", "Bearer " + at, proof);
                assertEquals(401, r.status(), r.body());
                String challenge = r.header("WWW-Authenticate");
                assertTrue(challenge.startsWith("Bearer realm=\"") && challenge.contains(", error=\"invalid_token\", "), challenge);
                assertTrue(challenge.contains("DPoP-bound"), challenge);
                assertEquals("invalid_token", r.text("error"));
            }
        }

        @Test
        void dpopKeySubstitutionWhenABoundTokenComesWithAnotherKeysProofThenInvalidDpopProof() throws Exception {
            String at = bound(key);
            ECKey thief = HandMadeJwts.ecKey(null);
            assertResourceRefused(orders(at, HandMadeJwts.proof(thief, "GET", ordersUrl, at)),
                    "invalid_dpop_proof", "signed by another key");
            assertEquals(200, orders(at, HandMadeJwts.proof(key, "GET", ordersUrl, at)).status());
        }

        @Test
        void dpopStaleProofWhenIatIsOutsideTheWindowThenInvalidDpopProof() throws Exception {
            String at = bound(key);
            for (Duration shift : List.of(Duration.ofMinutes(-10), Duration.ofMinutes(10))) {
                long iat = Instant.now().plus(shift).getEpochSecond();
                Map<String, Object> forToken = HandMadeJwts.proofClaims("POST", url("/oauth/token"), null);
                forToken.put("iat", iat);
                assertTokenRefused(token(server, HandMadeJwts.es256(HandMadeJwts.proofHeader(key), forToken, key)), "iat");
                Map<String, Object> forCall = HandMadeJwts.proofClaims("GET", ordersUrl, at);
                forCall.put("iat", iat);
                assertResourceRefused(orders(at, HandMadeJwts.es256(HandMadeJwts.proofHeader(key), forCall, key)),
                        "invalid_dpop_proof", "iat");
            }
        }

        @Test
        void dpopNonceWhenRequiredAndMissingThenUseDpopNonceWithADpopNonceHeader() throws Exception {
            Reply first = token(nonces, HandMadeJwts.proof(key, "POST", nonces.url() + "/oauth/token", null));
            first.assertError(400, "use_dpop_nonce");
            String nonce = first.header("DPoP-Nonce");
            assertTrue(nonce != null && !nonce.isEmpty(), first.headers().toString());
            Map<String, Object> withNonce = HandMadeJwts.proofClaims("POST", nonces.url() + "/oauth/token", null);
            withNonce.put("nonce", nonce);
            Reply issued = token(nonces, HandMadeJwts.es256(HandMadeJwts.proofHeader(key), withNonce, key));
            issued.assertStatus(200);

            String at = issued.text("access_token");
            Reply refused = call(nonces, "/api/nonce/me", "DPoP " + at, HandMadeJwts.proof(key, "GET", nonces.url() + "/api/nonce/me", at));
            assertResourceRefused(refused, "use_dpop_nonce", "nonce");
            String resourceNonce = refused.header("DPoP-Nonce");
            assertTrue(resourceNonce != null && !resourceNonce.isEmpty(), refused.headers().toString());
            Map<String, Object> call = HandMadeJwts.proofClaims("GET", nonces.url() + "/api/nonce/me", at);
            call.put("nonce", resourceNonce);
            assertEquals(200, call(nonces, "/api/nonce/me", "DPoP " + at, HandMadeJwts.es256(HandMadeJwts.proofHeader(key), call, key)).status());
        }
    }

    /** RFC 7523 client assertions, as draft-ietf-oauth-rfc7523bis tightens them, at the token endpoint. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ClientAssertions {

        static final String ISSUER = "https://auth.example.test";
        SeedServer server;
        final RSAKey a = HandMadeJwts.rsaKey("a-1");
        final ECKey b = HandMadeJwts.ecKey("b-1");

        @BeforeAll
        void start() throws Exception {
            server = SeedServer.start(SeedServer.yaml("""
                    issuer: %s
                    signing: {algorithm: ES256}
                    audiences: [api]
                    clients:
                      - id: client-a
                        token-endpoint-auth-method: private_key_jwt
                        jwks: {keys: [%s]}
                        grants: [client_credentials]
                        audience: api
                        scopes: [read]
                      - id: client-b
                        token-endpoint-auth-method: private_key_jwt
                        jwks: {keys: [%s]}
                        grants: [client_credentials]
                        audience: api
                        scopes: [read]
                    """.formatted(ISSUER, a.toPublicJWK().toJSONString(), b.toPublicJWK().toJSONString())));
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        String signedByA(Map<String, Object> claims) {
            return HandMadeJwts.rs256(HandMadeJwts.header("RS256", a.getKeyID()), claims, a);
        }

        Reply token(String assertion, String clientId) throws Exception {
            List<String> form = new java.util.ArrayList<>(List.of("grant_type", "client_credentials",
                    "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion));
            if (clientId != null) {
                form.addAll(List.of("client_id", clientId));
            }
            return server.post("/oauth/token", Http.form(form.toArray(String[]::new)), "Content-Type", FORM);
        }

        /** 401 invalid_client as JSON, not cached, no token; the description names the check. */
        void assertRefused(Reply r, String why) throws Exception {
            r.assertError(401, "invalid_client");
            assertTrue(r.text("error_description").contains(why), r.body());
            assertFalse(r.body().contains("access_token"));
        }

        @Test
        void genuineAssertionWhenSignedByTheClientsKeyThenAcceptedSoTheRefusalsBelowMeanSomething() throws Exception {
            token(signedByA(HandMadeJwts.assertionClaims("client-a", ISSUER)), null).assertStatus(200);
            token(HandMadeJwts.es256(HandMadeJwts.header("ES256", b.getKeyID()), HandMadeJwts.assertionClaims("client-b", ISSUER), b), "client-b")
                    .assertStatus(200);
        }

        @Test
        void clientAssertionReplayWhenTheSameJtiIsSentAgainThenInvalidClient() throws Exception {
            String assertion = signedByA(HandMadeJwts.assertionClaims("client-a", ISSUER));
            token(assertion, null).assertStatus(200);
            assertRefused(token(assertion, null), "used before");
        }

        @Test
        void clientAssertionAudienceInjectionWhenAudIsNotTheIssuerAsOneStringThenInvalidClient() throws Exception {
            for (Object aud : List.of(ISSUER + "/oauth/token", server.url(), "https://evil.example", List.of(ISSUER, "https://evil.example"))) {
                assertRefused(token(signedByA(HandMadeJwts.assertionClaims("client-a", aud)), null), "aud");
            }
        }

        @Test
        void clientAssertionExpiredWhenExpIsPastBeyondTheClockSkewThenInvalidClient() throws Exception {
            Map<String, Object> claims = HandMadeJwts.assertionClaims("client-a", ISSUER);
            claims.put("iat", Instant.now().minus(Duration.ofMinutes(20)).getEpochSecond());
            claims.put("exp", Instant.now().minus(Duration.ofMinutes(10)).getEpochSecond());
            assertRefused(token(signedByA(claims), null), "expired");
        }

        @Test
        void clientAssertionAlgNoneWhenUnsignedThenInvalidClient() throws Exception {
            for (String alg : List.of("none", "None", "NONE")) {
                assertRefused(token(HandMadeJwts.unsigned(HandMadeJwts.header(alg, a.getKeyID()), HandMadeJwts.assertionClaims("client-a", ISSUER)),
                        "client-a"), "client authentication failed");
            }
        }

        @Test
        void clientAssertionAlgorithmConfusionWhenHs256KeyedWithTheClientsPublicKeyThenInvalidClient() throws Exception {
            RSAPublicKey pub = a.toRSAPublicKey();
            String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pub.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            // Every form the client's public key is published in: DER, PEM, its JWK, the modulus.
            for (byte[] secret : List.of(pub.getEncoded(), pem.getBytes(StandardCharsets.US_ASCII),
                    a.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8), a.getModulus().toString().getBytes(StandardCharsets.US_ASCII))) {
                assertRefused(token(HandMadeJwts.hs256(HandMadeJwts.header("HS256", a.getKeyID()), HandMadeJwts.assertionClaims("client-a", ISSUER),
                        secret), "client-a"), "RS256, ES256 or EdDSA");
            }
        }

        @Test
        void clientAssertionSubstitutionWhenClientAsAssertionComesWithClientIdBThenInvalidClient() throws Exception {
            assertRefused(token(signedByA(HandMadeJwts.assertionClaims("client-a", ISSUER)), "client-b"), "client_id is not the assertion's sub");
        }

        @Test
        void clientAssertionIssuerWhenIssDiffersFromSubThenInvalidClient() throws Exception {
            Map<String, Object> claims = HandMadeJwts.assertionClaims("client-a", ISSUER);
            claims.put("iss", "client-b");
            assertRefused(token(signedByA(claims), null), "iss and sub must both be the client id");
        }
    }

    /** Sign-in handed to the host application: forged principal headers, a skipped second factor. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class HostApplicationLogin {

        JettyExample.Running container;
        ShopApplication shop;

        @BeforeAll
        void start(@TempDir java.nio.file.Path dir) throws Exception {
            container = JettyExample.createServer(ExampleConfigs.authorizationCode(CALLBACK, "authorization:\n  host-login: container\n"), 0);
            java.nio.file.Path config = dir.resolve("oauthlet.yml");
            java.nio.file.Files.writeString(config, ShopApplication.config(dir));
            shop = ShopApplication.start(config);
        }

        @AfterAll
        void stop() throws Exception {
            container.close();
            shop.close();
        }

        @Test
        void forgedPrincipalHeaderWhenContainerAuthenticatedNobodyThenAccessDeniedAndNoSession() throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            for (String name : List.of("Remote-User", "X-Remote-User", "X-Forwarded-User", "X-Authenticated-User")) {
                HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(container.url()
                        + AuthorizationEndpointHttpTest.authorize())).header(name, "alice").GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(302, r.statusCode(), name);
                Map<String, String> q = query(header(r, "Location"));
                assertEquals("access_denied", q.get("error"), name);
                assertNull(q.get("code"), name);
                assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), name + ": no session for a header");
            }
        }

        @Test
        void secondFactorSkipWhenConsentFormReplayedAfterTheApplicationLostItThenNoCode() throws Exception {
            BrowserlessClient browser = new BrowserlessClient(shop.url);
            HttpResponse<String> consent = HostLoginHttpTest.signInWithOtp(browser, "dana");
            assertEquals(200, consent.statusCode());
            // A new sign-in at the application: a new application session, without the one-time password.
            assertEquals(303, browser.post("/shop/login", Map.of("user", "dana", "password", "dana-password")).statusCode());

            HttpResponse<String> replay = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
            assertEquals(303, replay.statusCode());
            String location = header(replay, "Location");
            assertTrue(location.startsWith("/shop/otp?return="), location);
            assertFalse(location.contains("code="), location);
        }
    }

    /**
     * Dynamic client registration: open-redirect and XSS through a registered redirect URI,
     * registration-token confusion between clients, and privilege widening past the policy.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Registration {

        static final String INITIAL = "advisory-initial-access-token-0123456789";

        JettyExample.Running server;

        @BeforeAll
        void start() throws Exception {
            server = JettyExample.createServer(ExampleConfigs.authorizationCode(CALLBACK, """
                    registration:
                      initial-access-token: %s
                      policy: {grants: [authorization_code, refresh_token], scopes: [orders:read]}
                    """.formatted(INITIAL)), 0);
        }

        @AfterAll
        void stop() throws Exception {
            server.close();
        }

        Http.Response register(String json) {
            return Http.post(server.url() + "/oauth/register", "Bearer " + INITIAL, "application/json", json);
        }

        private Http.Response sendNow(String method, String uri, String token) {
            HttpResponse<String> r = ExampleFixtures.send(java.net.http.HttpRequest.newBuilder(URI.create(uri))
                    .header("Authorization", "Bearer " + token).method(method, java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            return new Http.Response(r.statusCode(), r.headers(), r.body());
        }

        @Test
        void registeredRedirectUriWhenJavascriptDataOrForeignHttpThenInvalidRedirectUriAndNothingRegistered() {
            int before = server.oauthlet().storage().clients().findAll().size();
            for (String uri : List.of("javascript:alert(document.domain)//", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                    "vbscript:msgbox(1)", "http://evil.example/cb", "https://evil.example/cb#", "http://127.0.0.1@evil.example/cb")) {
                Http.Response r = register("{\"redirect_uris\": [\"" + uri + "\"]}");
                assertEquals(400, r.status(), uri);
                assertEquals("invalid_redirect_uri", r.json().get("error").asText(), uri);
            }
            assertEquals(before, server.oauthlet().storage().clients().findAll().size());
        }

        @Test
        void registrationTokenConfusionWhenClientAsTokenOnClientBsUriThen401AndBUntouched() {
            JsonNode a = register("{\"redirect_uris\": [\"" + CALLBACK + "\"]}").json();
            JsonNode b = register("{\"redirect_uris\": [\"" + CALLBACK + "\"]}").json();
            String tokenOfA = a.get("registration_access_token").asText();
            String uriOfB = b.get("registration_client_uri").asText();

            for (String method : List.of("GET", "DELETE")) {
                Http.Response r = sendNow(method, uriOfB, tokenOfA);
                assertEquals(401, r.status(), method);
                assertEquals("invalid_token", r.json().get("error").asText());
            }
            Http.Response put = Http.put(uriOfB, "Bearer " + tokenOfA, "application/json",
                    "{\"client_id\": \"" + b.get("client_id").asText() + "\", \"redirect_uris\": [\"https://evil.example/cb\"]}");
            assertEquals(401, put.status());
            assertEquals(List.of(CALLBACK), server.oauthlet().storage().clients().findById(b.get("client_id").asText()).orElseThrow()
                    .redirectUris());
            // The initial access token is no registration access token either.
            assertEquals(401, sendNow("GET", uriOfB, INITIAL).status());
        }

        @Test
        void scopeWideningWhenRegistrationOrReplacementAsksBeyondThePolicyThenInvalidClientMetadata() {
            Http.Response wide = register("{\"redirect_uris\": [\"" + CALLBACK + "\"], \"scope\": \"orders:read orders:write\"}");
            assertEquals(400, wide.status());
            assertEquals("invalid_client_metadata", wide.json().get("error").asText());
            assertEquals(400, register("{\"grant_types\": [\"password\"]}").status(), "a grant beyond the policy");

            JsonNode reg = register("{\"redirect_uris\": [\"" + CALLBACK + "\"]}").json();
            Http.Response widened = Http.put(reg.get("registration_client_uri").asText(), "Bearer " + reg.get("registration_access_token").asText(),
                    "application/json", "{\"client_id\": \"" + reg.get("client_id").asText() + "\", \"redirect_uris\": [\"" + CALLBACK
                            + "\"], \"scope\": \"orders:read orders:write\", \"grant_types\": [\"authorization_code\", \"client_credentials\"]}");
            assertEquals(400, widened.status());
            assertEquals("invalid_client_metadata", widened.json().get("error").asText());
            assertEquals(java.util.Set.of("orders:read"),
                    server.oauthlet().storage().clients().findById(reg.get("client_id").asText()).orElseThrow().scopes());
        }
    }

    /** OpenID Connect: ID-token signing, nonce handling and the userinfo endpoint's admission. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OpenIdConnect {

        JettyExample.Running hs;

        @BeforeAll
        void start() throws Exception {
            // Access tokens HS256: the setting in which an ID token could be "signed" with a secret nobody else can check.
            hs = JettyExample.createServer(ExampleConfigs.openIdConnect(CALLBACK, "HS256", ""), 0);
        }

        @AfterAll
        void stop() throws Exception {
            hs.close();
        }

        String authorize(String client, String nonce) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("client_id", client);
            p.put("response_type", "code");
            p.put("redirect_uri", CALLBACK);
            p.put("scope", "openid email");
            p.put("state", "s");
            p.put("code_challenge", CHALLENGE);
            p.put("code_challenge_method", "S256");
            if (nonce != null) {
                p.put("nonce", nonce);
            }
            return "/oauth/authorize?" + BrowserlessClient.encode(p);
        }

        /** alice signs in at {@code client} and consents; returns the token response of the code exchange. */
        JsonNode tokens(String client, String secret, String nonce) throws Exception {
            return tokens(client, secret, nonce, "");
        }

        /** As above, the authorization request with {@code extra} parameters appended. */
        JsonNode tokens(String client, String secret, String nonce, String extra) throws Exception {
            BrowserlessClient browser = new BrowserlessClient(hs.url());
            HttpResponse<String> login = browser.get(authorize(client, nonce) + extra);
            HttpResponse<String> next = browser.submit(login, "/oauth/authorize",
                    Map.of("action", "login", "username", "alice", "password", "alice-password"));
            HttpResponse<String> consent = browser.get(header(next, "Location"));
            // A consent given in an earlier test is remembered: then the code comes at once.
            HttpResponse<String> back = consent.statusCode() == 302 ? consent
                    : browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
            String code = query(header(back, "Location")).get("code");
            Http.Response r = Http.postForm(hs.url() + "/oauth/token", Http.basic(client, secret), Http.form("grant_type", "authorization_code",
                    "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER));
            assertEquals(200, r.status(), r.body());
            return r.json();
        }

        static JsonNode part(String jwt, int i) {
            return ExampleFixtures.json(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
        }

        @Test
        void idTokenHmacWhenAccessTokensAreHs256ThenTheIdTokenIsRs256AndNoSecretIsPublished() throws Exception {
            JsonNode t = tokens("rp-app", "rp-secret", "n-1");
            assertEquals("HS256", part(t.get("access_token").asText(), 0).get("alg").asText());
            JsonNode header = part(t.get("id_token").asText(), 0);
            assertEquals("RS256", header.get("alg").asText(), "an HS256 ID token is never issued");
            JsonNode keys = ExampleFixtures.json(Http.get(hs.url() + "/oauth/jwks", null).body()).get("keys");
            for (JsonNode k : keys) {
                assertNotEquals("oct", k.get("kty").asText(), "a secret in the JWKS");
            }
            assertTrue(keys.toString().contains(header.get("kid").asText()), "the ID token's key is published");
        }

        @Test
        void nonceAbsenceWhenTheClientRequiresOneThenRefusedBeforeSignIn() throws Exception {
            HttpResponse<String> r = new BrowserlessClient(hs.url()).get(authorize("strict-rp", null));
            assertEquals(302, r.statusCode());
            assertEquals("invalid_request", query(header(r, "Location")).get("error"));
        }

        @Test
        void nonceReplayWhenTwoSignInsThenEachIdTokenEchoesOnlyItsOwnNonceAndAReplayedCodeGetsNoIdToken() throws Exception {
            JsonNode first = tokens("strict-rp", "strict-secret", "n-first");
            JsonNode second = tokens("strict-rp", "strict-secret", "n-second");
            assertEquals("n-first", part(first.get("id_token").asText(), 1).get("nonce").asText());
            assertEquals("n-second", part(second.get("id_token").asText(), 1).get("nonce").asText());
        }

        String logout(String hint, String uri) {
            return "/oauth/logout?" + BrowserlessClient.encode(Map.of("id_token_hint", hint, "post_logout_redirect_uri", uri, "state", "s"));
        }

        @Test
        void postLogoutRedirectWhenUriUnregisteredOrCaseChangedThenErrorPageAndNoRedirect() throws Exception {
            String hint = tokens("rp-app", "rp-secret", "n-lo").get("id_token").asText();
            for (String uri : List.of(CALLBACK + "/SIGNED-OUT", "HTTP://127.0.0.1:9/callback/signed-out", CALLBACK + "/signed-out/",
                    CALLBACK + "/signed-out?next=https://evil.example", "https://evil.example/signed-out", CALLBACK + "/bye")) {
                HttpResponse<String> r = new BrowserlessClient(hs.url()).get(logout(hint, uri));
                assertEquals(400, r.statusCode(), uri);
                assertNull(header(r, "Location"), uri);
            }
            HttpResponse<String> registered = new BrowserlessClient(hs.url()).get(logout(hint, CALLBACK + "/signed-out"));
            assertEquals(303, registered.statusCode(), "the registered URI, exactly, is followed");
        }

        @Test
        void idTokenHintOfAnotherIssuerWhenSignedWithTheSameKeyThenRefused() throws Exception {
            String hint = tokens("rp-app", "rp-secret", "n-iss").get("id_token").asText();
            dev.oauthlet.token.IdTokens other = new dev.oauthlet.token.IdTokens("https://evil.example", hs.oauthlet().idTokens().keys(),
                    java.time.Clock.systemUTC());
            String foreign = other.sign(new dev.oauthlet.token.IdTokens.Request("rp-app", "u-1001", Instant.now(), null, null,
                    Duration.ofMinutes(5)));
            HttpResponse<String> r = new BrowserlessClient(hs.url()).get(logout(foreign, CALLBACK + "/signed-out"));
            assertEquals(400, r.statusCode());
            assertNull(header(r, "Location"));
            assertEquals(303, new BrowserlessClient(hs.url()).get(logout(hint, CALLBACK + "/signed-out")).statusCode(),
                    "this issuer's own hint is accepted");
        }

        /** An ID token of this server, its header and claims kept, re-signed or stripped as an attacker would. */
        List<String> forgedHints(String genuine) {
            String[] parts = genuine.split("\\.");
            Map<String, Object> header = ExampleFixtures.JSON.convertValue(part(genuine, 0), LinkedHashMap.class);
            Map<String, Object> claims = ExampleFixtures.JSON.convertValue(part(genuine, 1), LinkedHashMap.class);
            Map<String, Object> none = new LinkedHashMap<>(header);
            none.put("alg", "none");
            Map<String, Object> hmac = new LinkedHashMap<>(header);
            hmac.put("alg", "HS256");
            // HS256 keyed with the RS256 key's encoded public key: the algorithm-confusion attack.
            byte[] publicKey = ((RSAPublicKey) hs.oauthlet().idTokens().keys().current().publicKey()).getEncoded();
            return List.of(HandMadeJwts.rs256(header, claims, HandMadeJwts.rsaKey(String.valueOf(header.get("kid")))),
                    HandMadeJwts.unsigned(none, claims), HandMadeJwts.hs256(hmac, claims, publicKey), parts[0] + "." + parts[1] + ".");
        }

        @Test
        void idTokenHintWhenSignedByAnotherKeyUnderItsKidAlgNoneOrHmacConfusedThenRefusedAtLogoutAndAuthorize() throws Exception {
            String genuine = tokens("rp-app", "rp-secret", "n-forge").get("id_token").asText();
            for (String forged : forgedHints(genuine)) {
                HttpResponse<String> out = new BrowserlessClient(hs.url()).get(logout(forged, CALLBACK + "/signed-out"));
                assertEquals(400, out.statusCode(), forged);
                assertNull(header(out, "Location"), "no redirect on a forged hint");
                HttpResponse<String> in = new BrowserlessClient(hs.url()).get(authorize("rp-app", "n-f") + "&prompt=none&id_token_hint="
                        + java.net.URLEncoder.encode(forged, StandardCharsets.UTF_8));
                assertEquals(302, in.statusCode());
                assertEquals("invalid_request", query(header(in, "Location")).get("error"), forged);
                assertNull(query(header(in, "Location")).get("code"));
            }
        }

        @Test
        void postLogoutRedirectWhenTheHintIsAnotherClientsThenThatClientsUrisOnlyAndNoCrossClientRedirect() throws Exception {
            // strict-rp registered CALLBACK/bye, rp-app CALLBACK/signed-out: a hint of one never opens the other's URI.
            String strict = tokens("strict-rp", "strict-secret", "n-cross").get("id_token").asText();
            HttpResponse<String> r = new BrowserlessClient(hs.url()).get(logout(strict, CALLBACK + "/signed-out"));
            assertEquals(400, r.statusCode());
            assertNull(header(r, "Location"));
            HttpResponse<String> named = new BrowserlessClient(hs.url()).get("/oauth/logout?" + BrowserlessClient.encode(Map.of(
                    "id_token_hint", strict, "post_logout_redirect_uri", CALLBACK + "/bye", "client_id", "rp-app")));
            assertEquals(400, named.statusCode(), "client_id naming another client than the hint's");
            assertEquals(303, new BrowserlessClient(hs.url()).get(logout(strict, CALLBACK + "/bye")).statusCode());
        }

        @Test
        void codeReplayWhenRedeemedTwiceThenTheSecondGetsNoIdTokenAndNoAccessToken() throws Exception {
            BrowserlessClient browser = new BrowserlessClient(hs.url());
            String code = signInAndConsent(browser, authorize("rp-app", "n-replay"));
            String form = Http.form("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER);
            Http.Response first = Http.postForm(hs.url() + "/oauth/token", Http.basic("rp-app", "rp-secret"), form);
            assertEquals(200, first.status(), first.body());
            assertEquals("n-replay", part(first.json().get("id_token").asText(), 1).get("nonce").asText());
            Http.Response second = Http.postForm(hs.url() + "/oauth/token", Http.basic("rp-app", "rp-secret"), form);
            assertEquals(400, second.status());
            assertEquals("invalid_grant", second.json().get("error").asText());
            assertFalse(second.body().contains("id_token"), second.body());
        }

        @Test
        void acrValuesWhenTheyCarryMarkupThenTheLoginPageEscapesThem() throws Exception {
            HttpResponse<String> r = new BrowserlessClient(hs.url()).get(authorize("rp-app", "n-x") + "&acr_values="
                    + java.net.URLEncoder.encode("\"><script>alert(1)</script>", StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains("<script>alert(1)"), "acr_values reflected unescaped");
            assertTrue(r.body().contains("&quot;&gt;&lt;script&gt;"), "the request's acr_values kept, escaped");
        }

        @Test
        void acrValuesWhenAClassAboveThePasswordIsAskedThenTheIdTokenNamesTheClassReachedNotTheOneAsked() throws Exception {
            // A client cannot talk its way to a stronger acr: acr_values is a voluntary claim (Core §3.1.2.1, §5.5.1.1).
            JsonNode t = tokens("rp-app", "rp-secret", "n-acr2", "&acr_values=2");
            JsonNode id = part(t.get("id_token").asText(), 1);
            assertEquals("1", id.get("acr").asText(), "one kind of factor, whatever was asked");
            assertEquals("[\"pwd\"]", id.get("amr").toString());
        }

        @Test
        void acrValuesWhenControlCharactersOversizedOrRepeatedThenInvalidRequestAtTheClientAndNoCode() throws Exception {
            for (String bad : List.of("&acr_values=%0A2", "&acr_values=1%002", "&acr_values=" + "a".repeat(2001),
                    "&acr_values=1&acr_values=2")) {
                HttpResponse<String> r = new BrowserlessClient(hs.url()).get(authorize("rp-app", "n-bad") + bad);
                assertEquals(302, r.statusCode(), bad + ": " + r.body());
                Map<String, String> q = query(header(r, "Location"));
                assertTrue(header(r, "Location").startsWith(CALLBACK + "?"), bad + ": " + header(r, "Location"));
                assertEquals("invalid_request", q.get("error"), bad);
                assertNull(q.get("code"), bad);
            }
        }

        @Test
        void userinfoAdmissionWhenAnIdTokenIsSentAsTheAccessTokenThenRefused() throws Exception {
            JsonNode t = tokens("rp-app", "rp-secret", "n-ui");
            Http.Response genuine = Http.postForm(hs.url() + "/oauth/userinfo", "Bearer " + t.get("access_token").asText(), "");
            assertEquals(200, genuine.status(), genuine.body());
            assertEquals("u-1001", genuine.json().get("sub").asText());
            Http.Response idToken = Http.get(hs.url() + "/oauth/userinfo", "Bearer " + t.get("id_token").asText());
            assertEquals(401, idToken.status(), "an ID token is no access token: " + idToken.body());
        }
    }

    /**
     * Exposed metrics (the actuator class of advisories): the meters are readable only from the
     * listed addresses, judged by the connection, and hold no credential.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Metrics {

        final SecretHasher cheap = new SecretHasher(1000);

        JettyExample.Running start(String allowed) throws Exception {
            String yaml = """
                    signing: {algorithm: ES256}
                    audiences: [back-office]
                    clients:
                      - id: backoffice-app
                        secret-hash: "%s"
                        grants: [client_credentials]
                        audience: back-office
                    metrics:
                      enabled: true
                      allowed-addresses: %s
                    """.formatted(cheap.hash("backoffice-secret"), allowed);
            return JettyExample.createServer(ExampleConfig.read("advisory-metrics.yml",
                    new java.io.ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))), "127.0.0.1", 0);
        }

        @Test
        void metricsExposureWhenXForwardedForNamesAnAllowedAddressThenStill403() throws Exception {
            try (JettyExample.Running s = start("[10.0.0.0/8]")) {
                HttpResponse<String> r = ExampleFixtures.send(java.net.http.HttpRequest.newBuilder(URI.create(s.url() + "/metrics"))
                        .header("X-Forwarded-For", "10.0.0.7").header("X-Real-IP", "10.0.0.7").GET().build());
                assertEquals(403, r.statusCode(), r.body());
                assertFalse(r.body().contains("oauthlet_"), r.body());
            }
        }

        @Test
        void metricsExposureWhenTokensWereIssuedThenTheExpositionHoldsNoCredential() throws Exception {
            try (JettyExample.Running s = start("[127.0.0.1]")) {
                String token = ExampleFixtures.token(s, "backoffice-app", "backoffice-secret");
                HttpResponse<String> r = ExampleFixtures.send(java.net.http.HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).GET().build());
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("oauthlet_tokens_issued_total{client=\"backoffice-app\""), r.body());
                assertFalse(r.body().contains(token) || r.body().contains(token.substring(token.lastIndexOf('.') + 1)), "a token in the metrics");
                assertFalse(r.body().contains("backoffice-secret"), "a secret in the metrics");
            }
        }
    }
}
