package dev.oauthlet.example.fuzz;

import net.jqwik.api.Arbitrary;

/**
 * One endpoint under fuzzing: the requests to generate for it, and what its answers must obey
 * beyond what every endpoint must (no 5xx; see {@link EndpointFuzzTest}). A new endpoint joins the
 * fuzzing with one implementation of this, added to {@link EndpointFuzzTest#TARGETS}.
 */
interface FuzzTarget {

    /** A short name, for statistics and failure reports. */
    String name();

    /** Generated and mutated requests, built from what {@code fixture} holds (clients, live tokens). */
    Arbitrary<FuzzRequest> requests(FuzzFixture fixture);

    /**
     * Checks one answer; throws {@link AssertionError} when it breaks this endpoint's rules (a
     * token for an invalid request, a resource without a valid token, a malformed error).
     */
    void check(FuzzFixture fixture, FuzzRequest request, RawHttp.Answer answer) throws Exception;
}
