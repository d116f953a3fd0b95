package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.client.ClientInformationResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.Origin;
import dev.oauthlet.config.OauthletConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic client registration (RFC 7591, RFC 7592) over real HTTP on the example: a registered
 * client runs the authorization code flow, reads, replaces and deletes its registration; every
 * refusal, the policy, open registration, the SSRF rule for {@code jwks_uri}, and a restart on an
 * H2 file. One registration is made by an independent client library (Nimbus OAuth 2.0 SDK).
 */
class DynamicRegistrationHttpTest {

    static final String CALLBACK = "http://127.0.0.1:9/callback";
    /** The initial access token, given as the default of a placeholder, as from the environment. */
    static final String INITIAL_TOKEN = "initial-access-token-for-the-registration-test";
    static final String REGISTRATION = """
            registration:
              initial-access-token: ["${OAUTHLET_TEST_REGISTRATION_TOKEN:-%s}"]
              policy:
                grants: [authorization_code, refresh_token, client_credentials]
                scopes: [orders:read]
            """.formatted(INITIAL_TOKEN);

    private JettyExample.Running server;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(String extraYaml) throws Exception {
        server = JettyExample.createServer(config(extraYaml), 0);
    }

    private static OauthletConfig config(String extraYaml) {
        return ExampleConfigs.authorizationCode(CALLBACK, "authorization:\n  login-failure-delay: 0s\n" + extraYaml);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String endpoint() {
        return server.url() + "/oauth/register";
    }

    private HttpResponse<String> send(String method, String url, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String json) throws Exception {
        return send("POST", endpoint(), "Bearer " + INITIAL_TOKEN, json);
    }

    private static JsonNode json(HttpResponse<String> r) {
        return ExampleFixtures.json(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String error) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(error, json(r).get("error").asText(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    private Http.Response clientCredentials(String id, String secret) {
        return Http.postForm(server.url() + "/oauth/token", Http.basic(id, secret), "grant_type=client_credentials");
    }

    private static final String WEB_CLIENT = """
            {"client_name": "Registered Dashboard", "redirect_uris": ["%s"], "grant_types": ["authorization_code", "refresh_token"],
             "response_types": ["code"], "scope": "orders:read", "logo_uri": "https://app.example/logo.png"}""".formatted(CALLBACK);

    @Test
    void registerWhenInitialAccessTokenThenRegisteredClientRunsTheAuthorizationCodeFlowOverHttp() throws Exception {
        start(REGISTRATION);
        HttpResponse<String> r = register(WEB_CLIENT);

        assertEquals(201, r.statusCode(), r.body());
        JsonNode reg = json(r);
        String id = reg.get("client_id").asText();
        String secret = reg.get("client_secret").asText();
        assertEquals(43, secret.length(), "256 random bits, base64url");
        assertEquals(43, reg.get("registration_access_token").asText().length());
        assertNotEquals(secret, reg.get("registration_access_token").asText());
        assertEquals(0, reg.get("client_secret_expires_at").asLong());
        assertEquals(endpoint() + "/" + id, reg.get("registration_client_uri").asText());
        assertEquals(endpoint() + "/" + id, r.headers().firstValue("Location").orElse(null));
        assertEquals("Registered Dashboard", reg.get("client_name").asText());
        assertEquals("client_secret_basic", reg.get("token_endpoint_auth_method").asText());
        assertEquals("orders:read", reg.get("scope").asText());
        assertEquals("[\"" + CALLBACK + "\"]", reg.get("redirect_uris").toString());
        assertFalse(reg.has("logo_uri"), "a member the server does not register is not answered as registered");
        ClientRegistration stored = server.oauthlet().storage().clients().findById(id).orElseThrow();
        assertEquals(Origin.REGISTRATION, stored.origin());
        assertFalse(stored.secretHash().contains(secret));

        // The authorization code flow, every step over HTTP: sign in, consent, code, tokens, refresh.
        BrowserlessClient browser = new BrowserlessClient(server.url());
        String authorize = "/oauth/authorize?" + BrowserlessClient.encode(new LinkedHashMap<>(Map.of("client_id", id,
                "response_type", "code", "redirect_uri", CALLBACK, "scope", "orders:read", "state", "s-1",
                "code_challenge", AuthorizationEndpointHttpTest.CHALLENGE, "code_challenge_method", "S256")));
        HttpResponse<String> login = browser.get(authorize);
        assertEquals(200, login.statusCode(), login.body());
        assertTrue(login.body().contains("Registered Dashboard"), "the consent pages name the registered client");
        HttpResponse<String> next = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "alice", "password", "alice-password"));
        HttpResponse<String> consent = browser.get(header(next, "Location"));
        assertEquals(200, consent.statusCode(), consent.body());
        HttpResponse<String> back = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        String location = header(back, "Location");
        assertTrue(location.startsWith(CALLBACK + "?"), location);
        String code = query(location).get("code");
        Http.Response tokens = Http.postForm(server.url() + "/oauth/token", Http.basic(id, secret), Http.form("grant_type",
                "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", AuthorizationEndpointHttpTest.VERIFIER));
        assertEquals(200, tokens.status(), tokens.body());
        assertEquals("orders:read", tokens.json().get("scope").asText());
        Http.Response refreshed = Http.postForm(server.url() + "/oauth/token", Http.basic(id, secret),
                Http.form("grant_type", "refresh_token", "refresh_token", tokens.json().get("refresh_token").asText()));
        assertEquals(200, refreshed.status(), refreshed.body());
    }

    @Test
    void readReplaceDeleteWhenRegistrationAccessTokenThenRfc7592AndAfterDeleteTheClientIsGone() throws Exception {
        start(REGISTRATION);
        JsonNode reg = json(register("""
                {"grant_types": ["client_credentials", "refresh_token"], "client_name": "Reports"}"""));
        String id = reg.get("client_id").asText();
        String secret = reg.get("client_secret").asText();
        String uri = reg.get("registration_client_uri").asText();
        String token = "Bearer " + reg.get("registration_access_token").asText();
        assertEquals(200, clientCredentials(id, secret).status());

        HttpResponse<String> read = send("GET", uri, token, null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(id, json(read).get("client_id").asText());
        assertEquals("Reports", json(read).get("client_name").asText());
        assertFalse(json(read).has("client_secret"), "only the secret's hash is stored: a read cannot answer it");
        assertFalse(read.body().contains(secret));
        assertEquals("no-store", read.headers().firstValue("Cache-Control").orElse(null));

        HttpResponse<String> replaced = send("PUT", uri, token, """
                {"client_id": "%s", "client_secret": "%s", "client_name": "Monthly reports", "grant_types": ["client_credentials"],
                 "registration_client_uri": "%s", "client_secret_expires_at": 0}""".formatted(id, secret, uri));
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("Monthly reports", json(replaced).get("client_name").asText());
        assertEquals("[\"client_credentials\"]", json(replaced).get("grant_types").toString(), "the whole record was replaced");
        assertEquals("Monthly reports", server.oauthlet().storage().clients().findById(id).orElseThrow().name());
        assertEquals(200, clientCredentials(id, secret).status(), "the secret stays");

        assertError(send("PUT", uri, token, "{\"client_name\": \"no id\", \"grant_types\": [\"client_credentials\"]}"), 400,
                "invalid_client_metadata");
        assertError(send("PUT", uri, token, """
                {"client_id": "%s", "client_secret": "chosen-by-the-client", "grant_types": ["client_credentials"]}""".formatted(id)),
                400, "invalid_client_metadata");
        assertError(send("PUT", uri, token, "{\"client_id\": \"%s\", \"token_endpoint_auth_method\": \"none\", \"grant_types\": [\"client_credentials\"]}"
                .formatted(id)), 400, "invalid_client_metadata");

        HttpResponse<String> deleted = send("DELETE", uri, token, null);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());

        HttpResponse<String> afterwards = send("GET", uri, token, null);
        assertError(afterwards, 401, "invalid_token");
        assertTrue(afterwards.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm="), afterwards.headers().toString());
        Http.Response refused = clientCredentials(id, secret);
        assertEquals(401, refused.status());
        assertEquals("invalid_client", refused.json().get("error").asText());
        assertError(send("DELETE", uri, token, null), 401, "invalid_token");
    }

    @Test
    void registerWhenNoOrWrongInitialAccessTokenThen401WithBearerChallenge() throws Exception {
        start(REGISTRATION);
        HttpResponse<String> none = send("POST", endpoint(), null, WEB_CLIENT);
        assertError(none, 401, "invalid_token");
        assertEquals("Bearer realm=\"" + server.oauthlet().issuer() + "\"", none.headers().firstValue("WWW-Authenticate").orElse(null),
                "no error attribute when no token was sent (RFC 6750 3)");

        HttpResponse<String> wrong = send("POST", endpoint(), "Bearer " + INITIAL_TOKEN + "x", WEB_CLIENT);
        assertError(wrong, 401, "invalid_token");
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        assertError(send("POST", endpoint(), "Basic " + INITIAL_TOKEN, WEB_CLIENT), 401, "invalid_token");
        assertEquals(2, server.oauthlet().storage().clients().findAll().size(), "only the two clients of the file");
    }

    @Test
    void registrationUriWhenAnotherClientsTokenOrAFileClientThen401() throws Exception {
        start(REGISTRATION);
        JsonNode a = json(register(WEB_CLIENT));
        JsonNode b = json(register(WEB_CLIENT));
        String tokenOfA = "Bearer " + a.get("registration_access_token").asText();

        assertError(send("GET", b.get("registration_client_uri").asText(), tokenOfA, null), 401, "invalid_token");
        assertError(send("DELETE", b.get("registration_client_uri").asText(), tokenOfA, null), 401, "invalid_token");
        assertError(send("GET", endpoint() + "/partner-app", tokenOfA, null), 401, "invalid_token");
        assertError(send("DELETE", endpoint() + "/partner-app", "Bearer " + INITIAL_TOKEN, null), 401, "invalid_token");
        assertTrue(server.oauthlet().storage().clients().findById(b.get("client_id").asText()).isPresent());
        assertTrue(server.oauthlet().storage().clients().findById("partner-app").isPresent());
        assertError(send("GET", a.get("registration_client_uri").asText(), null, null), 401, "invalid_token");
    }

    @Test
    void registerWhenMetadataRefusedThenPreciseRfc7591Errors() throws Exception {
        start(REGISTRATION);
        Map<String, String> invalidRedirect = Map.of(
                "[\"javascript:alert(1)//\"]", "javascript",
                "[\"http://app.example/cb\"]", "plain http off loopback",
                "[\"https://app.example/cb#x\"]", "fragment",
                "[\"https://user@app.example/cb\"]", "user info",
                "[\"data:text/html,hi\"]", "data",
                "[\"/relative\"]", "relative");
        invalidRedirect.forEach((uris, what) -> {
            try {
                assertError(register("{\"redirect_uris\": " + uris + "}"), 400, "invalid_redirect_uri");
            } catch (Exception e) {
                throw new AssertionError(what, e);
            }
        });
        assertError(register("{\"grant_types\": [\"authorization_code\"]}"), 400, "invalid_redirect_uri");

        List<String> invalidMetadata = List.of(
                "{\"grant_types\": [\"password\"]}",
                "{\"grant_types\": [\"implicit\"]}",
                "{\"grant_types\": [\"client_credentials\"], \"scope\": \"orders:read orders:write\"}",
                "{\"grant_types\": [\"client_credentials\"], \"scope\": \"admin\"}",
                "{\"grant_types\": [\"client_credentials\"], \"audiences\": [\"elsewhere\"]}",
                "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"tls_client_auth\"}",
                "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"client_secret_jwt\"}",
                "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\"}",
                "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\", \"jwks\": {\"keys\": []},"
                        + " \"jwks_uri\": \"https://app.example/jwks\"}",
                "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"private_key_jwt\","
                        + " \"jwks_uri\": \"http://app.example/jwks\"}",
                "{\"grant_types\": [\"client_credentials\"], \"jwks_uri\": \"https://app.example/jwks\"}",
                "{\"grant_types\": [\"client_credentials\"], \"response_types\": [\"token\"]}",
                "{\"redirect_uris\": [\"" + CALLBACK + "\"], \"response_types\": [\"code\", \"token\"]}",
                "{\"grant_types\": [\"client_credentials\"], \"dpop_bound_access_tokens\": \"yes\"}",
                "{\"grant_types\": \"client_credentials\"}",
                "{\"grant_types\": [\"client_credentials\"], \"client_name\": \"a\\u0000b\"}",
                "{\"grant_types\": [\"client_credentials\"], \"grant_types\": [\"refresh_token\"]}",
                "[]",
                "not json");
        for (String body : invalidMetadata) {
            HttpResponse<String> r = register(body);
            assertEquals(400, r.statusCode(), body + " -> " + r.body());
            assertEquals("invalid_client_metadata", json(r).get("error").asText(), body + " -> " + r.body());
            assertFalse(r.body().contains("\"client_secret\":"), body);
        }
        HttpResponse<String> form = send("POST", endpoint(), "Bearer " + INITIAL_TOKEN, null);
        assertEquals(415, form.statusCode(), form.body());
        assertError(send("PUT", endpoint(), "Bearer " + INITIAL_TOKEN, "{}"), 405, "invalid_request");
        assertEquals(2, server.oauthlet().storage().clients().findAll().size(), "nothing was registered");
    }

    @Test
    void registerWhenPolicyLimitsSchemesMethodsAndSecretLifetimeThenOnlyThoseAreRegistered() throws Exception {
        start("""
                registration:
                  initial-access-token: %s
                  policy:
                    grants: [client_credentials]
                    redirect-uri-schemes: [https]
                    token-endpoint-auth-methods: [client_secret_post]
                    client-secret-lifetime: 30d
                """.formatted(INITIAL_TOKEN));
        assertError(register("{\"grant_types\": [\"client_credentials\"]}"), 400, "invalid_client_metadata");
        assertError(register("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"client_secret_post\","
                + " \"redirect_uris\": [\"http://127.0.0.1:9/cb\"]}"), 400, "invalid_redirect_uri");

        HttpResponse<String> r = register("{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"client_secret_post\"}");
        assertEquals(201, r.statusCode(), r.body());
        long expires = json(r).get("client_secret_expires_at").asLong();
        long in30Days = java.time.Instant.now().plus(Duration.ofDays(30)).getEpochSecond();
        assertTrue(Math.abs(expires - in30Days) < 120, "expires " + expires + ", expected about " + in30Days);
        assertEquals("orders:read orders:write", json(r).get("scope").asText(), "without scope: every scope the policy offers");
        String id = json(r).get("client_id").asText();
        String secret = json(r).get("client_secret").asText();
        assertEquals(401, clientCredentials(id, secret).status(), "client_secret_post only: Basic is refused");
        Http.Response posted = Http.postForm(server.url() + "/oauth/token", null,
                Http.form("grant_type", "client_credentials", "client_id", id, "client_secret", secret));
        assertEquals(200, posted.status(), posted.body());
    }

    @Test
    void registerWhenOpenThenNoTokenNeededButAGivenOneMustBeValidAndPublicClientsGetNoSecret() throws Exception {
        start("""
                registration:
                  open: true
                """);
        HttpResponse<String> r = send("POST", endpoint(), null, """
                {"client_name": "MCP client", "redirect_uris": ["http://127.0.0.1/callback"], "token_endpoint_auth_method": "none",
                 "grant_types": ["authorization_code", "refresh_token"]}""");

        assertEquals(201, r.statusCode(), r.body());
        assertFalse(json(r).has("client_secret"), "a public client has no secret");
        assertFalse(json(r).has("client_secret_expires_at"));
        assertEquals("none", json(r).get("token_endpoint_auth_method").asText());
        assertNotNull(json(r).get("registration_access_token"));
        assertTrue(server.oauthlet().storage().clients().findById(json(r).get("client_id").asText()).orElseThrow().publicClient());
        assertError(send("POST", endpoint(), "Bearer wrong", WEB_CLIENT), 401, "invalid_token");
        assertError(send("POST", endpoint(), null, "{\"grant_types\": [\"client_credentials\"]}"), 400, "invalid_client_metadata");
    }

    @Test
    void metadataWhenRegistrationConfiguredThenAdvertisedElseAbsentAndNotServed() throws Exception {
        start(REGISTRATION);
        Http.Response meta = Http.get(server.url() + "/.well-known/oauth-authorization-server", null);
        assertEquals(endpoint(), meta.json().get("registration_endpoint").asText());
        server.close();

        start("");
        Http.Response without = Http.get(server.url() + "/.well-known/oauth-authorization-server", null);
        assertFalse(without.json().has("registration_endpoint"));
        assertEquals(404, send("POST", endpoint(), "Bearer " + INITIAL_TOKEN, WEB_CLIENT).statusCode());
    }

    @Test
    void registerWhenPrivateKeyJwtWithJwksAndDpopBoundThenAssertionsAuthenticateAndProofsAreRequired() throws Exception {
        start(REGISTRATION);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("registered-1").generate();
        HttpResponse<String> r = register("""
                {"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
                 "jwks": {"keys": [%s]}, "dpop_bound_access_tokens": true}""".formatted(key.toPublicJWK().toJSONString()));
        assertEquals(201, r.statusCode(), r.body());
        assertFalse(json(r).has("client_secret"), "private_key_jwt clients have no secret");
        assertEquals(true, json(r).get("dpop_bound_access_tokens").asBoolean());
        assertEquals("registered-1", json(r).get("jwks").get("keys").get(0).get("kid").asText());
        String id = json(r).get("client_id").asText();

        PrivateKeyJWT assertion = new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID(id),
                new Audience(server.oauthlet().issuer())), JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null);
        HTTPResponse noProof = new TokenRequest(URI.create(server.url() + "/oauth/token"), assertion, new ClientCredentialsGrant(), null)
                .toHTTPRequest().send();
        assertEquals(400, noProof.getStatusCode(), noProof.getBody());
        assertTrue(noProof.getBody().contains("invalid_dpop_proof"), noProof.getBody());
        ClientRegistration stored = server.oauthlet().storage().clients().findById(id).orElseThrow();
        assertEquals(ClientAuthMethod.PRIVATE_KEY_JWT, stored.keys().method());
        assertEquals(DpopMode.REQUIRED, stored.dpop());
    }

    @Test
    void registerWhenJwksUriOnLoopbackThenRefusedAndAStoredOneIsNotFetchedFromLoopbackEither() throws Exception {
        start(REGISTRATION);
        try (ServerSocket keys = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger connections = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!keys.isClosed()) {
                    try (Socket s = keys.accept()) {
                        connections.incrementAndGet();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            for (String host : List.of("127.0.0.1", "localhost", "[::1]", "10.0.0.1", "169.254.169.254", "[::ffff:127.0.0.1]")) {
                String body = """
                        {"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
                         "jwks_uri": "https://%s:%d/jwks"}""".formatted(host, keys.getLocalPort());
                assertError(register(body), 400, "invalid_client_metadata");
            }

            // A host that resolved to a public address at registration and points at loopback now: checked again before each fetch.
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
            server.oauthlet().storage().clients().save(new ClientRegistration("repointed", null, List.of(), false,
                    Set.of("client_credentials"), "back-office", Set.of(), Set.of(), Set.of(), null, List.of(), false, Origin.REGISTRATION,
                    new ClientKeys(ClientAuthMethod.PRIVATE_KEY_JWT, null, URI.create("https://127.0.0.1:" + keys.getLocalPort() + "/jwks"),
                            null), DpopMode.OFF));
            PrivateKeyJWT assertion = new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID("repointed"),
                    new Audience(server.oauthlet().issuer())), JWSAlgorithm.ES256, key.toECPrivateKey(), "k", null);
            TokenResponse t = TokenResponse.parse(new TokenRequest(URI.create(server.url() + "/oauth/token"), assertion,
                    new ClientCredentialsGrant(), null).toHTTPRequest().send());
            assertFalse(t.indicatesSuccess());
            assertEquals("invalid_client", t.toErrorResponse().getErrorObject().getCode());
            assertEquals(0, connections.get(), "the loopback key server was never connected to");
        }
    }

    @Test
    void registerWhenNimbusClientLibraryRegistersThenItParsesTheAnswerAndTheSecretWorks() throws Exception {
        start(REGISTRATION);
        com.nimbusds.oauth2.sdk.client.ClientMetadata metadata = new com.nimbusds.oauth2.sdk.client.ClientMetadata();
        metadata.setGrantTypes(Set.of(com.nimbusds.oauth2.sdk.GrantType.CLIENT_CREDENTIALS));
        metadata.setName("Nimbus");
        HTTPResponse http = new ClientRegistrationRequest(URI.create(endpoint()), metadata, new BearerAccessToken(INITIAL_TOKEN))
                .toHTTPRequest().send();
        ClientRegistrationResponse response = ClientRegistrationResponse.parse(http);

        assertTrue(response.indicatesSuccess(), http.getBody());
        ClientInformation info = ((ClientInformationResponse) response).getClientInformation();
        assertEquals("Nimbus", info.getMetadata().getName());
        assertEquals(URI.create(endpoint() + "/" + info.getID().getValue()), info.getRegistrationURI());
        assertNull(info.getSecret().getExpirationDate(), "client_secret_expires_at 0: never");
        assertEquals(200, clientCredentials(info.getID().getValue(), info.getSecret().getValue()).status());
    }

    @Test
    void restartWhenH2FileThenTheRegisteredClientAndItsRegistrationTokenSurvive(@TempDir Path dir) throws Exception {
        String yaml = "storage: {url: \"jdbc:h2:file:" + dir.resolve("oauthlet").toString().replace('\\', '/') + "\"}\n" + REGISTRATION;
        start(yaml);
        JsonNode reg = json(register("{\"grant_types\": [\"client_credentials\"]}"));
        String id = reg.get("client_id").asText();
        server.close();
        assertTrue(Files.exists(dir.resolve("oauthlet.mv.db")));

        start(yaml);
        assertEquals(200, clientCredentials(id, reg.get("client_secret").asText()).status());
        String uri = endpoint() + "/" + id;
        HttpResponse<String> read = send("GET", uri, "Bearer " + reg.get("registration_access_token").asText(), null);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(Origin.REGISTRATION, server.oauthlet().storage().clients().findById(id).orElseThrow().origin());
    }
}
