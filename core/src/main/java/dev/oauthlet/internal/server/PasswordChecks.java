package dev.oauthlet.internal.server;

import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Username and password checks within the {@link LoginThrottle}'s limits, concurrent identical
 * ones sharing one computation (single flight). A burst of sign-ins with the same credentials
 * from one address — a busy application right after a restart, a double click — costs one
 * {@link UserAuthenticator} call (one PBKDF2 run), not one per request, so it neither queues for
 * the CPU nor overflows {@link SecretCheckGate}.
 *
 * <p>The guessing limits hold as they do without sharing:
 * <ul>
 * <li>every request reserves its own failure before it takes a result, and a shared failure
 *     fails each reservation: N identical wrong guesses count N failures, for one check;</li>
 * <li>a check runs only under a reservation, so however many requests arrive, no more distinct
 *     credentials are checked than the limits allow;</li>
 * <li>a request over the limit runs nothing: if identical credentials from the same address are
 *     being checked under a reservation, or were just checked (within {@link #SHARE_FOR}) and
 *     that check's requests are still in it, settling their reservations, it waits for that
 *     check and shares a success (it
 *     learns nothing its twin did not, and the innocent tail of a burst gets its token);
 *     otherwise, and on a failure, it is {@link Outcome.Throttled throttled};</li>
 * <li>a request that may check and finds only a finished check runs its own: a result is
 *     shared only with requests that overlapped it.</li>
 * </ul>
 *
 * <p>Flights are keyed by an HMAC of username, password, attributes and address under a key of
 * this object's own, drawn at random when it is made and never shown; an entry lives only while
 * requests that came for its check are in it. No password is kept or logged. An {@link Error}
 * from the authenticator or the counters reaches every request of the flight, and counts nothing.
 */
public final class PasswordChecks {

    /** What became of one request's check. */
    public sealed interface Outcome {

        /** The credentials are right. */
        record SignedIn(AuthenticatedUser user) implements Outcome {
        }

        /** The credentials are wrong; this request's reserved failure stays counted. */
        record Wrong() implements Outcome {
        }

        /** A limit is used up; nothing of this request's was checked. */
        record Throttled() implements Outcome {
        }
    }

    /** A flight's result; {@code checked} is {@code false} when its leader had no reservation and so checked nothing. */
    private record Result(boolean checked, Optional<AuthenticatedUser> user) {
        static final Result NOT_CHECKED = new Result(false, Optional.empty());
    }

    /**
     * One check and the requests in it. Its entry stays in the map until the last of them has left,
     * so a request the limits refuse because its twins' reservations still count finds the check
     * those reservations were made for, running or just over. A check that is over is shared for
     * {@link #SHARE_FOR} at most, however many refused requests keep arriving.
     */
    private static final class Flight {
        final CompletableFuture<Result> result = new CompletableFuture<>();
        /** Requests in this flight; changed only inside the map's {@code compute} for its key. */
        int members;
        /** {@link System#nanoTime()} when the check ended; written before {@link #result} is completed. */
        volatile long ended;

        /**
         * Over with nothing to share: its leader checked nothing, the check broke, or it ended more
         * than {@code shareFor} nanoseconds ago (a twin slow to settle its reservation, or a stream
         * of refused requests, does not stretch how long a result is shared).
         */
        boolean spent(long shareFor) {
            return result.isDone() && (result.isCompletedExceptionally() || !result.join().checked()
                    || System.nanoTime() - ended > shareFor);
        }
    }

    private record Joined(Flight flight, boolean leader) {
    }

    /**
     * How long after a check ended its success may still be shared with the requests refused while
     * its twins settle their reservations: settling is a store round trip or two, far less than this,
     * and a password changed within it may be missed by a request that could not be checked anyway.
     */
    static final Duration SHARE_FOR = Duration.ofSeconds(1);

    private final long shareFor;
    private final UserAuthenticator users;
    private final LoginThrottle throttle;
    private final Map<String, Flight> inFlight = new ConcurrentHashMap<>();
    private final SecretKeySpec key;

    /** @param throttle failed sign-ins per username and address */
    public PasswordChecks(UserAuthenticator users, LoginThrottle throttle) {
        this(users, throttle, SHARE_FOR);
    }

    /** @param shareFor how long after a check ended its success may still be shared */
    PasswordChecks(UserAuthenticator users, LoginThrottle throttle, Duration shareFor) {
        this.shareFor = shareFor.toNanos();
        this.users = Objects.requireNonNull(users, "users");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /** The throttle the checks count in. */
    public LoginThrottle throttle() {
        return throttle;
    }

    /**
     * Checks {@code credentials} from {@code address}.
     *
     * @param address   the caller's address for the limits, or {@code null} when unknown
     * @param wrong     which exceptions of the {@link UserAuthenticator} mean wrong credentials (a failure that
     *                  counts); any other cancels the reservation and is rethrown, as it says nothing about the password
     */
    public Outcome check(UserCredentials credentials, String address, Predicate<RuntimeException> wrong) {
        String flightKey = flightKey(credentials, address);
        LoginThrottle.Reservation reserved = null;
        boolean reserving = true;
        boolean fresh = false;
        Flight member = null;
        try {
            while (true) {
                // The next flight is joined before the last one is left, so a reservation being settled
                // keeps a flight in the map all along.
                Joined joined = join(flightKey, fresh);
                if (member != null) {
                    leave(flightKey, member);
                }
                Flight flight = joined.flight();
                member = flight;
                // Joined before reserving: a request the limits refuse still finds the check its
                // identical twins run under theirs.
                if (reserving) {
                    reserving = false;
                    try {
                        reserved = throttle.reserve(credentials.username(), address);
                    } catch (RuntimeException | Error e) {
                        // The counters are unreachable: nobody may check, and those waiting on this flight hear why.
                        if (joined.leader()) {
                            flight.result.completeExceptionally(e);
                        }
                        throw e;
                    }
                }
                if (joined.leader()) {
                    lead(flight, credentials, reserved != null);
                } else if (reserved != null && flight.result.isDone()) {
                    // Its check is over and this request may run one, so it does: a result is shared only with
                    // requests that overlapped its check or may not check at all, and no later change is missed.
                    fresh = true;
                    continue;
                }
                Result result;
                try {
                    result = flight.result.join();
                } catch (CompletionException e) {
                    if (e.getCause() instanceof Error error) {
                        // The server is failing, not the password: nothing is counted, and the error goes on up.
                        if (reserved != null) {
                            reserved.cancelled();
                        }
                        throw error;
                    }
                    RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
                    if (reserved == null || wrong.test(cause)) {
                        // Over the limit, only a success is shared: whatever else the check said is not this request's to hear.
                        return failed(reserved);
                    }
                    reserved.cancelled();
                    throw cause;
                }
                if (!result.checked()) {
                    if (reserved == null) {
                        return new Outcome.Throttled();
                    }
                    // Its leader was over the limit and checked nothing; this request may: take the lead.
                    continue;
                }
                if (result.user().isPresent()) {
                    if (reserved != null) {
                        reserved.succeeded();
                    }
                    return new Outcome.SignedIn(result.user().get());
                }
                return failed(reserved);
            }
        } finally {
            if (member != null) {
                leave(flightKey, member);
            }
        }
    }

    /**
     * Joins the flight for {@code flightKey}, or starts one, as its leader, where there is none,
     * where the one there is spent, or — {@code fresh} — where its check is over.
     */
    private Joined join(String flightKey, boolean fresh) {
        boolean[] leader = new boolean[1];
        Flight flight = inFlight.compute(flightKey, (k, there) -> {
            Flight f = there;
            if (f == null || f.spent(shareFor) || (fresh && f.result.isDone())) {
                f = new Flight();
                leader[0] = true;
            }
            f.members++;
            return f;
        });
        return new Joined(flight, leader[0]);
    }

    /** This request is done with {@code flight}; the last one out takes the entry away. */
    private void leave(String flightKey, Flight flight) {
        inFlight.computeIfPresent(flightKey, (k, f) -> f != flight || --f.members > 0 ? f : null);
    }

    /** Runs the flight's check, if this request may. */
    private void lead(Flight flight, UserCredentials credentials, boolean reserved) {
        if (!reserved) {
            flight.result.complete(Result.NOT_CHECKED);
            return;
        }
        try {
            Result checked = new Result(true, users.authenticate(credentials));
            flight.ended = System.nanoTime();
            flight.result.complete(checked);
        } catch (RuntimeException | Error e) {
            // The leader hears of it as those waiting do, from the flight.
            flight.result.completeExceptionally(e);
        }
    }

    private static Outcome failed(LoginThrottle.Reservation reserved) {
        if (reserved == null) {
            return new Outcome.Throttled();
        }
        reserved.failed();
        return new Outcome.Wrong();
    }

    /** Flights in the map now: each entry is removed when the last request in it is done. */
    int inFlight() {
        return inFlight.size();
    }

    /** Length-prefixed fields under this object's HMAC key: identical requests meet, nothing readable is kept. */
    private String flightKey(UserCredentials c, String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            field(mac, c.username());
            field(mac, c.password());
            field(mac, address == null ? "" : address);
            for (Map.Entry<String, String> a : new TreeMap<>(c.attributes()).entrySet()) {
                field(mac, a.getKey());
                field(mac, a.getValue());
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(Mac mac, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
