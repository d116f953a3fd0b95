package dev.oauthlet.authorize;

import dev.oauthlet.error.OAuthException;

/**
 * A refused authorization request. RFC 6749 §4.1.2.1: when the client or the redirect URI cannot
 * be trusted, the error is shown to the user and never sent anywhere ({@link #redirectable()} is
 * {@code false}); every other error goes back to the client's redirect URI with the request's
 * {@code state}.
 */
public final class AuthorizationException extends OAuthException {

    private static final long serialVersionUID = 1L;

    private final String redirectUri;
    private final String state;

    private AuthorizationException(OAuthException error, String redirectUri, String state) {
        super(error.error(), error.description(), error.getCause());
        this.redirectUri = redirectUri;
        this.state = state;
    }

    /** An error about the client or its redirect URI: show it to the user, do not redirect. */
    public static AuthorizationException shownToUser(OAuthException error) {
        return new AuthorizationException(error, null, null);
    }

    /** An error to send back to {@code redirectUri}, a URI registered for the client. */
    public static AuthorizationException redirected(OAuthException error, String redirectUri, String state) {
        return new AuthorizationException(error, redirectUri, state);
    }

    /** {@code false} when the error must only be shown to the user. */
    public boolean redirectable() {
        return redirectUri != null;
    }

    /** Where the error goes; {@code null} when it is not redirectable. */
    public String redirectUri() {
        return redirectUri;
    }

    /** The request's {@code state}, returned with the error; may be {@code null}. */
    public String state() {
        return state;
    }
}
