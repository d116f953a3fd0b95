package dev.oauthlet.token;

import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.token.TokenVerificationException.Reason;
import java.util.Objects;

/**
 * Everything a resource checks about a presented access token: it verifies (signature, issuer,
 * type, lifetime — see {@link AccessTokenVerifier}), its {@code aud} holds this resource's
 * audience, and, when a deny-list is given, it has not been revoked. Verified tokens are
 * remembered in a {@link VerifiedTokenCache}, so a repeated token skips the signature; the audience
 * and the deny-list are checked on every call. Thread-safe.
 */
public final class BearerTokenValidator {

    private final AccessTokenVerifier verifier;
    private final String audience;
    private final VerifiedTokenCache cache;
    private final RevokedTokenStore revoked;

    /**
     * @param verifier the verifier of the issuer this resource trusts
     * @param audience the audience this resource is; a token must list it in {@code aud}
     * @param cache    verified tokens; {@code null} verifies every time
     * @param revoked  the deny-list to consult; {@code null} skips the revocation check
     */
    public BearerTokenValidator(AccessTokenVerifier verifier, String audience, VerifiedTokenCache cache, RevokedTokenStore revoked) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.cache = cache;
        this.revoked = revoked;
    }

    /**
     * The verified token.
     *
     * @throws TokenVerificationException why it is refused
     * @throws dev.oauthlet.spi.StorageException when the deny-list cannot be read
     */
    public AccessToken validate(String token) {
        AccessToken t = cache == null ? null : cache.get(token);
        if (t == null) {
            t = verifier.verify(token);
            if (cache != null) {
                cache.put(token, t);
            }
        }
        if (!hasAudience(t.audience())) {
            throw new TokenVerificationException(Reason.WRONG_AUDIENCE);
        }
        if (revoked != null && revoked.isRevoked(t.jti())) {
            if (cache != null) {
                cache.remove(token);
            }
            throw new TokenVerificationException(Reason.REVOKED);
        }
        return t;
    }

    /** Without allocating in the usual case of a single audience. */
    private boolean hasAudience(String aud) {
        if (aud.equals(audience)) {
            return true;
        }
        for (String a : aud.split(" ")) {
            if (a.equals(audience)) {
                return true;
            }
        }
        return false;
    }

    /** The audience this validator guards. */
    public String audience() {
        return audience;
    }
}
