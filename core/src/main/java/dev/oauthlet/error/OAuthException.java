package dev.oauthlet.error;

/**
 * An OAuth error to answer the client with: an {@link ErrorCode} and a description that is safe
 * to show to the client. Anything internal belongs in the cause, which is logged and never sent.
 */
public class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode error;
    private final String description;

    public OAuthException(ErrorCode error, String description) {
        this(error, description, null);
    }

    public OAuthException(ErrorCode error, String description, Throwable cause) {
        super(error.code() + ": " + description, cause, false, false);
        this.error = error;
        this.description = description;
    }

    public ErrorCode error() {
        return error;
    }

    /** The human-readable {@code error_description}, safe for the client. */
    public String description() {
        return description;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(ErrorCode.INVALID_REQUEST, description);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(ErrorCode.INVALID_CLIENT, description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(ErrorCode.INVALID_GRANT, description);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(ErrorCode.UNAUTHORIZED_CLIENT, description);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(ErrorCode.UNSUPPORTED_GRANT_TYPE, description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(ErrorCode.INVALID_SCOPE, description);
    }

    public static OAuthException accessDenied(String description) {
        return new OAuthException(ErrorCode.ACCESS_DENIED, description);
    }

    public static OAuthException invalidToken(String description) {
        return new OAuthException(ErrorCode.INVALID_TOKEN, description);
    }

    public static OAuthException insufficientScope(String description) {
        return new OAuthException(ErrorCode.INSUFFICIENT_SCOPE, description);
    }

    public static OAuthException serverError(String description, Throwable cause) {
        return new OAuthException(ErrorCode.SERVER_ERROR, description, cause);
    }

    public static OAuthException temporarilyUnavailable(String description, Throwable cause) {
        return new OAuthException(ErrorCode.TEMPORARILY_UNAVAILABLE, description, cause);
    }
}
