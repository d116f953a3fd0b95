package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints that take no client credentials: the logout page ({@code endpoints.end-session}),
 * the health check, and a resource's RFC 9728 document next to the server's RFC 8414 one.
 */
final class PageTargets {

    private PageTargets() {
    }

    private static final Arbitrary<String> OTHER_VERBS = Arbitraries.of("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "post", "FOO");

    /** Nothing extra, or one or two of {@link ClientRequests#extraHeaders()}, which must change nothing here or be refused. */
    private static Arbitrary<List<Map.Entry<String, String>>> noise() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(List.<Map.Entry<String, String>>of())),
                Tuple.of(1, ClientRequests.extraHeaders().map(l -> l.stream().map(e -> Map.entry(e.getKey(), e.getValue().getKey())).toList())));
    }

    private static void assertAllowHeaderOn405(RawHttp.Answer a) {
        if (a.status() == 405) {
            assertNotNull(a.header("allow"), () -> "405 without Allow: " + a);
        }
    }

    /**
     * The logout page, with alice's real session, a forged or missing one, and every CSRF token
     * but the real one (the fuzzer never reads it), and RP-initiated logout's parameters
     * ({@link OpenIdTargets#logoutQueries}) in the query or a form: it must never end the session
     * (the genuine hints are bob's), never redirect off this server but to the hint's client's
     * registered URI with the request's {@code state} — and there always for a bare GET that earns it —
     * and answer with a page.
     */
    static final FuzzTarget LOGOUT = new FuzzTarget() {
        @Override
        public String name() {
            return "logout";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            String name = f.session.substring(0, f.session.indexOf('='));
            Arbitrary<String> cookie = Arbitraries.of(null, f.session, f.session, name + "=garbage", name + "=", f.session + "; " + name + "=x",
                    name + "=x; " + f.session, f.session + "x", "__Host-" + f.session, "JSESSIONID=1");
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("GET")), Tuple.of(4, Arbitraries.just("POST")),
                    Tuple.of(1, OTHER_VERBS));
            Arbitrary<String> rp = OpenIdTargets.logoutQueries(f);
            // A relying party may post its logout request as a form (RP-Initiated Logout §2), with or without a CSRF token.
            Arbitrary<String> body = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of("", "csrf_token=forged", "csrf_token=",
                    "csrf_token=a&csrf_token=b", "action=logout", "csrf_token=%zz", "csrf_token=" + "x".repeat(5000), "\u0000\u00ff",
                    "{\"csrf_token\":\"x\"}")), Tuple.of(2, rp.map(q -> q.replaceFirst("^\\?", ""))),
                    Tuple.of(1, rp.map(q -> q.replaceFirst("^\\?", "") + "&csrf_token=forged")));
            Arbitrary<String> type = Arbitraries.of(FuzzFixture.FORM, FuzzFixture.FORM, "text/plain", "application/json", null);
            Arbitrary<String> query = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("", "", "?post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F",
                    "?%zz", "?id_token_hint=e30.e30.", "?state=x&client_id=web")), Tuple.of(3, rp));
            Arbitrary<String> origin = Arbitraries.of(null, null, "https://evil.example", "null");
            return Combinators.combine(cookie, verb, body, type, query, origin, noise()).as((c, v, b, t, q, o, extra) -> {
                List<Map.Entry<String, String>> h = new ArrayList<>();
                if (c != null) {
                    h.add(Map.entry("Cookie", c));
                }
                if (t != null && !v.equals("GET")) {
                    h.add(Map.entry("Content-Type", t));
                }
                if (o != null) {
                    h.add(Map.entry("Origin", o));
                }
                h.addAll(extra);
                byte[] bytes = v.equals("GET") ? null : b.getBytes(StandardCharsets.UTF_8);
                return new FuzzRequest(v, "/oauth/logout" + q, h, bytes, false, "logout");
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) {
            for (Map.Entry<String, String> h : a.headers()) {
                assertFalse(h.getKey().equals("set-cookie") && h.getValue().contains("Max-Age=0"),
                        () -> "signed out without the session's CSRF token: " + request + " -> " + a);
            }
            String location = a.header("location");
            boolean here = location == null || location.startsWith("/") && !location.startsWith("//")
                    || location.startsWith("http://127.0.0.1:" + f.port() + "/");
            String earned = OpenIdTargets.earnedLocation(f, request);
            if (!here) {
                // Off this server only to the hint's client's registered URI, exactly, with the request's own state.
                assertEquals(earned, location, () -> "redirected elsewhere: " + request + " -> " + a);
            }
            if (earned != null && request.method().equals("GET") && request.headers().isEmpty()) {
                assertEquals(303, a.status(), () -> "a valid RP-initiated logout was not sent back: " + request + " -> " + a);
                assertEquals(earned, location, () -> "sent back elsewhere: " + request + " -> " + a);
            }
            if ((a.status() == 200 || a.status() == 403 || a.status() == 400) && !request.method().equals("HEAD")
                    && a.header("content-type") != null && a.header("content-type").startsWith("text/html")) {
                assertTrue(a.body().contains("<html"), () -> "not a page: " + a);
            }
            assertAllowHeaderOn405(a);
        }
    };

    /** The health check: {@code 200 UP} for GET and HEAD whatever else the request carries, 405 for other methods, never more. */
    static final FuzzTarget HEALTH = new FuzzTarget() {
        @Override
        public String name() {
            return "health";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> path = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("/health", "/health?x=1", "/health?verbose=true")),
                    Tuple.of(2, Arbitraries.of("/health/", "/HEALTH", "/health/../health", "/health;x=1", "/health%2F", "/healthz", "/health%00",
                            "/health?%zz")));
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("GET")), Tuple.of(2, Arbitraries.just("HEAD")),
                    Tuple.of(2, Arbitraries.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")));
            Arbitrary<String> auth = Arbitraries.of(null, null, null, "Bearer e30.e30.sig", "Basic Og==", "DPoP x");
            return Combinators.combine(path, verb, auth, noise()).as((p, v, au, extra) -> {
                List<Map.Entry<String, String>> h = new ArrayList<>();
                if (au != null) {
                    h.add(Map.entry("Authorization", au));
                }
                h.addAll(extra);
                boolean plain = extra.isEmpty() && (v.equals("GET") || v.equals("HEAD"))
                        && List.of("/health", "/health?x=1", "/health?verbose=true").contains(p);
                return new FuzzRequest(v, p, h, v.equals("GET") || v.equals("HEAD") ? null : new byte[0], plain, "health");
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
            if (request.mayEarn()) {
                assertEquals(200, a.status(), () -> "the health check did not answer: " + request + " -> " + a);
            }
            if (a.status() == 200) {
                assertEquals("no-store", a.header("cache-control"), () -> "a cacheable health answer: " + a);
                if (!request.method().equals("HEAD")) {
                    assertTrue(String.valueOf(a.header("content-type")).startsWith("application/json"), () -> "not JSON: " + a);
                    JsonNode json = FuzzFixture.JSON.readTree(a.body());
                    assertEquals("UP", json.path("status").asText(), () -> "not UP: " + a);
                    assertEquals(List.of("checks", "status"), sorted(json), () -> "more than the status: " + a);
                }
            }
            assertAllowHeaderOn405(a);
        }

        private List<String> sorted(JsonNode json) {
            List<String> names = new ArrayList<>();
            json.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            return names;
        }
    };

    /**
     * The protected resource's RFC 9728 document (and the server's RFC 8414 one): public, so a
     * GET is answered whatever Authorization it carries, with this resource and this issuer and no
     * other; no CORS for an origin nobody configured.
     */
    static final FuzzTarget RESOURCE_METADATA = new FuzzTarget() {
        @Override
        public String name() {
            return "resource-metadata";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            String doc = FuzzFixture.METADATA_PATH;
            Arbitrary<String> path = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(doc, doc + "?x=1")),
                    Tuple.of(3, Arbitraries.of(doc + "/", "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/",
                            "/.well-known/oauth-protected-resource/ORDERS", doc + "/../orders", "/.well-known/oauth-protected-resource/%6frders",
                            "/.well-known/oauth-protected-resource/stock", "/.well-known/oauth-protected-resource/api", doc + "%00", doc + ";x",
                            "/.well-known/oauth-authorization-server", "/.well-known/oauth-authorization-server/orders",
                            "/.well-known/openid-configuration")));
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("GET")), Tuple.of(1, Arbitraries.just("HEAD")),
                    Tuple.of(1, Arbitraries.just("OPTIONS")), Tuple.of(1, Arbitraries.of("POST", "PUT", "DELETE", "TRACE", "PATCH")));
            Arbitrary<String> auth = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((String) null)),
                    Tuple.of(1, Arbitraries.of("Bearer e30.e30.sig", "Bearer", "DPoP x", "Basic Og==")),
                    Tuple.of(1, f.tokenStrings().map(t -> ("Bearer " + t).replaceAll("[\\r\\n]", ""))));
            Arbitrary<String> origin = Arbitraries.of(null, null, "https://evil.example");
            return Combinators.combine(path, verb, auth, origin, noise()).as((p, v, au, o, extra) -> {
                List<Map.Entry<String, String>> h = new ArrayList<>();
                if (au != null) {
                    h.add(Map.entry("Authorization", au));
                }
                if (o != null) {
                    h.add(Map.entry("Origin", o));
                    if (v.equals("OPTIONS")) {
                        h.add(Map.entry("Access-Control-Request-Method", "GET"));
                    }
                }
                h.addAll(extra);
                // A token header, even a huge or broken one, changes nothing for a public document; an oversized one is a 431,
                // and one with a control character (RFC 9110 §5.5: not a field value) a 400 before any servlet (FuzzFindingsTest).
                boolean plain = (p.equals(doc) || p.equals(doc + "?x=1")) && (v.equals("GET") || v.equals("HEAD")) && extra.isEmpty()
                        && (au == null || au.length() < 4000 && au.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f));
                return new FuzzRequest(v, p, h, v.equals("GET") || v.equals("HEAD") || v.equals("OPTIONS") ? null : new byte[0], plain,
                        "resource-metadata");
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
            if (request.mayEarn()) {
                assertEquals(200, a.status(), () -> "the public document was not served: " + request + " -> " + a);
            }
            if (a.status() == 200 && !request.method().equals("HEAD") && !request.method().equals("OPTIONS")) {
                assertTrue(String.valueOf(a.header("content-type")).startsWith("application/json"), () -> "not JSON: " + a);
                JsonNode json = FuzzFixture.JSON.readTree(a.body());
                if (request.target().startsWith("/.well-known/oauth-protected-resource")) {
                    assertEquals(FuzzFixture.RESOURCE_A, json.path("resource").asText(), () -> "another resource's document: " + a);
                    assertEquals("[\"" + f.issuer() + "\"]", json.path("authorization_servers").toString(), () -> "another server: " + a);
                } else {
                    assertEquals(f.issuer(), json.path("issuer").asText(), () -> "another issuer: " + a);
                }
                assertFalse(a.body().contains("access_token\""), () -> "a token in a document: " + a);
            }
            assertNull(a.header("access-control-allow-origin"), () -> "CORS for an origin never configured: " + request + " -> " + a);
            assertAllowHeaderOn405(a);
        }
    };
}
