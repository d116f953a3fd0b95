package dev.oauthlet.authorize;

import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.internal.Hashes;
import dev.oauthlet.spi.FailureCounterStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Limits failed logins per username and per client address, counted in the store so every node
 * sees the same counts. A username or address at its limit is refused without a password check
 * until its window has passed; a successful login clears the username's count.
 */
public final class LoginThrottle {

    private final FailureCounterStore counters;
    private final AuthorizationConfig policy;
    private final Clock clock;

    public LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock) {
        this.counters = counters;
        this.policy = policy;
        this.clock = clock;
    }

    /** {@code true} when either the username or the address has used up its failures. */
    public boolean isLocked(String username, String address) {
        Duration window = policy.loginFailureWindow();
        return counters.count(userKey(username), clock.instant(), window) >= policy.maxLoginFailuresPerUser()
                || counters.count(addressKey(address), clock.instant(), window) >= policy.maxLoginFailuresPerAddress();
    }

    /** Counts one failure against both. */
    public void failed(String username, String address) {
        counters.increment(userKey(username), clock.instant(), policy.loginFailureWindow());
        counters.increment(addressKey(address), clock.instant(), policy.loginFailureWindow());
    }

    /** Clears the username's failures; the address keeps its count, so one good account cannot launder guesses at others. */
    public void succeeded(String username) {
        counters.reset(userKey(username));
    }

    /** Keys are hashed: usernames may be long or personal, and the counter store needs neither. */
    private static String userKey(String username) {
        return "login-user:" + Hashes.sha256(username);
    }

    private static String addressKey(String address) {
        return "login-address:" + Hashes.sha256(address == null ? "" : address);
    }
}
