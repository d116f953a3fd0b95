package dev.oauthlet.token;

import dev.oauthlet.error.OauthletException;
import java.util.Objects;

/**
 * An access token that did not verify. {@link #reason()} tells why; the message is a fixed,
 * client-safe sentence per reason (it never echoes a value taken from the token), fit for an
 * RFC 6750 {@code error_description}.
 */
public class TokenVerificationException extends OauthletException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        MALFORMED("the token is malformed"),
        NOT_SIGNED("the token is not signed"),
        ALGORITHM_NOT_ACCEPTED("the token's signing algorithm is not accepted"),
        EMBEDDED_KEY("the token names its own key (jku, x5u, x5c or jwk header)"),
        NO_KEY_ID("the token has no key id"),
        UNKNOWN_KEY("the token's signing key is unknown"),
        KEY_MISMATCH("the token's signing key does not match its algorithm"),
        BAD_SIGNATURE("the token's signature is invalid"),
        WRONG_TYPE("the token is not an access token (typ must be at+jwt)"),
        WRONG_ISSUER("the token has the wrong issuer"),
        MISSING_CLAIMS("the token lacks sub, aud, exp or jti"),
        EXPIRED("the token expired"),
        EXPIRED_TOO_LONG_AGO("the token expired too long ago"),
        NOT_YET_VALID("the token is not valid yet"),
        WRONG_AUDIENCE("the token is not meant for this resource"),
        REVOKED("the token was revoked"),
        KEYS_UNAVAILABLE("the signing keys cannot be fetched; try again shortly");

        private final String description;
        private final String label;

        Reason(String description) {
            this.description = description;
            this.label = name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The name in metrics, e.g. {@code bad_signature}. */
        public String label() {
            return label;
        }

        /** The client-safe sentence for this reason. */
        public String description() {
            return description;
        }
    }

    private final Reason reason;

    public TokenVerificationException(Reason reason) {
        this(reason, null);
    }

    /** @param cause kept for the log only; never shown to the client */
    public TokenVerificationException(Reason reason, Throwable cause) {
        super(reason.description(), cause, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** {@code true} when the token is genuine but past its {@code exp}. */
    public boolean expired() {
        return reason == Reason.EXPIRED || reason == Reason.EXPIRED_TOO_LONG_AGO;
    }
}
