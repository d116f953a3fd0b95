package dev.oauthlet.internal.server;

import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.FailureCounterStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Limits failed credential checks per name (a username, or a client id) and per client address,
 * counted in the store so every node sees the same counts. A name or address at its limit is
 * refused without a password check until its window has passed; a success clears the name's
 * count. The limits are {@code authorization:}'s login limits. The login page and the password
 * grant share one throttle for usernames; client secrets have their own names
 * ({@link #forClients}), and every kind shares the per-address count, so one address cannot
 * spread its guesses over them.
 */
public final class LoginThrottle {

    private final FailureCounterStore counters;
    private final AuthorizationConfig policy;
    private final Clock clock;
    private final String namePrefix;

    /** The throttle for usernames, as the login page and the password grant use it. */
    public LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock) {
        this(counters, policy, clock, "login-user:");
    }

    private LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock, String namePrefix) {
        this.counters = counters;
        this.policy = policy;
        this.clock = clock;
        this.namePrefix = namePrefix;
    }

    /** The throttle for client ids whose secret failed (the per-name limit is {@code login-max-failures-per-user}). */
    public static LoginThrottle forClients(FailureCounterStore counters, AuthorizationConfig policy, Clock clock) {
        return new LoginThrottle(counters, policy, clock, "client-id:");
    }

    /**
     * {@code true} when either the name or the address has used up its failures. A {@code null}
     * address (a request that did not come through HTTP) is not counted.
     */
    public boolean isLocked(String name, String address) {
        Duration window = policy.loginFailureWindow();
        return counters.count(nameKey(name), clock.instant(), window) >= policy.maxLoginFailuresPerUser()
                || address != null && counters.count(addressKey(address), clock.instant(), window) >= policy.maxLoginFailuresPerAddress();
    }

    /** Counts one failure against both. */
    public void failed(String name, String address) {
        counters.increment(nameKey(name), clock.instant(), policy.loginFailureWindow());
        if (address != null) {
            counters.increment(addressKey(address), clock.instant(), policy.loginFailureWindow());
        }
    }

    /** Clears the name's failures; the address keeps its count, so one good account cannot launder guesses at others. */
    public void succeeded(String name) {
        counters.reset(nameKey(name));
    }

    /** Keys are hashed: usernames may be long or personal, and the counter store needs neither. */
    private String nameKey(String name) {
        return namePrefix + Hashes.sha256(name);
    }

    private static String addressKey(String address) {
        return "login-address:" + Hashes.sha256(address);
    }
}
