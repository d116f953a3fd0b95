package dev.oauthlet.token;

import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.token.TokenVerificationException.Reason;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a resource checks about a presented access token: it verifies (signature, issuer,
 * type, lifetime — see {@link AccessTokenVerifier}), its {@code aud} holds this resource's
 * audience, and, when a deny-list is given, neither it nor the grant it came from has been revoked.
 * Verified tokens are remembered in a {@link VerifiedTokenCache}, so a repeated token skips the
 * signature; the audience and the deny-list are checked on every call, the deny-list in memory
 * ({@link Revocations}: a revocation on any node is refused within {@link Revocations#REFRESH}).
 * Thread-safe.
 */
public final class BearerTokenValidator {

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenValidator.class);

    private final AccessTokenVerifier verifier;
    private final String audience;
    /** Further audiences that also pass, e.g. the resource's RFC 8707 URI beside its name; usually empty. */
    private final Set<String> alsoAccepted;
    private final VerifiedTokenCache cache;
    private final Revocations revoked;
    private final boolean failOpen;
    /** Every audience passes: the userinfo endpoint, which any token of an OpenID Connect grant may call. */
    private final boolean anyAudience;
    private final AtomicLong lastOutageWarning = new AtomicLong();

    /**
     * @param verifier the verifier of the issuer this resource trusts
     * @param audience the audience this resource is; a token must list it in {@code aud}
     * @param cache    verified tokens; {@code null} verifies every time
     * @param revoked  the deny-list to consult; {@code null} skips the revocation check
     */
    public BearerTokenValidator(AccessTokenVerifier verifier, String audience, VerifiedTokenCache cache, RevokedTokenStore revoked) {
        this(verifier, audience, cache, revoked, false);
    }

    /**
     * @param failOpen when the deny-list cannot be read: {@code true} lets verified tokens through
     *                 (availability first), {@code false} throws {@link StorageException} (revocation first)
     */
    public BearerTokenValidator(AccessTokenVerifier verifier, String audience, VerifiedTokenCache cache, RevokedTokenStore revoked,
                                boolean failOpen) {
        this(verifier, Set.of(Objects.requireNonNull(audience, "audience")), cache, revoked, failOpen);
    }

    /**
     * A resource known by several audiences (its name and its RFC 8707 URI): a token must list one
     * of them. The deny-list is read on every check, as the store has it.
     *
     * @param audiences at least one; the first is {@link #audience()}
     */
    public BearerTokenValidator(AccessTokenVerifier verifier, Set<String> audiences, VerifiedTokenCache cache,
                                RevokedTokenStore revoked, boolean failOpen) {
        this(verifier, audiences, cache, revoked == null ? null : Revocations.direct(revoked), failOpen);
    }

    /**
     * @param revocations the server's deny-list ({@link dev.oauthlet.Oauthlet#revocations()}), checked in memory;
     *                    {@code null} skips the check
     * @param failOpen    when the deny-list cannot be read: {@code true} lets verified tokens through
     *                    (availability first), {@code false} throws {@link StorageException} (revocation first)
     */
    public BearerTokenValidator(AccessTokenVerifier verifier, Set<String> audiences, VerifiedTokenCache cache, Revocations revocations,
                                boolean failOpen) {
        this(verifier, audiences, cache, revocations, failOpen, false);
    }

    /**
     * For the OpenID Connect userinfo endpoint (Core §5.3): any audience passes, since the token
     * was issued for the client's APIs, not for the authorization server; scope {@code openid} is
     * what admits it there. Revoked tokens are refused, failing closed.
     */
    public static BearerTokenValidator anyAudience(AccessTokenVerifier verifier, Revocations revocations) {
        return new BearerTokenValidator(verifier, Set.of("*"), null, revocations, false, true);
    }

    private BearerTokenValidator(AccessTokenVerifier verifier, Set<String> audiences, VerifiedTokenCache cache, Revocations revocations,
                                 boolean failOpen, boolean anyAudience) {
        this.anyAudience = anyAudience;
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("a resource needs at least one audience");
        }
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.audience = audiences.iterator().next();
        Set<String> rest = new LinkedHashSet<>(audiences);
        rest.remove(audience);
        this.alsoAccepted = Set.copyOf(rest);
        this.cache = cache;
        this.revoked = revocations;
        this.failOpen = failOpen;
    }

    /**
     * The verified token.
     *
     * @throws TokenVerificationException why it is refused
     * @throws StorageException when the deny-list cannot be read and the check fails closed
     */
    public AccessToken validate(String token) {
        VerifiedTokenCache.Key key = cache == null ? null : cache.keyOf(token);
        AccessToken t = key == null ? null : cache.get(key);
        if (t == null) {
            t = verifier.verify(token);
            if (key != null) {
                cache.put(key, t);
            }
        }
        if (!hasAudience(t.audience())) {
            throw new TokenVerificationException(Reason.WRONG_AUDIENCE);
        }
        if (revoked != null && isRevoked(t)) {
            if (cache != null) {
                cache.remove(token);
            }
            throw new TokenVerificationException(Reason.REVOKED);
        }
        return t;
    }

    private boolean isRevoked(AccessToken t) {
        try {
            return revoked.isRevoked(t);
        } catch (StorageException e) {
            if (!failOpen) {
                throw e;
            }
            long now = System.nanoTime();
            long last = lastOutageWarning.get();
            // One line per minute of outage, not one per request.
            if (now - last > 60_000_000_000L && lastOutageWarning.compareAndSet(last, now)) {
                LOG.warn("the deny-list cannot be read; letting verified tokens through (revocation-fail-open): {}", e.toString());
            }
            return false;
        }
    }

    /** Without allocating in the usual case of a single audience. */
    private boolean hasAudience(String aud) {
        if (anyAudience || aud.equals(audience)) {
            return true;
        }
        for (String a : aud.split(" ")) {
            if (a.equals(audience) || alsoAccepted.contains(a)) {
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
