package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.example.fuzz.ClientRequests.Draft;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.Combinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints under fuzzing, one {@link FuzzTarget} each. */
final class Targets {

    /** RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 6750 §3.1, RFC 8707 §2 and RFC 9449 §5 codes, plus the ones Oauthlet documents. */
    static final Set<String> ERROR_CODES = Set.of("invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
            "unsupported_grant_type", "invalid_scope", "unsupported_token_type", "temporarily_unavailable", "access_denied",
            "invalid_target", "invalid_dpop_proof", "use_dpop_nonce");

    private Targets() {
    }

    /** An RFC 6749 §5.2 error: JSON, a known code, a description of allowed characters, no-store. */
    static void assertOAuthError(FuzzRequest request, RawHttp.Answer a) throws Exception {
        assertTrue(a.status() >= 400 && a.status() < 500, () -> "not a client error: " + a);
        if ("HEAD".equals(request.method())) {
            return;
        }
        assertNotNull(a.header("content-type"), () -> "no Content-Type: " + a);
        assertTrue(a.header("content-type").toLowerCase().startsWith("application/json"), () -> "not JSON: " + a);
        JsonNode json = FuzzFixture.JSON.readTree(a.body());
        assertTrue(json.has("error") && ERROR_CODES.contains(json.get("error").asText()), () -> "unknown error code: " + a);
        if (json.has("error_description")) {
            // RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E.
            assertTrue(json.get("error_description").asText().matches("[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"), () -> "description: " + a);
        }
        assertFalse(a.body().contains("access_token"), () -> "a token in an error: " + a);
        if (a.status() == 401 && !request.authorizations().isEmpty() && request.authorizations().get(0).startsWith("Basic")) {
            assertNotNull(a.header("www-authenticate"), () -> "401 without a challenge: " + a);
        }
    }

    /** The resources {@link FuzzFixture#CLIENT} may name with {@code resource}. */
    static final List<String> CLIENT_RESOURCES = List.of(FuzzFixture.RESOURCE_A, FuzzFixture.RESOURCE_B);

    /**
     * {@code resource} values (RFC 8707): mostly none; the client's own, once, repeated or both;
     * and every way one is wrong — another client's, relative, with a fragment, a plain name, a
     * near miss in case or path, garbage.
     */
    static Arbitrary<List<String>> resources() {
        Arbitrary<String> own = Arbitraries.of(CLIENT_RESOURCES);
        Arbitrary<String> wrong = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(FuzzFixture.RESOURCE_OTHER, "/orders", "orders", "api", FuzzFixture.RESOURCE_A + "#x",
                        FuzzFixture.RESOURCE_A + "/", "HTTPS://API.FUZZ.TEST/orders", "https://api.fuzz.test/billing/../orders",
                        "urn:fuzz:orders", " " + FuzzFixture.RESOURCE_A, "https://evil.example/orders", "", "%zz", "https://")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of())),
                Tuple.of(3, own.list().ofMinSize(1).ofMaxSize(3)),
                Tuple.of(2, Combinators.combine(own.list().ofMaxSize(1), wrong.list().ofMinSize(1).ofMaxSize(2)).as((a, b) -> {
                    List<String> all = new ArrayList<>(a);
                    all.addAll(b);
                    return all;
                })));
    }

    /** The token endpoint: every grant, good and bad credentials, scopes, refresh tokens, resource indicators. */
    static final FuzzTarget TOKEN = new FuzzTarget() {
        @Override
        public String name() {
            return "token";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> scope = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just((String) null)),
                    Tuple.of(4, Arbitraries.of(FuzzFixture.SCOPES_OK)),
                    Tuple.of(2, Arbitraries.of("admin", "read admin", "READ", "read,write", "openid", "read\twrite")));
            Arbitrary<String> password = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(FuzzFixture.PASSWORD)),
                    Tuple.of(1, Arbitraries.of("wrong", FuzzFixture.PASSWORD.toUpperCase(), FuzzFixture.PASSWORD + " ", "")));
            Arbitrary<String> user = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(FuzzFixture.USER)),
                    Tuple.of(1, Arbitraries.of("ALICE", "bob", "alice ", "", "alice\u0000")));
            Arbitrary<List<String>> resource = resources();
            Arbitrary<Draft> drafts = Arbitraries.oneOf(
                    Combinators.combine(scope, resource).as((s, r) -> Draft.of(ok(s), "client_credentials",
                            "grant_type", "client_credentials", "scope", s).with("resource", r, allowed(r, CLIENT_RESOURCES), "resource " + r)),
                    Combinators.combine(user, password, scope, resource).as((u, p, s, r) -> Draft.of(
                            u.equals(FuzzFixture.USER) && p.equals(FuzzFixture.PASSWORD) && ok(s), "password",
                            "grant_type", "password", "username", u, "password", p, "scope", s)
                            .with("resource", r, allowed(r, CLIENT_RESOURCES), "resource " + r)),
                    // A refresh may narrow the resources its grant holds, never widen them (RFC 8707 §2.2).
                    Combinators.combine(f.tokenStrings(), scope, resource).as((t, s, r) -> Draft.of(
                            f.refreshTokens.contains(t) && ok(s), "refresh_token", "grant_type", "refresh_token", "refresh_token", t, "scope", s)
                            .with("resource", r, allowed(r, f.refreshResources.getOrDefault(t, List.of())), "resource " + r)),
                    f.tokenStrings().map(t -> Draft.of(false, "authorization_code", "grant_type", "authorization_code", "code", t,
                            "redirect_uri", FuzzFixture.CALLBACK, "code_verifier", "v".repeat(43))),
                    Arbitraries.strings().ofMaxLength(40).map(g -> Draft.of(false, "grant " + g, "grant_type", "x" + g)),
                    Arbitraries.just(Draft.of(false, "no grant_type", "scope", "read")));
            return ClientRequests.requests("/oauth/token", drafts);
        }

        private boolean ok(String scope) {
            return scope == null || FuzzFixture.SCOPES_OK.contains(scope);
        }

        /** Whether every {@code resource} value may be granted from {@code allowed}; an empty value counts as omitted (RFC 6749 §3.1). */
        private boolean allowed(List<String> resources, List<String> allowed) {
            return resources.stream().allMatch(r -> r.isEmpty() || allowed.contains(r));
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
            if (a.status() == 200) {
                assertTrue(request.mayEarn(), () -> "a token for an invalid request: " + request + " -> " + a);
                JsonNode json = FuzzFixture.JSON.readTree(a.body());
                assertTrue(json.has("access_token") && json.has("token_type"), () -> "a 200 without a token: " + a);
                return;
            }
            assertOAuthError(request, a);
        }
    };

    /** RFC 7009 revocation: any token string, any authentication; 200 only for an authenticated client. */
    static final FuzzTarget REVOCATION = tokenManagement("revocation", "/oauth/revoke", (f, request, a) -> {
        assertEquals("", a.body(), () -> "revocation answers 200 with an empty body: " + a);
    });

    /** RFC 7662 introspection: {@code active: true} only for a token the server issued, unchanged. */
    static final FuzzTarget INTROSPECTION = tokenManagement("introspection", "/oauth/introspect", (f, request, a) -> {
        JsonNode json = FuzzFixture.JSON.readTree(a.body());
        assertTrue(json.has("active") && json.get("active").isBoolean(), () -> "no active member: " + a);
        if (json.get("active").asBoolean()) {
            String token = request.note().substring(request.note().indexOf('\u0001') + 1, request.note().lastIndexOf('\u0001'));
            assertTrue(f.issued(token), () -> "active for a token never issued: " + request + " -> " + a);
        }
    });

    private interface SuccessCheck {
        void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception;
    }

    private static FuzzTarget tokenManagement(String name, String path, SuccessCheck success) {
        return new FuzzTarget() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
                Arbitrary<String> hint = Arbitraries.of(null, null, "access_token", "refresh_token", "id_token", "");
                // The token rides in the note between \u0001 markers, so the introspection check can read it back.
                Arbitrary<Draft> drafts = Combinators.combine(f.tokenStrings(), hint).as((t, h) -> Draft.of(true,
                        name + " \u0001" + t + "\u0001", "token", t, "token_type_hint", h));
                return Arbitraries.oneOf(ClientRequests.requests(path, drafts),
                        ClientRequests.requests(path, Arbitraries.just(Draft.of(false, name + " without token \u0001\u0001", "token_type_hint", "access_token"))));
            }

            @Override
            public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
                if (a.status() == 200) {
                    assertTrue(request.mayEarn(), () -> "200 for an invalid request: " + request + " -> " + a);
                    success.check(f, request, a);
                    return;
                }
                assertOAuthError(request, a);
            }
        };
    }

    /**
     * The authorization endpoint, with OpenID Connect's request parameters ({@code prompt},
     * {@code max_age}, {@code acr_values}, {@code nonce}, {@code login_hint}, {@code id_token_hint}),
     * without a browser session or with alice's: never a redirect anywhere but the registered
     * redirect URI (or this server), never a token, and a code only for alice's signed-in session.
     */
    static final FuzzTarget AUTHORIZATION = new FuzzTarget() {
        @Override
        public String name() {
            return "authorization";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            String cb = FuzzFixture.CALLBACK;
            Arbitrary<String> redirect = Arbitraries.of(null, cb, "HTTP://127.0.0.1:9/cb", "http://127.0.0.1:9/CB", cb + "?x=1", cb + "/..;/evil",
                    "http://127.0.0.1:9@evil.example/cb", "http://evil.example@127.0.0.1:9/cb", "javascript:alert(1)//", "data:text/html,x",
                    cb + "#frag", cb + "/", "http://127.0.0.1:90/cb", "//evil.example/cb", "http://127.0.0.1:9/cb%2f..", "");
            Arbitrary<String> client = Arbitraries.of(FuzzFixture.WEB, FuzzFixture.WEB, FuzzFixture.CLIENT, FuzzFixture.RP, "nobody", "", "WEB");
            Arbitrary<String> responseType = Arbitraries.of("code", "code", "token", "id_token", "code token", "", null);
            Arbitrary<String> challenge = Arbitraries.of("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "short", null, "");
            Arbitrary<String> method = Arbitraries.of("S256", "plain", "S512", null);
            Arbitrary<String> state = Arbitraries.strings().ofMaxLength(30).injectNull(0.3);
            Arbitrary<String> scope = Arbitraries.of("read", "read write", "admin", null, "openid", "openid email", "openid read");
            Arbitrary<List<String>> params = Combinators.combine(client, redirect, responseType, challenge, method, state, scope, resources())
                    .as((c, r, t, ch, m, s, sc, res) -> {
                        List<String> p = new ArrayList<>();
                        add(p, "client_id", c);
                        add(p, "redirect_uri", r);
                        add(p, "response_type", t);
                        add(p, "code_challenge", ch);
                        add(p, "code_challenge_method", m);
                        add(p, "state", s);
                        add(p, "scope", sc);
                        res.forEach(v -> add(p, "resource", v));
                        return p;
                    });
            Arbitrary<String> rawTail = Arbitraries.of("", "", "&client_id=web", "&%zz", "&redirect_uri=%C3%28", "&a=" + "b".repeat(5000), "&&&=");
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("GET")),
                    Tuple.of(2, Arbitraries.just("POST")), Tuple.of(1, Arbitraries.of("PUT", "DELETE", "TRACE", "OPTIONS", "HEAD")));
            Arbitrary<String> login = Arbitraries.of("action=login&username=alice&password=alice-password",
                    "action=consent&decision=allow", "action=login&csrf=forged&username=alice&password=alice-password", "", "%zz");
            // The pages' language, and headers that claim a user: none of them signs anyone in.
            Arbitrary<Map.Entry<String, String>> extra = Arbitraries.of(Map.entry("Accept-Language", "de-DE,de;q=0.9"),
                    Map.entry("Accept-Language", "*;q=0, @@@;q=x"), Map.entry("Accept-Language", "en;q=0." + "9".repeat(400)),
                    Map.entry("Remote-User", FuzzFixture.USER), Map.entry("X-Forwarded-User", FuzzFixture.USER),
                    Map.entry("X-Remote-User", FuzzFixture.USER)).injectNull(0.5);
            // alice's signed-in session (first-party rp then issues codes without a page), or none.
            Arbitrary<String> cookie = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, Arbitraries.just(f.session)));
            return Combinators.combine(params, openIdParameters(f), rawTail, verb, login, extra, cookie).as((p, oidc, tail, v, body, h, c) -> {
                String query = String.join("&", p) + oidc + tail;
                String target = "/oauth/authorize" + (query.isEmpty() ? "" : "?" + query);
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                if (h != null) {
                    headers.add(h);
                }
                if (!c.isEmpty()) {
                    headers.add(Map.entry("Cookie", c));
                }
                byte[] b = null;
                if (v.equals("POST")) {
                    headers.add(Map.entry("Content-Type", FuzzFixture.FORM));
                    b = (query + "&" + body).getBytes(StandardCharsets.UTF_8);
                }
                return new FuzzRequest(v, target, headers, b, false, c.isEmpty() ? "authorize" : "authorize, alice's session");
            });
        }

        /**
         * OpenID Connect's parameters (Core §3.1.2.1), each mostly absent: valid values, repeated,
         * out of range, markup, control characters and oversized ones; genuine, forged and garbage
         * {@code id_token_hint}s.
         */
        private Arbitrary<String> openIdParameters(FuzzFixture f) {
            Arbitrary<String> prompt = Arbitraries.of("none", "login", "consent", "select_account", "none login", "none consent",
                    "login consent", "bogus", "", " none", "NONE").injectNull(0.6);
            Arbitrary<String> maxAge = Arbitraries.of("0", "1", "3600", "-1", "x", "1.5", "99999999999999999999", "").injectNull(0.75);
            Arbitrary<String> acr = Arbitraries.frequencyOf(
                    Tuple.of(3, Arbitraries.of("1", "2", "2 1", "urn:mace:incommon:iap:silver", "1  2", "", " ")),
                    Tuple.of(2, Arbitraries.of("\"><script>alert(1)</script>", "1\n2", "1\u00002", "\u00e9", "a".repeat(2001), "%zz")),
                    Tuple.of(1, Arbitraries.strings().ofMaxLength(40))).injectNull(0.5);
            Arbitrary<String> nonce = Arbitraries.of("n-1", "", "n".repeat(600), "<b>").injectNull(0.5);
            Arbitrary<String> loginHint = Arbitraries.of(FuzzFixture.USER, FuzzFixture.BOB, "\"><img src=x>", "").injectNull(0.8);
            Arbitrary<String> hint = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(f.idTokens)), Tuple.of(1, Arbitraries.of(f.forgedIdTokens)),
                    Tuple.of(1, Arbitraries.of("e30.e30.", "x", ""))).injectNull(0.8);
            Arbitrary<Boolean> twice = Arbitraries.of(false, false, false, true);
            return Combinators.combine(prompt, maxAge, acr, nonce, loginHint, hint, twice).as((pr, ma, ac, no, lh, ih, tw) -> {
                List<String> p = new ArrayList<>();
                add(p, "prompt", pr);
                add(p, "max_age", ma);
                add(p, "acr_values", ac);
                if (tw && ac != null) {
                    add(p, "acr_values", "2");          // a repeated parameter: invalid_request (RFC 6749 §3.1)
                }
                add(p, "nonce", no);
                add(p, "login_hint", lh);
                add(p, "id_token_hint", ih);
                return p.isEmpty() ? "" : "&" + String.join("&", p);
            });
        }

        private void add(List<String> p, String name, String value) {
            if (value != null) {
                p.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) {
            assertTrue(a.status() < 500, () -> "server error: " + a);
            String location = a.header("location");
            if (location != null) {
                boolean home = location.startsWith("/") && !location.startsWith("//")
                        || location.startsWith("http://127.0.0.1:" + f.port() + "/");
                assertTrue(home || location.startsWith(FuzzFixture.CALLBACK + "?"), () -> "redirected elsewhere: " + request + " -> " + a);
                boolean signedIn = request.headers().stream().anyMatch(h -> h.getKey().equals("Cookie") && h.getValue().equals(f.session));
                assertFalse(!signedIn && location.contains("code=") && !location.contains("error="), () -> "a code without a login: " + a);
                if (location.contains("code=") && !location.contains("error=")) {
                    assertTrue(location.startsWith(FuzzFixture.CALLBACK + "?code="), () -> "a code elsewhere: " + request + " -> " + a);
                }
                assertFalse(location.contains("access_token"), () -> "a token in a redirect: " + a);
            }
            assertFalse(a.body().contains("access_token\""), () -> "a token in a page: " + a);
        }
    };

    /**
     * A resource behind the Bearer filter: 200 only for exactly one {@code Authorization: Bearer}
     * header carrying an access token the server issued, unchanged; every refusal RFC 6750.
     */
    static final FuzzTarget RESOURCE = new FuzzTarget() {
        @Override
        public String name() {
            return "resource";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            // DPoP (RFC 9449 §7.1) with the fuzz's unbound tokens, with or without a (garbage) proof: always refused.
            Arbitrary<String> scheme = Arbitraries.of("Bearer ", "Bearer ", "Bearer ", "bearer ", "BEARER ", "Bearer  ", "Basic ", "Bearer", "", "Token ",
                    "DPoP ", "dpop ");
            Arbitrary<List<Map.Entry<String, String>>> headers = Combinators.combine(scheme, f.tokenStrings(), Arbitraries.integers().between(0, 9))
                    .as((s, t, shape) -> {
                        List<Map.Entry<String, String>> h = new ArrayList<>();
                        String value = (s + t).replaceAll("[\\r\\n]", "");
                        switch (shape) {
                            case 0 -> { }
                            case 1 -> {
                                h.add(Map.entry("Authorization", value));
                                h.add(Map.entry("Authorization", value));
                            }
                            case 2 -> {
                                h.add(Map.entry("Authorization", value));
                                h.add(Map.entry("DPoP", "e30.e30.sig"));
                            }
                            default -> h.add(Map.entry("Authorization", value));
                        }
                        return h;
                    });
            Arbitrary<String> query = Arbitraries.of("", "", "?access_token=x", "?%zz", "?a=%C3%28", "?a=1&a=2");
            Arbitrary<String> path = Arbitraries.of("/api/me", "/api/me", "/api/", "/api/../api/me", "/api/%2e%2e/me", "/api;x/me", "/API/me");
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("GET")),
                    Tuple.of(1, Arbitraries.of("POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH")));
            return Combinators.combine(headers, path, query, verb).as((h, p, q, v) -> {
                String auth = h.size() == 1 || (h.size() == 2 && h.get(1).getKey().equals("DPoP")) ? h.get(0).getValue() : null;
                // RFC 6750 §2.1: "Bearer" 1*SP b64token, the scheme case-insensitive.
                boolean valid = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                        && f.accessTokens.contains(auth.substring(7).replaceFirst("^ +", ""));
                return new FuzzRequest(v, p + q, h, v.equals("GET") || v.equals("HEAD") ? null : new byte[0], valid, "resource");
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) {
            assertTrue(a.status() < 500, () -> "server error: " + request + " -> " + a);
            if (a.status() == 200 && request.target().startsWith("/api/")) {
                assertTrue(request.mayEarn(), () -> "the resource without a valid token: " + request + " -> " + a);
            }
            if (a.status() == 401) {
                String challenge = a.header("www-authenticate");
                assertNotNull(challenge, () -> "401 without WWW-Authenticate: " + a);
                assertTrue(challenge.startsWith("Bearer") || challenge.startsWith("DPoP"), () -> "not a Bearer or DPoP challenge: " + a);
            }
        }
    };
    /**
     * {@code endpoints.metrics}: from loopback, {@code GET} and {@code HEAD} answer Prometheus text
     * whatever else the request carries (a header the container cannot parse, or too large, gets its {@code 400} or {@code 431}),
     * other methods {@code 405}; no answer holds a token or secret.
     */
    static final FuzzTarget METRICS = new FuzzTarget() {
        @Override
        public String name() {
            return "metrics";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("GET")),
                    Tuple.of(1, Arbitraries.of("POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE")));
            Arbitrary<String> query = Arbitraries.of("", "", "?name[]=oauthlet_tokens_issued_total", "?%zz", "?a=%C3%28", "?x=" + "y".repeat(500));
            Arbitrary<List<Map.Entry<String, String>>> headers = Combinators.combine(f.tokenStrings(), Arbitraries.integers().between(0, 3))
                    .as((t, shape) -> switch (shape) {
                        case 0 -> List.<Map.Entry<String, String>>of();
                        case 1 -> List.of(Map.entry("Authorization", ("Bearer " + t).replaceAll("[\\r\\n]", "")));
                        case 2 -> List.of(Map.entry("Accept", "application/openmetrics-text; version=1.0.0"));
                        default -> List.of(Map.entry("X-Forwarded-For", "203.0.113.9"));
                    });
            return Combinators.combine(verb, query, headers).as((v, q, h) ->
                    new FuzzRequest(v, "/metrics" + q, h, v.equals("GET") || v.equals("HEAD") ? null : new byte[0], false, "metrics"));
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) {
            boolean read = request.method().equals("GET") || request.method().equals("HEAD");
            if (a.status() == 400 || a.status() == 414 || a.status() == 431) {
                // What the container refuses before any servlet (a header it cannot parse, or one too large): its JSON refusal.
                assertTrue(a.body().isEmpty() || a.body().contains("\"invalid_request\""), () -> request + " -> " + a);
                return;
            }
            assertEquals(read ? 200 : 405, a.status(), () -> request + " -> " + a);
            if (read && request.method().equals("GET")) {
                assertTrue(a.header("content-type").startsWith("text/plain"), () -> "not Prometheus text: " + a);
                assertTrue(a.body().contains("oauthlet_tokens_issued_total"), () -> "no meters: " + a);
            }
            for (String token : f.accessTokens) {
                assertFalse(a.body().contains(token), () -> "a token in the metrics: " + a);
            }
            assertFalse(a.body().contains(FuzzFixture.SECRET) || a.body().contains(FuzzFixture.PASSWORD), () -> "a secret in the metrics: " + a);
        }
    };
}
