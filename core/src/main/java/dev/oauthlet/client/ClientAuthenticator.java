package dev.oauthlet.client;

import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.SecretHasher;
import dev.oauthlet.spi.ClientStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks client secrets. A PBKDF2 check costs far more than signing a token, so once a secret
 * has checked out against a stored hash, an HMAC of it under a per-process random key is kept
 * (bounded, keyed by client id and hash): the next request with the same secret costs one HMAC,
 * compared in constant time. The secret itself is never kept.
 */
public final class ClientAuthenticator {

    private static final int MAX_CACHED = 10_000;

    private final ClientStore clients;
    private final byte[] macKey = new byte[32];
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    public ClientAuthenticator(ClientStore clients) {
        this.clients = clients;
        new SecureRandom().nextBytes(macKey);
    }

    /**
     * The client the credentials prove, for the secret-based and public methods.
     *
     * @return empty for {@link ClientAuthentication.None} and {@link ClientAuthentication.ExpiredBearer}, which the caller resolves
     * @throws OAuthException {@code invalid_client} when they prove nothing
     */
    public Optional<ClientRegistration> authenticate(ClientAuthentication auth) {
        if (auth instanceof ClientAuthentication.Basic b) {
            return Optional.of(checkSecret(b.clientId(), b.secret()));
        }
        if (auth instanceof ClientAuthentication.Post p) {
            return Optional.of(checkSecret(p.clientId(), p.secret()));
        }
        if (auth instanceof ClientAuthentication.PublicClient pc) {
            ClientRegistration c = clients.findById(pc.clientId())
                    .orElseThrow(() -> OAuthException.invalidClient("client authentication failed"));
            if (!c.publicClient()) {
                throw OAuthException.invalidClient("client authentication failed: this client must authenticate with its secret");
            }
            return Optional.of(c);
        }
        return Optional.empty();
    }

    private ClientRegistration checkSecret(String clientId, String secret) {
        Optional<ClientRegistration> found = clients.findById(clientId);
        if (found.isEmpty() || found.get().publicClient()) {
            // Spend the same time as a real check so response times do not reveal which ids exist.
            SecretHasher.matches(secret, Dummy.HASH);
            throw OAuthException.invalidClient("client authentication failed");
        }
        ClientRegistration c = found.get();
        String cacheKey = c.id() + '\n' + c.secretHash();
        byte[] mac = mac(secret);
        byte[] known = verified.get(cacheKey);
        if (known != null) {
            if (MessageDigest.isEqual(known, mac)) {
                return c;
            }
        }
        if (!SecretHasher.matches(secret, c.secretHash())) {
            throw OAuthException.invalidClient("client authentication failed");
        }
        if (verified.size() >= MAX_CACHED) {
            verified.clear();
        }
        verified.put(cacheKey, mac);
        return c;
    }

    private byte[] mac(String secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(macKey, "HmacSHA256"));
            return m.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Made on first use, not at start-up: a PBKDF2 hash takes a noticeable fraction of a second. */
    private static final class Dummy {
        static final String HASH = new SecretHasher().hash("oauthlet-timing-equaliser");
    }
}
