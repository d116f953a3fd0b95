package dev.oauthlet.token;

/** An access token that did not verify. {@link #expired()} tells the one failure some APIs report differently. */
public class TokenVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean expired;

    public TokenVerificationException(String message, boolean expired) {
        super(message, null, false, false);
        this.expired = expired;
    }

    /** {@code true} when the token is genuine but past its {@code exp}. */
    public boolean expired() {
        return expired;
    }
}
