package dev.oauthlet.metrics;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditListener;
import dev.oauthlet.error.ErrorCode;
import java.util.Set;

/**
 * Receives what Oauthlet counts and times: tokens issued and refused at the token endpoint, refresh
 * rotations, and, as {@linkplain AuditListener audit events}, failed and successful sign-ins,
 * lockouts, refresh-token reuse and revoked token families. Give one to the builder
 * ({@code Oauthlet.builder().metrics(MicrometerMetrics.of(registry))}); without one, {@link #NONE}
 * receives everything and does nothing.
 *
 * <p>This interface names no monitoring library, so core runs without one; the Micrometer
 * implementation is {@link dev.oauthlet.metrics.micrometer.MicrometerMetrics}, whose dependency is
 * optional. Every method has an empty default. Calls come on the request's thread: keep them quick,
 * allocate nothing per call, and keep tag values bounded ({@link #forServer}).
 */
public interface OauthletMetrics extends AuditListener {

    /** Records nothing: the default. */
    OauthletMetrics NONE = new OauthletMetrics() {
    };

    /**
     * The receiver for one server, called once by the builder before anything is recorded: the
     * values its tags may take. A grant type outside {@code grantTypes}, and a client that is neither
     * declared nor among the first {@code maxClientTags} others seen, share the tag {@code other},
     * so a client registering itself over and over cannot grow the number of series.
     *
     * @param grantTypes      the grant types the server answers
     * @param declaredClients the ids of the clients of the configuration file, each its own tag
     * @param maxClientTags   how many other client ids (the store's, registered ones) get their own tag
     * @return the receiver to use; by default this one
     */
    default OauthletMetrics forServer(Set<String> grantTypes, Set<String> declaredClients, int maxClientTags) {
        return this;
    }

    /**
     * The token endpoint issued a token.
     *
     * @param nanos how long the server took to answer, from the parsed request to the signed token
     */
    default void tokenIssued(String grantType, String clientId, long nanos) {
    }

    /**
     * The token endpoint refused a request with {@code error}.
     *
     * @param grantType as the request gave it; {@code null} when it could not be read
     */
    default void tokenRefused(String grantType, ErrorCode error, long nanos) {
    }

    /** A {@code refresh_token} grant answered with a new refresh token. */
    default void refreshRotated() {
    }

    /**
     * The meters of one protected resource ({@code BearerTokenFilter}), looked up once when the
     * filter starts so a request touches only what was registered then.
     *
     * @param resource the filter's audience: a tag value, bounded by the number of filters
     */
    default ResourceMetrics resource(String resource) {
        return ResourceMetrics.NONE;
    }

    /** Audit events that are also counted: sign-ins, lockouts, reuse, revoked families. */
    @Override
    default void onEvent(AuditEvent event) {
    }
}
