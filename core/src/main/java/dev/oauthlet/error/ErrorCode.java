package dev.oauthlet.error;

/**
 * The error codes Oauthlet answers with, each with the HTTP status it travels under.
 *
 * <p>The codes come from RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7009, RFC 7591, RFC 8707 and RFC 9449, plus
 * {@link #AUTH_EXPIRED}, which some deployed APIs use instead of {@code invalid_token} for an
 * expired access token (see {@code tokens.expired-token-error}).
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 8707 §2: a {@code resource} that is malformed, unknown, or not this client's. */
    INVALID_TARGET("invalid_target", 400),
    ACCESS_DENIED("access_denied", 403),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    INVALID_TOKEN("invalid_token", 401),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    AUTH_EXPIRED("auth_expired", 401),
    /** RFC 9449 §5 and §7.1: a DPoP proof that is missing, malformed or does not fit the request or the token. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    /** RFC 9449 §8: the proof must carry the server's nonce, sent in {@code DPoP-Nonce}. */
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    /** RFC 7591 §3.2.2: a redirect URI of a registration request that is not allowed. */
    INVALID_REDIRECT_URI("invalid_redirect_uri", 400),
    /** RFC 7591 §3.2.2: a client metadata value of a registration request that is invalid or not allowed. */
    INVALID_CLIENT_METADATA("invalid_client_metadata", 400),
    SERVER_ERROR("server_error", 500),
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503);

    private final String code;
    private final int status;

    ErrorCode(String code, int status) {
        this.code = code;
        this.status = status;
    }

    /** The code as it appears on the wire, e.g. {@code invalid_grant}. */
    public String code() {
        return code;
    }

    /** The HTTP status this error is answered with. */
    public int status() {
        return status;
    }

    /** Looks a wire code up; {@code null} when it is not one of ours. */
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}
