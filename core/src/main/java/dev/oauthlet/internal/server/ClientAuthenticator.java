package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.crypto.VerifiedSecrets;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.spi.ClientStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks client credentials against each of the client's secrets that has not expired. A
 * generated secret ({@code sha256$} hash) costs one SHA-256; a chosen secret that matched before
 * is recognised through {@link VerifiedSecrets} for the price of one HMAC. Any other runs PBKDF2 once per distinct
 * (client, secret) at a time: concurrent requests presenting the same pair — a busy client right
 * after a restart — share one check (single flight) and one failure reservation, so they neither
 * queue for the CPU nor use up the failure limits. Distinct guesses each reserve a failure
 * ({@link LoginThrottle}) before their check and are refused with {@code 429 invalid_client} once
 * the limits are used up. Every refusal spends at least one PBKDF2 run, so response times do not
 * tell which client ids exist or what kind of secret they have: an unknown client's run costs what
 * the last client secret hash checked cost (the default cost until then), no more. A JWT
 * assertion is checked by {@link ClientAssertions}. A client registered with one {@code token-endpoint-auth-method} is
 * refused with any other.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;
    private final LoginThrottle throttle;
    private final SecretCheckGate gate;
    private final Clock clock;
    private final VerifiedSecrets secrets;
    private final ClientAssertions assertions;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    /** The iterations of the last client secret hash checked: what a refusal of an unknown client spends. */
    private volatile int hashCost = SecretHasher.DEFAULT_ITERATIONS;

    /**
     * @param secrets    the server's memory of secrets that matched their PBKDF2 hash
     * @param assertions checks JWT client assertions; {@code null} refuses them
     */
    public ClientAuthenticator(ClientStore clients, LoginThrottle throttle, SecretCheckGate gate, Clock clock, VerifiedSecrets secrets,
                               ClientAssertions assertions) {
        this.clients = clients;
        this.throttle = throttle;
        this.gate = gate;
        this.clock = clock;
        this.secrets = secrets;
        this.assertions = assertions;
    }

    /**
     * The client the credentials prove, for the secret-based and public methods.
     *
     * @param address the caller's address for the failure limits, or {@code null} when unknown
     * @return empty for {@link ClientAuthentication.None} and {@link ClientAuthentication.ExpiredBearer}, which the caller resolves
     * @throws OAuthException {@code invalid_client} when they prove nothing ({@link TooManyAttemptsException} once the
     *                        failure limits are used up); {@code temporarily_unavailable} when too many secrets are being checked
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
        // The hot path: a generated secret or a chosen one repeated costs one hash, and no limit can shut it out.
        for (ClientSecret s : valid) {
            boolean generated = SecretHasher.isGeneratedHash(s.hash());
            if (generated ? SecretHasher.matches(secret, s.hash()) : secrets.known(s.hash(), secret)) {
                return found.get();
            }
        }
        String key = clientId + "\n" + secrets.fingerprint(secret);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        boolean matched;
        if (running != null) {
            matched = outcome(running);
        } else {
            try {
                matched = reservedCheck(clientId, secret, address, valid);
                mine.complete(matched);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.remove(key, mine);
            }
        }
        if (!matched) {
            throw OAuthException.invalidClient("client authentication failed");
        }
        return found.orElseThrow();
    }

    /** The shared check's result; its refusal (limits, overload) is this request's too. */
    private static boolean outcome(CompletableFuture<Boolean> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** PBKDF2 checks of the chosen secrets (or their equal-time stand-in) under one reserved failure. */
    private boolean reservedCheck(String clientId, String secret, String address, List<ClientSecret> valid) {
        LoginThrottle.Reservation reserved = throttle.reserve(clientId, address);
        if (reserved == null) {
            throw new TooManyAttemptsException(ErrorCode.INVALID_CLIENT,
                    "too many failed authentications for this client or from this address; try again later", throttle.retryAfter());
        }
        try {
            boolean spent = false;
            for (ClientSecret s : valid) {
                if (!SecretHasher.isGeneratedHash(s.hash())) {
                    spent = true;
                    int cost = SecretHasher.iterations(s.hash());
                    if (cost > 0) {
                        hashCost = cost;
                    }
                    if (gate.matches(secret, s.hash())) {
                        secrets.remember(s.hash(), secret);
                        reserved.succeeded();
                        return true;
                    }
                }
            }
            if (!spent) {
                // Spend the time of a real check so response times do not tell which ids exist.
                gate.spendEqualTime(secret, hashCost);
            }
        } catch (RuntimeException e) {
            reserved.cancelled();
            throw e;
        }
        reserved.failed();
        return false;
    }
}
