package dev.oauthlet.error;

/**
 * An OAuth error to answer the client with: an {@link ErrorCode} and a description that is safe
 * to show to the client. Anything internal belongs in the cause, which is logged and never sent.
 *
 * <p>The description is made safe once, here, for every writer (JSON body, redirect URL, error
 * page, log): characters RFC 6749 §5.2 does not allow in {@code error_description} (outside
 * {@code %x20-21 / %x23-5B / %x5D-7E}, so also CR and LF) become {@code ?}, and it is cut at
 * {@value #MAX_DESCRIPTION} characters. Request input a description repeats goes through
 * {@link #echo(String)}.
 */
public class OAuthException extends OauthletException {

    private static final long serialVersionUID = 1L;

    /** Longest piece of request input {@link #echo} repeats. */
    public static final int MAX_ECHO = 40;
    /** Longest description; a safety net for echoes that bypassed {@link #echo}. */
    public static final int MAX_DESCRIPTION = 256;

    private final ErrorCode error;
    private final String description;
    private final String dpopNonce;

    public OAuthException(ErrorCode error, String description) {
        this(error, description, null);
    }

    public OAuthException(ErrorCode error, String description, Throwable cause) {
        this(error, description, cause, null);
    }

    private OAuthException(ErrorCode error, String description, Throwable cause, String dpopNonce) {
        super(null, cause, false, false);
        this.error = error;
        this.description = sanitize(description);
        this.dpopNonce = dpopNonce;
    }

    /** The nonce to send in a {@code DPoP-Nonce} header with this error (RFC 9449 §8), or {@code null}. */
    public String dpopNonce() {
        return dpopNonce;
    }

    /** {@code invalid_dpop_proof} (RFC 9449 §5). */
    public static OAuthException invalidDpopProof(String description) {
        return new OAuthException(ErrorCode.INVALID_DPOP_PROOF, description);
    }

    /** {@code use_dpop_nonce} with the nonce the client must put in its next proof (RFC 9449 §8). */
    public static OAuthException useDpopNonce(String description, String nonce) {
        return new OAuthException(ErrorCode.USE_DPOP_NONCE, description, null, nonce);
    }

    @Override
    public String getMessage() {
        return error.code() + ": " + description;
    }

    /**
     * A value from the request, fit to repeat in a description: at most {@value #MAX_ECHO}
     * characters (longer ones are cut and end in {@code ...}); characters outside RFC 6749 §5.2's
     * set are replaced when the exception is made.
     */
    public static String echo(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }

    /** Replaces characters RFC 6749 §5.2 does not allow with {@code ?} and cuts the text to {@value #MAX_DESCRIPTION}. */
    static String sanitize(String description) {
        if (description == null) {
            return null;
        }
        int n = Math.min(description.length(), MAX_DESCRIPTION);
        StringBuilder b = new StringBuilder(n + 3);
        for (int i = 0; i < n; i++) {
            char c = description.charAt(i);
            boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            b.append(allowed ? c : '?');
        }
        if (description.length() > MAX_DESCRIPTION) {
            b.append("...");
        }
        return b.toString();
    }

    public ErrorCode error() {
        return error;
    }

    /** The HTTP status to answer with: the error code's, unless a subclass knows better. */
    public int status() {
        return error.status();
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

    public static OAuthException invalidTarget(String description) {
        return new OAuthException(ErrorCode.INVALID_TARGET, description);
    }

    /** {@code invalid_redirect_uri} (RFC 7591 §3.2.2). */
    public static OAuthException invalidRedirectUri(String description) {
        return new OAuthException(ErrorCode.INVALID_REDIRECT_URI, description);
    }

    /** {@code invalid_client_metadata} (RFC 7591 §3.2.2). */
    public static OAuthException invalidClientMetadata(String description) {
        return new OAuthException(ErrorCode.INVALID_CLIENT_METADATA, description);
    }

    /** {@code invalid_token} (RFC 6750 §3.1): a bearer credential that is missing, unknown or revoked. */
    public static OAuthException invalidToken(String description) {
        return new OAuthException(ErrorCode.INVALID_TOKEN, description);
    }

    public static OAuthException accessDenied(String description) {
        return new OAuthException(ErrorCode.ACCESS_DENIED, description);
    }

    public static OAuthException serverError(String description, Throwable cause) {
        return new OAuthException(ErrorCode.SERVER_ERROR, description, cause);
    }

    public static OAuthException temporarilyUnavailable(String description, Throwable cause) {
        return new OAuthException(ErrorCode.TEMPORARILY_UNAVAILABLE, description, cause);
    }
}
