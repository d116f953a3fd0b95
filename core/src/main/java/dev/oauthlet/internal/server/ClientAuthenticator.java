package dev.oauthlet.internal.server;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.internal.VerifiedSecrets;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.spi.ClientStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks client credentials. A secret that matched before is recognised through
 * {@link VerifiedSecrets} for the price of one HMAC. Any other runs PBKDF2 once per distinct
 * (client, secret) at a time: concurrent requests presenting the same pair — a busy client right
 * after a restart — share one check (single flight) and one failure reservation, so they neither
 * queue for the CPU nor use up the failure limits. Distinct guesses each reserve a failure
 * ({@link LoginThrottle}) before their check and are refused with {@code 429 invalid_client} once
 * the limits are used up.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;
    private final LoginThrottle throttle;
    private final SecretCheckGate gate;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

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
     * @throws OAuthException {@code invalid_client} when they prove nothing ({@link TooManyAttemptsException} once the
     *                        failure limits are used up); {@code temporarily_unavailable} when too many secrets are being checked
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
        // The hot path: a client repeating its secret costs one HMAC, and no limit can shut it out.
        if (found.isPresent() && VerifiedSecrets.known(found.get().secretHash(), secret)) {
            return found.get();
        }
        String key = clientId + "\n" + VerifiedSecrets.fingerprint(secret);
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        boolean matched;
        if (running != null) {
            matched = outcome(running);
        } else {
            try {
                matched = reservedCheck(clientId, secret, address, found);
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

    /** One PBKDF2 check (or its equal-time stand-in for an unknown id) under a reserved failure. */
    private boolean reservedCheck(String clientId, String secret, String address, Optional<ClientRegistration> found) {
        LoginThrottle.Reservation reserved = throttle.reserve(clientId, address);
        if (reserved == null) {
            throw new TooManyAttemptsException(ErrorCode.INVALID_CLIENT,
                    "too many failed authentications for this client or from this address; try again later", throttle.retryAfter());
        }
        boolean matched;
        try {
            if (found.isEmpty()) {
                // Spend the time of a real check so response times do not tell which ids exist.
                gate.spendEqualTime(secret);
                matched = false;
            } else {
                matched = gate.matches(secret, found.get().secretHash());
            }
        } catch (RuntimeException e) {
            reserved.cancelled();
            throw e;
        }
        if (!matched) {
            reserved.failed();
            return false;
        }
        VerifiedSecrets.remember(found.get().secretHash(), secret);
        reserved.succeeded();
        return true;
    }
}
