package dev.oauthlet.dpop;

import dev.oauthlet.error.OauthletException;

/**
 * A DPoP proof that is refused. {@link #useNonce()} tells the one refusal a client repairs by
 * retrying: the server wants a (fresh) nonce, answered as {@code use_dpop_nonce} with a
 * {@code DPoP-Nonce} header (RFC 9449 §8); every other refusal is {@code invalid_dpop_proof}.
 * The message is safe to show the client.
 */
public final class DpopException extends OauthletException {

    private static final long serialVersionUID = 1L;

    private final boolean useNonce;

    private DpopException(String message, boolean useNonce) {
        super(message, null, false, false);
        this.useNonce = useNonce;
    }

    /** {@code invalid_dpop_proof}, saying what is wrong with the proof. */
    public static DpopException invalid(String message) {
        return new DpopException(message, false);
    }

    /** {@code use_dpop_nonce}: the proof lacks the current server nonce. */
    public static DpopException useNonce(String message) {
        return new DpopException(message, true);
    }

    public boolean useNonce() {
        return useNonce;
    }
}
