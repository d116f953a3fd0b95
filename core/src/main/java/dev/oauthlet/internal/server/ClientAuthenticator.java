package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.internal.VerifiedSecrets;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.spi.ClientStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Checks client credentials against each of the client's secrets that has not expired. A
 * generated secret ({@code sha256$} hash) costs one SHA-256; a chosen secret that matched before
 * is recognised through {@link VerifiedSecrets} for the price of one HMAC; any other runs PBKDF2,
 * but only within the failure limits (per client id and per address, refused with
 * {@code invalid_client} before any PBKDF2 once used up) and within the server's cap on
 * concurrent PBKDF2 runs. Every refusal spends at least one PBKDF2 run, so response times do not
 * tell which client ids exist or what kind of secret they have. A JWT assertion is checked by
 * {@link ClientAssertions}. A client registered with one {@code token-endpoint-auth-method} is
 * refused with any other.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;
    private final LoginThrottle throttle;
    private final SecretCheckGate gate;
    private final Clock clock;
    private final ClientAssertions assertions;

    /**
     * @param assertions checks JWT client assertions; {@code null} refuses them
     */
    public ClientAuthenticator(ClientStore clients, LoginThrottle throttle, SecretCheckGate gate, Clock clock,
                               ClientAssertions assertions) {
        this.clients = clients;
        this.throttle = throttle;
        this.gate = gate;
        this.clock = clock;
        this.assertions = assertions;
    }

    public ClientAuthenticator(ClientStore clients, LoginThrottle throttle, SecretCheckGate gate, Clock clock) {
        this(clients, throttle, gate, clock, null);
    }

    public ClientAuthenticator(ClientStore clients, LoginThrottle throttle, SecretCheckGate gate) {
        this(clients, throttle, gate, Clock.systemUTC());
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
            return Optional.of(onlyBy(ClientAuthMethod.CLIENT_SECRET_BASIC, checkSecret(b.clientId(), b.secret(), address)));
        }
        if (auth instanceof ClientAuthentication.Post p) {
            return Optional.of(onlyBy(ClientAuthMethod.CLIENT_SECRET_POST, checkSecret(p.clientId(), p.secret(), address)));
        }
        if (auth instanceof ClientAuthentication.PublicClient pc) {
            ClientRegistration c = clients.findById(pc.clientId())
                    .orElseThrow(() -> OAuthException.invalidClient("client authentication failed"));
            if (!c.publicClient()) {
                throw OAuthException.invalidClient("client authentication failed: this client must authenticate with "
                        + (c.keys().method() == null ? "its secret" : c.keys().method().wireName()));
            }
            return Optional.of(c);
        }
        if (auth instanceof ClientAuthentication.JwtAssertion a) {
            return Optional.of(checkAssertion(a));
        }
        return Optional.empty();
    }

    /**
     * The client that sent {@code a}: named by {@code client_id} or by the assertion itself, and
     * proved by its signature. An unknown client is refused like a failed signature.
     */
    private ClientRegistration checkAssertion(ClientAuthentication.JwtAssertion a) {
        if (assertions == null) {
            throw OAuthException.invalidClient("client authentication failed: this server takes no client assertions");
        }
        String claimed = ClientAssertions.claimedClient(a.assertion())
                .orElseThrow(() -> OAuthException.invalidClient("client authentication failed: the client assertion names no client"));
        if (a.clientId() != null && !a.clientId().equals(claimed)) {
            throw OAuthException.invalidClient("client authentication failed: client_id is not the assertion's sub");
        }
        ClientRegistration c = clients.findById(claimed)
                .orElseThrow(() -> OAuthException.invalidClient("client authentication failed"));
        if (c.keys().method() == null || !c.keys().method().assertion()) {
            throw OAuthException.invalidClient("client authentication failed: this client authenticates with "
                    + (c.publicClient() ? "none (a public client)" : "its secret"));
        }
        assertions.verify(c, a.assertion());
        return c;
    }

    /** {@code c}, if it is registered to authenticate with {@code used}. */
    private static ClientRegistration onlyBy(ClientAuthMethod used, ClientRegistration c) {
        if (!c.keys().accepts(used, c.publicClient())) {
            throw OAuthException.invalidClient("client authentication failed: this client authenticates with "
                    + c.keys().method().wireName() + ", not " + used.wireName());
        }
        return c;
    }

    private ClientRegistration checkSecret(String clientId, String secret, String address) {
        Optional<ClientRegistration> found = clients.findById(clientId).filter(c -> !c.publicClient());
        List<ClientSecret> valid = found.map(c -> c.secretsValidAt(clock.instant())).orElse(List.of());
        // The hot path: a generated secret or a chosen one repeated costs one hash, and no lock can shut it out.
        for (ClientSecret s : valid) {
            boolean generated = SecretHasher.isGeneratedHash(s.hash());
            if (generated ? SecretHasher.matches(secret, s.hash()) : VerifiedSecrets.known(s.hash(), secret)) {
                return found.get();
            }
        }
        if (throttle.isLocked(clientId, address)) {
            throw OAuthException.invalidClient("too many failed authentications for this client or from this address; try again later");
        }
        boolean spent = false;
        for (ClientSecret s : valid) {
            if (!SecretHasher.isGeneratedHash(s.hash())) {
                spent = true;
                if (gate.matches(secret, s.hash())) {
                    VerifiedSecrets.remember(s.hash(), secret);
                    throttle.succeeded(clientId);
                    return found.get();
                }
            }
        }
        if (!spent) {
            // Spend the time of a real check so response times do not tell which ids exist.
            gate.spendEqualTime(secret);
        }
        throw failed(clientId, address);
    }

    private OAuthException failed(String clientId, String address) {
        throttle.failed(clientId, address);
        return OAuthException.invalidClient("client authentication failed");
    }
}
