package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import dev.oauthlet.example.HandMadeJwts;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenID Connect at the fuzzer: the userinfo endpoint ({@code endpoints.userinfo}) with Bearer
 * and DPoP tokens with and without {@code openid}, and the RP-initiated logout parameters that
 * {@link PageTargets#LOGOUT} mixes into its requests ({@link #logoutQueries}).
 */
final class OpenIdTargets {

    private OpenIdTargets() {
    }

    private static final String USERINFO_PATH = "/oauth/userinfo";

    /**
     * The userinfo endpoint: 200 only for one {@code Authorization} header with an issued
     * {@code openid} token — Bearer, or DPoP with a proof of its key — and then alice's {@code sub}
     * and email, {@code no-store}; a GET with such a Bearer token always gets it. A token without
     * {@code openid} is {@code 403 insufficient_scope}; everything else a 401 with a challenge, a 400
     * or a 405 with {@code Allow}; no refusal carries a claim.
     */
    static final FuzzTarget USERINFO = new FuzzTarget() {
        @Override
        public String name() {
            return "userinfo";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> scheme = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("Bearer ")), Tuple.of(3, Arbitraries.just("DPoP ")),
                    Tuple.of(2, Arbitraries.of("bearer ", "dpop ", "Basic ", "", "Bearer  ", "Token ")));
            Arbitrary<String> token = Arbitraries.frequencyOf(
                    Tuple.of(4, Arbitraries.of(f.openIdTokens)),
                    Tuple.of(3, Arbitraries.of(f.openIdDpopTokens)),
                    Tuple.of(2, Arbitraries.of(f.accessTokens)),             // no openid: 403 as Bearer
                    Tuple.of(1, Arbitraries.of(f.dpopTokens)),               // bound, no openid
                    Tuple.of(1, Arbitraries.of(f.idTokens)),                 // an ID token is no access token
                    Tuple.of(2, Arbitraries.of(f.openIdTokens).map(t -> t.substring(0, t.length() - 2) + (t.endsWith("AA") ? "BB" : "AA"))),
                    Tuple.of(1, Arbitraries.of(f.openIdTokens).map(FuzzFixture::withAlgNone)),
                    Tuple.of(2, f.tokenStrings()));
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just("GET")), Tuple.of(3, Arbitraries.just("POST")),
                    Tuple.of(1, Arbitraries.of("PUT", "DELETE", "HEAD", "OPTIONS", "TRACE", "PATCH")));
            // The proof: none, a correct one, one for another method or URL, one without ath, the fixture's replayed one.
            Arbitrary<Integer> proof = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)), Tuple.of(5, Arbitraries.just(1)),
                    Tuple.of(1, Arbitraries.of(2, 3, 4, 5)));
            Arbitrary<Integer> copies = Arbitraries.of(0, 1, 1, 1, 1, 2);
            Arbitrary<String> body = Arbitraries.of("", "", "access_token=x", "%zz", "a=" + "b".repeat(3000), "scope=openid+profile");
            Arbitrary<String> query = Arbitraries.of("", "", "", "?access_token=x", "?%zz", "?scope=profile");
            return Combinators.combine(scheme, token, verb, proof, copies, body, query).as((s, t, v, p, n, b, q) -> {
                List<Map.Entry<String, String>> h = new ArrayList<>();
                String value = (s + t).replaceAll("[\\r\\n]", "");
                for (int i = 0; i < n; i++) {
                    h.add(Map.entry("Authorization", value));
                }
                String proofValue = switch (p) {
                    case 0 -> null;
                    case 1 -> f.proof(v, USERINFO_PATH, t);
                    case 2 -> f.proof(v.equals("GET") ? "POST" : "GET", USERINFO_PATH, t);
                    case 3 -> f.proof(v, "/api/me", t);
                    case 4 -> f.proof(v, USERINFO_PATH, null);
                    default -> f.usedResourceProof;
                };
                if (proofValue != null) {
                    h.add(Map.entry("DPoP", proofValue));
                }
                byte[] bytes = null;
                if (v.equals("POST")) {
                    h.add(Map.entry("Content-Type", FuzzFixture.FORM));
                    bytes = b.getBytes(StandardCharsets.UTF_8);
                }
                // The token is read from the Authorization header only; an access_token parameter is any other parameter
                // (the resource target's convention), and the body is not read; an unbound token ignores a DPoP header, as there.
                boolean method = v.equals("GET") || v.equals("POST");
                boolean bearer = n == 1 && s.trim().equalsIgnoreCase("Bearer") && f.openIdTokens.contains(t);    // RFC 6750: the scheme in any case
                boolean dpop = n == 1 && s.trim().equalsIgnoreCase("DPoP") && f.openIdDpopTokens.contains(t) && p == 1;
                boolean valid = method && (bearer || dpop);
                return new FuzzRequest(v, USERINFO_PATH + q, h, bytes, valid, "userinfo p" + p);
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
            if (a.status() == 200 && !request.method().equals("OPTIONS")) {
                assertTrue(request.mayEarn(), () -> "userinfo without an openid token and its proof: " + request + " -> " + a);
                if (!request.method().equals("HEAD")) {
                    JsonNode json = FuzzFixture.JSON.readTree(a.body());
                    assertEquals(FuzzFixture.USER, json.path("sub").asText(), a::toString);
                    assertEquals("alice@fuzz.test", json.path("email").asText(), () -> "the email scope's claim is missing: " + a);
                }
                assertEquals("no-store", a.header("cache-control"), () -> "a cacheable userinfo answer: " + a);
            }
            // A plain GET with a live openid Bearer token must be answered.
            boolean plainBearer = request.mayEarn() && request.method().equals("GET") && request.headers().size() == 1;
            if (plainBearer) {
                assertEquals(200, a.status(), () -> "userinfo refused a valid openid token: " + request + " -> " + a);
            }
            if (a.status() == 403) {
                String challenge = String.valueOf(a.header("www-authenticate"));
                assertTrue(challenge.contains("insufficient_scope"), () -> "403 without insufficient_scope: " + a);
            }
            if (a.status() == 401) {
                String challenge = a.header("www-authenticate");
                assertNotNull(challenge, () -> "401 without WWW-Authenticate: " + a);
                assertTrue(challenge.startsWith("Bearer") || challenge.startsWith("DPoP"), () -> "not a Bearer or DPoP challenge: " + a);
            }
            if (a.status() >= 400) {
                assertFalse(a.body().contains("\"sub\"") || a.body().contains("alice@fuzz.test"), () -> "claims in a refusal: " + a);
            }
            if (a.status() == 405) {
                assertNotNull(a.header("allow"), () -> "405 without Allow: " + a);
            }
        }
    };

    /**
     * RP-initiated logout parameters for {@link PageTargets#LOGOUT}: {@code id_token_hint} as one of
     * bob's ID tokens, a forged one (signed by another key with the same kid, {@code alg: none}, HS256,
     * a flipped signature) or any token string; {@code post_logout_redirect_uri} registered or a
     * near miss; {@code state}; {@code client_id}. Each as a query string starting with {@code ?}, or empty.
     */
    static Arbitrary<String> logoutQueries(FuzzFixture f) {
        String bye = FuzzFixture.POST_LOGOUT;
        Arbitrary<String> hint = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(4, Arbitraries.of(f.idTokens)),
                Tuple.of(3, Arbitraries.of(f.forgedIdTokens)),
                Tuple.of(1, f.tokenStrings()));
        Arbitrary<String> uri = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((String) null)), Tuple.of(4, Arbitraries.just(bye)),
                Tuple.of(3, Arbitraries.of(bye.toUpperCase(), bye + "/", bye + "?x=1", bye + "#f", "https://evil.example/bye", "//evil.example/bye",
                        "javascript:alert(1)", FuzzFixture.CALLBACK, "http://127.0.0.1:9/bye", bye.replace("127.0.0.1", "localhost"), "")));
        Arbitrary<String> state = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just((String) null)),
                Tuple.of(3, Arbitraries.of("st-1", "a b&c=d", "\"><script>", "ä€")), Tuple.of(1, Arbitraries.strings().alpha().numeric().withChars(" &=?#%+\"<>/").ofMaxLength(30)));
        Arbitrary<String> client = Arbitraries.of(null, null, null, FuzzFixture.RP, FuzzFixture.WEB, "nobody");
        Arbitrary<String> tail = Arbitraries.of("", "", "", "&state=x&state=y", "&id_token_hint=x", "&post_logout_redirect_uri=" + enc(bye),
                "&%zz", "&ui_locales=de");
        return Combinators.combine(hint, uri, state, client, tail).as((h, u, s, c, t) -> {
            List<String> p = new ArrayList<>();
            add(p, "id_token_hint", h);
            add(p, "post_logout_redirect_uri", u);
            add(p, "state", s);
            add(p, "client_id", c);
            String q = String.join("&", p) + (p.isEmpty() ? t.replaceFirst("^&", "") : t);
            return q.isEmpty() ? "" : "?" + q;
        });
    }

    /** bob's ID tokens made invalid as hints: another key under the same kid, unsigned, HMAC-signed, a changed signature. */
    static List<String> forged(FuzzFixture f) {
        List<String> out = new ArrayList<>();
        for (String id : f.idTokens) {
            String[] parts = id.split("\\.");
            Map<String, Object> header = json(parts[0]);
            Map<String, Object> claims = json(parts[1]);
            RSAKey stranger = HandMadeJwts.rsaKey(String.valueOf(header.get("kid")));
            out.add(HandMadeJwts.rs256(header, claims, stranger));
            Map<String, Object> none = new LinkedHashMap<>(header);
            none.put("alg", "none");
            out.add(HandMadeJwts.unsigned(none, claims));
            Map<String, Object> hs = new LinkedHashMap<>(header);
            hs.put("alg", "HS256");
            out.add(HandMadeJwts.hs256(hs, claims, "a-secret-nobody-configured-0123456789".getBytes(StandardCharsets.UTF_8)));
            out.add(parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A') + parts[2].substring(1));
            Map<String, Object> other = new LinkedHashMap<>(claims);
            other.put("sub", FuzzFixture.USER);
            out.add(parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    write(other).getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        }
        return out;
    }

    /**
     * The location an RP-initiated logout may send the browser to for {@code request}: the
     * registered URI with the request's {@code state}, when the request carries exactly one of bob's
     * genuine ID tokens, exactly that URI, at most one {@code state}, no other client; else {@code null}.
     */
    static String earnedLocation(FuzzFixture f, FuzzRequest request) {
        Map<String, List<String>> p = parameters(request);
        if (p == null) {
            return null;
        }
        List<String> hint = p.getOrDefault("id_token_hint", List.of());
        List<String> uri = p.getOrDefault("post_logout_redirect_uri", List.of());
        List<String> state = p.getOrDefault("state", List.of());
        List<String> client = p.getOrDefault("client_id", List.of());
        if (hint.size() != 1 || !f.idTokens.contains(hint.get(0)) || !uri.equals(List.of(FuzzFixture.POST_LOGOUT)) || state.size() > 1
                || client.size() > 1 || client.size() == 1 && !client.get(0).isEmpty() && !client.get(0).equals(FuzzFixture.RP)) {
            return null;
        }
        String s = state.isEmpty() || state.get(0).isEmpty() ? null : state.get(0);
        return s == null ? FuzzFixture.POST_LOGOUT : FuzzFixture.POST_LOGOUT + "?state=" + enc(s);
    }

    /** The query's parameters, and a form body's for a form POST; {@code null} when one does not decode. */
    private static Map<String, List<String>> parameters(FuzzRequest request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int q = request.target().indexOf('?');
        try {
            if (q >= 0) {
                decode(request.target().substring(q + 1), out);
            }
            String type = request.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Type")).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            if (request.method().equals("POST") && FuzzFixture.FORM.equals(type) && request.body() != null) {
                decode(new String(request.body(), StandardCharsets.UTF_8), out);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return out;
    }

    private static void decode(String s, Map<String, List<String>> out) {
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
    }

    private static void add(List<String> p, String name, String value) {
        if (value != null) {
            p.add(name + "=" + enc(value));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String segment) {
        try {
            return FuzzFixture.JSON.readValue(Base64.getUrlDecoder().decode(segment), LinkedHashMap.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Map<String, Object> m) {
        try {
            return FuzzFixture.JSON.writeValueAsString(m);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
