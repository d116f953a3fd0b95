package dev.oauthlet.error;

/**
 * The root of every exception Oauthlet throws, so one {@code catch} can take them all. Below it:
 * {@link OAuthException}, an RFC 6749 / 6750 error to answer the client with (and its
 * {@code AuthorizationException} for the authorization endpoint); {@code ConfigException}, a
 * configuration that cannot run, with the file, key path and fix; {@code StorageException}, a store
 * that failed; {@code TokenVerificationException}, a token that does not verify, with its reason.
 * Unchecked, like the failures of the JDK's own APIs that Oauthlet wraps.
 */
public abstract class OauthletException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected OauthletException(String message) {
        super(message);
    }

    protected OauthletException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For failures that happen often and on purpose (a refused request): no stack trace to fill in. */
    protected OauthletException(String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
        super(message, cause, enableSuppression, writableStackTrace);
    }
}
