package dev.oauthlet.metrics;

import java.util.List;

/**
 * The meters of one protected resource: requests its {@code BearerTokenFilter} let through or
 * refused (by a reason from a closed set), how long the filter took, and which tokens were not in
 * the filter's cache. A filter asks {@link #start()} at the beginning of a request
 * and hands the value back with the outcome, so an implementation decides which requests it times
 * without the filter reading the clock for nothing.
 */
public interface ResourceMetrics {

    /** What {@link #start()} answers for a request that is not timed. */
    long NOT_TIMED = Long.MIN_VALUE;

    /** Records nothing. */
    ResourceMetrics NONE = new ResourceMetrics() {
    };

    /** The request had no token: the bare challenge of RFC 6750 §3.1. */
    String NO_TOKEN = "no_token";
    /** The request was malformed: a token twice, an empty header, a broken query (RFC 6750 {@code invalid_request}). */
    String INVALID_REQUEST = "invalid_request";
    /** The token lacks a scope the request needs ({@code insufficient_scope}). */
    String INSUFFICIENT_SCOPE = "insufficient_scope";
    /** The deny-list could not be read and the check fails closed ({@code 503}). */
    String DENY_LIST_UNAVAILABLE = "deny_list_unavailable";
    /** A DPoP-bound token sent as Bearer, or a Bearer token where DPoP is required. */
    String DPOP_REQUIRED = "dpop_required";
    /** The DPoP proof is missing, doubled, invalid, of another key, or lacks the nonce. */
    String DPOP_PROOF_INVALID = "dpop_proof_invalid";
    /** A token that is not DPoP-bound sent with the DPoP scheme. */
    String DPOP_NOT_BOUND = "dpop_not_bound";

    /**
     * The filter's own reasons; a token that does not verify is refused for its
     * {@code TokenVerificationException.Reason}, by {@code label()}.
     */
    List<String> FILTER_REASONS = List.of(NO_TOKEN, INVALID_REQUEST, INSUFFICIENT_SCOPE, DENY_LIST_UNAVAILABLE, DPOP_REQUIRED,
            DPOP_PROOF_INVALID, DPOP_NOT_BOUND);

    /** At the start of a request: {@link System#nanoTime()} when this request is to be timed, else {@link #NOT_TIMED}. */
    default long start() {
        return NOT_TIMED;
    }

    /** The request goes on to the application; {@code start} as {@link #start()} gave it. */
    default void accepted(long start) {
    }

    /** The request was answered with a refusal, for {@code reason} (one of {@link #FILTER_REASONS} or a token reason's label). */
    default void refused(String reason, long start) {
    }

    /**
     * The presented token was not in the verified-token cache (or had expired there), so its
     * signature is checked next. Hits are not reported: on the path of a cached token every update
     * costs, and the requests that reached the cache, less the misses, are the hits.
     */
    default void cacheMiss() {
    }
}
