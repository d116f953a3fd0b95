package dev.oauthlet.internal.server;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.spi.FailureCounterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Limits failed credential checks, counted in the store so every node sees the same counts. A
 * check first {@linkplain #reserve reserves} its failure — an atomic increment of each count it
 * falls under — and runs only if every count stays within its limit; a success hands the
 * reservation back. So however many guesses arrive at once, on however many nodes, no more are
 * checked than the limits allow.
 *
 * <p>Three counts, each within {@code authorization.login-failure-window}:
 * <ul>
 * <li>per name (a username, or a client id) <em>and</em> address, up to
 *     {@code login-max-failures-per-user}: a guesser is stopped from its own address without
 *     locking the real user out of theirs;</li>
 * <li>per name from all addresses, up to the higher {@code login-max-failures-per-user-any-address}:
 *     the ceiling on guesses at one account by a guesser with many addresses;</li>
 * <li>per address, all names and kinds together, up to {@code login-max-failures-per-address}:
 *     one address cannot spread its guesses over many accounts.</li>
 * </ul>
 * The login page and the password grant share the usernames' counts; client secrets have their
 * own names ({@link #forClients}).
 */
public final class LoginThrottle {

    private final FailureCounterStore counters;
    private final AuthorizationConfig policy;
    private final Clock clock;
    private final String namePrefix;
    private final AuditTrail audit;
    private final boolean clients;

    /** The throttle for usernames, as the login page and the password grant use it. */
    public LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock) {
        this(counters, policy, clock, AuditTrail.NONE);
    }

    /** The throttle for usernames; failures and the lockouts they start are audit events. */
    public LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock, AuditTrail audit) {
        this(counters, policy, clock, "login-user:", audit, false);
    }

    private LoginThrottle(FailureCounterStore counters, AuthorizationConfig policy, Clock clock, String namePrefix, AuditTrail audit,
                          boolean clients) {
        this.counters = counters;
        this.policy = policy;
        this.clock = clock;
        this.namePrefix = namePrefix;
        this.audit = audit;
        this.clients = clients;
    }

    /** The throttle for client ids whose secret is checked. */
    public static LoginThrottle forClients(FailureCounterStore counters, AuthorizationConfig policy, Clock clock) {
        return forClients(counters, policy, clock, AuditTrail.NONE);
    }

    /** The throttle for client ids; failures and the lockouts they start are audit events. */
    public static LoginThrottle forClients(FailureCounterStore counters, AuthorizationConfig policy, Clock clock, AuditTrail audit) {
        return new LoginThrottle(counters, policy, clock, "client-id:", audit, true);
    }

    /**
     * Reserves one failure for a check of {@code name} from {@code address}, before the check.
     *
     * @param address the caller's address; {@code null} (a call that did not come through HTTP) counts as one unknown address
     * @return the reservation, or {@code null} when a limit is used up — nothing stays reserved then, and the check must not run
     */
    public Reservation reserve(String name, String address) {
        String addr = address == null ? "" : address;
        List<String> taken = new ArrayList<>(3);
        List<String> reached = new ArrayList<>(3);
        boolean within = take(taken, reached, "user_at_address", pairKey(name, addr), policy.maxLoginFailuresPerUser())
                && take(taken, reached, "user", nameKey(name), policy.maxLoginFailuresPerUserAnyAddress())
                && take(taken, reached, "address", addressKey(addr), policy.maxLoginFailuresPerAddress());
        if (!within) {
            taken.forEach(counters::release);
            return null;
        }
        return new Reservation(taken, name, address, reached);
    }

    /** Takes one failure of {@code key}; notes in {@code reached} when this one would use its limit up. */
    private boolean take(List<String> taken, List<String> reached, String which, String key, int limit) {
        int count = counters.increment(key, clock.instant(), policy.loginFailureWindow());
        taken.add(key);
        if (count == limit) {
            reached.add(which);
        }
        return count <= limit;
    }

    /** How long a caller refused by {@link #reserve} should wait, at most: the window. */
    public Duration retryAfter() {
        return policy.loginFailureWindow();
    }

    /** Keys are hashed: usernames may be long or personal, and the counter store needs neither. */
    private String nameKey(String name) {
        return namePrefix + Hashes.sha256(name);
    }

    private String pairKey(String name, String address) {
        return namePrefix + "at:" + Hashes.sha256(name + "\n" + address);
    }

    private static String addressKey(String address) {
        return "login-address:" + Hashes.sha256(address);
    }

    /** One reserved failure, counted until the check's outcome says otherwise. */
    public final class Reservation {

        private final List<String> keys;
        private final String name;
        private final String address;
        private final List<String> reached;

        private Reservation(List<String> keys, String name, String address, List<String> reached) {
            this.keys = List.copyOf(keys);
            this.name = name;
            this.address = address;
            this.reached = List.copyOf(reached);
        }

        /**
         * The credentials were right: the reserved failure is handed back, and this name's
         * failures from this address are forgotten. The counts of other addresses stay: a
         * guesser elsewhere gains nothing from the real user's success. A user's sign-in is an
         * audit event (the metrics count it); a client's is not, as it comes with every token request.
         */
        public void succeeded() {
            counters.reset(keys.get(0));
            for (int i = 1; i < keys.size(); i++) {
                counters.release(keys.get(i));
            }
            if (!clients) {
                audit.record(AuditEvent.request(AuditEvent.Type.USER_LOGIN_SUCCEEDED, clock.instant(), null, name, address, Map.of()));
            }
        }

        /** The check said nothing about the credentials (overload, an unreachable store): the failure did not happen. */
        public void cancelled() {
            keys.forEach(counters::release);
        }

        /**
         * The credentials were wrong: the reserved failure stays counted (it was counted when
         * reserved). An audit event says so, and another when this failure used a limit up.
         */
        public void failed() {
            Instant now = clock.instant();
            String client = clients ? name : null;
            String user = clients ? null : name;
            audit.record(AuditEvent.request(clients ? AuditEvent.Type.CLIENT_AUTHENTICATION_FAILED : AuditEvent.Type.USER_LOGIN_FAILED,
                    now, client, user, address, Map.of()));
            if (!reached.isEmpty()) {
                audit.record(AuditEvent.request(AuditEvent.Type.LOCKOUT_STARTED, now, client, user, address,
                        Map.of("limit", String.join(",", reached), "for", policy.loginFailureWindow().toString())));
            }
        }
    }
}
