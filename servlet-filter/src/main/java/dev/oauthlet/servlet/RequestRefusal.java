package dev.oauthlet.servlet;

import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;

/**
 * An {@code invalid_request} whose accurate HTTP status is not 400: {@code 408} for a body not
 * sent in time, {@code 413} for one too large, {@code 415} for an unsupported content type. The
 * body is the same RFC 6749 §5.2 JSON, so a client that only reads {@code error} needs nothing new.
 */
final class RequestRefusal extends OAuthException {

    private static final long serialVersionUID = 1L;

    private final int status;

    RequestRefusal(int status, String description) {
        super(ErrorCode.INVALID_REQUEST, description);
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
