package dev.oauthlet.spi;

import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.OauthletException;

/**
 * The store could not be reached or did not answer in time. The token endpoint answers it with
 * {@code 503 temporarily_unavailable}; no token is issued that was not stored.
 */
public class StorageException extends OauthletException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What the client is told: {@code temporarily_unavailable}, with this failure as the cause for
     * the log. Every endpoint maps a storage failure here, so all of them say the same.
     */
    public OAuthException toOAuthException() {
        return OAuthException.temporarilyUnavailable("the service is temporarily unavailable; try again shortly", this);
    }
}
