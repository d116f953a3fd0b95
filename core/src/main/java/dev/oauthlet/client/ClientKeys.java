package dev.oauthlet.client;

import dev.oauthlet.crypto.KeyEncryptionKey;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Optional;

/**
 * How a client proves itself beyond a secret hash.
 *
 * @param method       the one authentication method it may use; {@code null} accepts both secret methods (Basic
 *                     and body), or none for a public client, as before this setting existed
 * @param jwks         its public keys as a JWK Set document, for {@code private_key_jwt}; or {@code null}
 * @param jwksUri      where its public keys are published, for {@code private_key_jwt}; or {@code null}
 * @param sharedSecret the secret itself, for a {@code client_secret_jwt} client of the configuration file (HMAC
 *                     needs it, a hash cannot verify); taken from the file at start and never written to a store
 * @param sealedSecret the secret of a {@code client_secret_jwt} client kept in the store: sealed under the
 *                     key-encryption key ({@link #sealSecret}), as {@code kekId:base64url}; or {@code null}
 */
public record ClientKeys(ClientAuthMethod method, String jwks, URI jwksUri, String sharedSecret, String sealedSecret) {

    /** No method configured: secrets in Basic or the body, as before. */
    public static final ClientKeys DEFAULT = new ClientKeys(null, null, null, null, null);

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
        if (sealedSecret != null && (method != ClientAuthMethod.CLIENT_SECRET_JWT || sealedSecret.indexOf(':') < 1)) {
            throw new IllegalArgumentException("a sealed secret is a client_secret_jwt client's, as kekId:base64url");
        }
    }

    /** Keys of a file-declared client: no sealed secret. */
    public ClientKeys(ClientAuthMethod method, String jwks, URI jwksUri, String sharedSecret) {
        this(method, jwks, jwksUri, sharedSecret, null);
    }

    /**
     * A stored {@code client_secret_jwt} client's keys: {@code secret} sealed under the current
     * key-encryption key, bound to {@code clientId}.
     *
     * @throws IllegalStateException when no key-encryption key is configured
     */
    public static ClientKeys sealSecret(String clientId, String secret, KeyEncryptionKeys keks) {
        KeyEncryptionKey kek = keks.current();
        if (kek == null) {
            throw new IllegalStateException("no key-encryption key");
        }
        byte[] sealed = kek.seal(secret.getBytes(StandardCharsets.UTF_8), aad(clientId, kek.id()));
        return new ClientKeys(ClientAuthMethod.CLIENT_SECRET_JWT, null, null, null,
                kek.id() + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed));
    }

    /** The id of the key-encryption key the sealed secret is under, or empty. */
    public Optional<String> sealedUnder() {
        return sealedSecret == null ? Optional.empty() : Optional.of(sealedSecret.substring(0, sealedSecret.indexOf(':')));
    }

    /**
     * The stored secret of {@code clientId} in plain, opened with whichever configured KEK sealed it.
     *
     * @return empty when there is none, its KEK is not configured, or it was changed (the row or its client id)
     */
    public Optional<String> openSecret(String clientId, KeyEncryptionKeys keks) {
        Optional<String> kekId = sealedUnder();
        Optional<KeyEncryptionKey> kek = kekId.flatMap(keks::byId);
        if (kek.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(sealedSecret.substring(sealedSecret.indexOf(':') + 1));
            return Optional.of(new String(kek.get().open(sealed, aad(clientId, kekId.get())), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] aad(String clientId, String kekId) {
        return ("oauthlet client_secret_jwt secret\0" + clientId + "\0" + kekId).getBytes(StandardCharsets.UTF_8);
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

    /** These keys without the configuration file's plain secret: what a store keeps (a sealed secret stays). */
    public ClientKeys withoutSecret() {
        return sharedSecret == null ? this : new ClientKeys(method, jwks, jwksUri, null, sealedSecret);
    }

    @Override
    public String toString() {
        return "ClientKeys[method=" + method + ", jwks=" + (jwks != null) + ", jwksUri=" + jwksUri
                + (sharedSecret == null ? "" : ", sharedSecret=***") + (sealedSecret == null ? "" : ", sealedSecret=" + sealedUnder().get())
                + "]";
    }
}
