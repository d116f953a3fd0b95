package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.VerifiedSecrets;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.spi.ClientStore;
import java.util.Optional;

/**
 * Checks client credentials. A secret that matched before is recognised through
 * {@link VerifiedSecrets} for the price of one HMAC; any other runs PBKDF2, but only within the
 * failure limits (per client id and per address, refused with {@code invalid_client} before any
 * PBKDF2 once used up) and within the server's cap on concurrent PBKDF2 runs.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;
    private final LoginThrottle throttle;
    private final SecretCheckGate gate;

    public ClientAuthenticator(ClientStore clients, LoginThrottle throttle, SecretCheckGate gate) {
        this.clients = clients;
        this.throttle = throttle;
        this.gate = gate;
    }

    /**
     * The client the credentials prove, for the secret-based and public methods.
     *
     * @param address the caller's address for the failure limits, or {@code null} when unknown
     * @return empty for {@link ClientAuthentication.None} and {@link ClientAuthentication.ExpiredBearer}, which the caller resolves
     * @throws OAuthException {@code invalid_client} when they prove nothing or the failure limit is reached;
     *                        {@code temporarily_unavailable} when too many secrets are being checked at once
     */
    public Optional<ClientRegistration> authenticate(ClientAuthentication auth, String address) {
        if (auth instanceof ClientAuthentication.Basic b) {
            return Optional.of(checkSecret(b.clientId(), b.secret(), address));
        }
        if (auth instanceof ClientAuthentication.Post p) {
            return Optional.of(checkSecret(p.clientId(), p.secret(), address));
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

    private ClientRegistration checkSecret(String clientId, String secret, String address) {
        Optional<ClientRegistration> found = clients.findById(clientId).filter(c -> !c.publicClient());
        // The hot path: a client repeating its secret costs one HMAC, and no lock can shut it out.
        if (found.isPresent() && VerifiedSecrets.known(found.get().secretHash(), secret)) {
            return found.get();
        }
        if (throttle.isLocked(clientId, address)) {
            throw OAuthException.invalidClient("too many failed authentications for this client or from this address; try again later");
        }
        if (found.isEmpty()) {
            // Spend the time of a real check so response times do not tell which ids exist.
            gate.spendEqualTime(secret);
            throw failed(clientId, address);
        }
        ClientRegistration c = found.get();
        if (!gate.matches(secret, c.secretHash())) {
            throw failed(clientId, address);
        }
        VerifiedSecrets.remember(c.secretHash(), secret);
        throttle.succeeded(clientId);
        return c;
    }

    private OAuthException failed(String clientId, String address) {
        throttle.failed(clientId, address);
        return OAuthException.invalidClient("client authentication failed");
    }
}
