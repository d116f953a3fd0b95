package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
            BrowserlessClient browser = new BrowserlessClient(server.url());
            HttpResponse<String> login = browser.get(authorize(client, CALLBACK, challenge));
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
