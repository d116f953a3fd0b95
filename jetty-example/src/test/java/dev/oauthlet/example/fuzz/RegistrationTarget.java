package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dynamic client registration (RFC 7591/7592): generated client metadata — redirect URIs from
 * the usual attacks, grants, methods, scopes, keys, wrong types — with good, wrong, other
 * clients' and missing tokens, at the endpoint and at registration URIs, in every method and
 * content type. A {@code 2xx} only for a valid token at its own URI; a registered redirect URI is
 * always https or loopback http; every refusal an RFC 7591 / 6750 error; a 401 carries a Bearer
 * challenge.
 */
final class RegistrationTarget implements FuzzTarget {

    static final RegistrationTarget INSTANCE = new RegistrationTarget();
    static final Set<String> ERRORS = Set.of("invalid_token", "invalid_request", "invalid_redirect_uri", "invalid_client_metadata",
            "temporarily_unavailable");

    private RegistrationTarget() {
    }

    @Override
    public String name() {
        return "registration";
    }

    @Override
    public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
        String cb = FuzzFixture.CALLBACK;
        Arbitrary<List<String>> redirects = Arbitraries.of(cb, "https://app.example/cb", "javascript:alert(1)//", "data:text/html,x",
                "http://evil.example/cb", "https://app.example/cb#frag", "https://u@app.example/cb", "//evil.example", "",
                "http://[::1]/cb", "http://localhost:7/cb", "file:///etc/passwd", "HTTPS://APP.EXAMPLE/CB").list().ofMaxSize(3);
        Arbitrary<List<String>> grants = Arbitraries.of("authorization_code", "refresh_token", "client_credentials", "password",
                "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", "").list().ofMaxSize(3);
        Arbitrary<String> method = Arbitraries.of(null, "client_secret_basic", "client_secret_post", "none", "private_key_jwt",
                "client_secret_jwt", "tls_client_auth", "NONE", "");
        Arbitrary<String> scope = Arbitraries.of(null, "read", "read write", "admin", "", " read", "read  write");
        Arbitrary<String> jwksUri = Arbitraries.of(null, null, "https://127.0.0.1/jwks", "https://169.254.169.254/latest",
                "http://keys.example/jwks", "https://[::1]/k", "not a uri");
        Arbitrary<Integer> shape = Arbitraries.integers().between(0, 9);
        Arbitrary<byte[]> metadata = Combinators.combine(redirects, grants, method, scope, jwksUri, shape).as((r, g, m, s, j, sh) -> {
            ObjectNode o = FuzzFixture.JSON.createObjectNode();
            if (!r.isEmpty() || sh == 1) {
                ArrayNode a = o.putArray("redirect_uris");
                r.forEach(a::add);
            }
            if (!g.isEmpty()) {
                ArrayNode a = o.putArray("grant_types");
                g.forEach(a::add);
            }
            if (m != null) {
                o.put("token_endpoint_auth_method", m);
            }
            if (s != null) {
                o.put("scope", s);
            }
            if (j != null) {
                o.put("jwks_uri", j);
            }
            switch (sh) {
                case 2 -> o.put("grant_types", "client_credentials");
                case 3 -> o.putObject("jwks").putArray("keys").addObject().put("kty", "EC");
                case 4 -> o.put("dpop_bound_access_tokens", "yes");
                case 5 -> o.put("client_name", "x".repeat(3000));
                case 6 -> o.put("client_id", f.registeredId);
                default -> { }
            }
            return o.toString().getBytes(StandardCharsets.UTF_8);
        });
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(Tuple.of(8, metadata),
                Tuple.of(1, Arbitraries.of("", "[]", "null", "{", "{\"a\":1,\"a\":2}", "grant_type=client_credentials", "\u0000")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)));
        Arbitrary<String> auth = Arbitraries.of(null, "Bearer " + FuzzFixture.INITIAL_TOKEN, "Bearer " + FuzzFixture.INITIAL_TOKEN,
                "Bearer " + f.registrationToken, "Bearer " + f.registrationToken + "x", "bearer " + FuzzFixture.INITIAL_TOKEN,
                "Bearer", "Bearer ", "Basic " + FuzzFixture.INITIAL_TOKEN, "Bearer " + FuzzFixture.INITIAL_TOKEN.substring(1), "DPoP x");
        Arbitrary<String> path = Arbitraries.of("/oauth/register", "/oauth/register", "/oauth/register/" + f.registeredId,
                "/oauth/register/" + f.registeredId, "/oauth/register/app", "/oauth/register/", "/oauth/register/x/y",
                "/oauth/register/%2e%2e", "/oauth/register?x=1", "/oauth/register/" + f.registeredId + "%00");
        Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("POST")),
                Tuple.of(3, Arbitraries.of("GET", "PUT", "DELETE")), Tuple.of(1, Arbitraries.of("PATCH", "HEAD", "OPTIONS", "TRACE", "FOO")));
        Arbitrary<String> type = Arbitraries.of("application/json", "application/json", "application/json; charset=UTF-8", null,
                "application/x-www-form-urlencoded", "text/plain");
        Arbitrary<Boolean> twoHeaders = Arbitraries.of(false, false, false, true);
        return Combinators.combine(body, auth, path, verb, type, twoHeaders).as((b, a, p, v, t, two) -> {
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            if (a != null) {
                headers.add(Map.entry("Authorization", a));
                if (two) {
                    headers.add(Map.entry("Authorization", a));
                }
            }
            if (t != null) {
                headers.add(Map.entry("Content-Type", t));
            }
            boolean atEndpoint = p.equals("/oauth/register") || p.equals("/oauth/register?x=1");
            boolean atOwnUri = p.equals("/oauth/register/" + f.registeredId);
            // RFC 6750 §2.1: the scheme is case-insensitive.
            boolean goodToken = !two && a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)
                    && a.substring(7).strip().equals(atEndpoint ? FuzzFixture.INITIAL_TOKEN : f.registrationToken);
            boolean mayEarn = goodToken && (atEndpoint ? v.equals("POST") : atOwnUri && Set.of("GET", "PUT", "DELETE").contains(v));
            boolean hasBody = !v.equals("GET") && !v.equals("HEAD");
            return new FuzzRequest(v, p, headers, hasBody ? b : null, mayEarn, "registration");
        });
    }

    @Override
    public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
        if (a.status() >= 200 && a.status() < 300) {
            assertTrue(request.mayEarn(), () -> "a registration answer without a valid token: " + request + " -> " + a);
            if (a.status() == 204) {
                return;
            }
            JsonNode json = FuzzFixture.JSON.readTree(a.body());
            assertNotNull(json.get("client_id"), () -> "no client_id: " + a);
            for (JsonNode uri : json.path("redirect_uris")) {
                URI u = URI.create(uri.asText());
                assertTrue("https".equals(u.getScheme()) || "http".equals(u.getScheme()) && Set.of("127.0.0.1", "localhost", "[::1]")
                        .contains(u.getHost()), () -> "a dangerous redirect URI was registered: " + request + " -> " + a);
            }
            if (a.status() == 201) {
                assertEquals("POST", request.method(), () -> "201 not for a POST: " + a);
                assertNotNull(json.get("registration_access_token"), () -> "no registration_access_token: " + a);
            }
            return;
        }
        if (a.status() == 204 || "OPTIONS".equals(request.method()) && a.status() == 403) {
            return;
        }
        assertTrue(a.status() >= 400 && a.status() < 500, () -> "not a client error: " + a);
        if ("HEAD".equals(request.method())) {
            return;
        }
        assertTrue(String.valueOf(a.header("content-type")).startsWith("application/json"), () -> "not JSON: " + request + " -> " + a);
        JsonNode json = FuzzFixture.JSON.readTree(a.body());
        assertTrue(json.has("error") && ERRORS.contains(json.get("error").asText()), () -> "unknown error code: " + request + " -> " + a);
        assertFalse(a.body().contains("registration_access_token") || a.body().contains("client_secret\""),
                () -> "a credential in an error: " + a);
        if (a.status() == 401) {
            assertTrue(String.valueOf(a.header("www-authenticate")).startsWith("Bearer"), () -> "401 without a Bearer challenge: " + a);
        }
    }
}
