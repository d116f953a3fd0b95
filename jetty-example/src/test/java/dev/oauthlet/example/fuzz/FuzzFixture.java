package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.example.ExampleConfig;
import dev.oauthlet.example.HandMadeJwts;
import dev.oauthlet.example.JettyExample;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * The example under fuzzing — a confidential client with every token-endpoint grant and two RFC 8707
 * resources it may ask for, a web client for the authorization endpoint, a {@code private_key_jwt}
 * client with DPoP, a user, a protected resource and one with an RFC 9728 document — and what it
 * issued before fuzzing began (tokens, DPoP-bound tokens, a browser session), from which generators
 * draw and mutate.
 */
final class FuzzFixture implements AutoCloseable {

    static final String CLIENT = "app";
    static final String SECRET = "app-secret";
    static final String WEB = "web";
    static final String CALLBACK = "http://127.0.0.1:9/cb";
    static final String USER = "alice";
    static final String PASSWORD = "alice-password";
    static final Set<String> SCOPES_OK = Set.of("read", "write", "read write", "write read");
    static final String FORM = "application/x-www-form-urlencoded";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The resources {@link #CLIENT} may ask for with {@code resource} (RFC 8707). */
    static final String RESOURCE_A = "https://api.fuzz.test/orders";
    static final String RESOURCE_B = "https://api.fuzz.test/billing";
    /** An audience the server knows but {@link #CLIENT} may not have. */
    static final String RESOURCE_OTHER = "https://api.fuzz.test/stock";
    /** Authenticates with {@code private_key_jwt} (RFC 7523) under {@link #assertionKey}; DPoP allowed. */
    static final String JWT_CLIENT = "jwt-app";
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Where the resource with an RFC 9728 document is mounted; its document is at {@link #METADATA_PATH}. */
    static final String METADATA_PATH = "/.well-known/oauth-protected-resource/orders";
    /** A first-party OpenID Connect client ({@link #SECRET} is its secret too), DPoP allowed, with a post-logout URI. */
    static final String RP = "rp";
    /** Where RP-initiated logout may send the browser back to for {@link #RP}: registered, matched exactly. */
    static final String POST_LOGOUT = CALLBACK + "/bye";
    /** A second user, whose ID tokens are the logout target's hints: never alice's, so no hint signs the fixture's session out. */
    static final String BOB = "bob";
    static final String BOB_PASSWORD = "bob-password";
    /** The initial access token of dynamic client registration. */
    static final String INITIAL_TOKEN = "fuzz-initial-access-token-0123456789";

    final JettyExample.Running server;
    /** Access tokens issued to {@link #CLIENT} for the resource's audience ({@code api}). */
    final List<String> accessTokens = new ArrayList<>();
    /** Refresh tokens issued to {@link #CLIENT}; the fuzzer rotates and revokes some of them. */
    final List<String> refreshTokens = new ArrayList<>();
    /** The resources each refresh token was granted for; none recorded: the client's default audience only. */
    final Map<String, List<String>> refreshResources = new HashMap<>();
    /** {@link #JWT_CLIENT}'s key, registered in its {@code jwks}. */
    final ECKey assertionKey;
    /** A key nobody registered or bound anything to, with {@link #assertionKey}'s kid: "signed by another key". */
    final ECKey strangerKey = HandMadeJwts.ecKey("fuzz-1");
    /** The key {@link #dpopTokens} are bound to. */
    final ECKey dpopKey = HandMadeJwts.ecKey(null);
    /** Access tokens issued to {@link #JWT_CLIENT}, each bound to {@link #dpopKey}. */
    final List<String> dpopTokens = new ArrayList<>();
    /** A client assertion, a token-endpoint proof and a resource proof the server has already accepted: replays. */
    String usedAssertion;
    String usedTokenProof;
    String usedResourceProof;
    /** {@code name=value} of the browser session in which alice signed in before fuzzing. */
    String session;
    /** alice's access tokens with scope {@code openid email} from {@link #RP}: they open the userinfo endpoint as Bearer. */
    final List<String> openIdTokens = new ArrayList<>();
    /** alice's access tokens with scope {@code openid email}, each bound to {@link #dpopKey}: DPoP at the userinfo endpoint. */
    final List<String> openIdDpopTokens = new ArrayList<>();
    /** bob's ID tokens from {@link #RP}'s code flow: genuine {@code id_token_hint}s for the logout target. */
    final List<String> idTokens = new ArrayList<>();
    /** {@link #idTokens} forged: another key under the same kid, {@code alg: none}, HS256, a changed signature or subject. */
    final List<String> forgedIdTokens = new ArrayList<>();
    /** A client registered through {@code /oauth/register} before fuzzing, and its registration access token. */
    String registeredId;
    String registrationToken;

    private FuzzFixture(JettyExample.Running server, ECKey assertionKey) {
        this.server = server;
        this.assertionKey = assertionKey;
    }

    static FuzzFixture start() throws Exception {
        SecretHasher cheap = new SecretHasher(1000);
        ECKey assertionKey = HandMadeJwts.ecKey("fuzz-1");
        String yaml = """
                signing: {algorithm: ES256}
                audiences: [api, %6$s, %7$s, %8$s]
                authorization:
                  login-failure-delay: 0s
                  login-max-failures-per-user: 1000
                  login-max-failures-per-address: 1000
                clients:
                  - id: app
                    secret-hash: "%1$s"
                    grants: [client_credentials, password, refresh_token]
                    audience: api
                    audiences: [%6$s, %7$s]
                    scopes: [read, write]
                    refresh-token-for-client-credentials: true
                  - id: web
                    secret-hash: "%2$s"
                    grants: [authorization_code, refresh_token]
                    audience: api
                    audiences: [%6$s]
                    scopes: [read, write]
                    redirect-uris: [%3$s]
                  - id: %9$s
                    token-endpoint-auth-method: private_key_jwt
                    jwks: {keys: [%5$s]}
                    grants: [client_credentials]
                    audience: api
                    scopes: [read, write]
                    dpop: allowed
                  - id: rp
                    secret-hash: "%1$s"
                    first-party: true
                    grants: [authorization_code, password, refresh_token]
                    audience: api
                    scopes: [openid, email, read]
                    redirect-uris: [%3$s]
                    post-logout-redirect-uris: [%3$s/bye]
                    dpop: allowed
                users:
                  - username: alice
                    password-hash: "%4$s"
                    userinfo: {email: alice@fuzz.test, email_verified: true}
                  - username: bob
                    password-hash: "%11$s"
                metrics: {enabled: true}
                registration:
                  initial-access-token: %10$s
                  policy: {grants: [client_credentials, authorization_code, refresh_token], scopes: [read, write]}
                example:
                  resources:
                    - {path: /api/*, audience: api, filter: {revocation-check: "true"}}
                    - {path: /orders/*, resource: %6$s}
                """.formatted(cheap.hash(SECRET), cheap.hash("web-secret"), CALLBACK, cheap.hash(PASSWORD),
                assertionKey.toPublicJWK().toJSONString(), RESOURCE_A, RESOURCE_B, RESOURCE_OTHER, JWT_CLIENT, INITIAL_TOKEN,
                cheap.hash(BOB_PASSWORD));
        ExampleConfig config = ExampleConfig.read("fuzz.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        FuzzFixture f = new FuzzFixture(JettyExample.createServer(config, "127.0.0.1", 0), assertionKey);
        for (int i = 0; i < 4; i++) {
            f.issue("grant_type=client_credentials");
            f.issue("grant_type=password&username=" + USER + "&password=" + PASSWORD);
        }
        f.issue("grant_type=password&username=" + USER + "&password=" + PASSWORD + "&resource=" + RESOURCE_A);
        f.issue("grant_type=password&username=" + USER + "&password=" + PASSWORD + "&resource=" + RESOURCE_A + "&resource=" + RESOURCE_B);
        for (int i = 0; i < 3; i++) {
            f.issueBound();
        }
        String token = f.dpopTokens.get(0);
        f.usedResourceProof = f.proof("GET", "/api/me", token);
        RawHttp.Answer call = RawHttp.send(f.port(), FuzzRequest.get("/api/me", List.of(Map.entry("Authorization", "DPoP " + token),
                Map.entry("DPoP", f.usedResourceProof)), true, "fixture"));
        if (call.status() != 200) {
            throw new AssertionError("the fixture's DPoP call failed: " + call);
        }
        f.session = f.signIn(WEB, USER, PASSWORD, "");
        for (int i = 0; i < 2; i++) {
            f.openIdTokens.add(f.openIdToken(false));
            f.openIdDpopTokens.add(f.openIdToken(true));
            f.idTokens.add(f.bobsIdToken());
        }
        f.forgedIdTokens.addAll(OpenIdTargets.forged(f));
        f.register();
        return f;
    }

    int port() {
        return server.port();
    }

    /** The URL the server sees for {@code path}: what a proof's {@code htu} names. */
    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The issuer, which a client assertion's {@code aud} must be. */
    String issuer() {
        return server.oauthlet().issuer();
    }

    /** A correct proof of {@link #dpopKey} for {@code method path}, with {@code ath} of {@code token} when not null. */
    String proof(String method, String path, String token) {
        return HandMadeJwts.proof(dpopKey, method, url(path), token);
    }

    /** A correct, fresh client assertion of {@link #JWT_CLIENT}. */
    String assertion() {
        return HandMadeJwts.es256(HandMadeJwts.header("ES256", assertionKey.getKeyID()),
                HandMadeJwts.assertionClaims(JWT_CLIENT, issuer()), assertionKey);
    }

    /** Asks for a token with correct client credentials; throws when the server does not give one. */
    JsonNode issue(String form) throws Exception {
        JsonNode json = issued(RawHttp.send(port(), new FuzzRequest("POST", "/oauth/token",
                List.of(Map.entry("Authorization", basic(CLIENT, SECRET)), Map.entry("Content-Type", FORM)),
                form.getBytes(StandardCharsets.UTF_8), true, "fixture")));
        List<String> resources = new ArrayList<>();
        Matcher m = Pattern.compile("(?:^|&)resource=([^&]*)").matcher(form);
        while (m.find()) {
            resources.add(m.group(1));
        }
        if (resources.isEmpty()) {
            // Only tokens for the filtered resource's audience: a resource-audienced one would not open it.
            accessTokens.add(json.get("access_token").asText());
        }
        if (json.has("refresh_token")) {
            String refresh = json.get("refresh_token").asText();
            refreshTokens.add(refresh);
            refreshResources.put(refresh, resources);
        }
        return json;
    }

    /** A DPoP-bound token for {@link #JWT_CLIENT}, authenticated by an assertion; keeps one of each for replays. */
    private void issueBound() throws Exception {
        String assertion = assertion();
        String proof = proof("POST", "/oauth/token", null);
        String form = ClientRequests.form(List.of(Map.entry("grant_type", "client_credentials"),
                Map.entry("client_assertion_type", JWT_BEARER), Map.entry("client_assertion", assertion)));
        JsonNode json = issued(RawHttp.send(port(), new FuzzRequest("POST", "/oauth/token",
                List.of(Map.entry("Content-Type", FORM), Map.entry("DPoP", proof)), form.getBytes(StandardCharsets.UTF_8), true, "fixture")));
        if (!"DPoP".equals(json.path("token_type").asText())) {
            throw new AssertionError("the fixture's DPoP token request gave no DPoP token: " + json);
        }
        dpopTokens.add(json.get("access_token").asText());
        usedAssertion = assertion;
        usedTokenProof = proof;
    }

    private static JsonNode issued(RawHttp.Answer a) throws Exception {
        if (a.status() != 200) {
            throw new AssertionError("the fixture's token request failed: " + a);
        }
        return JSON.readTree(a.body());
    }

    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    /** An access token for alice with scope {@code openid email}, by {@link #RP}'s password grant; bound to {@link #dpopKey} if {@code dpop}. */
    private String openIdToken(boolean dpop) throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Authorization", basic(RP, SECRET)),
                Map.entry("Content-Type", FORM)));
        if (dpop) {
            headers.add(Map.entry("DPoP", proof("POST", "/oauth/token", null)));
        }
        JsonNode json = issued(RawHttp.send(port(), new FuzzRequest("POST", "/oauth/token", headers,
                ("grant_type=password&scope=openid+email&username=" + USER + "&password=" + PASSWORD).getBytes(StandardCharsets.UTF_8), true,
                "fixture")));
        if (!json.path("token_type").asText().equals(dpop ? "DPoP" : "Bearer")) {
            throw new AssertionError("the fixture's openid token is not " + (dpop ? "DPoP" : "Bearer") + ": " + json);
        }
        return json.get("access_token").asText();
    }

    /** bob signs in at {@link #RP} (first-party: no consent) and its code is exchanged; returns the ID token. */
    private String bobsIdToken() throws Exception {
        String cookie = signIn(RP, BOB, BOB_PASSWORD, "&scope=openid&nonce=n-fuzz");
        RawHttp.Answer back = RawHttp.send(port(), FuzzRequest.get(authorizeQuery(RP, "&scope=openid&nonce=n-fuzz"),
                List.of(Map.entry("Cookie", cookie)), false, "fixture"));
        String location = back.header("location");
        if (location == null || !location.startsWith(CALLBACK + "?code=")) {
            throw new AssertionError("the fixture's OpenID sign-in gave no code: " + back);
        }
        String code = location.substring((CALLBACK + "?code=").length(), location.indexOf('&'));
        JsonNode json = issued(RawHttp.send(port(), new FuzzRequest("POST", "/oauth/token",
                List.of(Map.entry("Authorization", basic(RP, SECRET)), Map.entry("Content-Type", FORM)),
                ("grant_type=authorization_code&code=" + code + "&redirect_uri=" + CALLBACK
                        + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").getBytes(StandardCharsets.UTF_8), true, "fixture")));
        return json.get("id_token").asText();
    }

    private static String authorizeQuery(String client, String extra) {
        return "/oauth/authorize?response_type=code&client_id=" + client + "&redirect_uri=" + CALLBACK
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=s" + extra;
    }

    /** Signs {@code user} in at the authorization endpoint for {@code client}, as a browser would; returns the session cookie. */
    private String signIn(String client, String user, String password, String extra) throws Exception {
        String authorize = authorizeQuery(client, extra);
        RawHttp.Answer page = RawHttp.send(port(), FuzzRequest.get(authorize, List.of(), false, "fixture"));
        String cookie = sessionCookie(page);
        StringBuilder form = new StringBuilder("action=login&username=" + user + "&password=" + password);
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            String value = m.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&amp;", "&");
            form.append('&').append(m.group(1)).append('=').append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(List.of(Map.entry("Content-Type", FORM)));
        if (cookie != null) {
            headers.add(Map.entry("Cookie", cookie));
        }
        RawHttp.Answer login = RawHttp.send(port(), new FuzzRequest("POST", "/oauth/authorize", headers,
                form.toString().getBytes(StandardCharsets.UTF_8), false, "fixture"));
        String signedIn = sessionCookie(login);
        if (login.status() / 100 != 3 || signedIn == null) {
            throw new AssertionError("the fixture's sign-in failed: " + login);
        }
        return signedIn;
    }

    /** The {@code name=value} of the session cookie an answer sets, or {@code null}. */
    private static String sessionCookie(RawHttp.Answer a) {
        String found = null;
        for (Map.Entry<String, String> h : a.headers()) {
            if (h.getKey().equals("set-cookie") && h.getValue().contains("oauthlet_session_") && !h.getValue().contains("Max-Age=0")) {
                found = h.getValue().substring(0, h.getValue().indexOf(';'));
            }
        }
        return found;
    }

    /** Registers a client for the registration target's read, replace and delete requests. */
    private void register() throws Exception {
        RawHttp.Answer a = RawHttp.send(port(), new FuzzRequest("POST", "/oauth/register",
                List.of(Map.entry("Authorization", "Bearer " + INITIAL_TOKEN), Map.entry("Content-Type", "application/json")),
                "{\"grant_types\": [\"client_credentials\"]}".getBytes(StandardCharsets.UTF_8), true, "fixture"));
        if (a.status() != 201) {
            throw new AssertionError("the fixture's registration failed: " + a);
        }
        JsonNode json = JSON.readTree(a.body());
        registeredId = json.get("client_id").asText();
        registrationToken = json.get("registration_access_token").asText();
    }

    /** Whether {@code token} is, unchanged, one this fixture was issued. */
    boolean issued(String token) {
        return accessTokens.contains(token) || refreshTokens.contains(token) || dpopTokens.contains(token);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Issued tokens, mutated ones (a flipped character, cut, extended, re-headed) and made-up strings. */
    Arbitrary<String> tokenStrings() {
        Arbitrary<String> issued = Arbitraries.of(all());
        // Not a segment's last character: its low bits may be base64 padding, so a flip there can leave the bytes alone.
        Arbitrary<String> flipped = issued.flatMap(t -> Arbitraries.integers().between(0, t.length() - 2)
                .map(i -> t.charAt(i + 1) == '.' ? Math.max(0, i - 1) : i)
                .map(i -> t.substring(0, i) + (t.charAt(i) == 'A' ? 'B' : 'A') + t.substring(i + 1)));
        Arbitrary<String> cut = issued.flatMap(t -> Arbitraries.integers().between(0, t.length() - 1).map(i -> t.substring(0, i)));
        Arbitrary<String> jwts = issued.filter(t -> t.chars().filter(c -> c == '.').count() == 2);
        List<Tuple.Tuple2<Integer, Arbitrary<String>>> kinds = List.of(
                Tuple.of(3, issued),
                Tuple.of(3, flipped),
                Tuple.of(1, cut),
                Tuple.of(1, issued.map(t -> t + "x")),
                Tuple.of(1, jwts.map(FuzzFixture::withAlgNone)),
                Tuple.of(1, jwts.map(t -> t.substring(0, t.lastIndexOf('.') + 1))),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(80)),
                Tuple.of(1, Arbitraries.strings().withChars("abcdefABCDEF0123456789-_.").ofMinLength(20).ofMaxLength(400)),
                Tuple.of(1, Arbitraries.of("", " ", "null", "undefined", "%00", "\u0000", "a".repeat(9000), "ä€𝄞", "Bearer ", "..", "e30.e30.")));
        return Arbitraries.frequencyOf(kinds);
    }

    private List<String> all() {
        List<String> all = new ArrayList<>(accessTokens);
        all.addAll(refreshTokens);
        return all;
    }

    /** The token with its header replaced by {@code {"alg":"none"}} and its signature dropped. */
    static String withAlgNone(String jwt) {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
        String[] parts = jwt.split("\\.");
        return header + "." + parts[1] + ".";
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
