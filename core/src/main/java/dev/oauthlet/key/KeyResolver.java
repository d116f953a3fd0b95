package dev.oauthlet.key;

import java.util.Optional;

/**
 * Finds the key for a token's {@code kid}: the server's own keys, or a remote JWKS for a
 * resource server on another machine.
 */
@FunctionalInterface
public interface KeyResolver {

    /** The key with this kid; empty when there is none (the token is then refused). */
    Optional<VerificationKey> resolve(String kid);
}
