package dev.oauthlet.key;

import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys given as a JWK Set document (RFC 7517 §5), e.g. a client's {@code jwks} for
 * {@code private_key_jwt}: its public signature keys, by kid. As with a remote JWKS, a secret or a
 * private key in the set is never taken, nor a key of an algorithm we do not verify.
 */
public final class StaticKeyResolver implements KeyResolver {

    private final Map<String, VerificationKey> keys;

    private StaticKeyResolver(Map<String, VerificationKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    /**
     * Parses {@code jwks}.
     *
     * @throws IllegalArgumentException when it is not a JWK Set, or holds no usable public key with a kid
     */
    public static StaticKeyResolver parse(String jwks) {
        JwkSet set;
        try {
            set = Jwks.setParser().build().parse(jwks);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JWK Set: " + e.getMessage());
        }
        Map<String, VerificationKey> keys = new LinkedHashMap<>();
        for (Jwk<?> jwk : set) {
            VerificationKey k = RemoteKeyResolver.toVerificationKey(jwk);
            if (k != null) {
                keys.put(k.kid(), k);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("the JWK Set holds no public RS256, ES256 or EdDSA signature key with a kid");
        }
        return new StaticKeyResolver(keys);
    }

    @Override
    public Optional<VerificationKey> resolve(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** The one key of a set that holds exactly one: a JWT without {@code kid} is checked with it. */
    public Optional<VerificationKey> only() {
        return keys.size() == 1 ? Optional.of(keys.values().iterator().next()) : Optional.empty();
    }
}
