package dev.oauthlet.client;

import java.net.URI;

/**
 * How a client proves itself beyond a secret hash.
 *
 * @param method       the one authentication method it may use; {@code null} accepts both secret methods (Basic
 *                     and body), or none for a public client, as before this setting existed
 * @param jwks         its public keys as a JWK Set document, for {@code private_key_jwt}; or {@code null}
 * @param jwksUri      where its public keys are published, for {@code private_key_jwt}; or {@code null}
 * @param sharedSecret the secret itself, for {@code client_secret_jwt} (HMAC needs it, a hash cannot verify); it is
 *                     taken from the configuration at start and never written to a store
 */
public record ClientKeys(ClientAuthMethod method, String jwks, URI jwksUri, String sharedSecret) {

    /** No method configured: secrets in Basic or the body, as before. */
    public static final ClientKeys DEFAULT = new ClientKeys(null, null, null, null);

    public ClientKeys {
        if (jwks != null && jwksUri != null) {
            throw new IllegalArgumentException("give jwks or jwks-uri, not both");
        }
        if (method == ClientAuthMethod.PRIVATE_KEY_JWT && jwks == null && jwksUri == null) {
            throw new IllegalArgumentException("private_key_jwt needs the client's public keys (jwks or jwks-uri)");
        }
        if (method != ClientAuthMethod.PRIVATE_KEY_JWT && (jwks != null || jwksUri != null)) {
            throw new IllegalArgumentException("jwks and jwks-uri are for token-endpoint-auth-method private_key_jwt");
        }
    }

    /** Whether {@code jwks} parses as a JWK Set holding a public key with a kid (the key layer picks the usable ones). */
    public static boolean hasPublicKey(String jwks) {
        try {
            for (io.jsonwebtoken.security.Jwk<?> jwk : io.jsonwebtoken.security.Jwks.setParser().build().parse(jwks)) {
                if (jwk instanceof io.jsonwebtoken.security.PublicJwk<?> && jwk.getId() != null) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code true} when {@code used} is a method this client may authenticate with. */
    public boolean accepts(ClientAuthMethod used, boolean publicClient) {
        if (method == null) {
            return publicClient ? used == ClientAuthMethod.NONE
                    : used == ClientAuthMethod.CLIENT_SECRET_BASIC || used == ClientAuthMethod.CLIENT_SECRET_POST;
        }
        return method == used;
    }

    /** These keys without the shared secret: what a store keeps. */
    public ClientKeys withoutSecret() {
        return sharedSecret == null ? this : new ClientKeys(method, jwks, jwksUri, null);
    }

    @Override
    public String toString() {
        return "ClientKeys[method=" + method + ", jwks=" + (jwks != null) + ", jwksUri=" + jwksUri
                + (sharedSecret == null ? "" : ", sharedSecret=***") + "]";
    }
}
