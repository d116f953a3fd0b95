package dev.oauthlet.protocol;

import java.util.Set;

/**
 * The claims the server sets in every access token itself, so configuration and customizers may
 * not use their names. Here, below configuration, so that the loader can refuse them.
 */
public final class RegisteredClaims {

    public static final Set<String> NAMES = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope");

    private RegisteredClaims() {
    }
}
