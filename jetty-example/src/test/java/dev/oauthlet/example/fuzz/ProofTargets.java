package dev.oauthlet.example.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.oauthlet.example.HandMadeJwts;
import dev.oauthlet.example.fuzz.ClientRequests.Auth;
import dev.oauthlet.example.fuzz.ClientRequests.Draft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fuzz targets of signed client input: JWT client assertions (RFC 7523) and DPoP proofs
 * (RFC 9449) at the token endpoint, and DPoP-bound tokens with their proofs at a filtered resource.
 * Each generated JWT is right, or wrong in one named way; only a right one may earn anything.
 */
final class ProofTargets {

    private ProofTargets() {
    }

    /** A generated JWT (or header value) and whether a correct server may accept it. */
    record Signed(String value, boolean ok, String what) {
    }

    /**
     * One of {@code kinds}, as a recipe: the JWT is made when the request is put together, so it
     * carries a fresh {@code jti} and {@code iat}, and neither jqwik's edge cases nor the kinds not
     * drawn cost a signature.
     */
    private static Arbitrary<Supplier<Signed>> kinds(List<Tuple.Tuple2<Integer, Supplier<Signed>>> kinds) {
        return Arbitraries.frequency(kinds);
    }

    private static Tuple.Tuple2<Integer, Supplier<Signed>> kind(int weight, boolean ok, String what, Supplier<String> value) {
        return Tuple.of(weight, () -> new Signed(value.get(), ok, what));
    }

    /** {@code claims} with {@code name} set to {@code value}, or removed when it is null. */
    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return claims;
    }

    /** {@code jwt} with one character of its signature changed, away from the last (whose low bits may be padding). */
    private static String flipSignature(String jwt) {
        int i = jwt.lastIndexOf('.') + 5;
        return jwt.substring(0, i) + (jwt.charAt(i) == 'A' ? 'B' : 'A') + jwt.substring(i + 1);
    }

    /**
     * Client assertions of {@link FuzzFixture#JWT_CLIENT}, as {@code client_assertion} (and
     * {@code client_assertion_type}, {@code client_id}) parameters.
     */
    static Arbitrary<Draft> assertions(FuzzFixture f, Draft base) {
        ECKey key = f.assertionKey;
        String id = FuzzFixture.JWT_CLIENT;
        ECKey stranger = f.strangerKey;
        Supplier<Map<String, Object>> claims = () -> HandMadeJwts.assertionClaims(id, f.issuer());
        Supplier<Map<String, Object>> header = () -> HandMadeJwts.header("ES256", key.getKeyID());
        Arbitrary<Supplier<Signed>> assertion = kinds(List.of(
                kind(20, true, "assertion", f::assertion),
                kind(1, false, "assertion replayed", () -> f.usedAssertion),
                kind(1, false, "assertion aud token endpoint", () -> HandMadeJwts.es256(header.get(),
                        with(claims.get(), "aud", f.issuer() + "/oauth/token"), key)),
                kind(1, false, "assertion aud array", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "aud", List.of(f.issuer())), key)),
                kind(1, false, "assertion aud elsewhere", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "aud", "https://evil.example"), key)),
                kind(1, false, "assertion expired", () -> HandMadeJwts.es256(header.get(),
                        with(claims.get(), "exp", Instant.now().minusSeconds(600).getEpochSecond()), key)),
                kind(1, false, "assertion exp an hour ahead", () -> HandMadeJwts.es256(header.get(),
                        with(claims.get(), "exp", Instant.now().plusSeconds(3600).getEpochSecond()), key)),
                kind(1, false, "assertion without exp", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "exp", null), key)),
                kind(1, false, "assertion without jti", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "jti", null), key)),
                kind(1, false, "assertion iss not sub", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "iss", FuzzFixture.CLIENT), key)),
                kind(1, false, "assertion for a secret client", () -> HandMadeJwts.es256(header.get(),
                        HandMadeJwts.assertionClaims(FuzzFixture.CLIENT, f.issuer()), key)),
                kind(1, false, "assertion alg none", () -> HandMadeJwts.unsigned(HandMadeJwts.header("none", key.getKeyID()), claims.get())),
                kind(1, false, "assertion HS256 under the public key", () -> HandMadeJwts.hs256(HandMadeJwts.header("HS256", key.getKeyID()),
                        claims.get(), key.toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                kind(1, false, "assertion by another key", () -> HandMadeJwts.es256(header.get(), claims.get(), stranger)),
                kind(1, false, "assertion signature flipped", () -> flipSignature(f.assertion())),
                kind(1, false, "assertion with its own jwk", () -> {
                    Map<String, Object> h = header.get();
                    h.put("jwk", stranger.toPublicJWK().toJSONObject());
                    return HandMadeJwts.es256(h, claims.get(), stranger);
                }),
                kind(1, false, "assertion garbage", () -> "e30." + f.assertion().split("\\.")[1] + ".c2ln")));
        Arbitrary<String> clientId = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just((String) null)), Tuple.of(2, Arbitraries.just(id)),
                Tuple.of(1, Arbitraries.of(FuzzFixture.CLIENT, "")));
        Arbitrary<String> type = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(FuzzFixture.JWT_BEARER)),
                Tuple.of(1, Arbitraries.of("urn:ietf:params:oauth:client-assertion-type:saml2-bearer", "", null)));
        return Combinators.combine(assertion, clientId, type).as((recipe, c, t) -> {
            Signed a = recipe.get();
            boolean ok = a.ok() && FuzzFixture.JWT_BEARER.equals(t) && (c == null || c.isEmpty() || c.equals(id));
            Draft d = base.with("client_assertion_type", t == null ? List.of() : List.of(t), true, "type " + t)
                    .with("client_assertion", List.of(a.value()), a.ok(), a.what());
            return d.with("client_id", c == null ? List.of() : List.of(c), ok, "client_id " + c);
        });
    }

    /**
     * {@code DPoP} headers for {@code method url}: none, one right proof, or one proof wrong in a
     * named way, garbage, two headers, an oversized one. {@code accessToken} is what the right
     * proof's {@code ath} hashes; {@code null} at the token endpoint, where any key is right and
     * {@code ath} is not looked at.
     */
    static Arbitrary<Tuple.Tuple2<List<Map.Entry<String, String>>, Signed>> proofs(FuzzFixture f, String method, String path,
                                                                                 Supplier<String> accessToken) {
        ECKey key = f.dpopKey;
        String url = f.url(path);
        boolean atResource = accessToken != null;
        Supplier<String> token = atResource ? accessToken : () -> null;
        Supplier<Map<String, Object>> claims = () -> HandMadeJwts.proofClaims(method, url, token.get());
        Supplier<Map<String, Object>> header = () -> HandMadeJwts.proofHeader(key);
        List<Tuple.Tuple2<Integer, Supplier<Signed>>> kinds = new ArrayList<>(List.of(
                kind(20, true, "proof", () -> HandMadeJwts.es256(header.get(), claims.get(), key)),
                kind(1, false, "proof htm", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "htm", method.equals("GET") ? "POST" : "GET"), key)),
                kind(1, false, "proof htu path", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "htu", f.url("/elsewhere")), key)),
                kind(1, false, "proof htu host", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "htu",
                        "http://localhost:" + f.port() + path), key)),
                kind(1, false, "proof stale", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "iat",
                        Instant.now().minusSeconds(600).getEpochSecond()), key)),
                kind(1, false, "proof from the future", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "iat",
                        Instant.now().plusSeconds(600).getEpochSecond()), key)),
                kind(1, false, "proof without jti", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "jti", null), key)),
                kind(1, false, "proof typ JWT", () -> HandMadeJwts.es256(with(header.get(), "typ", "JWT"), claims.get(), key)),
                kind(1, false, "proof alg none", () -> HandMadeJwts.unsigned(with(header.get(), "alg", "none"), claims.get())),
                kind(1, false, "proof HS256", () -> HandMadeJwts.hs256(with(header.get(), "alg", "HS256"), claims.get(), key.getX().decode())),
                kind(1, false, "proof with the private key", () -> HandMadeJwts.es256(with(header.get(), "jwk", key.toJSONObject()), claims.get(), key)),
                kind(1, false, "proof key by reference", () -> HandMadeJwts.es256(with(header.get(), "jku", "https://evil.example/jwks"),
                        claims.get(), key)),
                kind(1, false, "proof replayed", () -> atResource ? f.usedResourceProof : f.usedTokenProof),
                kind(1, false, "proof signature flipped", () -> flipSignature(HandMadeJwts.es256(header.get(), claims.get(), key))),
                kind(1, false, "proof garbage", () -> "e30.e30.c2ln"),
                kind(1, false, "proof oversized", () -> "e" + "A".repeat(8300) + ".e30.c2ln")));
        if (atResource) {
            ECKey other = f.strangerKey;
            kinds.add(kind(1, false, "proof by another key", () -> HandMadeJwts.es256(HandMadeJwts.proofHeader(other), claims.get(), other)));
            kinds.add(kind(1, false, "proof ath of another token", () -> HandMadeJwts.es256(header.get(),
                    with(claims.get(), "ath", HandMadeJwts.ath(f.accessTokens.get(0))), key)));
            kinds.add(kind(1, false, "proof without ath", () -> HandMadeJwts.es256(header.get(), with(claims.get(), "ath", null), key)));
        }
        Arbitrary<Supplier<Signed>> proof = kinds(kinds);
        Arbitrary<Integer> shape = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0)), Tuple.of(8, Arbitraries.just(1)),
                Tuple.of(1, Arbitraries.just(2)));
        return Combinators.combine(proof, shape).as((recipe, n) -> {
            Signed p = recipe.get();
            List<Map.Entry<String, String>> h = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                h.add(Map.entry("DPoP", p.value()));
            }
            // No proof: a Bearer token at the token endpoint, refused at a DPoP resource; two: never one proof (RFC 9449 §4.3).
            boolean ok = n == 1 ? p.ok() : n == 0 && !atResource;
            return Tuple.of(h, new Signed(p.value(), ok, n == 1 ? p.what() : n + " proofs"));
        });
    }

    /**
     * The token endpoint for {@link FuzzFixture#JWT_CLIENT}: {@code client_credentials} with a
     * generated client assertion and a generated DPoP header. A {@code 200} needs both right, and
     * is a DPoP token exactly when a proof was sent.
     */
    static final FuzzTarget TOKEN_WITH_PROOFS = new FuzzTarget() {
        @Override
        public String name() {
            return "token-jwt-dpop";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> scope = Arbitraries.of(null, null, "read", "read write", "admin");
            Arbitrary<Draft> drafts = Combinators.combine(scope, proofs(f, "POST", "/oauth/token", null))
                    .as((s, p) -> Draft.of(s == null || !s.equals("admin"), "client_credentials", "grant_type", "client_credentials", "scope", s)
                            .withHeaders(p.get1(), p.get2().ok(), p.get2().what()))
                    .flatMap(d -> assertions(f, d));
            return ClientRequests.requests("/oauth/token", drafts, Arbitraries.just(Auth.IN_DRAFT));
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) throws Exception {
            if (a.status() != 200) {
                Targets.assertOAuthError(request, a);
                return;
            }
            assertTrue(request.mayEarn(), () -> "a token for an invalid request: " + request + " -> " + a);
            JsonNode json = FuzzFixture.JSON.readTree(a.body());
            boolean proofSent = request.headers().stream().anyMatch(h -> h.getKey().equals("DPoP"));
            assertEquals(proofSent ? "DPoP" : "Bearer", json.path("token_type").asText(), () -> "token_type: " + request + " -> " + a);
        }
    };

    /**
     * A resource behind the filter, with DPoP-bound tokens: {@code 200} only for {@code Authorization:
     * DPoP} with a bound token, unchanged, and exactly one right proof of its key for this request.
     */
    static final FuzzTarget RESOURCE_WITH_PROOFS = new FuzzTarget() {
        @Override
        public String name() {
            return "resource-dpop";
        }

        @Override
        public Arbitrary<FuzzRequest> requests(FuzzFixture f) {
            Arbitrary<String> bound = Arbitraries.of(f.dpopTokens);
            Arbitrary<Signed> authorization = Arbitraries.frequencyOf(
                    Tuple.of(6, bound.map(t -> new Signed("DPoP " + t, true, "DPoP token"))),
                    Tuple.of(1, bound.map(t -> new Signed("dpop " + t, true, "dpop token"))),
                    Tuple.of(1, bound.map(t -> new Signed("DPoP " + flipSignature(t), false, "DPoP token flipped"))),
                    Tuple.of(1, bound.map(t -> new Signed("Bearer " + t, false, "bound token as Bearer"))),
                    Tuple.of(1, Arbitraries.of(f.accessTokens).map(t -> new Signed("DPoP " + t, false, "unbound token as DPoP"))),
                    Tuple.of(1, Arbitraries.just(new Signed(null, false, "no Authorization"))));
            Arbitrary<String> verb = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("GET")), Tuple.of(1, Arbitraries.of("POST", "HEAD", "PUT")));
            Arbitrary<String> query = Arbitraries.of("", "", "", "?a=1", "?access_token=x");
            return Combinators.combine(authorization, verb, query).flatAs((auth, v, q) -> {
                String token = auth.value() == null ? "" : auth.value().substring(auth.value().indexOf(' ') + 1);
                return proofs(f, v, "/api/me", () -> token).map(p -> {
                    List<Map.Entry<String, String>> h = new ArrayList<>();
                    if (auth.value() != null) {
                        h.add(Map.entry("Authorization", auth.value()));
                    }
                    h.addAll(p.get1());
                    // htu is compared without the query (RFC 9449 §4.3), so the query changes nothing for the proof.
                    boolean ok = auth.ok() && p.get2().ok();
                    return new FuzzRequest(v, "/api/me" + q, h, v.equals("GET") || v.equals("HEAD") ? null : new byte[0], ok,
                            "resource-dpop, " + auth.what() + ", " + p.get2().what());
                });
            });
        }

        @Override
        public void check(FuzzFixture f, FuzzRequest request, RawHttp.Answer a) {
            if (a.status() == 200) {
                assertTrue(request.mayEarn(), () -> "the resource without a valid token and proof: " + request + " -> " + a);
            }
            if (a.status() == 401) {
                String challenge = a.header("www-authenticate");
                assertNotNull(challenge, () -> "401 without WWW-Authenticate: " + a);
                assertTrue(challenge.startsWith("Bearer") || challenge.startsWith("DPoP"), () -> "not a Bearer or DPoP challenge: " + a);
                assertTrue(!challenge.contains("error=")
                        || challenge.matches(".*error=\"(invalid_request|invalid_token|invalid_dpop_proof|use_dpop_nonce)\".*"),
                        () -> "an unknown error in the challenge: " + a);
            }
        }
    };
}
