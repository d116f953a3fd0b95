package dev.oauthlet.internal.server;

import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserCredentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
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
 *     being checked under a reservation, it waits for that check and shares a success (it
 *     learns nothing its twin did not, and the innocent tail of a burst gets its token);
 *     otherwise, and on a failure, it is {@link Outcome.Throttled throttled}.</li>
 * </ul>
 *
 * <p>Flights are keyed by an HMAC of username, password, attributes and address under a key of
 * this object's own, drawn at random when it is made and never shown; an entry lives only while
 * its check runs. No password is kept or logged.
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

    private final UserAuthenticator users;
    private final LoginThrottle throttle;
    private final Map<String, CompletableFuture<Result>> inFlight = new ConcurrentHashMap<>();
    private final SecretKeySpec key;

    /** @param throttle failed sign-ins per username and address */
    public PasswordChecks(UserAuthenticator users, LoginThrottle throttle) {
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
        while (true) {
            CompletableFuture<Result> mine = new CompletableFuture<>();
            CompletableFuture<Result> running = inFlight.putIfAbsent(flightKey, mine);
            // The flight is registered (or found) before the reservation, so a request the limits refuse
            // still finds the check its identical twins are running under theirs.
            if (reserving) {
                reserving = false;
                try {
                    reserved = throttle.reserve(credentials.username(), address);
                } catch (RuntimeException e) {
                    // The counters are unreachable: nobody may check, and those waiting on this flight hear why.
                    if (running == null) {
                        inFlight.remove(flightKey, mine);
                        mine.completeExceptionally(e);
                    }
                    throw e;
                }
            }
            CompletableFuture<Result> flight = running != null ? running : mine;
            if (running == null) {
                lead(mine, flightKey, credentials, reserved != null);
            }
            Result result;
            try {
                result = flight.join();
            } catch (CompletionException e) {
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
    }

    /** Runs the flight's check, if this request may; gone from the map before anyone sees its result. */
    private void lead(CompletableFuture<Result> mine, String flightKey, UserCredentials credentials, boolean reserved) {
        if (!reserved) {
            inFlight.remove(flightKey, mine);
            mine.complete(Result.NOT_CHECKED);
            return;
        }
        try {
            Optional<AuthenticatedUser> user = users.authenticate(credentials);
            inFlight.remove(flightKey, mine);
            mine.complete(new Result(true, user));
        } catch (RuntimeException e) {
            inFlight.remove(flightKey, mine);
            mine.completeExceptionally(e);
        }
    }

    private static Outcome failed(LoginThrottle.Reservation reserved) {
        if (reserved == null) {
            return new Outcome.Throttled();
        }
        reserved.failed();
        return new Outcome.Wrong();
    }

    /** Checks in flight now: each entry is removed when its check ends. */
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
