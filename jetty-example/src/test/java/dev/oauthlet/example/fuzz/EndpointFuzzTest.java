package dev.oauthlet.example.fuzz;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-based fuzzing of a running example on loopback: generated and mutated requests —
 * methods, headers, encodings, parameter combinations, token strings, resource indicators, client
 * assertions, DPoP proofs, cookies — at every endpoint in {@link #TARGETS}. For each: no 5xx, every refusal a well-formed RFC 6749 / 6750 error, no token
 * for an invalid request, no resource without a valid token; and a healthy server afterwards.
 *
 * <p>The number of requests is jqwik's default tries, {@code -Doauthlet.fuzz.tries=N} (the
 * jetty-example pom sets a reduced share for {@code mvn verify}; {@code benchmarks/fuzz.sh} runs
 * 100,000). A new endpoint joins by adding its {@link FuzzTarget} to {@link #TARGETS}.
 */
class EndpointFuzzTest {

    /** Every fuzzed endpoint. Add yours here. */
    static final List<FuzzTarget> TARGETS = List.of(Targets.TOKEN, Targets.REVOCATION, Targets.INTROSPECTION,
            Targets.AUTHORIZATION, Targets.RESOURCE, ProofTargets.TOKEN_WITH_PROOFS, ProofTargets.RESOURCE_WITH_PROOFS,
            PageTargets.LOGOUT, PageTargets.HEALTH, PageTargets.RESOURCE_METADATA, RegistrationTarget.INSTANCE, Targets.METRICS,
            OpenIdTargets.USERINFO);

    private static FuzzFixture fixture;

    @BeforeContainer
    static void start() throws Exception {
        fixture = FuzzFixture.start();
    }

    @AfterContainer
    static void stop() throws Exception {
        if (fixture == null) {
            return;
        }
        try {
            assertHealthy();
        } finally {
            fixture.close();
        }
    }

    @Property(shrinking = ShrinkingMode.BOUNDED, seed = "")
    void everyEndpointWhenRequestGeneratedOrMutatedThenNoServerErrorAndNothingUnearned(@ForAll("requests") Tuple.Tuple2<FuzzTarget, FuzzRequest> t)
            throws Exception {
        FuzzTarget target = t.get1();
        FuzzRequest request = t.get2();
        RawHttp.Answer answer = RawHttp.send(fixture.port(), request);
        Statistics.label(target.name()).collect(answer.status());
        assertTrue(answer.status() < 500, () -> target.name() + ": server error for " + request + " -> " + answer);
        target.check(fixture, request, answer);
    }

    /**
     * Each target's generator is built once, not once per try (a {@code flatMap} over the targets
     * rebuilt every generator for every request, which cost more than sending it): what they draw
     * from, the fixture's tokens, is fixed before fuzzing begins, and whatever must be fresh (DPoP
     * proofs, client assertions) is made per draw.
     */
    @Provide
    Arbitrary<Tuple.Tuple2<FuzzTarget, FuzzRequest>> requests() {
        return Arbitraries.oneOf(TARGETS.stream().map(target -> target.requests(fixture).map(r -> Tuple.of(target, r))).toList());
    }

    /**
     * After all that, the server still issues tokens and lets them through its filter, a bound
     * token with a fresh proof too, and alice's session, which no request could end without its
     * CSRF token, is still signed in.
     */
    private static void assertHealthy() throws Exception {
        String token = fixture.issue("grant_type=client_credentials").get("access_token").asText();
        RawHttp.Answer me = RawHttp.send(fixture.port(), FuzzRequest.get("/api/me", List.of(Map.entry("Authorization", "Bearer " + token)),
                true, "health"));
        assertEquals(200, me.status(), me::toString);
        String bound = fixture.dpopTokens.get(1);
        RawHttp.Answer dpop = RawHttp.send(fixture.port(), FuzzRequest.get("/api/me", List.of(Map.entry("Authorization", "DPoP " + bound),
                Map.entry("DPoP", fixture.proof("GET", "/api/me", bound))), true, "health"));
        assertEquals(200, dpop.status(), dpop::toString);
        RawHttp.Answer logout = RawHttp.send(fixture.port(), FuzzRequest.get("/oauth/logout", List.of(Map.entry("Cookie", fixture.session)),
                true, "health"));
        assertEquals(200, logout.status(), logout::toString);
        assertTrue(logout.body().contains("name=\"csrf_token\""), () -> "alice was signed out: " + logout);
    }
}
