package dev.oauthlet.client;

import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.SecretHasher;
import dev.oauthlet.internal.VerifiedSecrets;
import dev.oauthlet.spi.ClientStore;
import java.util.Optional;

/**
 * Checks client credentials. Secrets are compared through {@link VerifiedSecrets}, so a client
 * that repeats its secret pays PBKDF2 once, not on every token request.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;

    public ClientAuthenticator(ClientStore clients) {
        this.clients = clients;
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
            // Spend the time of a real check so response times do not tell which ids exist.
            SecretHasher.matches(secret, Dummy.HASH);
            throw OAuthException.invalidClient("client authentication failed");
        }
        ClientRegistration c = found.get();
        if (!VerifiedSecrets.matches(secret, c.secretHash())) {
            throw OAuthException.invalidClient("client authentication failed");
        }
        return c;
    }

    /** Made on first use, not at start-up: a PBKDF2 hash takes a noticeable fraction of a second. */
    private static final class Dummy {
        static final String HASH = new SecretHasher().hash("oauthlet-timing-equaliser");
    }
}
