package dev.oauthlet.error;

import java.time.Duration;
import java.util.Objects;

/**
 * A credential check refused because its failure limit is used up: answered {@code 429} with
 * {@code Retry-After}, the body keeping the error the failed check itself would give
 * ({@code invalid_grant} for a password, {@code invalid_client} for a client secret), so clients
 * need no new error handling. Open dynamic registration past its per-address limit
 * ({@code registration.open-rate-limit}) is refused so too, as {@code temporarily_unavailable}.
 */
public final class TooManyAttemptsException extends OAuthException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public TooManyAttemptsException(ErrorCode error, String description, Duration retryAfter) {
        super(error, description);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** {@code 429 Too Many Requests} (RFC 6585). */
    @Override
    public int status() {
        return 429;
    }

    /** How long until the limit frees up, at the latest: the {@code Retry-After} header. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
