package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.oauthlet.protocol.Pkce;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect over real HTTP on Jetty, checked by an independent library (Nimbus OAuth 2.0 /
 * OpenID Connect SDK): discovery, ID tokens from the code and refresh grants, userinfo by scope,
 * and each refusal. The browser flow is {@link OpenIdConnectBrowserTest}.
 */
class OpenIdConnectHttpTest {

    static final String CALLBACK = "http://127.0.0.1:9/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final ObjectMapper JSON = new ObjectMapper();

    private JettyExample.Running server;
    private BrowserlessClient browser;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String algorithm) throws Exception {
        server = JettyExample.createServer(ExampleConfigs.openIdConnect(CALLBACK, algorithm, ""), 0);
        browser = new BrowserlessClient(server.url());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String authorize(String clientId, String scope, String nonce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", clientId);
        p.put("response_type", "code");
        p.put("redirect_uri", CALLBACK);
        p.put("scope", scope);
        p.put("state", "s-oidc");
        p.put("code_challenge", Pkce.s256(VERIFIER));
        p.put("code_challenge_method", "S256");
        if (nonce != null) {
            p.put("nonce", nonce);
        }
        return "/oauth/authorize?" + BrowserlessClient.encode(p);
    }

    /** alice signs in and allows; returns the code. */
    private String code(String clientId, String scope, String nonce) throws Exception {
        return code(authorize(clientId, scope, nonce));
    }

    /** alice signs in and allows the authorization request {@code url}; returns the code. */
    private String code(String url) throws Exception {
        HttpResponse<String> login = browser.get(url);
        assertEquals(200, login.statusCode(), login.body());
        HttpResponse<String> signedIn = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "alice", "password", "alice-password"));
        HttpResponse<String> consent = browser.get(header(signedIn, "Location"));
        HttpResponse<String> back = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertEquals(303, back.statusCode(), back.body());
        return query(header(back, "Location")).get("code");
    }

    private OIDCTokenResponse exchange(String code) throws Exception {
        TokenRequest request = new TokenRequest(URI.create(server.url() + "/oauth/token"),
                new ClientSecretBasic(new ClientID("rp-app"), new Secret("rp-secret")),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(CALLBACK), new CodeVerifier(VERIFIER)));
        TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    /** The code exchange as a plain form post, without an OpenID Connect library. */
    private HttpResponse<String> exchangeAsForm(String code) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(BrowserlessClient.encode(Map.of("grant_type", "authorization_code",
                        "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER, "client_id", "rp-app",
                        "client_secret", "rp-secret")))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private IDTokenValidator validator() throws Exception {
        return new IDTokenValidator(new Issuer(server.oauthlet().issuer()), new ClientID("rp-app"), JWSAlgorithm.RS256,
                URI.create(server.url() + "/oauth/jwks").toURL());
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The client code README.md shows, run as it is shown. */
    @Test
    void readmeSnippetWhenRunThenTheIdTokenValidatesAndUserinfoNamesAlice() throws Exception {
        start("ES256");
        String issuer = server.oauthlet().issuer();
        URI callback = URI.create(CALLBACK);
        String verifier = VERIFIER;
        Nonce nonce = new Nonce("n-readme");
        String code = code("rp-app", "openid email", nonce.getValue());
        // README-BEGIN oidc
        OIDCProviderMetadata op = OIDCProviderMetadata.resolve(new Issuer(issuer));
        TokenRequest request = new TokenRequest(op.getTokenEndpointURI(),
                new ClientSecretBasic(new ClientID("rp-app"), new Secret("rp-secret")),
                new AuthorizationCodeGrant(new AuthorizationCode(code), callback, new CodeVerifier(verifier)));
        OIDCTokens tokens = ((OIDCTokenResponse) OIDCTokenResponseParser.parse(request.toHTTPRequest().send())
                .toSuccessResponse()).getOIDCTokens();
        IDTokenClaimsSet signedIn = new IDTokenValidator(op.getIssuer(), new ClientID("rp-app"), JWSAlgorithm.RS256,
                op.getJWKSetURI().toURL()).validate(tokens.getIDToken(), nonce);
        UserInfo me = UserInfoResponse.parse(new UserInfoRequest(op.getUserInfoEndpointURI(), tokens.getBearerAccessToken())
                .toHTTPRequest().send()).toSuccessResponse().getUserInfo();
        // README-END oidc
        assertEquals("u-1001", signedIn.getSubject().getValue());
        assertEquals("alice@example.com", me.getEmailAddress());
        assertEquals("u-1001", me.getSubject().getValue());

        java.nio.file.Path module = java.nio.file.Path.of(System.getProperty("basedir", "."));
        String readme = java.nio.file.Files.readString(module.resolve("../README.md"));
        String source = java.nio.file.Files.readString(module.resolve("src/test/java/dev/oauthlet/example/OpenIdConnectHttpTest.java"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("// README-BEGIN oidc\\n(.*?)\\n\\s*// README-END oidc",
                java.util.regex.Pattern.DOTALL).matcher(source);
        assertTrue(m.find());
        assertTrue(readme.contains(m.group(1).stripIndent()), "README.md must show the OpenID Connect client code exactly as this test runs it");
    }

    @Test
    void discoveryWhenFetchedThenNimbusParsesEveryRequiredFieldAndItMatchesTheRfc8414Document() throws Exception {
        start("ES256");
        HttpResponse<String> r = get("/.well-known/openid-configuration", null);
        assertEquals(200, r.statusCode());
        JsonNode raw = JSON.readTree(r.body());
        // OpenID Connect Discovery 1.0 §3: the REQUIRED members (token_endpoint too, as this is no implicit-only server),
        // each present and non-empty, by name.
        for (String required : java.util.List.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
                "response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported")) {
            JsonNode v = raw.path(required);
            assertTrue(v.isTextual() ? !v.asText().isEmpty() : v.isArray() && !v.isEmpty(), required + " missing or empty: " + r.body());
        }
        // §4.3: the issuer is exactly the URL the document was fetched under, less the well-known suffix.
        assertEquals(server.oauthlet().issuer(), raw.get("issuer").asText());
        OIDCProviderMetadata m = OIDCProviderMetadata.parse(r.body());
        assertEquals(server.oauthlet().issuer(), m.getIssuer().getValue());
        assertEquals(server.url() + "/oauth/authorize", m.getAuthorizationEndpointURI().toString());
        assertEquals(server.url() + "/oauth/token", m.getTokenEndpointURI().toString());
        assertEquals(server.url() + "/oauth/jwks", m.getJWKSetURI().toString());
        assertEquals(server.url() + "/oauth/userinfo", m.getUserInfoEndpointURI().toString());
        assertEquals("[code]", m.getResponseTypes().toString());
        assertEquals("[public]", m.getSubjectTypes().toString());
        assertEquals(java.util.List.of(JWSAlgorithm.RS256), m.getIDTokenJWSAlgs());
        assertTrue(m.getScopes().contains("openid"), m.getScopes().toString());
        assertTrue(m.getClaims().containsAll(java.util.List.of("sub", "email", "address")), m.getClaims().toString());
        assertFalse(m.supportsRequestURIParam(), "request_uri is not supported, and Discovery's default is true");
        assertEquals(JSON.readTree(get("/.well-known/oauth-authorization-server", null).body()), JSON.readTree(r.body()),
                "the RFC 8414 document and the OpenID one are the same");
    }

    @Test
    void codeGrantWhenScopeHasOpenidThenNimbusValidatesTheIdTokenNonceAndAtHash() throws Exception {
        start("ES256");
        OIDCTokenResponse tokens = exchange(code("rp-app", "openid profile email", "n-0S6_WzA2Mj"));
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        assertNotNull(idToken);
        // Access tokens are ES256 here; the ID token has an RS256 key of its own, published in the same JWKS.
        assertEquals(JWSAlgorithm.RS256, ((SignedJWT) idToken).getHeader().getAlgorithm());
        assertEquals("ES256", SignedJWT.parse(tokens.getOIDCTokens().getAccessToken().getValue()).getHeader().getAlgorithm().getName());
        IDTokenClaimsSet claims = validator().validate(idToken, new Nonce("n-0S6_WzA2Mj"));
        assertEquals("u-1001", claims.getSubject().getValue(), "users[].subject, not the username");
        assertEquals("rp-app", claims.getAudience().get(0).getValue());
        assertNotNull(claims.getAuthenticationTime());
        AccessTokenValidator.validate(tokens.getOIDCTokens().getAccessToken(), JWSAlgorithm.RS256, claims.getAccessTokenHash());
        assertEquals(AccessTokenHash.compute(tokens.getOIDCTokens().getAccessToken(), JWSAlgorithm.RS256), claims.getAccessTokenHash());
    }

    @Test
    void refreshWhenGrantIsOpenidThenAFreshIdTokenWithTheSameAuthTimeAndNoNonce() throws Exception {
        start("RS256");
        OIDCTokenResponse first = exchange(code("rp-app", "openid email", "n-first"));
        IDTokenClaimsSet original = validator().validate(first.getOIDCTokens().getIDToken(), new Nonce("n-first"));
        Thread.sleep(1100);
        TokenRequest refresh = new TokenRequest(URI.create(server.url() + "/oauth/token"),
                new ClientSecretBasic(new ClientID("rp-app"), new Secret("rp-secret")),
                new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken()));
        OIDCTokenResponse again = (OIDCTokenResponse) OIDCTokenResponseParser.parse(refresh.toHTTPRequest().send()).toSuccessResponse();
        IDTokenClaimsSet fresh = validator().validate(again.getOIDCTokens().getIDToken(), null);
        assertNull(fresh.getNonce(), "Core §12.2: no nonce in a refreshed ID token");
        assertEquals(original.getAuthenticationTime(), fresh.getAuthenticationTime());
        assertEquals(original.getSubject(), fresh.getSubject());
        assertEquals("[pwd]", original.getAMR().toString(), "the login page checked a password");
        assertEquals("1", original.getACR().getValue());
        assertEquals(original.getAMR(), fresh.getAMR(), "the refreshed ID token names the original sign-in's methods");
        assertEquals(original.getACR(), fresh.getACR());
        assertTrue(fresh.getIssueTime().after(original.getIssueTime()));
    }

    @Test
    void codeGrantWhenAcrValuesAskForMoreThanThePasswordGaveThenTheIdTokenNamesTheClassReached() throws Exception {
        start("ES256");
        // acr_values is a voluntary claim (Core §3.1.2.1): no second factor here, so the password's class, not an error.
        String code = code(authorize("rp-app", "openid", "n-acr") + "&acr_values=2%201");
        IDTokenClaimsSet claims = validator().validate(exchange(code).getOIDCTokens().getIDToken(), new Nonce("n-acr"));
        assertEquals("1", claims.getACR().getValue());
        assertEquals("[pwd]", claims.getAMR().toString());
        HttpResponse<String> discovery = get("/.well-known/openid-configuration", null);
        assertEquals("[\"1\",\"2\"]", JSON.readTree(discovery.body()).get("acr_values_supported").toString());
        assertTrue(OIDCProviderMetadata.parse(discovery.body()).getClaims().containsAll(java.util.List.of("acr", "amr")));
    }

    @Test
    void authorizeWhenAcrValuesNotPrintableThenRedirectsInvalidRequest() throws Exception {
        start("ES256");
        HttpResponse<String> r = browser.get(authorize("rp-app", "openid", "n") + "&acr_values=%0A2");
        assertEquals(302, r.statusCode());
        assertEquals("invalid_request", query(header(r, "Location")).get("error"));
    }

    @Test
    void codeGrantWhenScopeLacksOpenidThenNoIdToken() throws Exception {
        start("ES256");
        String code = code("rp-app", "orders:read", null);
        HttpResponse<String> r = exchangeAsForm(code);
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(JSON.readTree(r.body()).has("id_token"), r.body());
    }

    @Test
    void codeGrantWhenAccessTokensAreHs256ThenTheIdTokenIsStillRs256AndTheJwksHasNoSecret() throws Exception {
        start("HS256");
        OIDCTokenResponse tokens = exchange(code("rp-app", "openid", "n-hs"));
        assertEquals(JWSAlgorithm.RS256, ((SignedJWT) tokens.getOIDCTokens().getIDToken()).getHeader().getAlgorithm());
        validator().validate(tokens.getOIDCTokens().getIDToken(), new Nonce("n-hs"));
        JsonNode keys = JSON.readTree(get("/oauth/jwks", null).body()).get("keys");
        assertEquals(1, keys.size(), keys.toString());
        assertEquals("RSA", keys.get(0).get("kty").asText());
    }

    @Test
    void authorizeWhenClientRequiresNonceAndNoneIsSentThenRedirectsInvalidRequest() throws Exception {
        start("ES256");
        HttpResponse<String> r = browser.get(authorize("strict-rp", "openid email", null));
        assertEquals(302, r.statusCode());
        Map<String, String> q = query(header(r, "Location"));
        assertEquals("invalid_request", q.get("error"));
        assertEquals("nonce is required for this client", q.get("error_description"));
        assertEquals("s-oidc", q.get("state"));
        assertEquals(200, browser.get(authorize("strict-rp", "openid email", "n-1")).statusCode(), "with a nonce: the login page");
    }

    @Test
    void userinfoWhenTokenHasOpenidThenSubAndTheClaimsItsScopesRelease() throws Exception {
        start("ES256");
        OIDCTokenResponse tokens = exchange(code("rp-app", "openid email", "n-u"));
        String bearer = "Bearer " + tokens.getOIDCTokens().getAccessToken().getValue();
        HttpResponse<String> r = get("/oauth/userinfo", bearer);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("no-store", header(r, "Cache-Control"));
        JsonNode info = JSON.readTree(r.body());
        assertEquals("u-1001", info.get("sub").asText());
        assertEquals("alice@example.com", info.get("email").asText());
        assertTrue(info.get("email_verified").asBoolean());
        assertFalse(info.has("name"), "profile was not granted: " + r.body());
        assertFalse(info.has("address"), r.body());

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/userinfo"))
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, post.statusCode(), post.body());
        assertEquals(info, JSON.readTree(post.body()));
    }

    @Test
    void idTokenWhenClaimsParameterAsksForProfileClaimsThenIgnoredAndTheScopesClaimsStayAtUserinfo() throws Exception {
        start("ES256");
        // Core §5.4: with response_type=code an access token is issued, so the scopes' claims are the userinfo endpoint's.
        // The claims parameter (§5.5) is not supported (claims_parameter_supported: false) and, like any unknown
        // parameter, ignored: it neither moves email into the ID token nor releases a claim no granted scope covers.
        String claims = "{\"id_token\":{\"email\":{\"essential\":true},\"name\":null},\"userinfo\":{\"phone_number\":{\"essential\":true}}}";
        String code = code(authorize("rp-app", "openid email", "n-claims") + "&claims="
                + java.net.URLEncoder.encode(claims, java.nio.charset.StandardCharsets.UTF_8));
        OIDCTokenResponse tokens = exchange(code);
        IDTokenClaimsSet id = validator().validate(tokens.getOIDCTokens().getIDToken(), new Nonce("n-claims"));
        for (String claim : java.util.List.of("email", "email_verified", "name", "phone_number")) {
            assertNull(id.getClaim(claim), claim + " in the ID token: " + id.toJSONObject());
        }
        JsonNode info = JSON.readTree(get("/oauth/userinfo", "Bearer " + tokens.getOIDCTokens().getAccessToken().getValue()).body());
        assertEquals("alice@example.com", info.get("email").asText(), "the email scope's claims, at userinfo");
        assertFalse(info.has("phone_number"), "no phone scope granted: " + info);
        assertFalse(info.has("name"), info.toString());
        JsonNode discovery = JSON.readTree(get("/.well-known/openid-configuration", null).body());
        assertFalse(discovery.get("claims_parameter_supported").asBoolean());
        assertFalse(OIDCProviderMetadata.parse(discovery.toString()).supportsClaimsParam());
    }

    @Test
    void userinfoWhenProfileAddressAndPhoneGrantedThenTypedClaims() throws Exception {
        start("ES256");
        OIDCTokenResponse tokens = exchange(code("rp-app", "openid profile address phone", "n-p"));
        JsonNode info = JSON.readTree(get("/oauth/userinfo", "Bearer " + tokens.getOIDCTokens().getAccessToken().getValue()).body());
        assertEquals("Alice Liddell", info.get("name").asText());
        assertEquals(1764547200L, info.get("updated_at").asLong());
        assertTrue(info.get("updated_at").isIntegralNumber());
        assertEquals("Oxford", info.get("address").get("locality").asText());
        assertEquals("+44 20 7946 0000", info.get("phone_number").asText());
        assertFalse(info.has("email"), info.toString());
    }

    @Test
    void userinfoWhenTokenLacksOpenidThen403InsufficientScope() throws Exception {
        start("ES256");
        String code = code("rp-app", "orders:read", null);
        HttpResponse<String> t = exchangeAsForm(code);
        HttpResponse<String> r = get("/oauth/userinfo", "Bearer " + JSON.readTree(t.body()).get("access_token").asText());
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(header(r, "WWW-Authenticate").contains("error=\"insufficient_scope\""), header(r, "WWW-Authenticate"));
        assertTrue(header(r, "WWW-Authenticate").contains("scope=\"openid\""));
        assertEquals("insufficient_scope", JSON.readTree(r.body()).get("error").asText());
    }

    @Test
    void userinfoWhenTheTokenIsDpopBoundThenItsProofOpensItAndBearerOrNoProofDoNot() throws Exception {
        start("ES256");
        com.nimbusds.jose.jwk.ECKey key = HandMadeJwts.ecKey(null);
        String code = code("rp-app", "openid email", "n-dpop");
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", HandMadeJwts.proof(key, "POST", server.url() + "/oauth/token", null))
                .POST(HttpRequest.BodyPublishers.ofString(BrowserlessClient.encode(Map.of("grant_type", "authorization_code",
                        "code", code, "redirect_uri", CALLBACK, "code_verifier", VERIFIER, "client_id", "rp-app",
                        "client_secret", "rp-secret")))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, t.statusCode(), t.body());
        assertEquals("DPoP", JSON.readTree(t.body()).get("token_type").asText());
        String access = JSON.readTree(t.body()).get("access_token").asText();
        String url = server.url() + "/oauth/userinfo";

        HttpResponse<String> proven = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + access)
                .header("DPoP", HandMadeJwts.proof(key, "GET", url, access)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, proven.statusCode(), proven.body());
        assertEquals("alice@example.com", JSON.readTree(proven.body()).get("email").asText());
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + access)
                .header("DPoP", HandMadeJwts.proof(key, "POST", url, access)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());

        assertEquals(401, get("/oauth/userinfo", "Bearer " + access).statusCode(), "a bound token as Bearer");
        assertEquals(401, get("/oauth/userinfo", "DPoP " + access).statusCode(), "without a proof");
        HttpResponse<String> otherKey = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + access)
                .header("DPoP", HandMadeJwts.proof(HandMadeJwts.ecKey(null), "GET", url, access)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, otherKey.statusCode(), "another key's proof");
    }

    @Test
    void userinfoWhenNoTokenOrAForgedOneThen401() throws Exception {
        start("ES256");
        HttpResponse<String> none = get("/oauth/userinfo", null);
        assertEquals(401, none.statusCode());
        assertTrue(header(none, "WWW-Authenticate").startsWith("Bearer realm="), header(none, "WWW-Authenticate"));
        HttpResponse<String> forged = get("/oauth/userinfo", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1LTEwMDEifQ.");
        assertEquals(401, forged.statusCode());
        assertTrue(header(forged, "WWW-Authenticate").contains("error=\"invalid_token\""));
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/userinfo"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode());
    }
}
